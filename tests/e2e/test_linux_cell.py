# SPDX-License-Identifier: GPL-2.0
"""Issue 9: Debian's kernel booted by "jailhouse cell linux" in the
linux-demo cell (two CPUs, 128 MiB) beside the root Linux, with a shell on
a console of its own (Documentation/linux-cell.md): on virt and
virt-gicv2 a virtio console on QEMU's virtio-mmio transport 0, on the
ZCU102 its UART 1; QEMU puts either on a Unix socket (scripts/qemu-run.sh
-L) that the tests type into.  A poweroff inside the cell leaves it shut
down; "cell shutdown" and "cell destroy" from the root stop it, while its
shell runs too, and it boots again, ten times, with the memory pool back
at its baseline each round; the root's own devices keep working.

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

VIRTIO = MACHINE.name != "zcu102"
if VIRTIO:
    CONFIG = "/etc/jailhouse/qemu-arm64-linux-demo.cell"
    # The default command line has the early console on the root's UART
    # until hvc0 takes over; loglevel=5 keeps it to warnings there, so
    # that few of the cell's lines come between the root's commands.
    CMDLINE = "earlycon=pl011,mmio32,0x9000000 console=hvc0 loglevel=5"
    # the console's interrupt in the cell's /proc/interrupts
    CONSOLE_IRQ = r"virtio\d+"
else:
    CONFIG = "/etc/jailhouse/zynqmp-zcu102-linux-demo.cell"
    # the default: console=ttyPS0, the cell's UART
    CMDLINE = None
    CONSOLE_IRQ = "xuartps"
NAME = "linux-demo"
HELLO = (r"Hello from the Linux cell: 6\.\S+, CPUs 0-1, "
         r"MemTotal: \d+ kB")
PROMPT = r"^/ # "
ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)


class CellConsole:
    """The cell's own console, a Unix socket of QEMU's."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.text = ""
        self.commands = 0

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
                raise AssertionError("%r not on the cell's console in %d s:"
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

    def run(self, guest, cmd, timeout=60):
        """@cmd in the cell's shell: its output, between two markers that
        the shell computes, so that the echo of the typed line (by the
        tty, and again by the shell's line editing) matches neither."""
        self.commands += 2
        n = self.commands
        mark = self.mark()
        self.send("echo @@$((%d + 0))@@; %s; echo @@$((%d + 1))@@"
                  % (n - 1, cmd, n - 1))
        text = self.wait(guest, r"^@@%d@@$" % n, mark, timeout)
        out = re.search(r"^@@%d@@\n(.*)^@@%d@@$" % (n - 1, n), text,
                        re.M | re.S)
        return out.group(1).strip("\n")


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
def console(request):
    cons = CellConsole(logs() / "linux-cell" / "console.sock")
    # what the cell's console showed, beside the guest's log
    request.addfinalizer(lambda: (logs() / "test_linux_cell-cell.log")
                         .write_text(cons.text))
    return cons


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs, console):
    console.path.unlink(missing_ok=True)
    g = Guest("test_linux_cell", linux_initramfs,
              list(MACHINE.qemu_args) + ["-L", str(console.path)])
    request.addfinalizer(g.stop)
    g.start()
    console.connect()
    return g


def boot_cell(guest, console):
    """jailhouse cell linux, then wait for the cell's init on its
    console; return the cell's id and the console's mark before it."""
    mark = console.mark()
    cmdline = "" if CMDLINE is None else " -c '%s'" % CMDLINE
    out = guest.sh("jailhouse cell linux %s /root/Image "
                   "-i /root/cell-initrd.cpio.gz%s -w /tmp/cell.dtb"
                   % (CONFIG, cmdline), timeout=300)
    assert "boot stub at 0x76000000, kernel at 0x76200000" in out
    console.wait(guest, HELLO, mark)
    return cell_id(guest, NAME), mark


