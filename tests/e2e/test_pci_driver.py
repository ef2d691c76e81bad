# SPDX-License-Identifier: GPL-2.0
"""Issue 10, PCI device assignment, root Linux's side (driver/assign.c):
the Linux demo cell's network card 00:02.0 leaves Linux at "cell create"
and comes back, its driver bound again, when the cell is destroyed, when
the hypervisor refuses the cell, and when "jailhouse disable" destroys
it.  The driver refuses, before Linux lets go of anything, a card whose
INTx SPI the cell does not own, or that shares it with a device staying
in the root (an e1000 at 00:06.0, without its driver in the initramfs:
slot 6 swizzles to the same SPI as slot 2; listed in the root's config
for that test), or a device that the hypervisor hides from the root (the
e1000, not in the shipped root config), each with the reason in the
kernel log.  The cell is created
only, not booted: test_pci_assign.py boots Linux on the card."""

import sys

import pytest

from cells import cell_ids, destroy, put_config
from conftest import TREE, Guest, kernel_trouble, sysconfig_bytes
from linuxcell import CONFIG, NAME, VIRTIO
from machines import MACHINE

sys.path.insert(0, str(TREE / "tools"))
from pyjailhouse import config as cfg  # noqa: E402

pytestmark = pytest.mark.skipif(not VIRTIO, reason="no PCIe host on "
                                "the ZCU102 model")

NIC = "0000:00:02.0"
SHARER = "0000:00:06.0"
# pin 1 of slot 2 (and of slot 6) on QEMU virt's host: SPI 5
NIC_SPI = 5
DEMO_CELL = TREE / "configs/arm64/qemu-arm64-linux-demo.cell"


def sysfs(dev):
    return "/sys/bus/pci/devices/" + dev


def present(guest, dev):
    return guest.sh("test -e %s && echo yes || echo no" % sysfs(dev)) == \
        "yes"


def driver(guest, dev):
    return guest.sh("basename $(readlink %s/driver)" % sysfs(dev))


def demo_config(change):
    """The Linux demo cell's config with @change(cell) applied."""
    cell, _ = cfg.parse(DEMO_CELL.read_bytes())
    change(cell)
    return cell.pack()


def without_nic_spi(cell):
    chip = cell.irqchips[0]
    chip.set_interrupts([irq for irq in chip.interrupts()
                         if irq != 32 + NIC_SPI])


def with_wrong_bar4(cell):
    for dev in cell.pci_devices:
        if dev.type == cfg.PCI_TYPE_DEVICE:
            dev.bar_mask[4] = 0xffffe000


def with_sharer(cell):
    cell.pci_devices.append(cfg.PciDevice(type=cfg.PCI_TYPE_DEVICE,
                                          domain=0, bdf=0x30))


def sharing_sysconfig():
    """The system config whose root has the e1000 too (its BARs hidden:
    bar_mask 0)."""
    system, _ = cfg.parse(sysconfig_bytes())
    with_sharer(system.root_cell)
    return system.pack()


@pytest.fixture(scope="module")
def module_guest(request, initramfs):
    """An e1000 at 00:06.0 beside the card, whose INTx is the card's
    SPI."""
    g = Guest("test_pci_driver", initramfs, MACHINE.qemu_args,
              ["-device", "e1000,addr=6,romfile="])
    request.addfinalizer(g.stop)
    g.start()
    return g


@pytest.fixture
def root(cell_guest):
    """Enabled, no cell, the card in Linux with its driver."""
    g = cell_guest
    g.sh("dmesg -c > /dev/null")
    assert driver(g, NIC) == "virtio-pci"
    return g


def assert_clean(guest):
    trouble = kernel_trouble(guest.sh)
    assert not trouble, trouble


