#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Management timings: how long enable, disable, cell create, load,
start, shutdown and destroy take in the root cell, and a cell's start
to its first output, in guest time under QEMU's "-icount
shift=0,sleep=off", on the machines of scripts/qemu-run.sh.

Each machine boots the e2e tests' guest (tests/e2e/conftest.py).  Every
command runs under cntvct-run (tests/e2e/guest/cntvct-run.c), which reads
the virtual counter (CNTVCT_EL0) before it forks the command and after
it reaped it.  One run is, in one boot:

  enable       jailhouse enable SYSCONFIG (the module loaded before)
  create       jailhouse cell create DEMO-CELL
  load         jailhouse cell load NAME uart-demo.bin -s 'count=1 stamp'
  start        jailhouse cell start NAME
  first output from before "cell create" to the counter that uart-demo
               prints in its first line ("stamp"); the three commands run
               one after the other in one shell command line
  shutdown     jailhouse cell shutdown NAME, the cell idle after its
               demo: it answers the hypervisor's shutdown request
  destroy      jailhouse cell destroy NAME, the cell started again and
               idle after its demo (it answers too)
  create Linux jailhouse cell create of the machine's Linux demo cell (two
               CPUs, 128 MiB, on virt the machine's virtio-net card)
  destroy Linux
               jailhouse cell destroy of it, never started: its CPUs and
               card back to Linux, its memory cleared
  disable      jailhouse disable, no cell left but the root

repeated --runs times (min / median / max per operation).  Guest time:
one instruction is one nanosecond, idle time skipped; all CPUs run in
turn in one thread, so a time holds what the other CPUs ran meanwhile.
The table is printed and written to bench/results/management-DATE.txt
(and .json); a machine that cannot be measured is reported as "not
measured" with the reason.  No test asserts a time.

Run after make, make initramfs and make -C inmates:

usage: bench/management.py [--machine virt,virt-gicv2,zcu102] [--runs N]
"""

import argparse
import datetime
import json
import re
import statistics
import sys

import e2eguest
from e2eguest import NotMeasured

BENCH = "management"
RESULTS = e2eguest.TREE / "bench/results"
TIMER = "/usr/libexec/jailhouse/tests/cntvct-run"
TIMES_FILE = "/tmp/management-times"
TIMES_RE = re.compile(r"cntvct-run: start (\d+) end (\d+) freq (\d+) "
                      r"status (\d+)")
STAMP_RE = re.compile(r"^uart-demo: running on .*, counter (\d+)$", re.M)
DONE = r"^uart-demo: done$"
OPS = ("enable", "create", "load", "start", "first output", "shutdown",
       "destroy", "create Linux", "destroy Linux", "disable")


def run_timed(guest, cmds, timeout=1800):
    """Run each command line of @cmds under cntvct-run, one after the
    other in one shell command line (the next only if the one before
    succeeded), their output into a file, so that nothing of the shell's
    comes between a cell's lines on the console."""
    guest.run("(%s) > %s 2>&1" % (" && ".join(
        "%s %s" % (TIMER, c) for c in cmds), TIMES_FILE), timeout=timeout)


def read_times(guest, cmds):
    """The times of run_timed(@cmds): [(start, end)] in counter ticks,
    and the counter's rate.  Read framed (Guest.read), as a cell may
    still print on the console."""
    text = guest.read(TIMES_FILE)
    found = [tuple(map(int, m.groups())) for m in TIMES_RE.finditer(text)]
    if len(found) != len(cmds) or any(status for *_, status in found):
        raise NotMeasured("%r failed: %s" % (" && ".join(cmds),
                                             text[-400:]))
    return [(start, end) for start, end, _, _ in found], found[0][2]


def timed(guest, cmds):
    run_timed(guest, cmds)
    return read_times(guest, cmds)


def us(ticks, freq):
    return ticks * 1e6 / freq


