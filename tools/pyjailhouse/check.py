# SPDX-License-Identifier: GPL-2.0
"""Consistency checks of a system configuration and the cell
configurations meant to run with it.

Every problem names the file, the cell and the region or resource it
concerns.  The checks look for what would otherwise surface later as a
refused "cell create" or an unhandled trap on the board.
"""

import functools
import operator

from . import config as cfg
from .util import format_ranges, format_bdf

# The hypervisor maps its memory with 2 MiB blocks before its MMU is on.
HV_MEMORY_ALIGN = 2 << 20
GIC_SPI_BASE = 32
GICD_SIZE = {False: 0x1000, True: 0x10000}     # by "is GICv3"
GICR_SIZE_PER_CPU = 0x20000
# The hypervisor maps the GICv3 frames in 64 KiB pages.
GICV3_ALIGN = 0x10000
# GICC and GICV: the CPU interface's registers span two pages.
GICV2_CPU_IF_SIZE = 0x2000
MEM_FLAGS_KNOWN = functools.reduce(operator.or_, cfg.MEM_FLAGS.values(),
                                   cfg.MEM_IO_WIDTH_MASK)


def _end(start, size):
    return start + size


def _overlaps(a_start, a_size, b_start, b_size):
    return (a_size and b_size and a_start < b_start + b_size and
            b_start < a_start + a_size)


def _span(start, size):
    if not size:
        return '0x%x (empty)' % start
    return '0x%x-0x%x' % (start, start + size - 1)


def _con_type_name(con_type):
    return '%s (%d)' % (cfg.con_type_name(con_type), con_type)


def _ports(pio):
    if not pio.length:
        return 'ports 0x%x (empty)' % pio.base
    return 'ports 0x%x-0x%x' % (pio.base, pio.end - 1)


def _aligned(value):
    return value % cfg.PAGE_SIZE == 0


def _is_comm(mem):
    return bool(mem.flags & cfg.MEM_COMM_REGION)


def _ranges_cover(ranges, start, size):
    """Whether the union of (start, size) @ranges covers [start, +size)."""
    pos = start
    end = start + size
    for r_start, r_size in sorted(ranges):
        if r_start > pos:
            break
        pos = max(pos, r_start + r_size)
        if pos >= end:
            return True
    return pos >= end


class _Cell:
    """A cell under check: its config and how to name it."""

    def __init__(self, path, cell, is_root):
        self.path = path
        self.cell = cell
        self.is_root = is_root

    @property
    def label(self):
        return '%s: %s "%s"' % (self.path,
                                'root cell' if self.is_root else 'cell',
                                self.cell.name)

    def mem_label(self, index):
        mem = self.cell.memory_regions[index]
        if _is_comm(mem):
            where = 'comm region at 0x%x' % mem.virt_start
        else:
            where = _span(mem.phys_start, mem.size)
            if mem.virt_start != mem.phys_start:
                where += ' at guest 0x%x' % mem.virt_start
        return 'memory region #%d (%s)' % (index, where)


