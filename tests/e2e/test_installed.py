# SPDX-License-Identifier: GPL-2.0
"""The system runs from what "make install" installs: the guest's
initramfs is made from an installation with prefix /usr
(scripts/install.sh, scripts/mkinitramfs.sh -d) and holds none of the
tree's build results.  modprobe finds the driver in the kernel's extra/
tree, the driver its firmware in /lib/firmware, the CLI its helper in
/usr/libexec/jailhouse, and the demo's cell runs from /usr/share/jailhouse:
enable, gic-demo in a cell beside Linux, destroy, disable."""

import os
import re
import subprocess

import pytest

from cells import DEMO, OutputFilter, cell_id, online
from conftest import TREE, logs
from machines import MACHINE

SHARE = "/usr/share/jailhouse"
JH_CACHE = os.environ.get("JH_CACHE", "/var/cache/jailhouse-qemu")


@pytest.fixture(scope="module")
def initramfs(tmp_path_factory):
    """This module's: from an installation, not from the tree."""
    dest = tmp_path_factory.mktemp("installed")
    # What "make install DESTDIR=... prefix=/usr" runs once it has built;
    # the tree is built, and other sessions may be using it.
    env = dict(os.environ, DESTDIR=str(dest), PREFIX="/usr",
               KDIR=JH_CACHE + "/kdir", ARCH="arm64",
               CROSS_COMPILE="aarch64-linux-gnu-")
    subprocess.run([str(TREE / "scripts/install.sh"), "modules", "firmware",
                    "tools"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = logs() / "installed-initramfs.cpio.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-d", str(dest),
                    "-o", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def test_only_the_installed_layout(guest):
    assert guest.sh("ls /etc/jailhouse") == ""
    assert guest.run("ls /usr/libexec/jailhouse/demos")[1] != 0
    assert guest.sh("which jailhouse") == "/usr/sbin/jailhouse"
    assert guest.sh("ls %s/inmates/demos/gic-demo.bin" % SHARE)


def test_modprobe_finds_the_installed_driver(guest):
    dep = guest.sh("grep jailhouse /lib/modules/$(uname -r)/modules.dep")
    assert re.search(r"^extra/driver/jailhouse\.ko:", dep, re.M), dep
    guest.sh("modprobe jailhouse")
    assert guest.sh("ls /dev/jailhouse") == "/dev/jailhouse"


def test_cli_finds_its_installed_helper(guest):
    """jailhouse config collect: /usr/sbin/jailhouse runs
    /usr/libexec/jailhouse/jailhouse-config-collect."""
    guest.sh("jailhouse config collect /tmp/collected.tar.gz")
    assert "jailhouse-config-collect/" in \
        guest.sh("tar -tzf /tmp/collected.tar.gz | head -n 1")


def test_demo_cell_from_the_installed_files(guest):
    cpus = "0-%d" % (MACHINE.cpus - 1)
    # the cell prints on the UART the shell uses
    guest.filter = OutputFilter()
    guest.sh("modprobe jailhouse")
    guest.sh("jailhouse enable %s/configs/%s" % (SHARE, MACHINE.sysconfig))
    assert guest.sh("cat /sys/devices/jailhouse/enabled") == "1"
    guest.sh("jailhouse cell create %s/configs/%s" % (SHARE, DEMO.file))
    cid = cell_id(guest, DEMO.name)
    guest.sh("jailhouse cell load %s %s/inmates/demos/gic-demo.bin "
             "-s 'count=10 period-us=20000' -a 0x1000" % (DEMO.name, SHARE))
    mark = guest.mark()
    guest.sh("jailhouse cell start %s" % DEMO.name)
    guest.wait_output(r"Jitter summary: count 10,", mark, timeout=60)
    guest.sh("jailhouse cell destroy %d" % cid)
    assert online(guest) == cpus
    guest.sh("jailhouse disable")
    assert guest.sh("cat /sys/devices/jailhouse/enabled") == "0"
    guest.assert_healthy()
