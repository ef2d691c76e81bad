# SPDX-License-Identifier: GPL-2.0
"""DKMS (dkms.conf): the sources make dkms_install puts in
/usr/src/jailhouse-VERSION are added to a DKMS tree of the test's own, and
"dkms autoinstall", what Debian's kernel packages run when a kernel is
installed or updated, builds and installs the three modules for each
kernel the set-up fetched (6.1, 6.1-rt, 6.12, 6.12-rt), cross-compiled as
the Makefile does."""

import re
import subprocess

import pytest

from install_helpers import (MODULES, TREE, VERSION, copy_module_lists,
                             copy_tree, dkms_runner, kernels, make,
                             vermagic)

KERNELS = kernels()


@pytest.fixture(scope='module')
def dkms(tmp_path_factory):
    """run(*ARGS): dkms on private trees (its sources, builds and the
    modules it installs stay in the test's directory)."""
    d = tmp_path_factory.mktemp('dkms')
    make('dkms_install', 'DESTDIR=%s' % (d / 'root'))
    run = dkms_runner(d, d / 'root/usr/src', d / 'lib/modules')
    run.root = d
    proc = run('add', 'jailhouse/' + VERSION)
    assert proc.returncode == 0, proc.stdout
    return run


def test_dkms_conf_version(dkms):
    """The installed dkms.conf says the version in words, for the tools
    that read it without running it (dh_dkms); the tree's, which dkms runs
    with bash, reads it from VERSION."""
    conf = dkms.root / ('root/usr/src/jailhouse-%s/dkms.conf' % VERSION)
    assert 'PACKAGE_VERSION="%s"\n' % VERSION in conf.read_text()
    out = subprocess.run(['bash', '-c', '. "$1"; echo "$PACKAGE_VERSION"',
                          '-', str(TREE / 'dkms.conf')], cwd='/',
                         capture_output=True, text=True, check=True).stdout
    assert out == VERSION + '\n'


def test_dkms_add_from_the_tree(tmp_path):
    """dkms add PATH with the tree's dkms.conf: DKMS copies the tree to
    its source tree under the name and version dkms.conf gives."""
    copy_tree(tmp_path / 'checkout')
    for sub in ['tree', 'src']:
        (tmp_path / sub).mkdir()
    proc = subprocess.run(['dkms', 'add', str(tmp_path / 'checkout'),
                           '--dkmstree', str(tmp_path / 'tree'),
                           '--sourcetree', str(tmp_path / 'src')],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / 'src' / ('jailhouse-' + VERSION) /
            'driver/main.c').exists()
    status = subprocess.run(['dkms', 'status', '--dkmstree',
                             str(tmp_path / 'tree'), '--sourcetree',
                             str(tmp_path / 'src')],
                            capture_output=True, text=True).stdout
    assert 'jailhouse/%s: added' % VERSION in status, status


@pytest.mark.parametrize('role,release,kdir', KERNELS,
                         ids=[k[0] for k in KERNELS])
def test_autoinstall(dkms, role, release, kdir):
    moddir = dkms.root / 'lib/modules' / release
    moddir.mkdir()
    proc = dkms('autoinstall', '-k', release, '-a', 'aarch64',
                '--kernelsourcedir', str(kdir), '--no-depmod')
    assert proc.returncode == 0, proc.stdout
    status = dkms('status', '-k', release, '-a', 'aarch64').stdout
    assert 'jailhouse/%s, %s, aarch64: installed' % (VERSION, release) \
        in status, status
    installed = sorted((moddir / 'updates/dkms').iterdir())
    assert [p.name for p in installed] == sorted(m + '.ko' for m in MODULES)
    for ko in installed:
        assert vermagic(ko) == release
    # depmod of a system with that kernel finds them.
    copy_module_lists(role, release, moddir)
    subprocess.run(['depmod', '-b', str(dkms.root), release], check=True)
    dep = (moddir / 'modules.dep').read_text()
    for m in MODULES:
        assert 'updates/dkms/%s.ko:' % m in dep


def test_dkms_conf_builds_every_module():
    """dkms.conf names the modules driver/Kbuild builds, all of them."""
    names = re.findall(r'^BUILT_MODULE_NAME\[\d+\]="([^"]*)"$',
                       (TREE / 'dkms.conf').read_text(), re.M)
    assert sorted(names) == MODULES


def test_other_architectures_left_out(dkms):
    """BUILD_EXCLUSIVE_ARCH: for a kernel of another architecture DKMS
    skips the module (status 77) instead of failing its build."""
    _, release, kdir = KERNELS[0]
    proc = dkms('build', 'jailhouse/' + VERSION, '-k', release, '-a',
                'x86_64', '--kernelsourcedir', str(kdir))
    assert proc.returncode == 77, proc.stdout
    assert 'BUILD_EXCLUSIVE' in proc.stdout


def test_remove(dkms):
    proc = dkms('remove', 'jailhouse/' + VERSION, '--all')
    assert proc.returncode == 0, proc.stdout
    assert not list(dkms.root.glob('lib/modules/*/updates/dkms/*.ko'))
    assert 'jailhouse' not in dkms('status').stdout
