# SPDX-License-Identifier: GPL-2.0
"""End to end: "jailhouse config collect" runs on the guest's busybox,
"jailhouse config create" turns its tarball into a system config on the
host, "config check" passes it, and the hypervisor enables with it in the
guest and hands the machine back.  On every machine the tests run on
(JH_MACHINE, default virt); what the created config must say about each
is in CREATED below, independent of the shipped configs."""

import os
import subprocess
import tarfile
from dataclasses import dataclass

import pytest

from conftest import JH_SYSFS, NUM_CPUS, ROOT_CELL
from configtools import collect, config_tool

from pyjailhouse import config as cfg

COLLECTOR = "/usr/libexec/jailhouse/jailhouse-config-collect"
GUEST_CONFIG = "/tmp/generated.cell"
OTHER_CONFIG = "/tmp/other-machine.cell"
TOP = "jailhouse-config-collect/"
MIB = 1 << 20
# Linux boots with mem= (scripts/qemu-run.sh): the hypervisor gets the top
# 16 MiB of the RAM it leaves, the cells the 240 MiB below, as in the
# shipped configs.
HV_SIZE = "16M"
INMATE_SIZE = "240M"


@dataclass(frozen=True)
class Created:
    """What "config create" must find on a machine."""
    # platform_info.arm fields
    gic: dict
    console: tuple
    # Linux's RAM (start, size), as mem= of qemu-run.sh leaves it
    linux_ram: tuple
    # device-tree nodes of the GIC and the console UART, as collected
    dt_nodes: tuple
    # "qemu-system-aarch64 -machine" of a machine with another GIC (or
    # none where the device tree has it), for a config this one refuses
    other_machine: str


GICV2_VIRT = dict(gic_version=2, gicd_base=0x08000000, gicc_base=0x08010000,
                  gich_base=0x08030000, gicv_base=0x08040000, gicr_base=0)
CREATED = {
    "virt": Created(
        gic=dict(gic_version=3, gicd_base=0x08000000, gicr_base=0x080a0000,
                 gicc_base=0, gich_base=0, gicv_base=0),
        console=(0x09000000, cfg.CON_TYPE_PL011),
        linux_ram=(0x40000000, 768 * MIB),
        dt_nodes=("pl011@9000000", "intc@8000000"),
        other_machine="virt,gic-version=2,virtualization=on"),
    "virt-gicv2": Created(
        gic=GICV2_VIRT,
        console=(0x09000000, cfg.CON_TYPE_PL011),
        linux_ram=(0x40000000, 768 * MIB),
        dt_nodes=("pl011@9000000", "intc@8000000"),
        other_machine="virt,gic-version=3,virtualization=on,its=off"),
    "zcu102": Created(
        gic=dict(gic_version=2, gicd_base=0xf9010000, gicc_base=0xf9020000,
                 gich_base=0xf9040000, gicv_base=0xf9060000, gicr_base=0),
        console=(0xff000000, cfg.CON_TYPE_XUARTPS),
        linux_ram=(0, 1792 * MIB),
        dt_nodes=("axi/serial@ff000000", "axi/interrupt-controller@f9010000"),
        other_machine="virt,gic-version=3,virtualization=on,its=off"),
}
MACHINE = os.environ.get("JH_MACHINE", "virt")
# x86 has its own module, test_config_create_x86.py.
pytestmark = pytest.mark.skipif(MACHINE not in CREATED,
                                reason="an arm64 machine's tests")
EXPECT = CREATED.get(MACHINE, CREATED["virt"])
CELLS_START = EXPECT.linux_ram[0] + EXPECT.linux_ram[1]
HV_START = CELLS_START + 240 * MIB


@pytest.fixture(scope="module")
def tarball(module_guest, tmp_path_factory):
    """What "jailhouse config collect" wrote in the guest, on the host."""
    return collect(module_guest, tmp_path_factory.mktemp("collected"))


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
    start, size = EXPECT.linux_ram
    assert "%08x-%08x : System RAM" % (start, start + size - 1) in iomem
    assert fdt[:4] == b"\xd0\x0d\xfe\xed"
    for name in ["proc/cpuinfo", "proc/cmdline", "proc/version",
                 "proc/device-tree/compatible"] + \
            ["proc/device-tree/%s/reg" % node for node in EXPECT.dt_nodes]:
        assert TOP + name in names


def test_generated_config_passes_check(generated):
    proc = config_tool("check", generated)
    assert "no problems found" in proc.stdout
    system = cfg.load(str(generated))
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (HV_START, 16 * MIB)
    plat = system.platform
    assert {name: getattr(plat, name) for name in EXPECT.gic} == EXPECT.gic
    con = system.debug_console
    assert (con.address, con.type, con.flags) == EXPECT.console + (
        cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4,)
    root = system.root_cell
    assert root.cpus == set(range(NUM_CPUS))
    # Linux's RAM and the cells' are the root's; the hypervisor's is not.
    starts = {(m.phys_start, m.size) for m in root.memory_regions}
    assert EXPECT.linux_ram in starts
    assert (CELLS_START, 240 * MIB) in starts
    assert not [m for m in root.memory_regions
                if m.phys_start < HV_START + 16 * MIB and
                HV_START < m.phys_start + m.size]
    proc = config_tool("show", generated)
    assert "GICv%d" % EXPECT.gic["gic_version"] in proc.stdout


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


@pytest.fixture(scope="module")
def other_machine_config(tmp_path_factory):
    """A config created from the device tree of a machine with another
    GIC, as a user who picked the wrong board's config would have it."""
    out = tmp_path_factory.mktemp("other")
    dtb = out / "other.dtb"
    subprocess.run(["qemu-system-aarch64", "-machine", "%s,dumpdtb=%s" %
                    (EXPECT.other_machine, dtb), "-cpu", "cortex-a57",
                    "-smp", str(NUM_CPUS), "-m", "1G", "-nographic"],
                   check=True, capture_output=True, timeout=60)
    path = out / "other.cell"
    config_tool("create", "--dtb", dtb, "--mem-hv", HV_SIZE, "--mem-inmates",
                INMATE_SIZE, path)
    return path


def test_config_of_another_machine_is_refused(guest, other_machine_config):
    """The driver compares the GIC of the config with the device tree's:
    the refusal names the field, and the CLI says where to look."""
    version = cfg.load(str(other_machine_config)).platform.gic_version
    guest.set_enabled(False)
    guest.put(OTHER_CONFIG, other_machine_config.read_bytes())
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.enable(OTHER_CONFIG)
    assert status != 0
    assert "dmesg" in out and "jailhouse console" in out, out
    said = guest.sh("dmesg -c")
    assert "platform_info.arm.gic_version %d: the device tree has no " \
        "GICv%d" % (version, version) in said, said
    assert guest.enabled() == 0
    guest.assert_healthy()
