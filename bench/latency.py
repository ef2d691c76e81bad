#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Timer latency of a PREEMPT_RT Linux (cyclictest from Debian's rt-tests)
on QEMU virt (GICv3) under "-icount shift=0,sleep=off", in these cases:

  native     the RT kernel booted alone by QEMU on two CPUs, no hypervisor;
  root       the RT kernel as the root cell: booted on four CPUs, the
             hypervisor enabled, two of them taken offline (parked in the
             hypervisor), so that Linux runs on two, as natively;
  cell-idle  the RT kernel in the two-CPU Linux cell (qemu-arm64-linux-demo,
             "jailhouse cell linux") beside the stock root, which idles;
  native-loaded
             the control of the loaded cell: the RT kernel booted alone
             on four CPUs, no hypervisor, the root's load of the cell case
             on CPUs 2-3 and cyclictest on CPUs 0-1, as everywhere;
  native-loaded-swapped
             the same with the CPUs swapped: the load on 0-1, cyclictest
             on 2-3, where QEMU has the cell's CPUs in the next case;
  cell       the RT kernel in the cell while the root keeps its two CPUs
             busy with a CPU and a memory load (load()).

The same cyclictest run in each (CYCLICTEST below, one thread per CPU);
its histograms give a PNG (latency against count, log scale, one curve
per case) and a table (min/avg/max, 99.9th percentile), written to
bench/results/latency-<date>.png and .txt.  A case that cannot be done is
reported as "not measured" with the reason; nothing is estimated.

Run as root after scripts/setup.sh and make (the driver, tools, configs):
it fetches rt-tests and its libraries (bench/mkrtinitramfs.sh) and, for
the picture, python3-matplotlib.

usage: bench/latency.py [--rt-kernel IMAGE] [--rt-initramfs FILE]
                        [--case native,root,cell-idle,...]
"""

import argparse
import contextlib
import datetime
import glob
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import e2eguest

TREE = Path(__file__).resolve().parents[1]
RESULTS = TREE / "bench/results"
OUT = TREE / "build/bench"
QEMU_RUN = TREE / "scripts/qemu-run.sh"
JH_CACHE = Path(os.environ.get("JH_CACHE", "/var/cache/jailhouse-qemu"))
# the kernel cache's RT role (scripts/setup.sh)
RT_KERNELS = JH_CACHE / "kernels/rt"
RT_ROOT_INITRAMFS = TREE / "build/kernels/rt/initramfs.cpio.gz"

ICOUNT = "shift=0,sleep=off"
LOOPS = 30000
# beyond the longest wait seen in the loaded cell (150 ms), so that the
# 99.9th percentile is never among the overflows
HIST_US = 200000


def cyclictest(cpus):
    """cyclictest's arguments: memory-locked, priority 95, every 1 ms, one
    thread on each of @cpus, a histogram of 1 us buckets up to HIST_US
    (which makes cyclictest wake both threads at the same time: no -d
    distance), only the summary at the end."""
    return ("-m -p 95 -i 1000 -t 2 -a %s -h %d -q -l %d"
            % (cpus, HIST_US, LOOPS))


# CPUs 0-1 in every case but one (the cell's CPUs are 0-1 in its own
# numbering)
CYCLICTEST = cyclictest("0-1")

# What latency-run prints (bench/mkrtinitramfs.sh), one line each.
LINE_RE = re.compile(r"latency: (.*)$", re.M)
DONE = "latency: done"
# The kernel's command line besides qemu-run.sh's: devkmsg lines are
# printed, unthrottled (the cell's output, and natively the same).
KMSG_ARGS = "printk.devkmsg=on loglevel=5"
CELL_CONFIG = "/etc/jailhouse/qemu-arm64-linux-demo.cell"
CELL_NAME = "linux-demo"
CELL_ARGS = "earlycon=pl011,mmio32,0x9000000 keep_bootcon " + KMSG_ARGS
SYSCONFIG = "/etc/jailhouse/qemu-arm64.cell"
JH_SYSFS = "/sys/devices/jailhouse"
# The CPUs of the load: the root's in the cell case (the cell has 2-3,
# QEMU's CPUs 2-3)
ROOT_CPUS = "0 1"
# The native controls of the loaded cell: the CPUs of the load and of
# cyclictest
CONTROLS = {"native-loaded": ("2 3", "0-1"),
            "native-loaded-swapped": (ROOT_CPUS, "2-3")}
CASES = ("native", "root", "cell-idle", "native-loaded",
         "native-loaded-swapped", "cell")
TITLES = {"native": "RT kernel alone on 2 CPUs, no hypervisor",
          "root": "RT kernel as root cell, 2 CPUs",
          "cell-idle": "RT kernel in the 2-CPU cell, root idle",
          "native-loaded": "RT kernel alone on 4 CPUs, 2-3 loaded",
          "native-loaded-swapped": "the same, 0-1 loaded, cyclictest on 2-3",
          "cell": "RT kernel in the 2-CPU cell, root loaded"}


def load(cpus):
    """The shell command that loads each of @cpus: a busy shell loop and
    one that streams a 64 MiB file of RAM through a pipe."""
    return ("dd if=/dev/zero of=/tmp/load bs=1M count=64 2>/dev/null; "
            "for c in %s; do "
            "taskset -c $c sh -c 'while :; do :; done' & "
            "echo $! >> /tmp/load.pids; "
            "taskset -c $c sh -c "
            "'while :; do cat /tmp/load | cat >/dev/null; done' & "
            "echo $! >> /tmp/load.pids; "
            "done" % cpus)


class NotMeasured(Exception):
    """A case that could not be done; the message says why."""


def rt_kernel(arg):
    if arg:
        return Path(arg)
    found = sorted(glob.glob(str(RT_KERNELS / "boot/vmlinuz-*")))
    if not found:
        raise NotMeasured("no RT kernel in %s (scripts/setup.sh)"
                          % RT_KERNELS)
    return Path(found[0])


def build(kernel):
    """cyclictest's initramfs and the root's addons (mkrtinitramfs.sh)."""
    subprocess.run([str(TREE / "bench/mkrtinitramfs.sh"), "-p", CYCLICTEST,
                    "-k", str(kernel), str(OUT)], check=True,
                   stdout=subprocess.DEVNULL)


def appended(base, addon, name):
    """@base's initramfs with the archive @addon behind it, as @name."""
    data = Path(base).read_bytes()
    # the kernel looks for the next archive at a 4-byte boundary
    data += b"\0" * (-len(data) % 4)
    path = OUT / name
    path.write_bytes(data + (OUT / addon).read_bytes())
    return path


