# SPDX-License-Identifier: GPL-2.0
"""Issue 3 end to end: non-root cells beside the root Linux.  Each demo's
output, the life cycle by id and by name with what sysfs, "cell list" and
Linux's CPUs say at every step, two cells at once, a shutdown that the cell
approves, one it denies and one of a passive cell, PSCI SYSTEM_OFF from a
cell, a running/locked cell, a failed cell destroyed and created again,
on x86 a failed CPU that its sibling cannot start again,
100 create/load/start/destroy cycles with no page lost, and disable with
cells present."""

import re

import pytest

from cells import (CELL_FLAGS, CELL_PASSIVE_COMMREG, DEMO, DEMO2, SMP, attr,
                   cell_dir, cell_id, cell_ids, cell_list, console, create,
                   demo, destroy, inmate_test, load, mem_pool_used, online,
                   online_except, patched, put_config, run_inmate, start,
                   stat, state, wait_state)
from conftest import JH_SYSFS, ROOT_CELL
from machines import MACHINE

NUM_CPUS = MACHINE.cpus
ALL_CPUS = "0-%d" % (NUM_CPUS - 1)
JITTER = re.compile(r"Timer fired, jitter: (\d+) ns, min: (\d+) ns, "
                    r"max: (\d+) ns")


def lines(pattern, out):
    return re.findall(pattern, out, re.M)


# -- the demos ----------------------------------------------------------------

def test_uart_demo(cell_guest):
    g = cell_guest
    _, mark = run_inmate(g, DEMO, demo("uart-demo"),
                         "count=3 interval-ms=100")
    out = g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert lines((r"^uart-demo: running on Jailhouse cell, %s, "
                  r"console %%s$" % MACHINE.inmate_cpu)
                 % (DEMO.cpus[0], MACHINE.inmate_console), out), out
    assert lines(r"^Hello (\d+) from cell!$", out) == ["1", "2", "3"], out


def test_uart_demo_on_the_debug_console(cell_guest):
    """con-type=JAILHOUSE: the cell prints through the hypervisor's debug
    console (hypercall 8), which "jailhouse console" shows too, and
    "jailhouse console -f" as it comes."""
    g = cell_guest
    # In a subshell: no job of the interactive shell to report on.
    g.sh("(jailhouse console -f > /tmp/follow 2>&1 & "
         "echo $! > /tmp/follow.pid)")
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"),
                           "con-type=JAILHOUSE count=2 interval-ms=100")
    out = g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert lines(r"^uart-demo: running on Jailhouse cell, .*console "
                 r"hypervisor debug console$", out), out
    followed = g.sh("kill $(cat /tmp/follow.pid) && cat /tmp/follow")
    buf = console(g)
    for line in ["Hello 1 from cell!", "Hello 2 from cell!",
                 "uart-demo: done"]:
        assert line in buf, "%r not in the hypervisor console:\n%s" % (line,
                                                                     buf)
        assert line in followed, "%r not followed:\n%s" % (line, followed)
    assert stat(g, cid, "vmexits_hypercall") >= len("uart-demo: done")


# x86: the APIC in xAPIC mode, and in the x2APIC mode the hypervisor
# emulates for non-root cells.
APIC_MODES = ["xAPIC", "x2APIC"] if MACHINE.arch == "x86" else [None]


@pytest.mark.parametrize("apic", APIC_MODES)
def test_gic_demo(cell_guest, apic):
    """The timer demo: gic-demo, or apic-demo on x86."""
    g = cell_guest
    count = 20
    name = MACHINE.timer_demo
    x2apic = " x2apic" if apic == "x2APIC" else ""
    cid, mark = run_inmate(g, DEMO, demo(name),
                           "count=%d period-us=10000%s" % (count, x2apic))
    out = g.wait_output(r"^Jitter summary: count %d," % count, mark,
                        timeout=60)
    controller = ("GICv%d" % MACHINE.gic_version if MACHINE.gic_version
                  else apic)
    assert lines(r"^%s: running on Jailhouse cell, %s, timer "
                 r"\d+ Hz, period 10000 us\b" % (name, controller),
                 out), out
    fired = [tuple(map(int, m)) for m in JITTER.findall(out)]
    assert len(fired) == count, out
    lo, hi = fired[0][0], fired[0][0]
    for jitter, low, high in fired:
        lo, hi = min(lo, jitter), max(hi, jitter)
        assert (low, high) == (lo, hi), out
    summary = re.search(r"Jitter summary: count (\d+), min (\d+) ns, avg "
                        r"(\d+) ns, max (\d+) ns", out)
    assert summary and int(summary.group(2)) == lo and \
        int(summary.group(4)) == hi, out
    # Every timer interrupt reached the cell through the hypervisor
    # (on x86 directly, without an exit).
    if MACHINE.irqs_exit:
        assert stat(g, cid, "vmexits_virt_irq") >= count
    # x86: each EOI and timer write exits, on the xAPIC page (an MMIO
    # exit) or through an x2APIC MSR.
    if apic:
        counter = "vmexits_mmio" if apic == "xAPIC" else "vmexits_xapic"
        assert stat(g, cid, counter) >= 2 * count


