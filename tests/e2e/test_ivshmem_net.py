# SPDX-License-Identifier: GPL-2.0
"""Issue 10, the virtual Ethernet (Documentation/ivshmem-net.md): the
ivshmem link of protocol 1 between the root and the Linux demo cell
(device 00:01.0 on the virtual PCI host of both), ivshmem_net.ko bound to
it on each side.  Both get an interface, 10.0.0.1/24 and 10.0.0.2/24,
that pings both ways and carries a few MiB through busybox's nc in each
direction with the same checksum at both ends; the link follows the
cell's life (destroyed: the root's carrier off; booted again: the link
back), the root's driver taken away and back, the interface down and up,
and "jailhouse disable" with the link up; a peer that breaks the protocol
(the root's end played through /dev/mem) restarts the cell's end of the
link, which waits for it and comes back with the driver; no oops or
warning anywhere.

The cell boots as in test_linux_cell.py, with its own console on a socket
(scripts/qemu-run.sh -L); its initramfs loads the cell kernel's
ivshmem_net.ko (scripts/mkcellinitramfs.sh)."""

import re

import pytest

from cells import cell_id, destroy, wait_state
from conftest import kernel_trouble, logs, sysconfig, with_linux_cell
from linuxcell import (CMDLINE, CONFIG, HELLO, NAME, PROMPT, boot_guest,
                       open_console)

ROOT_IP = "10.0.0.1"
CELL_IP = "10.0.0.2"
DRIVER = "/sys/bus/pci/drivers/ivshmem_net"
# the device's class: ivshmem (0xff) of protocol 1, virtual Ethernet
CLASS = "0xff0001"
# What Linux prints when it hits a bug or warns of one.
# bytes sent each way, in 64 KiB blocks
BLOCKS = 64
# the ivshmem device's vendor capability (include/jailhouse/ivshmem.h):
# where the link's shared memory starts, the state table's size, the
# read/write section's; and the register page's state register
CAP_ADDRESS = 0x40 + 0x18
CAP_STATE_TAB_SZ = 0x40 + 0x04
CAP_RW_SECTION_SZ = 0x40 + 0x08
REG_STATE = 0x10
# include/jailhouse/ivshmem-net.h: the output section's header (tx_head
# at 0, rx_tail at 0x40), the ring's offset, the states
RX_TAIL = 0x40
RING_OFFSET = 0x1000
INIT, READY, RUN = 1, 2, 3


@pytest.fixture(scope="module")
def linux_initramfs(initramfs):
    return with_linux_cell(initramfs, logs() / "ivshmem-net")


@pytest.fixture(scope="module")
def console(request):
    return open_console(request, logs() / "ivshmem-net" / "console.sock",
                        "test_ivshmem_net-cell.log")


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs, console):
    return boot_guest(request, "test_ivshmem_net", linux_initramfs, console)


class Side:
    """One end of the link: a shell (the root's console or the cell's)
    and its interface."""

    def __init__(self, name, run, ip):
        self.name = name
        self.run = run
        self.ip = ip
        self.iface = None

    def find_iface(self):
        """The interface of the one device ivshmem_net is bound to."""
        devs = self.run("ls %s | grep :" % DRIVER).split()
        assert len(devs) == 1, "%s: %s" % (self.name, devs)
        assert self.run("cat %s/%s/class" % (DRIVER, devs[0])) == CLASS
        self.iface = self.run("ls %s/%s/net" % (DRIVER, devs[0]))
        assert re.fullmatch(r"\w+", self.iface), self.iface
        return self.iface

    def up(self):
        self.find_iface()
        self.run("ip addr flush dev %s && ip addr add %s/24 dev %s && "
                 "ip link set %s up" % (self.iface, self.ip, self.iface,
                                        self.iface))

    def carrier(self, value, tries=150):
        """Wait (up to 30 s) until the interface's carrier is @value."""
        path = "/sys/class/net/%s/carrier" % self.iface
        out = self.run("n=0; while [ \"$(cat %s)\" != %d ] && "
                       "[ $n -lt %d ]; do sleep 0.2; n=$((n + 1)); done; "
                       "cat %s" % (path, value, tries, path), timeout=120)
        # the last line: a kernel message may come before it
        assert out.splitlines()[-1:] == [str(value)], \
            "%s: carrier %s" % (self.name, out)

    def stat(self, name):
        return int(self.run("cat /sys/class/net/%s/statistics/%s"
                            % (self.iface, name)))

    def ping(self, peer):
        out = self.run("ping -c 5 -W 10 %s" % peer.ip, timeout=120)
        assert "5 packets transmitted, 5 packets received" in out, out

    def links(self, what):
        """How often the driver said "link up" or "link down"."""
        return int(self.run("dmesg | grep -c '%s: link %s' || true"
                            % (self.iface, what)))

    def dmesg_clean(self):
        trouble = kernel_trouble(self.run)
        assert not trouble, trouble


