# SPDX-License-Identifier: GPL-2.0
"""The TOML source form of a configuration: names instead of flag bits,
sizes such as "64K", interrupt and CPU lists such as "32-63".

A system configuration has a [system] table and its root cell in [cell]; a
cell configuration has [cell] only.  Every key follows the C field name.
Zero fields may be left out.  to_toml() writes every byte of a parsed
configuration, so that compiling its output gives the same file again.
"""

try:
    import tomllib
except ImportError:             # Python before 3.11: python3-tomli
    import tomli as tomllib

from . import config as cfg
from .util import (parse_size, size_text, parse_ranges, format_ranges,
                   flag_names, parse_flags, parse_enum, enum_name,
                   format_bdf, parse_bdf)

# Field kinds: how a value is read from TOML and written back.
ADDR, SIZE, INT, HEX, FLAGS, ENUM, BOOL, BDF = range(8)

CONSOLE = (('address', ADDR, None), ('size', SIZE, None),
           ('type', ENUM, cfg.CON_TYPES), ('flags', FLAGS, cfg.CON_FLAGS),
           ('divider', HEX, None), ('gate_nr', INT, None),
           ('clock_reg', ADDR, None))
MEMORY = (('phys_start', ADDR, None), ('virt_start', ADDR, None),
          ('size', SIZE, None), ('flags', FLAGS, cfg.MEM_FLAGS))
CACHE = (('start', INT, None), ('size', INT, None),
         ('type', ENUM, cfg.CACHE_TYPES), ('padding', INT, None),
         ('flags', FLAGS, cfg.CACHE_FLAGS))
IRQCHIP = (('address', ADDR, None), ('id', INT, None),
           ('pin_base', INT, None))
PIO = (('base', HEX, None), ('length', HEX, None))
PCI_DEVICE = (('type', ENUM, cfg.PCI_TYPES), ('iommu', INT, None),
              ('domain', INT, None), ('bdf', BDF, None),
              ('caps_start', INT, None), ('num_caps', INT, None),
              ('num_msi_vectors', INT, None),
              ('num_msix_vectors', INT, None),
              ('msix_region_size', HEX, None), ('msix_address', ADDR, None),
              ('shmem_regions_start', INT, None),
              ('shmem_dev_id', INT, None), ('shmem_peers', INT, None),
              ('shmem_protocol', ENUM, cfg.SHMEM_PROTOCOLS))
PCI_CAP = (('id', HEX, None), ('start', HEX, None), ('len', INT, None),
           ('flags', FLAGS, cfg.PCICAP_FLAGS))
IOMMU = (('type', ENUM, cfg.IOMMU_TYPES), ('base', ADDR, None),
         ('size', SIZE, None))
ARM_PLATFORM = (('maintenance_irq', INT, None), ('gic_version', INT, None),
                ('padding', INT, None), ('gicd_base', ADDR, None),
                ('gicc_base', ADDR, None), ('gich_base', ADDR, None),
                ('gicv_base', ADDR, None), ('gicr_base', ADDR, None))
X86_PLATFORM = (('pm_timer_address', HEX, None),
                ('apic_mode', ENUM, cfg.APIC_MODES), ('padding', INT, None),
                ('vtd_interrupt_limit', INT, None), ('tsc_khz', INT, None),
                ('apic_khz', INT, None))
PCI_HEAD = (('pci_mmconfig_base', ADDR, None),
            ('pci_mmconfig_end_bus', INT, None),
            ('pci_is_virtual', INT, None), ('pci_domain', INT, None))
CELL_SCALARS = (('id', INT, None), ('flags', FLAGS, cfg.CELL_FLAGS),
                ('vpci_irq_base', INT, None),
                ('cpu_reset_address', ADDR, None),
                ('msg_reply_timeout', INT, None))


class TomlError(cfg.ConfigError):
    """A TOML source that does not describe a valid configuration."""


# ---------------------------------------------------------------- reading

