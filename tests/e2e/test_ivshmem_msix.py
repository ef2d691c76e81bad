# SPDX-License-Identifier: GPL-2.0
"""Issue 10, MSI-X of ivshmem devices (Documentation/ivshmem.md, "MSI-X"):
the Linux demo cell's end of the virtual Ethernet link on MSI-X, the
root's on INTx, as shipped; the test gives the cell's device a second
vector (the shipped config has one) and makes sure of its two MSI SPIs
after its INTx ones.

"jailhouse cell linux" gives the cell its MSI controller (GICv3: the
distributor, mbi-ranges; GICv2: the hypervisor's virtual GICv2m frame in
the page below the ECAM); ivshmem_net in the cell takes MSI-X vector 0,
whose message names that frame and one of the cell's MSI SPIs; the
interfaces ping both ways.  With the root's driver unbound, the root's
end rings the cell's vector 1 through /dev/mem: masked (Linux uses one
vector), it stays pending in the PBA, and is delivered once the cell
programs and unmasks it; programmed with an SPI of the root, it is not
delivered, and the hypervisor says so once.

Not on the ZCU102 model, whose shipped configs keep INTx."""

import re
import sys

import pytest

from cells import CellConfig, destroy, put_config
from conftest import TREE, kernel_trouble, logs, with_linux_cell
from linuxcell import (CMDLINE, HELLO, NAME, PROMPT, boot_guest,
                       open_console)
from machines import MACHINE

if str(TREE / "tools") not in sys.path:
    sys.path.insert(0, str(TREE / "tools"))

from pyjailhouse import config as cfg  # noqa: E402

if MACHINE.name == "zcu102":
    pytest.skip("the ZCU102 configs keep INTx", allow_module_level=True)

DRIVER = "/sys/bus/pci/drivers/ivshmem_net"
LINUX_DEMO = CellConfig("qemu-arm64-linux-demo.cell")
ROOT_IP, CELL_IP = "10.0.0.1", "10.0.0.2"
# include/jailhouse/ivshmem.h, PCI: the register page's doorbell, the
# MSI-X table's entries and the pending bits in BAR 1
REG_DOORBELL = 0x0c
ENTRY_SIZE, ADDR_LO, ADDR_HI, DATA, CTRL = 16, 0, 4, 8, 12
PBA = 0x800
VECTORS = 2
SYSTEM = cfg.load(str(MACHINE.sysconfig_path))
# the cell's messages go to its MSI frame's doorbell
if SYSTEM.platform.gic_version == 3:
    MSI_ADDRESS = SYSTEM.platform.gicd_base + 0x40
else:
    MSI_ADDRESS = SYSTEM.pci_mmconfig_base - cfg.VPCI_MSI_FRAME_SIZE + 0x40
# an SPI of the root: the UART's (SPI 1)
ROOT_SPI = 32 + 1


def msix_config():
    """The demo with VECTORS MSI-X vectors on its virtual Ethernet device,
    and two MSI SPIs; (its bytes, the INTID of its first MSI SPI)."""
    cell, _ = cfg.parse(LINUX_DEMO.data())
    dev = [d for d in cell.pci_devices
           if d.shmem_protocol == cfg.SHMEM_PROTO_VETH][0]
    dev.num_msix_vectors = VECTORS
    dev.bar_mask = cfg.IVSHMEM_BAR_MASKS["msix"]
    first = 32 + cell.vpci_irq_base + cfg.VPCI_MSI_FIRST
    chip = cell.irqchips[0]
    chip.set_interrupts(sorted(set(chip.interrupts()) |
                               {first, first + 1}))
    return cell.pack(), first


@pytest.fixture(scope="module")
def linux_initramfs(initramfs):
    return with_linux_cell(initramfs, logs() / "ivshmem-msix")


@pytest.fixture(scope="module")
def console(request):
    return open_console(request, logs() / "ivshmem-msix" / "console.sock",
                        "test_ivshmem_msix-cell.log")


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs, console):
    return boot_guest(request, "test_ivshmem_msix", linux_initramfs,
                      console)


def cell_sh(guest, console, cmd):
    return console.run(guest, cmd, timeout=120)


def wait_carrier(run, iface, value):
    path = "/sys/class/net/%s/carrier" % iface
    out = run("n=0; while [ \"$(cat %s)\" != %d ] && [ $n -lt 150 ]; do "
              "sleep 0.2; n=$((n + 1)); done; cat %s" % (path, value, path))
    assert out.splitlines()[-1:] == [str(value)], out


def iface_up(run, ip):
    dev = run("ls %s | grep :" % DRIVER)
    iface = run("ls %s/%s/net" % (DRIVER, dev))
    run("ip addr flush dev %s && ip addr add %s/24 dev %s && "
        "ip link set %s up" % (iface, ip, iface, iface))
    return dev, iface


