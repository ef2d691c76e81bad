# SPDX-License-Identifier: GPL-2.0
"""The ACPI tables "config create" reads on x86, as Linux shows them in
/sys/firmware/acpi/tables: MCFG (the PCI Express configuration space),
FACP (the fixed hardware: the PM timer, where the DSDT and FACS are),
APIC (the MADT: local APICs and IOAPICs) and IVRS (AMD IOMMUs).  The
layouts are the ACPI specification's (6.x: 5.2.6 header, 5.2.9 FADT,
5.2.12 MADT; MCFG from the PCI Firmware Specification, IVRS from AMD's
I/O Virtualization Technology specification); every integer is little
endian.
"""

import struct

HEADER = struct.Struct('<4sIBB6s8sI4sI')


class AcpiError(Exception):
    """A table too short for what it says it holds."""


class Table:
    """One table: its signature, OEM ids and the bytes after the common
    36-byte header, checked against the header's length."""

    def __init__(self, name, data):
        if len(data) < HEADER.size:
            raise AcpiError('ACPI table %s: %d bytes, shorter than its '
                            'header' % (name, len(data)))
        (signature, length, self.revision, _, oem_id, oem_table_id, _, _,
         _) = HEADER.unpack_from(data)
        if length > len(data) or length < HEADER.size:
            raise AcpiError('ACPI table %s: the header says %d bytes, the '
                            'file has %d' % (name, length, len(data)))
        self.name = name
        self.signature = signature.decode('latin-1')
        self.oem_id = oem_id.decode('latin-1').strip(' \0')
        self.oem_table_id = oem_table_id.decode('latin-1').strip(' \0')
        self.data = data[:length]

    def field(self, fmt, offset, default=None):
        """struct @fmt at @offset, @default where the table (of an older
        revision) ends before it."""
        size = struct.calcsize('<' + fmt)
        if offset + size > len(self.data):
            return default
        values = struct.unpack_from('<' + fmt, self.data, offset)
        return values[0] if len(values) == 1 else values


# ------------------------------------------------------------------ MCFG

class McfgEntry:
    def __init__(self, base, segment, start_bus, end_bus):
        self.base = base
        self.segment = segment
        self.start_bus = start_bus
        self.end_bus = end_bus


def mcfg(table):
    """The configuration space allocations: 8 reserved bytes behind the
    header, then 16 bytes each (base address, segment group, first and
    last bus)."""
    out = []
    for pos in range(HEADER.size + 8, len(table.data) - 15, 16):
        base, segment, start, end = struct.unpack_from('<QHBB', table.data,
                                                       pos)
        out.append(McfgEntry(base, segment, start, end))
    return out


# ------------------------------------------------------------------ FADT

FADT_FIRMWARE_CTRL = 36
FADT_DSDT = 40
FADT_PM_TMR_BLK = 76
FADT_PM_TMR_LEN = 91
FADT_FLAGS = 112
FADT_X_FIRMWARE_CTRL = 132
FADT_X_DSDT = 140
FADT_X_PM_TMR_BLK = 208
# FADT flags: the timer counts 32 bits (else 24); no fixed hardware
FADT_TMR_VAL_EXT = 1 << 8
FADT_HW_REDUCED_ACPI = 1 << 20
# Generic address structure: address space, bit width, bit offset,
# access size, address
GAS = 'BBBBQ'
GAS_SYSTEM_MEMORY = 0
GAS_SYSTEM_IO = 1


class Fadt:
    """What the FADT says of the PM timer and where the DSDT and FACS
    are (their physical addresses: the memory that holds ACPI tables)."""

    def __init__(self, table):
        flags = table.field('I', FADT_FLAGS, 0)
        self.hw_reduced = bool(flags & FADT_HW_REDUCED_ACPI)
        self.timer_32bit = bool(flags & FADT_TMR_VAL_EXT)
        # The extended (64-bit) fields win where they are set.
        self.pm_timer_space = GAS_SYSTEM_IO
        self.pm_timer = table.field('I', FADT_PM_TMR_BLK, 0)
        if table.field('B', FADT_PM_TMR_LEN, 0) < 4:
            self.pm_timer = 0
        gas = table.field(GAS, FADT_X_PM_TMR_BLK)
        if gas is not None and gas[4]:
            self.pm_timer_space, self.pm_timer = gas[0], gas[4]
        if self.hw_reduced:
            self.pm_timer = 0
        self.tables = [a for a in (
            table.field('Q', FADT_X_DSDT) or table.field('I', FADT_DSDT),
            table.field('Q', FADT_X_FIRMWARE_CTRL) or
            table.field('I', FADT_FIRMWARE_CTRL)) if a]


# ------------------------------------------------------------------ MADT