class _Table:
    """A TOML table being consumed: every key must be used exactly once,
    so that a misspelt key is an error rather than silently ignored."""

    def __init__(self, data, path):
        if not isinstance(data, dict):
            raise TomlError('%s: expected a table' % path)
        self.data = dict(data)
        self.path = path

    def pop(self, key, default=None):
        return self.data.pop(key, default)

    def has(self, key):
        return key in self.data

    def sub(self, key):
        return _Table(self.data.pop(key, {}), self._key(key))

    def array(self, key):
        items = self.data.pop(key, [])
        if not isinstance(items, list):
            raise TomlError('%s: expected an array of tables' %
                            self._key(key))
        return [_Table(item, '%s[%d]' % (self._key(key), i))
                for i, item in enumerate(items)]

    def _key(self, key):
        return '%s.%s' % (self.path, key) if self.path else key

    def field(self, key, kind, arg, default=0):
        if key not in self.data:
            return default
        value = self.data.pop(key)
        what = self._key(key)
        try:
            if kind == SIZE:
                return parse_size(value)
            if kind == FLAGS:
                return parse_flags(value, arg, what)
            if kind == ENUM:
                return parse_enum(value, arg, what)
            if kind == BDF:
                return parse_bdf(value)
            if kind == BOOL:
                if not isinstance(value, bool):
                    raise ValueError('%s: expected true or false' % what)
                return value
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError('%s: expected an integer, got %r' %
                                 (what, value))
            return value
        except ValueError as err:
            msg = str(err)
            raise TomlError(msg if msg.startswith(what) else
                            '%s: %s' % (what, msg)) from None

    def fill(self, record, spec):
        for key, kind, arg in spec:
            setattr(record, key, self.field(key, kind, arg))
        try:
            record.pack()
        except cfg.ConfigError as err:
            raise TomlError('%s: %s' % (self.path, err)) from None
        return record

    def done(self):
        if self.data:
            raise TomlError('%s: unknown key%s %s' %
                            (self.path or 'top level',
                             's' if len(self.data) > 1 else '',
                             ', '.join(sorted(self.data))))


def _read_cell(table, is_root):
    cell = cfg.Cell()
    if is_root:
        signature = table.pop('signature', '')
        if not isinstance(signature, str) or len(signature) > 5:
            raise TomlError('cell.signature: at most 5 characters')
        cell.signature = signature.encode('latin-1').ljust(5, b'\0')
        cell.revision = table.field('revision', INT, None)
        cell.architecture = table.field('architecture', ENUM,
                                        cfg.ARCHITECTURES)
    else:
        cell.architecture = table.field('architecture', ENUM,
                                        cfg.ARCHITECTURES, None)
        if cell.architecture is None:
            raise TomlError('cell.architecture missing (one of %s)' %
                            ', '.join(cfg.ARCHITECTURES))
    name = table.pop('name', '')
    if not isinstance(name, str):
        raise TomlError('cell.name: expected a string')
    cell.name = name
    for key, kind, arg in CELL_SCALARS:
        setattr(cell, key, table.field(key, kind, arg))
    try:
        cell.cpus = set(parse_ranges(table.pop('cpus', [])))
    except ValueError as err:
        raise TomlError('cell.cpus: %s' % err) from None
    cell.cpu_set_size = table.field('cpu_set_size', INT, None, None)
    console = table.sub('console')
    console.fill(cell.console, CONSOLE)
    console.done()
    stream_ids = table.pop('stream_ids', [])
    if (not isinstance(stream_ids, list) or
            not all(isinstance(s, int) for s in stream_ids)):
        raise TomlError('cell.stream_ids: expected a list of integers')
    cell.stream_ids = stream_ids

    for item in table.array('memory_regions'):
        identity = not item.has('virt_start')
        mem = item.fill(cfg.Memory(), MEMORY)
        if identity:
            mem.virt_start = mem.phys_start
        cell.memory_regions.append(mem)
        item.done()

    for item in table.array('cache_regions'):
        cell.cache_regions.append(item.fill(cfg.Cache(), CACHE))
        item.done()
    for item in table.array('irqchips'):
        chip = item.fill(cfg.Irqchip(), IRQCHIP)
        if item.has('pin_bitmap'):
            bitmap = item.pop('pin_bitmap')
            if (not isinstance(bitmap, list) or len(bitmap) != 4 or
                    not all(isinstance(w, int) for w in bitmap)):
                raise TomlError('%s.pin_bitmap: expected 4 integers' %
                                item.path)
            chip.pin_bitmap = bitmap
        try:
            chip.set_interrupts(parse_ranges(item.pop('interrupts', [])) +
                                chip.interrupts())
        except (ValueError, cfg.ConfigError) as err:
            raise TomlError('%s.interrupts: %s' % (item.path, err)) from None
        cell.irqchips.append(chip)
        item.done()
    for item in table.array('pio_regions'):
        cell.pio_regions.append(item.fill(cfg.Pio(), PIO))
        item.done()
    for item in table.array('pci_devices'):
        dev = item.fill(cfg.PciDevice(), PCI_DEVICE)
        bars = item.pop('bar_mask', [0] * 6)
        if (not isinstance(bars, list) or len(bars) != 6 or
                not all(isinstance(b, int) for b in bars)):
            raise TomlError('%s.bar_mask: expected 6 integers' % item.path)
        dev.bar_mask = bars
        dev.msi_flags = item.field('msi_flags', HEX, None)
        if item.field('msi_64bits', BOOL, None, False):
            dev.msi_flags |= cfg.PciDevice.MSI_64BITS
        if item.field('msi_maskable', BOOL, None, False):
            dev.msi_flags |= cfg.PciDevice.MSI_MASKABLE
        cell.pci_devices.append(dev)
        item.done()
    for item in table.array('pci_caps'):
        cell.pci_caps.append(item.fill(cfg.PciCap(), PCI_CAP))
        item.done()
    table.done()
    return cell


