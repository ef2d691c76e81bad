# SPDX-License-Identifier: GPL-2.0
"""The binary configuration format, revision 14: parse a .cell file into
Python objects and serialize them back to the identical bytes.

The layout is that of include/jailhouse/cell-config.h; the tests compare
every constant and structure size here against that header.
"""

import struct

REVISION = 14
SYSTEM_SIGNATURE = b'JHSYS'
CELL_SIGNATURE = b'JHCLL'
SIGNATURE_SIZE = 5
NAME_MAXLEN = 31
MAX_IOMMU_UNITS = 8
PAGE_SIZE = 0x1000

ARCH_X86 = 0
ARCH_ARM = 1
ARCH_ARM64 = 2
ARCHITECTURES = {'x86': ARCH_X86, 'arm': ARCH_ARM, 'arm64': ARCH_ARM64}

SYS_VIRTUAL_DEBUG_CONSOLE = 0x1
SYS_FLAGS = {'virtual_debug_console': SYS_VIRTUAL_DEBUG_CONSOLE}

CELL_PASSIVE_COMMREG = 0x00000001
CELL_TEST_DEVICE = 0x00000002
CELL_AARCH32 = 0x00000004
CELL_DIRECT_IRQS = 0x00010000
CELL_VIRTUAL_CONSOLE_PERMITTED = 0x40000000
CELL_VIRTUAL_CONSOLE_ACTIVE = 0x80000000
CELL_FLAGS = {
    'passive_commreg': CELL_PASSIVE_COMMREG,
    'test_device': CELL_TEST_DEVICE,
    'aarch32': CELL_AARCH32,
    'direct_irqs': CELL_DIRECT_IRQS,
    'virtual_console_permitted': CELL_VIRTUAL_CONSOLE_PERMITTED,
    'virtual_console_active': CELL_VIRTUAL_CONSOLE_ACTIVE,
}

CON_TYPE_NONE = 0
CON_TYPE_EFIFB = 1
CON_TYPE_8250 = 2
CON_TYPE_PL011 = 3
CON_TYPE_XUARTPS = 4
CON_TYPE_MVEBU = 5
CON_TYPE_HSCIF = 6
CON_TYPE_SCIFA = 7
CON_TYPE_IMX = 8
CON_TYPE_IMX_LPUART = 9
CON_TYPE_SCIF = 10
CON_TYPES = {
    'none': CON_TYPE_NONE, 'efifb': CON_TYPE_EFIFB, '8250': CON_TYPE_8250,
    'pl011': CON_TYPE_PL011, 'xuartps': CON_TYPE_XUARTPS,
    'mvebu': CON_TYPE_MVEBU, 'hscif': CON_TYPE_HSCIF,
    'scifa': CON_TYPE_SCIFA, 'imx': CON_TYPE_IMX,
    'imx_lpuart': CON_TYPE_IMX_LPUART, 'scif': CON_TYPE_SCIF,
}

# What the hypervisor of this tree drives on arm64, of all that the format
# can name: a config naming anything else is refused at "enable", or runs
# without the debug console it asks for.  tests/config/test_format.py
# compares these with the drivers in hypervisor/.
ARM64_DEBUG_CONSOLE_TYPES = (CON_TYPE_NONE, CON_TYPE_PL011, CON_TYPE_XUARTPS)
ARM64_GIC_VERSIONS = (2, 3)
# On x86: the 8250, on port I/O or memory-mapped.
X86_DEBUG_CONSOLE_TYPES = (CON_TYPE_NONE, CON_TYPE_8250)

# x86: the I/O port space, the ports the hypervisor keeps (PCI
# configuration: it shows each cell its own functions only), an 8250's
# ports, the pins of an IOAPIC it handles (hypervisor/include/jailhouse/
# config.h: CONFIG_IOAPIC_MAX_PINS), and the pages of the interrupt
# controllers it emulates.
PIO_PORTS = 0x10000
PIO_PCI_CONFIG = (0xcf8, 8)
UART_8250_PORTS = 8
IOAPIC_MAX_PINS = 120
IOAPIC_SIZE = 0x1000
X86_LAPIC_BASE = 0xfee00000
X86_LAPIC_SIZE = 0x1000

