# SPDX-License-Identifier: GPL-2.0
"""Issue 10, the root cell's end of an ivshmem link: the root's ivshmem
devices in Linux once enabled, on the virtual PCI host that jailhouse.ko
registers (domain pci_domain, bus 0) or on the machine's own PCI host
(pci_is_virtual 0: bus 0 rescanned), uio_ivshmem.ko bound to them, each
map with its access rights, INTx or MSI-X (one-shot or not) and the
root-side ivshmem-demo exchanging doorbells with a bare-metal ivshmem-demo
cell; the devices gone cleanly on disable, also with the device in use,
and back on enable; a PCI side that cannot be set up refused before the
hypervisor is entered, with the reason in the kernel log.

On x86 (q35's own PCI host, ACPI) the root's devices have MSI-X only: no
INTx to look for, no vpci_irq_base to refuse, and the driver compares the
ECAM with the ACPI MCFG table's.

The devices, addresses and interrupts expected are read from the built
system configuration."""

import re
import struct
from dataclasses import dataclass

import pytest

from cells import DEMO, demo, destroy, put_config, run_inmate
from conftest import kernel_trouble, patched, sysconfig, sysconfig_bytes
from machines import (CELL_DESC_SIZE, CELL_CPU_SET_SIZE,
                      CELL_NUM_IRQCHIPS, CELL_NUM_MEMORY_REGIONS,
                      IRQCHIP_SIZE, MACHINE, MEM_REGION_SIZE,
                      ROOT_CELL_DESC)

# System configuration (shared/ABI.md 1.10), cell descriptor (1.2) and
# PCI device (1.7).
SYS_PCI_MMCONFIG_BASE = 76
SYS_PCI_IS_VIRTUAL = 85
SYS_PCI_DOMAIN = 86
CELL_NUM_CACHE_REGIONS = 56
CELL_NUM_PIO_REGIONS = 64
CELL_NUM_PCI_DEVICES = 68
CELL_VPCI_IRQ_BASE = 80
CELL_PCI_DEVICE_BDF = 4
PCI_DEVICE_MSIX_VECTORS = 36
CACHE_REGION_SIZE = 12
PIO_REGION_SIZE = 4
PCI_DEVICE_SIZE = 56
PCI_TYPE_IVSHMEM = 3
SHMEM_PROTO_VETH = 1

ECAM_SIZE = 0x100000
# What Linux prints when it hits a bug or warns of one.
UIO_CHECK = "/usr/libexec/jailhouse/tests/uio-ivshmem-check"


@dataclass(frozen=True)
class Ivshmem:
    """An ivshmem device of the root cell, as its config has it."""
    domain: int
    bdf: int
    regions_start: int
    dev_id: int
    peers: int
    protocol: int
    offset: int = 0     # of its descriptor in the config
    msix: int = 0       # MSI-X vectors, none: INTx

    @property
    def address(self):
        return "%04x:%02x:%02x.%x" % (self.domain, self.bdf >> 8,
                                      self.bdf >> 3 & 0x1f, self.bdf & 7)

    @property
    def sysfs(self):
        return "/sys/bus/pci/devices/" + self.address

    @property
    def pin(self):
        """INTx pin 1..4: by the slot (include/jailhouse/ivshmem.h)."""
        return (self.bdf >> 3 & 3) + 1


def _root_u32(data, field):
    return struct.unpack_from("<I", data, ROOT_CELL_DESC + field)[0]


