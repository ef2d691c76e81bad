#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Doorbell round trip between two bare-metal cells over their ivshmem
link, under QEMU's "-icount shift=0,sleep=off", on the machines of
scripts/qemu-run.sh.

Each machine boots the e2e tests' guest (tests/e2e/conftest.py) and
enables the hypervisor with its system configuration; the two inmate
demo cells (peers 1 and 2 of the shipped three-peer link) run
ivshmem-pingpong (inmates/demos/ivshmem-pingpong.c): the second cell
echoes, the first rings it COUNT times, one doorbell at a time, and takes
each round trip with the virtual counter, from before its doorbell write
to after it saw the answer (both doorbells, both interrupts).  The
pinging cell powers itself off after its summary line, so its exit
counters stop where its work ends; the echoing cell's are read at the
same time.  Each cell finds its device on its virtual PCI host by its
ids; no address is taken from here.

Times are guest time: one instruction is one nanosecond and idle time is
skipped; QEMU runs all CPUs in turn in one thread, so a round trip also
holds what the root's CPUs run meanwhile.  The table is printed and
written to bench/results/ivshmem-doorbell-DATE.txt (and .json); a
machine that cannot be measured is reported with the reason.  No test
asserts a time: tests/e2e/test_ivshmem.py runs measure_cells() once,
short.

Run after make, make initramfs and make -C inmates:

usage: bench/ivshmem-doorbell.py [--machine virt,virt-gicv2,zcu102]
                                 [--count N] [--interval-us N]
                                 [--wait-ms N]
"""

import argparse
import datetime
import json
import re
import sys
from pathlib import Path

import e2eguest
from e2eguest import NotMeasured

BENCH = "ivshmem-doorbell"
RESULTS = e2eguest.TREE / "bench/results"
INMATE = "ivshmem-pingpong"
LINE = "^ivshmem-pingpong: "
SUMMARY_RE = re.compile(
    LINE + r"round trip: count (\d+), min (\d+) ns, avg (\d+) ns, "
    r"median (\d+) ns, 99th (\d+) ns, max (\d+) ns, interrupts (\d+)$",
    re.M)
FIELDS = ("count", "min", "avg", "median", "p99", "max", "interrupts")


def summary(text, count):
    """The pinger's figures from its summary line in @text."""
    m = SUMMARY_RE.search(text)
    if not m:
        raise NotMeasured("no summary line: %r" % text[-500:])
    stats = dict(zip(FIELDS, map(int, m.groups())))
    if stats["count"] != count:
        raise NotMeasured("%d round trips, not %d" % (stats["count"], count))
    return stats


def measure_cells(guest, count, interval_us, wait_ms, timeout=1800):
    """On @guest, the hypervisor enabled and no cell but the root: the
    echo in the second inmate demo cell, the pinger in the first; both
    cells are destroyed again.  Return the pinger's figures with both
    cells' exits during the pinging.

    The pinger waits @wait_ms before its first doorbell, and the shell
    looks at its state once a second: the root's CPUs, idle meanwhile,
    take no turns from the cells' in QEMU's round robin."""
    import cells

    guest.filter = cells.OutputFilter()
    image = cells.demo(INMATE)
    echo_id = cells.create(guest, cells.DEMO2)
    cells.load(guest, cells.DEMO2.name, image, "echo")
    mark = cells.start(guest, cells.DEMO2.name)
    guest.wait_output(LINE + "echoing$", mark, timeout=timeout)

    ping_id = cells.create(guest, cells.DEMO)
    cells.load(guest, cells.DEMO.name, image,
               "count=%d interval-us=%d wait-ms=%d poweroff"
               % (count, interval_us, wait_ms))
    before = {cid: e2eguest.read_counters(guest, cid)
              for cid in (ping_id, echo_id)}
    mark = guest.mark()
    e2eguest.run_until_off(guest, cells.DEMO.name, ping_id, 1, timeout)
    exits = {role: e2eguest.counters_since(
        before[cid], e2eguest.read_counters(guest, cid))
        for role, cid in (("ping", ping_id), ("echo", echo_id))}
    stats = summary(guest.output_since(mark), count)
    cells.destroy(guest, cells.DEMO.name)
    cells.destroy(guest, cells.DEMO2.name)
    stats["exits"] = exits
    return stats


