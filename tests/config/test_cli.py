# SPDX-License-Identifier: GPL-2.0
"""The jailhouse command (tools/jailhouse.c), built for the host, runs the
config tools of the tree for "jailhouse config SUB"."""

import os
import subprocess
import sys
import tarfile

import pytest

from config_helpers import ARM64_CONFIGS, TOOLS, TREE, build_configs, have

SYSCONFIG = ARM64_CONFIGS / 'qemu-arm64.cell'


@pytest.fixture(scope='module')
def jailhouse(tmp_path_factory):
    """The CLI, looking for its helpers in tools/ as in an installation's
    libexec directory; the Python helpers run with this Python."""
    if not have('gcc'):
        pytest.skip('needs gcc')
    build_configs()
    binary = tmp_path_factory.mktemp('cli') / 'jailhouse'
    subprocess.run(['gcc', '-O2', '-Wall', '-I%s' % (TREE / 'include'),
                    '-DJAILHOUSE_VERSION="test"',
                    '-DJAILHOUSE_EXEC_DIR="%s"' % TOOLS, '-o', str(binary),
                    str(TOOLS / 'jailhouse.c')], check=True)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + ':' +
               os.environ.get('PATH', ''))

    def run(*args, env_extra=None):
        return subprocess.run([str(binary)] + [str(a) for a in args],
                              capture_output=True, text=True,
                              env=dict(env, **(env_extra or {})))
    return run


def test_config_check(jailhouse, tmp_path):
    proc = jailhouse('config', 'check', SYSCONFIG)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    short = tmp_path / 'short.cell'
    short.write_bytes(SYSCONFIG.read_bytes()[:-8])
    proc = jailhouse('config', 'check', short)
    assert proc.returncode == 1
    assert 'short.cell' in proc.stdout + proc.stderr


def test_config_show(jailhouse):
    proc = jailhouse('config', 'show', SYSCONFIG)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('System configuration, arm64')
    assert 'Root cell "qemu-arm64"' in proc.stdout


def test_config_collect(jailhouse, tmp_path):
    proc = jailhouse('config', 'collect', '--help')
    assert proc.returncode == 0, proc.stderr
    assert 'Usage: jailhouse config collect' in proc.stdout

    target = tmp_path / 'target'
    (target / 'proc/device-tree/cpus').mkdir(parents=True)
    (target / 'proc/device-tree/model').write_bytes(b'test board\0')
    (target / 'proc/iomem').write_text('40000000-6fffffff : System RAM\n')
    (target / 'proc/cpuinfo').write_text('processor\t: 0\n')
    out = tmp_path / 'collected.tar'
    proc = jailhouse('config', 'collect', out,
                     env_extra={'JAILHOUSE_COLLECT_ROOT': str(target)})
    assert proc.returncode == 0, proc.stderr
    with tarfile.open(str(out)) as archive:
        names = archive.getnames()
        assert archive.extractfile('jailhouse-config-collect/proc/iomem')\
            .read() == b'40000000-6fffffff : System RAM\n'
    assert 'jailhouse-config-collect/proc/device-tree/model' in names
    assert 'jailhouse-config-collect/proc/device-tree/cpus' in names
