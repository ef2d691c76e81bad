# SPDX-License-Identifier: GPL-2.0
"""Issue 9, the kernel matrix: each Debian kernel users run (the stock
one, its PREEMPT_RT flavour, the newest series the archive offers and its
RT flavour; scripts/setup.sh) as the root Linux on the virt machine, in one
boot per kernel: enable, a bare-metal cell, a Linux cell with the RT
kernel of the root's series (stock and rt roots: rt, newest and newest-rt
roots: newest-rt; its release and PREEMPT_RT from uname in the cell's
shell; ping both ways over the virtual Ethernet, ivshmem_net.ko on both
sides), cell destroy, the root's ivshmem device bound to uio_ivshmem,
disable, and nothing in the root's kernel log that says it went wrong.
The Linux cell boots as test_linux_cell.py boots it.

tests/run runs this module in a session of its own (--machine virt), beside
the machines' sessions, which leave it out."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from cells import (DEMO, TESTS, OutputFilter, demo, destroy, mem_pool_used,
                   online, run_inmate)
from conftest import TREE, kernel_trouble, logs, with_linux_cell
from machines import MACHINE
# The Linux cell as test_linux_cell.py boots it, with a shell on its own
# console.
from linuxcell import (CMDLINE, CONFIG, HELLO, NAME, PROMPT, boot_guest,
                       open_console)

JH_CACHE = Path(os.environ.get("JH_CACHE", "/var/cache/jailhouse-qemu"))
# The roots' kernels: the stock one and the roles scripts/setup.sh links.
ROLES = ["stock"] + sorted(p.name for p in (JH_CACHE / "kernels").glob("*")
                           if p.is_symlink())
ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)

# A line of the Linux cell's kernel log on the root's UART (its early
# console's, until its own console takes over).
CELL_LOG_LINE = r"\[ *\d+\.\d+\] [^\n]*"

pytestmark = pytest.mark.skipif(
    MACHINE.name != "virt", reason="the kernel matrix boots virt only")


def rt_of(role):
    """The PREEMPT_RT kernel of the root's series, for its Linux cell."""
    if role == "stock":
        return "rt"
    return role if role.endswith("rt") else role + "-rt"


def abi(role):
    """The kernel ABI (uname -r) of a role."""
    if role == "stock":
        return os.readlink(JH_CACHE / "vmlinuz").split("vmlinuz-", 1)[1]
    return os.readlink(JH_CACHE / "kernels" / role)


def image(role):
    if role == "stock":
        return JH_CACHE / "vmlinuz"
    return JH_CACHE / "kernels" / role / "boot" / ("vmlinuz-" + abi(role))


def root_initramfs(role):
    """The root's initramfs for @role (scripts/mkinitramfs.sh) with the
    RT kernel of its series for the Linux cell."""
    out = logs() / "kernels" / role
    out.mkdir(parents=True, exist_ok=True)
    root = out / "root.cpio.gz"
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-o", str(root)] +
                   ([] if role == "stock" else ["-k", role]),
                   check=True, stdout=subprocess.DEVNULL)
    return with_linux_cell(root, out, image(rt_of(role)))


@pytest.fixture(scope="module", params=ROLES)
def role(request):
    """The root's kernel role of the module's guest."""
    return request.param


@pytest.fixture(scope="module")
def console(request, role):
    """The Linux cell's own console, a socket of QEMU's."""
    return open_console(request, logs() / "kernels" / role / "console.sock",
                        "test_kernels-%s-cell.log" % role)


@pytest.fixture(scope="module")
def module_guest(request, role, console):
    """One root boot per kernel: conftest's guest and cell_guest build on
    it."""
    return boot_guest(request, "test_kernels-" + role, root_initramfs(role),
                      console, ["-k", str(image(role))])


def test_root_runs_the_kernel_and_enables(cell_guest, role):
    g = cell_guest
    assert g.sh("uname -r") == abi(role)
    assert ("PREEMPT_RT" in g.sh("uname -v")) == role.endswith("rt")
    assert g.enabled() == 1