def console_irqs(text):
    """The count of the console's interrupt in /proc/interrupts, summed
    over the CPUs."""
    line = re.search(r"^\s*\d+:((?:\s+\d+)+)\s.*\s%s$" % CONSOLE_IRQ, text,
                     re.M)
    assert line, text
    return sum(int(n) for n in line.group(1).split())


def test_shell_in_the_cell(cell_guest, console):
    """Commands typed into the cell's shell run there, its console's
    interrupt counts up; "poweroff" there shuts the cell down."""
    guest = cell_guest
    base = mem_pool_used(guest)
    root_mark = guest.mark()
    cid, mark = boot_cell(guest, console)
    console.wait(guest, PROMPT, mark)
    assert re.fullmatch(r"6\.\S+", console.run(guest, "uname -r"))
    assert console.run(guest, "cat /sys/devices/system/cpu/online") == "0-1"
    # the contiguous DMA area the tool sized to the cell (8 MiB of 128)
    assert console.run(guest, "grep CmaTotal /proc/meminfo") == \
        "CmaTotal:           8192 kB"
    irqs = console_irqs(console.run(guest, "cat /proc/interrupts"))
    assert console_irqs(console.run(guest, "cat /proc/interrupts")) > irqs
    # the cell's tree has its console's device, as the tool wrote it
    if VIRTIO:
        assert console.run(guest, "ls /proc/device-tree | grep virtio_mmio "
                           "| head -1") == "virtio_mmio@a000000"
    console.send("poweroff -f")
    guest.wait_output(r'Cell "%s" shuts itself down' % NAME, root_mark,
                      timeout=120)
    wait_state(guest, cid, "shut down")
    # the cell's CPUs stay the cell's until it is destroyed
    assert online(guest) == "0-1"
    destroy(guest, NAME)
    assert online(guest) == ALL_CPUS
    assert mem_pool_used(guest) == base


def test_stopped_from_root_ten_rounds(cell_guest, console):
    """Ten boots in one root boot: every other round "cell shutdown"
    first, the others "cell destroy" while a command runs in the cell's
    shell.  Then the root's own disk still works."""
    guest = cell_guest
    base = mem_pool_used(guest)
    for n in range(10):
        cid, mark = boot_cell(guest, console)
        wait_state(guest, cid, "running")
        if n % 2 == 0:
            guest.sh("jailhouse cell shutdown " + NAME)
            wait_state(guest, cid, "shut down")
        else:
            console.wait(guest, PROMPT, mark)
            mark = console.mark()
            console.send("echo busy; while :; do cat /proc/interrupts "
                         ">/dev/null; done")
            console.wait(guest, r"^busy$", mark)
        destroy(guest, NAME)
        assert online(guest) == ALL_CPUS
        assert mem_pool_used(guest) == base

    if VIRTIO:
        # QEMU put the root's disk on the highest transport, and the
        # root never probed the cell's (disabled in its device tree)
        assert guest.sh("ls /sys/bus/platform/drivers/virtio-mmio | "
                        "grep virtio_mmio") == "a003e00.virtio_mmio"
        assert guest.sh("tr -d '\\0' < /proc/device-tree/"
                        "virtio_mmio@a000000/status") == "disabled"
    # the disk: written, and read back past the page cache
    disk = MACHINE.disk
    guest.sh("dd if=/dev/urandom of=/tmp/data bs=64k count=4 2>/dev/null")
    guest.sh("dd if=/tmp/data of=/dev/%s bs=64k seek=1 conv=fsync "
             "2>/dev/null" % disk)
    guest.sh("echo 3 > /proc/sys/vm/drop_caches")
    assert guest.sh("head -c 19 /dev/" + disk) == "jailhouse test disk"
    assert guest.sh("dd if=/dev/%s bs=64k skip=1 count=4 2>/dev/null "
                    "| md5sum | cut -d' ' -f1" % disk) == \
        guest.sh("md5sum < /tmp/data | cut -d' ' -f1")
