# SPDX-License-Identifier: GPL-2.0
"""What the end-to-end tests of the configuration tools share
(test_config_create.py, test_config_create_x86.py): the tools on the
host, a file of the guest fetched over the console, and the tarball of
"jailhouse config collect" in the guest."""

import base64
import hashlib
import re
import subprocess
import sys

from conftest import TREE

TOOLS = TREE / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

TARBALL = "/tmp/jailhouse-config.tar.gz"


def fetch(guest, path):
    """A file of the guest, as base64 over the console, checked against
    its size and SHA-256 there."""
    size = int(guest.sh("stat -c %%s %s" % path))
    digest = guest.sh("sha256sum %s" % path).split()[0]
    out = guest.sh("base64 %s" % path, timeout=300)
    # Only whole base64 lines: anything else is a message that came in
    # between (which the checksum would catch if it broke a line).
    text = "".join(line for line in out.splitlines()
                   if re.fullmatch(r"[A-Za-z0-9+/]+=*", line))
    data = base64.b64decode(text)
    assert len(data) == size, "got %d of %d bytes" % (len(data), size)
    assert hashlib.sha256(data).hexdigest() == digest
    return data


def config_tool(name, *args):
    """Runs "jailhouse-config-NAME ARGS" of the tree on the host, which
    must succeed."""
    proc = subprocess.run([sys.executable,
                           str(TOOLS / ("jailhouse-config-" + name))] +
                          [str(a) for a in args], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def collect(guest, directory):
    """What "jailhouse config collect" writes in the guest (started if it
    is not running), fetched into @directory on the host; its path."""
    if not guest.alive:
        guest.start()
    guest.sh("rm -f %s" % TARBALL)
    out = guest.sh("jailhouse config collect %s" % TARBALL)
    assert out.splitlines()[-1] == TARBALL
    path = directory / "jailhouse-config.tar.gz"
    path.write_bytes(fetch(guest, TARBALL))
    return path
