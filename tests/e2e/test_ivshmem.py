# SPDX-License-Identifier: GPL-2.0
"""Issue 10 end to end: the three-peer ivshmem link of the shipped
configs, between the root (peer 0) and the two inmate demo cells (peers 1
and 2), each running ivshmem-demo (inmates/README.md).

The demos find their device on the virtual PCI host, its id, peers and
shared memory; a state set by one shows in the state table and at the
other; doorbells go both ways between the cells; a peer destroyed drops
to state 0, which the other is told, and comes back when created again;
link configs that do not match the link are refused by "cell create"
with the hypervisor's reason, and by "jailhouse config check".

What a demo counts is in its output section (rung, heard, seen,
interrupts: inmates/README.md), which the root reads through /dev/mem:
the root maps the link's memory, the other sections read-only.  One demo
prints its events, the other is quiet: two cells writing to the UART at
the same time would mix their lines.  The root's side of the link (its
driver and tool) is tested with those.

The doorbell bench (bench/ivshmem-doorbell.py) runs once, short, on the
same link.
"""

import importlib.util
import re
import sys

import pytest

from cells import (DEMO, DEMO2, assert_create_refused, cell_list, create,
                   demo, destroy, load, online, online_except, put_config,
                   start, state)
from conftest import TREE
from machines import MACHINE

TOOLS = TREE / "tools"
BENCH = TREE / "bench"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from pyjailhouse import check, config as cfg  # noqa: E402

DEMO_BIN = demo("ivshmem-demo")
PERIOD_MS = 500
LINE = r"^ivshmem-demo: "
# The words of an output section (inmates/README.md)
RUNG, HEARD, SEEN, INTERRUPTS = 0x00, 0x40, 0x80, 0xc0


def ivshmem_device(cell):
    """(device, its memory regions) of the ivshmem device of @cell, not
    the root's virtual Ethernet (test_ivshmem_net.py)."""
    devs = [d for d in cell.pci_devices if d.type == cfg.PCI_TYPE_IVSHMEM
            and d.shmem_protocol != cfg.SHMEM_PROTO_VETH]
    assert len(devs) == 1, cell.name
    dev = devs[0]
    start = dev.shmem_regions_start
    return dev, cell.memory_regions[start:start + 2 + dev.shmem_peers]


SYSTEM = cfg.load(str(MACHINE.sysconfig_path))
_, ROOT_SHMEM = ivshmem_device(SYSTEM.root_cell)
# Physical addresses, as the root reaches them
STATE_TABLE = ROOT_SHMEM[0].phys_start
OUTPUT = [mem.phys_start for mem in ROOT_SHMEM[2:]]


def parsed(config):
    return cfg.load(str(config.host_path))


X86 = MACHINE.arch == "x86"


def x86_ivshmem_vector():
    """IVSHMEM_VECTOR of the x86 inmate library: the IDT vector of the
    device's MSI-X vector 0."""
    header = (TREE / "inmates/lib/x86/include/inmate.h").read_text()
    return int(re.search(r"^#define IVSHMEM_VECTOR\s+(\w+)", header,
                         re.M).group(1), 0)


def irq_line(config, slot):
    """(pin, interrupt) of the demo's device line: on arm64 the INTx pin
    of the slot and its GIC interrupt from the cell's vpci_irq_base; on
    x86 no pin (MSI-X) and the library's vector."""
    if X86:
        return 0, x86_ivshmem_vector()
    pin = (slot & 3) + 1
    return pin, 32 + parsed(config).vpci_irq_base + pin - 1


def words(g, addrs):
    """32-bit words of physical memory, read by the root (devmem) into a
    file first, then read whole: a demo's line on the UART may come
    between the shell's characters."""
    g.sh("for a in %s; do devmem $a 32; done > /tmp/ivshmem-words" %
         " ".join("0x%x" % a for a in addrs))
    values = [int(v, 16) for v in g.read("/tmp/ivshmem-words").split()]
    assert len(values) == len(addrs)
    return values


def states(g):
    return words(g, [STATE_TABLE + 4 * n for n in range(3)])


def section(g, peer, what, count=3):
    """@count words at @what of the output section of @peer."""
    return words(g, [OUTPUT[peer] + what + 4 * n for n in range(count)])


