# SPDX-License-Identifier: GPL-2.0
"""End to end on the x86 machine (JH_MACHINE=x86): "jailhouse config
collect" runs on the guest's busybox (the guest has no Python), "jailhouse
config create" turns its tarball into a system config on the host, "config
check" passes it, and the config means what the hand-written
configs/x86/qemu-x86.c means: the same hypervisor memory, debug console,
MMCONFIG, PM timer, CPUs, IOAPIC pins, ports and PCI functions, and the
same memory regions but where qemu-x86.c's comments say why they differ
(EXPECTED_EXTRA below).  Not in tests/run (issue 13).

JH_KEEP_TARBALL=PATH keeps a copy of the collected tarball there: how the
fixture of tests/config/test_create_x86.py was made."""

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest

from conftest import TREE
from machines import MACHINE

pytestmark = pytest.mark.skipif(MACHINE.arch != "x86",
                                reason="the x86 machine's tests")

TOOLS = TREE / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from pyjailhouse import config as cfg  # noqa: E402

# With the network card of qemu-run.sh -n (00:03.0), as qemu-x86.c lists it
QEMU_ARGS = ("-n",)
TARBALL = "/tmp/jailhouse-config.tar.gz"
TOP = "jailhouse-config-collect/"
MIB = 1 << 20
# The hand-written config, built by "make ARCH=x86 configs"
HANDWRITTEN = TREE / "configs/x86/qemu-x86.cell"
# Regions of the generated config that qemu-x86.c leaves out, (start,
# size): the 64-bit PCI window (unused, qemu-x86.c says) and the BIOS
# flash at the top of 4 GiB.
EXPECTED_EXTRA = {(0x100000000, 0x800000000), (0xfffc0000, 0x40000)}
# Regions qemu-x86.c has that the generated one splits or joins
# differently are compared by what they cover: see coverage().


def fetch(guest, path):
    """A file of the guest, as base64 over the console, checked against
    its size and SHA-256 there (as test_config_create.py fetches)."""
    size = int(guest.sh("stat -c %%s %s" % path))
    digest = guest.sh("sha256sum %s" % path).split()[0]
    out = guest.sh("base64 %s" % path, timeout=300)
    text = "".join(line for line in out.splitlines()
                   if re.fullmatch(r"[A-Za-z0-9+/]+=*", line))
    data = base64.b64decode(text)
    assert len(data) == size, "got %d of %d bytes" % (len(data), size)
    assert hashlib.sha256(data).hexdigest() == digest
    return data


def config_tool(name, *args):
    proc = subprocess.run([sys.executable,
                           str(TOOLS / ("jailhouse-config-" + name))] +
                          [str(a) for a in args], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def tarball(module_guest, tmp_path_factory):
    guest = module_guest
    if not guest.alive:
        guest.start()
    guest.sh("rm -f %s" % TARBALL)
    out = guest.sh("jailhouse config collect %s" % TARBALL)
    assert out.splitlines()[-1] == TARBALL
    path = tmp_path_factory.mktemp("collected") / "jailhouse-config.tar.gz"
    path.write_bytes(fetch(guest, TARBALL))
    keep = os.environ.get("JH_KEEP_TARBALL")
    if keep:
        shutil.copyfile(path, keep)
    return path


def test_collect(tarball):
    with tarfile.open(str(tarball)) as archive:
        names = set(archive.getnames())
        iomem = archive.extractfile(TOP + "proc/iomem").read().decode()
        mcfg = archive.extractfile(TOP +
                                   "sys/firmware/acpi/tables/MCFG").read()
    start, size = MACHINE.reserved
    # Run as root: /proc/iomem has the addresses.
    assert "%08x-%08x : Reserved" % (start, start + size - 1) in iomem
    assert mcfg[:4] == b"MCFG"
    for name in ["proc/cpuinfo", "proc/cmdline", "proc/ioports",
                 "sys/firmware/acpi/tables/APIC",
                 "sys/firmware/acpi/tables/FACP",
                 "sys/class/tty/ttyS0/port"]:
        assert TOP + name in names, name
    assert not [n for n in names if "device-tree" in n]