class Checker:
    def __init__(self):
        self.problems = []
        self.warnings = []
        self.system = None
        self.cells = []

    def problem(self, where, text):
        self.problems.append('%s: %s' % (where, text))

    def warning(self, where, text):
        self.warnings.append('%s: %s' % (where, text))

    def add(self, path, data, want_system):
        """Parse one file; a malformed file is reported and left out."""
        try:
            config, trailing = cfg.parse(data)
        except cfg.ConfigError as err:
            self.problem(path, 'malformed: %s' % err)
            return
        if trailing:
            self.problem(path, 'malformed: %d bytes behind the end of the '
                         'configuration' % trailing)
        if want_system and not isinstance(config, cfg.SystemConfig):
            self.problem(path, 'is a cell configuration, expected a system '
                         'configuration first')
            return
        if not want_system and isinstance(config, cfg.SystemConfig):
            self.problem(path, 'is a system configuration; only the first '
                         'file may be one')
            return
        if want_system:
            self.system = (path, config)
            self.cells.insert(0, _Cell(path, config.root_cell, True))
        else:
            self.cells.append(_Cell(path, config, False))

    def run(self):
        if self.system:
            self.check_system()
        for cell in self.cells:
            self.check_cell(cell)
        if self.system:
            self.check_cross()
        return self.problems

    # ------------------------------------------------ the system alone

    def check_system(self):
        path, system = self.system
        hv_mem = system.hypervisor_memory
        where = '%s: hypervisor memory %s' % (
            path, _span(hv_mem.phys_start, hv_mem.size))
        if not hv_mem.size:
            self.problem(where, 'is empty')
        elif (hv_mem.phys_start % HV_MEMORY_ALIGN or
              hv_mem.size % cfg.PAGE_SIZE):
            self.problem(where, 'must start 2 MiB aligned and have a size '
                         'in whole pages')

        if system.pci_is_virtual and system.pci_mmconfig_end_bus:
            self.problem(path, 'virtual PCI host with buses 0-%d '
                         '(pci_mmconfig_end_bus); it has bus 0 only' %
                         system.pci_mmconfig_end_bus)

        if system.architecture == cfg.ARCH_ARM64:
            self.check_debug_console(path, system)
            self.check_gic(path, system)
        elif system.architecture == cfg.ARCH_X86:
            self.check_x86_debug_console(path, system)
            self.check_x86_platform(path, system)
        else:
            self.problem(path, 'architecture %s; this hypervisor runs on '
                         'arm64 and x86 only' %
                         cfg.arch_name(system.architecture))
            return
        for cell in self.cells[1:]:
            if cell.cell.architecture != system.architecture:
                self.problem(cell.label, 'architecture %s, the system is %s'
                             % (cfg.arch_name(cell.cell.architecture),
                                cfg.arch_name(system.architecture)))

    def check_debug_console(self, path, system):
        """The hypervisor writes to the debug console itself: only the
        UARTs it has a driver for, memory-mapped, off its own memory."""
        con = system.debug_console
        where = '%s: debug console' % path
        if con.type not in cfg.CON_TYPES.values():
            self.problem(where, 'unknown type %d' % con.type)
            return
        if con.type not in cfg.ARM64_DEBUG_CONSOLE_TYPES:
            self.problem(where, 'type %s, this hypervisor drives %s only' %
                         (_con_type_name(con.type),
                          ', '.join(_con_type_name(t) for t in
                                    cfg.ARM64_DEBUG_CONSOLE_TYPES)))
            return
        if con.type == cfg.CON_TYPE_NONE:
            return
        if not con.flags & cfg.CON_ACCESS_MMIO:
            self.problem(where, '%s without the mmio flag; the hypervisor '
                         'reaches its UART through MMIO only' %
                         cfg.con_type_name(con.type))
        hv_mem = system.hypervisor_memory
        size = con.size or cfg.PAGE_SIZE
        if _overlaps(con.address, size, hv_mem.phys_start, hv_mem.size):
            self.problem('%s %s' % (where, _span(con.address, size)),
                         'on the hypervisor memory %s' %
                         _span(hv_mem.phys_start, hv_mem.size))

    def check_x86_debug_console(self, path, system):
        """x86: an 8250, on port I/O or memory-mapped, off the
        hypervisor's memory and ports."""
        con = system.debug_console
        where = '%s: debug console' % path
        if con.type not in cfg.X86_DEBUG_CONSOLE_TYPES:
            self.problem(where, 'type %s, this hypervisor drives %s only on '
                         'x86' % (_con_type_name(con.type),
                                  ', '.join(_con_type_name(t) for t in
                                            cfg.X86_DEBUG_CONSOLE_TYPES)))
            return
        if con.type == cfg.CON_TYPE_NONE:
            return
        if con.flags & cfg.CON_ACCESS_MMIO:
            hv_mem = system.hypervisor_memory
            size = con.size or cfg.PAGE_SIZE
            if _overlaps(con.address, size, hv_mem.phys_start, hv_mem.size):
                self.problem('%s %s' % (where, _span(con.address, size)),
                             'on the hypervisor memory %s' %
                             _span(hv_mem.phys_start, hv_mem.size))
            return
        ports = cfg.Pio(base=con.address & 0xffff,
                        length=cfg.UART_8250_PORTS)
        if con.address + cfg.UART_8250_PORTS > cfg.PIO_PORTS:
            self.problem(where, 'port 0x%x: its %d ports go beyond port '
                         '0xffff' % (con.address, cfg.UART_8250_PORTS))
        elif _overlaps(ports.base, ports.length, *cfg.PIO_PCI_CONFIG):
            self.problem(where, '%s: the PCI configuration ports' %
                         _ports(ports))

    def check_x86_platform(self, path, system):
        """x86: APIC mode, the PM timer the hypervisor measures the
        TSC and APIC timer with, the IOMMU units."""
        plat = system.platform
        where = '%s: x86' % path
        if plat.apic_mode not in cfg.APIC_MODES.values():
            self.problem(where, 'unknown APIC mode %d (%s)' %
                         (plat.apic_mode, ', '.join(
                             '%d %s' % (v, k)
                             for k, v in cfg.APIC_MODES.items())))
        if plat.pm_timer_address > cfg.PIO_PORTS - 4:
            self.problem(where, 'PM timer port 0x%x: its 4 bytes go beyond '
                         'port 0xffff' % plat.pm_timer_address)
        if not plat.pm_timer_address and not (plat.tsc_khz and
                                              plat.apic_khz):
            self.problem(where, 'no PM timer (pm_timer_address) to measure '
                         'the TSC and APIC timer frequencies with, and not '
                         'both given (tsc_khz, apic_khz)')
        for i, unit in enumerate(system.iommu_units):
            if unit.type and unit.type not in (cfg.IOMMU_AMD,
                                               cfg.IOMMU_INTEL):
                self.problem('%s: IOMMU unit #%d' % (path, i),
                             'type %d, no x86 IOMMU (amd 1, intel 2)' %
                             unit.type)

    def check_gic(self, path, system):
        plat = system.platform
        where = '%s: GIC' % path
        if plat.gic_version not in cfg.ARM64_GIC_VERSIONS:
            self.problem(where, 'version %d; this hypervisor drives %s only'
                         % (plat.gic_version,
                            ' and '.join('GICv%d' % v for v in
                                         cfg.ARM64_GIC_VERSIONS)))
            return
        if not 16 <= plat.maintenance_irq < GIC_SPI_BASE:
            self.problem(where, 'maintenance interrupt %d is not a PPI '
                         '(16-31)' % plat.maintenance_irq)
        frames = self.gic_frames(plat)
        hv_mem = system.hypervisor_memory
        con = system.debug_console
        for name, field, base, size, align in frames:
            if not base:
                self.problem(where, 'GICv%d without %s address (%s)' %
                             (plat.gic_version, name, field))
            elif base % align:
                self.problem(where, '%s 0x%x not %s aligned' %
                             (name, base, 'page' if align == cfg.PAGE_SIZE
                              else '%d KiB' % (align >> 10)))
            elif _overlaps(base, size, hv_mem.phys_start, hv_mem.size):
                self.problem(where, '%s %s and the hypervisor memory '
                             'overlap' % (name, _span(base, size)))
            elif con.type != cfg.CON_TYPE_NONE and \
                    _overlaps(base, size, con.address,
                              con.size or cfg.PAGE_SIZE):
                self.problem(where, '%s %s and the debug console 0x%x '
                             'overlap' % (name, _span(base, size),
                                          con.address))
        self.check_gic_unmapped(frames)

    def gic_frames(self, plat):
        """(name, field, base, size, alignment) of each register frame of
        the GIC that only the hypervisor may map."""
        if plat.gic_version == 3:
            ncpus = max(self.cells[0].cell.cpus, default=0) + 1
            return [('distributor', 'gicd_base', plat.gicd_base,
                     GICD_SIZE[True], GICV3_ALIGN),
                    ('redistributors', 'gicr_base', plat.gicr_base,
                     ncpus * GICR_SIZE_PER_CPU, GICV3_ALIGN)]
        return [('distributor', 'gicd_base', plat.gicd_base,
                 GICD_SIZE[False], cfg.PAGE_SIZE),
                ('CPU interface', 'gicc_base', plat.gicc_base,
                 GICV2_CPU_IF_SIZE, cfg.PAGE_SIZE),
                ('hypervisor interface', 'gich_base', plat.gich_base,
                 cfg.PAGE_SIZE, cfg.PAGE_SIZE),
                ('virtual CPU interface', 'gicv_base', plat.gicv_base,
                 GICV2_CPU_IF_SIZE, cfg.PAGE_SIZE)]

    def check_gic_unmapped(self, frames):
        """The GIC registers the hypervisor emulates must trap, and the
        CPU interfaces of a GICv2 are the hypervisor's to map."""
        root = self.cells[0]
        for name, _, base, size, _ in frames:
            if not base:
                continue
            for i, mem in enumerate(root.cell.memory_regions):
                if not _is_comm(mem) and _overlaps(mem.phys_start, mem.size,
                                                   base, size):
                    self.problem('%s: %s' % (root.label, root.mem_label(i)),
                                 'maps the GIC %s %s, which must stay with '
                                 'the hypervisor' % (name, _span(base, size)))

    # ------------------------------------------------ one cell alone

    def check_cell(self, c):
        cell = c.cell
        if not cell.name:
            self.problem(c.label, 'has no name')
        bad = sorted({ord(ch) for ch in cell.name
                      if ord(ch) < 0x20 or ord(ch) == 0x7f or ch == '/'})
        if bad:
            self.problem(c.label.encode('unicode_escape').decode(),
                         'name has characters %s (no control characters, '
                         'no \'/\')' % ', '.join('0x%02x' % b for b in bad))
        if cell.effective_cpu_set_size() % 8:
            self.problem(c.label, 'CPU set of %d bytes, not whole 64-bit '
                         'words' % cell.effective_cpu_set_size())
        if not cell.cpus:
            self.problem(c.label, 'has no CPUs')
        if c.is_root and cell.cpus and 0 not in cell.cpus:
            self.problem(c.label, 'does not have CPU 0')
        if cell.flags & cfg.CELL_AARCH32:
            self.problem(c.label, 'AArch32 cells are not supported by this '
                         'hypervisor (flag aarch32)')
        self.check_memory(c)
        for i, cache in enumerate(cell.cache_regions):
            if cache.type not in cfg.CACHE_TYPES.values():
                self.problem('%s: cache region #%d' % (c.label, i),
                             'unknown type %d' % cache.type)
        self.check_console(c)
        self.check_irqchips(c)
        self.check_pio(c)
        if self.is_x86(c):
            self.check_x86_console(c)
            self.check_x86_unmapped(c)
        self.check_pci(c)

    def is_x86(self, c):
        """Is @c checked as an x86 cell: that of an x86 system, or of
        an x86 cell config when the system could not be read."""
        if self.system:
            return self.system[1].architecture == cfg.ARCH_X86
        return c.cell.architecture == cfg.ARCH_X86

    def check_pio(self, c):
        """Port ranges: x86 only, within the 64 Ki ports, each port
        listed once."""
        regions = c.cell.pio_regions
        if regions and not self.is_x86(c):
            self.problem(c.label, '%d PIO regions, but only x86 has I/O '
                         'ports' % len(regions))
            return
        for i, pio in enumerate(regions):
            label = '%s: PIO region #%d (%s)' % (c.label, i, _ports(pio))
            if not pio.length:
                self.problem(label, 'is empty')
            elif pio.end > cfg.PIO_PORTS:
                self.problem(label, 'goes beyond port 0xffff')
            for j in range(i):
                if _overlaps(regions[j].base, regions[j].length,
                             pio.base, pio.length):
                    self.problem(label, 'overlaps PIO region #%d (%s)' %
                                 (j, _ports(regions[j])))

    def check_x86_console(self, c):
        """A console on ports that the cell does not have faults at its
        first character, unless the cell writes through the hypervisor
        (virtual console active)."""
        con = c.cell.console
        if con.type != cfg.CON_TYPE_8250 or con.flags & cfg.CON_ACCESS_MMIO \
                or c.cell.flags & cfg.CELL_VIRTUAL_CONSOLE_ACTIVE:
            return
        ranges = [(p.base, p.length) for p in c.cell.pio_regions]
        if not _ranges_cover(ranges, con.address, cfg.UART_8250_PORTS):
            self.problem('%s: console' % c.label,
                         '8250 at ports 0x%x-0x%x, which are not in the '
                         'cell\'s PIO regions (or set the flag '
                         'virtual_console_active)' %
                         (con.address,
                          con.address + cfg.UART_8250_PORTS - 1))

    def check_x86_unmapped(self, c):
        """The hypervisor emulates the IOAPICs and the local APIC: their
        pages must trap, in the root cell too."""
        pages = [('local APIC', cfg.X86_LAPIC_BASE, cfg.X86_LAPIC_SIZE)]
        if self.system:
            pages += [('IOAPIC', chip.address, cfg.IOAPIC_SIZE)
                      for chip in self.cells[0].cell.irqchips]
        for i, mem in enumerate(c.cell.memory_regions):
            if _is_comm(mem):
                continue
            for name, base, size in pages:
                if _overlaps(mem.virt_start, mem.size, base, size):
                    self.problem('%s: %s' % (c.label, c.mem_label(i)),
                                 'maps the %s %s, which the hypervisor '
                                 'emulates' % (name, _span(base, size)))

    def check_memory(self, c):
        cell = c.cell
        regions = cell.memory_regions
        hv_mem = self.system[1].hypervisor_memory if self.system else None
        comm = []
        for i, mem in enumerate(regions):
            label = '%s: %s' % (c.label, c.mem_label(i))
            if mem.is_zero():
                continue
            if not mem.size:
                self.problem(label, 'is empty')
                continue
            if _end(mem.virt_start, mem.size) > 1 << 64 or \
                    _end(mem.phys_start, mem.size) > 1 << 64:
                self.problem(label, 'wraps around the address space')
            if _is_comm(mem):
                comm.append(i)
                if not (_aligned(mem.virt_start) and _aligned(mem.size)):
                    self.problem(label, 'comm region not page aligned')
            elif not (mem.flags & cfg.MEM_IO):
                odd = [name for name, value in
                       (('phys_start', mem.phys_start),
                        ('virt_start', mem.virt_start),
                        ('size', mem.size)) if not _aligned(value)]
                if odd:
                    self.problem(label, '%s not page aligned and not an '
                                 'I/O region' % ', '.join(odd))
            elif mem.phys_start % cfg.PAGE_SIZE != \
                    mem.virt_start % cfg.PAGE_SIZE:
                self.problem(label, 'I/O region whose physical and guest '
                             'addresses have different page offsets')
            unknown = mem.flags & ~MEM_FLAGS_KNOWN
            if unknown:
                self.problem(label, 'unknown flags 0x%x' % unknown)
            if mem.io_width not in (0, 1, 2, 4, 8):
                self.problem(label, 'I/O access width %d, expected 1, 2, 4 '
                             'or 8' % mem.io_width)
            if (c.is_root and not _is_comm(mem) and
                    mem.virt_start != mem.phys_start):
                self.problem(label, 'the root cell\'s memory must be '
                             'mapped 1:1 (guest address = physical)')
            if (hv_mem and not _is_comm(mem) and
                    _overlaps(mem.phys_start, mem.size,
                              hv_mem.phys_start, hv_mem.size)):
                self.problem(label, 'overlaps hypervisor memory %s' %
                             _span(hv_mem.phys_start, hv_mem.size))
            if not mem.flags & (cfg.MEM_READ | cfg.MEM_WRITE |
                                cfg.MEM_EXECUTE | cfg.MEM_COMM_REGION):
                self.problem(label, 'neither readable, writable nor '
                             'executable')

        for i, a in enumerate(regions):
            for j in range(i + 1, len(regions)):
                b = regions[j]
                if _overlaps(a.virt_start, a.size, b.virt_start, b.size):
                    self.problem('%s: %s' % (c.label, c.mem_label(j)),
                                 'overlaps %s in guest-physical space' %
                                 c.mem_label(i))
                elif (not _is_comm(a) and not _is_comm(b) and
                      _overlaps(a.phys_start, a.size,
                                b.phys_start, b.size)):
                    self.problem('%s: %s' % (c.label, c.mem_label(j)),
                                 'overlaps %s in physical memory' %
                                 c.mem_label(i))

        if c.is_root:
            for i in comm:
                self.problem('%s: %s' % (c.label, c.mem_label(i)),
                             'the root cell has no comm region')
        elif not comm:
            self.problem(c.label, 'no comm region mapped (a memory region '
                         'with the comm_region flag)')
        elif len(comm) > 1:
            self.problem('%s: %s' % (c.label, c.mem_label(comm[1])),
                         'second comm region')

    def check_console(self, c):
        con = c.cell.console
        if con.type == cfg.CON_TYPE_NONE or not con.flags & \
                cfg.CON_ACCESS_MMIO:
            return
        if con.type not in cfg.CON_TYPES.values():
            self.problem('%s: console' % c.label,
                         'unknown type %d' % con.type)
        size = max(con.size, 1)
        mapped = [(m.virt_start, m.size) for m in c.cell.memory_regions
                  if m.flags & (cfg.MEM_READ | cfg.MEM_WRITE) ==
                  (cfg.MEM_READ | cfg.MEM_WRITE)]
        if not _ranges_cover(mapped, con.address, size):
            self.problem('%s: console %s' % (c.label,
                                             _span(con.address, size)),
                         'not mapped read/write by a memory region of the '
                         'cell')

    def check_irqchips(self, c):
        plat = self.system[1].platform if self.system else None
        arm = self.system and self.system[1].architecture != cfg.ARCH_X86
        for i, chip in enumerate(c.cell.irqchips):
            label = '%s: irqchip #%d at 0x%x' % (c.label, i, chip.address)
            if arm and chip.address != plat.gicd_base:
                self.problem(label, 'is not the GIC distributor 0x%x' %
                             plat.gicd_base)
            if arm:
                private = [irq for irq in chip.interrupts()
                           if irq < GIC_SPI_BASE]
                if private:
                    self.problem(label, 'claims SGIs/PPIs %s; only shared '
                                 'interrupts (32 and up) can be assigned' %
                                 format_ranges(private))
            if self.is_x86(c):
                self.check_ioapic(c, i, label)

    def check_ioapic(self, c, index, label):
        """x86: an irqchip is an IOAPIC, listed once, its pins below
        the hypervisor's limit."""
        chip = c.cell.irqchips[index]
        high = [pin for pin in chip.interrupts()
                if pin >= cfg.IOAPIC_MAX_PINS]
        if high:
            self.problem(label, 'IOAPIC pins %s; an IOAPIC has at most %d '
                         '(0-%d)' % (format_ranges(high),
                                     cfg.IOAPIC_MAX_PINS,
                                     cfg.IOAPIC_MAX_PINS - 1))
        for j in range(index):
            if c.cell.irqchips[j].address == chip.address:
                self.problem(label, 'the same IOAPIC as irqchip #%d' % j)

    def check_pci(self, c):
        cell = c.cell
        system = self.system[1] if self.system else None
        seen = {}
        for i, dev in enumerate(cell.pci_devices):
            label = '%s: PCI device #%d %04x:%s' % (
                c.label, i, dev.domain, format_bdf(dev.bdf))
            key = (dev.domain, dev.bdf)
            if key in seen:
                self.problem(label, 'listed twice (also #%d)' % seen[key])
            seen[key] = i
            if dev.type not in cfg.PCI_TYPES.values():
                self.problem(label, 'unknown type %d' % dev.type)
            if dev.caps_start + dev.num_caps > len(cell.pci_caps):
                self.problem(label, 'capabilities #%d..#%d beyond the %d '
                             'of the cell' % (dev.caps_start,
                                              dev.caps_start +
                                              dev.num_caps - 1,
                                              len(cell.pci_caps)))
            if system and not system.pci_mmconfig_base:
                self.problem(label, 'the system has no PCI configuration '
                             'space (pci_mmconfig_base)')
            if dev.type == cfg.PCI_TYPE_IVSHMEM:
                self.check_ivshmem_device(c, i, label)
        self.check_vpci_unmapped(c)

    def vpci_windows(self):
        """(name, start, size) of what the hypervisor keeps of the PCI
        host: its configuration space (ECAM) it traps, bus 0 on a virtual
        host, buses 0 to pci_mmconfig_end_bus on a physical one, and on a
        virtual host by convention the window where the BARs of its
        devices go; none without a PCI host."""
        system = self.system[1] if self.system else None
        if not (system and system.pci_mmconfig_base):
            return []
        ecam = system.pci_mmconfig_base
        if not system.pci_is_virtual:
            return [('configuration space', ecam, cfg.VPCI_ECAM_SIZE *
                     (system.pci_mmconfig_end_bus + 1))]
        return [('configuration space', ecam, cfg.VPCI_ECAM_SIZE),
                ('BAR window', ecam + cfg.VPCI_ECAM_SIZE,
                 cfg.VPCI_BAR_WINDOW_SIZE)]

    def check_vpci_unmapped(self, c):
        """A cell with PCI devices reaches the trapped configuration
        space and its virtual devices' registers only where it maps no
        memory; the root sees the host whether it has devices or not."""
        devices = bool(c.cell.pci_devices)
        for name, start, size in self.vpci_windows():
            if not devices and not (c.is_root and
                                    name == 'configuration space'):
                continue
            for i, mem in enumerate(c.cell.memory_regions):
                if _overlaps(mem.virt_start, mem.size, start, size):
                    self.problem('%s: %s' % (c.label, c.mem_label(i)),
                                 'maps the PCI %s %s that the hypervisor '
                                 'keeps for its devices' %
                                 (name, _span(start, size)))

    def shmem_regions(self, c, dev):
        """The memory regions of ivshmem device @dev: state table,
        read/write section, one output section per peer; None if the
        cell does not have them all."""
        start = dev.shmem_regions_start
        count = 2 + dev.shmem_peers
        regions = c.cell.memory_regions[start:start + count]
        return regions if len(regions) == count else None

    def check_ivshmem_device(self, c, index, label):
        dev = c.cell.pci_devices[index]
        system = self.system[1] if self.system else None
        if system and dev.domain != system.pci_domain:
            self.problem(label, 'domain %d, the hypervisor puts ivshmem '
                         'devices on the PCI host of domain %d (pci_domain)'
                         % (dev.domain, system.pci_domain))
        if dev.bdf >> 8:
            self.problem(label, 'bus %d; ivshmem devices are on bus 0 only'
                         % (dev.bdf >> 8))
        self.check_ivshmem_interrupts(c, dev, label)
        if not 1 <= dev.shmem_peers <= cfg.IVSHMEM_MAX_PEERS or \
                dev.shmem_dev_id >= dev.shmem_peers:
            self.problem(label, 'ivshmem peer id %d of %d peers (ids from 0 '
                         'to peers - 1, 1 to %d peers)' %
                         (dev.shmem_dev_id, dev.shmem_peers,
                          cfg.IVSHMEM_MAX_PEERS))
            return
        regions = self.shmem_regions(c, dev)
        if regions is None:
            self.problem(label, 'ivshmem needs memory regions #%d..#%d, the '
                         'cell has %d' % (dev.shmem_regions_start,
                                          dev.shmem_regions_start +
                                          dev.shmem_peers + 1,
                                          len(c.cell.memory_regions)))
            return
        if regions[0].is_zero():
            self.problem('%s: %s' % (label,
                                     c.mem_label(dev.shmem_regions_start)),
                         'ivshmem state table is missing')
            return
        for k, mem in enumerate(regions):
            if not mem.is_zero():
                self.check_ivshmem_region(c, dev, label, k)
        self.check_ivshmem_layout(c, dev, label, regions)

    def check_ivshmem_interrupts(self, c, dev, label):
        """INTx, of the pin the slot gives, an SPI from the cell's
        vpci_irq_base that the cell must own; or MSI-X, its table in BAR
        1, with MSI SPIs of the cell (Documentation/ivshmem.md).  No
        MSI."""
        msix = dev.num_msix_vectors != 0
        if dev.num_msi_vectors:
            self.problem(label, 'ivshmem with %d MSI vectors; the device '
                         'has INTx or MSI-X' % dev.num_msi_vectors)
        if dev.num_msix_vectors > cfg.IVSHMEM_MAX_MSIX_VECTORS:
            self.problem(label, 'ivshmem with %d MSI-X vectors, at most %d'
                         % (dev.num_msix_vectors,
                            cfg.IVSHMEM_MAX_MSIX_VECTORS))
        names = ('msix', 'msix_64k') if msix else ('intx', 'intx_64k')
        if dev.bar_mask not in [cfg.IVSHMEM_BAR_MASKS[n] for n in names]:
            self.problem(label, 'ivshmem bar_mask %s is none of %s (%s)' %
                         (' '.join('0x%x' % m for m in dev.bar_mask),
                          ', '.join('JAILHOUSE_IVSHMEM_BAR_MASK_' +
                                    name.upper() for name in names),
                          'with %d MSI-X vectors' % dev.num_msix_vectors
                          if msix else 'no MSI-X vectors'))
        if not self.system:
            return
        if self.system[1].architecture == cfg.ARCH_X86:
            # the hypervisor raises no virtual INTx on x86
            if not msix:
                self.problem(label, 'ivshmem without MSI-X vectors: x86 '
                             'has no INTx of virtual devices')
            return
        if msix:
            self.check_ivshmem_msix(c, label)
            return
        intid = self.vpci_intid(c, dev)
        if not self.owns(c, intid):
            self.problem(label, 'INTx is SPI %d (interrupt %d: '
                         'vpci_irq_base %d, pin %d), not one of the '
                         'cell\'s interrupts' %
                         (intid - GIC_SPI_BASE, intid,
                          c.cell.vpci_irq_base,
                          cfg.vpci_intx_pin(dev.bdf >> 3)))

    def owns(self, c, intid):
        """Does cell @c own GIC interrupt @intid?"""
        gicd = self.system[1].platform.gicd_base
        return any(chip.address == gicd and intid in chip.interrupts()
                   for chip in c.cell.irqchips)

    def check_ivshmem_msix(self, c, label):
        """MSI-X vectors need MSI SPIs of the cell, and on GICv2 the page
        of its virtual GICv2m frame."""
        system = self.system[1]
        first = GIC_SPI_BASE + c.cell.vpci_irq_base + cfg.VPCI_MSI_FIRST
        if not self.owns(c, first):
            self.problem(label, 'MSI-X needs MSI SPIs of the cell from '
                         'vpci_irq_base + %d: it does not own SPI %d '
                         '(interrupt %d)' % (cfg.VPCI_MSI_FIRST,
                                             first - GIC_SPI_BASE, first))
        if system.platform.gic_version != 2:
            return
        frame = system.pci_mmconfig_base - cfg.VPCI_MSI_FRAME_SIZE
        for i, mem in enumerate(c.cell.memory_regions):
            if _overlaps(mem.virt_start, mem.size, frame,
                         cfg.VPCI_MSI_FRAME_SIZE):
                self.problem('%s: %s' % (c.label, c.mem_label(i)),
                             'maps the virtual GICv2m frame %s of the '
                             'cell\'s MSI-X devices (the page below '
                             'pci_mmconfig_base)' %
                             _span(frame, cfg.VPCI_MSI_FRAME_SIZE))

    @staticmethod
    def vpci_intid(c, dev):
        """The GIC interrupt of a virtual device's INTx in cell @c."""
        return GIC_SPI_BASE + c.cell.vpci_irq_base + \
            cfg.vpci_intx_pin(dev.bdf >> 3) - 1

    def check_ivshmem_region(self, c, dev, label, k):
        idx = dev.shmem_regions_start + k
        mem = c.cell.memory_regions[idx]
        where = '%s: %s' % (label, c.mem_label(idx))
        readable = mem.flags & cfg.MEM_READ
        writable = mem.flags & cfg.MEM_WRITE
        if k == 0 and (writable or not readable):
            self.problem(where, 'ivshmem state table must be read-only')
        if k == 1 and not (readable and writable):
            self.problem(where, 'ivshmem read/write section must be '
                         'readable and writable')
        if k >= 2 and not readable:
            self.problem(where, 'ivshmem output section of peer %d must '
                         'be readable' % (k - 2))
        if k >= 2 and bool(writable) != (k - 2 == dev.shmem_dev_id):
            self.problem(where, 'ivshmem output section of peer %d '
                         'must be writable by that peer only (this '
                         'cell is peer %d)' % (k - 2, dev.shmem_dev_id))
        if not c.is_root and not mem.flags & cfg.MEM_ROOTSHARED:
            self.problem(where, 'ivshmem region of a non-root cell '
                         'must be rootshared')
        if mem.flags & cfg.MEM_IO or _is_comm(mem):
            self.problem(where, 'ivshmem region must be plain memory')

    def check_ivshmem_layout(self, c, dev, label, regions):
        """The device tells one base address and three sizes: the
        regions follow each other in guest-physical memory from the
        state table on, and every output section has the same size."""
        out_sizes = sorted({mem.size for mem in regions[2:]})
        if len(out_sizes) > 1:
            self.problem(label, 'ivshmem output sections of %s bytes; the '
                         'device has one size for all peers' %
                         ' and '.join('0x%x' % size for size in out_sizes))
            return
        pos = regions[0].virt_start
        for k, mem in enumerate(regions):
            if not mem.size:
                continue
            if mem.virt_start != pos:
                idx = dev.shmem_regions_start + k
                self.problem('%s: %s' % (label, c.mem_label(idx)),
                             'ivshmem region at guest 0x%x, expected 0x%x: '
                             'state table, read/write section and output '
                             'sections follow each other' %
                             (mem.virt_start, pos))
                return
            pos += mem.size

    # ------------------------------------------------ between cells

    def check_cross(self):
        root = self.cells[0]
        others = self.cells[1:]
        self.check_names()
        self.check_cpus(root, others)
        self.check_interrupts(root, others)
        if self.system[1].architecture == cfg.ARCH_X86:
            self.check_ports(root, others)
            self.check_ioapic_ids(root, others)
        self.check_shared_memory(root, others)
        self.check_ivshmem_groups()
        self.check_ivshmem_bdfs()
        self.check_ivshmem_memory(others)
        self.check_root_intx(root, others)
        self.check_devices(root, others)
        self.check_dma(others)

    def check_names(self):
        seen = {}
        for c in self.cells:
            if c.cell.name in seen:
                self.problem(c.label, 'same name as the cell in %s' %
                             seen[c.cell.name])
            seen.setdefault(c.cell.name, c.path)

    def check_cpus(self, root, others):
        owner = {}
        for c in others:
            foreign = c.cell.cpus - root.cell.cpus
            if foreign:
                self.problem(c.label, 'CPU %s not the root cell\'s' %
                             format_ranges(foreign))
            if 0 in c.cell.cpus:
                self.problem(c.label, 'takes CPU 0, which must stay with '
                             'the root cell')
            for cpu in sorted(c.cell.cpus):
                if cpu in owner:
                    self.problem(c.label, 'CPU %d also belongs to %s' %
                                 (cpu, owner[cpu].label))
                else:
                    owner[cpu] = c
        if root.cell.cpus and root.cell.cpus <= set(owner):
            self.problem(root.label, 'all its CPUs (%s) are given to other '
                         'cells' % format_ranges(root.cell.cpus))

    def check_interrupts(self, root, others):
        def claims(c):
            result = {}
            for i, chip in enumerate(c.cell.irqchips):
                for irq in chip.interrupts():
                    result.setdefault((chip.address, irq), i)
            return result

        root_irqs = claims(root)
        owner = {}
        for c in others:
            mine = claims(c)
            foreign = {}
            for (chip, irq), i in mine.items():
                if (chip, irq) not in root_irqs:
                    foreign.setdefault((i, chip), []).append(irq)
                elif (chip, irq) in owner:
                    self.problem('%s: irqchip #%d' % (c.label, i),
                                 'interrupt %d also claimed by %s' %
                                 (irq, owner[(chip, irq)].label))
                else:
                    owner[(chip, irq)] = c
            for (i, chip), irqs in sorted(foreign.items()):
                self.problem('%s: irqchip #%d at 0x%x' % (c.label, i, chip),
                             'interrupts %s not owned by the root cell' %
                             format_ranges(irqs))

    def check_ports(self, root, others):
        """A non-root cell's ports are the root's, taken from it while
        the cell lives: one owner each, no sharing (unlike memory)."""
        root_ports = [(p.base, p.length) for p in root.cell.pio_regions]
        owner = []
        for c in others:
            for i, pio in enumerate(c.cell.pio_regions):
                label = '%s: PIO region #%d (%s)' % (c.label, i,
                                                     _ports(pio))
                if not pio.length:
                    continue
                if _overlaps(pio.base, pio.length, *cfg.PIO_PCI_CONFIG):
                    self.problem(label, 'the PCI configuration ports '
                                 '0xcf8-0xcff stay with the hypervisor')
                elif not _ranges_cover(root_ports, pio.base, pio.length):
                    self.problem(label, 'not (entirely) ports of the root '
                                 'cell')
                for d, j, other in owner:
                    if d is not c and _overlaps(pio.base, pio.length,
                                                other.base, other.length):
                        self.problem(label, 'overlaps %s PIO region #%d '
                                     '(%s): a port belongs to one cell' %
                                     (d.label, j, _ports(other)))
                owner.append((c, i, pio))

    def check_ioapic_ids(self, root, others):
        """x86: an IOAPIC has one source id, the root's."""
        ids = {chip.address: chip.id for chip in root.cell.irqchips}
        for c in others:
            for i, chip in enumerate(c.cell.irqchips):
                if chip.address in ids and chip.id != ids[chip.address]:
                    self.problem('%s: irqchip #%d at 0x%x' %
                                 (c.label, i, chip.address),
                                 'IOAPIC id 0x%x, the root cell\'s is 0x%x' %
                                 (chip.id, ids[chip.address]))

    def check_shared_memory(self, root, others):
        root_mem = [(m.phys_start, m.size) for m in root.cell.memory_regions
                    if not _is_comm(m)]
        for n, c in enumerate(others):
            for i, mem in enumerate(c.cell.memory_regions):
                if _is_comm(mem) or not mem.size:
                    continue
                if not _ranges_cover(root_mem, mem.phys_start, mem.size):
                    self.problem('%s: %s' % (c.label, c.mem_label(i)),
                                 'not (entirely) memory of the root cell')
                for d in others[n + 1:]:
                    for j, other in enumerate(d.cell.memory_regions):
                        if _is_comm(other) or not _overlaps(
                                mem.phys_start, mem.size,
                                other.phys_start, other.size):
                            continue
                        unshared = [x.label for x, m in
                                    ((c, mem), (d, other))
                                    if not m.flags & cfg.MEM_ROOTSHARED]
                        if unshared:
                            self.problem(
                                '%s: %s' % (c.label, c.mem_label(i)),
                                'overlaps %s %s: memory shared between '
                                'cells must be rootshared on both sides, '
                                'it is not in %s' % (
                                    d.label, d.mem_label(j),
                                    ' and '.join(unshared)))

    def check_ivshmem_groups(self):
        groups = {}
        for c in self.cells:
            for i, dev in enumerate(c.cell.pci_devices):
                if dev.type == cfg.PCI_TYPE_IVSHMEM:
                    groups.setdefault((dev.domain, dev.bdf), []).append(
                        (c, i, dev))
        for (domain, bdf), peers in sorted(groups.items()):
            name = 'ivshmem %04x:%s' % (domain, format_bdf(bdf))

            def where(c, i):
                return '%s: PCI device #%d' % (c.label, i)

            first_c, first_i, first = peers[0]
            ids = {}
            for c, i, dev in peers:
                if dev.shmem_peers != first.shmem_peers:
                    self.problem(where(c, i), '%s: %d peers, %s says %d' %
                                 (name, dev.shmem_peers, first_c.label,
                                  first.shmem_peers))
                if dev.shmem_protocol != first.shmem_protocol:
                    self.problem(where(c, i), '%s: protocol 0x%x, %s says '
                                 '0x%x' % (name, dev.shmem_protocol,
                                           first_c.label,
                                           first.shmem_protocol))
                if dev.shmem_dev_id in ids:
                    self.problem(where(c, i), '%s: peer id %d also used by '
                                 '%s' % (name, dev.shmem_dev_id,
                                         ids[dev.shmem_dev_id].label))
                ids.setdefault(dev.shmem_dev_id, c)
            if len(peers) > first.shmem_peers:
                self.problem(name, '%d cells use it, it has %d peers' %
                             (len(peers), first.shmem_peers))

            base = self.shmem_regions(first_c, first)
            if base is None:
                continue
            for c, i, dev in peers[1:]:
                mine = self.shmem_regions(c, dev)
                if mine is None or len(mine) != len(base):
                    continue
                for k, (a, b) in enumerate(zip(base, mine)):
                    if (a.phys_start, a.size) != (b.phys_start, b.size):
                        self.problem(
                            '%s: %s' % (where(c, i), c.mem_label(
                                dev.shmem_regions_start + k)),
                            '%s: region %d of the device differs from %s '
                            '%s' % (name, k, first_c.label,
                                    first_c.mem_label(
                                        first.shmem_regions_start + k)))

    def ivshmem_devices(self, c):
        """(index, device, regions) of each ivshmem device of cell @c
        that has all its regions, a state table at least."""
        for i, dev in enumerate(c.cell.pci_devices):
            if dev.type != cfg.PCI_TYPE_IVSHMEM:
                continue
            regions = self.shmem_regions(c, dev)
            if regions and not regions[0].is_zero():
                yield i, dev, regions

    def check_ivshmem_bdfs(self):
        """A link is its shared memory: all its peers use one BDF."""
        links = {}      # physical state table -> [(cell, index, device)]
        for c in self.cells:
            for i, dev, regions in self.ivshmem_devices(c):
                links.setdefault(regions[0].phys_start, []).append(
                    (c, i, dev))
        for table, peers in sorted(links.items()):
            first_c, _, first = peers[0]
            for c, i, dev in peers[1:]:
                if (dev.domain, dev.bdf) != (first.domain, first.bdf):
                    self.problem(
                        '%s: PCI device #%d %04x:%s' % (
                            c.label, i, dev.domain, format_bdf(dev.bdf)),
                        'ivshmem with the state table at 0x%x, which is '
                        '%04x:%s in %s: all peers of a link use the same '
                        'BDF' % (table, first.domain, format_bdf(first.bdf),
                                 first_c.label))

    def check_ivshmem_memory(self, others):
        """No memory of a non-root cell but its own ivshmem regions
        overlaps the shared memory of a link (the root's RAM may hold
        that of links between non-root cells)."""
        shared = [(c, dev, mem) for c in self.cells
                  for _, dev, regions in self.ivshmem_devices(c)
                  for mem in regions if mem.size]
        for d in others:
            own = {id(mem) for _, _, regions in self.ivshmem_devices(d)
                   for mem in regions}
            for j, mem in enumerate(d.cell.memory_regions):
                if id(mem) in own or _is_comm(mem):
                    continue
                for c, dev, link in shared:
                    if c is not d and _overlaps(mem.phys_start, mem.size,
                                                link.phys_start, link.size):
                        self.problem('%s: %s' % (d.label, d.mem_label(j)),
                                     'overlaps the shared memory %s of '
                                     'ivshmem %04x:%s of %s' % (
                                         _span(link.phys_start, link.size),
                                         dev.domain, format_bdf(dev.bdf),
                                         c.label))
                        break

    def check_root_intx(self, root, others):
        """The INTx of the root's virtual devices stays the root's."""
        system = self.system[1]
        if system.architecture == cfg.ARCH_X86:
            return
        for dev in root.cell.pci_devices:
            if dev.type != cfg.PCI_TYPE_IVSHMEM:
                continue
            intid = self.vpci_intid(root, dev)
            for c in others:
                for i, chip in enumerate(c.cell.irqchips):
                    if chip.address == system.platform.gicd_base and \
                            intid in chip.interrupts():
                        self.problem('%s: irqchip #%d' % (c.label, i),
                                     'interrupt %d is the INTx of the root '
                                     'cell\'s ivshmem %04x:%s' %
                                     (intid, dev.domain,
                                      format_bdf(dev.bdf)))

    def check_devices(self, root, others):
        """A device of the machine moves from the root to one cell; an
        ivshmem device takes an address that no such device has."""
        root_devs = {(d.domain, d.bdf): d.type
                     for d in root.cell.pci_devices}
        owner = {}
        for c in others:
            for i, dev in enumerate(c.cell.pci_devices):
                key = (dev.domain, dev.bdf)
                where = '%s: PCI device #%d %04x:%s' % (
                    c.label, i, dev.domain, format_bdf(dev.bdf))
                if dev.type == cfg.PCI_TYPE_IVSHMEM:
                    if root_devs.get(key, dev.type) != dev.type:
                        self.problem(where, 'ivshmem at the address of a '
                                     'device of the root cell')
                    continue
                if root_devs.get(key) != dev.type:
                    self.problem(where, 'not a device of the root cell')
                if key in owner:
                    self.problem(where, 'also assigned to %s' %
                                 owner[key].label)
                owner.setdefault(key, c)
        sids = {}
        for c in others:
            for sid in c.cell.stream_ids:
                if sid in sids:
                    self.problem(c.label, 'stream ID 0x%x also belongs to '
                                 '%s' % (sid, sids[sid].label))
                sids.setdefault(sid, c)

    def check_dma(self, others):
        """Without an IOMMU a device of the machine reaches all memory
        by physical address: the cell it goes to must see its DMA memory
        where it is.  Whether a device masters the bus cannot be known
        offline: every device but a bridge counts."""
        system = self.system[1]
        x86 = system.architecture == cfg.ARCH_X86
        # This hypervisor drives no IOMMU on x86 (yet): a unit in the
        # config confines nothing.
        if not x86 and any(unit.type for unit in system.iommu_units):
            return
        for c in others:
            devices = [dev for dev in c.cell.pci_devices
                       if dev.type == cfg.PCI_TYPE_DEVICE]
            if not devices:
                continue
            self.warning(c.label, 'PCI device%s %s without an IOMMU (%s): '
                         '%s can read and write '
                         'all memory, that of the hypervisor and the other '
                         'cells included' % (
                             's' if len(devices) > 1 else '',
                             ', '.join('%04x:%s' % (d.domain,
                                                    format_bdf(d.bdf))
                                       for d in devices),
                             'this hypervisor drives none on x86' if x86
                             else 'the system config has none',
                             'they' if len(devices) > 1 else 'it'))
            for i, mem in enumerate(c.cell.memory_regions):
                if mem.flags & cfg.MEM_DMA and \
                        mem.virt_start != mem.phys_start:
                    self.problem('%s: %s' % (c.label, c.mem_label(i)),
                                 'DMA memory of a cell with PCI devices '
                                 'must be mapped 1:1 without an IOMMU: '
                                 'the devices use physical addresses')


def check(system_file, cell_files=(), warnings=None):
    """Check a system config and cell configs given as (path, bytes).

    Return the list of problems, empty when all is well; what deserves a
    warning but is no problem is appended to the list @warnings if given.
    """
    checker = Checker()
    checker.add(system_file[0], system_file[1], True)
    for path, data in cell_files:
        checker.add(path, data, False)
    problems = checker.run()
    if warnings is not None:
        warnings.extend(checker.warnings)
    return problems
