#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""gic-demo timer jitter: the inmate booted directly by QEMU (no
hypervisor) against the same inmate in a Jailhouse cell beside the root
Linux, both under "-icount shift=0,sleep=off" so that the figures repeat,
on each machine asked for (virt: GICv3, virt-gicv2, zcu102: GIC-400; x86:
apic-demo, gic-demo's counterpart with the local APIC timer, on q35).

For each run: min/avg/max of the "Timer fired, jitter: N ns" lines over
--count interrupts; in the cell also the exits per interrupt from the
cell's statistics (/sys/devices/jailhouse/cells/<id>/statistics, what
"jailhouse cell stats" shows), counted from before "cell start" to the
end, start-up included.  The table goes to standard output and to
bench/results/gic-jitter-<date>.txt (and .json).  A run that cannot be done
is reported as "not measured" with the reason; nothing is estimated.

usage: bench/gic-jitter.py [--count N] [--period-us N]
                           [--machine virt,virt-gicv2,zcu102,x86]
                           [--cell-config FILE] [--no-bare-metal]
                           [--no-cell]
"""

import argparse
import datetime
import json
import os
import re
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import e2eguest
from e2eguest import ICOUNT, NotMeasured

BENCH = "gic-jitter"
TREE = Path(__file__).resolve().parents[1]
RESULTS = TREE / "bench/results"
INMATES = TREE / "inmates"
# shared/ABI.md 1.10: the arch part at 312, gic_version its second byte
SYS_GIC_VERSION = 312 + 1

QEMU = "qemu-system-aarch64"


# The inmate linked for QEMU without a hypervisor (inmates/README.md): at
# 0x40000000, RAM on both machines, its command line at +0x1000
BARE_CMDLINE_ADDR = 0x40000000 + 0x1000


class Arch:
    """What differs between the architectures: QEMU, the timer demo and
    where its images are, the build's results and configurations, and
    where a cell's image is loaded (its command line at +0x1000,
    inmates/README.md; x86: the CPU starts in real mode at 0xffff0,
    Documentation/x86.md)."""

    def __init__(self, name, qemu, demo, inmates, build, image_at):
        self.name = name
        self.qemu = qemu
        self.cell_bin = INMATES / inmates / (demo + ".bin")
        self.bare_elf = INMATES / inmates / (demo + "-qemu.elf")
        self.configs = TREE / "configs" / name
        self.built = [TREE / build / f for f in ("hypervisor/jailhouse.bin",
                                                 "driver/jailhouse.ko",
                                                 "tools/jailhouse")]
        self.image_at = image_at


ARM64 = Arch("arm64", QEMU, "gic-demo", "demos", ".", 0)
X86 = Arch("x86", "qemu-system-x86_64", "apic-demo", "demos/x86",
           "build/x86", 0xf0000)


class Machine:
    """One of the machines of scripts/qemu-run.sh --machine: how QEMU runs
    the inmate bare metal (its -machine and further options, and the
    "machine=" of the inmate's command line that names the built-in
    description the inmate library uses without a comm region; None on
    x86, where QEMU boots it as a multiboot kernel with its command line)
    and the system and cell configurations for the run in a cell, with
    the root's kernel command line there (qemu-run.sh -a) and the CPUs
    its shell brings online before the hypervisor is enabled."""

    def __init__(self, name, qemu_machine, cpu, gic, bare_qemu_args,
                 smp_option, inmate_machine, sysconfig, cell_config,
                 arch=ARM64, root_args=(), cpus_online=()):
        self.name = name
        self.qemu_machine = qemu_machine
        self.cpu = cpu
        # the GIC's version; None: the local APIC (x86)
        self.gic = gic
        self.bare_qemu_args = bare_qemu_args
        # whether QEMU's -smp sets the number of CPUs
        self.smp_option = smp_option
        self.inmate_machine = inmate_machine
        self.arch = arch
        self.sysconfig = arch.configs / sysconfig
        self.cell_config = arch.configs / cell_config
        self.root_args = root_args
        self.cpus_online = cpus_online

    @property
    def irqchip(self):
        return "GICv%d" % self.gic if self.gic else "local APIC"


MACHINES = {m.name: m for m in (
    Machine("virt", "virt,gic-version=3", "cortex-a57", 3,
            ["-cpu", "cortex-a57", "-m", "1G"], True, "virt",
            "qemu-arm64.cell", "qemu-arm64-inmate-demo.cell"),
    Machine("virt-gicv2", "virt,gic-version=2", "cortex-a57", 2,
            ["-cpu", "cortex-a57", "-m", "1G"], True, "virt",
            "qemu-arm64-gicv2.cell", "qemu-arm64-inmate-demo.cell"),
    # the model has its CPUs (4 A53s, 2 R5s) whatever -cpu and -smp say
    # (the inmate runs on the first A53s); RAM at 0, the inmate at
    # 0x40000000 needs more than 1 GiB
    Machine("zcu102", "xlnx-zcu102", "cortex-a53", 2,
            ["-m", "2G", "-audiodev", "none,id=snd0"], False, "zcu102",
            "zynqmp-zcu102.cell", "zynqmp-zcu102-inmate-demo.cell"),
    # xAPIC: QEMU's TCG has no x2APIC
    Machine("x86", "q35", "max", None, ["-cpu", "max", "-m", "1G"], True,
            None, "qemu-x86.cell", "qemu-x86-inmate-demo.cell", X86,
            # Linux stops bringing up its second CPU at boot under
            # -icount, but brings the others online from the shell
            # (bench/README.md)
            ("-a", "maxcpus=1"), (1, 2, 3)),
)}

JITTER_RE = re.compile(r"Timer fired, jitter: (\d+) ns, min: (\d+) ns, "
                       r"max: (\d+) ns")
SUMMARY_RE = re.compile(r"Jitter summary: count (\d+), min (\d+) ns, "
                        r"avg (\d+) ns, max (\d+) ns")

# Guest paths (scripts/mkinitramfs.sh)
GUEST_CONFIGS = "/etc/jailhouse/"
GUEST_DEMOS = "/usr/libexec/jailhouse/demos/"
JH_SYSFS = "/sys/devices/jailhouse"


def percentile(values, permille):
    """The nearest-rank percentile of @values in tenths of a percent (999:
    the 99.9th): the smallest value that at least that share of them are
    not above, as the inmates' percentile_u32()."""
    ordered = sorted(values)
    rank = (len(ordered) * permille + 999) // 1000
    return ordered[max(rank, 1) - 1]