def test_bare_metal_cell(cell_guest):
    g = cell_guest
    base = mem_pool_used(g)
    _, mark = run_inmate(g, DEMO, demo("gic-demo"),
                         "count=5 period-us=10000")
    out = g.wait_output(r"^Jitter summary: count 5,", mark, timeout=60)
    assert re.search(r"^gic-demo: running on Jailhouse cell, GICv%d"
                     % MACHINE.gic_version, out, re.M), out
    destroy(g, DEMO.name)
    assert online(g) == ALL_CPUS
    assert mem_pool_used(g) == base


def test_rt_linux_cell(cell_guest, role, console):
    g = cell_guest
    cell = abi(rt_of(role))
    # the root's end of the virtual Ethernet first: the hypervisor traps
    # its BAR in the root's memory, a page table of its own while it does
    g.sh("modprobe ivshmem_net")
    base = mem_pool_used(g)
    # Its kernel's warnings may come amid what the root's commands print
    # (cell_guest sets the filter again for the next test).
    g.filter = OutputFilter(CELL_LOG_LINE)
    mark = console.mark()
    g.sh("jailhouse cell linux %s /root/Image -i /root/cell-initrd.cpio.gz "
         "-c '%s'" % (CONFIG, CMDLINE), timeout=300)
    out = console.wait(g, HELLO, mark)
    assert "Hello from the Linux cell: %s," % cell in out, out
    console.wait(g, PROMPT, mark)
    assert console.run(g, "uname -r") == cell
    assert "PREEMPT_RT" in console.run(g, "uname -v")
    assert online(g) == "0-1"
    # the virtual Ethernet (test_ivshmem_net.py has the details)
    for run, ip in ((g.sh, "10.0.0.1"),
                    (lambda cmd: console.run(g, cmd), "10.0.0.2")):
        run("d=$(ls /sys/bus/pci/drivers/ivshmem_net/*/net) && "
            "ip addr add %s/24 dev $d && ip link set $d up" % ip)
    for run, ip in ((g.sh, "10.0.0.2"),
                    (lambda cmd: console.run(g, cmd, 120), "10.0.0.1")):
        out = run("ping -c 3 -w 60 %s" % ip)
        assert "3 packets transmitted, 3 packets received" in out, out
    destroy(g, NAME)
    assert online(g) == ALL_CPUS
    assert mem_pool_used(g) == base
    g.sh("rmmod ivshmem_net")


def test_virtual_pci_and_uio_ivshmem(cell_guest):
    """The root's ivshmem device on the virtual PCI host, bound to
    uio_ivshmem (whose mmap() differs between 6.1 and 6.12): each map's
    rights and a doorbell to itself (tests/e2e/guest/uio-ivshmem-check,
    test_ivshmem_root.py has the details)."""
    g = cell_guest
    g.sh("modprobe uio_ivshmem")
    out = g.sh("for d in /sys/bus/pci/drivers/uio_ivshmem/*:*; do "
               "%s/uio-ivshmem-check /dev/$(ls $d/uio); done" % TESTS)
    assert re.search(r"^map 0 registers \S+ shared-rw=ok shared-ro=ok "
                     r"mprotect-rw=ok private=EINVAL$", out, re.M), out
    assert re.search(r"^map \d+ state_table \S+ shared-rw=EACCES "
                     r"shared-ro=ok mprotect-rw=EACCES private=EINVAL$",
                     out, re.M), out
    assert "alias ok" in out, out
    assert "doorbell interrupts=1 int_ctrl=1" in out, out


def test_disable_and_a_clean_kernel_log(cell_guest):
    g = cell_guest
    out, status = g.disable()
    assert status == 0, out
    assert g.enabled() == 0
    g.assert_healthy()
    trouble = kernel_trouble(g.sh)
    assert not trouble, trouble