CON_ACCESS_MMIO = 0x0001
CON_REGDIST_4 = 0x0002
CON_FB_1920x1080 = 0x0004
CON_INVERTED_GATE = 0x1000
CON_MDR_QUIRK = 0x2000
CON_FLAGS = {
    'mmio': CON_ACCESS_MMIO, 'regdist_4': CON_REGDIST_4,
    'fb_1920x1080': CON_FB_1920x1080, 'inverted_gate': CON_INVERTED_GATE,
    'mdr_quirk': CON_MDR_QUIRK,
}

MEM_READ = 0x0001
MEM_WRITE = 0x0002
MEM_EXECUTE = 0x0004
MEM_DMA = 0x0008
MEM_IO = 0x0010
MEM_COMM_REGION = 0x0020
MEM_LOADABLE = 0x0040
MEM_ROOTSHARED = 0x0080
MEM_NO_HUGEPAGES = 0x0100
MEM_IO_UNALIGNED = 0x8000
MEM_IO_WIDTH_SHIFT = 16
MEM_IO_WIDTH_MASK = 0xf << MEM_IO_WIDTH_SHIFT
MEM_FLAGS = {
    'read': MEM_READ, 'write': MEM_WRITE, 'execute': MEM_EXECUTE,
    'dma': MEM_DMA, 'io': MEM_IO, 'comm_region': MEM_COMM_REGION,
    'loadable': MEM_LOADABLE, 'rootshared': MEM_ROOTSHARED,
    'no_hugepages': MEM_NO_HUGEPAGES, 'io_unaligned': MEM_IO_UNALIGNED,
    'io_8': 1 << MEM_IO_WIDTH_SHIFT, 'io_16': 2 << MEM_IO_WIDTH_SHIFT,
    'io_32': 4 << MEM_IO_WIDTH_SHIFT, 'io_64': 8 << MEM_IO_WIDTH_SHIFT,
}

CACHE_TYPES = {'l3_code': 1, 'l3_data': 2, 'l3': 3}
CACHE_FLAGS = {'rootshared': 0x1}

PCI_TYPE_DEVICE = 1
PCI_TYPE_BRIDGE = 2
PCI_TYPE_IVSHMEM = 3
PCI_TYPES = {'device': PCI_TYPE_DEVICE, 'bridge': PCI_TYPE_BRIDGE,
             'ivshmem': PCI_TYPE_IVSHMEM}
PCI_EXT_CAP = 0x8000
PCICAP_FLAGS = {'write': 0x1}

SHMEM_PROTO_UNDEFINED = 0x0000
SHMEM_PROTO_VETH = 0x0001
SHMEM_PROTO_CUSTOM = 0x4000
SHMEM_PROTO_VIRTIO_FRONT = 0x8000
SHMEM_PROTO_VIRTIO_BACK = 0xc000
SHMEM_PROTOCOLS = {
    'undefined': SHMEM_PROTO_UNDEFINED, 'veth': SHMEM_PROTO_VETH,
    'virtio_front_net': SHMEM_PROTO_VIRTIO_FRONT + 1,
    'virtio_front_block': SHMEM_PROTO_VIRTIO_FRONT + 2,
    'virtio_front_console': SHMEM_PROTO_VIRTIO_FRONT + 3,
    'virtio_back_net': SHMEM_PROTO_VIRTIO_BACK + 1,
    'virtio_back_block': SHMEM_PROTO_VIRTIO_BACK + 2,
    'virtio_back_console': SHMEM_PROTO_VIRTIO_BACK + 3,
}

