# SPDX-License-Identifier: GPL-2.0
"""Issue 7 end to end: no cell is ever lost.  A cell that stays silent
(it spins with interrupts masked and never answers its comm region) is
shut down, restarted and destroyed within seconds, also with the longest
timeout a config can ask for, and does not keep the hypervisor from being
disabled; every cell is told "reconfiguration completed" after a create or
destroy, a silent one is failed for not answering; a cell with nothing
loaded does not start; what a cell leaves in its memory is gone when the
root gets the memory back; and a two-CPU cell whose CPUs turn each other
on and off all the time is destroyed 100 times with every CPU and page
back each time."""

import re

import pytest

from cells import (CELL_FLAGS, CELL_PASSIVE_COMMREG, DEMO, DEMO2, SMP,
                   cell_id, cell_ids, console, create, demo, destroy,
                   inmate_test, load, mem_pool_used, online,
                   patched, put_config, run_inmate, start, state, wait_state)
from machines import MACHINE

pytestmark = pytest.mark.skipif(MACHINE.no_cells is not None,
                                reason=str(MACHINE.no_cells))

ALL_CPUS = "0-%d" % (MACHINE.cpus - 1)
# hypervisor/control.c: the default reply timeout and its cap, in us
DEFAULT_TIMEOUT_US = 1000000
MAX_TIMEOUT_US = 2000000
# A cell descriptor's msg_reply_timeout (shared/ABI.md 1.2)
CELL_MSG_REPLY_TIMEOUT = 92
# What a management call on a silent cell may take, in the guest's
# seconds: the timeout, the stop and Linux's CPU hot-plug, under TCG.
SILENT_SECONDS = 15
SPINNING = r"TEST silent: spinning"


def timed(guest, cmd):
    """Run @cmd in the guest; return (output, status, seconds taken)."""
    out, status = guest.run("s=$(date +%%s); %s; r=$?; "
                            "echo elapsed $(($(date +%%s) - s)); (exit $r)"
                            % cmd)
    seconds = int(re.findall(r"^elapsed (\d+)$", out, re.M)[-1])
    return out, status, seconds


def run_silent(guest, config=DEMO, path=None):
    cid = create(guest, config, path)
    load(guest, config.name, inmate_test("silent"), "")
    mark = start(guest, config.name)
    guest.wait_output(SPINNING, mark, timeout=60)
    assert state(guest, cid) == "running"
    return cid


def no_rcu_stall(guest):
    out = guest.sh("dmesg | grep -i 'rcu.*stall' || true")
    assert out.strip() == "", out


def test_silent_cell_shut_down_restarted_destroyed(cell_guest):
    g = cell_guest
    base = mem_pool_used(g)
    cid = run_silent(g)

    out, status, seconds = timed(g, "jailhouse cell shutdown " + DEMO.name)
    assert status == 0, out
    assert seconds <= SILENT_SECONDS, out
    assert re.search(r'Cell "%s" did not answer the shutdown request in '
                     r'%d us: stopped as failed' % (DEMO.name,
                                                   DEFAULT_TIMEOUT_US),
                     console(g))
    assert state(g, cid) == "shut down"

    # Started again, the same silent program runs.
    mark = start(g, DEMO.name)
    g.wait_output(SPINNING, mark, timeout=60)
    assert state(g, cid) == "running"
    # A restart of the running cell asks it first: silence again.
    mark = g.mark()
    out, status, seconds = timed(g, "jailhouse cell start " + DEMO.name)
    assert status == 0, out
    assert seconds <= SILENT_SECONDS, out
    g.wait_output(SPINNING, mark, timeout=60)

    out, status, seconds = timed(g, "jailhouse cell destroy " + DEMO.name)
    assert status == 0, out
    assert seconds <= SILENT_SECONDS, out
    assert cell_ids(g) == [0]
    assert online(g) == ALL_CPUS
    assert mem_pool_used(g) == base
    no_rcu_stall(g)


def test_longest_timeout_is_capped(cell_guest):
    """msg_reply_timeout 0xffffffff rounds: Jailhouse would wait more than
    an hour; here the cap holds."""
    g = cell_guest
    path = put_config(g, "long-timeout",
                      patched(DEMO.data(), CELL_MSG_REPLY_TIMEOUT, "<Q",
                              0xffffffff))
    run_silent(g, DEMO, path)
    assert re.search(r'Cell "%s": msg_reply_timeout 4294967295 capped to '
                     r'%d us' % (DEMO.name, MAX_TIMEOUT_US), console(g))
    out, status, seconds = timed(g, "jailhouse cell destroy " + DEMO.name)
    assert status == 0, out
    assert seconds <= SILENT_SECONDS, out
    assert re.search(r'did not answer the shutdown request in %d us'
                     % MAX_TIMEOUT_US, console(g))
    assert online(g) == ALL_CPUS
    no_rcu_stall(g)


def test_disable_with_a_silent_cell(cell_guest):
    g = cell_guest
    run_silent(g)
    out, status, seconds = timed(g, "jailhouse disable")
    assert status == 0, out
    assert seconds <= SILENT_SECONDS, out
    assert g.enabled() == 0
    g.assert_healthy()
    no_rcu_stall(g)
    g.set_enabled(True)


