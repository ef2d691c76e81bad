# SPDX-License-Identifier: GPL-2.0
"""What "config create" knows about a machine: its device tree (arm64) or
its ACPI tables (x86), its /proc/iomem and /proc/cpuinfo, read from the
running system, from a directory holding copies, or from the tarball that
"jailhouse config collect" writes on the target; on the running system
(or a copy of its root) also its PCI functions from sysfs, and on x86 the
few other files of X86_FILES."""

import os
import posixpath
import re
import tarfile

from . import fdt
from . import pci

DT_DIR = 'proc/device-tree'
FDT_FILE = 'sys/firmware/fdt'
IOMEM_FILE = 'proc/iomem'
CPUINFO_FILE = 'proc/cpuinfo'
ACPI_DIR = 'sys/firmware/acpi/tables'
TTY_DIR = 'sys/class/tty'
# What else create reads on x86, if it is there: the port map, the
# command line (console=, memmap=), the 8250 driver's attributes of each
# serial port, the machine's DMI name, and the kernel log (collect's copy
# of "dmesg": the IOAPICs' pins).
X86_FILES = ('proc/ioports', 'proc/cmdline', 'dmesg',
             'sys/class/dmi/id/sys_vendor', 'sys/class/dmi/id/product_name')
TTY_ATTRS = ('port', 'io_type', 'iomem_base', 'iomem_reg_shift')

_IOMEM_RE = re.compile(r'^(\s*)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$')


class SourceError(Exception):
    """Machine information that is missing or unreadable."""


class IomemEntry:
    def __init__(self, start, end, name, depth):
        self.start = start
        self.end = end          # inclusive, as /proc/iomem prints it
        self.name = name
        self.depth = depth

    @property
    def size(self):
        return self.end - self.start + 1