def ivshmem_devices(data, desc=ROOT_CELL_DESC):
    """The ivshmem devices of the cell whose descriptor is at @desc."""
    def u32(field):
        return struct.unpack_from("<I", data, desc + field)[0]

    at = desc + CELL_DESC_SIZE + u32(CELL_CPU_SET_SIZE) + \
        u32(CELL_NUM_MEMORY_REGIONS) * MEM_REGION_SIZE + \
        u32(CELL_NUM_CACHE_REGIONS) * CACHE_REGION_SIZE + \
        u32(CELL_NUM_IRQCHIPS) * IRQCHIP_SIZE + \
        u32(CELL_NUM_PIO_REGIONS) * PIO_REGION_SIZE
    devices = []
    for n in range(u32(CELL_NUM_PCI_DEVICES)):
        off = at + n * PCI_DEVICE_SIZE
        kind, _, domain, bdf = struct.unpack_from("<BBHH", data, off)
        start, dev_id, peers, protocol = struct.unpack_from(
            "<IBBH", data, off + 48)
        msix = struct.unpack_from("<H", data,
                                  off + PCI_DEVICE_MSIX_VECTORS)[0]
        if kind == PCI_TYPE_IVSHMEM:
            devices.append(Ivshmem(domain, bdf, start, dev_id, peers,
                                   protocol, off, msix))
    return devices


SYSCONFIG = sysconfig()
DATA = sysconfig_bytes()
# the devices uio_ivshmem takes: not the virtual Ethernet (protocol 1),
# which is ivshmem_net's (test_ivshmem_net.py)
DEVICES = [dev for dev in ivshmem_devices(DATA)
           if dev.protocol != SHMEM_PROTO_VETH]
ECAM = struct.unpack_from("<Q", DATA, SYS_PCI_MMCONFIG_BASE)[0]
DOMAIN = struct.unpack_from("<H", DATA, SYS_PCI_DOMAIN)[0]
IRQ_BASE = _root_u32(DATA, CELL_VPCI_IRQ_BASE)
# on the machine's own PCI host, not a virtual one
PHYSICAL = not DATA[SYS_PCI_IS_VIRTUAL]
# a device of the root's on INTx (none on x86, whose virtual devices have
# MSI-X only)
INTX = any(not dev.msix for dev in ivshmem_devices(DATA))

pytestmark = pytest.mark.skipif(
    not DEVICES or not ECAM,
    reason="the machine's root cell has no ivshmem device")


def sections(dev):
    """(name, physical start, size, writable) of the maps uio_ivshmem
    offers for the shared memory of @dev, the empty ones left out."""
    regs = MACHINE.root_regions[dev.regions_start:
                                dev.regions_start + 2 + dev.peers]
    state, rw, outputs = regs[0], regs[1], regs[2:]
    own = outputs[dev.dev_id]
    maps = [("state_table", state.phys_start, state.size, False),
            ("rw_section", rw.phys_start, rw.size, True),
            ("input_sections", outputs[0].phys_start,
             sum(o.size for o in outputs), False),
            ("output_section", own.phys_start, own.size, True)]
    return [m for m in maps if m[2]]


def uio_of(guest, dev):
    """/dev/uioN of @dev, bound to uio_ivshmem."""
    out = guest.sh("ls %s/uio" % dev.sysfs)
    names = re.findall(r"\buio\d+\b", out)
    assert len(names) == 1, out
    return "/dev/" + names[0]


def bind(guest, *params):
    """uio_ivshmem loaded afresh with @params, bound to every device."""
    guest.sh("! grep -q '^uio_ivshmem ' /proc/modules || "
             "rmmod uio_ivshmem")
    guest.sh("modprobe uio_ivshmem %s" % " ".join(params))
    for dev in DEVICES:
        assert guest.sh("basename $(readlink %s/driver)" % dev.sysfs) == \
            "uio_ivshmem"


def assert_no_devices(guest):
    """None of the root's ivshmem devices in Linux (nor the virtual
    host's domain)."""
    for dev in DEVICES:
        assert guest.sh("test -e %s && echo there || true" % dev.sysfs) \
            == ""
    if not PHYSICAL:
        assert guest.sh("ls /sys/bus/pci/devices/ | grep -c '^%04x:' || "
                        "true" % DOMAIN) == "0"


def assert_clean_log(guest):
    trouble = kernel_trouble(guest.sh)
    assert not trouble, trouble


@pytest.fixture
def enabled(guest):
    """The hypervisor enabled, enabled afresh, uio_ivshmem bound."""
    guest.set_enabled(False)
    guest.set_enabled(True)
    bind(guest)
    return guest