def jitter_stats(text, count):
    """min/avg/max and the 99.9th percentile over the first @count jitter
    lines of @text, checked against the inmate's own summary line, with
    every sample ("samples", in the order they came)."""
    values = [int(m.group(1)) for m in JITTER_RE.finditer(text)][:count]
    if len(values) < count:
        raise NotMeasured("only %d of %d jitter lines" % (len(values), count))
    stats = {"count": count, "min": min(values), "max": max(values),
             "avg": sum(values) / count, "p999": percentile(values, 999)}
    m = SUMMARY_RE.search(text)
    if m:
        s_count, s_min, s_avg, s_max = map(int, m.groups())
        if (s_count, s_min, s_max) != (count, stats["min"], stats["max"]) \
                or s_avg != int(stats["avg"]):
            raise NotMeasured("summary line %r disagrees with the lines"
                              % m.group(0))
    stats["samples"] = values
    return stats


def inmate_cmdline(args):
    words = "count=%d period-us=%d" % (args.count, args.period_us)
    return words + (" " + args.inmate_args if args.inmate_args else "")


def run_bare(machine, elf, words, pattern, timeout, cpus=1):
    """An inmate linked for QEMU (@elf), booted by QEMU itself at EL1, no
    hypervisor, with @cpus CPUs and the command line @words, until
    @pattern is on its UART; return (its output, the QEMU command line
    with the command line's file named CMDLINE)."""
    if not elf.exists():
        raise NotMeasured("%s missing (make -C inmates ARCH=%s)"
                          % (elf.relative_to(TREE), machine.arch.name))
    if machine.arch is X86:
        # a multiboot kernel, its command line in -append
        cmd = [X86.qemu, "-machine", machine.qemu_machine]
        cmd += machine.bare_qemu_args
        cmd += ["-smp", str(cpus), "-icount", ICOUNT, "-display", "none",
                "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", str(elf), "-append", words]
        return run_until(cmd, pattern, timeout), " ".join(cmd)
    with tempfile.NamedTemporaryFile(suffix=".cmdline") as cmdline:
        cmdline.write(words.encode() + b"\0")
        cmdline.flush()
        cmd = [QEMU, "-machine", machine.qemu_machine]
        cmd += machine.bare_qemu_args
        if machine.smp_option:
            cmd += ["-smp", str(cpus)]
        cmd += ["-icount", ICOUNT,
                "-display", "none", "-monitor", "none", "-serial", "stdio",
                "-kernel", str(elf),
                "-device", "loader,file=%s,addr=0x%x,force-raw=on"
                % (cmdline.name, BARE_CMDLINE_ADDR)]
        text = run_until(cmd, pattern, timeout)
    return text, " ".join(cmd[:-2] + ["-device", "loader,file=CMDLINE,"
                                      "addr=0x%x" % BARE_CMDLINE_ADDR])


