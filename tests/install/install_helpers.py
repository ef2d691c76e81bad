# SPDX-License-Identifier: GPL-2.0
"""Shared by the install tests: the tree, the kernels the set-up fetched,
running make's install targets and listing a file tree."""

import os
import re
import shutil
import subprocess
from pathlib import Path

TREE = Path(__file__).resolve().parents[2]
JH_CACHE = Path(os.environ.get('JH_CACHE', '/var/cache/jailhouse-qemu'))
VERSION = (TREE / 'VERSION').read_text().strip()
# The driver's modules, as driver/Kbuild builds them
MODULES = sorted(re.search(r'^obj-m\s*:=\s*(.*)$',
                           (TREE / 'driver/Kbuild').read_text(),
                           re.M).group(1).replace('.o', '').split())


def kernels():
    """The kernels scripts/setup.sh fetched: (role, release, headers) for
    the stock kernel and each of the matrix (JH_CACHE/kernels/ROLE)."""
    stock = os.readlink(JH_CACHE / 'vmlinuz').split('vmlinuz-', 1)[1]
    found = [('stock', stock, JH_CACHE / 'kdir')]
    for link in sorted((JH_CACHE / 'kernels').iterdir()):
        if link.is_symlink():
            release = os.readlink(link)
            found.append((link.name, release,
                          link / ('usr/src/linux-headers-' + release)))
    return found


def copy_module_lists(role, release, moddir):
    """Give MODDIR (a lib/modules/RELEASE) the module lists of the kernel
    of ROLE, as a system with that kernel has them: depmod then indexes
    what was installed there as it would on that system."""
    root = JH_CACHE / ('root' if role == 'stock' else 'kernels/' + role)
    moddir.mkdir(parents=True, exist_ok=True)
    for name in ['modules.order', 'modules.builtin',
                 'modules.builtin.modinfo']:
        shutil.copy(root / 'lib/modules' / release / name, moddir / name)


def make(*args, env=None, check=True):
    """make ARGS in the tree (the install targets build what they need);
    the CompletedProcess, output in .stdout."""
    proc = subprocess.run(['make', '--no-print-directory'] + list(args),
                          cwd=TREE, env=dict(os.environ, **(env or {})),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if check:
        assert proc.returncode == 0, proc.stdout[-4000:]
    return proc


def listing(root):
    """Every path under ROOT (relative, directories with a trailing /)
    with its mode and, for files, its content: compares whole trees."""
    root = Path(root)
    out = {}
    for path in sorted(root.rglob('*')):
        rel = str(path.relative_to(root))
        if path.is_dir() and not path.is_symlink():
            out[rel + '/'] = oct(path.stat().st_mode)
        else:
            out[rel] = (oct(path.lstat().st_mode), path.read_bytes())
    return out


def files(root):
    """The files under ROOT, relative paths, sorted."""
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob('*')
                  if not p.is_dir())


def vermagic(module):
    """The kernel release a module was built for (modinfo reads .ko.xz
    too)."""
    out = subprocess.run(['modinfo', '-F', 'vermagic', str(module)],
                         capture_output=True, text=True, check=True).stdout
    return out.split()[0]


def copy_tree(dest):
    """The tree's sources (tracked and new files, not the build results) in
    DEST."""
    names = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others',
                            '--exclude-standard'], cwd=TREE, check=True,
                           capture_output=True).stdout.split(b'\0')
    names = [n for n in names if n and (TREE / n.decode()).is_file()]
    dest.mkdir()
    tar = subprocess.run(['tar', '-C', str(TREE), '--null', '-T', '-',
                          '-cf', '-'], input=b'\0'.join(names),
                         capture_output=True, check=True).stdout
    subprocess.run(['tar', '-C', str(dest), '-xf', '-'], input=tar,
                   check=True)


def build_debs(work):
    """dpkg-buildpackage -a arm64 -b in a copy of the tree in WORK/src;
    the packages land in WORK."""
    copy_tree(work / 'src')
    proc = subprocess.run(['dpkg-buildpackage', '-a', 'arm64', '-b', '-uc',
                           '-us'], cwd=work / 'src', stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-5000:]


def dkms_runner(work, sources, modules):
    """run(COMMAND, ARGS...): dkms with its trees of its own in WORK, the
    sources (what is in /usr/src) in SOURCES, the modules it installs in
    MODULES (as /lib/modules); cross-building for arm64."""
    if not shutil.which('dkms'):
        raise AssertionError('dkms is not installed: run scripts/setup.sh')
    for sub in ['tree', 'bin']:
        (work / sub).mkdir(parents=True, exist_ok=True)
    modules.mkdir(parents=True, exist_ok=True)
    # dkms strips the modules with "strip": the target's, when cross.
    strip = work / 'bin/strip'
    if not strip.exists():
        strip.symlink_to(shutil.which('aarch64-linux-gnu-strip'))
    env = dict(os.environ, ARCH='arm64', CROSS_COMPILE='aarch64-linux-gnu-',
               PATH='%s:%s' % (work / 'bin', os.environ['PATH']))
    trees = ['--dkmstree', str(work / 'tree'), '--sourcetree', str(sources),
             '--installtree', str(modules)]

    def run(*args):
        return subprocess.run(['dkms', args[0]] + trees + list(args[1:]),
                              env=env, text=True, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    return run
