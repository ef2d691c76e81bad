# SPDX-License-Identifier: GPL-2.0
"""Issue 9, first part: Debian's kernel booted by "jailhouse cell linux" in
the linux-demo cell (two CPUs, 128 MiB) beside the root Linux
(Documentation/linux-cell.md).  On virt and virt-gicv2 the cell's output
comes on the root's UART through the early console; on the ZCU102 the
cell has UART 1 and a shell there (QEMU's second serial, a socket here).
A poweroff inside the cell leaves it shut down; "cell shutdown" and "cell
destroy" from the root stop it while it runs, and it boots again, ten
times, with the memory pool back at its baseline each round.

The root's initramfs gets the cell's kernel and initramfs appended
(scripts/mkcellinitramfs.sh), for this module's guest only."""

import re
import select
import socket
import subprocess
import time

import pytest

from cells import cell_id, destroy, mem_pool_used, online, wait_state
from conftest import TREE, Guest, logs
from machines import MACHINE

OWN_UART = MACHINE.name == "zcu102"
if OWN_UART:
    CONFIG = "/etc/jailhouse/zynqmp-zcu102-linux-demo.cell"
    # the default: console=ttyPS0, the cell's UART
    CMDLINE = None
else:
    CONFIG = "/etc/jailhouse/qemu-arm64-linux-demo.cell"
    # loglevel=5: the cell's kernel prints warnings only, and its init's
    # lines (/dev/kmsg, level 4): few lines between the root's commands.
    CMDLINE = ("earlycon=pl011,mmio32,0x9000000 keep_bootcon "
               "printk.devkmsg=on loglevel=5")
NAME = "linux-demo"
HELLO = (r"Hello from the Linux cell: 6\.\S+, CPUs 0-1, "
         r"MemTotal: \d+ kB")
ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)


class CellUart:
    """The cell's own UART: QEMU's second serial, a Unix socket."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.text = ""

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(self.path))
        self.sock.setblocking(False)

    def mark(self):
        return len(self.text)

    def wait(self, guest, pattern, since, timeout=300):
        """Read until @pattern comes behind @since; the root's console is
        served meanwhile."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text[since:], re.M):
            if time.monotonic() > deadline:
                raise AssertionError("%r not on the cell's UART in %d s:"
                                     "\n%s" % (pattern, timeout,
                                               self.text[since:][-3000:]))
            if select.select([self.sock], [], [], 0.2)[0]:
                data = self.sock.recv(65536)
                self.text += re.sub(r"\r+\n?", "\n",
                                    data.decode(errors="replace"))
            else:
                guest.listen(0.1)
        return self.text[since:]

    def send(self, line):
        self.sock.sendall((line + "\n").encode())


@pytest.fixture(scope="module")
def linux_initramfs(initramfs):
    out = logs() / "linux-cell"
    subprocess.run([str(TREE / "scripts/mkcellinitramfs.sh"), str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    path = out / "initramfs.cpio.gz"
    data = initramfs.read_bytes()
    # the kernel looks for the next archive at a 4-byte boundary
    data += b"\0" * (-len(data) % 4)
    path.write_bytes(data + (out / "root-addon.cpio").read_bytes())
    return path


@pytest.fixture(scope="module")
def uart():
    return CellUart(logs() / "linux-cell" / "uart1.sock") if OWN_UART \
        else None


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs, uart):
    extra = []
    if uart:
        uart.path.unlink(missing_ok=True)
        extra = ["-serial", "mon:stdio", "-serial",
                 "unix:%s,server=on,wait=off" % uart.path]
    g = Guest("test_linux_cell", linux_initramfs, MACHINE.qemu_args, extra)
    request.addfinalizer(g.stop)
    g.start()
    if uart:
        uart.connect()
    return g


def boot_cell(guest, uart, extra=""):
    """jailhouse cell linux, then wait for the cell's init; return the
    cell's id and the console mark (the cell's UART's if it has one)
    before the command."""
    mark = uart.mark() if uart else guest.mark()
    cmdline = "" if CMDLINE is None else " -c '%s%s'" % (CMDLINE, extra)
    out = guest.sh("jailhouse cell linux %s /root/Image "
                   "-i /root/cell-initrd.cpio.gz%s -w /tmp/cell.dtb"
                   % (CONFIG, cmdline), timeout=300)
    assert "boot stub at 0x76000000, kernel at 0x76200000" in out
    if uart:
        uart.wait(guest, HELLO, mark)
    else:
        guest.wait_output(HELLO, mark, timeout=300)
    return cell_id(guest, NAME), mark


def test_poweroff_inside_shuts_the_cell_down(cell_guest, uart):
    guest = cell_guest
    base = mem_pool_used(guest)
    root_mark = guest.mark()
    if uart:
        cid, mark = boot_cell(guest, uart)
        uart.wait(guest, r"^/ # ", mark)
        mark = uart.mark()
        uart.send("echo in-cell: $(cat /sys/devices/system/cpu/online)")
        uart.wait(guest, r"^in-cell: 0-1$", mark)
        uart.send("poweroff -f")
    else:
        cid, _ = boot_cell(guest, uart, " cell.poweroff")
    guest.wait_output(r'Cell "%s" shuts itself down' % NAME, root_mark,
                      timeout=120)
    wait_state(guest, cid, "shut down")
    # the cell's CPUs stay the cell's until it is destroyed
    assert online(guest) == "0-1"
    destroy(guest, NAME)
    assert online(guest) == ALL_CPUS
    assert mem_pool_used(guest) == base


def test_stopped_from_root_ten_rounds(cell_guest, uart):
    """Ten boots in one root boot: every other round "cell shutdown"
    first, the others "cell destroy" of the running cell."""
    guest = cell_guest
    base = mem_pool_used(guest)
    for n in range(10):
        cid, _ = boot_cell(guest, uart)
        wait_state(guest, cid, "running")
        if n % 2 == 0:
            guest.sh("jailhouse cell shutdown " + NAME)
            wait_state(guest, cid, "shut down")
        destroy(guest, NAME)
        assert online(guest) == ALL_CPUS
        assert mem_pool_used(guest) == base
