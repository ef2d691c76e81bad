# SPDX-License-Identifier: GPL-2.0
"""bench/run in its short form, once, to show that it works: every figure
measured on the machine, the table, the .json with every sample of the
timer-jitter series, and the PNG histogram.  A bench is no timed test:
no time is asserted, only that each figure was measured and is sane.

It runs on one machine, the ZCU102 model, whose session has fewer
tests than virt's; the bench boots its own guest under -icount (the
module uses no guest of the session) and writes its results into the
test's temporary directory, not into bench/results.
"""

import json
import subprocess
import sys

import pytest

from conftest import TREE
from machines import MACHINE

BENCH_MACHINE = "zcu102"

pytestmark = pytest.mark.skipif(
    MACHINE.name != BENCH_MACHINE,
    reason="the bench's short form runs once, on %s" % BENCH_MACHINE)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """bench/run --short on this machine: (exit status, output, the
    results' paths without suffix, the .json)."""
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run([sys.executable, str(TREE / "bench/run"),
                           "--short", "--machine", MACHINE.name,
                           "--results", str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=1800)
    tables = sorted(out.glob("run-*.txt"))
    assert tables, "no table written:\n" + proc.stdout[-3000:]
    base = tables[-1].with_suffix("")
    data = json.loads(base.with_suffix(".json").read_text())
    return proc.returncode, proc.stdout, base, data


def test_every_figure_measured(bench):
    status, out, _, data = bench
    assert status == 0, out[-3000:]
    assert "not measured" not in out.replace(
        "not measured: bench/management.py is not in this tree", ""), out
    res, = data["results"]
    assert res["machine"] == MACHINE.name
    settings = data["settings"]

    direct = res["jitter"]["direct irqs"]
    if MACHINE.gic_version == 3:
        # not one interrupt through the hypervisor
        assert direct["exits"]["vmexits_virt_irq"] == 0
    else:
        assert "GICv%d" % MACHINE.gic_version in direct.pop("none")
    for label, r in res["jitter"].items():
        if not r:
            continue
        assert sum(n for _, n in r["histogram"]) == r["count"] == \
            settings["jitter_count"], label
        assert 0 < r["min"] <= r["avg"] <= r["max"], label
        assert r["min"] <= r["p999"] <= r["max"], label
    cell = res["jitter"]["in a cell"]
    # one exit a timer interrupt at least: the hypervisor injects it
    assert cell["exits"]["vmexits_virt_irq"] >= cell["count"]

    for label in ("bare metal", "in a cell"):
        r = res["sgi"][label]
        assert r["count"] == settings["sgi_count"], label
        assert 0 < r["min"] <= r["median"] <= r["p99"] <= r["max"], label
    # every SGI of the cell is trapped, both ways
    sgi_exits = res["sgi"]["in a cell"]["exits"]["vmexits_virt_sgi"]
    assert sgi_exits >= 2 * settings["sgi_count"]

    r = res["doorbell"]
    assert r["count"] == settings["doorbell_count"]
    assert r["exits"]["echo"]["vmexits_mmio"] == r["count"]

    idle = res["root idle"]
    assert idle["seconds"] >= settings["idle_interval_s"]
    assert idle["per_s"]["vmexits_total"] >= 0


def test_table_and_picture(bench):
    _, out, base, data = bench
    table = base.with_suffix(".txt").read_text()
    for heading in ("timer jitter:", "SGI round trip", "doorbell round trip",
                    "root cell idle:", "management timings"):
        assert heading in table, table
    assert table in out
    png = base.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