@pytest.mark.parametrize("apic", APIC_MODES)
def test_smp_demo(cell_guest, apic):
    g = cell_guest
    assert len(SMP.cpus) == 2
    x2apic = " x2apic" if apic == "x2APIC" else ""
    cid, mark = run_inmate(g, SMP, demo("smp-demo"),
                           "count=3 interval-ms=100" + x2apic)
    out = g.wait_output(r"^smp-demo: CPU \d done$", mark, timeout=60,
                        count=2)
    first, second = SMP.cpus
    # CPU ids as the inmates name them: MPIDR, or APIC ID on x86 (the
    # same as Linux's numbers on both QEMU machines)
    cpu_id = "MPIDR 0x%x" if MACHINE.arch == "arm64" else "APIC ID %d"
    assert lines(r"^smp-demo: running on Jailhouse cell, boot CPU %s, "
                 r"starting %s$" % (cpu_id % first, cpu_id % second),
                 out), out
    for index, cpu in enumerate(SMP.cpus):
        assert lines(r"^smp-demo: CPU %d \(%s\): line (\d)$"
                     % (index, cpu_id % cpu), out) == ["1", "2", "3"], out
        assert lines(r"^smp-demo: CPU %d done$" % index, out), out
    assert "failed" not in out
    # The second CPU came through PSCI, or INIT and SIPI through the APIC,
    # trapped by the hypervisor.
    counter = (MACHINE.cpu_on_counter if apic != "x2APIC"
               else "vmexits_msr_x2apic_icr")
    assert stat(g, cid, counter) >= 1
    assert stat(g, cid, "vmexits_total", cpu=second) > 0


# -- life cycle ---------------------------------------------------------------

@pytest.mark.parametrize("by", ["id", "name", "--name"])
def test_life_cycle(cell_guest, by):
    g = cell_guest
    base_used = mem_pool_used(g)
    listed = cell_list(g)
    root_name = listed[0][0]
    assert listed == {0: (root_name, "running", ALL_CPUS, "")}

    cid = create(g, DEMO)
    ref = {"id": str(cid), "name": DEMO.name,
           "--name": "--name " + DEMO.name}[by]
    cpus = DEMO.cpu_list
    # Created: stopped, its CPU gone from Linux and from the root cell.
    assert cid != 0
    assert cell_list(g) == {0: (root_name, "running",
                                online_except(DEMO.cpus), ""),
                            cid: (DEMO.name, "shut down", cpus, "")}
    assert attr(g, cid, "name") == DEMO.name
    assert attr(g, cid, "state") == "shut down"
    assert attr(g, cid, "cpus_assigned_list") == cpus
    assert int(attr(g, cid, "cpus_assigned"), 16) == \
        sum(1 << c for c in DEMO.cpus)
    assert attr(g, cid, "cpus_failed_list") == ""
    assert int(attr(g, cid, "cpus_failed"), 16) == 0
    assert g.read(ROOT_CELL + "/cpus_assigned_list") == \
        online_except(DEMO.cpus)
    assert online(g) == online_except(DEMO.cpus)
    for cpu in DEMO.cpus:
        assert g.read("/sys/devices/system/cpu/cpu%d/online" % cpu) == "0"
    for counter in MACHINE.counters:
        assert stat(g, cid, counter) >= 0
        for cpu in DEMO.cpus:
            assert stat(g, cid, counter, cpu) >= 0
    assert mem_pool_used(g) > base_used

    load(g, ref, demo("uart-demo"), "count=2 interval-ms=100")
    assert state(g, cid) == "shut down"

    mark = start(g, ref)
    out = g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert lines(r"^Hello (\d+) from cell!$", out) == ["1", "2"], out
    assert state(g, cid) == "running"
    assert cell_list(g)[cid] == (DEMO.name, "running", cpus, "")
    total = stat(g, cid, "vmexits_total")
    assert total > 0
    assert sum(stat(g, cid, "vmexits_total", cpu)
               for cpu in DEMO.cpus) >= total
    stats = g.sh("jailhouse cell stats " + ref)
    assert "Statistics for %s cell" % DEMO.name in stats, stats
    for counter in MACHINE.counters:
        assert re.search(r"^%s\s+\d+(\s+\d+){%d}$" % (counter,
                                                       len(DEMO.cpus)),
                         stats, re.M), stats
    assert re.search(r"^COUNTER\s+SUM\s+%s$" % r"\s+".join(
        "CPU%d" % c for c in DEMO.cpus), stats, re.M), stats
    # Watched: refreshed every second until interrupted (the shell may
    # say "Terminated").
    refreshed = g.sh("timeout 3 jailhouse cell stats -f %s > /tmp/stats; "
                     "grep -c 'PER SEC' /tmp/stats" % ref)
    assert int(refreshed.splitlines()[-1]) >= 1

    # Shut down, loaded again and started again: it runs from the start.
    mark = g.mark()
    g.sh("jailhouse cell shutdown " + ref)
    assert state(g, cid) == "shut down"
    assert "Shutdown request approved" in g.output_since(mark)
    load(g, ref, demo("uart-demo"), "count=1 interval-ms=100")
    mark = start(g, ref)
    out = g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert lines(r"^Hello (\d+) from cell!$", out) == ["1"], out
    assert state(g, cid) == "running"

    destroy(g, ref)
    assert cell_ids(g) == [0]
    assert g.run("ls " + cell_dir(cid))[1] != 0
    assert cell_list(g) == {0: (root_name, "running", ALL_CPUS, "")}
    assert g.read(ROOT_CELL + "/cpus_assigned_list") == ALL_CPUS
    assert mem_pool_used(g) == base_used
    g.assert_healthy()