def parse(text):
    """latency-run's result in @text: {"hist": {us: count}, "min", "avg",
    "max", "overflows", "total", "kernel"}."""
    lines = [m.group(1).strip() for m in LINE_RE.finditer(text)]
    if "done" not in lines:
        raise NotMeasured("no end of the result: %r" % text[-500:])
    res = {"hist": {}}
    for line in lines:
        fields = line.split()
        if line.startswith("kernel "):
            res["kernel"] = line[len("kernel "):]
        elif line.startswith("status ") and fields[1] != "0":
            raise NotMeasured("cyclictest failed (%s): %s"
                              % (line, " | ".join(lines)[-500:]))
        elif fields[:1] == ["hist"]:
            for pair in fields[1:]:
                us, count = pair.split(":")
                res["hist"][int(us)] = int(count)
        else:
            m = re.match(r"# (Total|Min Latencies|Avg Latencies|"
                         r"Max Latencies|Histogram Overflows): (.*)", line)
            if m:
                res[m.group(1)] = [int(v) for v in m.group(2).split()]
    for key in ("Total", "Min Latencies", "Avg Latencies", "Max Latencies",
                "Histogram Overflows"):
        if len(res.get(key, [])) != 2:
            raise NotMeasured("no %r for two threads in %s"
                              % (key, " | ".join(lines)[-500:]))
    res["total"] = sum(res["Total"])
    res["overflows"] = sum(res["Histogram Overflows"])
    if sum(res["hist"].values()) + res["overflows"] != res["total"]:
        raise NotMeasured("the histogram holds %d samples and %d overflows,"
                          " not %d" % (sum(res["hist"].values()),
                                       res["overflows"], res["total"]))
    res["min"] = min(res["Min Latencies"])
    res["max"] = max(res["Max Latencies"])
    # cyclictest's averages are whole microseconds; the histogram's is
    # finer where nothing overflowed
    if res["overflows"]:
        res["avg"] = sum(a * n for a, n in zip(res["Avg Latencies"],
                                               res["Total"])) / res["total"]
    else:
        res["avg"] = sum(us * n for us, n in res["hist"].items()) \
            / res["total"]
    res["p999"] = percentile(res, 0.999)
    return res


def percentile(res, q):
    """The smallest latency that @q of the samples do not exceed; None if
    it lies among the overflows."""
    need = q * res["total"]
    seen = 0
    for us in sorted(res["hist"]):
        seen += res["hist"][us]
        if seen >= need:
            return us
    return None