# The ivshmem device and the virtual PCI host: include/jailhouse/ivshmem.h
# and the standard BAR masks of cell-config.h.
IVSHMEM_MAX_PEERS = 16
VPCI_ECAM_SIZE = 0x100000
VPCI_BAR_WINDOW_SIZE = 0x100000
IVSHMEM_BAR_MASKS = {
    'intx': [0xfffff000, 0, 0, 0, 0, 0],
    'msix': [0xfffff000, 0xfffff000, 0, 0, 0, 0],
    'intx_64k': [0xffff0000, 0, 0, 0, 0, 0],
    'msix_64k': [0xffff0000, 0xffff0000, 0, 0, 0, 0],
}
IVSHMEM_MAX_MSIX_VECTORS = 64
# MSI-X (Documentation/ivshmem.md): a cell's MSI SPIs from vpci_irq_base +
# VPCI_MSI_FIRST on; on GICv2 the virtual GICv2m frame is the page below
# the ECAM.
VPCI_MSI_FIRST = 4
VPCI_MAX_MSI_SPIS = 64
VPCI_MSI_FRAME_SIZE = 0x1000

IOMMU_AMD = 1
IOMMU_INTEL = 2
IOMMU_SMMUV3 = 3
IOMMU_PVU = 4
IOMMU_ARM_MMU500 = 5
IOMMU_TYPES = {'amd': IOMMU_AMD, 'intel': IOMMU_INTEL,
               'smmuv3': IOMMU_SMMUV3, 'pvu': IOMMU_PVU,
               'arm_mmu500': IOMMU_ARM_MMU500}

APIC_MODES = {'auto': 0, 'xapic': 1, 'x2apic': 2}


class ConfigError(Exception):
    """A file that is not a well-formed configuration."""


class Record:
    """A packed little-endian structure.

    FIELDS lists (name, struct code) pairs.  A code with a repeat count of
    a numeric type ("4I") makes the attribute a list; "Ns" is bytes.
    """
    FIELDS = ()

    def __init_subclass__(cls):
        super().__init_subclass__()
        cls._struct = struct.Struct('<' + ''.join(c for _, c in cls.FIELDS))
        cls.SIZE = cls._struct.size
        cls._shape = []
        for name, code in cls.FIELDS:
            count = int(code[:-1]) if len(code) > 1 else 1
            is_list = code[-1] != 's' and len(code) > 1
            cls._shape.append((name, code[-1], count, is_list))

    def __init__(self, **values):
        for name, kind, count, is_list in self._shape:
            if kind == 's':
                setattr(self, name, bytes(count))
            elif is_list:
                setattr(self, name, [0] * count)
            else:
                setattr(self, name, 0)
        for name, value in values.items():
            if not any(name == s[0] for s in self._shape):
                raise TypeError('%s has no field %s' %
                                (type(self).__name__, name))
            setattr(self, name, value)

    @classmethod
    def unpack_from(cls, data, offset=0):
        values = iter(cls._struct.unpack_from(data, offset))
        record = cls()
        for name, kind, count, is_list in cls._shape:
            if is_list:
                setattr(record, name, [next(values) for _ in range(count)])
            else:
                setattr(record, name, next(values))
        return record

    def pack(self):
        values = []
        for name, kind, count, is_list in self._shape:
            value = getattr(self, name)
            if is_list:
                if len(value) != count:
                    raise ConfigError('%s.%s needs %d values' %
                                      (type(self).__name__, name, count))
                values.extend(value)
            else:
                values.append(value)
        try:
            return self._struct.pack(*values)
        except struct.error:
            pass
        for name, kind, count, is_list in self._shape:
            value = getattr(self, name)
            try:
                struct.pack('<%d%s' % (count, kind),
                            *(value if is_list else [value]))
            except struct.error:
                raise ConfigError('%s %r does not fit %s' % (
                    name, value, '%d bytes' % count if kind == 's' else
                    'the field')) from None
        raise ConfigError('%s: cannot pack' % type(self).__name__)

    def is_zero(self):
        return not any(self.pack())

    def __eq__(self, other):
        return type(self) is type(other) and self.pack() == other.pack()

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, ', '.join(
            '%s=%r' % (s[0], getattr(self, s[0])) for s in self._shape))


