# SPDX-License-Identifier: GPL-2.0
"""Issue 2 end to end: every bad input to "jailhouse enable" is refused
with a clear message, and Linux is left running as it was."""

import struct

import pytest

import machines

from conftest import (CELL_CPU_SET_SIZE, CELL_NUM_MEMORY_REGIONS, FIRMWARE,
                      SYS_ARCHITECTURE, SYS_HV_MEM_PHYS, SYS_REVISION,
                      SYS_SIGNATURE, patched, sysconfig, sysconfig_bytes)
from machines import (MACHINE, MEM_REGION_SIZE, SYS_ARM,
                      SYS_CONSOLE_ADDRESS, SYS_GICC_BASE, SYS_GICD_BASE,
                      SYS_GICH_BASE, SYS_GICR_BASE, SYS_GICV_BASE)

# include/jailhouse/cell-config.h
JAILHOUSE_X86 = 0
JAILHOUSE_ARM64 = 2
# The x86 platform part (shared/ABI.md 1.10): where the arm part is.
SYS_X86_PM_TIMER = SYS_ARM
NUM_CPUS = MACHINE.cpus
SYSCONFIG = sysconfig()

# Offsets in a memory region (shared/ABI.md 1.3).
MEM_VIRT_START = 8
MEM_SIZE = 16

GICD = MACHINE.gicd
UART = MACHINE.uart
LINUX_RAM = MACHINE.linux_ram_region
MIB2 = 2 << 20


def root_region_field(region, field):
    return MACHINE.root_regions_offset + region.index * MEM_REGION_SIZE + \
        field


def over_gicd():
    """A root device region made to cover the distributor: (offset,
    value) pairs, the region's index.  The one that ends closest below
    the distributor is grown over it (the flash on virt), or, with none
    below, the root's first device moved onto it."""
    below = [r for r in MACHINE.root_regions
             if r.flags & machines.MEM_IO and r.end <= GICD]
    if below:
        r = max(below, key=lambda r: r.end)
        return [(root_region_field(r, MEM_SIZE),
                 GICD + 0x10000 - r.phys_start)], r.index
    r = MACHINE.root_device()
    return [(root_region_field(r, 0), GICD),
            (root_region_field(r, MEM_VIRT_START), GICD)], r.index


def bad_configs():
    good = sysconfig_bytes()
    # 2 MiB aligned, in the middle of Linux's RAM.
    in_linux = (LINUX_RAM.phys_start + LINUX_RAM.size // 2) // MIB2 * MIB2
    num_mem = struct.unpack_from("<I", good, CELL_NUM_MEMORY_REGIONS)[0]
    # the other architecture than the machine's
    foreign = JAILHOUSE_ARM64 if good[SYS_ARCHITECTURE] == JAILHOUSE_X86 \
        else JAILHOUSE_X86
    return {
        # A cell configuration's signature: not a system configuration.
        "signature": patched(good, SYS_SIGNATURE, "5s", b"JHCLL"),
        "architecture": patched(good, SYS_ARCHITECTURE, "B", foreign),
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
        "memory-in-linux-ram": patched(good, SYS_HV_MEM_PHYS, "<Q",
                                       in_linux),
    }


def bad_addresses():
    """what: (offset, value) or [(offset, value), ...] to patch in the
    system configuration, and the field the refusal must name."""
    bad = {
        # Nothing at 1 TiB; a device of the root (flash on virt, the PCI
        # BAR window on x86), at the 2 MiB the hypervisor's memory is
        # aligned to.
        "memory-nowhere": (SYS_HV_MEM_PHYS, 1 << 40, "hypervisor_memory"),
        "memory-on-a-device": (SYS_HV_MEM_PHYS, MACHINE.device_2m,
                               "hypervisor_memory"),
        # Linux's RAM 2 MiB off its physical address.
        "root-ram-not-1:1": (root_region_field(LINUX_RAM, MEM_VIRT_START),
                             LINUX_RAM.phys_start + MIB2, "1:1"),
    }
    if MACHINE.hole is not None:
        bad["console-on-a-hole"] = (SYS_CONSOLE_ADDRESS, MACHINE.hole,
                                    "debug_console")
    if MACHINE.gic_version is not None:
        gicd_patches, gicd_region = over_gicd()
        bad.update({
            # The next 64 KiB: the CPU interface of a GICv2, nothing
            # (QEMU virt) or the redistributors' gap of a GICv3.
            "gicd-off-by-64k": (SYS_GICD_BASE, GICD + 0x10000,
                                "gicd_base"),
            "gicd-on-uart": (SYS_GICD_BASE, UART, "gicd_base"),
            # The root would bypass the hypervisor's GIC emulation.
            "root-maps-the-gicd": (gicd_patches,
                                   "memory region %d" % gicd_region),
        })
    if MACHINE.arch == "x86":
        # 8 bytes from the console's port, 4 from the PM timer's must be
        # ports; the PM timer's 16 bits patched in the 8 bytes it starts.
        pm_timer = struct.unpack_from("<Q", sysconfig_bytes(),
                                      SYS_X86_PM_TIMER)[0]
        bad.update({
            "console-port-beyond-64k": (SYS_CONSOLE_ADDRESS, 0xfffc,
                                        "debug console port 0xfffc"),
            "pm-timer-beyond-64k": (SYS_X86_PM_TIMER,
                                    pm_timer & ~0xffff | 0xfffe,
                                    "pm timer port 0xfffe"),
        })
    if MACHINE.gic_version == 3:
        bad.update({
            "gicd-on-gicr": (SYS_GICD_BASE, MACHINE.gicr, "gicd_base"),
            "gicr-on-gicd": (SYS_GICR_BASE, GICD, "gicr_base"),
            "gicr-on-uart": (SYS_GICR_BASE, UART, "gicr_base"),
        })
    elif MACHINE.gic_version == 2:
        # The CPU interface, the virtual CPU interface the cells get at
        # its address and the hypervisor's control frame: each must be
        # the device tree's GIC frame of its kind.
        bad.update({
            "gicc-on-gicd": (SYS_GICC_BASE, GICD, "gicc_base"),
            "gicc-on-uart": (SYS_GICC_BASE, UART, "gicc_base"),
            "gicc-on-gicv": (SYS_GICC_BASE, MACHINE.gicv, "gicc_base"),
            "gich-on-uart": (SYS_GICH_BASE, UART, "gich_base"),
            "gich-on-gicd": (SYS_GICH_BASE, GICD, "gich_base"),
            "gicv-on-uart": (SYS_GICV_BASE, UART, "gicv_base"),
            "gicv-on-gicc": (SYS_GICV_BASE, MACHINE.gicc, "gicv_base"),
        })
    return bad


BAD_ADDRESSES = bad_addresses()


def patches(what):
    if isinstance(BAD_ADDRESSES[what][0], list):
        return BAD_ADDRESSES[what][0]
    return [BAD_ADDRESSES[what][:2]]


def bad_address(guest, what):
    """The system configuration with one address wrong, in the guest."""
    path = "/tmp/bad-%s.cell" % what.replace(":", "")
    if guest.run("[ -e %s ]" % path)[1]:
        data = sysconfig_bytes()
        for offset, value in patches(what):
            data = patched(data, offset, "<Q", value)
        guest.put(path, data)
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
    field = BAD_ADDRESSES[what][-1]
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
