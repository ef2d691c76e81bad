# SPDX-License-Identifier: GPL-2.0
"""Shared by the documentation tests: the tree, and the jailhouse command
built for the host (tools/jailhouse.c), finding the config tools of the
tree."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TREE = Path(__file__).resolve().parents[2]
TOOLS = TREE / 'tools'
MAN = TREE / 'Documentation' / 'man'


def _tool_sources():
    for line in (TOOLS / 'Makefile').read_text().splitlines():
        if line.startswith('SRCS := '):
            return [str(TOOLS / s) for s in line.split()[2:]]
    raise AssertionError('tools/Makefile lists no SRCS')


@pytest.fixture(scope='session')
def jailhouse(tmp_path_factory):
    """run(*args): the host-built CLI's CompletedProcess (text)."""
    binary = tmp_path_factory.mktemp('cli') / 'jailhouse'
    subprocess.run(['gcc', '-O2', '-Wall', '-I%s' % (TREE / 'include'),
                    '-DJAILHOUSE_VERSION="test"',
                    '-DJAILHOUSE_EXEC_DIR="%s"' % TOOLS, '-o', str(binary)] +
                   _tool_sources(), check=True)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + ':' +
               os.environ.get('PATH', ''))

    def run(*args):
        return subprocess.run([str(binary)] + [str(a) for a in args],
                              capture_output=True, text=True, env=env)
    run.binary = binary
    run.env = env
    return run