def root_side(guest):
    return Side("root", lambda cmd, timeout=120: guest.sh(cmd, timeout),
                ROOT_IP)


def cell_side(guest, console):
    return Side("cell", lambda cmd, timeout=120:
                console.run(guest, cmd, timeout), CELL_IP)


def boot_cell(guest, console):
    """jailhouse cell linux; once the cell's shell answers, its end of
    the link up with its address.  Returns the cell's side."""
    mark = console.mark()
    cmdline = "" if CMDLINE is None else " -c '%s'" % CMDLINE
    guest.sh("jailhouse cell linux %s /root/Image -i /root/cell-initrd.cpio.gz"
             "%s" % (CONFIG, cmdline), timeout=300)
    console.wait(guest, HELLO, mark)
    console.wait(guest, PROMPT, mark)
    cell = cell_side(guest, console)
    cell.up()
    return cell


def transfer(sender, receiver, port):
    """BLOCKS * 64 KiB of random bytes from @sender to @receiver through
    busybox's nc, the checksum compared at both ends."""
    receiver.run("mkdir -p /tmp && rm -f /tmp/net.in /tmp/net.done && "
                 "{ (nc -l -p %d > /tmp/net.in; echo done > /tmp/net.done) "
                 "> /dev/null 2>&1 & }" % port)
    sent = sender.run("dd if=/dev/urandom of=/tmp/net.out bs=64k count=%d "
                      "2>/dev/null && md5sum < /tmp/net.out" % BLOCKS)
    # the listener may not listen yet: a refused connection comes again
    sender.run("n=0; until nc %s %d < /tmp/net.out; do n=$((n + 1)); "
               "[ $n -lt 20 ] || break; sleep 0.5; done"
               % (receiver.ip, port), timeout=300)
    out = receiver.run("n=0; while [ ! -f /tmp/net.done ] && [ $n -lt 300 ]; "
                       "do sleep 0.2; n=$((n + 1)); done; "
                       "wc -c < /tmp/net.in; md5sum < /tmp/net.in",
                       timeout=120)
    assert out.split("\n") == [str(BLOCKS * 65536), sent], out


@pytest.fixture
def net_guest(cell_guest):
    """The hypervisor enabled, ivshmem_net loaded in the root and its end
    of the link up, no carrier yet: the cell is not there."""
    guest = cell_guest
    guest.sh("modprobe ivshmem_net")
    root = root_side(guest)
    root.up()
    root.carrier(0)
    return guest, root


def test_ping_and_transfer(net_guest, console):
    """Both sides get an interface; ping and nc both ways; the cell
    destroyed takes the root's carrier, a new cell brings the link back."""
    guest, root = net_guest
    ups, downs = root.links("up to peer 1"), root.links("down")
    cell = boot_cell(guest, console)
    cell.carrier(1)
    root.carrier(1)
    assert root.links("up to peer 1") == ups + 1
    assert cell.links("up to peer 0") == 1

    cell.ping(root)
    root.ping(cell)
    transfer(root, cell, 5000)
    transfer(cell, root, 5001)
    for side in (root, cell):
        assert side.stat("tx_packets") > BLOCKS
        assert side.stat("rx_packets") > BLOCKS
        for counter in ("rx_errors", "tx_errors", "rx_dropped",
                        "tx_dropped"):
            assert side.stat(counter) == 0, (side.name, counter)
    cell.dmesg_clean()

    destroy(guest, NAME)
    root.carrier(0)
    assert root.links("down") == downs + 1

    cell = boot_cell(guest, console)
    cell.carrier(1)
    root.carrier(1)
    root.ping(cell)
    cell.ping(root)
    assert root.links("up to peer 1") == ups + 2
    destroy(guest, NAME)
    root.carrier(0)
    root.dmesg_clean()