def parse_iomem(text):
    entries = []
    for line in text.splitlines():
        match = _IOMEM_RE.match(line)
        if not match:
            continue
        entries.append(IomemEntry(int(match.group(2), 16),
                                  int(match.group(3), 16),
                                  match.group(4).strip(),
                                  len(match.group(1)) // 2))
    return entries


def system_ram(iomem):
    """(start, size) of the top-level "System RAM" entries of /proc/iomem;
    None when the text shows no addresses (read without privileges)."""
    ram = [(e.start, e.size) for e in iomem
           if e.depth == 0 and e.name == 'System RAM']
    if ram and all(start == 0 and size == 1 for start, size in ram):
        return None
    return ram


def count_cpus(cpuinfo):
    return len(re.findall(r'^processor\s*:', cpuinfo, re.MULTILINE))


class Machine:
    """The device tree, memory reservations and /proc texts of a machine,
    and its PCI functions (a list of pci.Function).  iomem, cpuinfo and
    pci are None when they were not available.  An x86 machine has no
    tree (None) but @acpi, its tables by file name (bytes), and @texts,
    the files of X86_FILES and the serial ports' attributes
    (sys/class/tty/ttySn/ATTR) that were there, by relative path."""

    def __init__(self, tree, reserved, iomem, cpuinfo, origin, pci=None,
                 acpi=None, texts=None):
        self.tree = tree
        self.reserved = reserved
        self.iomem = iomem
        self.cpuinfo = cpuinfo
        self.origin = origin
        self.pci = pci
        self.acpi = acpi
        self.texts = texts or {}

    @property
    def is_x86(self):
        return self.tree is None and self.acpi is not None


def _read_text(path):
    try:
        with open(path, encoding='latin-1') as f:
            return f.read()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise SourceError('%s: %s' % (path, err.strerror)) from None


def _read_pci(root):
    try:
        return pci.read_sysfs(root)
    except OSError as err:
        raise SourceError('%s: %s' % (err.filename, err.strerror)) from None


def _read_acpi(root):
    """The ACPI tables under @root (the top-level files), None without
    the directory."""
    top = os.path.join(root, ACPI_DIR)
    if not os.path.isdir(top):
        return None
    tables = {}
    for name in sorted(os.listdir(top)):
        path = os.path.join(top, name)
        if not os.path.isfile(path):
            continue
        try:
            with open(path, 'rb') as f:
                tables[name] = f.read()
        except OSError as err:
            raise SourceError('%s: %s (read the ACPI tables as root)' %
                              (path, err.strerror)) from None
    return tables


def _read_x86_texts(root):
    texts = {}
    names = list(X86_FILES)
    tty = os.path.join(root, TTY_DIR)
    if os.path.isdir(tty):
        names += ['%s/%s/%s' % (TTY_DIR, port, attr)
                  for port in sorted(os.listdir(tty))
                  if port.startswith('ttyS') for attr in TTY_ATTRS]
    for name in names:
        text = _read_text(os.path.join(root, name))
        if text is not None:
            texts[name] = text
    return texts


def from_root(root='/'):
    """Read a live system, or a directory holding proc/device-tree (or on
    x86 sys/firmware/acpi/tables), proc/iomem and proc/cpuinfo (an
    unpacked collection) and maybe sys/bus/pci/devices."""
    dt_dir = os.path.join(root, DT_DIR)
    fdt_file = os.path.join(root, FDT_FILE)
    blob = None
    if os.access(fdt_file, os.R_OK):
        with open(fdt_file, 'rb') as f:
            blob = f.read()
    tree = fdt.load_dir(dt_dir) if os.path.isdir(dt_dir) else None
    acpi = texts = None
    if tree is None and blob is None:
        acpi = _read_acpi(root)
        if acpi is not None:
            texts = _read_x86_texts(root)
    reserved = []
    if acpi is None:
        tree, reserved = _tree(tree, blob, root)
    return Machine(tree, reserved,
                   _read_text(os.path.join(root, IOMEM_FILE)),
                   _read_text(os.path.join(root, CPUINFO_FILE)), root,
                   _read_pci(root), acpi, texts)


def from_tarball(path):
    """Read the tarball of "jailhouse config collect": one top directory
    holding proc/device-tree/..., proc/iomem, proc/cpuinfo and, if they
    were readable, sys/firmware/fdt and the PCI functions of sysfs."""
    try:
        archive = tarfile.open(path)
    except (OSError, tarfile.TarError) as err:
        raise SourceError('%s: %s' % (path, err)) from None
    files = {}
    dirs = set()
    links = {}
    with archive:
        for member in archive:
            parts = [p for p in member.name.split('/') if p not in ('', '.')]
            if '..' in parts or len(parts) < 2:
                continue
            rel = '/'.join(parts[1:])
            if member.isdir():
                dirs.add(rel)
            elif member.isfile():
                files[rel] = archive.extractfile(member).read()
            elif member.issym():
                links[rel] = member.linkname

    def text(name):
        data = files.get(name)
        return data.decode('latin-1') if data is not None else None

    prefix = DT_DIR + '/'
    dt_files = {k[len(prefix):]: v for k, v in files.items()
                if k.startswith(prefix)}
    dt_dirs = {d[len(prefix):] for d in dirs if d.startswith(prefix)}
    acpi_prefix = ACPI_DIR + '/'
    acpi = {k[len(acpi_prefix):]: v for k, v in files.items()
            if k.startswith(acpi_prefix) and '/' not in k[len(acpi_prefix):]}
    texts = None
    reserved = []
    if dt_files or FDT_FILE in files or ACPI_DIR not in dirs:
        tree, reserved = _tree(_tree_from_files(dt_files, dt_dirs)
                               if dt_files else None, files.get(FDT_FILE),
                               path)
        acpi = None
    else:
        tree = None
        texts = {k: text(k) for k in files
                 if k in X86_FILES or (k.startswith(TTY_DIR + '/') and
                                       k.split('/')[-1] in TTY_ATTRS)}
    return Machine(tree, reserved, text(IOMEM_FILE), text(CPUINFO_FILE),
                   path, _pci_from_files(files, dirs, links), acpi, texts)


def _pci_from_files(files, dirs, links):
    """The PCI functions the collector copied: sys/bus/pci/devices/NAME
    links to the function's directory (below its host bridge's, as on the
    target) holding "config" and "resource"; None if it copied none."""
    if pci.SYSFS_DEVICES not in dirs:
        return None
    functions = []
    for rel, target in links.items():
        directory, name = posixpath.split(rel)
        address = pci.parse_name(name)
        if directory != pci.SYSFS_DEVICES or address is None:
            continue
        real = posixpath.normpath(posixpath.join(directory, target))
        config = files.get(real + '/config')
        resource = files.get(real + '/resource')
        if config is None or resource is None:
            raise SourceError('PCI %s: no config or resource in the '
                              'tarball' % name)
        functions.append(pci.Function(
            address[0], address[1], config,
            pci.parse_resources(resource.decode('latin-1')),
            real.replace('/', os.sep)))
    return sorted(functions, key=lambda f: (f.domain, f.bdf))


def _tree(tree, blob, origin):
    """The live tree (the kernel's view) when there is one, else the
    flattened one; the memory reservations of the flattened one, which
    /proc/device-tree does not show."""
    if tree is None and blob is None:
        raise SourceError('%s: no device tree (%s or %s) and no ACPI '
                          'tables (%s)' % (origin, DT_DIR, FDT_FILE,
                                           ACPI_DIR))
    reserved = []
    if blob is not None:
        blob_tree, reserved = fdt.parse_dtb(blob)
        tree = tree or blob_tree
    return tree, reserved


def _tree_from_files(files, dirs):
    root = fdt.Node('')

    def node_at(parts):
        node = root
        for part in parts:
            child = next((c for c in node.children if c.name == part), None)
            if child is None:
                child = fdt.Node(part, node)
                node.children.append(child)
            node = child
        return node

    for directory in sorted(dirs):
        node_at(directory.split('/'))
    for name, value in sorted(files.items()):
        parts = name.split('/')
        node_at(parts[:-1]).props[parts[-1]] = value
    return root


def from_files(dtb, iomem_path=None, cpuinfo_path=None):
    """A device tree file or directory, with optional /proc texts."""
    try:
        tree, reserved = fdt.load(dtb)
    except OSError as err:
        raise SourceError('%s: %s' % (dtb, err.strerror)) from None
    iomem = cpuinfo = None
    if iomem_path:
        iomem = _read_text(iomem_path)
        if iomem is None:
            raise SourceError('%s: not found' % iomem_path)
    if cpuinfo_path:
        cpuinfo = _read_text(cpuinfo_path)
        if cpuinfo is None:
            raise SourceError('%s: not found' % cpuinfo_path)
    return Machine(tree, reserved, iomem, cpuinfo, dtb)
