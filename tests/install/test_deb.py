# SPDX-License-Identifier: GPL-2.0
"""The Debian packages (debian/): "dpkg-buildpackage -a arm64 -b" in a copy
of the tree builds jailhouse (arm64) and jailhouse-dkms (all); each holds
what make install gives under /usr, and no more."""

import re
import struct
import subprocess

import pytest

from install_helpers import TREE, VERSION, build_debs, files, make


@pytest.fixture(scope='module')
def debs(tmp_path_factory):
    d = tmp_path_factory.mktemp('deb')
    build_debs(d)
    return d


def contents(deb):
    """The files of a package (no directories), without the leading ./"""
    out = subprocess.run(['dpkg-deb', '--fsys-tarfile', str(deb)],
                         capture_output=True, check=True).stdout
    names = subprocess.run(['tar', '-tvf', '-'], input=out,
                           capture_output=True, check=True).stdout
    return sorted(line.split()[-1][2:]
                  for line in names.decode().splitlines()
                  if not line.startswith('d'))


def field(deb, name):
    return subprocess.run(['dpkg-deb', '-f', str(deb), name],
                          capture_output=True, text=True,
                          check=True).stdout.strip()


def test_changelog_version_is_VERSION():
    first = (TREE / 'debian/changelog').read_text().splitlines()[0]
    assert re.match(r'jailhouse \((.*)\) ', first).group(1) == VERSION


def test_jailhouse_package(debs, tmp_path):
    deb = debs / ('jailhouse_%s_arm64.deb' % VERSION)
    assert field(deb, 'Architecture') == 'arm64'
    assert field(deb, 'Version') == VERSION
    # the configuration tools are Python scripts
    assert 'python3' in re.split(r',\s*', field(deb, 'Depends'))
    # what make install gives with prefix /usr, but the driver (the DKMS
    # package's); the man pages compressed; Debian's documentation files
    make('firmware_install', 'tools_install', 'DESTDIR=%s' % tmp_path,
         'prefix=/usr')
    want = [f + '.gz' if re.search(r'/man/man[58]/', f) else f
            for f in files(tmp_path)
            if not f.endswith('/install-manifest')]
    want += ['usr/share/doc/jailhouse/changelog.gz',
             'usr/share/doc/jailhouse/copyright']
    assert contents(deb) == sorted(want)
    unpacked = debs / 'jailhouse'
    subprocess.run(['dpkg-deb', '-x', str(deb), str(unpacked)], check=True)
    # built from a copy without git: the version in it is VERSION alone
    image = (unpacked / 'lib/firmware/jailhouse.bin').read_bytes()
    assert image.startswith(b'JHIMAGE\0')
    assert b'\0' + VERSION.encode() + b'\0' in image
    for cell in (TREE / 'configs/arm64').glob('*.cell'):
        assert (unpacked / 'usr/share/jailhouse/configs' /
                cell.name).read_bytes() == cell.read_bytes()
    # an arm64 ELF executable (e_machine 183), static: no interpreter
    cli = (unpacked / 'usr/sbin/jailhouse').read_bytes()
    assert cli[:4] == b'\x7fELF'
    assert struct.unpack_from('<H', cli, 18)[0] == 183
    phoff = struct.unpack_from('<Q', cli, 32)[0]
    phentsize, phnum = struct.unpack_from('<HH', cli, 54)
    assert 3 not in [struct.unpack_from('<I', cli, phoff + n * phentsize)[0]
                     for n in range(phnum)]   # PT_INTERP
    py = unpacked / 'usr/libexec/jailhouse/pyjailhouse/config.py'
    assert oct(py.stat().st_mode & 0o777) == '0o644'


def test_dkms_package(debs, tmp_path):
    deb = debs / ('jailhouse-dkms_%s_all.deb' % VERSION)
    assert field(deb, 'Architecture') == 'all'
    assert re.match(r'dkms\b', field(deb, 'Depends'))
    make('dkms_install', 'DESTDIR=%s' % tmp_path)
    want = [f for f in files(tmp_path)
            if not f.endswith('/install-manifest')]
    want += ['usr/share/doc/jailhouse-dkms/changelog.gz',
             'usr/share/doc/jailhouse-dkms/copyright']
    assert contents(deb) == sorted(want)
    unpacked = debs / 'jailhouse-dkms'
    subprocess.run(['dpkg-deb', '-x', str(deb), str(unpacked)], check=True)
    for f in want:
        if f.startswith('usr/src/'):
            assert (unpacked / f).read_bytes() == \
                (tmp_path / f).read_bytes(), f
    # the maintainer scripts add, build and install it with DKMS, and
    # remove it.
    control = debs / 'dkms-control'
    subprocess.run(['dpkg-deb', '-e', str(deb), str(control)], check=True)
    postinst = (control / 'postinst').read_text()
    assert 'DKMS_NAME=jailhouse\n' in postinst
    assert 'DKMS_VERSION=%s\n' % VERSION in postinst
    assert 'dkms remove' in (control / 'prerm').read_text()