def _read_iommu(table):
    unit = table.fill(cfg.Iommu(), IOMMU)
    data = table.pop('data', '')
    try:
        raw = bytearray(bytes.fromhex(data))
    except (TypeError, ValueError):
        raise TomlError('%s.data: expected a hex string' %
                        table.path) from None
    if len(raw) > 12:
        raise TomlError('%s.data: at most 12 bytes' % table.path)
    raw.extend(bytes(12 - len(raw)))
    if any(table.has(k) for k in ('amd_bdf', 'amd_base_cap', 'amd_msi_cap',
                                  'amd_features')):
        cfg.Iommu.AMD.pack_into(raw, 0,
                                table.field('amd_bdf', BDF, None),
                                table.field('amd_base_cap', HEX, None),
                                table.field('amd_msi_cap', HEX, None),
                                table.field('amd_features', HEX, None))
    if table.has('tlb_base') or table.has('tlb_size'):
        cfg.Iommu.PVU.pack_into(raw, 0,
                                table.field('tlb_base', ADDR, None),
                                table.field('tlb_size', SIZE, None))
    unit.data = bytes(raw)
    table.done()
    return unit


def _read_system(table):
    system = cfg.SystemConfig()
    arch = table.field('architecture', ENUM, cfg.ARCHITECTURES, None)
    if arch is None:
        raise TomlError('system.architecture missing (one of %s)' %
                        ', '.join(cfg.ARCHITECTURES))
    system.architecture = arch
    system.flags = table.field('flags', FLAGS, cfg.SYS_FLAGS)
    hv_mem = table.sub('hypervisor_memory')
    hv_mem.fill(system.hypervisor_memory, MEMORY)
    hv_mem.done()
    console = table.sub('debug_console')
    console.fill(system.debug_console, CONSOLE)
    console.done()
    platform = table.sub('platform')
    for key, kind, arg in PCI_HEAD:
        setattr(system, key, platform.field(key, kind, arg))
    system.platform = cfg.platform_type(arch)()
    if arch == cfg.ARCH_X86:
        platform.fill(system.platform, X86_PLATFORM)
        reserved = platform.pop('reserved', '')
        try:
            system.platform.reserved = bytes.fromhex(reserved).ljust(28,
                                                                     b'\0')
        except (TypeError, ValueError):
            raise TomlError('system.platform.reserved: expected a hex '
                            'string') from None
    else:
        platform.fill(system.platform, ARM_PLATFORM)
    platform.done()
    units = [_read_iommu(t) for t in table.array('iommu_units')]
    if len(units) > cfg.MAX_IOMMU_UNITS:
        raise TomlError('system.iommu_units: at most %d' %
                        cfg.MAX_IOMMU_UNITS)
    system.iommu_units = units + [cfg.Iommu() for _ in
                                  range(cfg.MAX_IOMMU_UNITS - len(units))]
    table.done()
    return system


