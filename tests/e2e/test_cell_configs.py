# SPDX-License-Identifier: GPL-2.0
"""Issue 3 end to end: bad cell configurations are refused with a message
that says what is wrong, and nothing changes: the cells, Linux's CPUs,
the hypervisor's memory pool and the cell already running stay as they
were.  The bad ones are made from the second demo cell's configuration
while the first demo cell runs.

Machine-neutral: the interrupt controller is the root's first irqchip
(the GIC's distributor on arm64, the IOAPIC on x86) with its pins, the
timer demo the machine's."""

import struct

import pytest

from cells import (CELL_ARCHITECTURE, CELL_CPU_SET_SIZE, CELL_DESC_SIZE,
                   CELL_NAME, CELL_NUM_MEMORY_REGIONS, CELL_REVISION,
                   CELL_SIGNATURE,
                   DEMO, DEMO2, assert_create_refused, cell_list, demo,
                   destroy, mem_pool_used, online, online_except, patched,
                   put_config, run_inmate, stat, state, with_irqchip,
                   with_pio)
from conftest import hypervisor_memory
from machines import MACHINE

NUM_CPUS = MACHINE.cpus
# the root's interrupt controller (the GIC's distributor, the IOAPIC) and
# the pins it has of it: SPIs on arm64, IOAPIC pins on x86
IRQCHIP = MACHINE.root_irqchips[0].address
ROOT_PINS = [pin for chip in MACHINE.root_irqchips
             if chip.address == IRQCHIP for pin in chip.pins]
UART = MACHINE.uart
MEM_ROOTSHARED = 0x0080
JAILHOUSE_X86 = 0
JAILHOUSE_ARM64 = 2
# an architecture not the machine's
FOREIGN = JAILHOUSE_X86 if MACHINE.arch == "arm64" else JAILHOUSE_ARM64


def cpus(data, bitmap):
    size = struct.unpack_from("<I", data, CELL_CPU_SET_SIZE)[0]
    return patched(data, CELL_DESC_SIZE, "%ds" % size,
                   bitmap.to_bytes(size, "little"))


def ram_at(data, phys_start, size=None):
    """The cell's RAM moved to @phys_start (and resized)."""
    n, mem = DEMO2.ram()
    off = DEMO2.mem_offset(n)
    data = patched(data, off, "<Q", phys_start)
    if size is not None:
        data = patched(data, off + 16, "<Q", size)
    return data


def named(data, name):
    return patched(data, CELL_NAME, "32s", name)


def uart_taken(data):
    """The cell's UART (the root's console) without ROOTSHARED; on x86
    its ports (a PIO region: nothing shares them)."""
    if MACHINE.arch == "x86":
        return with_pio(data, UART, 8)
    n = [i for i, m in enumerate(DEMO2.regions) if m.phys_start == UART][0]
    off = DEMO2.mem_offset(n) + 24
    flags = struct.unpack_from("<Q", data, off)[0]
    assert flags & MEM_ROOTSHARED
    return patched(data, off, "<Q", flags & ~MEM_ROOTSHARED)


