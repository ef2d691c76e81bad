#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Throughput and round trip of the virtual Ethernet between the root
Linux and the Linux cell (Documentation/ivshmem-net.md) under QEMU's
"-icount shift=0,sleep=off", on the machines of scripts/qemu-run.sh.

Each machine boots the e2e tests' guest (tests/e2e/conftest.py) with the
Linux cell's kernel and initramfs appended and the cell's own console on
a socket, as tests/e2e/test_ivshmem_net.py does; enables the hypervisor,
loads ivshmem_net in the root, boots the cell (Debian's stock kernel, two
CPUs, as the test) and puts 10.0.0.1/24 and 10.0.0.2/24 on the two ends.
Then, for each MTU (set on both ends):

  ping       busybox ping, COUNT echoes 0.2 s apart, root to cell and cell
             to root: min/avg/max round trip;
  nc         MIB MiB from a file in RAM through busybox's nc, root to cell
             and cell to root, to /dev/null: the sender's "time" from the
             connection to the receiver's close; with the interrupts the
             root took on its end and the cell's MMIO exits (doorbells and
             state writes), per MiB.

Times are guest time: under -icount one instruction is one nanosecond and
idle time is skipped, and QEMU runs all CPUs in turn in one thread, so the
figures are instructions of the root, the cell and the hypervisor
together, not what hardware would do; they repeat closely, and compare
MTUs and machines.  The table is printed and written to
bench/results/ivshmem-net-DATE.txt (and .json); a machine that cannot be
measured is reported with the reason.  No test runs this (it takes tens
of minutes).

Run after make and make initramfs (the driver for the stock kernel):

usage: bench/ivshmem-net.py [--machine virt,virt-gicv2,zcu102]
                            [--mtu 1500,16000] [--mib N] [--count N]