def measure(name, args):
    """The bench on machine @name, in a guest of its own."""
    machine, conftest = e2eguest.select(name)
    import cells

    missing = [str(c.host_path) for c in (cells.DEMO, cells.DEMO2)
               if not c.host_path.exists()]
    if missing:
        raise NotMeasured("not built: " + ", ".join(missing))
    guest = e2eguest.guest(BENCH, machine,
                           e2eguest.root_initramfs(BENCH, name))
    try:
        guest.start()
        guest.sh("modprobe jailhouse && jailhouse enable " +
                 conftest.sysconfig(), timeout=1800)
        res = measure_cells(guest, args.count, args.interval_us,
                            args.wait_ms)
        guest.sh("jailhouse disable", timeout=1800)
    except (conftest.GuestError, AssertionError) as e:
        raise NotMeasured("guest: %s" % str(e)[-500:]) from None
    finally:
        guest.stop()
    res.update(machine=name, gic=machine.gic_version,
               ping_cell=cells.DEMO.name, echo_cell=cells.DEMO2.name)
    return res


def table(results, args):
    lines = ["ivshmem doorbell round trip between two bare-metal cells: "
             "%d round trips, %d us apart, after %d ms"
             % (args.count, args.interval_us, args.wait_ms),
             "%s, TCG, -icount %s; guest ns"
             % (e2eguest.qemu_version(), e2eguest.ICOUNT), "",
             "%-11s %6s %7s %7s %7s %7s %7s %11s %11s" % (
                 "machine", "count", "min", "avg", "median", "99th", "max",
                 "ping exits", "echo mmio"),
             "%-11s %6s %7s %7s %7s %7s %7s %11s %11s" % (
                 "", "", "", "", "", "", "", "per rt", "per rt"),
             "-" * 86]
    for res in results:
        if "error" in res:
            lines.append("%-11s not measured: %s"
                         % (res["machine"], res["error"].splitlines()[0]))
            continue
        lines.append("%-11s %6d %7d %7d %7d %7d %7d %11.2f %11.2f" % (
            res["machine"], res["count"], res["min"], res["avg"],
            res["median"], res["p99"], res["max"],
            res["exits"]["ping"]["vmexits_total"] / res["count"],
            res["exits"]["echo"]["vmexits_mmio"] / res["count"]))
    for res in results:
        if "exits" not in res:
            continue
        lines += ["", "exits on %s (%s) from \"cell start\" of the "
                  "pinger (%s, start-up included) until it has powered "
                  "off, total and per round trip; the echo (%s) also "
                  "wakes every 10 ms of guest time, which passes while "
                  "the shell waits for the console:"
                  % (res["machine"], "GICv%d" % res["gic"] if res["gic"]
                     else "xAPIC", res["ping_cell"],
                     res["echo_cell"])]
        for role in ("ping", "echo"):
            lines += ["  %-5s %-24s %8d %8.2f" % (role, k, v,
                                                  v / res["count"])
                      for k, v in sorted(res["exits"][role].items()) if v]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--machine", default=",".join(e2eguest.MACHINES))
    parser.add_argument("--count", type=int, default=1000,
                        help="round trips (1000, at most 2000)")
    parser.add_argument("--interval-us", type=int, default=100,
                        help="from an answer to the next doorbell (100)")
    parser.add_argument("--wait-ms", type=int, default=100,
                        help="from the start of the pinging cell to its "
                        "first doorbell (100)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return e2eguest.one_machine(args, measure)

    results = e2eguest.for_each_machine(
        __file__, BENCH, args.machine.split(","),
        ["--count", str(args.count), "--interval-us", str(args.interval_us),
         "--wait-ms", str(args.wait_ms)])
    text = table(results, args)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / ("%s-%s.txt" % (BENCH, stamp))
    path.write_text(text)
    path.with_suffix(".json").write_text(json.dumps(
        {"qemu": e2eguest.qemu_version(), "icount": e2eguest.ICOUNT,
         "count": args.count, "interval_us": args.interval_us,
         "wait_ms": args.wait_ms,
         "results": results}, indent=2) + "\n")
    print("written: %s" % path.relative_to(e2eguest.TREE))
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