def test_commands_name_a_missing_cell(cell_guest):
    """Errors name the cell and the reason."""
    g = cell_guest
    for cmd, ref in [("load 7 /dev/null", "7"),
                     ("load --name nosuch /dev/null", "nosuch"),
                     ("start 7", "7"), ("start nosuch", "nosuch"),
                     ("shutdown nosuch", "nosuch"), ("destroy 7", "7"),
                     ("destroy --name nosuch", "nosuch"),
                     ("stats nosuch", "nosuch")]:
        g.sh("dmesg -c > /dev/null")
        out, status = g.run("jailhouse cell " + cmd)
        assert status != 0, "cell %s succeeded: %s" % (cmd, out)
        said = out + "\n" + g.sh("dmesg -c")
        assert re.search(r"\b%s\b" % ref, said) and \
            re.search(r"no such|no cell", said, re.I), \
            "cell %s: %s" % (cmd, said)
    # The root cell is not managed like the others.
    for cmd in ["start 0", "destroy 0", "shutdown 0"]:
        out, status = g.run("jailhouse cell " + cmd)
        assert status != 0, "cell %s succeeded: %s" % (cmd, out)
    assert cell_ids(g) == [0]
    g.assert_healthy()


def test_two_cells_at_once(cell_guest):
    """Both print on the UART they share.  gic-demo is quiet after its
    first line until its summary, four seconds after its start, so that
    its lines and uart-demo's, written character by character by two CPUs,
    do not mix."""
    g = cell_guest
    id1 = create(g, DEMO)
    id2 = create(g, DEMO2)
    assert id1 != id2
    assert online(g) == online_except(DEMO.cpus + DEMO2.cpus)
    load(g, DEMO.name, demo(MACHINE.timer_demo),
         "count=160 period-us=25000 quiet")
    load(g, DEMO2.name, demo("uart-demo"), "count=4 interval-ms=150")
    mark = start(g, DEMO.name)
    g.wait_output(r"^%s: running on .*$" % MACHINE.timer_demo, mark,
                  timeout=30)
    g.sh("jailhouse cell start %s && sleep 1.5" % DEMO2.name)
    g.wait_output(r"Jitter summary: count 160,", mark, timeout=60)
    out = g.wait_output(r"^uart-demo: done$", mark, timeout=30)
    hello = [m.start() for m in re.finditer(r"^Hello \d from cell!$", out,
                                            re.M)]
    summary = re.search(r"Jitter summary: count 160,", out, re.M).start()
    assert len(hello) == 4, out
    # Side by side: uart-demo printed while gic-demo counted its interrupts.
    assert hello[-1] < summary, out
    cells = cell_list(g)
    assert cells[id1] == (DEMO.name, "running", DEMO.cpu_list, "")
    assert cells[id2] == (DEMO2.name, "running", DEMO2.cpu_list, "")
    if MACHINE.irqs_exit:
        assert stat(g, id1, "vmexits_virt_irq") >= 80
    destroy(g, DEMO2.name)
    assert online(g) == online_except(DEMO.cpus)
    assert state(g, id1) == "running"
    destroy(g, id1)
    g.assert_healthy()