class Console(Record):
    FIELDS = (('address', 'Q'), ('size', 'I'), ('type', 'H'), ('flags', 'H'),
              ('divider', 'I'), ('gate_nr', 'I'), ('clock_reg', 'Q'))


class Memory(Record):
    FIELDS = (('phys_start', 'Q'), ('virt_start', 'Q'), ('size', 'Q'),
              ('flags', 'Q'))

    @property
    def io_width(self):
        return (self.flags & MEM_IO_WIDTH_MASK) >> MEM_IO_WIDTH_SHIFT


class Cache(Record):
    FIELDS = (('start', 'I'), ('size', 'I'), ('type', 'B'), ('padding', 'B'),
              ('flags', 'H'))


class Irqchip(Record):
    FIELDS = (('address', 'Q'), ('id', 'I'), ('pin_base', 'I'),
              ('pin_bitmap', '4I'))

    def interrupts(self):
        """The interrupt numbers whose bits are set."""
        return [self.pin_base + 32 * word + bit
                for word, mask in enumerate(self.pin_bitmap)
                for bit in range(32) if mask & (1 << bit)]

    def set_interrupts(self, irqs):
        self.pin_bitmap = [0] * 4
        for irq in irqs:
            index = irq - self.pin_base
            if not 0 <= index < 128:
                raise ConfigError('interrupt %d outside %d..%d of the '
                                  'irqchip at 0x%x' %
                                  (irq, self.pin_base, self.pin_base + 127,
                                   self.address))
            self.pin_bitmap[index // 32] |= 1 << (index % 32)


class Pio(Record):
    FIELDS = (('base', 'H'), ('length', 'H'))

    @property
    def end(self):
        """One behind the last port."""
        return self.base + self.length


class PciDevice(Record):
    FIELDS = (('type', 'B'), ('iommu', 'B'), ('domain', 'H'), ('bdf', 'H'),
              ('bar_mask', '6I'), ('caps_start', 'H'), ('num_caps', 'H'),
              ('num_msi_vectors', 'B'), ('msi_flags', 'B'),
              ('num_msix_vectors', 'H'), ('msix_region_size', 'H'),
              ('msix_address', 'Q'), ('shmem_regions_start', 'I'),
              ('shmem_dev_id', 'B'), ('shmem_peers', 'B'),
              ('shmem_protocol', 'H'))

    MSI_64BITS = 0x1
    MSI_MASKABLE = 0x2


class PciCap(Record):
    FIELDS = (('id', 'H'), ('start', 'H'), ('len', 'H'), ('flags', 'H'))


class Iommu(Record):
    """One IOMMU unit; "data" is the 12-byte type-dependent tail."""
    FIELDS = (('type', 'I'), ('base', 'Q'), ('size', 'I'), ('data', '12s'))

    AMD = struct.Struct('<HBBI4x')
    PVU = struct.Struct('<QI')


class ArmPlatform(Record):
    FIELDS = (('maintenance_irq', 'B'), ('gic_version', 'B'),
              ('padding', 'H'), ('gicd_base', 'Q'), ('gicc_base', 'Q'),
              ('gich_base', 'Q'), ('gicv_base', 'Q'), ('gicr_base', 'Q'))


class X86Platform(Record):
    FIELDS = (('pm_timer_address', 'H'), ('apic_mode', 'B'),
              ('padding', 'B'), ('vtd_interrupt_limit', 'I'),
              ('tsc_khz', 'I'), ('apic_khz', 'I'), ('reserved', '28s'))


class _CellDesc(Record):
    FIELDS = (('signature', '5s'), ('architecture', 'B'), ('revision', 'H'),
              ('name', '32s'), ('id', 'I'), ('flags', 'I'),
              ('cpu_set_size', 'I'), ('num_memory_regions', 'I'),
              ('num_cache_regions', 'I'), ('num_irqchips', 'I'),
              ('num_pio_regions', 'I'), ('num_pci_devices', 'I'),
              ('num_pci_caps', 'I'), ('num_stream_ids', 'I'),
              ('vpci_irq_base', 'I'), ('cpu_reset_address', 'Q'),
              ('msg_reply_timeout', 'Q'))


class _SystemHead(Record):
    FIELDS = (('signature', '5s'), ('architecture', 'B'), ('revision', 'H'),
              ('flags', 'I'))


class _PciHead(Record):
    FIELDS = (('pci_mmconfig_base', 'Q'), ('pci_mmconfig_end_bus', 'B'),
              ('pci_is_virtual', 'B'), ('pci_domain', 'H'))


CELL_DESC_SIZE = _CellDesc.SIZE + Console.SIZE
PLATFORM_SIZE = 44
SYSTEM_HEADER_SIZE = (_SystemHead.SIZE + Memory.SIZE + Console.SIZE +
                      _PciHead.SIZE + MAX_IOMMU_UNITS * Iommu.SIZE +
                      PLATFORM_SIZE)

# The cell's arrays in file order: attribute, record type, count field.
CELL_ARRAYS = (
    ('memory_regions', Memory, 'num_memory_regions'),
    ('cache_regions', Cache, 'num_cache_regions'),
    ('irqchips', Irqchip, 'num_irqchips'),
    ('pio_regions', Pio, 'num_pio_regions'),
    ('pci_devices', PciDevice, 'num_pci_devices'),
    ('pci_caps', PciCap, 'num_pci_caps'),
)


def default_cpu_set_size(cpus):
    """Bytes of a CPU bitmap holding @cpus, in whole 64-bit words."""
    return (max(cpus, default=0) // 64 + 1) * 8


def arch_name(arch):
    for name, value in ARCHITECTURES.items():
        if value == arch:
            return name
    return 'unknown architecture %d' % arch


def con_type_name(con_type):
    for name, value in CON_TYPES.items():
        if value == con_type:
            return name
    return 'unknown type %d' % con_type


def vpci_intx_pin(slot):
    """The INTx pin (1..4) of the virtual device in @slot:
    JAILHOUSE_VPCI_INTX_PIN."""
    return (slot & 3) + 1


def platform_type(arch):
    return X86Platform if arch == ARCH_X86 else ArmPlatform


class Cell:
    """A cell descriptor with its arrays, alone or as a system's root.

    The signature, architecture and revision of a root cell's descriptor
    are not checked by anyone (C system configs leave them zero); they
    are kept as found so that the file serializes to the same bytes.
    """

    def __init__(self, name='', architecture=ARCH_ARM64,
                 signature=CELL_SIGNATURE, revision=REVISION):
        self.signature = signature
        self.architecture = architecture
        self.revision = revision
        self.name = name
        self.id = 0
        self.flags = 0
        self.cpus = set()
        self.cpu_set_size = None  # None: default_cpu_set_size()
        self.vpci_irq_base = 0
        self.cpu_reset_address = 0
        self.msg_reply_timeout = 0
        self.console = Console()
        for attr, _, _ in CELL_ARRAYS:
            setattr(self, attr, [])
        self.stream_ids = []

    def effective_cpu_set_size(self):
        if self.cpu_set_size is None:
            return default_cpu_set_size(self.cpus)
        return self.cpu_set_size

    def pack(self):
        name = self.name.encode('latin-1')
        if len(name) > NAME_MAXLEN:
            raise ConfigError('cell name "%s" longer than %d characters' %
                              (self.name, NAME_MAXLEN))
        set_size = self.effective_cpu_set_size()
        if self.cpus and max(self.cpus) >= set_size * 8:
            raise ConfigError('CPU %d does not fit a CPU set of %d bytes' %
                              (max(self.cpus), set_size))
        desc = _CellDesc(signature=self.signature,
                         architecture=self.architecture,
                         revision=self.revision,
                         name=name, id=self.id, flags=self.flags,
                         cpu_set_size=set_size,
                         num_stream_ids=len(self.stream_ids),
                         vpci_irq_base=self.vpci_irq_base,
                         cpu_reset_address=self.cpu_reset_address,
                         msg_reply_timeout=self.msg_reply_timeout)
        for attr, _, count in CELL_ARRAYS:
            setattr(desc, count, len(getattr(self, attr)))
        bitmap = sum(1 << cpu for cpu in self.cpus)
        parts = [desc.pack(), self.console.pack(),
                 bitmap.to_bytes(set_size, 'little')]
        for attr, _, _ in CELL_ARRAYS:
            parts.extend(r.pack() for r in getattr(self, attr))
        try:
            parts.append(struct.pack('<%dI' % len(self.stream_ids),
                                     *self.stream_ids))
        except struct.error as err:
            raise ConfigError('stream IDs: %s' % err)
        return b''.join(parts)

    @classmethod
    def unpack_from(cls, data, offset, what, is_root=False):
        """Parse the cell descriptor at @offset; return (cell, end)."""
        if len(data) < offset + CELL_DESC_SIZE:
            raise ConfigError('truncated: %d bytes, the %s needs %d' %
                              (len(data), what, offset + CELL_DESC_SIZE))
        desc = _CellDesc.unpack_from(data, offset)
        if not is_root:
            _check_ident(desc, CELL_SIGNATURE, what)
        name, nul, _ = desc.name.partition(b'\0')
        if not nul:
            raise ConfigError('%s: name is not NUL-terminated' % what)
        cell = cls(name.decode('latin-1'), desc.architecture,
                   desc.signature, desc.revision)
        for attr in ('id', 'flags', 'vpci_irq_base', 'cpu_reset_address',
                     'msg_reply_timeout', 'cpu_set_size'):
            setattr(cell, attr, getattr(desc, attr))
        cell.console = Console.unpack_from(data, offset + _CellDesc.SIZE)

        need = CELL_DESC_SIZE + desc.cpu_set_size + 4 * desc.num_stream_ids
        for attr, rtype, count in CELL_ARRAYS:
            need += getattr(desc, count) * rtype.SIZE
        if len(data) < offset + need:
            raise ConfigError('truncated: %d bytes, the counts in the %s '
                              'need %d' % (len(data), what, offset + need))

        pos = offset + CELL_DESC_SIZE
        bitmap = int.from_bytes(data[pos:pos + desc.cpu_set_size], 'little')
        cell.cpus = {cpu for cpu in range(desc.cpu_set_size * 8)
                     if bitmap & (1 << cpu)}
        pos += desc.cpu_set_size
        for attr, rtype, count in CELL_ARRAYS:
            records = []
            for _ in range(getattr(desc, count)):
                records.append(rtype.unpack_from(data, pos))
                pos += rtype.SIZE
            setattr(cell, attr, records)
        cell.stream_ids = list(struct.unpack_from(
            '<%dI' % desc.num_stream_ids, data, pos))
        pos += 4 * desc.num_stream_ids
        return cell, pos


class SystemConfig:
    """A system configuration: platform data and the root cell."""

    def __init__(self, architecture=ARCH_ARM64):
        self.architecture = architecture
        self.flags = 0
        self.hypervisor_memory = Memory()
        self.debug_console = Console()
        self.pci_mmconfig_base = 0
        self.pci_mmconfig_end_bus = 0
        self.pci_is_virtual = 0
        self.pci_domain = 0
        self.iommu_units = [Iommu() for _ in range(MAX_IOMMU_UNITS)]
        self.platform = platform_type(architecture)()
        self.root_cell = Cell('', 0, bytes(SIGNATURE_SIZE), 0)

    def pack(self):
        if len(self.iommu_units) != MAX_IOMMU_UNITS:
            raise ConfigError('a system config has exactly %d IOMMU slots' %
                              MAX_IOMMU_UNITS)
        head = _SystemHead(signature=SYSTEM_SIGNATURE,
                           architecture=self.architecture,
                           revision=REVISION, flags=self.flags)
        pci = _PciHead(pci_mmconfig_base=self.pci_mmconfig_base,
                       pci_mmconfig_end_bus=self.pci_mmconfig_end_bus,
                       pci_is_virtual=self.pci_is_virtual,
                       pci_domain=self.pci_domain)
        return b''.join([head.pack(), self.hypervisor_memory.pack(),
                         self.debug_console.pack(), pci.pack()] +
                        [u.pack() for u in self.iommu_units] +
                        [self.platform.pack(), self.root_cell.pack()])

    @classmethod
    def unpack_from(cls, data):
        if len(data) < SYSTEM_HEADER_SIZE:
            raise ConfigError('truncated: %d bytes, the system header '
                              'needs %d' % (len(data), SYSTEM_HEADER_SIZE))
        head = _SystemHead.unpack_from(data)
        _check_ident(head, SYSTEM_SIGNATURE, 'system config')
        config = cls(head.architecture)
        config.flags = head.flags
        pos = _SystemHead.SIZE
        config.hypervisor_memory = Memory.unpack_from(data, pos)
        pos += Memory.SIZE
        config.debug_console = Console.unpack_from(data, pos)
        pos += Console.SIZE
        pci = _PciHead.unpack_from(data, pos)
        for attr in ('pci_mmconfig_base', 'pci_mmconfig_end_bus',
                     'pci_is_virtual', 'pci_domain'):
            setattr(config, attr, getattr(pci, attr))
        pos += _PciHead.SIZE
        config.iommu_units = [Iommu.unpack_from(data, pos + i * Iommu.SIZE)
                              for i in range(MAX_IOMMU_UNITS)]
        pos += MAX_IOMMU_UNITS * Iommu.SIZE
        config.platform = platform_type(head.architecture).unpack_from(
            data, pos)
        pos += PLATFORM_SIZE
        config.root_cell, end = Cell.unpack_from(data, pos, 'root cell',
                                                 True)
        return config, end


def _check_ident(head, signature, what):
    problems = []
    if head.signature != signature:
        problems.append('signature %r (expected %r)' %
                        (head.signature.decode('latin-1'),
                         signature.decode()))
    if head.architecture not in ARCHITECTURES.values():
        problems.append('architecture %d (known: %s)' %
                        (head.architecture, ', '.join(
                            '%d %s' % (v, k)
                            for k, v in ARCHITECTURES.items())))
    if head.revision != REVISION:
        problems.append('revision %d (expected %d)' %
                        (head.revision, REVISION))
    if problems:
        raise ConfigError('%s: wrong %s' % (what, '; wrong '.join(problems)))


def parse(data):
    """Parse a system or cell configuration.

    Return (config, trailing): a SystemConfig or a Cell, and the number of
    bytes behind its end.  Raise ConfigError for anything malformed.
    """
    if data[:SIGNATURE_SIZE] == SYSTEM_SIGNATURE:
        config, end = SystemConfig.unpack_from(data)
    elif data[:SIGNATURE_SIZE] == CELL_SIGNATURE:
        config, end = Cell.unpack_from(data, 0, 'cell config')
    elif len(data) < SIGNATURE_SIZE:
        raise ConfigError('truncated: %d bytes, not even a signature' %
                          len(data))
    else:
        raise ConfigError('wrong signature %r (expected %r or %r)' %
                          (data[:SIGNATURE_SIZE].decode('latin-1'),
                           SYSTEM_SIGNATURE.decode(),
                           CELL_SIGNATURE.decode()))
    return config, len(data) - end


def load(path):
    """Read and parse a .cell file; trailing bytes are an error here."""
    with open(path, 'rb') as f:
        data = f.read()
    config, trailing = parse(data)
    if trailing:
        raise ConfigError('%d bytes behind the end of the configuration' %
                          trailing)
    return config