def from_toml(text, path='<toml>'):
    """Build a SystemConfig or a Cell from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TomlError('%s: %s' % (path, err)) from None
    top = _Table(data, '')
    try:
        if top.has('system'):
            system = _read_system(top.sub('system'))
            system.root_cell = _read_cell(top.sub('cell'), True)
            result = system
        elif top.has('cell'):
            result = _read_cell(top.sub('cell'), False)
        else:
            raise TomlError('neither [system] nor [cell] table')
        top.done()
    except TomlError as err:
        raise TomlError('%s: %s' % (path, err)) from None
    return result


# ---------------------------------------------------------------- writing

def _quote(text):
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append('\\' + char)
        elif ord(char) < 0x20 or ord(char) == 0x7f:
            out.append('\\u%04x' % ord(char))
        else:
            out.append(char)
    out.append('"')
    return ''.join(out)


def _format(kind, arg, value):
    if kind == ADDR:
        return '0x%08x' % value
    if kind == HEX:
        return '0x%x' % value
    if kind == SIZE:
        text = size_text(value)
        return _quote(text) if text else '0x%x' % value
    if kind == FLAGS:
        names, rest = flag_names(value, arg)
        items = [_quote(n) for n in names]
        if rest:
            items.append('0x%x' % rest)
        return '[%s]' % ', '.join(items)
    if kind == ENUM:
        name = enum_name(value, arg)
        return _quote(name) if name is not None else '%d' % value
    if kind == BDF:
        return _quote(format_bdf(value))
    if kind == BOOL:
        return 'true' if value else 'false'
    return '%d' % value


def _fields(record, spec, always=(), skip=()):
    """Lines "key = value" of @record's non-zero fields."""
    lines = []
    for key, kind, arg in spec:
        value = getattr(record, key)
        if key in skip or (not value and key not in always):
            continue
        lines.append('%s = %s' % (key, _format(kind, arg, value)))
    return lines


def _table(lines, header, body):
    if lines:
        lines.append('')
    lines.append(header)
    lines.extend(body)


def _cell_lines(cell, lines, is_root, region_notes=None, pci_notes=None):
    body = []
    if is_root:
        # Nobody reads these in a system config; C ones leave them zero.
        if any(cell.signature):
            body.append('signature = %s' %
                        _quote(cell.signature.rstrip(b'\0').decode(
                            'latin-1')))
        if cell.revision:
            body.append('revision = %d' % cell.revision)
    if not is_root or cell.architecture:
        body.append('architecture = %s' %
                    _format(ENUM, cfg.ARCHITECTURES, cell.architecture))
    body.append('name = %s' % _quote(cell.name))
    body.append('cpus = %s' % _quote(format_ranges(cell.cpus)))
    if cell.effective_cpu_set_size() != cfg.default_cpu_set_size(cell.cpus):
        body.append('cpu_set_size = %d' % cell.cpu_set_size)
    body.extend(_fields(cell, CELL_SCALARS))
    if cell.stream_ids:
        body.append('stream_ids = [%s]' %
                    ', '.join('0x%x' % s for s in cell.stream_ids))
    _table(lines, '[cell]', body)

    if not cell.console.is_zero():
        _table(lines, '[cell.console]', _fields(cell.console, CONSOLE))

    for i, mem in enumerate(cell.memory_regions):
        skip = always = ()
        if mem.virt_start == mem.phys_start:
            skip = ('virt_start',)
        else:
            always = ('virt_start',)
        if not mem.is_zero():
            always += ('phys_start', 'size')
        header = '[[cell.memory_regions]]  # %d' % i
        if region_notes:
            header += ': ' + region_notes[i].replace('\n', ' ')
        _table(lines, header, _fields(mem, MEMORY, always, skip))
    for i, cache in enumerate(cell.cache_regions):
        _table(lines, '[[cell.cache_regions]]  # %d' % i,
               _fields(cache, CACHE, ('start', 'size')))
    for i, chip in enumerate(cell.irqchips):
        body = _fields(chip, IRQCHIP, ('address', 'pin_base'))
        body.append('interrupts = %s' %
                    _quote(format_ranges(chip.interrupts())))
        _table(lines, '[[cell.irqchips]]  # %d' % i, body)
    for i, pio in enumerate(cell.pio_regions):
        _table(lines, '[[cell.pio_regions]]  # %d' % i,
               _fields(pio, PIO, ('base', 'length')))
    for i, dev in enumerate(cell.pci_devices):
        body = _fields(dev, PCI_DEVICE, ('type', 'bdf'))
        if any(dev.bar_mask):
            body.append('bar_mask = [%s]' %
                        ', '.join('0x%08x' % b for b in dev.bar_mask))
        known = cfg.PciDevice.MSI_64BITS | cfg.PciDevice.MSI_MASKABLE
        if dev.msi_flags & ~known:
            body.append('msi_flags = 0x%x' % dev.msi_flags)
        else:
            if dev.msi_flags & cfg.PciDevice.MSI_64BITS:
                body.append('msi_64bits = true')
            if dev.msi_flags & cfg.PciDevice.MSI_MASKABLE:
                body.append('msi_maskable = true')
        header = '[[cell.pci_devices]]  # %d' % i
        if pci_notes:
            header += ': ' + pci_notes[i].replace('\n', ' ')
        _table(lines, header, body)
    for i, cap in enumerate(cell.pci_caps):
        _table(lines, '[[cell.pci_caps]]  # %d' % i,
               _fields(cap, PCI_CAP, ('id', 'start', 'len')))