def test_reconfiguration_completed(cell_guest):
    """After a create and a destroy, every other cell is told.  One that
    answers runs on; a silent one is failed and stopped, and the create
    goes ahead."""
    g = cell_guest
    silent = run_silent(g)
    mark = g.mark()
    out, status, seconds = timed(g, "jailhouse cell create " + DEMO2.path)
    assert status == 0, out
    assert seconds <= SILENT_SECONDS, out
    assert re.search(r'Cell "%s" did not answer a message in %d us: '
                     r'stopped as failed' % (DEMO.name, DEFAULT_TIMEOUT_US),
                     g.output_since(mark) + console(g))
    wait_state(g, silent, "failed")
    listener = cell_id(g, DEMO2.name)

    # The cell that answers: it prints a line a second, and goes on.
    load(g, DEMO2.name, demo("uart-demo"), "count=0 interval-ms=1000")
    mark = start(g, DEMO2.name, settle=0)
    g.wait_output(r"Hello 2 from cell!", mark, timeout=60)
    destroy(g, DEMO.name)
    mark = g.mark()
    g.wait_output(r"Hello \d+ from cell!", mark, timeout=30)
    assert state(g, listener) == "running"
    assert "did not answer" not in g.output_since(mark)
    destroy(g, DEMO2.name)
    assert online(g) == ALL_CPUS


def test_start_without_image_refused(cell_guest):
    g = cell_guest
    cid = create(g, DEMO)
    g.sh("dmesg -c > /dev/null")
    out, status = g.run("jailhouse cell start " + DEMO.name)
    assert status != 0, out
    assert "nothing loaded" in g.sh("dmesg -c"), out
    assert state(g, cid) == "shut down"

    # A load that fails (the image lies outside the cell) leaves nothing
    # to start either.
    out, status = g.run("jailhouse cell load %s %s -a 0x10000000"
                        % (DEMO.name, demo("uart-demo")))
    assert status != 0, out
    out, status = g.run("jailhouse cell start " + DEMO.name)
    assert status != 0, out
    assert state(g, cid) == "shut down"

    # With an image it starts.
    load(g, DEMO.name, demo("uart-demo"), "count=1")
    mark = start(g, DEMO.name)
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    destroy(g, DEMO.name)
    assert online(g) == ALL_CPUS


def devmem(guest, addr):
    return int(guest.sh("devmem 0x%x 32" % addr).split()[-1], 16)


def test_memory_cleared_on_destroy(cell_guest):
    """The inmate's image, its command line and what it wrote are gone
    when the root cell can read the memory again."""
    g = cell_guest
    _, ram = DEMO.ram()
    cid, mark = run_inmate(g, DEMO, demo("uart-demo"), "count=1")
    g.wait_output(r"^uart-demo: done$", mark, timeout=60)
    destroy(g, DEMO.name)
    words = [devmem(g, ram.phys_start + off)
             for off in range(0, ram.size, 0x400)]
    assert words == [0] * len(words), [hex(w) for w in words]


PINGPONG_CYCLES = 100


@pytest.mark.skipif(MACHINE.arch != "arm64",
                    reason="psci-pingpong is arm64's; no x86 inmate turns "
                    "its CPUs on and off (INIT and SIPI) in a loop yet")
def test_cpu_on_off_race_with_destroy(cell_guest):
    """A two-CPU cell whose CPUs turn each other on and themselves off
    all the time, destroyed 100 times: each time both CPUs come back to
    Linux and the memory pool to its baseline; no CPU ever starts in a
    cell being stopped."""
    g = cell_guest
    data = SMP.data()
    flags = int.from_bytes(data[CELL_FLAGS:CELL_FLAGS + 4], "little")
    path = put_config(g, "pingpong", patched(data, CELL_FLAGS, "<I",
                                             flags | CELL_PASSIVE_COMMREG))
    jh = "/sys/devices/jailhouse"
    loop = (
        "base=$(cat {jh}/mem_pool_used); i=0; "
        "while [ $i -lt {n} ]; do "
        "jailhouse cell create {cfg} || break; "
        "jailhouse cell load {name} {img} -s '' -a 0x1000 || break; "
        "jailhouse cell start {name} || break; "
        "jailhouse cell destroy {name} || break; "
        "used=$(cat {jh}/mem_pool_used); "
        "[ $used = $base ] || {{ echo cycle $i: mem_pool_used $used, "
        "baseline $base; break; }}; "
        "[ \"$(cat /sys/devices/system/cpu/online)\" = {all} ] "
        "|| {{ echo cycle $i: CPUs $(cat /sys/devices/system/cpu/online);"
        " break; }}; "
        "i=$((i + 1)); done; echo cycles: $i"
    ).format(jh=jh, n=PINGPONG_CYCLES, cfg=path, name=SMP.name,
             img=inmate_test("psci-pingpong"), all=ALL_CPUS)
    out = g.sh(loop, timeout=1200)
    assert re.search(r"^cycles: %d$" % PINGPONG_CYCLES, out, re.M), \
        out[-2000:]
    log = console(g)
    assert "does not stop" not in log and "is not parked" not in log, log
    assert cell_ids(g) == [0]
    g.assert_healthy()
    no_rcu_stall(g)
