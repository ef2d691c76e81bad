# SPDX-License-Identifier: GPL-2.0
"""Issue 2 end to end: every bad input to "jailhouse enable" is refused
with a clear message, and Linux is left running as it was."""

import struct

import pytest

from conftest import (CELL_CPU_SET_SIZE, CELL_NUM_MEMORY_REGIONS, FIRMWARE,
                      NUM_CPUS, ROOT_CELL_DESC, SYS_ARCHITECTURE,
                      SYS_HV_MEM_PHYS, SYS_REVISION, SYS_SIGNATURE,
                      SYSCONFIG, patched, sysconfig_bytes)

JAILHOUSE_X86 = 0

# Offsets in the system configuration (shared/ABI.md 1.10).
SYS_CONSOLE_ADDRESS = 44
SYS_GICD_BASE = 316
SYS_GICR_BASE = 348
ROOT_MEM_REGIONS = ROOT_CELL_DESC + 132 + 8
MEM_REGION_SIZE = 32
MEM_VIRT_START = 8
MEM_SIZE = 16

# QEMU virt: flash at 0, the GICv2 CPU interface page (no device with a
# GICv3), distributor, redistributors, the UART and a hole behind it.
GICC = 0x08010000
GICD = 0x08000000
GICR = 0x080a0000
UART = 0x09000000
HOLE = 0x09001000


def bad_configs():
    good = sysconfig_bytes()
    num_mem = struct.unpack_from("<I", good, CELL_NUM_MEMORY_REGIONS)[0]
    return {
        # A cell configuration's signature: not a system configuration.
        "signature": patched(good, SYS_SIGNATURE, "5s", b"JHCLL"),
        "architecture": patched(good, SYS_ARCHITECTURE, "B", JAILHOUSE_X86),
        "revision": patched(good, SYS_REVISION, "<H", 13),
        "short-header": good[:100],
        "short-root-cell": good[:356 + 64],
        "short-arrays": good[:-1],
        "one-region-too-many": patched(good, CELL_NUM_MEMORY_REGIONS, "<I",
                                       num_mem + 1),
        "regions-overflow": patched(good, CELL_NUM_MEMORY_REGIONS, "<I",
                                    0xffffffff),
        "cpu-set-overflow": patched(good, CELL_CPU_SET_SIZE, "<I",
                                    0xfffffff8),
        # 2 MiB aligned, inside Linux's RAM (0x40000000-0x6fffffff).
        "memory-in-linux-ram": patched(good, SYS_HV_MEM_PHYS, "<Q",
                                       0x60000000),
    }


# what: (bad system configuration, field the refusal must name)
BAD_ADDRESSES = {
    # Nothing at 1 TiB; flash at 0.
    "memory-nowhere": (SYS_HV_MEM_PHYS, 1 << 40, "hypervisor_memory"),
    "memory-in-flash": (SYS_HV_MEM_PHYS, 0, "hypervisor_memory"),
    "gicd-on-gicc": (SYS_GICD_BASE, GICC, "gicd_base"),
    "gicd-on-uart": (SYS_GICD_BASE, UART, "gicd_base"),
    "gicd-on-gicr": (SYS_GICD_BASE, GICR, "gicd_base"),
    "gicr-on-gicd": (SYS_GICR_BASE, GICD, "gicr_base"),
    "gicr-on-uart": (SYS_GICR_BASE, UART, "gicr_base"),
    "console-on-a-hole": (SYS_CONSOLE_ADDRESS, HOLE, "debug_console"),
    # The root's flash region grown over the distributor: the root
    # would bypass the hypervisor's GIC emulation.
    "root-maps-the-gicd": (ROOT_MEM_REGIONS + 2 * MEM_REGION_SIZE +
                           MEM_SIZE, GICD + 0x10000, "memory region 2"),
    # Linux's RAM 2 MiB off its physical address.
    "root-ram-not-1:1": (ROOT_MEM_REGIONS + MEM_VIRT_START, 0x40200000,
                         "1:1"),
}


def bad_address(guest, what):
    """The system configuration with one address wrong, in the guest."""
    path = "/tmp/bad-%s.cell" % what.replace(":", "")
    if guest.run("[ -e %s ]" % path)[1]:
        offset, value, _ = BAD_ADDRESSES[what]
        guest.put(path, patched(sysconfig_bytes(), offset, "<Q", value))
    return path