def test_ends_going_and_coming(net_guest, console):
    """The root's interface down and up, its driver unloaded and loaded
    again: the cell's carrier follows; "jailhouse disable" with the link
    up takes the cell and the root's device, "enable" brings the device
    back with ivshmem_net bound."""
    guest, root = net_guest
    cell = boot_cell(guest, console)
    cell.carrier(1)
    root.carrier(1)

    guest.sh("ip link set %s down" % root.iface)
    cell.carrier(0)
    guest.sh("ip link set %s up" % root.iface)
    cell.carrier(1)
    root.carrier(1)
    cell.ping(root)

    guest.sh("rmmod ivshmem_net")
    cell.carrier(0)
    guest.sh("modprobe ivshmem_net")
    root.up()
    root.carrier(1)
    cell.carrier(1)
    root.ping(cell)

    # the cell's interface down: the root's carrier goes, and comes back
    cell.run("ip link set %s down" % cell.iface)
    root.carrier(0)
    cell.run("ip link set %s up" % cell.iface)
    root.carrier(1)
    cell.dmesg_clean()

    wait_state(guest, cell_id(guest, NAME), "running")
    guest.sh("jailhouse disable")
    assert guest.sh("ls %s | grep : || true" % DRIVER) == ""
    guest.sh("jailhouse enable %s" % sysconfig())
    assert root.find_iface()
    root.dmesg_clean()


def config_u64(guest, dev, offset, size=8):
    """A field of the device's config space, as the root reads it."""
    out = guest.sh("od -A n -t x1 -j %d -N %d /sys/bus/pci/devices/%s/config"
                   % (offset, size, dev))
    return int("".join(reversed(out.split())), 16)


def test_peer_breaking_the_rules(net_guest, console):
    """The root's driver unbound, its end of the link is played through
    /dev/mem: a record longer than the ring announced, the state RUN.
    The cell takes the link up, finds the record, says so and goes back
    to INIT, where it waits for the peer, without a crash; the driver
    bound again brings the link back."""
    guest, root = net_guest
    cell = boot_cell(guest, console)
    cell.carrier(1)
    root.carrier(1)
    dev = guest.sh("ls %s | grep :" % DRIVER)
    regs = int(guest.sh("cut -d' ' -f1 /sys/bus/pci/devices/%s/resource "
                        "| head -1" % dev), 16)
    shmem = config_u64(guest, dev, CAP_ADDRESS)
    # the root is peer 0: its output section comes first
    out = shmem + config_u64(guest, dev, CAP_STATE_TAB_SZ, 4) + \
        config_u64(guest, dev, CAP_RW_SECTION_SZ)

    guest.sh("echo %s > %s/unbind" % (dev, DRIVER))
    cell.carrier(0)
    for addr, value in ((out + RING_OFFSET, 0x7fffffc0), (out, 0x40),
                        (out + RX_TAIL, 0), (regs + REG_STATE, INIT)):
        guest.sh("devmem 0x%x 32 0x%x" % (addr, value))
    guest.sh("sleep 1; devmem 0x%x 32 %d" % (regs + REG_STATE, RUN))
    cell.run("n=0; until dmesg | grep -q 'bad record length'; do "
             "[ $n -lt 100 ] || break; sleep 0.2; n=$((n + 1)); done")
    assert "peer 0: bad record length (0x7fffffc0): restarting the link" \
        in cell.run("dmesg | grep -F 'bad record length'")
    cell.carrier(0)
    # the peer in READY with its counters not zeroed: no RUN
    guest.sh("devmem 0x%x 32 %d" % (regs + REG_STATE, READY))
    cell.run("sleep 1")
    cell.carrier(0)
    assert "peer 0: counters 0x40/0x0 in state 2" in \
        cell.run("dmesg | grep -F 'peer 0: counters'")
    cell.dmesg_clean()

    guest.sh("devmem 0x%x 32 0; echo %s > %s/bind"
             % (regs + REG_STATE, dev, DRIVER))
    root.up()
    root.carrier(1)
    cell.carrier(1)
    root.ping(cell)
    cell.dmesg_clean()
    root.dmesg_clean()
