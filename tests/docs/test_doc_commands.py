# SPDX-License-Identifier: GPL-2.0
"""Every command the documentation shows is run by a test
(tests/docs/doccommands.py says how commands are marked):

* the host commands that are quick and touch only their working
  directory are run here, document by document, in a scratch copy of the
  tree's parts they use, with the jailhouse command of the tree on PATH;
* the guest commands are run by tests/e2e/test_docs.py in the QEMU guest;
* every other command (the README's set-up, build and demo, a board's
  steps, the installation's) is done by a test named below, which must
  still hold what it is named for.

A new command in the documentation fails this test until one of the three
covers it."""

import os
import re
import shutil
import subprocess

import pytest

import doccommands
from conftest import TREE

# Host commands run here: quick, and writing only into their directory.
RUN_HERE = [
    r'jailhouse config (check|show|compile|decompile) ',
    r'cmp ',
    r'make -C inmates demos/hello\.bin',
    r"printf '[^']*' > cmdline$",
    r'qemu-system-aarch64 .*-kernel inmates/demos/hello-qemu\.elf ',
    r'make -C inmates ARCH=x86 demos/x86/uart-demo-qemu\.elf$',
    r'qemu-system-x86_64 .*-kernel inmates/demos/x86/uart-demo-qemu\.elf ',
    r'openssl req -new -x509 .*-keyout mok\.key -outform DER -out mok\.der$',
]

# Commands done by a test: (command, test file, what the file must hold).
DONE_BY = [
    (r'sudo scripts/demo\.sh( --machine (virt|virt-gicv2|zcu102|x86))?$',
     'tests/e2e/test_demo.py', 'scripts/demo.sh'),
    (r'sudo tests/run$', '.ci/run', 'tests/run'),
    (r'make$', 'tests/run', 'make --no-print-directory "$part"'),
    (r'make ARCH=x86$', 'tests/run',
     'make --no-print-directory ARCH=x86 "$part"'),
    # each machine's (tests/e2e/machines.py)
    (r'make (ARCH=x86 )?initramfs$', 'tests/e2e/conftest.py', 'initramfs'),
    (r'scripts/qemu-run\.sh( --machine x86)?$', 'tests/e2e/conftest.py',
     'scripts/qemu-run.sh'),
    # The board's build: the driver against another kernel's headers
    (r'make KDIR=', 'tests/run', 'kernels'),
    (r'cp hypervisor/jailhouse\.bin /lib/firmware/$',
     'scripts/mkinitramfs.sh', 'lib/firmware/jailhouse.bin'),
    (r'insmod driver/jailhouse\.ko$', 'scripts/mkinitramfs.sh', 'insmod'),
    (r'(sudo |tools/)?jailhouse enable (my-)?board\.cell$',
     'tests/e2e/test_config_create.py',
     'def test_enable_with_generated_config'),
    (r'modprobe jailhouse$', 'tests/e2e/test_enable.py',
     'def test_module_loads'),
    (r'jailhouse config collect ', 'tests/e2e/configtools.py',
     'jailhouse config collect %s'),
    (r'jailhouse config create --tarball ',
     'tests/e2e/test_config_create.py', '"--tarball"'),
    (r'jailhouse config compile board\.toml ', 'tests/config/test_toml.py',
     'compile'),
    (r'jailhouse config check board\.cell( board-demo\.cell)?$',
     'tests/e2e/test_config_create.py',
     'def test_generated_config_passes_check'),
    (r'jailhouse cell (create|load|start) board-demo',
     'tests/e2e/test_cells.py', 'def test_gic_demo'),
    (r'jailhouse cell linux ', 'tests/e2e/test_linux_cell.py',
     'jailhouse cell linux %s'),
    # make install (Documentation/install.md): into a DESTDIR, and the
    # system in QEMU running from what it installed
    (r'(sudo )?make install( |$)', 'tests/install/test_install.py',
     'def test_layout'),
    (r'sudo modprobe jailhouse$', 'tests/e2e/test_installed.py',
     'def test_modprobe_finds_the_installed_driver'),
    (r'sudo jailhouse enable /usr/local/share/jailhouse/configs/',
     'tests/e2e/test_installed.py',
     'def test_demo_cell_from_the_installed_files'),
    (r'(sudo )?make uninstall( |$)', 'tests/install/test_install.py',
     'def test_uninstall_removes_exactly_what_was_installed'),
    # DKMS, on the board and cross for the board's kernels
    (r'sudo make dkms_install$', 'tests/install/test_dkms.py',
     "make('dkms_install'"),
    (r'sudo dkms install jailhouse/\$\(cat VERSION\)$',
     'tests/e2e/test_installed_deb.py', '("install", "jailhouse/" + VERSION'),
    (r'dkms status jailhouse$', 'tests/install/test_dkms.py',
     "status = dkms('status'"),
    (r'mkdir -p /tmp/xstrip && ln -sf /usr/bin/aarch64-linux-gnu-strip ',
     'tests/install/install_helpers.py',
     "strip.symlink_to(shutil.which('aarch64-linux-gnu-strip'))"),
    (r'sudo env ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- '
     r'PATH=/tmp/xstrip:\$PATH dkms build ', 'tests/install/test_dkms.py',
     'def test_autoinstall'),
    # the Debian packages: built, then installed and run in QEMU
    (r'dpkg-buildpackage -a arm64 -b -uc -us$',
     'tests/install/install_helpers.py',
     "'dpkg-buildpackage', '-a', 'arm64', '-b', '-uc'"),
    (r'sudo apt install linux-headers-arm64 \./jailhouse_\*_arm64\.deb '
     r'\./jailhouse-dkms_\*_all\.deb$', 'tests/e2e/test_installed_deb.py',
     'def test_demo_cell_from_the_packages'),
    # module signing
    (r'sudo mokutil --import (/var/lib/dkms/mok\.pub|mok\.der)$',
     'tests/install/test_install.py', 'def test_certificate_mokutil_imports'),
    (r'sudo make modules_install SIGN_KEY=\S+ SIGN_CERT=\S+$',
     'tests/install/test_install.py', 'def test_signed_modules'),
    (r'modinfo -F signer jailhouse$', 'tests/install/test_install.py',
     "'modinfo', '-F', 'signer'"),
]