def test_host_and_devices_after_enable(guest):
    guest.set_enabled(False)
    assert_no_devices(guest)
    guest.set_enabled(True)

    for dev in DEVICES:
        assert guest.read(dev.sysfs + "/vendor") == "0x110a"
        assert guest.read(dev.sysfs + "/device") == "0x4106"
        assert guest.read(dev.sysfs + "/class") == \
            "0xff%04x" % dev.protocol
    log = guest.sh("dmesg")
    if PHYSICAL:
        host = "jailhouse: root cell: %d ivshmem devices on the PCI host " \
            "of domain %d, " % (len(ivshmem_devices(DATA)), DOMAIN)
        if INTX:
            host += "INTx on SPIs %d-%d" % (IRQ_BASE, IRQ_BASE + 3)
        else:
            host += "MSI-X only"
        assert host in log, log
        return
    iomem = guest.sh("cat /proc/iomem")
    assert re.search(r"^%08x-%08x : jailhouse virtual PCI ECAM$"
                     % (ECAM, ECAM + ECAM_SIZE - 1), iomem, re.M), iomem
    assert re.search(r"^%08x-%08x : jailhouse virtual PCI BARs$"
                     % (ECAM + ECAM_SIZE, ECAM + 2 * ECAM_SIZE - 1), iomem,
                     re.M), iomem
    assert "jailhouse: virtual PCI host: domain %d," % DOMAIN in log, log


def test_uio_binds_with_the_links_maps(enabled):
    g = enabled
    interrupts = g.sh("cat /proc/interrupts")
    for dev in DEVICES:
        uio = uio_of(g, dev)
        maps = g.sh("(cd /sys/class/uio/%s/maps && for m in map*; do "
                    "echo $(cat $m/name $m/addr $m/size); done)"
                    % uio[5:]).splitlines()
        bar0 = int(g.sh("cut -d' ' -f1 %s/resource | head -n1"
                        % dev.sysfs), 0)
        if PHYSICAL:
            # in the host's 32-bit window, where Linux placed it
            assert 0 < bar0 < 1 << 32
        else:
            assert ECAM + ECAM_SIZE <= bar0 < ECAM + 2 * ECAM_SIZE
        expected = ["registers 0x%016x 0x%016x" % (bar0, 0x1000)] + \
            ["%s 0x%016x 0x%016x" % (name, start, size)
             for name, start, size, _ in sections(dev)]
        assert maps == expected
        probe = g.sh("dmesg | grep '%s'" % dev.address)
        assert "peer %d of %d" % (dev.dev_id, dev.peers) in probe
        if dev.msix:
            # vector 0: an edge of Linux's MSI domain
            irq = re.search(r"interrupt (\d+) \(MSI-X\)", probe)
            assert irq, probe
            assert re.search(r"^\s*%s:.*MSI.*[ -]edge\s+uio_ivshmem$"
                             % irq.group(1), interrupts, re.M | re.I), \
                interrupts
            continue
        # INTx: an edge on the root's SPI for the device's pin
        assert "(INTx)" in probe, probe
        intid = 32 + IRQ_BASE + dev.pin - 1
        assert re.search(r"GICv%d\s+%d Edge\s+uio_ivshmem"
                         % (MACHINE.gic_version, intid), interrupts), \
            interrupts


def test_map_rights_alias_and_doorbell(enabled):
    g = enabled
    for dev in DEVICES:
        out = g.sh("%s %s" % (UIO_CHECK, uio_of(g, dev)))
        writable = {"registers": True}
        writable.update((name, w) for name, _, _, w in sections(dev))
        for name, w in writable.items():
            m = re.search(r"^map \d+ %s \S+ shared-rw=(\S+) "
                          r"shared-ro=(\S+) mprotect-rw=(\S+) "
                          r"private=(\S+)$" % name, out, re.M)
            assert m, out
            if w:
                assert m.groups() == ("ok", "ok", "ok", "EINVAL"), out
            else:
                assert m.groups() == ("EACCES", "ok", "EACCES",
                                      "EINVAL"), out
        assert "alias ok" in out
        # not one-shot: the interrupt stays enabled
        assert "doorbell interrupts=1 int_ctrl=1" in out