"""

import argparse
import datetime
import json
import re
import sys

import e2eguest
from e2eguest import NotMeasured

BENCH = "ivshmem-net"
RESULTS = e2eguest.TREE / "bench/results"
ROOT_IP = "10.0.0.1"
CELL_IP = "10.0.0.2"
DRIVER = "/sys/bus/pci/drivers/ivshmem_net"
PORT = 5000


def guest_seconds(text):
    """busybox time's "real 0m 1.73s" (or "real 0m 1.73s" after other
    lines) in seconds."""
    m = re.search(r"^real\s+(\d+)m\s*([\d.]+)s$", text, re.M)
    if not m:
        raise NotMeasured("no time in %r" % text[-300:])
    return int(m.group(1)) * 60 + float(m.group(2))


def rtt(text):
    m = re.search(r"(\d+) packets transmitted, (\d+) packets received.*"
                  r"round-trip min/avg/max = ([\d.]+)/([\d.]+)/([\d.]+) ms",
                  text, re.S)
    if not m or m.group(1) != m.group(2):
        raise NotMeasured("ping lost echoes: %r" % text[-300:])
    return [float(m.group(n)) for n in (3, 4, 5)]


class End:
    """One end of the link: how to run a command there, its address."""

    def __init__(self, name, run, ip):
        self.name = name
        self.run = run
        self.ip = ip
        self.iface = run("ls %s/*/net" % DRIVER)

    def up(self):
        self.run("ip addr add %s/24 dev %s && ip link set %s up"
                 % (self.ip, self.iface, self.iface))

    def wait_carrier(self):
        path = "/sys/class/net/%s/carrier" % self.iface
        out = self.run("n=0; while [ \"$(cat %s)\" != 1 ] && [ $n -lt 300 ]; "
                       "do sleep 0.2; n=$((n + 1)); done; cat %s"
                       % (path, path), timeout=600)
        if out != "1":
            raise NotMeasured("%s: no carrier" % self.name)


def measure(name, args):
    """Measure on machine @name; the results as a dict."""
    mtus = [int(m) for m in args.mtu.split(",")]
    mib, count = args.mib, args.count
    machine, conftest = e2eguest.select(name)
    import linuxcell

    root_initramfs = e2eguest.root_initramfs(BENCH, name)
    out = root_initramfs.parent
    initramfs = conftest.with_linux_cell(root_initramfs, out)
    sock = out / "console.sock"
    sock.unlink(missing_ok=True)
    guest = e2eguest.guest(BENCH, machine, initramfs, ["-L", str(sock)])
    console = linuxcell.CellConsole(sock)
    res = {"machine": name, "runs": []}
    try:
        guest.start()
        console.connect()
        guest.sh("modprobe jailhouse && jailhouse enable %s/%s && "
                 "modprobe ivshmem_net"
                 % (conftest.GUEST_CONFIGS, machine.sysconfig), timeout=1800)
        root = End("root", lambda cmd, timeout=1800: guest.sh(cmd, timeout),
                   ROOT_IP)
        root.up()
        mark = console.mark()
        cmdline = ("" if linuxcell.CMDLINE is None
                   else " -c '%s'" % linuxcell.CMDLINE)
        guest.sh("jailhouse cell linux %s /root/Image "
                 "-i /root/cell-initrd.cpio.gz%s"
                 % (linuxcell.CONFIG, cmdline), timeout=1800)
        console.wait(guest, linuxcell.PROMPT, mark, timeout=3600)
        cell = End("cell", lambda cmd, timeout=1800:
                   console.run(guest, cmd, timeout), CELL_IP)
        cell.up()
        cid = guest.sh("grep -lx '%s' /sys/devices/jailhouse/cells/*/name "
                       "| cut -d/ -f6" % linuxcell.NAME)
        res["kernel"] = cell.run("uname -r")
        for side in (root, cell):
            side.wait_carrier()
            side.run("mkdir -p /tmp && dd if=/dev/zero of=/tmp/bench "
                     "bs=1M count=%d 2>/dev/null" % mib)
        irq = guest.sh("grep -E ' %s$' /proc/interrupts | cut -d: -f1"
                       % root.iface).strip()

        def root_irqs():
            line = guest.sh("grep -E '^ *%s:' /proc/interrupts" % irq)
            return sum(int(n) for n in line.split()[1:]
                       if n.isdigit())

        def cell_mmio():
            return int(guest.sh("cat /sys/devices/jailhouse/cells/%s/"
                                "statistics/vmexits_mmio" % cid))

        for mtu in mtus:
            for side in (root, cell):
                side.run("ip link set %s mtu %d" % (side.iface, mtu))
            run = {"mtu": mtu}
            for src, dst in ((root, cell), (cell, root)):
                key = "%s-%s" % (src.name, dst.name)
                run["ping " + key] = rtt(src.run(
                    "ping -c %d -i 0.2 -q %s" % (count, dst.ip)))
                dst.run("{ nc -l -p %d > /dev/null 2>&1 & }" % PORT)
                irqs, mmio = root_irqs(), cell_mmio()
                text = src.run("sleep 1; time nc %s %d < /tmp/bench 2>&1"
                               % (dst.ip, PORT))
                secs = guest_seconds(text)
                run["nc " + key] = {
                    "seconds": secs, "mib_s": mib / secs,
                    "root_irqs_per_mib": (root_irqs() - irqs) / mib,
                    "cell_mmio_exits_per_mib": (cell_mmio() - mmio) / mib}
            res["runs"].append(run)
            print("%s, MTU %d: %s" % (name, mtu, json.dumps(run)),
                  file=sys.stderr)
        guest.sh("jailhouse cell destroy %s && jailhouse disable"
                 % linuxcell.NAME, timeout=1800)
    except (conftest.GuestError, AssertionError) as e:
        raise NotMeasured("guest: %s" % str(e)[-500:]) from None
    finally:
        guest.stop()
    return res


def table(results, mib, count):
    qemu = e2eguest.qemu_version()
    lines = ["virtual Ethernet root <-> Linux cell: %d pings, %d MiB "
             "through nc each way" % (count, mib),
             "%s, TCG, -icount %s; guest time" % (qemu, e2eguest.ICOUNT),
             "",
             "%-11s %6s %-10s %24s %9s %12s %12s" % (
                 "machine", "MTU", "direction", "ping min/avg/max ms",
                 "nc MiB/s", "root irq/MiB", "cell mmio/MiB"),
             "-" * 92]
    for res in results:
        if "error" in res:
            lines.append("%-11s not measured: %s"
                         % (res["machine"], res["error"].splitlines()[0]))
            continue
        for run in res["runs"]:
            for key in ("root-cell", "cell-root"):
                ping = run["ping " + key]
                nc = run["nc " + key]
                lines.append("%-11s %6d %-10s %24s %9.2f %12.1f %12.1f" % (
                    res["machine"], run["mtu"], key,
                    "%.3f/%.3f/%.3f" % tuple(ping), nc["mib_s"],
                    nc["root_irqs_per_mib"],
                    nc["cell_mmio_exits_per_mib"]))
    return "\n".join(lines) + "\n", qemu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--machine", default=",".join(e2eguest.MACHINES))
    parser.add_argument("--mtu", default="1500,16000")
    parser.add_argument("--mib", type=int, default=32)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return e2eguest.one_machine(args, measure)

    results = e2eguest.for_each_machine(
        __file__, BENCH, args.machine.split(","),
        ["--mtu", args.mtu, "--mib", str(args.mib), "--count",
         str(args.count)])

    text, qemu = table(results, args.mib, args.count)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / ("%s-%s.txt" % (BENCH, stamp))
    path.write_text(text)
    path.with_suffix(".json").write_text(json.dumps(
        {"qemu": qemu, "icount": e2eguest.ICOUNT, "mib": args.mib,
         "count": args.count, "results": results}, indent=2) + "\n")
    print("written: %s" % path.relative_to(e2eguest.TREE))
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
