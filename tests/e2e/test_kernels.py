# SPDX-License-Identifier: GPL-2.0
"""Issue 9, the kernel matrix: each Debian kernel users run (the stock
one, its PREEMPT_RT flavour, the newest series the archive offers and its
RT flavour; scripts/setup.sh) as the root Linux on the virt machine, in one
boot per kernel: enable, a bare-metal cell, a Linux cell with the RT
kernel of the root's series (stock and rt roots: rt, newest and newest-rt
roots: newest-rt), cell destroy, disable, and nothing in the root's kernel
log that says it went wrong.

tests/run runs this module in a session of its own (--machine virt), beside
the machines' sessions, which leave it out."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from cells import DEMO, demo, destroy, mem_pool_used, online, run_inmate
from conftest import TREE, Guest, logs
from machines import MACHINE

JH_CACHE = Path(os.environ.get("JH_CACHE", "/var/cache/jailhouse-qemu"))
# The roots' kernels: the stock one and the roles scripts/setup.sh links.
ROLES = ["stock"] + sorted(p.name for p in (JH_CACHE / "kernels").glob("*")
                           if p.is_symlink())
ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)

# The Linux cell as test_linux_cell.py boots it on virt: output through
# the early console on the root's UART.  loglevel=6: the kernel's banner
# too, which shows the cell's `uname -v` (what /proc/version says).
LINUX_CELL = "/etc/jailhouse/qemu-arm64-linux-demo.cell"
LINUX_NAME = "linux-demo"
CELL_CMDLINE = ("earlycon=pl011,mmio32,0x9000000 keep_bootcon "
                "printk.devkmsg=on loglevel=6")
HELLO = (r"Hello from the Linux cell: (\S+), CPUs 0-1, "
         r"MemTotal: \d+ kB")
# What Linux prints when it hits a bug or warns of one.
TROUBLE = r"Oops|\bBUG\b|\bWARNING\b|Call trace|Unable to handle"

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
    cell's kernel and initramfs appended (scripts/mkcellinitramfs.sh)."""
    out = logs() / "kernels" / role
    out.mkdir(parents=True, exist_ok=True)
    root = out / "root.cpio.gz"
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-o", str(root)] +
                   ([] if role == "stock" else ["-k", role]),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(TREE / "scripts/mkcellinitramfs.sh"), "-k",
                    str(image(rt_of(role))), str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    data = root.read_bytes()
    # the kernel looks for the next archive at a 4-byte boundary
    data += b"\0" * (-len(data) % 4)
    path = out / "initramfs.cpio.gz"
    path.write_bytes(data + (out / "root-addon.cpio").read_bytes())
    return path


@pytest.fixture(scope="module", params=ROLES)
def module_guest(request):
    """One root boot per kernel: conftest's guest and cell_guest build on
    it."""
    role = request.param
    g = Guest("test_kernels-" + role, root_initramfs(role),
              list(MACHINE.qemu_args) + ["-k", str(image(role))])
    request.addfinalizer(g.stop)
    g.start()
    return g


@pytest.fixture
def role(request, module_guest):
    """The root's kernel role of the test."""
    return request.node.callspec.params["module_guest"]


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


def test_rt_linux_cell(cell_guest, role):
    g = cell_guest
    cell = rt_of(role)
    base = mem_pool_used(g)
    mark = g.mark()
    g.sh("jailhouse cell linux %s /root/Image -i /root/cell-initrd.cpio.gz "
         "-c '%s'" % (LINUX_CELL, CELL_CMDLINE), timeout=300)
    out = g.wait_output(HELLO, mark, timeout=300)
    assert re.search(HELLO, out).group(1) == abi(cell), out
    banner = re.search(r"Linux version %s .*" % re.escape(abi(cell)), out)
    assert banner and "PREEMPT_RT" in banner.group(0), out
    assert online(g) == "0-1"
    destroy(g, LINUX_NAME)
    assert online(g) == ALL_CPUS
    assert mem_pool_used(g) == base


def test_disable_and_a_clean_kernel_log(cell_guest):
    g = cell_guest
    out, status = g.disable()
    assert status == 0, out
    assert g.enabled() == 0
    g.assert_healthy()
    log = g.sh("dmesg")
    assert not re.search(TROUBLE, log), log