# -- shutdown -----------------------------------------------------------------

def test_shutdown_approved(cell_guest):
    g = cell_guest
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"),
                           "count=0 interval-ms=300")
    g.wait_output(r"^Hello 2 from cell!$", mark, timeout=60)
    mark = g.mark()
    out, status = g.run("jailhouse cell shutdown " + DEMO.name)
    assert status == 0, out
    g.listen(1)
    said = g.output_since(mark)
    assert "Shutdown request approved" in said, said
    assert state(g, cid) == "shut down"
    # It stopped printing.
    mark = g.mark()
    g.listen(2)
    assert "from cell!" not in g.output_since(mark)
    assert cell_list(g)[cid][1] == "shut down"
    assert online(g) == online_except(DEMO.cpus)


def test_shutdown_of_a_passive_cell(cell_guest):
    """A passive cell is stopped without being asked: even one that would
    deny."""
    g = cell_guest
    data = DEMO.data()
    flags = int.from_bytes(data[CELL_FLAGS:CELL_FLAGS + 4], "little")
    path = put_config(g, "passive", patched(data, CELL_FLAGS, "<I",
                                            flags | CELL_PASSIVE_COMMREG))
    cid = create(g, DEMO, path)
    load(g, DEMO.name, demo("uart-demo"), "count=1 deny-shutdown")
    mark = start(g, DEMO.name)
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    mark = g.mark()
    g.sh("jailhouse cell shutdown " + DEMO.name)
    g.listen(1)
    said = g.output_since(mark)
    assert "Shutdown request" not in said, said
    assert state(g, cid) == "shut down"
    exits = stat(g, cid, "vmexits_total")
    g.listen(1)
    assert stat(g, cid, "vmexits_total") == exits


def test_cell_powers_itself_off(cell_guest):
    """PSCI SYSTEM_OFF from a cell (on x86: its state set shut down, then
    a halt) shuts down that cell only."""
    g = cell_guest
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"), "count=1 poweroff")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    wait_state(g, cid, "shut down")
    if MACHINE.poweroff_message:
        assert re.search(r"%s.*%s" % (DEMO.name, MACHINE.poweroff_message),
                         console(g))
    assert online(g) == online_except(DEMO.cpus)
    # It can run again.
    load(g, DEMO.name, demo("uart-demo"), "count=1")
    mark = start(g, DEMO.name)
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert state(g, cid) == "running"


def test_running_locked_cell(cell_guest):
    """A running/locked cell keeps the others from being managed."""
    g = cell_guest
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"), "count=1 locked")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert state(g, cid) == "running/locked"
    assert cell_list(g)[cid][1] == "running/locked"
    out, status = g.run("jailhouse cell create " + DEMO2.path)
    assert status != 0, "create beside a locked cell succeeded"
    assert cell_ids(g) == [0, cid]
    assert online(g) == online_except(DEMO.cpus)
    # The locked cell itself may go, and then the others come.
    destroy(g, cid)
    create(g, DEMO2)
    destroy(g, DEMO2.name)
    g.assert_healthy()


# -- failure ------------------------------------------------------------------

def test_failed_cell_destroyed_and_created_again(cell_guest):
    g = cell_guest
    base_used = mem_pool_used(g)
    cid, mark = run_inmate(g, DEMO, inmate_test("mem-access"),
                           "addr=0x%x" % DEMO.unmapped(MACHINE.linux_ram[0]))
    g.wait_output(r"TEST mem-access: trying", mark, timeout=60)
    wait_state(g, cid, "failed")
    assert attr(g, cid, "cpus_failed_list") == DEMO.cpu_list
    assert cell_list(g)[cid] == (DEMO.name, "failed", DEMO.cpu_list,
                                 DEMO.cpu_list)
    destroy(g, DEMO.name)
    assert mem_pool_used(g) == base_used
    g.assert_healthy()

    cid, mark = run_inmate(g, DEMO, demo("uart-demo"), "count=1")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert state(g, cid) == "running"
    assert attr(g, cid, "cpus_failed_list") == ""


