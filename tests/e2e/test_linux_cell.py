# SPDX-License-Identifier: GPL-2.0
"""Issue 9, first part: Debian's kernel booted by "jailhouse cell linux" in
the linux-demo cell (two CPUs, 128 MiB) beside the root Linux, its output
on the root's UART through the early console (Documentation/
linux-cell.md); a poweroff inside the cell leaves it shut down; "cell
shutdown" and "cell destroy" from the root stop it while it runs, and it
boots again, ten times, with the memory pool back at its baseline each
round.

The root's initramfs gets the cell's kernel and initramfs appended
(scripts/mkcellinitramfs.sh), for this module's guest only."""

import subprocess

import pytest

from cells import (cell_id, destroy, mem_pool_used, online, wait_state)
from conftest import TREE, Guest, logs
from machines import MACHINE

pytestmark = pytest.mark.skipif(
    MACHINE.name == "zcu102",
    reason="no Linux cell configuration for the ZCU102 yet")

TREE_SCRIPTS = TREE / "scripts"
CONFIG = "/etc/jailhouse/qemu-arm64-linux-demo.cell"
NAME = "linux-demo"
# loglevel=5: the cell's kernel prints warnings only, and its init's lines
# (/dev/kmsg, level 4): few lines between the root's commands.
CMDLINE = ("earlycon=pl011,mmio32,0x9000000 keep_bootcon printk.devkmsg=on "
           "loglevel=5")
HELLO = (r"Hello from the Linux cell: 6\.\S+, CPUs 0-1, "
         r"MemTotal: \d+ kB")
ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)


@pytest.fixture(scope="module")
def linux_initramfs(initramfs):
    out = logs() / "linux-cell"
    subprocess.run([str(TREE_SCRIPTS / "mkcellinitramfs.sh"), str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    path = out / "initramfs.cpio.gz"
    data = initramfs.read_bytes()
    # the kernel looks for the next archive at a 4-byte boundary
    data += b"\0" * (-len(data) % 4)
    path.write_bytes(data + (out / "root-addon.cpio").read_bytes())
    return path


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs):
    g = Guest("test_linux_cell", linux_initramfs, MACHINE.qemu_args)
    request.addfinalizer(g.stop)
    g.start()
    return g


def boot_cell(guest, extra=""):
    """jailhouse cell linux, then wait for the cell's init; return the
    cell's id and the console mark before the command."""
    mark = guest.mark()
    out = guest.sh("jailhouse cell linux %s /root/Image "
                   "-i /root/cell-initrd.cpio.gz -c '%s%s' -w /tmp/cell.dtb"
                   % (CONFIG, CMDLINE, extra), timeout=300)
    assert "boot stub at 0x76000000, kernel at 0x76200000" in out
    guest.wait_output(HELLO, mark, timeout=300)
    return cell_id(guest, NAME), mark


def test_poweroff_inside_shuts_the_cell_down(cell_guest):
    guest = cell_guest
    base = mem_pool_used(guest)
    cid, mark = boot_cell(guest, " cell.poweroff")
    guest.wait_output(r'Cell "%s" shuts itself down' % NAME, mark,
                      timeout=120)
    wait_state(guest, cid, "shut down")
    # the cell's CPUs stay the cell's until it is destroyed
    assert online(guest) == "0-1"
    destroy(guest, NAME)
    assert online(guest) == ALL_CPUS
    assert mem_pool_used(guest) == base


def test_stopped_from_root_ten_rounds(cell_guest):
    """Ten boots in one root boot: every other round "cell shutdown"
    first, the others "cell destroy" of the running cell."""
    guest = cell_guest
    base = mem_pool_used(guest)
    for n in range(10):
        cid, _ = boot_cell(guest)
        wait_state(guest, cid, "running")
        if n % 2 == 0:
            guest.sh("jailhouse cell shutdown " + NAME)
            wait_state(guest, cid, "shut down")
        destroy(guest, NAME)
        assert online(guest) == ALL_CPUS
        assert mem_pool_used(guest) == base