def how_proven(command):
    """"here", "guest" or the (file, fragment) of the test that does it."""
    if command.kind in ('sh guest', 'sh guest x86'):
        return 'guest'
    if command.kind == 'sh' and any(re.match(p, command.text)
                                    for p in RUN_HERE):
        return 'here'
    for regex, path, fragment in DONE_BY:
        if re.match(regex, command.text):
            return path, fragment
    return None


COMMANDS = doccommands.all_commands()


def test_commands_found():
    assert len(COMMANDS) > 20
    kinds = {c.kind for c in COMMANDS}
    assert kinds == set(doccommands.KINDS)


@pytest.mark.parametrize('command', COMMANDS, ids=str)
def test_command_is_run_by_a_test(command):
    proof = how_proven(command)
    assert proof, '%s: no test runs it (tests/docs/test_doc_commands.py)' \
        % command
    if proof == 'guest':
        text = (TREE / 'tests/e2e/test_docs.py').read_text()
        assert 'all_commands' in text and 'sh guest' in text
    elif proof != 'here':
        path, fragment = proof
        assert fragment in (TREE / path).read_text(), \
            '%s: %s no longer has %r' % (command, path, fragment)


@pytest.fixture(scope='module')
def scratch(tmp_path_factory, jailhouse):
    """A directory with the tree's parts the host commands use (configs
    built, the inmates' sources), and a PATH with the jailhouse command."""
    top = tmp_path_factory.mktemp('docs')
    for part in ('include', 'configs', 'inmates'):
        shutil.copytree(TREE / part, top / part,
                        ignore=shutil.ignore_patterns('*.o', '*.d',
                                                      '*.bin', '*.elf',
                                                      '*.a'))
    subprocess.run(['make', '-s', '-C', str(top / 'configs')], check=True)
    bindir = top / '.bin'
    bindir.mkdir()
    os.symlink(jailhouse.binary, bindir / 'jailhouse')
    env = dict(jailhouse.env, PATH='%s:%s' % (bindir, jailhouse.env['PATH']))
    return top, env


DOCS_RUN_HERE = sorted({c.doc for c in COMMANDS if how_proven(c) == 'here'})


@pytest.mark.parametrize('doc', DOCS_RUN_HERE)
def test_host_commands(scratch, doc):
    """The document's host commands in their order, each exit status 0,
    with the files the document shows in place."""
    top, env = scratch
    for path, content in doccommands.files(TREE / doc).items():
        (top / path).write_text(content)
    for command in doccommands.commands(TREE / doc):
        if how_proven(command) != 'here':
            continue
        proc = subprocess.run(['bash', '-c', 'set -eu\n' + command.text],
                              cwd=top, env=env, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, '%s\n%s%s' % (command, proc.stdout,
                                                   proc.stderr)