def run_bare_metal(args, machine):
    """gic-demo booted by QEMU itself, at EL1, no hypervisor (apic-demo
    on x86)."""
    words = inmate_cmdline(args)
    if machine.inmate_machine:
        words = "machine=%s %s" % (machine.inmate_machine, words)
    text, qemu = run_bare(machine, machine.arch.bare_elf, words, SUMMARY_RE,
                          args.timeout)
    stats = jitter_stats(text, args.count)
    stats["qemu"] = qemu
    stats["cmdline"] = words
    return stats


def run_until(cmd, pattern, timeout):
    """Run QEMU until @pattern appears on its serial output; return all
    output.  QEMU is killed in any case."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = b""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while not pattern.search(out.decode(errors="replace")):
            left = deadline - time.monotonic()
            if left <= 0:
                raise NotMeasured("no summary line within %d s" % timeout)
            if not sel.select(left):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                raise NotMeasured("QEMU ended: %s"
                                  % out.decode(errors="replace")[-300:])
            out += chunk
    finally:
        proc.kill()
        proc.wait()
        sel.close()
    return out.decode(errors="replace").replace("\r", "")


def cell_name(config):
    """The cell's name from its configuration (ABI: 32 bytes at 8)."""
    raw = config.read_bytes()[8:40]
    return raw.split(b"\0")[0].decode()


def check_built(machine, cell_config):
    """NotMeasured unless what a run in a cell needs is built and the
    system configuration describes the machine's GIC."""
    sysconfig = machine.sysconfig
    missing = [p for p in machine.arch.built + [sysconfig, cell_config,
                                                machine.arch.cell_bin]
               if not p.exists()]
    if missing:
        raise NotMeasured("not built: " + ", ".join(
            os.path.relpath(p, TREE) for p in missing))
    if not machine.gic:
        return
    sys_gic = sysconfig.read_bytes()[SYS_GIC_VERSION]
    if sys_gic != machine.gic:
        raise NotMeasured("%s describes a GICv%d"
                          % (sysconfig.relative_to(TREE), sys_gic))


def measure_in_cell(guest, args, cell_config, arch=ARM64):
    """gic-demo (@arch's timer demo) in the one-CPU cell of @cell_config
    (a host path) beside the root Linux on @guest, where the hypervisor
    is enabled; the cell is destroyed again.

    The inmate gets "poweroff": after its summary line it shuts its cell
    down (PSCI SYSTEM_OFF; on x86 it sets its state in the comm region
    and halts), so the cell's exit counters stop where its work ends, and
    the shell, which only polls the cell's state meanwhile, prints
    nothing between the cell's lines.
    """
    import cells

    if not cell_config.exists():
        raise NotMeasured("no cell configuration %s"
                          % os.path.relpath(cell_config, TREE))
    guest_config = GUEST_CONFIGS + cell_config.name
    guest_demo = GUEST_DEMOS + arch.cell_bin.name
    e2eguest.put_missing(guest, {guest_demo: arch.cell_bin,
                                 guest_config: cell_config})
    # the hypervisor's "Started cell" may come amid the cell's first line
    guest.filter = cells.OutputFilter()
    name = cell_name(cell_config)
    out, status = guest.run("jailhouse cell create " + guest_config)
    if status:
        raise NotMeasured("cell create failed: " + out[-300:])
    cell_id = int(guest.sh("grep -lx '%s' %s/cells/*/name | cut -d/ -f6"
                           % (name, JH_SYSFS)).split()[0])
    image = guest_demo
    if arch.image_at:
        image += " -a 0x%x" % arch.image_at
    guest.sh("jailhouse cell load %s %s -s '%s poweroff' -a 0x%x"
             % (name, image, inmate_cmdline(args), arch.image_at + 0x1000))
    before = e2eguest.read_counters(guest, cell_id)
    mark = guest.mark()
    e2eguest.run_until_off(guest, name, cell_id, 0.1, args.timeout)
    text = guest.output_since(mark)
    after = e2eguest.read_counters(guest, cell_id)
    stats_out = guest.sh("jailhouse cell stats " + name)
    guest.sh("jailhouse cell destroy " + name)

    stats = jitter_stats(text, args.count)
    stats["exits"] = e2eguest.counters_since(before, after)
    stats["exits_per_irq"] = stats["exits"]["vmexits_total"] / args.count
    stats["cell_stats"] = stats_out
    return stats


