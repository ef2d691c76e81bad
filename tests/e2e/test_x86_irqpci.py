# SPDX-License-Identifier: GPL-2.0
"""The root cell's PCI config space and IOAPIC under the hypervisor on the
x86 machine (Documentation/x86.md, "IOAPIC" and "PCI configuration
ports"): Linux reads config space below offset 0x100 through the ports
0xcf8/0xcfc, which trap, and above through MMCONFIG (a PCI Express
device's extended config space), which traps too; both go through the device ownership filter and must show the root its devices
as they are.  Its IOAPIC accesses trap and are filtered per pin owner:
moving an interrupt between CPUs rewrites the redirection entry, which
must take effect."""

import sys

import pytest

from conftest import JH_SYSFS, TREE, Guest
from machines import MACHINE

if str(TREE / "tools") not in sys.path:
    sys.path.insert(0, str(TREE / "tools"))

from pyjailhouse import config as cfg  # noqa: E402

pytestmark = pytest.mark.skipif(MACHINE.arch != "x86",
                                reason="the x86 machine's tests")

DEVICES = "/sys/bus/pci/devices"
# COM1, the console the tests talk over: its interrupts come with every
# command
UART_IRQ = 4


def config_sums(guest):
    """The md5sum of each device's config space (256 bytes: the q35
    machine's devices are PCI ones)."""
    out = guest.sh("for d in %s/*; do echo sum $(basename $d)"
                   " $(md5sum < $d/config | cut -d' ' -f1); done" % DEVICES)
    # kernel messages may come in between
    return dict(line.split()[1:] for line in out.splitlines()
                if line.startswith("sum ") and len(line.split()) == 3)


def root_ivshmem_functions():
    """The functions the hypervisor adds for the root: its ivshmem
    devices, as Linux names them."""
    root = cfg.load(str(MACHINE.sysconfig_path)).root_cell
    return {"%04x:%02x:%02x.%x" % (d.domain, d.bdf >> 8, d.bdf >> 3 & 0x1f,
                                   d.bdf & 7)
            for d in root.pci_devices if d.type == cfg.PCI_TYPE_IVSHMEM}


def test_config_space_through_the_ports(guest):
    guest.set_enabled(False)
    before = config_sums(guest)
    assert before, "no PCI devices"
    guest.set_enabled(True)
    pio = guest.stat("vmexits_pio")
    after = config_sums(guest)
    # the machine's functions as they were, and the root's ivshmem ones
    assert {bdf: after[bdf] for bdf in before if bdf in after} == before
    assert set(after) - set(before) == root_ivshmem_functions()
    # each dword: CONFIG_ADDRESS, then CONFIG_DATA
    assert guest.stat("vmexits_pio") - pio >= 2 * 64 * len(after)


@pytest.fixture
def pcie_guest(request, initramfs):
    """A guest with a PCI Express device at 00:03.0 (where the root's
    config has virtio-net; its BARs differ, which does not matter here),
    whose extended config space (0x100 on) Linux reads through MMCONFIG."""
    g = Guest(request.node.name, initramfs, MACHINE.qemu_args,
              qemu_extra=["-device", "e1000e,bus=pcie.0,addr=0x3"])
    request.addfinalizer(g.stop)
    g.start()
    return g


def test_config_space_through_mmconfig(pcie_guest):
    guest = pcie_guest
    path = DEVICES + "/0000:00:03.0/config"
    # the header but the BARs (0x10-0x27), through the ports; the rest,
    # extended config space, through MMCONFIG
    dump = ("(dd if=%s bs=4 count=4; dd if=%s bs=4 skip=10 count=54;"
            " dd if=%s bs=256 skip=1) 2>/dev/null | md5sum" % ((path,) * 3))
    guest.set_enabled(False)
    assert guest.sh("stat -c %%s %s" % path) == "4096"
    before = guest.sh(dump)
    guest.set_enabled(True)
    mmio = guest.stat("vmexits_mmio")
    assert guest.sh(dump) == before
    # a read of each dword from 0x100 on
    assert guest.stat("vmexits_mmio") - mmio >= (4096 - 256) // 4
    guest.set_enabled(False)


def test_lspci_style_reads(guest):
    """Byte, word and dword reads at odd places, as lspci makes them."""
    guest.set_enabled(True)
    dev = guest.sh("ls %s | head -1" % DEVICES)
    path = "%s/%s/config" % (DEVICES, dev)
    whole = guest.sh("od -A n -t x1 -v -N 64 %s" % path).split()
    for skip, count in ((0, 1), (2, 2), (3, 1), (0x0e, 1), (0x10, 4)):
        part = guest.sh("dd if=%s bs=1 skip=%d count=%d 2>/dev/null"
                        " | od -A n -t x1 -v" % (path, skip, count))
        assert part.split() == whole[skip:skip + count]


def test_interrupt_moves_between_cpus(guest):
    """/proc/irq/N/smp_affinity makes Linux rewrite the IOAPIC entry of
    the UART's pin (destination): through the filter, the interrupts then
    arrive at each CPU in turn."""
    guest.set_enabled(True)
    mark = guest.mark()
    mmio = guest.stat("vmexits_mmio")
    try:
        for cpu in range(MACHINE.cpus):
            guest.sh("echo %x > /proc/irq/%d/smp_affinity"
                     % (1 << cpu, UART_IRQ))
            before = guest.interrupts()["ttyS0"][cpu]
            # output and the shell's input: UART interrupts
            guest.sh("seq 1 50")
            assert guest.interrupts()["ttyS0"][cpu] > before, \
                "no UART interrupt on CPU %d" % cpu
    finally:
        guest.sh("echo %x > /proc/irq/%d/smp_affinity"
                 % ((1 << MACHINE.cpus) - 1, UART_IRQ))
    assert guest.stat("vmexits_mmio") > mmio
    assert "IOAPIC" not in guest.output_since(mark)
    guest.assert_healthy()


def test_disable(guest):
    guest.set_enabled(False)
    assert guest.read(JH_SYSFS + "/enabled") == "0"
    guest.assert_healthy()
