# SPDX-License-Identifier: GPL-2.0
"""The machines the end-to-end tests run on, and what the tests need to
know about each: how to boot it, its system configuration and demo cells
in the guest, and its addresses.

Whatever the built system configuration says (the GIC's frames, the debug
console, the hypervisor's memory, the root cell's regions and interrupts)
is read from it, so that the tests follow the configs; the description
below holds only what no configuration says: the QEMU options, what Linux
makes of the machine, and addresses the tests attack that belong to no
region.

One machine per test session: JH_MACHINE or pytest's --machine (default
virt).  conftest.py selects it before the test modules are collected, so
that they may take constants from MACHINE at import.
"""

import os
import struct
from dataclasses import dataclass, replace
from pathlib import Path

TREE = Path(__file__).resolve().parents[2]

# System configuration, shared/ABI.md 1.10 and 1.2.
SYS_HV_MEM_PHYS = 12
SYS_HV_MEM_SIZE = 12 + 16
SYS_CONSOLE_ADDRESS = 44
SYS_ARM = 312
SYS_GIC_VERSION = SYS_ARM + 1
SYS_GICD_BASE = SYS_ARM + 4
SYS_GICC_BASE = SYS_ARM + 12
SYS_GICH_BASE = SYS_ARM + 20
SYS_GICV_BASE = SYS_ARM + 28
SYS_GICR_BASE = SYS_ARM + 36
ROOT_CELL_DESC = 356
CELL_DESC_SIZE = 132
CELL_CPU_SET_SIZE = 48
CELL_NUM_MEMORY_REGIONS = 52
CELL_NUM_IRQCHIPS = 60
MEM_REGION_SIZE = 32
IRQCHIP_SIZE = 32
MEM_IO = 0x10

# The root cell's exit counters (statistics/ in sysfs, shared/ABI.md 4):
# the common ones and each architecture's.
COMMON_COUNTERS = ("vmexits_total", "vmexits_mmio", "vmexits_management",
                   "vmexits_hypercall")
ARM_COUNTERS = COMMON_COUNTERS + ("vmexits_maintenance", "vmexits_virt_irq",
                                  "vmexits_virt_sgi", "vmexits_psci",
                                  "vmexits_smccc")
X86_COUNTERS = COMMON_COUNTERS + ("vmexits_pio", "vmexits_xapic",
                                  "vmexits_cr", "vmexits_cpuid",
                                  "vmexits_xsetbv", "vmexits_exception",
                                  "vmexits_msr_other",
                                  "vmexits_msr_x2apic_icr")

# What a root process that touches the hypervisor's memory dies of, as the
# shell's status (128 + signal): a bus error on arm64 (the data abort the
# hypervisor injects), SIGSEGV on x86 (the #GP it injects).
SIGBUS_STATUS = 128 + 7
SIGSEGV_STATUS = 128 + 11


@dataclass(frozen=True)
class Region:
    index: int
    phys_start: int
    virt_start: int
    size: int
    flags: int

    @property
    def end(self):
        return self.phys_start + self.size

    def __contains__(self, addr):
        return self.phys_start <= addr < self.end