def run_native(kernel):
    """Case 1: QEMU boots the RT kernel with cyclictest's initramfs; its
    /init measures and powers off."""
    cmd = [str(QEMU_RUN), "-c", "2", "-k", str(kernel),
           "-i", str(OUT / "cell-initrd.cpio.gz"), "-d", "none",
           "-a", KMSG_ARGS, "--", "-icount", ICOUNT]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=3600)
    except subprocess.TimeoutExpired:
        raise NotMeasured("QEMU did not end within an hour") from None
    text = proc.stdout.decode(errors="replace").replace("\r", "")
    (OUT / "native.log").write_text(text)
    res = parse(text)
    res["how"] = "scripts/qemu-run.sh -c 2 -a '%s'" % KMSG_ARGS
    return res


def e2e():
    """The e2e bench's guest driver (tests/e2e/conftest.py), on virt."""
    os.environ.setdefault("JH_MACHINE", "virt")
    sys.path.insert(0, str(TREE / "tests/e2e"))
    import conftest
    import machines
    machines.select("virt")
    return conftest


def measure_in_guest(guest, cmd, timeout):
    """Run @cmd in @guest's shell; return its output and the wall time."""
    start = time.monotonic()
    out, status = guest.run(cmd, timeout=timeout)
    wall = time.monotonic() - start
    if status:
        raise NotMeasured("%r failed: %s" % (cmd, out[-300:]))
    return out, wall


def cell_counters(guest, cid):
    """The cell's exit counters (what "jailhouse cell stats" shows)."""
    out = guest.sh("cd %s/cells/%d/statistics && for f in vmexits_*; do "
                   "echo $f $(cat $f); done" % (JH_SYSFS, cid))
    return {f[0]: int(f[1]) for f in (line.split() for line in
                                      out.splitlines())
            if len(f) == 2 and f[1].isdigit()}


def counters_since(guest, cid, before):
    """The cell's exit counters minus those of @before."""
    return {k: v - before.get(k, 0)
            for k, v in cell_counters(guest, cid).items()}


@contextlib.contextmanager
def running(conftest, guest):
    """@guest from its start to its stop; what goes wrong in it leaves the
    case not measured."""
    try:
        guest.start()
        yield guest
    except (conftest.GuestError, AssertionError) as e:
        raise NotMeasured("guest: %s" % str(e)[-500:]) from None
    finally:
        guest.stop()


def rt_root_initramfs():
    """The root initramfs of the RT kernel, with its jailhouse.ko, as the
    kernel matrix builds it."""
    proc = subprocess.run(["make", "-C", str(TREE), "-j%d" % os.cpu_count(),
                           "initramfs", "KERNEL=rt"],
                          capture_output=True, text=True)
    if proc.returncode or not RT_ROOT_INITRAMFS.exists():
        raise NotMeasured("make initramfs KERNEL=rt: %s"
                          % (proc.stdout + proc.stderr)[-300:])
    return RT_ROOT_INITRAMFS


def rt_guest(name, kernel, rt_initramfs):
    """The e2e guest (four CPUs) booting the RT kernel with its root
    initramfs and cyclictest; not started."""
    rt_initramfs = rt_initramfs or rt_root_initramfs()
    conftest = e2e()
    initramfs = appended(rt_initramfs, "root-cyclictest.cpio",
                         "root-rt-initramfs.cpio.gz")
    return conftest, conftest.Guest(name, initramfs,
                                    ["--machine", "virt", "-k", str(kernel)],
                                    ["-icount", ICOUNT])


def run_root(kernel, rt_initramfs):
    """Case 2: the RT kernel as the root cell on CPUs 0-1."""
    conftest, guest = rt_guest("bench-latency-root", kernel, rt_initramfs)
    with running(conftest, guest):
        out, status = guest.enable(SYSCONFIG)
        if status:
            raise NotMeasured("jailhouse enable failed: " + out[-300:])
        # CPUs 2-3 offline: parked in the hypervisor, as if a cell had
        # them (case 3), and Linux on two CPUs, as natively (case 1)
        guest.sh("for c in 2 3; do echo 0 > "
                 "/sys/devices/system/cpu/cpu$c/online; done")
        online = guest.read("/sys/devices/system/cpu/online")
        if online != "0-1":
            raise NotMeasured("CPUs online: %s, not 0-1" % online)
        before = cell_counters(guest, 0)
        out, wall = measure_in_guest(guest, "latency-run", 3600)
        exits = counters_since(guest, 0, before)
        guest.sh("for c in 2 3; do echo 1 > "
                 "/sys/devices/system/cpu/cpu$c/online; done")
        guest.sh("jailhouse disable")
    res = parse(out)
    res["wall"] = wall
    res["root_exits"] = exits
    res["how"] = ("scripts/qemu-run.sh -c 4 (the e2e guest), enable, CPUs "
                  "2-3 offline")
    return res