def test_one_shot_mode(enabled):
    g = enabled
    cap_ctrl = "dd if=%s/config bs=1 skip=67 count=1 2>/dev/null | " \
        "od -An -tu1"
    bind(g, "one_shot=1")
    for dev in DEVICES:
        assert g.sh(cap_ctrl % dev.sysfs).strip() == "1"
        out = g.sh("%s %s" % (UIO_CHECK, uio_of(g, dev)))
        # the delivery disabled it, until user space enables it again
        assert "doorbell interrupts=1 int_ctrl=0" in out, out
    bind(g)
    for dev in DEVICES:
        assert g.sh(cap_ctrl % dev.sysfs).strip() == "0"


def test_demo_alone_sets_and_clears_its_state(enabled):
    g = enabled
    for dev in DEVICES:
        out = g.sh("ivshmem-demo -n 2 -i 10 -s 7 %s" % dev.address)
        assert "ivshmem-demo: %s, PCI %s: id %d, max peers %d" % (
            uio_of(g, dev), dev.address, dev.dev_id, dev.peers) in out, out
        assert "ivshmem-demo: setting state 7" in out, out
        # nobody else is up: nobody to ring
        assert "done ringing: 0 doorbells in 2 rounds, heard 0" in out
        # the state table as it ends, then it leaves
        last = out.splitlines()[-2:]
        assert last[0].startswith("ivshmem-demo: states:"), out
        assert last[0].split(":")[2].split()[dev.dev_id] == "7", out
        assert last[1] == "ivshmem-demo: setting state 0, leaving", out


def cell_peer():
    """(root's device, the cell's id on the link) of the link between the
    root and the demo cell DEMO, or None."""
    if not DEMO.host_path.exists():
        return None
    for cell_dev in ivshmem_devices(DEMO.data(), 0):
        for dev in DEVICES:
            if (dev.domain, dev.bdf) == (cell_dev.domain, cell_dev.bdf):
                return dev, cell_dev.dev_id
    return None


def counts(pattern, out):
    return [int(c) for c in re.findall(pattern, out, re.M)]


@pytest.mark.skipif(cell_peer() is None,
                    reason="no link between the root and %s" % DEMO.file)
def test_doorbells_with_a_bare_metal_peer(cell_guest):
    """The root's ivshmem-demo and the bare-metal one in DEMO: each
    counts the other's doorbells (through the counts in the output
    sections, exactly), sees the other's state come and go."""
    g = cell_guest
    bind(g)
    dev, peer = cell_peer()
    _, mark = run_inmate(g, DEMO, demo("ivshmem-demo"),
                         "period-ms=200 count=0")
    g.wait_output(r"^ivshmem-demo: setting state %d$" % (peer + 1), mark,
                  timeout=60)

    rounds = 10
    out, status = g.run("ivshmem-demo -n %d -i 200 -r %d -t 120 %s "
                        "> /tmp/root.log 2>&1" % (rounds, rounds,
                                                   dev.address),
                        timeout=180)
    log = g.read("/tmp/root.log")
    assert status == 0, log
    states = re.search(r"^ivshmem-demo: states:(.*)$", log, re.M)
    assert states and states.group(1).split()[peer] == str(peer + 1), log
    assert "rang peer %d (%d in all)" % (peer, rounds) in log, log
    assert "done ringing: %d doorbells in %d rounds" % (rounds, rounds) \
        in log, log
    assert max(counts(r"^ivshmem-demo: doorbell from peer %d \((\d+) in "
                      r"all\)$" % peer, log)) >= rounds, log
    assert counts(r"^ivshmem-demo: done ringing: .*, (\d+) interrupts$",
                  log)[0] > 0, log

    # the cell heard every doorbell and saw the root come and go
    out = g.wait_output(r"^ivshmem-demo: peer %d state %d -> 0$"
                        % (dev.dev_id, dev.dev_id + 1), mark, timeout=60)
    assert "ivshmem-demo: peer %d state 0 -> %d" % (
        dev.dev_id, dev.dev_id + 1) in out, out
    assert max(counts(r"^ivshmem-demo: doorbell from peer %d \((\d+) in "
                      r"all\)$" % dev.dev_id, out)) == rounds, out

    # the cell goes away: its state drops to 0, the root is told
    g.sh("(ivshmem-demo -n 1000 -i 500 -t 120 %s > /tmp/root.log 2>&1 &"
         " echo $! > /tmp/root.pid)" % dev.address)
    g.sh("sleep 2")
    destroy(g, DEMO.name)
    g.sh("sleep 2; kill -INT $(cat /tmp/root.pid); "
         "while kill -0 $(cat /tmp/root.pid) 2>/dev/null; do sleep 0.2;"
         " done")
    log = g.read("/tmp/root.log")
    assert "ivshmem-demo: peer %d state %d -> 0" % (peer, peer + 1) in log, \
        log
    assert log.splitlines()[-1] == "ivshmem-demo: setting state 0, leaving"


