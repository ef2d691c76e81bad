# SPDX-License-Identifier: GPL-2.0
"""Issue 2 end to end: the hypervisor takes over the running Debian Linux
in QEMU as its root cell, keeps it running under load, isolates its own
memory, and hands the machine back, again and again."""

import re

import pytest

import machines

from conftest import (JH_SYSFS, ROOT_CELL, hypervisor_memory, patched,
                      sysconfig_bytes)
from machines import MACHINE

NUM_CPUS = MACHINE.cpus
DISK = MACHINE.disk
CPUS = range(NUM_CPUS)
COUNTERS = MACHINE.counters


def test_module_loads(guest):
    guest.load_module()
    assert guest.sh("[ -c /dev/jailhouse ] && echo yes") == "yes"
    assert guest.enabled() == 0
    assert "jailhouse" in guest.sh("lsmod")


def test_enable(guest):
    guest.set_enabled(False)
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.enable()
    assert status == 0, out
    assert guest.enabled() == 1
    assert guest.read(ROOT_CELL + "/name")
    assert guest.read(ROOT_CELL + "/state") == "running"
    assert guest.read(ROOT_CELL + "/cpus_assigned_list") == \
        "0-%d" % (NUM_CPUS - 1)
    assert guest.read(ROOT_CELL + "/cpus_failed_list") == ""
    guest.assert_healthy()


def test_root_cell_sysfs(guest):
    guest.set_enabled(True)
    assert guest.sh("ls %s/cells" % JH_SYSFS).split() == ["0"]
    # every counter, summed and per CPU, in one command: "cpu0/NAME:N"
    out = guest.sh("cd %s/statistics && grep -r . * | sort" % ROOT_CELL)
    stats = dict(line.split(":") for line in out.splitlines())
    for counter in COUNTERS:
        assert int(stats[counter]) >= 0, out
        for cpu in CPUS:
            assert int(stats["cpu%d/%s" % (cpu, counter)]) >= 0, out
    assert guest.stat("vmexits_total") > 0
    size = int(guest.read(JH_SYSFS + "/mem_pool_size"))
    used = int(guest.read(JH_SYSFS + "/mem_pool_used"))
    assert 0 < used < size
    size = int(guest.read(JH_SYSFS + "/remap_pool_size"))
    used = int(guest.read(JH_SYSFS + "/remap_pool_used"))
    assert 0 <= used < size


def test_banner_on_the_console(guest):
    guest.set_enabled(True)
    out, status = guest.run("jailhouse console")
    assert status == 0, out
    # The banner names the enabled CPUs; the buffer is the sysfs file too.
    assert out.strip(), "empty hypervisor console"
    assert re.search(r"\bCPU", out, re.I), out
    sysfs = guest.sh("cat %s/console" % JH_SYSFS)
    assert out.strip().splitlines()[0] in sysfs


def test_console_nonblocking_read_ends(guest):
    """Issue 7: "jailhouse console" reads /dev/jailhouse with O_NONBLOCK,
    like Jailhouse's tool: the buffer, then 0 (end of file) once nothing
    new is left, also from a driver that has no output yet."""
    guest.set_enabled(False)
    guest.sh("rmmod jailhouse && modprobe jailhouse")
    out, status = guest.run("jailhouse console")
    assert status == 0, out
    assert out.strip() == ""
    guest.set_enabled(True)
    out, status = guest.run("jailhouse console > /tmp/con")
    assert status == 0, out
    assert guest.sh("cmp /tmp/con %s/console && echo same" % JH_SYSFS) \
        == "same"
    assert "Activating hypervisor" in guest.sh("cat /tmp/con")