def run_native_loaded(case, kernel, rt_initramfs):
    """A control of the loaded cell: the root's load of the cell case and
    cyclictest on the CPUs CONTROLS gives @case, under no hypervisor."""
    load_cpus, bench_cpus = CONTROLS[case]
    conftest, guest = rt_guest("bench-latency-" + case, kernel, rt_initramfs)
    with running(conftest, guest):
        if bench_cpus != "0-1":
            guest.sh("echo '%s' > /usr/bin/latency-run.args"
                     % cyclictest(bench_cpus))
        guest.sh(load(load_cpus))
        out, wall = measure_in_guest(guest, "latency-run", 3600)
        guest.sh("kill $(cat /tmp/load.pids)")
    res = parse(out)
    res["wall"] = wall
    res["how"] = ("scripts/qemu-run.sh -c 4 (the e2e guest), no hypervisor, "
                  "CPUs %s loaded, cyclictest %s"
                  % (load_cpus.replace(" ", ","), cyclictest(bench_cpus)))
    return res


def run_cell(loaded):
    """Case 3: the RT kernel in the Linux cell beside the root, which runs
    load() on its CPUs if @loaded, or idles."""
    conftest = e2e()
    import cells
    stock = OUT / "root-initramfs.cpio.gz"
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-o", str(stock)],
                   check=True, stdout=subprocess.DEVNULL)
    initramfs = appended(stock, "root-cell.cpio", "root-cell.cpio.gz")
    guest = conftest.Guest("bench-latency-cell%s"
                           % ("" if loaded else "-idle"),
                           initramfs, ["--machine", "virt"],
                           ["-icount", ICOUNT])
    guest.filter = cells.OutputFilter()
    with running(conftest, guest):
        out, status = guest.enable(SYSCONFIG)
        if status:
            raise NotMeasured("jailhouse enable failed: " + out[-300:])
        if loaded:
            guest.sh(load(ROOT_CPUS))
        root_before = cell_counters(guest, 0)
        mark = guest.mark()
        start = time.monotonic()
        how = ("jailhouse cell linux %s /root/Image -i /root/bench-initrd."
               "cpio.gz -c '%s'" % (CELL_CONFIG, CELL_ARGS))
        out, status = guest.run(how, timeout=600)
        if status:
            raise NotMeasured("cell linux failed: " + out[-300:])
        text = guest.wait_output(DONE, mark, timeout=3600)
        wall = time.monotonic() - start
        guest.wait_output(r'Cell "%s" shuts itself down' % CELL_NAME, mark,
                          timeout=300)
        exits = cell_counters(guest, cells.cell_id(guest, CELL_NAME))
        root_exits = counters_since(guest, 0, root_before)
        guest.sh("jailhouse cell destroy " + CELL_NAME)
        if loaded:
            guest.sh("kill $(cat /tmp/load.pids)")
        guest.sh("jailhouse disable")
    res = parse(text)
    res["wall"] = wall
    res["exits"] = exits
    res["root_exits"] = root_exits
    res["how"] = how + (", root loaded" if loaded else "")
    return res


