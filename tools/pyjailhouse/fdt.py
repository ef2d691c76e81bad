# SPDX-License-Identifier: GPL-2.0
"""Device trees: a flattened device tree (.dtb) or a /proc/device-tree
directory read into the same node tree, and the address arithmetic that
turns "reg" and "ranges" into physical addresses.

The flattened format is that of the Devicetree Specification, chapter 5:
a big-endian header, a memory reservation block, a structure block of
tokens and a strings block.
"""

import os
import struct

FDT_MAGIC = 0xd00dfeed
FDT_BEGIN_NODE = 1
FDT_END_NODE = 2
FDT_PROP = 3
FDT_NOP = 4
FDT_END = 9

_HEADER = struct.Struct('>10I')


class FdtError(Exception):
    """A device tree that cannot be read."""


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.props = {}
        self.children = []

    @property
    def path(self):
        if self.parent is None:
            return '/'
        parent = self.parent.path
        return (parent if parent.endswith('/') else parent + '/') + \
            self.name

    def child(self, name):
        """The child called @name, or the only one @name@... when @name
        has no unit address."""
        for node in self.children:
            if node.name == name:
                return node
        matches = [n for n in self.children
                   if n.name.split('@')[0] == name]
        return matches[0] if len(matches) == 1 else None

    def find(self, path):
        node = self
        for part in path.strip('/').split('/'):
            if not part:
                continue
            node = node.child(part)
            if node is None:
                return None
        return node

    def walk(self):
        yield self
        for node in self.children:
            yield from node.walk()

    def u32s(self, name):
        value = self.props.get(name)
        if value is None:
            return None
        return list(struct.unpack('>%dI' % (len(value) // 4),
                                  value[:len(value) // 4 * 4]))

    def u32(self, name, default=None):
        values = self.u32s(name)
        return values[0] if values else default

    def strings(self, name):
        value = self.props.get(name)
        if value is None:
            return []
        parts = value.split(b'\0')
        if parts[-1] == b'':
            parts.pop()
        return [part.decode('latin-1') for part in parts]

    def string(self, name):
        strings = self.strings(name)
        return strings[0] if strings else None

    def compatible(self, *names):
        mine = self.strings('compatible')
        return any(name in mine for name in names)

    def enabled(self):
        status = self.string('status')
        return status in (None, 'okay', 'ok')

    def address_cells(self):
        """#address-cells for this node's children."""
        return self.u32('#address-cells', 2)

    def size_cells(self):
        return self.u32('#size-cells', 1)

    def __repr__(self):
        return 'Node(%s)' % self.path


def _cells_to_int(cells):
    value = 0
    for cell in cells:
        value = value << 32 | cell
    return value


def _split(values, widths):
    """Group @values into tuples of ints of @widths cells each."""
    step = sum(widths)
    if not step:
        return []
    out = []
    for i in range(0, len(values) - step + 1, step):
        group = []
        pos = i
        for width in widths:
            group.append(_cells_to_int(values[pos:pos + width]))
            pos += width
        out.append(tuple(group))
    return out


def translate(bus, address):
    """The physical address of @address on the bus of node @bus's
    children, or None when it is not memory-mapped (no "ranges" on the
    way up, or no range covers it)."""
    while bus.parent is not None:
        ranges = bus.u32s('ranges')
        # Below a PCI bus (three address cells), "reg" is config space.
        if ranges is None or bus.address_cells() == 3:
            return None
        if ranges:
            entries = _split(ranges, (bus.address_cells(),
                                      bus.parent.address_cells(),
                                      bus.size_cells()))
            for child, parent, size in entries:
                if child <= address < child + size:
                    address = parent + (address - child)
                    break
            else:
                return None
        bus = bus.parent
    return address


def reg(node):
    """The (physical address, size) pairs of @node's "reg"; entries that
    are not memory-mapped are left out."""
    values = node.u32s('reg')
    if values is None or node.parent is None:
        return []
    bus = node.parent
    out = []
    for address, size in _split(values, (bus.address_cells(),
                                         bus.size_cells())):
        phys = translate(bus, address)
        if phys is not None:
            out.append((phys, size))
    return out


def pci_windows(node):
    """The CPU-side (address, size) windows of a PCI host bridge's
    "ranges" (I/O and memory spaces)."""
    ranges = node.u32s('ranges') or []
    out = []
    for child, parent, size in _split(ranges, (3, node.parent.address_cells(),
                                               node.size_cells())):
        phys = translate(node.parent, parent)
        if phys is not None and size:
            out.append((phys, size))
    return out


def parse_dtb(data):
    """Parse a flattened device tree; return (root node, reservations)."""
    if len(data) < _HEADER.size:
        raise FdtError('too short for a device tree header')
    (magic, totalsize, off_struct, off_strings, off_rsvmap, version,
     _last_comp, _boot_cpu, size_strings, size_struct) = \
        _HEADER.unpack_from(data)
    if magic != FDT_MAGIC:
        raise FdtError('not a flattened device tree (magic 0x%08x)' % magic)
    if totalsize > len(data) or version < 16:
        raise FdtError('truncated or unsupported device tree (version %d, '
                       '%d of %d bytes)' % (version, len(data), totalsize))
    if version < 17:
        size_struct = totalsize - off_struct
    strings = data[off_strings:off_strings + size_strings]

    reserved = []
    pos = off_rsvmap
    while pos + 16 <= totalsize:
        address, size = struct.unpack_from('>QQ', data, pos)
        pos += 16
        if not address and not size:
            break
        reserved.append((address, size))

    def string_at(offset):
        end = strings.find(b'\0', offset)
        if end < 0:
            raise FdtError('property name outside the strings block')
        return strings[offset:end].decode('latin-1')

    pos = off_struct
    end = off_struct + size_struct
    root = None
    node = None
    while pos + 4 <= end:
        token, = struct.unpack_from('>I', data, pos)
        pos += 4
        if token == FDT_BEGIN_NODE:
            name_end = data.find(b'\0', pos, end)
            if name_end < 0:
                raise FdtError('unterminated node name')
            name = data[pos:name_end].decode('latin-1')
            pos = (name_end + 4) & ~3
            if node is None:
                if root is not None:
                    raise FdtError('second root node')
                root = node = Node('')
            else:
                child = Node(name, node)
                node.children.append(child)
                node = child
        elif token == FDT_END_NODE:
            if node is None:
                raise FdtError('unbalanced end of node')
            node = node.parent
        elif token == FDT_PROP:
            if node is None or pos + 8 > end:
                raise FdtError('property outside a node')
            length, name_off = struct.unpack_from('>II', data, pos)
            pos += 8
            if pos + length > end:
                raise FdtError('property runs past the structure block')
            node.props[string_at(name_off)] = data[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif token == FDT_NOP:
            continue
        elif token == FDT_END:
            break
        else:
            raise FdtError('unknown token 0x%x at offset 0x%x' %
                           (token, pos - 4))
    if root is None or node is not None:
        raise FdtError('incomplete structure block')
    return root, reserved


def load_dir(path):
    """Read a /proc/device-tree style directory: a directory per node, a
    file per property."""
    if not os.path.isdir(path):
        raise FdtError('%s: not a directory' % path)

    def read(directory, node):
        for entry in sorted(os.listdir(directory)):
            full = os.path.join(directory, entry)
            if os.path.isdir(full) and not os.path.islink(full):
                child = Node(entry, node)
                node.children.append(child)
                read(full, child)
            elif os.path.isfile(full):
                with open(full, 'rb') as f:
                    node.props[entry] = f.read()
    root = Node('')
    read(path, root)
    return root


def load(path):
    """A device tree from a .dtb file or a directory; (root, reserved)."""
    if os.path.isdir(path):
        return load_dir(path), []
    with open(path, 'rb') as f:
        return parse_dtb(f.read())


def phandles(root):
    """Map phandle values to nodes."""
    table = {}
    for node in root.walk():
        for name in ('phandle', 'linux,phandle'):
            value = node.u32(name)
            if value is not None:
                table.setdefault(value, node)
    return table


def interrupt_parent(node, by_phandle):
    """The node's interrupt controller: "interrupt-parent" of the node or
    its closest ancestor that has one."""
    while node is not None:
        handle = node.u32('interrupt-parent')
        if handle is not None:
            return by_phandle.get(handle)
        node = node.parent
    return None


def write_dir(root, path):
    """Write @root as a /proc/device-tree style directory at @path."""
    os.makedirs(path, exist_ok=True)
    for name, value in root.props.items():
        with open(os.path.join(path, name), 'wb') as f:
            f.write(value)
    for child in root.children:
        write_dir(child, os.path.join(path, child.name))