MADT_LAPIC = 0
MADT_IOAPIC = 1
MADT_LAPIC_OVERRIDE = 5
MADT_X2APIC = 9
MADT_ENTRIES = HEADER.size + 8
# Local APIC flags: enabled, or may be brought online later
LAPIC_ENABLED = 0x1
LAPIC_ONLINE_CAPABLE = 0x2


class Ioapic:
    def __init__(self, apic_id, address, gsi_base):
        self.apic_id = apic_id
        self.address = address
        self.gsi_base = gsi_base


class Madt:
    """The local APIC address, the IDs of the CPUs' local APICs (those
    enabled or that may come online) and the IOAPICs."""

    def __init__(self, table):
        self.lapic_address = table.field('I', HEADER.size, 0)
        self.apic_ids = []
        self.ioapics = []
        pos = MADT_ENTRIES
        data = table.data
        while pos + 2 <= len(data):
            kind, length = data[pos], data[pos + 1]
            if length < 2 or pos + length > len(data):
                raise AcpiError('ACPI table %s: entry of type %d at %d '
                                'runs past the end' % (table.name, kind, pos))
            if kind == MADT_LAPIC and length >= 8:
                apic_id, flags = struct.unpack_from('<BI', data, pos + 3)
                if flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE):
                    self.apic_ids.append(apic_id)
            elif kind == MADT_X2APIC and length >= 16:
                apic_id, flags = struct.unpack_from('<II', data, pos + 4)
                if flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE):
                    self.apic_ids.append(apic_id)
            elif kind == MADT_IOAPIC and length >= 12:
                apic_id, address, gsi = struct.unpack_from('<BxII', data,
                                                           pos + 2)
                self.ioapics.append(Ioapic(apic_id, address, gsi))
            elif kind == MADT_LAPIC_OVERRIDE and length >= 12:
                self.lapic_address = struct.unpack_from('<Q', data,
                                                        pos + 4)[0]
            pos += length


# ------------------------------------------------------------------ IVRS

IVRS_BLOCKS = HEADER.size + 12
# I/O virtualization hardware definitions (IVHD): the fixed part's size
# by type; device entries follow.
IVHD_HEADER_SIZES = {0x10: 24, 0x11: 40, 0x40: 40}
# Device entries: 4 bytes for types below 64, 8 below 128; an ACPI
# device entry (0xf0) has its unique id's length at byte 21.
IVHD_SPECIAL = 0x48
IVHD_ACPI_DEVICE = 0xf0
SPECIAL_IOAPIC = 1


class Ivhd:
    """One AMD IOMMU: its PCI function, the offset of its capability
    block, its registers' address and PCI segment, its feature word (the
    IOMMU info and attributes fields), and the source ids of the IOAPICs
    it remaps, by IOAPIC id."""

    def __init__(self, kind, bdf, cap_offset, base, segment, features):
        self.kind = kind
        self.bdf = bdf
        self.cap_offset = cap_offset
        self.base = base
        self.segment = segment
        self.features = features
        self.ioapic_ids = {}


def ivrs(table):
    """The IOMMUs of the IVRS.  A system may describe one IOMMU in more
    than one IVHD type (0x10 for old software, 0x11 or 0x40 for new);
    the first description of each base address is kept."""
    units = []
    data = table.data
    pos = IVRS_BLOCKS
    while pos + 4 <= len(data):
        kind, _, length = struct.unpack_from('<BBH', data, pos)
        if length < 4 or pos + length > len(data):
            raise AcpiError('ACPI table %s: block of type 0x%x at %d runs '
                            'past the end' % (table.name, kind, pos))
        header = IVHD_HEADER_SIZES.get(kind)
        if header is not None and length >= header:
            bdf, cap, base, segment, info, attr = struct.unpack_from(
                '<HHQHHI', data, pos + 4)
            unit = Ivhd(kind, bdf, cap, base, segment, info | attr << 16)
            _ivhd_entries(unit, data[pos + header:pos + length])
            if all(u.base != base for u in units):
                units.append(unit)
        pos += length
    return units


def _ivhd_entries(unit, entries):
    pos = 0
    while pos < len(entries):
        kind = entries[pos]
        if kind < 0x40:
            size = 4
        elif kind < 0x80:
            size = 8
        elif kind == IVHD_ACPI_DEVICE and pos + 22 <= len(entries):
            size = 22 + entries[pos + 21]
        else:
            # A type whose size this reader does not know: no entry
            # after it can be found.
            return
        if kind == IVHD_SPECIAL and pos + 8 <= len(entries):
            handle, source_id, variety = struct.unpack_from(
                '<BHB', entries, pos + 4)
            if variety == SPECIAL_IOAPIC:
                unit.ioapic_ids[handle] = source_id
        pos += size
