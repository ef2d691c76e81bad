# SPDX-License-Identifier: GPL-2.0
"""Issue 4 end to end: "jailhouse config collect" runs on the guest's
busybox, "jailhouse config create" turns its tarball into a system config
on the host, "config check" passes it, and the hypervisor enables with it
in the guest and hands the machine back."""

import base64
import hashlib
import re
import subprocess
import sys
import tarfile

import pytest

from conftest import JH_SYSFS, NUM_CPUS, ROOT_CELL, TREE

TOOLS = TREE / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from pyjailhouse import config as cfg  # noqa: E402

COLLECTOR = "/usr/libexec/jailhouse/jailhouse-config-collect"
TARBALL = "/tmp/jailhouse-config.tar.gz"
GUEST_CONFIG = "/tmp/generated.cell"
TOP = "jailhouse-config-collect/"
MIB = 1 << 20
# mem=768M leaves Linux 0x40000000-0x6fffffff: the hypervisor gets the top
# 16 MiB, the cells the 240 MiB below, as in configs/arm64/qemu-arm64.c.
HV_SIZE = "16M"
INMATE_SIZE = "240M"
HV_START = 0x7f000000


def fetch(guest, path):
    """A file of the guest, as base64 over the console, checked against
    its size and SHA-256 there."""
    size = int(guest.sh("stat -c %%s %s" % path))
    digest = guest.sh("sha256sum %s" % path).split()[0]
    out = guest.sh("base64 %s" % path, timeout=300)
    # Only whole base64 lines: anything else is a message that came in
    # between (which the checksum would catch if it broke a line).
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
    """What "jailhouse config collect" wrote in the guest, on the host."""
    guest = module_guest
    if not guest.alive:
        guest.start()
    guest.sh("rm -f %s" % TARBALL)
    out = guest.sh("jailhouse config collect %s" % TARBALL)
    assert out.splitlines()[-1] == TARBALL
    path = tmp_path_factory.mktemp("collected") / "jailhouse-config.tar.gz"
    path.write_bytes(fetch(guest, TARBALL))
    return path


@pytest.fixture(scope="module")
def generated(tarball):
    """The system config created from the tarball on the host."""
    path = tarball.parent / "generated.cell"
    proc = config_tool("create", "--tarball", tarball, "--mem-hv", HV_SIZE,
                       "--mem-inmates", INMATE_SIZE, path)
    assert "Warning" not in proc.stderr, proc.stderr
    return path


def test_collector_is_installed(guest):
    assert guest.sh("[ -x %s ] && echo yes" % COLLECTOR) == "yes"
    out = guest.sh("jailhouse config collect --help")
    assert "Usage: jailhouse config collect" in out
    # Only the collector is there: the Python tools say they are missing.
    out, status = guest.run("jailhouse config check /dev/null")
    assert status == 1
    assert "jailhouse-config-check not found" in out


def test_collect(tarball):
    with tarfile.open(str(tarball)) as archive:
        names = set(archive.getnames())
        iomem = archive.extractfile(TOP + "proc/iomem").read().decode()
        fdt = archive.extractfile(TOP + "sys/firmware/fdt").read()
    # Run as root: /proc/iomem has the addresses.
    assert "40000000-6fffffff : System RAM" in iomem
    assert fdt[:4] == b"\xd0\x0d\xfe\xed"
    for name in ["proc/cpuinfo", "proc/cmdline", "proc/version",
                 "proc/device-tree/compatible",
                 "proc/device-tree/pl011@9000000/reg",
                 "proc/device-tree/intc@8000000/reg"]:
        assert TOP + name in names


def test_generated_config_passes_check(generated):
    proc = config_tool("check", generated)
    assert "error" not in (proc.stdout + proc.stderr).lower()
    system = cfg.load(str(generated))
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (HV_START, 16 * MIB)
    plat = system.platform
    assert (plat.gic_version, plat.gicd_base, plat.gicr_base) == \
        (3, 0x08000000, 0x080a0000)
    assert system.debug_console.address == 0x09000000
    root = system.root_cell
    assert root.cpus == set(range(NUM_CPUS))
    # Linux's RAM and the cells' are the root's; the hypervisor's is not.
    starts = {(m.phys_start, m.size) for m in root.memory_regions}
    assert (0x40000000, 768 * MIB) in starts
    assert (0x70000000, 240 * MIB) in starts
    assert not [m for m in root.memory_regions
                if m.phys_start < HV_START + 16 * MIB and
                HV_START < m.phys_start + m.size]
    proc = config_tool("show", generated)
    assert "GICv3" in proc.stdout


def test_enable_with_generated_config(guest, generated):
    root_name = cfg.load(str(generated)).root_cell.name
    guest.set_enabled(False)
    guest.put(GUEST_CONFIG, generated.read_bytes())

    guest.load_module()
    since = guest.mark()
    out, status = guest.enable(GUEST_CONFIG)
    assert status == 0, out
    assert guest.enabled() == 1
    assert guest.read(ROOT_CELL + "/name") == root_name
    assert guest.read(ROOT_CELL + "/state") == "running"
    assert guest.read(ROOT_CELL + "/cpus_assigned_list") == \
        "0-%d" % (NUM_CPUS - 1)
    assert guest.read(ROOT_CELL + "/cpus_failed_list") == ""

    # The banner, in the console buffer and on the UART.
    console = guest.sh("jailhouse console")
    assert "Initializing Jailhouse hypervisor" in console, console
    assert "Initializing Jailhouse hypervisor" in guest.output_since(since)
    assert console.splitlines()[0] in guest.read(JH_SYSFS + "/console")

    # Linux runs on all CPUs, trapping into the hypervisor.
    before = guest.stat("vmexits_total")
    guest.assert_healthy()
    guest.sh("for c in %s; do taskset -c $c usleep 20000; done"
             % " ".join(str(c) for c in range(NUM_CPUS)))
    assert guest.stat("vmexits_total") > before

    out, status = guest.disable()
    assert status == 0, out
    assert guest.enabled() == 0
    guest.assert_healthy()