def _iommu_lines(unit):
    body = _fields(unit, IOMMU, ('type',))
    amd = cfg.Iommu.AMD.unpack_from(unit.data)
    if unit.type == cfg.IOMMU_AMD and unit.data[8:] == bytes(4):
        for key, kind, value in (('amd_bdf', BDF, amd[0]),
                                 ('amd_base_cap', HEX, amd[1]),
                                 ('amd_msi_cap', HEX, amd[2]),
                                 ('amd_features', HEX, amd[3])):
            if value:
                body.append('%s = %s' % (key, _format(kind, None, value)))
    elif unit.type == cfg.IOMMU_PVU:
        tlb_base, tlb_size = cfg.Iommu.PVU.unpack_from(unit.data)
        if tlb_base:
            body.append('tlb_base = 0x%x' % tlb_base)
        if tlb_size:
            body.append('tlb_size = %s' % _format(SIZE, None, tlb_size))
    elif any(unit.data):
        body.append('data = %s' % _quote(unit.data.hex()))
    return body


def to_toml(config, comment=None, region_notes=None, pci_notes=None):
    """TOML text of a SystemConfig or a Cell, with @comment on top,
    @region_notes (a text per memory region) behind the region headers and
    @pci_notes (one per PCI device) behind the device headers."""
    lines = []
    if comment:
        lines.extend('# ' + line if line else '#'
                     for line in comment.splitlines())
    if isinstance(config, cfg.SystemConfig):
        body = ['architecture = %s' %
                _format(ENUM, cfg.ARCHITECTURES, config.architecture)]
        if config.flags:
            body.append('flags = %s' %
                        _format(FLAGS, cfg.SYS_FLAGS, config.flags))
        _table(lines, '[system]', body)
        _table(lines, '[system.hypervisor_memory]',
               _fields(config.hypervisor_memory, MEMORY,
                       ('phys_start', 'size')))
        if not config.debug_console.is_zero():
            _table(lines, '[system.debug_console]',
                   _fields(config.debug_console, CONSOLE))
        body = _fields(config, PCI_HEAD)
        if config.architecture == cfg.ARCH_X86:
            body.extend(_fields(config.platform, X86_PLATFORM))
            if any(config.platform.reserved):
                body.append('reserved = %s' %
                            _quote(config.platform.reserved.hex()))
        else:
            body.extend(_fields(config.platform, ARM_PLATFORM))
        _table(lines, '[system.platform]', body)
        used = [i for i, u in enumerate(config.iommu_units)
                if not u.is_zero()]
        for unit in config.iommu_units[:max(used, default=-1) + 1]:
            _table(lines, '[[system.iommu_units]]', _iommu_lines(unit))
        _cell_lines(config.root_cell, lines, True, region_notes, pci_notes)
    else:
        _cell_lines(config, lines, False, region_notes, pci_notes)
    lines.append('')
    return '\n'.join(lines)