def test_load_on_all_cpus_passes_through_the_hypervisor(guest):
    guest.set_enabled(True)
    before = {c: guest.stat(c) for c in MACHINE.load_counters}
    per_cpu = {cpu: guest.stat("vmexits_total", cpu) for cpu in CPUS}
    counts = guest.interrupts()
    irqs = {k: sum(v) for k, v in counts.items()}
    # the disk's interrupts, named after its device (mmc0:4567: mmc0;
    # virtio0, or virtio0-config and virtio0-req.0 with MSI-X)
    disk = guest.sh("basename $(readlink /sys/block/%s/device)"
                    % DISK).split(":")[0]

    def disk_irqs(counts):
        return sum(sum(v) for k, v in counts.items()
                   if k == disk or k.startswith(disk + "-"))

    # Timers (sleeps), IPIs (wake-ups across CPUs, CPU hot-plug), CPU off
    # and on (PSCI on arm64, INIT and SIPI on x86), device interrupts (the
    # disk), all at once.
    guest.sh("dd if=/dev/urandom of=/tmp/data bs=64k count=32 2>/dev/null")
    guest.sh("( for c in %s; do taskset -c $c sh -c 'i=0; while [ $i -lt 40 ];"
             " do usleep 5000; i=$((i+1)); done' & done;"
             " echo 0 > /sys/devices/system/cpu/cpu%d/online;"
             " dd if=/tmp/data of=/dev/%s bs=64k seek=1 conv=fsync"
             " 2>/dev/null;"
             " echo 1 > /sys/devices/system/cpu/cpu%d/online;"
             " echo 3 > /proc/sys/vm/drop_caches;"
             " wait )" % (" ".join(str(c) for c in CPUS), NUM_CPUS - 2, DISK,
                          NUM_CPUS - 2), timeout=300)
    assert guest.sh("dd if=/dev/%s bs=64k skip=1 count=32 2>/dev/null "
                    "| md5sum | cut -d' ' -f1" % DISK) == \
        guest.sh("md5sum < /tmp/data | cut -d' ' -f1")
    guest.assert_healthy()

    after = {c: guest.stat(c) for c in MACHINE.load_counters}
    for counter in MACHINE.load_counters:
        assert after[counter] > before[counter], \
            "%s did not grow: %d -> %d" % (counter, before[counter],
                                           after[counter])
    for cpu in CPUS:
        assert guest.stat("vmexits_total", cpu) > per_cpu[cpu], \
            "CPU %d made no exits" % cpu

    now_counts = guest.interrupts()
    now = {k: sum(v) for k, v in now_counts.items()}
    ipis = [k for k in irqs if k.startswith(MACHINE.ipis)]
    assert ipis, "no IPIs in /proc/interrupts: %s" % sorted(irqs)
    assert sum(now[k] for k in ipis) > sum(irqs[k] for k in ipis)
    assert disk_irqs(now_counts) > disk_irqs(counts)
    assert guest.read(ROOT_CELL + "/cpus_failed_list") == ""
    assert guest.read(ROOT_CELL + "/state") == "running"


def test_cpu_hotplug_while_enabled(guest):
    """A CPU that Linux takes offline and online again while enabled
    comes back under the hypervisor: it makes hypercalls (the statistics'
    reads) and cannot read the hypervisor's memory."""
    cpu = NUM_CPUS - 1
    online = "/sys/devices/system/cpu/cpu%d/online" % cpu
    start, _ = hypervisor_memory()
    guest.set_enabled(True)
    for _ in range(2):
        guest.sh("echo 0 > " + online)
        guest.sh("echo 1 > " + online)
    guest.assert_healthy()
    assert guest.read(ROOT_CELL + "/cpus_failed_list") == ""
    out = guest.sh("taskset -c %d cat %s/statistics/cpu%d/vmexits_total"
                   % (cpu, ROOT_CELL, cpu))
    assert int(out) > 0, out
    out, status = guest.run("taskset -c %d devmem 0x%x 32"
                            % (cpu, start + 0x100000))
    assert status == MACHINE.hv_memory_status, "status %d, %s" % (status,
                                                                 out)
    assert guest.enabled() == 1


def test_hypervisor_memory_is_not_readable_from_the_root(guest):
    start, size = hypervisor_memory()
    # Not the console page: that one the root may read.
    inside = start + 0x100000
    guest.set_enabled(True)
    guest.sh("dmesg -c > /dev/null")
    for cmd in ["devmem 0x%x 32" % inside,
                "devmem 0x%x 64" % (start + size - 8),
                "devmem 0x%x 32 0x12345678" % inside]:
        out, status = guest.run(cmd)
        # 128 + the signal the shell saw the process die of: a bus error
        # on arm64, SIGSEGV on x86
        assert status == MACHINE.hv_memory_status, \
            "%s: status %d, %s" % (cmd, status, out)
    # ... and the system runs on.
    assert guest.sh("echo alive") == "alive"
    assert guest.enabled() == 1
    guest.assert_healthy()
    console = guest.sh("jailhouse console")
    assert re.search("%x" % inside, console, re.I), \
        "the hypervisor console does not name 0x%x:\n%s" % (inside, console)


# QEMU's fw_cfg: 0x18 bytes; a 2-byte read of the selector (+8) ends in a
# bus error, the DMA address register (+0x10) reads as "QEMU CFG".
FW_CFG = MACHINE.fw_cfg


def with_root_region_size(data, phys_start, size):
    """The system configuration with the root's region at @phys_start cut
    to @size bytes."""
    region = MACHINE.root_region_at(phys_start)
    assert region.phys_start == phys_start
    offset = MACHINE.root_regions_offset + \
        region.index * machines.MEM_REGION_SIZE
    return patched(data, offset + 16, "<Q", size)