@dataclass(frozen=True)
class Irqchip:
    address: int
    pin_base: int
    bitmap: tuple

    @property
    def pins(self):
        return [self.pin_base + n for n in range(128)
                if self.bitmap[n // 32] >> (n % 32) & 1]


def _sysconfig_u64(offset, doc=None):
    """A property: the 64-bit field at @offset of the built system
    configuration."""
    return property(lambda self: self._u64(offset), doc=doc)


@dataclass(frozen=True)
class Machine:
    """One machine: what no configuration file says."""
    name: str
    # scripts/qemu-run.sh options that boot it where the script has no
    # --machine yet (None: it cannot)
    legacy_args: tuple
    cpus: int
    # configs/arm64/*.cell, the same name in the guest's /etc/jailhouse
    sysconfig: str
    # two cells of one CPU each, side by side, and one of two CPUs
    demo: str
    demo2: str
    smp: str
    # Linux's RAM (mem= of qemu-run.sh): start, size
    linux_ram: tuple
    # the interrupt (GIC INTID) of the root's console UART, and its name
    # in /proc/interrupts; an SPI of the root that Linux leaves off
    uart_irq: int
    uart_irq_name: str
    unused_irq: int
    # what the inmates call their console on this UART (uart-demo)
    inmate_console: str
    # the root's disk (qemu-run.sh -d), as Linux names it
    disk: str
    # an address inside no device of the device tree
    hole: int
    # QEMU's fw_cfg (0x18 bytes), where the machine has it: a device
    # that answers a 2-byte read of its selector with a bus error
    fw_cfg: int = None
    # scripts/qemu-run.sh options the boot-mode tests may add
    boot_modes: tuple = ("el1", "vhe", "kvm-nvhe")
    # the architecture: configs/ARCH, "make ARCH=... initramfs",
    # scripts/mkinitramfs.sh -a ARCH
    arch: str = "arm64"
    # what the root's command line keeps from Linux for the hypervisor and
    # the cells, as /proc/iomem shows it reserved (start, size); None
    # where Linux's RAM simply ends before it (mem=)
    reserved: tuple = None
    # the root cell's exit counters, and those that Linux's work under
    # load (timers, IPIs, CPU hot-plug, the disk) makes grow: on arm64 the
    # GIC's maintenance and virtual interrupts, PSCI; on x86 (LAPIC
    # trapped) MMIO
    counters: tuple = ARM_COUNTERS
    load_counters: tuple = ("vmexits_total", "vmexits_virt_irq",
                            "vmexits_virt_sgi", "vmexits_psci",
                            "vmexits_mmio", "vmexits_hypercall")
    # what the names of the IPIs' lines in /proc/interrupts start with
    ipis: tuple = ("IPI",)
    # the shell's status of a root process that reads or writes the
    # hypervisor's memory
    hv_memory_status: int = SIGBUS_STATUS
    # why disable cannot take back a CPU that Linux took offline while
    # enabled (the test is skipped with it); None: it can (arm64: PSCI
    # CPU_OFF parks it in the hypervisor)
    no_offline_disable: str = None
    # why the machine cannot run non-root cells yet (their tests are
    # skipped with it); None: it can
    no_cells: str = None
    # a device of the root cell at a 2 MiB boundary that no region of
    # the root maps as RAM (default: root_device()'s start)
    device_2m_addr: int = None
    # where the inmates are loaded and run (their images' address)
    inmate_base: int = 0
    # how the inmates name the CPU they run on, from its Linux id: the
    # MPIDR on arm64, index and APIC ID on x86 (a regular expression)
    inmate_cpu: str = "CPU 0x%x"
    # the timer demo: the GIC's, or the local APIC's on x86; whether its
    # interrupts come through the hypervisor (exits counted)
    timer_demo: str = "gic-demo"
    irqs_exit: bool = True
    # how a cell's second CPU is started: PSCI on arm64 (exits counted),
    # INIT and SIPI through the trapped APIC on x86
    cpu_on_counter: str = "vmexits_psci"
    # what the hypervisor says when a cell powers itself off, None where
    # the cell only reports itself shut down
    poweroff_message: str = r"shuts itself down"

    @property
    def qemu_args(self):
        """The options of scripts/qemu-run.sh that boot the machine."""
        script = (TREE / "scripts/qemu-run.sh").read_text()
        if "--machine" in script:
            return ("--machine", self.name)
        if self.legacy_args is None:
            raise RuntimeError("scripts/qemu-run.sh cannot boot %s"
                               % self.name)
        return self.legacy_args

    # -- from the built system configuration ----------------------------------

    @property
    def configs(self):
        """configs/ARCH of the tree: the machine's built configurations."""
        return TREE / "configs" / self.arch

    @property
    def sysconfig_path(self):
        return self.configs / self.sysconfig

    def sysconfig_bytes(self):
        return self.sysconfig_path.read_bytes()

    def _u64(self, offset):
        return struct.unpack_from("<Q", self.sysconfig_bytes(), offset)[0]

    @property
    def gic_version(self):
        """The GIC's version, None on a machine without a GIC."""
        if self.arch != "arm64":
            return None
        return self.sysconfig_bytes()[SYS_GIC_VERSION]

    gicd = _sysconfig_u64(SYS_GICD_BASE)
    gicc = _sysconfig_u64(SYS_GICC_BASE)
    gich = _sysconfig_u64(SYS_GICH_BASE)
    gicv = _sysconfig_u64(SYS_GICV_BASE)
    gicr = _sysconfig_u64(SYS_GICR_BASE)
    uart = _sysconfig_u64(SYS_CONSOLE_ADDRESS,
                          "The debug console, the root's console UART as "
                          "well.")

    @property
    def hypervisor_memory(self):
        """(phys_start, size)."""
        return self._u64(SYS_HV_MEM_PHYS), self._u64(SYS_HV_MEM_SIZE)

    @property
    def root_name(self):
        data = self.sysconfig_bytes()
        return data[ROOT_CELL_DESC + 8:ROOT_CELL_DESC + 40].split(b"\0")[0]\
            .decode()

    def _root_field(self, offset):
        return struct.unpack_from("<I", self.sysconfig_bytes(),
                                  ROOT_CELL_DESC + offset)[0]

    @property
    def root_regions_offset(self):
        return ROOT_CELL_DESC + CELL_DESC_SIZE + \
            self._root_field(CELL_CPU_SET_SIZE)

    @property
    def root_regions(self):
        data = self.sysconfig_bytes()
        base = self.root_regions_offset
        return [Region(n, *struct.unpack_from("<QQQQ", data,
                                              base + n * MEM_REGION_SIZE))
                for n in range(self._root_field(CELL_NUM_MEMORY_REGIONS))]

    @property
    def root_irqchips(self):
        data = self.sysconfig_bytes()
        base = self.root_regions_offset + \
            self._root_field(CELL_NUM_MEMORY_REGIONS) * MEM_REGION_SIZE
        chips = []
        for n in range(self._root_field(CELL_NUM_IRQCHIPS)):
            address, _, pin_base, *bitmap = struct.unpack_from(
                "<QII4I", data, base + n * IRQCHIP_SIZE)
            chips.append(Irqchip(address, pin_base, tuple(bitmap)))
        return chips

    def root_region_at(self, addr):
        """The root cell's region holding @addr."""
        for region in self.root_regions:
            if addr in region:
                return region
        raise AssertionError("%s: no root region at 0x%x"
                             % (self.sysconfig, addr))

    @property
    def device_2m(self):
        """The 2 MiB boundary at or below a device of the root cell that
        is no RAM: the machine's, or that of root_device()."""
        if self.device_2m_addr is not None:
            return self.device_2m_addr
        return self.root_device().phys_start >> 21 << 21

    @property
    def linux_ram_region(self):
        return self.root_region_at(self.linux_ram[0])

    def root_device(self):
        """The root's first I/O region but its console: a device that is
        no RAM (the flash on virt)."""
        for region in self.root_regions:
            if region.flags & MEM_IO and self.uart not in region:
                return region
        raise AssertionError("%s: no root device" % self.sysconfig)

    @property
    def root_spis(self):
        return [pin for chip in self.root_irqchips
                if chip.address == self.gicd for pin in chip.pins]

    @property
    def iomem_linux_ram(self):
        """Linux's RAM as /proc/iomem shows it."""
        start, size = self.linux_ram
        return "%08x-%08x" % (start, start + size - 1)


VIRT = Machine(name="virt",
               legacy_args=(),
               cpus=4,
               sysconfig="qemu-arm64.cell",
               demo="qemu-arm64-inmate-demo.cell",
               demo2="qemu-arm64-inmate-demo2.cell",
               smp="qemu-arm64-smp-demo.cell",
               linux_ram=(0x40000000, 0x30000000),
               uart_irq=33, uart_irq_name="pl011", unused_irq=50,
               inmate_console="PL011",
               disk="vda",
               hole=0x09001000,
               fw_cfg=0x09020000)

MACHINES = {m.name: m for m in [
    VIRT,
    # the same machine with a GICv2: its options and system configuration
    replace(VIRT, name="virt-gicv2", legacy_args=("-g", "2"),
            sysconfig="qemu-arm64-gicv2.cell"),
    Machine(name="zcu102",
            legacy_args=None,
            cpus=4,
            sysconfig="zynqmp-zcu102.cell",
            demo="zynqmp-zcu102-inmate-demo.cell",
            demo2="zynqmp-zcu102-inmate-demo2.cell",
            smp="zynqmp-zcu102-smp-demo.cell",
            linux_ram=(0x0, 0x70000000),
            uart_irq=53, uart_irq_name="xuartps", unused_irq=120,
            inmate_console="Xilinx UART PS",
            disk="mmcblk0",
            hole=0xff001000,
            boot_modes=("el1",)),
    # q35 under TCG with AMD SVM (scripts/qemu-run.sh --machine x86); the
    # demo cells print through the hypervisor's debug console (ttyS0 stays
    # the root's).
    Machine(name="x86",
            legacy_args=None,
            cpus=4,
            sysconfig="qemu-x86.cell",
            demo="qemu-x86-inmate-demo.cell",
            demo2="qemu-x86-inmate-demo2.cell",
            smp="qemu-x86-smp-demo.cell",
            # Linux's RAM below the reserved area (more at 0x3c000000)
            linux_ram=(0x100000, 0x2ff00000),
            # the 8250 at port 0x3f8 on IOAPIC pin 4; pin 3 (COM2) Linux
            # leaves off
            uart_irq=4, uart_irq_name="ttyS0", unused_irq=3,
            inmate_console="hypervisor debug console",
            disk="vda",
            hole=None,
            boot_modes=(),
            arch="x86",
            reserved=(0x30000000, 0xc000000),
            inmate_base=0xf0000,
            inmate_cpu=r"CPU 0 \(APIC ID %d\)",
            timer_demo="apic-demo",
            irqs_exit=False,
            cpu_on_counter="vmexits_mmio",
            poweroff_message=None,
            counters=X86_COUNTERS,
            # the LAPIC's EOI and timer writes; the statistics' reads
            load_counters=("vmexits_total", "vmexits_mmio",
                           "vmexits_hypercall"),
            # rescheduling, function call, TLB shootdown
            ipis=("RES", "CAL", "TLB"),
            hv_memory_status=SIGSEGV_STATUS,
            # the PCI window of the devices' BARs
            device_2m_addr=0xc0000000),
]}

DEFAULT = "virt"
MACHINE = None


def select(name=None):
    """Choose the session's machine: @name, else JH_MACHINE, else virt."""
    global MACHINE

    name = name or os.environ.get("JH_MACHINE") or DEFAULT
    if name not in MACHINES:
        raise ValueError("unknown machine %r (known: %s)"
                         % (name, ", ".join(MACHINES)))
    MACHINE = MACHINES[name]
    return MACHINE


def current():
    return MACHINE


select()