def command_write(dev, value):
    """The shell command that writes @value into the low byte of the
    command register of @dev (2: memory decoding)."""
    return "printf '\\%03o' | dd of=%s/config bs=1 seek=4 " \
        "conv=notrunc 2>/dev/null" % (value, dev.sysfs)


def test_bars_trapped_and_freed_while_the_cpus_run(enabled):
    """Memory decoding of the devices turned off and on 100 times, with
    uio_ivshmem unbound, while the other CPUs reprogram their timers: each
    change moves the hypervisor's table of trapped regions under the
    CPUs' accesses to the others (on x86 the LAPIC's, which a lookup once
    missed: a #GP in root Linux)."""
    g = enabled
    g.sh("rmmod uio_ivshmem")
    g.sh("for c in $(seq 1 %d); do taskset -c $c sh -c 'while :; do "
         "sleep 0.001; done' > /dev/null 2>&1 & echo $! >> /tmp/busy.pid;"
         " done" % (MACHINE.cpus - 1))
    try:
        for dev in DEVICES:
            command = int(g.sh("dd if=%s/config bs=1 skip=4 count=1 "
                               "2>/dev/null | od -An -tu1" % dev.sysfs))
            assert command & 2, command
            g.sh("for i in $(seq 100); do %s; %s; done"
                 % (command_write(dev, command & ~2),
                    command_write(dev, command)), timeout=600)
    finally:
        g.sh("kill $(cat /tmp/busy.pid); rm /tmp/busy.pid")
    assert_clean_log(g)
    bind(g)
    for dev in DEVICES:
        assert "doorbell interrupts=1 int_ctrl=1" in \
            g.sh("%s %s" % (UIO_CHECK, uio_of(g, dev)))


def test_disable_with_the_device_in_use_and_enable_again(enabled):
    g = enabled
    dev = DEVICES[0]
    # a user that keeps the device open and mapped while the host goes
    g.sh("(ivshmem-demo -n 1000000 -t 100000 %s > /tmp/demo.log 2>&1 &"
         " echo $! > /tmp/demo.pid)" % dev.address)
    g.sh("sleep 1; grep -q 'setting state %d' /tmp/demo.log"
         % (dev.dev_id + 1))
    out, status = g.disable()
    assert status == 0, out
    assert g.enabled() == 0
    assert g.sh("ls /sys/class/uio | wc -l") == "0"
    assert_no_devices(g)
    # the process learns it from poll() and read(), and leaves the
    # registers alone (a bus error now)
    g.sh("for i in $(seq 20); do kill -0 $(cat /tmp/demo.pid) 2>/dev/null"
         " || break; sleep 0.5; done; ! kill -0 $(cat /tmp/demo.pid) "
         "2>/dev/null", timeout=60)
    log = g.read("/tmp/demo.log")
    assert log.splitlines()[-1] == "ivshmem-demo: the device is gone", log
    assert_clean_log(g)

    for _ in range(3):
        g.set_enabled(True)
        # still loaded, uio_ivshmem binds the devices as they come
        for dev in DEVICES:
            assert g.sh("basename $(readlink %s/driver)" % dev.sysfs) == \
                "uio_ivshmem"
        g.sh("ivshmem-demo -n 1 %s" % DEVICES[0].address)
        g.set_enabled(False)
        assert g.sh("ls /sys/class/uio | wc -l") == "0"
    assert_clean_log(g)
    g.assert_healthy()