def sections(g):
    """The counts of both demo cells, read in one go: {peer: {RUNG: [...],
    HEARD: [...], SEEN: [...], INTERRUPTS: n}}."""
    fields = (RUNG, HEARD, SEEN)
    addrs = [OUTPUT[peer] + what + 4 * n for peer in (1, 2)
             for what in fields for n in range(3)]
    addrs += [OUTPUT[peer] + INTERRUPTS for peer in (1, 2)]
    values = words(g, addrs)
    out = {}
    for i, peer in enumerate((1, 2)):
        out[peer] = {what: values[9 * i + 3 * j:9 * i + 3 * j + 3]
                     for j, what in enumerate(fields)}
        out[peer][INTERRUPTS] = values[18 + i]
    return out


def run_demo(g, config, args=""):
    """Create a cell, load ivshmem-demo and start it; wait for the last
    line of its start.  Return (id, its output)."""
    cid = create(g, config)
    load(g, config.name, DEMO_BIN, ("period-ms=%d " % PERIOD_MS) + args)
    mark = start(g, config.name)
    out = g.wait_output(LINE + r"setting state \d+$", mark, timeout=60)
    return cid, out


def wait_demo(g, pattern, mark):
    return g.wait_output(LINE + pattern, mark, timeout=60)


def counts(out, what):
    """The "(N in all)" of every @what line."""
    return [int(n) for n in re.findall(LINE + what + r" \((\d+) in all\)$",
                                       out, re.M)]


# -- the link ---------------------------------------------------------------

def bar_window(ecam):
    """Where the inmate library puts virtual BARs (include/jailhouse/
    ivshmem.h): the MiB after the ECAM, or the last one below 4 GiB; on x86
    after the ECAM of 256 buses (inmates/lib/x86/pci-host.c)."""
    window = ecam + (256 if X86 else 1) * cfg.VPCI_ECAM_SIZE
    if window + cfg.VPCI_BAR_WINDOW_SIZE > 1 << 32:
        window = (1 << 32) - cfg.VPCI_BAR_WINDOW_SIZE
    return window


def test_demo_finds_its_device(cell_guest):
    """ivshmem-demo in the first cell: the device as the PCI host shows
    it, its registers at the slot's place in the BAR window, id 1 of 3
    peers, the shared memory where the cell's config has it; its state in
    the state table."""
    g = cell_guest
    dev, shmem = ivshmem_device(parsed(DEMO))
    _, out = run_demo(g, DEMO)
    slot = (dev.bdf >> 3) & 0x1f
    regs = bar_window(SYSTEM.pci_mmconfig_base) + slot * 0x10000

    irqchip = "xAPIC" if X86 else "GICv%d" % MACHINE.gic_version
    assert re.search(LINE + r"running on Jailhouse cell, %s$" % irqchip,
                     out, re.M), out
    assert re.search(LINE + r"device 00:%02x\.0 110a:4106 revision 0 class "
                     r"0xff0000, INTx pin %d, interrupt %d$" %
                     ((slot,) + irq_line(DEMO, slot)), out, re.M), out
    assert re.search(LINE + r"registers at 0x%x, id %d, max peers 3$" %
                     (regs, dev.shmem_dev_id), out, re.M), out
    state_tab, rw, out0 = shmem[0], shmem[1], shmem[2]
    assert re.search(
        LINE + r"shared memory at 0x%x: state table 0x%x, read/write "
        r"section 0x%x at 0x%x, output sections 0x%x at 0x%x, mine at "
        r"0x%x$" % (state_tab.virt_start, state_tab.size, rw.size,
                    rw.virt_start, out0.size, out0.virt_start,
                    out0.virt_start + dev.shmem_dev_id * out0.size),
        out, re.M), out
    # Nobody else is up: the root runs no program on the link.
    assert re.search(LINE + r"states: 0 0 0$", out, re.M), out
    assert re.search(LINE + r"setting state 2$", out, re.M), out
    assert states(g) == [0, 2, 0]
    # No one to ring, nothing heard.
    g.listen(2 * PERIOD_MS / 1000)
    assert section(g, 1, RUNG) == [0, 0, 0]
    assert section(g, 1, HEARD) == [0, 0, 0]
    destroy(g, DEMO.name)
    assert states(g) == [0, 0, 0]
    g.assert_healthy()