def refused(guest, path, message):
    """"cell create" fails with @message in the kernel log; nothing
    changed: the card in Linux, no cell."""
    out, status = guest.run("jailhouse cell create " + path)
    assert status != 0, out
    log = guest.sh("dmesg")
    assert message in log, log
    assert "leaves Linux" not in log, log
    assert cell_ids(guest) == [0]
    assert driver(guest, NIC) == "virtio-pci"


def test_refused_when_the_cell_lacks_the_spi(root):
    path = put_config(root, "no-nic-spi", demo_config(without_nic_spi))
    refused(root, path, 'cell "%s": PCI device %s raises interrupt %d '
            "(SPI %d), which is not in the cell's irqchip bitmap"
            % (NAME, NIC, 32 + NIC_SPI, NIC_SPI))


def test_refused_when_a_root_device_shares_the_spi(root):
    path = put_config(root, "root-with-e1000", sharing_sysconfig())
    root.set_enabled(False)
    try:
        root.sh("dmesg -c > /dev/null")
        out, status = root.enable(path)
        assert status == 0, out
        assert "is not in the root cell's config" not in \
            root.sh("dmesg -c"), out
        refused(root, CONFIG, 'cell "%s": PCI device %s raises interrupt '
                "%d (SPI %d), like %s, which stays with Linux"
                % (NAME, NIC, 32 + NIC_SPI, NIC_SPI, SHARER))
    finally:
        root.set_enabled(False)
        root.set_enabled(True)
    assert_clean(root)


def test_enable_warns_of_hidden_devices(root):
    """Linux's e1000, which the root's config does not list."""
    root.set_enabled(False)
    root.sh("dmesg -c > /dev/null")
    root.set_enabled(True)
    log = root.sh("dmesg")
    assert "jailhouse: PCI device %s is not in the root cell's config: the " \
        "hypervisor hides it from Linux\n" % SHARER in log + "\n", log
    assert log.count("is not in the root cell's config") == 1, log


def test_refused_when_the_root_does_not_see_the_device(root):
    path = put_config(root, "hidden-e1000", demo_config(with_sharer))
    refused(root, path, 'cell "%s": PCI device %s is not the root cell\'s: '
            "the hypervisor hides it from Linux" % (NAME, SHARER))
    assert present(root, SHARER)


def test_leaves_and_comes_back(root):
    root.sh("dmesg -c > /dev/null")
    for _ in range(3):
        root.sh("jailhouse cell create " + CONFIG)
        assert not present(root, NIC)
        # what Linux sees there now: nothing (the hypervisor's all-ones)
        root.sh("echo 1 > /sys/bus/pci/rescan")
        assert not present(root, NIC)
        destroy(root, NAME)
        assert driver(root, NIC) == "virtio-pci"
    log = root.sh("dmesg")
    assert log.count('cell "%s": PCI device %s leaves Linux'
                     % (NAME, NIC)) == 3, log
    assert log.count('cell "%s": PCI device %s is back in Linux'
                     % (NAME, NIC)) == 3, log
    assert_clean(root)


def test_back_when_the_hypervisor_refuses(root):
    """The hypervisor sizes BAR 4 (16 KiB) against a mask of 8 KiB."""
    root.sh("dmesg -c > /dev/null")
    path = put_config(root, "wrong-bar4", demo_config(with_wrong_bar4))
    out, status = root.run("jailhouse cell create " + path)
    assert status != 0, out
    assert cell_ids(root) == [0]
    log = root.sh("dmesg")
    assert "PCI device %s leaves Linux" % NIC in log, log
    assert "PCI device %s is back in Linux" % NIC in log, log
    assert driver(root, NIC) == "virtio-pci"
    assert_clean(root)


def test_back_when_disable_destroys_the_cell(root):
    root.sh("jailhouse cell create " + CONFIG)
    assert not present(root, NIC)
    out, status = root.disable()
    assert status == 0, out
    assert driver(root, NIC) == "virtio-pci"
    root.set_enabled(True)
    assert driver(root, NIC) == "virtio-pci"
    assert_clean(root)
