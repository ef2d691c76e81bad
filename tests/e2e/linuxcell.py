# SPDX-License-Identifier: GPL-2.0
"""The demo Linux cell as the tests boot it (test_linux_cell.py,
test_kernels.py): its configuration and command line on the session's
machine, what its init says, and its own console, a Unix socket of QEMU's
(scripts/qemu-run.sh -L)."""

import re
import socket
import threading
import time

from conftest import Guest, logs
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


class CellConsole:
    """The cell's own console, a Unix socket of QEMU's.  A thread reads
    it all the time: QEMU's virtconsole drops what the socket does not
    take at once, and a socket's buffer holds few of the small writes of
    a tty's echo or a kernel's log."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.text = ""
        self.commands = 0
        self.lock = threading.Lock()

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(self.path))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        held = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            # a line end split between two reads ends one line
            data, held = held + data, b""
            if data.endswith(b"\r"):
                data, held = data[:-1], b"\r"
            text = re.sub(r"\r+\n?", "\n", data.decode(errors="replace"))
            with self.lock:
                self.text += text

    def mark(self):
        with self.lock:
            return len(self.text)

    def wait(self, guest, pattern, since, timeout=300):
        """Wait until @pattern comes behind @since; the root's console is
        served meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                text = self.text[since:]
            if re.search(pattern, text, re.M):
                return text
            if time.monotonic() > deadline:
                raise AssertionError("%r not on the cell's console in %d s:"
                                     "\n%s" % (pattern, timeout,
                                               text[-3000:]))
            guest.listen(0.1)

    def send(self, line):
        self.sock.sendall((line + "\n").encode())

    def run(self, guest, cmd, timeout=60):
        """@cmd in the cell's shell: its output, between two markers that
        the shell computes, so that the echo of the typed line (by the
        tty, and again by the shell's line editing) matches neither.
        Keep the output short (filter it in the cell): QEMU's virtconsole
        drops what the socket does not take at once, so a burst written
        while the reader waits for the CPU is lost, end marker and all.
        The kernel's own lines stay off the console (console log level 1):
        a warning of a loaded host ("hrtimer: interrupt took N ns") would
        come amid the output; the tests read the kernel log with dmesg."""
        self.commands += 2
        n = self.commands
        mark = self.mark()
        self.send("echo 1 > /proc/sys/kernel/printk; echo @@$((%d + 0))@@; "
                  "%s; echo @@$((%d + 1))@@"
                  % (n - 1, cmd, n - 1))
        text = self.wait(guest, r"^@@%d@@$" % n, mark, timeout)
        # The start marker unanchored: the echo's end (its line end with
        # it) may be what the virtconsole dropped; the echo itself has
        # the marker only as an expression.
        out = re.search(r"@@%d@@\n(.*)^@@%d@@$" % (n - 1, n), text,
                        re.M | re.S)
        assert out, ("the cell's console lost the start of %r's output:\n%s"
                     % (cmd, text[-3000:]))
        return out.group(1).strip("\n")


def open_console(request, path, log):
    """The cell's console on the socket @path; what it showed is written
    to @log (a name in the logs directory), beside the guest's log."""
    cons = CellConsole(path)
    request.addfinalizer(lambda: (logs() / log).write_text(cons.text))
    return cons


def boot_guest(request, name, initramfs, console, qemu_args=()):
    """A module's guest whose QEMU serves the cell's @console."""
    console.path.unlink(missing_ok=True)
    g = Guest(name, initramfs, list(MACHINE.qemu_args) + list(qemu_args) +
              ["-L", str(console.path)])
    request.addfinalizer(g.stop)
    g.start()
    console.connect()
    return g