def bad(guest, what):
    """The bad configuration WHAT, as a file in the guest."""
    path = "/tmp/bad-%s.cell" % what
    if guest.run("[ -e %s ]" % path)[1]:
        guest.put(path, bad_configs()[what])
    return path


def refused(guest, config=SYSCONFIG):
    """Enable must fail and leave Linux as it was; return what the tool
    and the kernel log said, in lower case."""
    guest.set_enabled(False)
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.run("jailhouse enable " + config)
    log = guest.sh("dmesg -c")
    assert status != 0, "enable succeeded:\n" + out
    assert out.strip(), "refused without a message"
    assert guest.enabled() == 0
    guest.assert_healthy()
    return (out + "\n" + log).lower()


@pytest.mark.parametrize("what", ["signature", "architecture", "revision"])
def test_not_a_system_config_says_what_is_wrong(guest, what):
    assert what in refused(guest, bad(guest, what))


@pytest.mark.parametrize("what", ["short-header", "short-root-cell",
                                  "short-arrays"])
def test_truncated_config(guest, what):
    refused(guest, bad(guest, what))


@pytest.mark.parametrize("what", ["one-region-too-many", "regions-overflow",
                                  "cpu-set-overflow"])
def test_counts_overflowing_the_file(guest, what):
    refused(guest, bad(guest, what))


def test_hypervisor_memory_used_by_linux(guest):
    refused(guest, bad(guest, "memory-in-linux-ram"))
    # The memory Linux owns is intact: it still reads and writes files.
    guest.sh("dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>/dev/null"
             " && rm /tmp/fill")


@pytest.mark.parametrize("what", list(BAD_ADDRESSES))
def test_bad_address_refused_naming_the_field(guest, what):
    """Issue 7: wrong addresses are refused before anything touches them,
    with the field named (by the driver, or by the hypervisor on its
    console); the driver answers as before and enables with the good
    configuration."""
    said = refused(guest, bad_address(guest, what))
    said += guest.sh("jailhouse console").lower()
    field = BAD_ADDRESSES[what][2]
    assert field in said, "%s: no %r in:\n%s" % (what, field, said)
    guest.set_enabled(True)
    guest.set_enabled(False)
    guest.assert_healthy()


def test_missing_file(guest):
    assert "no such file" in refused(guest, "/tmp/no-such.cell")


def test_cpu_of_the_config_offline(guest):
    last = NUM_CPUS - 1
    online = "/sys/devices/system/cpu/cpu%d/online" % last
    guest.set_enabled(False)
    guest.sh("echo 0 > " + online)
    try:
        guest.sh("dmesg -c > /dev/null")
        out, status = guest.run("jailhouse enable " + SYSCONFIG)
        log = guest.sh("dmesg -c")
        assert status != 0, "enable succeeded with CPU %d offline" % last
        assert out.strip()
        assert guest.enabled() == 0
        assert "cpu" in (out + log).lower()
    finally:
        guest.sh("echo 1 > " + online)
    guest.assert_healthy()


def test_second_enable(guest):
    guest.set_enabled(True)
    out, status = guest.run("jailhouse enable " + SYSCONFIG)
    assert status != 0, "second enable succeeded"
    assert out.strip()
    assert guest.enabled() == 1
    guest.assert_healthy()
    guest.set_enabled(False)


@pytest.fixture
def firmware(guest):
    """Keep the good hypervisor image aside and put it back afterwards."""
    guest.sh("cp %s /tmp/jailhouse.bin.good" % FIRMWARE)
    yield FIRMWARE
    guest.sh("cp /tmp/jailhouse.bin.good %s" % FIRMWARE)


def test_missing_hypervisor_image(guest, firmware):
    guest.sh("rm " + firmware)
    refused(guest)


@pytest.mark.parametrize("damage", [
    # The header's signature.
    "printf X | dd of=%s bs=1 seek=0 conv=notrunc 2>/dev/null",
    # Shorter than its header.
    "truncate -s 64 %s",
    "truncate -s 0 %s",
])
def test_corrupt_hypervisor_image(guest, firmware, damage):
    guest.sh(damage % firmware)
    refused(guest)


def test_good_config_still_enables(guest):
    guest.set_enabled(True)
    guest.set_enabled(False)
    guest.assert_healthy()