@pytest.mark.skipif(MACHINE.arch != "x86", reason="INIT and SIPI are x86's")
def test_failed_cpu_not_restarted_by_its_sibling(cell_guest):
    """A CPU that the hypervisor stopped stays stopped when the other CPU
    of its cell sends it INIT and SIPI (as PSCI CPU_ON is denied on arm64):
    a cell cannot fail and restart a CPU of its own in a loop.  The cell's
    next start brings it back."""
    g = cell_guest
    second = SMP.cpus[1]
    cid = create(g, SMP)
    for _ in range(2):
        load(g, SMP.name, inmate_test("sipi-failed"), "cpu=%d" % second)
        mark = start(g, SMP.name)
        out = g.wait_output(r"TEST sipi-failed: result .*", mark,
                            timeout=60)
        assert "TEST sipi-failed: result first start 0, second start " \
            "-110" in out, out
        assert len(re.findall(r"CPU %d of cell \"%s\" stopped"
                              % (second, SMP.name), out)) == 1, out
        assert state(g, cid) == "running"
        assert attr(g, cid, "cpus_failed_list") == str(second)
    destroy(g, SMP.name)
    g.assert_healthy()


# -- many cycles --------------------------------------------------------------

CYCLES = 100


def test_create_load_start_destroy_cycles(cell_guest):
    """100 cycles in a shell loop in the guest; after each, the
    hypervisor's memory pool is back where it was, the CPU back online."""
    g = cell_guest
    jh = "/sys/devices/jailhouse"
    cpu = DEMO.cpus[0]
    loop = (
        "base=$(cat {jh}/mem_pool_used); i=0; "
        "while [ $i -lt {n} ]; do "
        "jailhouse cell create {cfg} || break; "
        "jailhouse cell load {name} {img} {base}-s 'count=0 quiet' "
        "-a 0x{cmdline:x} || break; "
        "jailhouse cell start {name} || break; "
        "[ \"$(cat {jh}/cells/*/state | grep -c running)\" = 2 ] "
        "|| {{ echo cycle $i: not running; break; }}; "
        "jailhouse cell destroy {name} || break; "
        "used=$(cat {jh}/mem_pool_used); "
        "[ $used = $base ] || {{ echo cycle $i: mem_pool_used $used, "
        "baseline $base; break; }}; "
        "[ $(cat /sys/devices/system/cpu/cpu{cpu}/online) = 1 ] "
        "|| {{ echo cycle $i: CPU {cpu} offline; break; }}; "
        "i=$((i + 1)); done; echo cycles: $i"
    ).format(jh=jh, n=CYCLES, cfg=DEMO.path, name=DEMO.name,
             img=demo(MACHINE.timer_demo), cpu=cpu,
             base=("-a 0x%x " % MACHINE.inmate_base
                   if MACHINE.inmate_base else ""),
             cmdline=MACHINE.inmate_base + 0x1000)
    out = g.sh(loop, timeout=900)
    assert re.search(r"^cycles: %d$" % CYCLES, out, re.M), out[-2000:]
    assert cell_ids(g) == [0]
    g.assert_healthy()


# -- disable ------------------------------------------------------------------

def test_disable_destroys_the_cells(cell_guest):
    g = cell_guest
    run_inmate(g, DEMO, demo(MACHINE.timer_demo), "count=0 quiet")
    run_inmate(g, DEMO2, demo("uart-demo"), "count=1")
    assert len(cell_ids(g)) == 3
    out, status = g.disable()
    assert status == 0, out
    assert g.enabled() == 0
    assert g.run("ls %s/cells" % JH_SYSFS)[0] == ""
    g.assert_healthy()
    # And the hypervisor comes back with cells as before.
    g.set_enabled(True)
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"), "count=1")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    assert state(g, cid) == "running"


# -- last: a cell that cannot be removed --------------------------------------

def test_shutdown_denied(cell_guest):
    """A cell that denies is neither shut down nor destroyed, and keeps
    the hypervisor enabled.  Nothing but a reset removes it: this test
    comes last and ends the guest."""
    g = cell_guest
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"),
                           "count=1 deny-shutdown")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    for cmd in ["jailhouse cell shutdown " + DEMO.name,
                "jailhouse cell destroy " + DEMO.name,
                "jailhouse disable"]:
        mark = g.mark()
        g.sh("dmesg -c > /dev/null")
        out, status = g.run(cmd)
        assert status != 0, "%s succeeded:\n%s" % (cmd, out)
        said = out + g.sh("dmesg -c") + g.output_since(mark)
        assert "Shutdown request denied" in said, said
        assert re.search(r"not permitted|denied", out, re.I), out
        assert "denied the shutdown request" in console(g)
        # It runs on: its CPU keeps taking its timer interrupts.
        assert state(g, cid) == "running"
        exits = stat(g, cid, "vmexits_total")
        g.listen(1)
        assert stat(g, cid, "vmexits_total") > exits
        assert g.enabled() == 1
    assert online(g) == online_except(DEMO.cpus)
    g.stop()
