# SPDX-License-Identifier: GPL-2.0
"""The README's main command works: scripts/demo.sh runs to its end."""

import os
import subprocess

from conftest import BUILD, TREE

TIMEOUT = 300


def test_demo_runs_to_the_end():
    env = dict(os.environ, JH_DEMO_TIMEOUT=str(TIMEOUT))
    demo = subprocess.run([str(TREE / "scripts/demo.sh")], env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=TIMEOUT + 300,
                          encoding="utf-8", errors="replace")
    out = demo.stdout.replace("\r", "")
    assert demo.returncode == 0, out[-3000:]
    assert "demo: OK" in out.splitlines()
    # The steps the README promises, each with its result.
    for expect in ["# jailhouse enable /etc/jailhouse/qemu-arm64.cell",
                   "# jailhouse console", "# jailhouse cell stats 0",
                   "vmexits_total", "Bus error",
                   "# jailhouse cell create /etc/jailhouse/"
                   "qemu-arm64-inmate-demo.cell",
                   "Timer fired, jitter: ", "Jitter summary: count 30,",
                   "Statistics for inmate-demo cell",
                   "Shutdown request approved",
                   "# jailhouse cell destroy inmate-demo",
                   "# jailhouse disable"]:
        assert expect in out, "%r missing from the demo:\n%s" % (expect, out)
    assert (BUILD / "demo.log").read_text(errors="replace").strip()
