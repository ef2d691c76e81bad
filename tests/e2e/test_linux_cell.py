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

import pytest

from cells import cell_id, destroy, mem_pool_used, online, wait_state
from conftest import logs, with_linux_cell
from linuxcell import (CMDLINE, CONFIG, CONSOLE_IRQ, HELLO, NAME, PROMPT,
                       VIRTIO, boot_guest, open_console)
from machines import MACHINE

ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)


@pytest.fixture(scope="module")
def linux_initramfs(initramfs):
    return with_linux_cell(initramfs, logs() / "linux-cell")


@pytest.fixture(scope="module")
def console(request):
    return open_console(request, logs() / "linux-cell" / "console.sock",
                        "test_linux_cell-cell.log")


@pytest.fixture(scope="module")
def module_guest(request, linux_initramfs, console):
    return boot_guest(request, "test_linux_cell", linux_initramfs, console)


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
    # seeded by the tool's tree: KASLR, and a random number generator
    # ready from the start
    log = console.run(guest, "dmesg | grep -E 'KASLR|crng init done'")
    assert "KASLR disabled" not in log
    assert "random: crng init done" in log
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
