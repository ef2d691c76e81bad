# SPDX-License-Identifier: GPL-2.0
"""What the benches that run in a cell share: the e2e tests' QEMU guest
(tests/e2e/conftest.py) under "-icount shift=0,sleep=off", one machine
per process (the e2e modules take theirs at import), and the cells' exit
counters.

ivshmem-net.py, ivshmem-doorbell.py and run call for_each_machine()
with their arguments; it runs the script again for each machine with
"--one NAME --json FILE", where the script calls select() first and then
boots its guest.  gic-jitter.py selects one machine after the other in
one process: of the e2e modules it uses only what follows the selection,
and cells.OutputFilter, whose cell names are the same on all machines.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

TREE = Path(__file__).resolve().parents[1]
OUT = TREE / "build/bench"
# guest time = instructions (1 ns each), idle time skipped
ICOUNT = "shift=0,sleep=off"
MACHINES = ("virt", "virt-gicv2", "zcu102")


class NotMeasured(Exception):
    """A run that could not be done; the message says why."""


def qemu_version():
    return subprocess.run(["qemu-system-aarch64", "--version"],
                          capture_output=True,
                          text=True).stdout.splitlines()[0]


def select(name):
    """Make @name this process's machine and import the e2e modules;
    return (the machine's description, conftest)."""
    os.environ["JH_MACHINE"] = name
    # the guest boots and works slowly under -icount
    os.environ.setdefault("JH_BOOT_TIMEOUT", "1800")
    os.environ.setdefault("JH_E2E_BUDGET", str(24 * 3600))
    sys.path.insert(0, str(TREE / "tests/e2e"))
    import machines
    machine = machines.select(name)
    import conftest
    return machine, conftest


def root_initramfs(bench, name, arch="arm64"):
    """The root's initramfs from what the tree has built for @arch, the
    bench's own (the e2e tests may be booting theirs)."""
    out = OUT / ("%s-%s" % (bench, name))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "initramfs.cpio.gz"
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-a", arch,
                    "-o", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def guest(bench, machine, initramfs, qemu_args=()):
    """The machine's e2e guest under -icount, not started yet."""
    import conftest
    return conftest.Guest("bench-%s-%s" % (bench, machine.name), initramfs,
                          list(machine.qemu_args) + list(qemu_args),
                          ["-icount", ICOUNT])


def pyplot():
    """matplotlib.pyplot drawing into files, with Debian's
    python3-matplotlib installed first if it is missing (root only)."""
    try:
        import matplotlib
    except ImportError:
        # the one host package the pictures need, as setup.sh installs
        subprocess.run(["apt-get", "install", "-y", "-qq",
                        "--no-install-recommends", "python3-matplotlib"],
                       check=True, env=dict(os.environ,
                                            DEBIAN_FRONTEND="noninteractive"))
        import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def load_script(name):
    """A bench script of this directory (its file name, "gic-jitter.py")
    as a module, so that another script uses its functions."""
    path = TREE / "bench" / name
    spec = importlib.util.spec_from_file_location(
        path.stem.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def put_missing(guest, files):
    """Copy to @guest over its console each file of @files ({guest path:
    host path}) that its initramfs lacks."""
    for path, host in files.items():
        if guest.run("test -f " + path)[1] != 0:
            guest.sh("mkdir -p " + os.path.dirname(path))
            guest.put(path, Path(host).read_bytes())


def run_until_off(guest, name, cell_id, poll, timeout):
    """jailhouse cell start @name, then look at the cell's state every
    @poll seconds until it no longer runs: an inmate with "poweroff" on
    its command line shuts its cell down after its last line.  The shell
    prints nothing meanwhile, so nothing comes between the cell's lines
    on the UART."""
    state = "/sys/devices/jailhouse/cells/%d/state" % cell_id
    out, status = guest.run(
        "jailhouse cell start %s && while [ \"$(cat %s)\" = running ]; "
        "do sleep %s; done; cat %s" % (name, state, poll, state),
        timeout=timeout)
    if status:
        raise NotMeasured("cell start failed: " + out[-300:])
    if out.splitlines()[-1:] != ["shut down"]:
        raise NotMeasured("the cell %s ended %r, not shut down"
                          % (name, out[-300:]))


def read_counters(guest, cell_id):
    """A cell's exit counters (what "jailhouse cell stats" shows)."""
    out = guest.sh("(cd /sys/devices/jailhouse/cells/%d/statistics && "
                   "for f in vmexits_*; do echo $f $(cat $f); done)"
                   % cell_id)
    counters = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            counters[parts[0]] = int(parts[1])
    if "vmexits_total" not in counters:
        raise NotMeasured("no exit counters in sysfs: %r" % out[-200:])
    return counters


def counters_since(before, after):
    return {k: after[k] - before.get(k, 0) for k in after}


def for_each_machine(script, bench, names, args):
    """Run @script --one NAME --json FILE @args for each machine of
    @names, one after the other; return their results, a dict each with
    "machine" and, where it could not be measured, "error"."""
    results = []
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        print("measuring %s ..." % name, file=sys.stderr)
        path = OUT / ("%s-%s.json" % (bench, name))
        path.unlink(missing_ok=True)
        subprocess.run([sys.executable, str(script), "--one", name,
                        "--json", str(path)] + list(args))
        results.append(json.loads(path.read_text()) if path.exists() else
                       {"machine": name, "error": "the run ended early"})
    return results


def one_machine(args, measure):
    """For --one NAME --json FILE: @measure(NAME, @args) into FILE, or
    why it could not be measured."""
    try:
        res = measure(args.one, args)
    except NotMeasured as e:
        res = {"machine": args.one, "error": str(e)}
    Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    return 0