def plot(runs, path):
    """Latency against count, log scale, one curve per measured case."""
    plt = e2eguest.pyplot()

    fig, ax = plt.subplots(figsize=(10, 5.5))
    for case, res in runs.items():
        if "error" in res:
            continue
        # empty buckets as gaps (log scale), isolated ones as dots
        us = list(range(min(res["hist"]), max(res["hist"]) + 1))
        counts = [res["hist"].get(u, float("nan")) for u in us]
        ax.step(us, counts, where="mid", marker=".", markersize=3,
                linewidth=1, label="%s: max %d us" % (TITLES[case],
                                                      res["max"]))
    ax.set_yscale("log")
    ax.set_xscale("log")
    ax.set_xlabel("latency (us of guest time, 1 instruction = 1 ns)")
    ax.set_ylabel("samples (1 us buckets)")
    ax.set_title("cyclictest %s\nQEMU virt GICv3, TCG, -icount %s"
                 % (CYCLICTEST, ICOUNT), fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def table(runs, kernel):
    qemu = subprocess.run(["qemu-system-aarch64", "--version"],
                          capture_output=True,
                          text=True).stdout.splitlines()[0]
    lines = ["cyclictest latency, PREEMPT_RT Linux on QEMU virt (GICv3, "
             "Cortex-A57)",
             "%s, TCG, -icount %s (guest time: 1 ns per instruction)"
             % (qemu, ICOUNT),
             "cyclictest %s (rt-tests %s)" % (CYCLICTEST, rt_tests_version()),
             "RT kernel: %s" % kernel.name, "",
             "%-44s %8s %6s %8s %6s %9s %7s" % (
                 "case", "samples", "min", "avg", "max", "99.9th", "wall"),
             "%-44s %8s %6s %8s %6s %9s %7s" % (
                 "", "", "us", "us", "us", "us", "s"),
             "-" * 94]
    for case, res in runs.items():
        if "error" in res:
            lines.append("%-44s not measured: %s" % (
                TITLES[case], res["error"].splitlines()[0]))
            continue
        p999 = ("%d" % res["p999"] if res["p999"] is not None
                else "> %d" % HIST_US)
        lines.append("%-44s %8d %6d %8.1f %6d %9s %7.0f" % (
            TITLES[case], res["total"], res["min"], res["avg"], res["max"],
            p999, res["wall"]))
    lines += ["", "each case: uname -r and CPUs as cyclictest saw them, how "
              "it was booted"]
    for case, res in runs.items():
        if "error" not in res:
            lines += ["  %s: %s" % (case, res["kernel"]),
                      "    " + res["how"]]
    for case, res in runs.items():
        if case == "root" and "root_exits" in res:
            lines += ["", "case root, exits of the root cell during "
                      "cyclictest:",
                      "  %-24s %9s %9s" % ("counter", "root", "/sample")]
            lines += ["  %-24s %9d %9.2f" % (k, v, v / res["total"])
                      for k, v in sorted(res["root_exits"].items())]
        if not res.get("exits"):
            continue
        lines += ["", "case %s, exits from the cell's creation to its "
                  "shutdown (its boot included):" % case,
                  "  %-24s %9s %9s %9s %9s" % (
                      "counter", "cell", "/sample", "root", "/sample")]
        lines += ["  %-24s %9d %9.2f %9d %9.2f" % (
            k, v, v / res["total"], res["root_exits"].get(k, 0),
            res["root_exits"].get(k, 0) / res["total"])
            for k, v in sorted(res["exits"].items())]
    lines += ["", "wall: seconds of host time from the guest's start (QEMU, "
              "or the cell's) to the", "result, on a shared 2-core host."]
    return "\n".join(lines) + "\n"


def rt_tests_version():
    debs = sorted((OUT / "debs").glob("rt-tests_*_arm64.deb"))
    return debs[-1].name.split("_")[1] if debs else "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rt-kernel",
                        help="the RT kernel image (%s/boot/vmlinuz-*)"
                        % RT_KERNELS)
    parser.add_argument("--rt-initramfs",
                        help="the root initramfs for the RT kernel, with "
                        "its jailhouse.ko (case root; default: make "
                        "initramfs KERNEL=rt)")
    parser.add_argument("--case", default=",".join(CASES),
                        help="cases, comma-separated (%s)" % ",".join(CASES))
    args = parser.parse_args()
    cases = args.case.split(",")
    if not set(cases) <= set(CASES):
        parser.error("cases: %s" % ", ".join(CASES))

    try:
        kernel = rt_kernel(args.rt_kernel)
    except NotMeasured as e:
        sys.exit("%s: %s" % (sys.argv[0], e))
    OUT.mkdir(parents=True, exist_ok=True)
    build(kernel)
    runs = {}
    for case in cases:
        print("running: %s ..." % TITLES[case], file=sys.stderr)
        start = time.monotonic()
        try:
            if case == "native":
                runs[case] = run_native(kernel)
                runs[case]["wall"] = time.monotonic() - start
            elif case == "root":
                runs[case] = run_root(kernel, args.rt_initramfs)
            elif case in CONTROLS:
                runs[case] = run_native_loaded(case, kernel,
                                               args.rt_initramfs)
            else:
                runs[case] = run_cell(case == "cell")
        except NotMeasured as e:
            runs[case] = {"error": str(e)}
        print("  %.0f s" % (time.monotonic() - start), file=sys.stderr)

    text = table(runs, kernel)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / ("latency-%s.txt" % stamp)
    path.write_text(text)
    plot(runs, path.with_suffix(".png"))
    print("written: %s, .png" % path.relative_to(TREE))
    return 0 if all("error" not in r for r in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