def start_both(g):
    """The first demo cell printing its events, the second quiet; wait
    until the first has heard the second's third doorbell.  Return the
    ids and the first one's output since the second started."""
    id1, _ = run_demo(g, DEMO)
    mark = g.mark()
    id2, out2 = run_demo(g, DEMO2, "quiet")
    assert re.search(LINE + r"registers at 0x[0-9a-f]+, id 2, max peers "
                     r"3$", out2, re.M), out2
    assert re.search(LINE + r"states: 0 2 0$", out2, re.M), out2
    out = wait_demo(g, r"doorbell from peer 2 \(3 in all\)$", mark)
    return id1, id2, out


def test_state_and_doorbells(cell_guest):
    """Each demo sees the other's state, rings it every period and counts
    the other's doorbells: both ways, every doorbell heard, with
    interrupts.  Neither rings the root, whose state is 0."""
    g = cell_guest
    id1, id2, out = start_both(g)
    assert re.search(LINE + r"peer 2 state 0 -> 3$", out, re.M), out
    assert counts(out, "doorbell from peer 2")[:3] == [1, 2, 3], out
    assert counts(out, "rang peer 2")[:2] == [1, 2], out
    assert states(g) == [0, 2, 3]

    # the fifth doorbell or a later one: on a loaded machine the fifth may
    # come before the mark
    wait_demo(g, r"rang peer 2 \(([5-9]|[1-9]\d+) in all\)$", g.mark())
    # Every doorbell heard, but the one on its way: the words are read one
    # by one, seconds apart on a loaded machine, so what was heard is
    # bounded by what was rung in the read before and the read after.
    now, then = sections(g), sections(g)
    for ringer, hearer in ((1, 2), (2, 1)):
        rung = (now[ringer][RUNG][hearer], then[ringer][RUNG][hearer])
        heard = (now[hearer][HEARD][ringer], then[hearer][HEARD][ringer])
        assert rung[0] - 1 <= heard[1] and heard[0] <= rung[1] + 1, \
            (now, then)
    assert now[1][RUNG][2] >= 5 and now[2][RUNG][1] >= 3, now
    rung1, heard1 = now[1][RUNG], now[1][HEARD]
    rung2, heard2 = now[2][RUNG], now[2][HEARD]
    assert rung1[0] == rung2[0] == heard1[0] == heard2[0] == 0, now
    assert now[1][SEEN][2] == 3 and now[2][SEEN][1] == 2, now
    # interrupts that come together count once, doorbells do not
    for peer, other in ((1, 2), (2, 1)):
        irqs = now[peer][INTERRUPTS]
        assert 0 < irqs and now[peer][HEARD][other] <= 2 * irqs, now

    # read whole while the first one prints (not "cell list")
    assert state(g, id1) == state(g, id2) == "running"
    assert online(g) == online_except(DEMO.cpus + DEMO2.cpus)
    destroy(g, id2)
    destroy(g, id1)
    g.assert_healthy()


def test_peer_destroyed_and_created_again(cell_guest):
    """A destroyed peer's state drops to 0 and the other demo is told;
    the other stops ringing it.  Created again, with another state, it is
    seen coming up and heard from the start of its new count; then the
    other way round."""
    g = cell_guest
    id1, id2, _ = start_both(g)

    mark = g.mark()
    destroy(g, id2)
    out = wait_demo(g, r"peer 2 state 3 -> 0$", mark)
    assert states(g) == [0, 2, 0]
    # a round after the news, at most, and no more
    rung = section(g, 1, RUNG)[2]
    g.listen(3 * PERIOD_MS / 1000)
    assert section(g, 1, RUNG)[2] == rung
    assert section(g, 1, SEEN)[2] == 0

    mark = g.mark()
    id2, _ = run_demo(g, DEMO2, "quiet state=7")
    out = wait_demo(g, r"doorbell from peer 2 \(2 in all\)$", mark)
    assert re.search(LINE + r"peer 2 state 0 -> 7$", out, re.M), out
    assert counts(out, "doorbell from peer 2")[:2] == [1, 2], out
    assert states(g) == [0, 2, 7]

    # The quiet one is told as well (its section says what it saw).
    destroy(g, id1)
    assert states(g) == [0, 0, 7]
    g.listen(1)
    assert section(g, 2, SEEN)[1] == 0
    heard = section(g, 2, HEARD)[1]
    g.listen(3 * PERIOD_MS / 1000)
    assert section(g, 2, HEARD)[1] == heard
    id1, _ = run_demo(g, DEMO, "quiet")
    g.listen(3 * PERIOD_MS / 1000)
    assert section(g, 2, SEEN)[1] == 2
    # counted from the new start
    assert 1 <= section(g, 2, HEARD)[1] <= section(g, 1, RUNG)[2] + 1
    destroy(g, id2)
    destroy(g, id1)
    g.assert_healthy()