def one_run(guest, conftest, cells, image, linuxcell):
    """One round of every operation; return {operation: microseconds}."""
    cell = cells.DEMO
    res = {}
    (t,), freq = timed(guest, ["jailhouse enable " + conftest.sysconfig()])
    res["enable"] = us(t[1] - t[0], freq)

    mark = guest.mark()
    cmds = ["jailhouse cell create " + cell.path,
            "jailhouse cell load %s %s -s 'count=1 interval-ms=1 stamp' "
            "-a 0x%x" % (cell.name, image, cells.CMDLINE_ADDR),
            "jailhouse cell start " + cell.name]
    run_timed(guest, cmds)
    out = guest.wait_output(DONE, mark, timeout=600)
    times, freq = read_times(guest, cmds)
    stamp = STAMP_RE.search(out)
    if not stamp:
        raise NotMeasured("no counter in uart-demo's first line: %r"
                          % out[-400:])
    for op, (start, end) in zip(("create", "load", "start"), times):
        res[op] = us(end - start, freq)
    res["first output"] = us(int(stamp.group(1)) - times[0][0], freq)

    (t,), freq = timed(guest, ["jailhouse cell shutdown " + cell.name])
    res["shutdown"] = us(t[1] - t[0], freq)
    state = guest.read("%s/state" % cells.cell_dir(
        cells.cell_id(guest, cell.name)))
    if state != "shut down":
        raise NotMeasured("the cell is %r after its shutdown" % state)

    mark = guest.mark()
    guest.sh("jailhouse cell start " + cell.name)
    guest.wait_output(DONE, mark, timeout=600)
    (t,), freq = timed(guest, ["jailhouse cell destroy " + cell.name])
    res["destroy"] = us(t[1] - t[0], freq)

    for op, cmd in (("create Linux", "create " + linuxcell.CONFIG),
                    ("destroy Linux", "destroy " + linuxcell.NAME)):
        (t,), freq = timed(guest, ["jailhouse cell " + cmd])
        res[op] = us(t[1] - t[0], freq)

    (t,), freq = timed(guest, ["jailhouse disable"])
    res["disable"] = us(t[1] - t[0], freq)
    return res


def measure(name, args):
    """The bench on machine @name, in a guest of its own."""
    machine, conftest = e2eguest.select(name)
    import cells
    import linuxcell

    if not cells.DEMO.host_path.exists():
        raise NotMeasured("not built: %s" % cells.DEMO.host_path)
    guest = e2eguest.guest(BENCH, machine,
                           e2eguest.root_initramfs(BENCH, name))
    guest.filter = cells.OutputFilter()
    runs = []
    try:
        guest.start()
        if guest.run("test -x " + TIMER)[1]:
            raise NotMeasured("%s missing: make initramfs" % TIMER)
        guest.load_module()
        for _ in range(args.runs):
            runs.append(one_run(guest, conftest, cells,
                                cells.demo("uart-demo"), linuxcell))
    except (conftest.GuestError, AssertionError) as e:
        raise NotMeasured("guest: %s" % str(e)[-500:]) from None
    finally:
        guest.stop()
    return {"machine": name, "gic": machine.gic_version,
            "cell": cells.DEMO.name, "runs": runs,
            "stats": {op: {"min": min(r[op] for r in runs),
                           "median": statistics.median(r[op] for r in runs),
                           "max": max(r[op] for r in runs)}
                      for op in OPS}}


def table(results, args):
    lines = ["Management timings: %d runs, guest time in ms (min / median "
             "/ max)" % args.runs,
             "%s, TCG, -icount %s"
             % (e2eguest.qemu_version(), e2eguest.ICOUNT), "",
             "%-14s" % "operation" + "".join(
                 " %-26s" % r["machine"] for r in results),
             "-" * (14 + 27 * len(results))]
    for op in OPS:
        row = "%-14s" % op
        for res in results:
            if "error" in res:
                row += " %-26s" % "not measured"
                continue
            s = res["stats"][op]
            row += " %-26s" % ("%.3f / %.3f / %.3f" % (
                s["min"] / 1000, s["median"] / 1000, s["max"] / 1000))
        lines.append(row)
    for res in results:
        if "error" in res:
            lines += ["", "%s not measured: %s" % (res["machine"],
                                                   res["error"])]
    lines += ["", "first output: from before \"cell create\" to the counter "
              "in uart-demo's first line (create, load and start in one "
              "shell command line); cells: " + ", ".join(
                  "%s %s" % (r["machine"], r["cell"]) for r in results
                  if "cell" in r)]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--machine", default=",".join(e2eguest.MACHINES))
    parser.add_argument("--runs", type=int, default=5,
                        help="rounds of every operation (5)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    if args.one:
        return e2eguest.one_machine(args, measure)

    results = e2eguest.for_each_machine(
        __file__, BENCH, args.machine.split(","), ["--runs", str(args.runs)])
    text = table(results, args)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / ("%s-%s.txt" % (BENCH, stamp))
    path.write_text(text)
    path.with_suffix(".json").write_text(json.dumps(
        {"qemu": e2eguest.qemu_version(), "icount": e2eguest.ICOUNT,
         "runs": args.runs, "results": results}, indent=2) + "\n")
    print("written: %s" % path.relative_to(e2eguest.TREE))
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
