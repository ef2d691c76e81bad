# SPDX-License-Identifier: GPL-2.0
"""The README's main command works: scripts/demo.sh runs to its end, on
the session's machine.  Its user at the Linux cell's console
(scripts/demo-cell.py) stays until QEMU ends."""

import fcntl
import os
import socket
import subprocess
import time

from cells import DEMO
from conftest import BUILD, TREE, sysconfig
from machines import MACHINE, SIGBUS_STATUS, SIGSEGV_STATUS

# the demo boots Linux twice, in the root and in a cell
TIMEOUT = 600

# what the shell says of the process that read the hypervisor's memory
HV_MEMORY_FAULT = {SIGBUS_STATUS: "Bus error",
                   SIGSEGV_STATUS: "Segmentation fault"}


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


def expected():
    """The steps the README promises on the session's machine, each with
    its result."""
    steps = ["# jailhouse enable " + sysconfig(),
             "# jailhouse console", "# jailhouse cell stats 0",
             "vmexits_total", HV_MEMORY_FAULT[MACHINE.hv_memory_status],
             "# jailhouse cell create " + DEMO.path]
    if MACHINE.arch == "x86":
        steps += ["Hello 5 from cell!", "uart-demo: done"]
    steps += ["Timer fired, jitter: ", "Jitter summary: count 30,",
              "Statistics for %s cell" % DEMO.name,
              "Shutdown request approved",
              "# jailhouse cell destroy " + DEMO.name]
    # x86 has no Linux cell yet (Documentation/x86.md)
    if MACHINE.arch != "x86":
        steps += ["# jailhouse cell linux ",
                  "Hello from the Linux cell: ",
                  "[linux-demo] / # uname -a",
                  " PREEMPT_RT ",
                  "[linux-demo] 0-1",
                  'Cell "linux-demo" shuts itself down',
                  "# jailhouse cell destroy linux-demo"]
    return steps + ["# jailhouse disable"]


def test_demo_runs_to_the_end():
    status, out, log = run_demo()
    assert status == 0, out[-3000:]
    assert "demo: OK" in out.splitlines()
    for expect in expected():
        assert expect in out, "%r missing from the demo:\n%s" % (expect, out)
    assert "demo: OK" in log, "the console log:\n" + log[-3000:]


def test_cell_user_stays_until_qemu_ends(tmp_path):
    """demo-cell.py against a stand-in for QEMU's socket: it types its
    commands and "poweroff -f", and still listens when the cell's last
    line ends after a pause.  Hanging up behind "Power down" stalled the
    cell on the zcu102: QEMU's UART model kept the line's end in its
    transmit FIFO, and Linux's console waited for it before powering
    off.  The pause is longer than the script's receive timeout."""
    path = tmp_path / "cell.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    user = subprocess.Popen([str(TREE / "scripts/demo-cell.py"), str(path),
                             str(tmp_path / "cell.log")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            encoding="utf-8", errors="replace")
    try:
        con, _ = server.accept()
        con.settimeout(30)
        typed = b""
        con.sendall(b"\n/ # ")
        while True:
            data = con.recv(4096)
            assert data, "demo-cell.py hung up before its last command"
            typed += data
            if not typed.endswith(b"\n"):
                continue
            if typed.endswith(b"poweroff -f\n"):
                break
            con.sendall(b"\ndone\n/ # ")
        con.sendall(b"[    2.747488] reboot: Power down")
        time.sleep(2)
        con.setblocking(False)
        try:
            still = con.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            still = True
        assert still, "demo-cell.py hung up before the cell's last line ended"
        con.setblocking(True)
        con.sendall(b"\r\n")
        con.close()
        out, _ = user.communicate(timeout=30)
    finally:
        user.kill()
        server.close()
    assert user.returncode == 0, out
    assert out.endswith("] reboot: Power down\n"), out