@pytest.mark.skipif(FW_CFG is None, reason="no fw_cfg on " + MACHINE.name)
def test_device_abort_on_a_root_access(guest):
    """A root access that the hypervisor performs on the device (fw_cfg as
    a sub-page region of the root cell) and that the device answers with
    a bus error ends in a bus error for the root, not in the hypervisor
    (issue 7, item 1)."""
    guest.set_enabled(False)
    path = "/tmp/root-fw-cfg-subpage.cell"
    guest.put(path, with_root_region_size(sysconfig_bytes(), FW_CFG, 0x18))
    out, status = guest.enable(path)
    assert status == 0, out
    try:
        guest.sh("dmesg -c > /dev/null")
        out, status = guest.run("devmem 0x%x 16" % (FW_CFG + 8))
        # 128 + SIGBUS
        assert status == 135, "status %d, %s" % (status, out)
        # the hypervisor still performs the root's accesses
        assert guest.sh("devmem 0x%x 32" % (FW_CFG + 0x10)).lower() == \
            "0x554d4551"
        assert guest.sh("echo alive") == "alive"
        assert guest.enabled() == 1
        guest.assert_healthy()
        console = guest.sh("jailhouse console")
        assert re.search(r"Unhandled data read at 0x0*%x \(2 bytes\), CPU "
                         r"\d+, cell \"%s\".*: the device answered "
                         r"with an abort, abort injected"
                         % (FW_CFG + 8, MACHINE.root_name), console), console
    finally:
        out, status = guest.disable()
    assert status == 0, out
    guest.set_enabled(True)
    guest.assert_healthy()


def test_disable(guest):
    guest.set_enabled(True)
    out, status = guest.disable()
    assert status == 0, out
    assert guest.enabled() == 0
    assert guest.run("ls %s/cells/0" % JH_SYSFS)[1] != 0
    guest.assert_healthy()
    # Stage 2 is gone: the memory reads again as plain memory.
    start, _ = hypervisor_memory()
    out, status = guest.run("devmem 0x%x 32" % (start + 0x100000))
    assert status == 0, out


def test_enable_disable_ten_times(guest):
    guest.set_enabled(False)
    for i in range(10):
        out, status = guest.enable()
        assert status == 0, "enable #%d: %s" % (i + 1, out)
        assert guest.enabled() == 1
        assert guest.sh("taskset -c %d echo on" % (i % NUM_CPUS)) == "on"
        out, status = guest.disable()
        assert status == 0, "disable #%d: %s" % (i + 1, out)
        assert guest.enabled() == 0
    guest.assert_healthy()


def test_enable_disable_while_cpus_interrupt_each_other(guest):
    """Pipes from CPU to CPU keep rescheduling IPIs in flight, so that
    disable may find one still pending in a list register and hand it back
    to the physical interrupt controller, for Linux to take there (on
    GICv2, a word written to GICD_SPENDSGIR once made QEMU abort then)."""
    guest.set_enabled(False)
    # In a subshell: no job of the interactive shell to report on.
    for cpu in range(NUM_CPUS):
        guest.sh("(taskset -c %d yes | taskset -c %d cat > /dev/null &)"
                 % (cpu, (cpu + 1) % NUM_CPUS))
    try:
        for i in range(20):
            out, status = guest.enable()
            assert status == 0, "enable #%d: %s" % (i + 1, out)
            out, status = guest.disable()
            assert status == 0, "disable #%d: %s" % (i + 1, out)
    finally:
        guest.run("killall yes")
    guest.assert_healthy()


def test_module_unloads_after_disable(guest):
    guest.set_enabled(False)
    guest.sh("rmmod jailhouse")
    assert guest.run("[ -e /dev/jailhouse ]")[1] != 0
    guest.sh("modprobe jailhouse")
    guest.set_enabled(True)
    guest.set_enabled(False)


@pytest.mark.skipif(MACHINE.no_offline_disable is not None,
                    reason=str(MACHINE.no_offline_disable))
def test_disable_with_a_cpu_offline(guest):
    """A CPU that Linux took offline while enabled comes back after
    disable."""
    guest.set_enabled(True)
    guest.sh("echo 0 > /sys/devices/system/cpu/cpu1/online")
    out, status = guest.disable()
    assert status == 0, out
    guest.sh("echo 1 > /sys/devices/system/cpu/cpu1/online")
    guest.assert_healthy()
    guest.set_enabled(True)
    guest.set_enabled(False)


def test_poweroff_while_enabled(guest):
    """Power-off from the root cell (PSCI SYSTEM_OFF on arm64, ACPI on
    x86) ends QEMU."""
    guest.set_enabled(True)
    assert guest.stop(), "QEMU still ran after poweroff"


def test_reset_while_enabled(guest):
    """A reset from the root cell (PSCI SYSTEM_RESET on arm64) resets the
    machine (QEMU runs with -no-reboot, so it ends)."""
    guest.set_enabled(True)
    assert guest.stop("reboot -f"), "QEMU still ran after reboot"