def run_in_cell(args, machine):
    """gic-demo in a one-CPU cell beside the root Linux, through the e2e
    bench's QEMU guest (tests/e2e/conftest.py)."""
    cell_config = Path(args.cell_config or machine.cell_config).resolve()
    check_built(machine, cell_config)
    desc, e2e = e2eguest.select(machine.name)
    try:
        guest = e2eguest.guest(BENCH, desc, e2eguest.root_initramfs(
            BENCH, machine.name, machine.arch.name), machine.root_args)
    except RuntimeError as e:
        raise NotMeasured(str(e)) from None
    sysconfig = GUEST_CONFIGS + machine.sysconfig.name
    try:
        guest.start()
        for cpu in machine.cpus_online:
            guest.sh("echo 1 > /sys/devices/system/cpu/cpu%d/online" % cpu)
        guest.load_module()
        e2eguest.put_missing(guest, {sysconfig: machine.sysconfig})
        out, status = guest.enable(sysconfig)
        if status:
            raise NotMeasured("jailhouse enable failed: " + out[-300:])
        stats = measure_in_cell(guest, args, cell_config, machine.arch)
        guest.sh("jailhouse disable")
    except (e2e.GuestError, AssertionError) as e:
        raise NotMeasured("guest: %s" % str(e)[-500:]) from None
    finally:
        guest.stop()
    return stats


def row(setup, machine, stats):
    if "error" in stats:
        return "%-28s %-10s  not measured: %s" % (
            setup, machine, stats["error"].splitlines()[0])
    exits = ("%.2f" % stats["exits_per_irq"]
             if "exits_per_irq" in stats else "-")
    return "%-28s %-10s  %6d %9d %9.0f %9d %9d %10s" % (
        setup, machine, stats["count"], stats["min"], stats["avg"],
        stats["max"], stats["p999"], exits)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000,
                        help="timer interrupts per run (1000)")
    parser.add_argument("--period-us", type=int, default=1000,
                        help="timer period in microseconds (1000)")
    parser.add_argument("--machine", default=",".join(MACHINES),
                        help="machines, comma-separated (%s)"
                        % ",".join(MACHINES))
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds per run (600)")
    parser.add_argument("--cell-config",
                        help="one-CPU cell for the timer demo (the "
                        "machine's "
                        "inmate demo cell)")
    parser.add_argument("--inmate-args", default="",
                        help="more of the demo's command line, e.g. "
                        "x2apic (x86: the cell's APIC in x2APIC mode)")
    parser.add_argument("--no-bare-metal", action="store_true")
    parser.add_argument("--no-cell", action="store_true")
    args = parser.parse_args()
    try:
        machines = [MACHINES[m] for m in args.machine.split(",")]
    except KeyError as e:
        parser.error("no machine %s" % e)

    runs = []
    for machine in machines:
        for setup, fn, skip in (("bare metal (no hypervisor)",
                                 run_bare_metal, args.no_bare_metal),
                                ("Jailhouse cell, root Linux",
                                 run_in_cell, args.no_cell)):
            if skip:
                continue
            print("running: %s, %s ..." % (setup, machine.name),
                  file=sys.stderr)
            try:
                stats = fn(args, machine)
            except NotMeasured as e:
                stats = {"error": str(e)}
            runs.append({"setup": setup, "machine": machine.name,
                         "gic": machine.gic, "irqchip": machine.irqchip,
                         "cpu": machine.cpu, **stats})

    qemu_version = subprocess.run([QEMU, "--version"], capture_output=True,
                                  text=True).stdout.splitlines()[0]
    lines = ["gic-demo timer jitter: %d interrupts per run, period %d us%s"
             % (args.count, args.period_us,
                ", inmate: " + args.inmate_args if args.inmate_args
                else ""),
             "%s, TCG, -icount %s; virt: -cpu cortex-a57, zcu102: "
             "cortex-a53, x86: q35, -cpu max, apic-demo"
             % (qemu_version, ICOUNT),
             "",
             "%-28s %-10s  %6s %9s %9s %9s %9s %10s" % (
                 "setup", "machine", "count", "min ns", "avg ns", "max ns",
                 "99.9th ns", "exits/irq"),
             "-" * 100]
    lines += [row(r["setup"], r["machine"], r) for r in runs]
    for r in runs:
        if r.get("exits"):
            lines += ["", "exits of the cell (%s, %s) from before "
                      "\"cell start\" to its power-off after the "
                      "summary (start-up included), total and per "
                      "interrupt:" % (r["machine"], r["irqchip"])]
            lines += ["  %-24s %8d  %8.2f" % (k, v, v / args.count)
                      for k, v in sorted(r["exits"].items())]
    table = "\n".join(lines) + "\n"
    print(table)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / ("gic-jitter-%s.txt" % stamp)
    path.write_text(table)
    path.with_suffix(".json").write_text(json.dumps(
        {"count": args.count, "period_us": args.period_us,
         "inmate_args": args.inmate_args,
         "qemu": qemu_version, "icount": ICOUNT, "runs": runs},
        indent=2) + "\n")
    print("written: %s" % path.relative_to(TREE))
    return 0 if all("error" not in r for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
