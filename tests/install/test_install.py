# SPDX-License-Identifier: GPL-2.0
"""make install and make uninstall (scripts/install.sh): the layout under
DESTDIR and prefix, the modules in the kernel's extra/ tree with depmod,
signing, and an uninstall that removes exactly what was installed."""

import filecmp
import os
import shutil
import stat
import subprocess
import sys

import pytest

from install_helpers import (MODULES, TREE, copy_module_lists, copy_tree,
                             files, kernels, listing, make, vermagic)

RELEASE = kernels()[0][1]


def expected(prefix):
    """What make install puts under DESTDIR, from the tree: path ->
    (source, mode)."""
    want = {
        prefix + '/sbin/jailhouse': (TREE / 'tools/jailhouse', 0o755),
        prefix + '/sbin/ivshmem-demo': (TREE / 'tools/ivshmem-demo', 0o755),
        'lib/firmware/jailhouse.bin': (TREE / 'hypervisor/jailhouse.bin',
                                       0o644),
    }
    for f in (TREE / 'tools').glob('jailhouse-config-*'):
        want[prefix + '/libexec/jailhouse/' + f.name] = (f, 0o755)
    for f in (TREE / 'tools/pyjailhouse').glob('*.py'):
        want[prefix + '/libexec/jailhouse/pyjailhouse/' + f.name] = \
            (f, 0o644)
    for f in (TREE / 'configs/arm64').glob('*.cell'):
        want[prefix + '/share/jailhouse/configs/' + f.name] = (f, 0o644)
    for kind in ['demos', 'tests']:
        for f in (TREE / 'inmates' / kind).glob('*.bin'):
            want['%s/share/jailhouse/inmates/%s/%s' % (prefix, kind,
                                                       f.name)] = (f, 0o644)
    for f in (TREE / 'Documentation/man').glob('*.[58]'):
        want['%s/share/man/man%s/%s' % (prefix, f.suffix[1:], f.name)] = \
            (f, 0o644)
    completion = TREE / 'tools/jailhouse-completion.bash'
    if completion.exists():
        want[prefix + '/share/bash-completion/completions/jailhouse'] = \
            (completion, 0o644)
    for m in MODULES:
        want['lib/modules/%s/extra/driver/%s.ko' % (RELEASE, m)] = \
            (TREE / 'driver' / (m + '.ko'), 0o644)
    return want


@pytest.mark.parametrize('prefix', ['/usr/local', '/usr'])
def test_layout(tmp_path, prefix):
    args = ['install', 'DESTDIR=%s' % tmp_path]
    if prefix != '/usr/local':
        args.append('prefix=' + prefix)
    make(*args)
    want = expected(prefix.lstrip('/'))
    manifest = prefix.lstrip('/') + '/share/jailhouse/install-manifest'
    assert files(tmp_path) == sorted(list(want) + [manifest])
    for path, (src, mode) in want.items():
        got = tmp_path / path
        assert stat.S_IMODE(got.stat().st_mode) == mode, path
        assert filecmp.cmp(got, src, shallow=False), path
    for m in MODULES:
        assert vermagic(tmp_path / ('lib/modules/%s/extra/driver/%s.ko' %
                                    (RELEASE, m))) == RELEASE


def test_default_prefix_is_usr_local(tmp_path):
    out = make('install', 'DESTDIR=%s' % tmp_path).stdout
    assert (tmp_path / 'usr/local/sbin/jailhouse').is_file()
    assert str(tmp_path / 'usr/local/sbin/jailhouse') in out


def test_installed_config_tools_run(tmp_path):
    """The Python helpers work from libexec/jailhouse, with their modules
    beside them (the CLI's lookup of them: tests/unit test-tool.sh)."""
    make('tools_install', 'DESTDIR=%s' % tmp_path, 'prefix=/usr')
    show = subprocess.run(
        [sys.executable,
         str(tmp_path / 'usr/libexec/jailhouse/jailhouse-config-show'),
         str(tmp_path / 'usr/share/jailhouse/configs/qemu-arm64.cell')],
        capture_output=True, text=True, cwd='/')
    assert show.returncode == 0, show.stderr
    assert 'Root cell "qemu-arm64"' in show.stdout


