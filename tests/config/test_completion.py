# SPDX-License-Identifier: GPL-2.0
"""Bash completion of the jailhouse command
(tools/jailhouse-completion.bash), driven the way bash drives it: the
words in COMP_WORDS, the completed one's index in COMP_CWORD, the
candidates read back from COMPREPLY."""

import shutil
import subprocess

import pytest

from config_helpers import TOOLS

SCRIPT = TOOLS / 'jailhouse-completion.bash'

DRIVER = r'''
source "$1"
shift
complete -p jailhouse > /dev/null || exit 3
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_jailhouse
printf '%s\n' "${COMPREPLY[@]}"
'''


@pytest.fixture
def complete(tmp_path):
    """complete(WORDS...): the candidates for the last word, in a
    directory with a few files, with two cells in a fake sysfs."""
    work = tmp_path / 'work'
    (work / 'configs').mkdir(parents=True)
    for name in ('root.cell', 'demo.cell', 'demo.toml', 'gic-demo.bin',
                 'Image', 'board.dtb', 'collected.tar.gz'):
        (work / name).write_bytes(b'')
    sysfs = tmp_path / 'sys'
    for cell_id, name in ((0, 'qemu-arm64'), (1, 'inmate-demo'),
                          (2, 'linux demo')):
        (sysfs / 'cells' / str(cell_id)).mkdir(parents=True)
        (sysfs / 'cells' / str(cell_id) / 'name').write_text(name + '\n')

    def run(*words):
        proc = subprocess.run(['bash', '-c', DRIVER, 'bash', str(SCRIPT),
                               'jailhouse'] + list(words),
                              capture_output=True, text=True, cwd=work,
                              env={'PATH': '/usr/bin:/bin',
                                   'JAILHOUSE_SYSFS': str(sysfs)})
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ''
        return sorted(line for line in proc.stdout.splitlines() if line)
    return run


def test_commands(complete):
    assert complete('') == sorted(['enable', 'disable', 'console', 'cell',
                                   'config', 'hardware', '--help',
                                   '--version'])
    assert complete('c') == ['cell', 'config', 'console']
    assert complete('cell', '') == sorted(['create', 'list', 'load',
                                           'start', 'shutdown', 'destroy',
                                           'stats', 'linux'])
    assert complete('cell', 's') == ['shutdown', 'start', 'stats']
    assert complete('config', '') == sorted(['collect', 'create', 'check',
                                             'show', 'compile',
                                             'decompile'])
    assert complete('hardware', '') == ['check']


def test_options(complete):
    assert complete('console', '-') == ['--follow', '--help', '-f']
    assert complete('disable', '-') == ['--help']
    assert complete('cell', 'stats', '-') == ['--follow', '--help',
                                              '--name', '-f']
    assert complete('cell', 'stats', 'inmate-demo', '-') == ['--follow',
                                                            '-f']
    assert complete('cell', 'load', 'inmate-demo', '-') == [
        '--address', '--string', '-a', '-s']
    assert complete('cell', 'linux', 'demo.cell', 'Image', '--') == [
        '--cmdline', '--dtb', '--initrd', '--write-dtb']
    assert '--mem-hv' in complete('config', 'create', '--m')
    assert complete('config', 'compile', '-') == ['--help', '--output',
                                                  '-o']


def test_cell_names(complete):
    names = ['inmate-demo', 'linux demo', 'qemu-arm64']
    for sub in ('start', 'shutdown', 'destroy', 'stats', 'load'):
        assert complete('cell', sub, '') == names
    assert complete('cell', 'destroy', 'i') == ['inmate-demo']
    assert complete('cell', 'start', '--name', 'l') == ['linux demo']
    assert complete('cell', 'stats', '-f', 'q') == ['qemu-arm64']
    # one cell only
    assert complete('cell', 'start', 'inmate-demo', '') == []


def test_no_cells(complete, tmp_path):
    """Without the driver there is no sysfs directory: no names, no
    error."""
    shutil.rmtree(tmp_path / 'sys')
    assert complete('cell', 'destroy', '') == []


def test_files(complete):
    assert complete('enable', '') == ['configs', 'demo.cell', 'root.cell']
    assert complete('enable', 'r') == ['root.cell']
    assert complete('cell', 'create', 'd') == ['demo.cell']
    assert complete('cell', 'load', 'inmate-demo', '') == ['configs',
                                                          'gic-demo.bin']
    # an image after a string and its address
    assert complete('cell', 'load', '1', '-s', 'x', '-a', '0x1000',
                    'g') == ['gic-demo.bin']
    # the string and the address are the user's
    assert complete('cell', 'load', '1', '-s', '') == []
    assert complete('cell', 'load', '1', 'gic-demo.bin', '-a', '') == []
    assert complete('cell', 'linux', '') == ['configs', 'demo.cell',
                                             'root.cell']
    assert 'Image' in complete('cell', 'linux', 'demo.cell', '')
    assert complete('cell', 'linux', 'demo.cell', 'Image', '-d', '') == [
        'board.dtb', 'configs']
    assert complete('cell', 'linux', '-d', 'board.dtb', '') == [
        'configs', 'demo.cell', 'root.cell']
    assert complete('config', 'check', 'd') == ['demo.cell', 'demo.toml']
    assert complete('config', 'compile', 'd') == ['demo.toml']
    assert complete('config', 'decompile', 'd') == ['demo.cell']
    assert complete('config', 'create', '--tarball', 'c') == [
        'collected.tar.gz', 'configs']
    assert complete('config', 'create', '--root', '') == ['configs']
    assert complete('config', 'collect', 'c') == ['collected.tar.gz',
                                                  'configs']
