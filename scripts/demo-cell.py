#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The demo's user at the Linux cell's console (scripts/demo.sh).

QEMU offers the console the demo cell owns (qemu-run.sh -L: a virtio
console on virt, the second UART on the zcu102) on a Unix socket.  This
waits for the cell's shell there, types a few commands into it as a user
would, ending with "poweroff -f", and shows everything the cell says,
each line marked with the cell's name, until QEMU closes the console; a
copy goes to LOG.

usage: demo-cell.py SOCKET LOG
"""

import codecs
import re
import socket
import sys
import time

NAME = "linux-demo"
# what the demo asks the cell
COMMANDS = [
    "uname -a",
    "cat /sys/devices/system/cpu/online",
    "grep -E 'MemTotal|CmaTotal' /proc/meminfo",
    "grep -E 'arch_timer|virtio|xuartps' /proc/interrupts",
    "poweroff -f",
]
PROMPT = re.compile(r"(^|\n)/ # $")
# Busybox's shell asks the terminal where its cursor is (ESC [ 6 n)
# behind the prompt; a socket does not answer, and a reader wants none
# of it.
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# The root's Linux boots, runs the bare-metal cell and boots the Linux
# cell before its shell answers (minutes under a loaded TCG).
TIMEOUT = 500


class Console:
    def __init__(self, path, log):
        self.log = log
        self.pending = ""
        self.raw = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        deadline = time.monotonic() + TIMEOUT
        # QEMU creates the socket when it starts, which may be later.
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        self.sock.settimeout(1)

    def read(self):
        """What the cell said since the last call, line ends as "\n",
        without escape sequences ("" if nothing within a second).  A
        slow UART splits a "\r\n" or an escape sequence over two reads:
        their start waits for the rest."""
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return ""
        if not data:
            raise EOFError("the cell's console closed")
        self.raw += self.decoder.decode(data)
        cut = re.search(r"(\r|\x1b\[?[0-9;?]*)$", self.raw)
        cut = cut.start() if cut else len(self.raw)
        text, self.raw = self.raw[:cut], self.raw[cut:]
        return ESCAPES.sub("", re.sub(r"\r+\n?", "\n", text))

    def show(self, text, flush=False):
        """Print whole lines with the cell's mark (a prompt with the
        command the shell echoes behind it), and what is left when
        @flush."""
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        if flush and self.pending:
            lines.append(self.pending)
            self.pending = ""
        for line in lines:
            out = "[%s] %s\n" % (NAME, line)
            sys.stdout.write(out)
            self.log.write(out)
        sys.stdout.flush()
        self.log.flush()

    def wait_prompt(self, deadline):
        seen = ""
        while not PROMPT.search(seen):
            if time.monotonic() > deadline:
                raise TimeoutError("no shell prompt from the cell")
            text = self.read()
            seen = (seen + text)[-200:]
            self.show(text)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[-1].strip())
    with open(sys.argv[2], "w") as log:
        con = Console(sys.argv[1], log)
        deadline = time.monotonic() + TIMEOUT
        for cmd in COMMANDS:
            con.wait_prompt(deadline)
            con.sock.sendall((cmd + "\n").encode())
        # The cell's last words, until QEMU ends and closes the socket.
        # Hanging up earlier, even right behind "Power down", can stall
        # the cell: when the reader goes away between two characters of
        # a line, QEMU's ZCU102 UART model (QEMU 7.2) keeps the rest in
        # its transmit FIFO for good, and Linux's console driver waits
        # for that FIFO to drain before it goes on powering off.
        while True:
            try:
                text = con.read()
            except EOFError:
                break
            con.show(text)
        con.show("", flush=True)


if __name__ == "__main__":
    try:
        main()
    except (OSError, TimeoutError, EOFError) as err:
        sys.exit("demo-cell: %s" % err)
