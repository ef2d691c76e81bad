# SPDX-License-Identifier: GPL-2.0
"""Direct interrupt delivery (Documentation/direct-irqs.md): a cell with
JAILHOUSE_CELL_DIRECT_IRQS takes its timer interrupts without a single
exit, and stays a cell: it cannot interrupt other CPUs, reach foreign
interrupts, or keep the root from stopping it, whatever it does with the
GIC's CPU interface it now holds."""

import re

import pytest

from cells import (CellConfig, create, demo, destroy, inmate_test, load, start,
                   stat, state)
from machines import MACHINE

pytestmark = pytest.mark.skipif(
    MACHINE.name != "virt",
    reason="direct delivery needs a GICv3 with one security state")

DIRECT = CellConfig("qemu-arm64-direct-demo.cell")
JITTER = re.compile(r"Timer fired, jitter: +(\d+) ns, min: +(\d+) ns, "
                    r"max: +(\d+) ns")


def test_gic_demo_without_exits(cell_guest):
    g = cell_guest
    count = 20
    cid = create(g, DIRECT)
    load(g, DIRECT.name, demo("gic-demo"),
         "count=%d period-us=10000" % count)
    mark = start(g, DIRECT.name)
    out = g.wait_output(r"^Jitter summary: count %d," % count, mark,
                        timeout=60)
    assert len(JITTER.findall(out)) == count, out
    # the interrupts came without the hypervisor
    assert stat(g, cid, "vmexits_virt_irq") == 0
    assert stat(g, cid, "vmexits_maintenance") == 0
    destroy(g, DIRECT.name)
    g.assert_healthy()


@pytest.mark.parametrize("attack, says", [
    ("ap1r", "running priority 0"),
    ("ap1r-wfi", "running priority 0"),
    ("hold", "holding interrupt 27"),
    ("mask", "masked"),
])
def test_cell_cannot_keep_the_root_out(cell_guest, attack, says):
    """Whatever the cell does with the CPU interface, "cell shutdown"
    stops both its CPUs, "cell start" runs it again on its restored
    memory, and "cell destroy" gives the CPUs back to Linux."""
    g = cell_guest
    cid = create(g, DIRECT)
    load(g, DIRECT.name, inmate_test("direct-irqs"), "attack=" + attack)
    for _ in range(2):
        mark = start(g, DIRECT.name)
        g.wait_output(r"^TEST direct-irqs: %s" % says, mark, timeout=30)
        g.sh("sleep 1")
        g.sh("jailhouse cell shutdown %s" % DIRECT.name)
        assert state(g, cid) == "shut down"
    destroy(g, DIRECT.name)
    g.assert_healthy()
