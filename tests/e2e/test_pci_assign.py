# SPDX-License-Identifier: GPL-2.0
"""Issue 10, PCI device assignment (Documentation/pci.md): QEMU virt's
virtio network card 00:02.0 on its PCIe host (scripts/qemu-run.sh adds
it) moves from the root to the Linux demo cell, whose stock virtio_pci and
virtio_net drive it on INTx; the cell pings the root over it (the root's
own virtio-mmio card is on the same QEMU hub, -n).  While the cell has
it, the root finds nothing at 00:02.0 when it scans the bus.  After
"cell destroy" the root has it back, its driver bound again.  Not on the
ZCU102 model, which has no PCIe host."""

import re
import sys

import pytest

from cells import (DEMO, create, destroy, inmate_test, load, put_config,
                   start)
from conftest import TREE, kernel_trouble, logs, with_linux_cell
from linuxcell import (CMDLINE, CONFIG, HELLO, NAME, PROMPT, VIRTIO,
                       boot_guest, open_console)
from machines import MACHINE

sys.path.insert(0, str(TREE / "tools"))
from pyjailhouse import config as cfg  # noqa: E402

pytestmark = pytest.mark.skipif(not VIRTIO, reason="no PCIe host on "
                                "the ZCU102 model")

NIC = "0000:00:02.0"
NIC_DIR = "/sys/bus/pci/devices/" + NIC
# where root Linux puts its BAR 4, and its INTx (pin 1 of slot 2: SPI 5)
NIC_BAR4 = 0x8000000000
NIC_IRQ = 32 + 5
ROOT_IP = "10.0.1.1"
CELL_IP = "10.0.1.2"


@pytest.fixture(scope="module")
def linux_initramfs(initramfs):
    return with_linux_cell(initramfs, logs() / "pci-assign")


@pytest.fixture(scope="module")
def console(request):
    return open_console(request, logs() / "pci-assign" / "console.sock",
                        "test_pci_assign-cell.log")


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs, console):
    # -n: the root's virtio-mmio card, on the PCI card's QEMU hub
    return boot_guest(request, "test_pci_assign", linux_initramfs, console,
                      ["-n"])


def nic_iface(run):
    """The interface of the PCI card, in the root or the cell."""
    out = run("ls %s/virtio*/net" % NIC_DIR)
    assert re.fullmatch(r"\w+", out), out
    return out


def mmio_iface(guest):
    """The root's virtio-mmio network interface."""
    out = guest.sh("for d in /sys/bus/virtio/drivers/virtio_net/virtio*; "
                   "do case $(readlink -f $d) in *pci*) ;; *) ls $d/net;; "
                   "esac; done")
    assert re.fullmatch(r"\w+", out), out
    return out


def up(run, iface, ip):
    run("ip addr flush dev %s && ip addr add %s/24 dev %s && "
        "ip link set %s up" % (iface, ip, iface, iface))


def boot_cell(guest, console):
    mark = console.mark()
    cmdline = "" if CMDLINE is None else " -c '%s'" % CMDLINE
    guest.sh("jailhouse cell linux %s /root/Image -i /root/cell-initrd.cpio.gz"
             "%s" % (CONFIG, cmdline), timeout=300)
    console.wait(guest, HELLO, mark)
    console.wait(guest, PROMPT, mark)
    return lambda cmd, timeout=120: console.run(guest, cmd, timeout)