def test_shutdown_drops_the_state(cell_guest):
    """"cell shutdown" of a peer (the demo approves it) resets its device:
    its state drops to 0 and the other demo is told."""
    g = cell_guest
    id1, id2, _ = start_both(g)
    mark = g.mark()
    g.sh("jailhouse cell shutdown %d" % id2)
    wait_demo(g, r"peer 2 state 3 -> 0$", mark)
    assert state(g, id2) == "shut down"
    assert states(g) == [0, 2, 0]
    destroy(g, id2)
    destroy(g, id1)
    g.assert_healthy()


def load_bench(name):
    """The bench script bench/@name as a module."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(
        name.replace("-", "_").removesuffix(".py"), BENCH / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doorbell_bench(cell_guest):
    """bench/ivshmem-doorbell.py's measurement, short, to show that it
    works: ivshmem-pingpong echoes in the second demo cell and pings from
    the first, every doorbell answered with one doorbell back.  A bench
    is no timed test: no time is asserted."""
    bench = load_bench("ivshmem-doorbell.py")
    res = bench.measure_cells(cell_guest, 20, 100, 0)

    assert res["count"] == 20
    assert 0 < res["min"] <= res["median"] <= res["p99"] <= res["max"]
    # Every answer rang the pinger's doorbell, but the count of its
    # interrupts may be short: the answer is in shared memory before its
    # interrupt is taken (the last one may come after the summary), and a
    # doorbell still pending when the next one comes is taken once (the
    # APIC keeps one per vector, the GIC one per interrupt).  On a loaded
    # host the pinger, woken by its 10 ms tick, sees an answer before its
    # interrupt (official CI, x86, 2026-12-02: 18 of 20).  Half of them
    # show that the doorbells interrupt; test_state_and_doorbells counts
    # them one by one.
    assert res["interrupts"] >= res["count"] // 2
    # the echo's doorbells; on x86 the EOI of each of its interrupts as
    # well (the xAPIC page traps), its 10 ms wake-ups' timer and EOI too
    echo_mmio = res["exits"]["echo"]["vmexits_mmio"]
    if X86:
        assert echo_mmio >= 40
    else:
        assert echo_mmio == 20
    # both cells destroyed again
    assert list(cell_list(cell_guest)) == [0]


# -- link configs that do not match the link ---------------------------------

def demo2_cell():
    """The second demo cell's config, parsed, and its link's regions."""
    cell = parsed(DEMO2)
    return cell, ivshmem_device(cell)


def spare_ram():
    """RAM of the root above the link's memory, which no cell and no link
    uses: where a config that differs from the link puts memory, so that
    it is not refused for taking what is not the root's."""
    links = set()
    for dev in SYSTEM.root_cell.pci_devices:
        if dev.type == cfg.PCI_TYPE_IVSHMEM:
            links.update(range(dev.shmem_regions_start,
                               dev.shmem_regions_start + 2 +
                               dev.shmem_peers))
    end = max(m.phys_start + m.size for m in ROOT_SHMEM)
    return min(m.phys_start for n, m in
               enumerate(SYSTEM.root_cell.memory_regions)
               if n not in links and m.phys_start >= end and
               not m.flags & cfg.MEM_IO)


SPARE = spare_ram()


def with_peers(cell, dev, shmem, peers):
    """One more output section, and peers to match."""
    last = shmem[-1]
    cell.memory_regions.append(cfg.Memory(
        phys_start=SPARE, virt_start=last.virt_start + last.size,
        size=last.size, flags=cfg.MEM_READ | cfg.MEM_ROOTSHARED))
    dev.shmem_peers = peers


def as_peer1(cell, dev, shmem):
    """The cell as peer 1, output section rights to match."""
    dev.shmem_dev_id = 1
    shmem[3].flags |= cfg.MEM_WRITE
    shmem[4].flags &= ~cfg.MEM_WRITE


def mapping(cell, guest):
    cell.memory_regions.append(cfg.Memory(
        phys_start=parsed(DEMO2).memory_regions[1].phys_start + 0x10000,
        virt_start=guest, size=0x1000,
        flags=cfg.MEM_READ | cfg.MEM_WRITE))


def set_attr(obj, **values):
    for key, value in values.items():
        setattr(obj, key, value)


