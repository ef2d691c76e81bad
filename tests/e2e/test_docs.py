# SPDX-License-Identifier: GPL-2.0
"""The documentation's guest commands (```sh guest blocks,
tests/docs/doccommands.py) typed into the QEMU guest as they are written,
document by document in their order: each must exit with status 0.
Before each document the driver is loaded and the hypervisor disabled;
after it, whatever it left running is stopped again, and Linux has all
its CPUs.  The documents name the virt machine's configurations, and in
```sh guest x86 blocks the x86 machine's."""

import sys

import pytest

from conftest import TREE
from machines import MACHINE

sys.path.insert(0, str(TREE / "tests" / "docs"))
import doccommands  # noqa: E402

# the machine whose configurations each kind of block names
KIND = {"virt": "sh guest", "x86": "sh guest x86"}.get(MACHINE.name)
COMMANDS = doccommands.all_commands(KIND) if KIND else []
DOCS = sorted({c.doc for c in COMMANDS})

pytestmark = pytest.mark.skipif(
    KIND is None,
    reason="the documentation's commands name virt's and x86's "
    "configurations")


@pytest.mark.parametrize("doc", DOCS)
def test_guest_commands(guest, doc):
    guest.set_enabled(False)
    try:
        for command in doccommands.commands(TREE / doc):
            if command.kind != KIND:
                continue
            out, status = guest.run(command.text)
            assert status == 0, "%s: status %d\n%s" % (command, status, out)
    finally:
        if guest.alive and guest.enabled():
            guest.run("jailhouse disable")
    assert guest.enabled() == 0
    guest.assert_healthy()