def populated(root):
    """A DESTDIR that has things of others where the install goes."""
    for path in ['usr/local/sbin/other-tool', 'lib/firmware/other.bin',
                 'usr/local/share/man/man8/other.8',
                 'lib/modules/%s/extra/other.ko' % RELEASE]:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text('not ours\n')


def test_uninstall_removes_exactly_what_was_installed(tmp_path):
    populated(tmp_path)
    before = listing(tmp_path)
    make('install', 'DESTDIR=%s' % tmp_path)
    # again, over itself: still one manifest, nothing lost
    make('install', 'DESTDIR=%s' % tmp_path)
    assert (tmp_path / 'usr/local/sbin/jailhouse').exists()
    make('uninstall', 'DESTDIR=%s' % tmp_path)
    assert listing(tmp_path) == before


def test_uninstall_parts_installed_one_by_one(tmp_path):
    for part in ['firmware_install', 'tools_install', 'modules_install',
                 'dkms_install']:
        make(part, 'DESTDIR=%s' % tmp_path, 'prefix=/opt/jh')
    assert (tmp_path / 'lib/firmware/jailhouse.bin').exists()
    assert (tmp_path / 'opt/jh/sbin/jailhouse').exists()
    assert list(tmp_path.glob('usr/src/jailhouse-*/dkms.conf'))
    make('uninstall', 'DESTDIR=%s' % tmp_path, 'prefix=/opt/jh')
    assert listing(tmp_path) == {}


def test_uninstall_without_install_fails(tmp_path):
    proc = make('uninstall', 'DESTDIR=%s' % tmp_path, check=False)
    assert proc.returncode != 0
    assert 'nothing to uninstall' in proc.stdout
    assert listing(tmp_path) == {}


def test_depmod_when_the_target_has_the_kernel(tmp_path):
    moddir = tmp_path / 'lib/modules' / RELEASE
    copy_module_lists('stock', RELEASE, moddir)
    make('modules_install', 'DESTDIR=%s' % tmp_path)
    dep = (moddir / 'modules.dep').read_text()
    for m in MODULES:
        assert 'extra/driver/%s.ko:' % m in dep
    make('uninstall', 'DESTDIR=%s' % tmp_path)
    assert 'jailhouse' not in (moddir / 'modules.dep').read_text()
    assert not (moddir / 'extra').exists()


def test_no_depmod_without_the_kernel(tmp_path):
    make('modules_install', 'DESTDIR=%s' % tmp_path)
    assert not list(tmp_path.glob('lib/modules/*/modules.dep'))


@pytest.fixture(scope='module')
def signing_key(tmp_path_factory):
    """The key and certificate made as Documentation/install.md makes
    them: (private key, DER certificate)."""
    d = tmp_path_factory.mktemp('key')
    subprocess.run(['openssl', 'req', '-new', '-x509', '-nodes', '-days',
                    '3650', '-subj', '/CN=jailhouse module signing',
                    '-newkey', 'rsa:2048', '-keyout', str(d / 'key.pem'),
                    '-outform', 'DER', '-out', str(d / 'cert.der')],
                   check=True, capture_output=True)
    return d / 'key.pem', d / 'cert.der'


