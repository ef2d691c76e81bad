# SPDX-License-Identifier: GPL-2.0
"""The README's main command works: scripts/demo.sh runs to its end, on
the session's machine."""

import fcntl
import os
import subprocess

from cells import DEMO
from conftest import BUILD, TREE, sysconfig
from machines import MACHINE

# the demo boots Linux twice, in the root and in a cell
TIMEOUT = 600


def run_demo():
    """scripts/demo.sh on the machine: (exit status, output, the console
    log it kept).  It sets up the host and builds in the tree: one at a
    time, whatever the machine of the session."""
    env = dict(os.environ, JH_DEMO_TIMEOUT=str(TIMEOUT))
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        demo = subprocess.run([str(TREE / "scripts/demo.sh")] +
                              list(MACHINE.qemu_args), env=env,
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT,
                              timeout=TIMEOUT + 300, encoding="utf-8",
                              errors="replace")
        out = demo.stdout.replace("\r", "")
        # where it keeps the console session, the demo says
        logs = [line.split(" console kept in ")[-1]
                for line in out.splitlines() if " console kept in " in line]
        log = ""
        if logs:
            log = (TREE / logs[0]).read_text(errors="replace")
    return demo.returncode, out, log


def test_demo_runs_to_the_end():
    status, out, log = run_demo()
    assert status == 0, out[-3000:]
    assert "demo: OK" in out.splitlines()
    # The steps the README promises, each with its result.
    for expect in ["# jailhouse enable " + sysconfig(),
                   "# jailhouse console", "# jailhouse cell stats 0",
                   "vmexits_total", "Bus error",
                   "# jailhouse cell create " + DEMO.path,
                   "Timer fired, jitter: ", "Jitter summary: count 30,",
                   "Statistics for %s cell" % DEMO.name,
                   "Shutdown request approved",
                   "# jailhouse cell destroy " + DEMO.name,
                   "# jailhouse cell linux ",
                   "Hello from the Linux cell: ",
                   "[linux-demo] / # uname -a",
                   " PREEMPT_RT ",
                   "[linux-demo] 0-1",
                   'Cell "linux-demo" shuts itself down',
                   "# jailhouse cell destroy linux-demo",
                   "# jailhouse disable"]:
        assert expect in out, "%r missing from the demo:\n%s" % (expect, out)
    assert "demo: OK" in log, "the console log:\n" + log[-3000:]
