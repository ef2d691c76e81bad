# SPDX-License-Identifier: GPL-2.0
"""The Debian packages in QEMU, on virt: jailhouse_*_arm64.deb unpacked
into a root as dpkg would, the modules built by DKMS from the sources
jailhouse-dkms_*_all.deb brings and installed where DKMS puts them
(updates/dkms), the guest's initramfs made from that root
(scripts/mkinitramfs.sh -d).  modprobe, enable, the demo cell, disable.
One machine is enough: the packages are the same for all, and
test_installed.py runs make install's layout on each."""

import subprocess
import sys

import pytest

from cells import DEMO, OutputFilter, cell_id, online
from conftest import TREE, logs
from machines import MACHINE

sys.path.insert(0, str(TREE / "tests/install"))
from install_helpers import (MODULES, VERSION, build_debs,  # noqa: E402
                             dkms_runner, kernels)

pytestmark = pytest.mark.skipif(MACHINE.name != "virt",
                                reason="the packages are tested on virt")

SHARE = "/usr/share/jailhouse"


@pytest.fixture(scope="module")
def initramfs(tmp_path_factory):
    """This module's: from the packages, not from the tree."""
    work = tmp_path_factory.mktemp("deb")
    build_debs(work)
    root = work / "root"
    for deb in ["jailhouse_%s_arm64.deb", "jailhouse-dkms_%s_all.deb"]:
        subprocess.run(["dpkg-deb", "-x", str(work / (deb % VERSION)),
                        str(root)], check=True)
    _, release, kdir = kernels()[0]
    dkms = dkms_runner(work / "dkms", root / "usr/src",
                       root / "lib/modules")
    (root / "lib/modules" / release).mkdir(parents=True)
    for args in [("add", "jailhouse/" + VERSION),
                 ("install", "jailhouse/" + VERSION, "-k", release, "-a",
                  "aarch64", "--kernelsourcedir", str(kdir),
                  "--no-depmod")]:
        proc = dkms(*args)
        assert proc.returncode == 0, proc.stdout
    path = logs() / "deb-initramfs.cpio.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-d", str(root),
                    "-o", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def test_modprobe_finds_the_dkms_modules(guest):
    dep = guest.sh("cat /lib/modules/$(uname -r)/modules.dep")
    for m in MODULES:
        assert "updates/dkms/%s.ko:" % m in dep, dep
    guest.sh("modprobe jailhouse")
    assert guest.sh("ls /dev/jailhouse") == "/dev/jailhouse"


def test_demo_cell_from_the_packages(guest):
    guest.filter = OutputFilter()
    guest.sh("modprobe jailhouse")
    guest.sh("jailhouse enable %s/configs/%s" % (SHARE, MACHINE.sysconfig))
    guest.sh("jailhouse cell create %s/configs/%s" % (SHARE, DEMO.file))
    cid = cell_id(guest, DEMO.name)
    guest.sh("jailhouse cell load %s %s/inmates/demos/gic-demo.bin "
             "-s 'count=10 period-us=20000' -a 0x1000" % (DEMO.name, SHARE))
    mark = guest.mark()
    guest.sh("jailhouse cell start %s" % DEMO.name)
    guest.wait_output(r"Jitter summary: count 10,", mark, timeout=60)
    guest.sh("jailhouse cell destroy %d" % cid)
    assert online(guest) == "0-%d" % (MACHINE.cpus - 1)
    guest.sh("jailhouse disable")
    assert guest.sh("cat /sys/devices/jailhouse/enabled") == "0"
    guest.assert_healthy()