def bad_host_configs(linux_domain=0):
    """What a system config with a bad PCI side says; @linux_domain: a PCI
    domain of Linux's own (QEMU virt's PCIe host has 0)."""
    uart = MACHINE.uart
    cases = {
        "no ECAM": (patched(patched(DATA, SYS_PCI_IS_VIRTUAL, "<B", 0),
                            SYS_PCI_MMCONFIG_BASE, "<Q", 0),
                    "the root cell has ivshmem devices, but the system "
                    "configuration has no PCI host (pci_mmconfig_base 0)"),
    }
    if INTX or not PHYSICAL:
        # the SPIs of the INTx pins (a virtual host has them always)
        cases["interrupts"] = (
            patched(DATA, ROOT_CELL_DESC + CELL_VPCI_IRQ_BASE, "<I", 986),
            "root cell: vpci_irq_base 986 leaves no room")
    if PHYSICAL:
        cases.update({
            "no host": (patched(DATA, SYS_PCI_DOMAIN, "<H", 7),
                        "platform_info.pci_domain 7: Linux has no PCI "
                        "host with bus 0 in that domain"),
            "other ECAM": (patched(DATA, SYS_PCI_MMCONFIG_BASE, "<Q",
                                   ECAM + 0x10000000),
                           "platform_info.pci_mmconfig_base 0x%x is not "
                           "the ECAM of" % (ECAM + 0x10000000)),
            # the machine's host bridge, 00:00.0, is Linux's
            "on a device": (patched(DATA, DEVICES[0].offset +
                                    CELL_PCI_DEVICE_BDF, "<H", 0),
                            "root cell: ivshmem device %04x:00:00.0 is at "
                            "the address of a device of Linux's" % DOMAIN),
        })
        return cases
    cases.update({
        "domain": (patched(DATA, SYS_PCI_DOMAIN, "<H", linux_domain),
                   "platform_info.pci_domain %d is a PCI domain of Linux "
                   "already" % linux_domain),
        # on the UART, a device of Linux's
        "on a device": (patched(DATA, SYS_PCI_MMCONFIG_BASE, "<Q",
                                uart & ~0xfffff),
                        "platform_info.pci_mmconfig_base 0x%x: the "
                        "virtual PCI host's ECAM and BAR window"
                        % (uart & ~0xfffff)),
        # the machine's own host, but Linux has none in that domain
        "no host": (patched(DATA, SYS_PCI_IS_VIRTUAL, "<B", 0),
                    "platform_info.pci_domain %d: Linux has no PCI host "
                    "with bus 0 in that domain" % DOMAIN),
    })
    return cases


@pytest.mark.parametrize("case", sorted(bad_host_configs()))
def test_bad_host_refused_before_the_hypervisor_runs(guest, case):
    guest.set_enabled(False)
    domains = sorted({int(d.split(":")[0], 16) for d in guest.sh(
        "ls /sys/bus/pci/devices/").split()})
    if case == "domain" and not domains:
        pytest.skip("Linux has no PCI host of its own on %s" % MACHINE.name)
    data, message = bad_host_configs(*domains[:1])[case]
    path = put_config(guest, "vpci-" + case.replace(" ", "-"), data)
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.enable(path)
    assert status != 0, out
    assert guest.enabled() == 0
    log = guest.sh("dmesg")
    assert message in log, log
    # refused before the hypervisor was entered
    assert "Activating hypervisor" not in out, out
    assert_no_devices(guest)
    assert "jailhouse virtual PCI" not in guest.sh("cat /proc/iomem")
    guest.set_enabled(True)
    guest.set_enabled(False)