def bad_configs():
    good = DEMO2.data()
    hv_start, hv_size = hypervisor_memory()
    other_ram = DEMO.ram()[1]
    num_mem = struct.unpack_from("<I", good, CELL_NUM_MEMORY_REGIONS)[0]
    _, cell_ram = DEMO2.ram()
    device = MACHINE.root_device()
    # The first pin past the root's, and one of the root's.
    not_roots = max(ROOT_PINS) + 1
    roots = min(ROOT_PINS)
    # what: (configuration, words of which one must be in the message)
    return {
        "signature": (patched(good, CELL_SIGNATURE, "5s", b"JHSYS"),
                      ["signature"]),
        "architecture": (patched(good, CELL_ARCHITECTURE, "B",
                                 FOREIGN), ["architecture"]),
        "revision": (patched(good, CELL_REVISION, "<H", 13), ["revision"]),
        "truncated": (good[:-1], ["truncated"]),
        "truncated-descriptor": (good[:100], ["truncated", "short"]),
        "regions-beyond-the-file": (patched(good, CELL_NUM_MEMORY_REGIONS,
                                            "<I", num_mem + 1),
                                    ["truncated"]),
        "cpu-0": (cpus(good, 0x1), ["cpu 0"]),
        "cpu-of-another-cell": (cpus(good, 1 << DEMO.cpus[0]),
                                ["cpu %d" % DEMO.cpus[0]]),
        "cpu-that-does-not-exist": (cpus(good, 1 << NUM_CPUS),
                                    ["cpu %d" % NUM_CPUS]),
        "no-cpu": (cpus(good, 0), ["cpu"]),
        "memory-of-another-cell": (ram_at(good, other_ram.phys_start),
                                   ["memory", "region"]),
        "memory-of-the-hypervisor": (ram_at(good, hv_start),
                                     ["memory", "region"]),
        # The last page below the hypervisor, and its first one.
        "memory-into-the-hypervisor": (ram_at(good, hv_start - 0x1000,
                                              0x2000),
                                       ["memory", "region"]),
        "memory-of-linux": (ram_at(good, MACHINE.linux_ram[0]),
                            ["memory", "region"]),
        # Past the root's pins: on arm64 a pin of the distributor still
        # (QEMU's have at least 64 more SPIs), past the IOAPIC's on x86
        # (the root has all 24).
        "interrupt-not-the-roots": (with_irqchip(good, IRQCHIP, not_roots,
                                                 [1, 0, 0, 0]),
                                    ["interrupt", "irq"]),
        # at the console's address (MMIO, or the port on x86)
        "irqchip-not-the-distributor": (with_irqchip(good, UART, roots,
                                                     [1 << 2, 0, 0, 0]),
                                        ["irqchip", "interrupt", "irq"]),
        # Issue 7: loadable memory that is no RAM (a device of the root,
        # the flash on virt): the driver would write to it at "cell load".
        "loadable-not-ram": (ram_at(good, device.phys_start,
                                    None if device.size >= cell_ram.size
                                    else device.size), ["ram"]),
        # Issue 7: names that would garble "cell list", or paths.
        "name-with-escape": (named(good, b"demo\x1b[2J"), ["name"]),
        "name-with-newline": (named(good, b"demo\n2"), ["name"]),
        "name-with-slash": (named(good, b"../demo2"), ["name"]),
        # The running cell's configuration, a second time.
        "name-taken": (DEMO.data(), ["exists", "name"]),
    }


def bad(guest, what):
    """The bad configuration WHAT, as a file in the guest."""
    path = "/tmp/bad-%s.cell" % what
    if guest.run("[ -e %s ]" % path)[1]:
        put_config(guest, "bad-" + what, bad_configs()[what][0])
    return path


@pytest.fixture
def running(cell_guest):
    """The first demo cell, running, quiet."""
    g = cell_guest
    cid, _ = run_inmate(g, DEMO, demo(MACHINE.timer_demo), "count=0 quiet",
                        settle=0)
    return cid


@pytest.mark.parametrize("what", list(bad_configs()))
def test_refused(cell_guest, running, what):
    g = cell_guest
    path = bad(g, what)
    words = bad_configs()[what][1]
    cells = cell_list(g)
    used = mem_pool_used(g)
    exits = stat(g, running, "vmexits_total")

    assert_create_refused(g, path, words, what)

    assert cell_list(g) == cells
    assert online(g) == online_except(DEMO.cpus)
    assert mem_pool_used(g) == used
    assert state(g, running) == "running"
    assert stat(g, running, "vmexits_total") > exits


def test_root_console_uart_refused(cell_guest):
    """Issue 7: a cell that takes the root's console UART (without
    ROOTSHARED; on x86 its ports) from Linux's driver is refused, naming
    the device; the root's console works on.  Alone, so that no other
    cell shares the UART."""
    g = cell_guest
    path = put_config(g, "uart-taken", uart_taken(DEMO2.data()))
    g.sh("dmesg -c > /dev/null")
    out, status = g.run("jailhouse cell create " + path)
    said = (out + "\n" + g.sh("dmesg -c")).lower()
    assert status != 0, "create succeeded:\n" + out
    # the device tree node, named after the UART's address (the ports)
    assert "%x" % UART in said, said
    if MACHINE.arch == "x86":
        assert "ports 0x%x-0x%x are in use by linux" % (UART, UART + 7) \
            in said, said
    assert cell_list(g).keys() == {0}
    assert g.sh("echo the console works") == "the console works"
    g.assert_healthy()


def test_good_config_still_created(cell_guest, running):
    g = cell_guest
    cid, mark = run_inmate(g, DEMO2, demo("uart-demo"), "count=1")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert state(g, cid) == "running"
    assert online(g) == online_except(DEMO.cpus + DEMO2.cpus)
    destroy(g, cid)
    destroy(g, running)
    g.assert_healthy()