ECAM = SYSTEM.pci_mmconfig_base
# Another link's BDF: the root's virtual Ethernet, or where the root has
# none (x86), the slot after the link's
VETH = [d.bdf for d in SYSTEM.root_cell.pci_devices
        if d.shmem_protocol == cfg.SHMEM_PROTO_VETH]
OTHER_BDF = VETH[0] if VETH else ivshmem_device(SYSTEM.root_cell)[0].bdf + 8
# what: (change to the second demo cell's config (cell, device, its link's
# regions), words of which the refusal must name one)
BAD = {
    "peers": (lambda c, d, s: with_peers(c, d, s, 4),
              ["number of peers"]),
    "protocol": (lambda c, d, s: set_attr(d, shmem_protocol=0x4001),
                 ["protocol"]),
    # the running first demo cell's id
    "id-taken": (as_peer1, ["peer id is taken"]),
    "memory-differs": (lambda c, d, s: set_attr(s[4], phys_start=SPARE),
                       ["shared memory differs"]),
    # the link's memory at another BDF: another link on the same memory
    "other-bdf": (lambda c, d, s: set_attr(d, bdf=OTHER_BDF),
                  ["00:%02x.0" % (OTHER_BDF >> 3), "link", "shared memory"]),
    "state-table-writable": (lambda c, d, s: set_attr(
        s[0], flags=s[0].flags | cfg.MEM_WRITE), ["state table"]),
    "not-consecutive": (lambda c, d, s: set_attr(
        s[4], virt_start=s[4].virt_start + 0x1000), ["does not follow"]),
    # MSI-X vectors, but no BAR for their table
    "msix-without-table": (lambda c, d, s: set_attr(
        d, num_msix_vectors=2), ["msi-x"]),
    "intx-not-owned": (lambda c, d, s: set_attr(c, irqchips=[]),
                       ["intx"]),
    "ecam-mapped": (lambda c, d, s: mapping(c, ECAM), ["ecam"]),
    "domain": (lambda c, d, s: set_attr(d, domain=SYSTEM.pci_domain + 1),
               ["domain"]),
    "bus": (lambda c, d, s: set_attr(d, bdf=0x100),
            ["bus 0", "pci_mmconfig_end_bus"]),
}
if X86:
    # Devices with MSI-X only, as x86 has no virtual INTx: a table without
    # its BAR, INTx instead; every bus is the physical host's (0 to 0xff)
    BAD["msix-without-table"] = (lambda c, d, s: set_attr(
        d, bar_mask=cfg.IVSHMEM_BAR_MASKS["intx"]), ["msi-x"])
    BAD["intx-not-owned"] = (lambda c, d, s: set_attr(
        d, num_msix_vectors=0, bar_mask=cfg.IVSHMEM_BAR_MASKS["intx"]),
        ["intx"])
    del BAD["bus"]
if SYSTEM.pci_is_virtual:
    # what only a virtual host keeps: its BAR window
    BAD["bar-window-mapped"] = (lambda c, d, s: mapping(
        c, ECAM + cfg.VPCI_ECAM_SIZE), ["ecam or bar window"])


def bad_config(what):
    cell, (dev, shmem) = demo2_cell()
    BAD[what][0](cell, dev, shmem)
    return cell.pack()


@pytest.mark.parametrize("what", list(BAD))
def test_config_check_finds(what):
    """jailhouse config check, on the host, finds what cell create
    refuses, with the system and the first demo cell."""
    problems = check.check(
        (MACHINE.sysconfig, MACHINE.sysconfig_bytes()),
        [(DEMO.file, DEMO.data()), ("bad.cell", bad_config(what))])
    assert problems, what


@pytest.fixture
def first_demo(cell_guest):
    """The first demo cell, quiet, a peer of the link."""
    cid, _ = run_demo(cell_guest, DEMO, "quiet")
    return cid


@pytest.mark.parametrize("what", list(BAD))
def test_bad_link_config_refused(cell_guest, first_demo, what):
    g = cell_guest
    path = put_config(g, "ivshmem-" + what, bad_config(what))
    cells = cell_list(g)

    assert_create_refused(g, path, BAD[what][1], what)

    assert cell_list(g) == cells
    assert state(g, first_demo) == "running"
    # the link as it was: the first demo up, its section untouched
    assert states(g) == [0, 2, 0]
    assert section(g, 1, SEEN) == [0, 0, 0]
    destroy(g, first_demo)
    g.assert_healthy()
