# SPDX-License-Identifier: GPL-2.0
"""A short libFuzzer run of the hypervisor's config validation
(tests/fuzz, hypervisor/config.c), seeded with the shipped configs and
the ones these tests build, alone and as a system config with cells.
Documentation/config-tools.md has the command for a long run."""

import os
import subprocess

import pytest

from config_helpers import (TREE, CONFIGS, have, make_system, make_cell,
                            add_ivshmem)

FUZZ_DIR = TREE / 'tests' / 'fuzz'
FUZZ_TIME = int(os.environ.get('JH_FUZZ_TIME', 20))


def seeds(directory):
    """Single configs, and system configs with cell configs behind them,
    which the target creates as cells."""
    directory.mkdir()
    system = make_system()
    add_ivshmem(system.root_cell, 0x7e000000, 0)
    cell = make_cell('seed', cpus={1, 2}, uart=0x09000000)
    add_ivshmem(cell, 0x7e000000, 1)
    (directory / 'system.cell').write_bytes(system.pack())
    (directory / 'cell.cell').write_bytes(cell.pack())
    (directory / 'system-cells.cell').write_bytes(
        system.pack() + cell.pack() + make_cell('other', cpus={3}).pack())
    for path in CONFIGS.glob('*/*.cell'):
        data = path.read_bytes()
        (directory / path.name).write_bytes(data)
        if data.startswith(b'JHSYS'):
            cells = [c.read_bytes()
                     for c in sorted(path.parent.glob('*.cell'))]
            (directory / ('with-cells-' + path.name)).write_bytes(
                data + b''.join(c for c in cells if c.startswith(b'JHCLL')))


@pytest.mark.skipif(not have('clang'), reason='needs clang')
@pytest.mark.skipif(not (TREE / 'hypervisor' / 'config.c').exists(),
                    reason='no hypervisor/config.c yet')
@pytest.mark.parametrize('target', ['fuzz-config', 'fuzz-config-x86'])
def test_fuzz_config_validation(tmp_path, target):
    """config.c as each hypervisor builds it: arm64 (fuzz-config) and
    x86 (fuzz-config-x86), the seeds the same (those of the other
    architecture reach the checks behind the architecture byte once the
    fuzzer flips it)."""
    build = tmp_path / 'build'
    subprocess.run(['make', '-s', '-C', str(FUZZ_DIR), 'BUILD=%s' % build],
                   check=True, capture_output=True)
    seeds(tmp_path / 'seeds')
    corpus = tmp_path / 'corpus'
    corpus.mkdir()
    proc = subprocess.run(
        [str(build / target), '-max_total_time=%d' % FUZZ_TIME,
         '-timeout=10', '-rss_limit_mb=1024',
         '-dict=%s' % (FUZZ_DIR / 'config.dict'),
         '-artifact_prefix=%s/' % tmp_path, str(corpus),
         str(tmp_path / 'seeds')],
        capture_output=True, text=True, timeout=FUZZ_TIME + 120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert 'Done' in proc.stderr