def test_card_moves_to_the_cell_and_back(cell_guest, console):
    g = cell_guest
    # the root has the card, its driver bound
    assert g.sh("cat %s/vendor %s/device" % (NIC_DIR, NIC_DIR)) == \
        "0x1af4\n0x1000"
    nic_iface(g.sh)
    root_if = mmio_iface(g)
    up(g.sh, root_if, ROOT_IP)

    cell = boot_cell(g, console)
    # gone from the root, which finds nothing there (all-ones) when it
    # scans the bus again
    g.sh("! test -e %s" % NIC_DIR)
    g.sh("echo 1 > /sys/bus/pci/rescan")
    g.sh("! test -e %s" % NIC_DIR)

    # the cell's Linux drives it with its stock drivers, on INTx
    assert cell("cat %s/vendor %s/device" % (NIC_DIR, NIC_DIR)) == \
        "0x1af4\n0x1000"
    assert cell("basename $(readlink %s/driver)" % NIC_DIR) == "virtio-pci"
    cell_if = nic_iface(cell)
    up(cell, cell_if, CELL_IP)
    out = cell("ping -c 5 -W 10 %s" % ROOT_IP, timeout=120)
    assert "5 packets transmitted, 5 packets received" in out, out
    out = g.sh("ping -c 5 -W 10 %s" % CELL_IP, timeout=120)
    assert "5 packets transmitted, 5 packets received" in out, out
    # its INTx, level-triggered, counted on the cell's two CPUs
    irqs = cell("grep -E ' %d Level ' /proc/interrupts" % NIC_IRQ)
    assert sum(int(n) for n in irqs.split()[1:3]) > 0, irqs
    trouble = kernel_trouble(cell)
    assert not trouble, trouble

    destroy(g, NAME)
    # back in the root, its driver bound again, its interface usable
    g.sh("test -e %s" % NIC_DIR)
    assert g.sh("basename $(readlink %s/driver)" % NIC_DIR) == "virtio-pci"
    iface = nic_iface(g.sh)
    g.sh("ip link set %s up && ip link set %s down" % (iface, iface))
    g.assert_healthy()


def attack_config():
    """The first demo cell with the card: its BAR 4 as I/O memory, its
    INTx (SPI 5), BAR 0 and the MSI-X table hidden."""
    cell, _ = cfg.parse(DEMO.data())
    cell.memory_regions.append(cfg.Memory(
        phys_start=NIC_BAR4, virt_start=NIC_BAR4, size=0x4000,
        flags=cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_IO))
    cell.pci_devices.append(cfg.PciDevice(
        type=cfg.PCI_TYPE_DEVICE, domain=0, bdf=0x10,
        bar_mask=[0, 0, 0, 0, 0xffffc000, 0xffffffff]))
    chip = cell.irqchips[0]
    chip.set_interrupts(chip.interrupts() + [NIC_IRQ])
    return cell.pack()


def test_cell_keeps_to_its_card(cell_guest):
    """A bare-metal cell with the card (inmates/tests/pci-assign.c) cannot
    see other functions, hidden BARs or the ROM, cannot make the card
    decode outside its I/O memory, change read-only fields or enable
    MSI-X; what it may do works.  The root gets the card back."""
    g = cell_guest
    path = put_config(g, "pci-assign", attack_config())
    create(g, DEMO, path)
    load(g, DEMO.name, inmate_test("pci-assign"),
         "vendor=0x1af4 device=0x1000 bar=4 outside=0x10000000")
    mark = start(g, DEMO.name)
    out = g.wait_output(r"TEST pci-assign: result done", mark, timeout=60)
    got = dict(re.findall(r"TEST pci-assign: result (\S+) (\S+)", out))
    assert got["other-function"] == "0xffffffff"
    assert got["hidden-bars"] == "0x0"
    assert got["bar-placed"] == "0x%x" % NIC_BAR4
    assert int(got["decode-on"], 16) & 0x2
    assert got["bar-move-live"] == "0x%x" % NIC_BAR4
    assert not int(got["decode-outside"], 16) & 0x2
    assert got["subsystem"] == "0x11af4"
    assert got["header-type"] == "0x0"
    if MACHINE.gic_version == 2:
        assert not int(got["msix-enable"], 16) & 0x8000
    else:
        assert got["msix-enable"] == "none"
    assert int(got["master"], 16) == 0x4
    # the move is refused for each half of the BAR; the first refused
    # write (the ROM's) is reported
    for refusal in (r"BAR 4 at 0x8010000000 is not I/O memory of the "
                    r"cell, not moved",
                    r"BAR 4 at 0x10000000 is not I/O memory of the cell, "
                    r"memory decoding stays off",
                    r"config write at 0x30 ignored"):
        assert re.search(refusal, g.output_since(mark, strip=False)), out

    destroy(g, DEMO.name)
    g.sh("test -e %s" % NIC_DIR)
    assert g.sh("basename $(readlink %s/driver)" % NIC_DIR) == "virtio-pci"
    g.assert_healthy()