def signer(module):
    return subprocess.run(['modinfo', '-F', 'signer', str(module)],
                          capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.parametrize('role', [k[0] for k in kernels()])
def test_signed_modules(tmp_path, signing_key, role):
    """SIGN_KEY and SIGN_CERT sign every module, also those the kernel's
    modules_install compresses (6.12: .ko.xz), for each kernel."""
    key, cert = signing_key
    release = [k[1] for k in kernels() if k[0] == role][0]
    args = ['modules_install', 'DESTDIR=%s' % tmp_path,
            'SIGN_KEY=%s' % key, 'SIGN_CERT=%s' % cert]
    if role != 'stock':
        args.append('KERNEL=' + role)
    make(*args)
    installed = sorted((tmp_path / 'lib/modules' / release /
                        'extra/driver').iterdir())
    assert [p.name.split('.ko')[0] for p in installed] == sorted(MODULES)
    for ko in installed:
        assert signer(ko) == 'jailhouse module signing', ko
        assert vermagic(ko) == release


def test_certificate_mokutil_imports(signing_key):
    """mokutil --import takes a DER X.509 certificate, not PEM; the one
    made as install.md says is one, of the key that signs the modules.
    DKMS makes its /var/lib/dkms/mok.pub the same way (openssl req -x509
    -outform DER), with a subject of its own.
    The enrollment itself needs a machine booted with UEFI Secure Boot
    and shim, which the QEMU guests are not."""
    key, cert = signing_key

    def openssl(*args):
        return subprocess.run(['openssl'] + list(args), capture_output=True,
                              text=True, check=True).stdout
    from_cert = openssl('x509', '-inform', 'DER', '-in', str(cert),
                        '-noout', '-pubkey')
    assert from_cert.startswith('-----BEGIN PUBLIC KEY-----')
    assert from_cert == openssl('pkey', '-in', str(key), '-pubout')
    assert 'CN = jailhouse module signing' in \
        openssl('x509', '-inform', 'DER', '-in', str(cert), '-noout',
                '-subject')


def test_unsigned_without_key(tmp_path):
    make('modules_install', 'DESTDIR=%s' % tmp_path)
    ko = tmp_path / ('lib/modules/%s/extra/driver/jailhouse.ko' % RELEASE)
    assert signer(ko) == ''


def test_relative_prefix_refused(tmp_path):
    proc = make('tools_install', 'DESTDIR=%s' % tmp_path, 'prefix=usr',
                check=False)
    assert proc.returncode != 0
    assert 'PREFIX must be an absolute path' in proc.stdout
    assert not os.listdir(tmp_path)


def test_man_pages_and_completion(tmp_path):
    """Every Documentation/man/*.5 and *.8 goes to share/man/man5|8 and
    tools/jailhouse-completion.bash to bash-completion's directory, named
    after the command: shown with a copy of the tree that has one of each
    more than the tree."""
    tree = tmp_path / 'tree'
    copy_tree(tree)
    built = ['tools/jailhouse', 'tools/ivshmem-demo']
    built += [str(p.relative_to(TREE)) for p in
              list((TREE / 'configs/arm64').glob('*.cell')) +
              list((TREE / 'inmates').glob('*/*.bin'))]
    for f in built:
        shutil.copy2(TREE / f, tree / f)
    (tree / 'Documentation/man').mkdir(exist_ok=True)
    page = '.TH %s %s\n.SH NAME\n%s \\- test\n'
    (tree / 'Documentation/man/jh-test.8').write_text(
        page % ('JH-TEST', 8, 'jh-test'))
    (tree / 'Documentation/man/jh-test.5').write_text(
        page % ('JH-TEST', 5, 'jh-test'))
    completion = tree / 'tools/jailhouse-completion.bash'
    if not completion.exists():
        completion.write_text('complete -F _jailhouse jailhouse\n')
    dest = tmp_path / 'dest'
    subprocess.run([str(tree / 'scripts/install.sh'), 'tools'],
                   env=dict(os.environ, DESTDIR=str(dest), PREFIX='/usr'),
                   check=True, capture_output=True)
    man = dest / 'usr/share/man'
    pages = sorted(p.name for p in (tree / 'Documentation/man').iterdir())
    assert sorted(p.name for p in man.glob('man[58]/*')) == pages
    for p in pages:
        assert (man / ('man' + p[-1]) / p).read_bytes() == \
            (tree / 'Documentation/man' / p).read_bytes()
    assert (dest / 'usr/share/bash-completion/completions/jailhouse'
            ).read_bytes() == completion.read_bytes()
    render = subprocess.run(['man', '-l', str(man / 'man8/jh-test.8')],
                            env=dict(os.environ, MANPAGER='cat',
                                     MANWIDTH='80'),
                            capture_output=True, text=True)
    assert render.returncode == 0 and 'jh-test - test' in render.stdout