def ping(run, ip):
    out = run("ping -c 3 -W 10 %s" % ip)
    assert "3 packets transmitted, 3 packets received" in out, out


def interrupts(run, iface):
    """How often the cell's interrupt of @iface came, on all CPUs (the
    columns after the number, one per CPU)."""
    cpus = len(run("head -1 /proc/interrupts").split())
    line = run("grep ' %s$' /proc/interrupts" % iface).split()
    return sum(int(n) for n in line[1:1 + cpus])


def test_msix_end_to_end(cell_guest, console):
    g = cell_guest
    data, first = msix_config()
    path = put_config(g, "linux-demo-msix", data)
    g.sh("modprobe ivshmem_net")
    root_dev, root_iface = iface_up(g.sh, ROOT_IP)
    assert "(INTx)" in g.sh("dmesg | grep '%s: peer 0'" % root_iface)

    mark = console.mark()
    g.sh("jailhouse cell linux %s /root/Image -i /root/cell-initrd.cpio.gz "
         "-c '%s'" % (path, CMDLINE), timeout=300)
    console.wait(g, HELLO, mark)
    console.wait(g, PROMPT, mark)

    def cell(cmd):
        return cell_sh(g, console, cmd)

    dev, iface = iface_up(cell, CELL_IP)
    assert "(MSI-X)" in cell("dmesg | grep '%s: peer 1'" % iface)
    wait_carrier(cell, iface, 1)
    wait_carrier(g.sh, root_iface, 1)
    ping(cell, ROOT_IP)
    ping(g.sh, CELL_IP)

    # vector 0 as Linux programmed it: the frame, an MSI SPI of the cell
    table = int(cell("cut -d' ' -f1 /sys/bus/pci/devices/%s/resource | "
                     "sed -n 2p" % dev), 16)

    def word(addr):
        return int(cell("devmem 0x%x 32" % addr), 16)

    address = word(table + ADDR_LO) | word(table + ADDR_HI) << 32
    assert address == MSI_ADDRESS
    spi = word(table + DATA)
    assert first <= spi < first + 2
    # vector 1: unused, masked
    vec1 = table + ENTRY_SIZE
    assert word(vec1 + CTRL) & 1

    # the root's end through /dev/mem rings the cell's vector 1
    regs = int(g.sh("cut -d' ' -f1 /sys/bus/pci/devices/%s/resource | "
                    "head -1" % root_dev), 16)
    g.sh("echo %s > %s/unbind" % (root_dev, DRIVER))
    wait_carrier(cell, iface, 0)
    before = interrupts(cell, iface)
    g.sh("devmem 0x%x 32 0x%x" % (regs + REG_DOORBELL, 1 << 16 | 1))
    assert word(table + PBA) & 0b10
    assert interrupts(cell, iface) == before

    # programmed with vector 0's message and unmasked: delivered
    for off, value in ((ADDR_LO, address & 0xffffffff),
                       (ADDR_HI, address >> 32), (DATA, spi), (CTRL, 0)):
        cell("devmem 0x%x 32 0x%x" % (vec1 + off, value))
    assert word(table + PBA) & 0b10 == 0
    assert interrupts(cell, iface) == before + 1

    # with an SPI of the root: not delivered, said once
    hv_mark = g.mark()
    cell("devmem 0x%x 32 0x%x" % (vec1 + DATA, ROOT_SPI))
    g.sh("devmem 0x%x 32 0x%x" % (regs + REG_DOORBELL, 1 << 16 | 1))
    g.sh("devmem 0x%x 32 0x%x" % (regs + REG_DOORBELL, 1 << 16 | 1))
    assert interrupts(cell, iface) == before + 1
    said = g.output_since(hv_mark)
    assert len(re.findall(r"MSI-X vector 1: message 0x%x/0x%x names no "
                          r"interrupt of the cell, not delivered "
                          r"\(reported once\)"
                          % (address, ROOT_SPI), said)) == 1, said

    # vector 1 masked again, the root's driver back: the link as before
    cell("devmem 0x%x 32 1" % (vec1 + CTRL))
    g.sh("echo %s > %s/bind" % (root_dev, DRIVER))
    # bound again, the root's interface may have another name
    _, root_iface = iface_up(g.sh, ROOT_IP)
    wait_carrier(g.sh, root_iface, 1)
    wait_carrier(cell, iface, 1)
    ping(g.sh, CELL_IP)
    trouble = kernel_trouble(cell)
    assert not trouble, trouble
    destroy(g, NAME)
    g.assert_healthy()
