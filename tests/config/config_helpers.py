# SPDX-License-Identifier: GPL-2.0
"""Shared by the config tool tests: paths, running the tools, small
configurations built in Python that pass every check, and the tests of a
table of check cases."""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TREE = Path(__file__).resolve().parents[2]
TOOLS = TREE / 'tools'
CONFIGS = TREE / 'configs'
ARM64_CONFIGS = CONFIGS / 'arm64'
X86_CONFIGS = CONFIGS / 'x86'
ZCU102_DTB = ('/var/cache/jailhouse-qemu/root/usr/lib/linux-image-*/'
              'xilinx/zynqmp-zcu102-rev1.0.dtb')

if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from pyjailhouse import config as cfg  # noqa: E402
from pyjailhouse import check  # noqa: E402

MEM_RW = cfg.MEM_READ | cfg.MEM_WRITE
MEM_RWX = MEM_RW | cfg.MEM_EXECUTE
GICD = 0x08000000
GICR = 0x080a0000
UART = 0x09000000


def run_tool(name, *args, check=None):
    """Run tools/jailhouse-config-NAME with this Python; return the
    CompletedProcess (text output)."""
    proc = subprocess.run([sys.executable,
                           str(TOOLS / ('jailhouse-config-' + name))] +
                          [str(a) for a in args],
                          capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


def zcu102_dtb():
    found = sorted(glob.glob(ZCU102_DTB))
    return found[-1] if found else None


def cli_sources():
    """The CLI's C sources, as tools/Makefile lists them."""
    for line in (TOOLS / 'Makefile').read_text().splitlines():
        if line.startswith('SRCS :='):
            return [str(TOOLS / f) for f in line.split(':=')[1].split()]
    raise AssertionError('tools/Makefile has no SRCS')


def have(program):
    return shutil.which(program) is not None


def mem(phys, size, flags, virt=None):
    return cfg.Memory(phys_start=phys,
                      virt_start=phys if virt is None else virt,
                      size=size, flags=flags)


def irqchip(irqs, base=32):
    chip = cfg.Irqchip(address=GICD, pin_base=base)
    chip.set_interrupts(irqs)
    return chip


def make_system():
    """A QEMU-virt-like system config: 4 CPUs, RAM 0x40000000-0x7dffffff
    for the root (0x7e000000-0x7effffff is left for ivshmem), hypervisor
    at 0x7f000000, UART, SPIs 32-159, a virtual PCI host."""
    system = cfg.SystemConfig(cfg.ARCH_ARM64)
    system.flags = cfg.SYS_VIRTUAL_DEBUG_CONSOLE
    system.hypervisor_memory = cfg.Memory(phys_start=0x7f000000,
                                          size=0x01000000)
    system.debug_console = cfg.Console(
        address=UART, size=0x1000, type=cfg.CON_TYPE_PL011,
        flags=cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4)
    plat = system.platform
    plat.gic_version = 3
    plat.gicd_base = GICD
    plat.gicr_base = GICR
    plat.maintenance_irq = 25
    system.pci_mmconfig_base = 0x08e00000
    system.pci_mmconfig_end_bus = 0
    system.pci_is_virtual = 1
    system.pci_domain = 1
    root = system.root_cell
    root.name = 'root'
    root.cpus = {0, 1, 2, 3}
    root.memory_regions = [
        mem(0x40000000, 0x30000000, MEM_RWX | cfg.MEM_DMA),
        mem(0x70000000, 0x0e000000, MEM_RWX | cfg.MEM_DMA),
        mem(UART, 0x1000, MEM_RW | cfg.MEM_IO),
    ]
    root.irqchips = [irqchip(range(32, 160))]
    return system


def make_cell(name='cell', cpus=(1,), ram=0x70000000, irqs=(72,),
              uart=None):
    """A non-root cell: RAM at guest 0, a comm region, optionally a UART
    console of its own, and interrupts @irqs."""
    cell = cfg.Cell(name, cfg.ARCH_ARM64)
    cell.cpus = set(cpus)
    cell.memory_regions = [
        mem(ram, 0x00100000, MEM_RWX | cfg.MEM_LOADABLE, virt=0),
        mem(0, 0x1000, MEM_RW | cfg.MEM_COMM_REGION, virt=0x80000000),
    ]
    if uart is not None:
        cell.memory_regions.append(mem(uart, 0x1000,
                                       MEM_RW | cfg.MEM_IO))
        cell.console = cfg.Console(address=uart, size=0x1000,
                                   type=cfg.CON_TYPE_PL011,
                                   flags=cfg.CON_ACCESS_MMIO |
                                   cfg.CON_REGDIST_4)
    if irqs:
        cell.irqchips = [irqchip(irqs)]
    return cell


IOAPIC = 0xfec00000
IOAPIC_ID = 0xff00


def ioapic(pins, chip_id=IOAPIC_ID, base=0):
    chip = cfg.Irqchip(address=IOAPIC, id=chip_id, pin_base=base)
    chip.set_interrupts(pins)
    return chip


def make_x86_system():
    """A q35-like system config (configs/x86/qemu-x86.c in short): 4
    CPUs, the hypervisor at 0x30000000, RAM for cells from 0x30600000,
    COM1 as debug console, MMCONFIG at 0xb0000000, all ports but the PCI
    configuration ports, the IOAPIC's 24 pins."""
    system = cfg.SystemConfig(cfg.ARCH_X86)
    system.flags = cfg.SYS_VIRTUAL_DEBUG_CONSOLE
    system.hypervisor_memory = cfg.Memory(phys_start=0x30000000,
                                          size=0x600000)
    system.debug_console = cfg.Console(address=0x3f8, size=8,
                                       type=cfg.CON_TYPE_8250)
    system.pci_mmconfig_base = 0xb0000000
    system.pci_mmconfig_end_bus = 0xff
    system.platform.pm_timer_address = 0x608
    root = system.root_cell
    root.name = 'root'
    root.cpus = {0, 1, 2, 3}
    root.memory_regions = [
        mem(0x0, 0x30000000, MEM_RWX | cfg.MEM_DMA),
        mem(0x30600000, 0x0fa00000, MEM_RWX | cfg.MEM_DMA),
        mem(0xc0000000, 0x3ec00000, MEM_RW | cfg.MEM_IO),
    ]
    root.irqchips = [ioapic(range(24))]
    root.pio_regions = [cfg.Pio(base=0, length=0xcf8),
                        cfg.Pio(base=0xd00, length=0xf300)]
    return system


def make_x86_cell(name='cell', cpus=(1,), ram=0x30600000, pins=(),
                  ports=()):
    """A non-root x86 cell: 1 MiB of RAM at guest 0, the comm region
    at 0x100000, IOAPIC @pins, the port ranges @ports ((base, length))."""
    cell = cfg.Cell(name, cfg.ARCH_X86)
    cell.cpus = set(cpus)
    cell.flags = (cfg.CELL_VIRTUAL_CONSOLE_PERMITTED |
                  cfg.CELL_VIRTUAL_CONSOLE_ACTIVE)
    cell.memory_regions = [
        mem(ram, 0x00100000, MEM_RWX | cfg.MEM_LOADABLE, virt=0),
        mem(0, 0x1000, MEM_RW | cfg.MEM_COMM_REGION, virt=0x100000),
    ]
    if pins:
        cell.irqchips = [ioapic(pins)]
    cell.pio_regions = [cfg.Pio(base=b, length=n) for b, n in ports]
    return cell


def ivshmem_regions(base, dev_id, peers=2, rootshared=True):
    """State table, empty read/write section, one output section per
    peer, writable by its owner only."""
    shared = cfg.MEM_ROOTSHARED if rootshared else 0
    regions = [mem(base, 0x1000, cfg.MEM_READ | shared), cfg.Memory()]
    for peer in range(peers):
        flags = cfg.MEM_READ | shared
        if peer == dev_id:
            flags |= cfg.MEM_WRITE
        regions.append(mem(base + 0x1000 + peer * 0x10000, 0x10000, flags))
    return regions


def add_ivshmem(cell, base, dev_id, peers=2, bdf=0x00, rootshared=True):
    start = len(cell.memory_regions)
    cell.memory_regions.extend(ivshmem_regions(base, dev_id, peers,
                                               rootshared))
    cell.pci_devices.append(cfg.PciDevice(
        type=cfg.PCI_TYPE_IVSHMEM, domain=1, bdf=bdf,
        bar_mask=list(cfg.IVSHMEM_BAR_MASKS['intx']),
        shmem_regions_start=start, shmem_dev_id=dev_id, shmem_peers=peers,
        shmem_protocol=cfg.SHMEM_PROTO_VETH))


def set_attr(obj, **values):
    for key, value in values.items():
        setattr(obj, key, value)


def region(cell, *args, **kwargs):
    cell.memory_regions.append(mem(*args, **kwargs))


def problems_of(system, cells):
    """What config check finds in @system with @cells."""
    return check.check(('sys.cell', system.pack()),
                       [('%s.cell' % c.name, c.pack()) for c in cells])


def check_case_tests(setup, cases):
    """The tests of a table of config check cases: the configs of
    @setup() pass; for each case of @cases, name: (breaker, fixer, part of
    the expected problem), the breaker makes a config that check finds
    the problem in and the fixer a similar one that passes.  A test module
    takes them as its own: test_baseline_is_clean, test_check_finds,
    test_check_accepts = check_case_tests(setup, CASES)."""
    def test_baseline_is_clean():
        system, cells = setup()
        assert problems_of(system, cells) == []

    @pytest.mark.parametrize('name', sorted(cases))
    def test_check_finds(name):
        breaker, _, expected = cases[name]
        system, cells = setup()
        breaker(system, cells)
        problems = problems_of(system, cells)
        assert any(expected in p for p in problems), \
            'expected "%s" in:\n%s' % (expected, '\n'.join(problems))

    @pytest.mark.parametrize('name', sorted(cases))
    def test_check_accepts(name):
        _, fine, _ = cases[name]
        system, cells = setup()
        fine(system, cells)
        assert problems_of(system, cells) == []

    return test_baseline_is_clean, test_check_finds, test_check_accepts


def build_configs():
    """Build configs/arm64/*.cell and configs/x86/*.cell from their C
    sources with the configs Makefile (x86 with the host's compiler);
    return the arm64 C sources."""
    subprocess.run(['make', '-s', '-C', str(CONFIGS)], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(['make', '-s', '-C', str(CONFIGS), 'ARCH=x86',
                    'CROSS_COMPILE='], check=True,
                   stdout=subprocess.DEVNULL)
    return sorted(ARM64_CONFIGS.glob('*.c'))


def dump_qemu_dtb(path, gic_version):
    subprocess.run(['qemu-system-aarch64', '-machine',
                    'virt,gic-version=%d,virtualization=on,its=off,'
                    'dumpdtb=%s' % (gic_version, path),
                    '-cpu', 'cortex-a57', '-smp', '4', '-m', '1G',
                    '-nographic'], check=True, capture_output=True,
                   timeout=60, env=dict(os.environ, QEMU_AUDIO_DRV='none'))
    return path
