# SPDX-License-Identifier: GPL-2.0
"""Generate a system configuration (root cell) for an x86 machine from
what its running Linux shows: /proc/iomem, /proc/cmdline (the memmap=
area kept for the hypervisor and the cells, the console), the ACPI tables
(MCFG: the PCI configuration space; FACP: the PM timer; APIC: CPUs and
IOAPICs; IVRS: AMD IOMMUs), the serial ports in sysfs, the kernel log
(the IOAPICs' pins) and the PCI functions in sysfs.

The root cell gets every CPU, all RAM but the hypervisor's (the cells'
included), the firmware's memory and ROMs, the PCI windows and the other
devices, all I/O ports but the PCI configuration ports, all pins of every
IOAPIC and every PCI function.  What the hypervisor emulates stays out of
its regions, so that the root's accesses trap: MMCONFIG, the IOAPICs and
the local APIC.
"""

import re

from . import acpi
from . import config as cfg
from . import pci
from .create import BaseCreator, CreateError, subtract, MIB, HV_ALIGN, \
    RAM_FLAGS, MMIO_FLAGS, DEFAULT_INMATE_SIZE, _page_down, _page_up
from .sysinfo import parse_iomem, TTY_DIR

# What the x86 hypervisor needs (the memory of the brief's q35 machine).
DEFAULT_HV_SIZE = 6 * MIB
GIB4 = 1 << 32
ROM_FLAGS = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_EXECUTE
# The PC's first MiB: RAM below the legacy VGA window, the window, then
# option ROMs and the BIOS.
VGA_START = 0xa0000
ROM_START = 0xc0000
LOW_END = 0x100000
# An IOAPIC whose pins no source tells has the 24 of the common ones.
DEFAULT_IOAPIC_PINS = 24
# The legacy serial ports, for a ttySn whose sysfs attributes are missing
LEGACY_UARTS = {0: 0x3f8, 1: 0x2f8, 2: 0x3e8, 3: 0x2e8}
# The 8250 driver's io_type (include/uapi/linux/serial.h: SERIAL_IO_*)
UPIO_PORT = 0
UPIO_MEM = 2
UPIO_MEM32 = 3
# AMD IOMMU registers (without the performance counters' 512 KiB)
AMD_IOMMU_MMIO_SIZE = 0x4000
PCI_CAP_MSI = 0x05

_IOAPIC_LOG = re.compile(r'IOAPIC\[\d+\]: apic_id \d+, version \d+, '
                         r'address (0x[0-9a-f]+), GSI (\d+)-(\d+)')
_SIZE = re.compile(r'^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([KMGTPE]?)$')


def memparse(text):
    """A size or address as Linux's memparse() reads it (C's number
    bases, then an optional K, M, G, T, P or E); None for another text."""
    match = _SIZE.match(text.strip())
    if not match:
        return None
    number, suffix = match.groups()
    if number[:2].lower() == '0x':
        value = int(number, 16)
    elif number.startswith('0'):
        value = int(number, 8)
    else:
        value = int(number)
    return value << (10 * ' KMGTPE'.index(suffix) if suffix else 0)


def cmdline_options(cmdline, name):
    """The values of every @name= option of a kernel command line, in
    order."""
    return [word[len(name) + 1:] for word in (cmdline or '').split()
            if word.startswith(name + '=')]


def memmap_reserved(cmdline):
    """(start, size) of each memmap=SIZE$START of the command line (the
    option takes several, comma-separated)."""
    out = []
    for value in cmdline_options(cmdline, 'memmap'):
        for part in value.split(','):
            if '$' not in part:
                continue
            size, start = (memparse(p) for p in part.split('$', 1))
            if size and start is not None:
                out.append((start, size))
    return out


def _overlaps(a_start, a_size, b_start, b_size):
    return a_start < b_start + b_size and b_start < a_start + a_size


class X86Creator(BaseCreator):
    def __init__(self, machine, hv_size=None, inmate_size=None, name=None):
        super().__init__(machine, name)
        self.hv_size = _page_up(hv_size or DEFAULT_HV_SIZE)
        self.inmate_size = inmate_size
        self.texts = machine.texts
        self.iommu_functions = set()
        self.tables = {}
        for name_, data in machine.acpi.items():
            try:
                self.tables[name_] = acpi.Table(name_, data)
            except acpi.AcpiError as err:
                self.warn(str(err))

    def table(self, name):
        return self.tables.get(name)

    # ------------------------------------------------ memory

    def kept_area(self, iomem):
        """(start, size) of the memmap= area that holds the hypervisor
        and the cells: the largest one that Linux does not use."""
        cmdline = self.texts.get('proc/cmdline')
        ram = [(e.start, e.size) for e in iomem
               if e.depth == 0 and e.name == 'System RAM']
        areas = [a for a in memmap_reserved(cmdline)
                 if not any(_overlaps(a[0], a[1], *r) for r in ram)]
        if not areas:
            below = [r for r in ram if r[0] + r[1] <= GIB4]
            largest = max(below or ram, key=lambda r: r[1])
            size = self.hv_size + (self.inmate_size or DEFAULT_INMATE_SIZE)
            start = (largest[0] + largest[1] - size) // HV_ALIGN * HV_ALIGN
            raise CreateError(
                'no memory kept from Linux for the hypervisor and the '
                'cells: boot Linux with "memmap=0x%x$0x%x" (in a boot '
                'loader\'s configuration the "$" may need quoting), %s' %
                (size, start, 'then collect again' if cmdline is not None
                 else 'no /proc/cmdline was read'))
        return max(areas, key=lambda a: a[1])

    def place_kept_memory(self, area):
        """Hypervisor memory at the start of @area (2 MiB aligned), the
        cells' RAM behind it: the rest, or --mem-inmates of it."""
        hv_start = -(-area[0] // HV_ALIGN) * HV_ALIGN
        end = area[0] + area[1]
        cells_start = hv_start + self.hv_size
        cells_size = end - cells_start
        if self.inmate_size is not None:
            if self.inmate_size > cells_size:
                raise CreateError(
                    'memmap= area 0x%x-0x%x: no room for %d MiB of '
                    'hypervisor and %d MiB of cell memory' %
                    (area[0], end - 1, self.hv_size // MIB,
                     self.inmate_size // MIB))
            cells_size = _page_up(self.inmate_size)
        if cells_size < 0:
            raise CreateError('memmap= area 0x%x-0x%x: no room for %d MiB '
                              'of hypervisor memory' %
                              (area[0], end - 1, self.hv_size // MIB))
        return hv_start, cells_start, cells_size

    def regions(self, iomem, area, holes, firmware_tables):
        """(start, size, flags, note) of the root's memory regions from
        the top-level entries of /proc/iomem, but the memmap= @area and
        @holes."""
        top = [e for e in iomem if e.depth == 0]
        windows = [e for e in top if e.name.startswith('PCI Bus ') and
                   e.start >= LOW_END]
        # RAM, and the firmware's memory between it, end where the
        # first PCI window above the first MiB begins.
        ram_top = min([e.start for e in windows] + [GIB4])
        ram, io = [], []
        left_out = []
        for e in top:
            start, end = _page_down(e.start), _page_up(e.end + 1)
            if e.end < LOW_END:
                continue        # the first MiB: below
            if area[0] <= e.start and e.end < area[0] + area[1]:
                continue        # the hypervisor's and the cells'

            if e.name == 'System RAM':
                ram.append((start, end, 'RAM'))
            elif e.name in ('ACPI Tables', 'ACPI Non-volatile Storage'):
                ram.append((start, end, e.name))
            elif e.name.lower() == 'reserved':
                if e.start < ram_top:
                    what = 'ACPI tables' if any(
                        e.start <= t <= e.end for t in firmware_tables) \
                        else 'reserved by the firmware'
                    ram.append((start, end, what))
                elif e.end < GIB4:
                    io.append((start, end, 'reserved by the firmware '
                               '(chipset, flash)'))
                else:
                    left_out.append(e)
            elif e.name.startswith(('PCI MMCONFIG', 'IOAPIC', 'Local APIC')):
                continue        # emulated: in @holes
            elif e.name.startswith('PCI Bus '):
                io.append((start, end, 'PCI window'))
            else:
                io.append((start, end, e.name))
        for e in left_out:
            self.notes.append('0x%x-0x%x, reserved by the firmware above '
                              '4 GiB, is no region of the root cell: no '
                              'device Linux drives is there' %
                              (e.start, e.end))

        out = self.low_regions(top)
        # RAM and the firmware's memory next to it are one region; I/O
        # windows only where they overlap (after rounding to pages).
        for pieces, flags, touch in ((ram, RAM_FLAGS, 0),
                                     (io, MMIO_FLAGS, 1)):
            merged = []
            for start, end, note in sorted(pieces):
                if merged and start + touch <= merged[-1][1]:
                    last = merged[-1]
                    notes = last[2] if note in last[2] else \
                        last[2] + [note]
                    merged[-1] = (last[0], max(last[1], end), notes)
                else:
                    merged.append((start, end, [note]))
            for start, end, notes in merged:
                for p_start, p_size in subtract([(start, end - start)],
                                                holes):
                    out.append((p_start, p_size, flags, ', '.join(notes)))
        return out

    def low_regions(self, top):
        """The first MiB as the PC has it: RAM (with the BIOS data area
        and the EBDA the firmware reserves) below the legacy VGA window,
        the window (of the PCI bus), and option ROMs and the BIOS, which
        Linux searches for the ACPI RSDP and SMBIOS, as one region."""
        low = [e for e in top if e.start < LOW_END]
        out = []
        if any(e.name == 'System RAM' and e.start < VGA_START for e in low):
            out.append((0, VGA_START, RAM_FLAGS,
                        'RAM, BIOS data area and EBDA'))
        if any(e.name.startswith('PCI Bus ') and e.start <= VGA_START and
               e.end >= ROM_START - 1 for e in low):
            out.append((VGA_START, ROM_START - VGA_START, MMIO_FLAGS,
                        'legacy VGA window'))
        if any(e.start >= ROM_START for e in low):
            out.append((ROM_START, LOW_END - ROM_START, ROM_FLAGS,
                        'option ROMs and BIOS'))
        return out

    # ------------------------------------------------ devices

    def console(self):
        """The 8250 of the last console=ttySn, by the 8250 driver's
        attributes in sysfs (or the legacy port of ttyS0-3)."""
        con = cfg.Console()
        cmdline = self.texts.get('proc/cmdline')
        ttys = [c.split(',')[0] for c in cmdline_options(cmdline, 'console')]
        serial = [t for t in ttys if re.fullmatch(r'ttyS\d+', t)]
        if not serial:
            self.warn('no serial console on the command line (console=%s): '
                      'the debug console is off' %
                      (ttys[-1] if ttys else ''))
            return con
        tty = serial[-1]
        if ttys[-1] != tty:
            self.notes.append('the debug console is %s, Linux\'s '
                              '/dev/console is %s' % (tty, ttys[-1]))

        def attr(name):
            text = self.texts.get('%s/%s/%s' % (TTY_DIR, tty, name))
            return int(text.strip(), 0) if text is not None else None
        io_type, port = attr('io_type'), attr('port')
        if io_type is None:
            port = LEGACY_UARTS.get(int(tty[4:]))
            if port is None:
                self.warn('%s: no sysfs attributes of its port: the '
                          'debug console is off' % tty)
                return con
            io_type = UPIO_PORT
            self.notes.append('%s taken to be at its legacy port 0x%x '
                              '(no sysfs attributes)' % (tty, port))
        if io_type == UPIO_PORT:
            con.address, con.size = port, cfg.UART_8250_PORTS
            con.flags = 0       # port I/O, registers 1 port apart
        elif io_type in (UPIO_MEM, UPIO_MEM32):
            shift = attr('iomem_reg_shift') or 0
            con.address = attr('iomem_base')
            con.size = _page_up(cfg.UART_8250_PORTS << shift)
            con.flags = cfg.CON_ACCESS_MMIO | \
                (cfg.CON_REGDIST_4 if io_type == UPIO_MEM32 else 0)
            if (io_type == UPIO_MEM32) != (shift == 2):
                self.warn('%s: register shift %d of a %s-bit UART: the '
                          'debug console is off' %
                          (tty, shift, 32 if io_type == UPIO_MEM32 else 8))
                return cfg.Console()
        else:
            self.warn('%s: an 8250 with I/O type %d, which the hypervisor '
                      'does not drive: the debug console is off' %
                      (tty, io_type))
            return con
        con.type = cfg.CON_TYPE_8250
        return con

    def ioapic_pins(self, ioapics):
        """The number of pins of each IOAPIC (by address): Linux's boot
        log says it; else the next IOAPIC's first GSI does."""
        logged = {int(m.group(1), 16): int(m.group(3)) - int(m.group(2)) + 1
                  for m in _IOAPIC_LOG.finditer(self.texts.get('dmesg', ''))}
        bases = sorted(i.gsi_base for i in ioapics)
        out = {}
        for ioapic in ioapics:
            pins = logged.get(ioapic.address)
            if pins is None:
                above = [b for b in bases if b > ioapic.gsi_base]
                if above:
                    pins = above[0] - ioapic.gsi_base
                else:
                    pins = DEFAULT_IOAPIC_PINS
                    self.warn('IOAPIC at 0x%x: its pins are unknown (Linux '
                              'says them at boot, the kernel log that was '
                              'read does not): %d assumed' %
                              (ioapic.address, pins))
            if pins > cfg.IOAPIC_MAX_PINS:
                self.warn('IOAPIC at 0x%x: %d pins, the hypervisor handles '
                          'the first %d' % (ioapic.address, pins,
                                            cfg.IOAPIC_MAX_PINS))
                pins = cfg.IOAPIC_MAX_PINS
            out[ioapic.address] = pins
        return out

    def iommus(self, system, functions):
        """AMD IOMMUs of the IVRS as IOMMU units; their registers and PCI
        functions are the hypervisor's.  Returns (base, size) of each
        unit's registers and the source ids of the IOAPICs by IOAPIC
        id."""
        table = self.table('IVRS')
        if table is None:
            return [], {}
        units = acpi.ivrs(table)
        ioapic_ids = {}
        holes = []
        for n, unit in enumerate(units[:cfg.MAX_IOMMU_UNITS]):
            function = next((f for f in functions or []
                             if (f.domain, f.bdf) ==
                             (unit.segment, unit.bdf)), None)
            msi = next((c.start for c in (pci.capabilities(function)
                                          if function else [])
                        if c.id == PCI_CAP_MSI), 0)
            system.iommu_units[n] = cfg.Iommu(
                type=cfg.IOMMU_AMD, base=unit.base,
                size=AMD_IOMMU_MMIO_SIZE,
                data=cfg.Iommu.AMD.pack(unit.bdf, unit.cap_offset, msi,
                                        unit.features))
            holes.append((unit.base, AMD_IOMMU_MMIO_SIZE))
            self.iommu_functions.add((unit.segment, unit.bdf))
            ioapic_ids.update(unit.ioapic_ids)
        if len(units) > cfg.MAX_IOMMU_UNITS:
            self.warn('IVRS: %d IOMMUs, the config holds %d' %
                      (len(units), cfg.MAX_IOMMU_UNITS))
        if units:
            self.warn('the IVRS describes %d AMD IOMMU%s: listed as IOMMU '
                      'unit%s, but this hypervisor drives no IOMMU on x86 '
                      'yet; boot Linux with amd_iommu=off, its registers '
                      'are not the root cell\'s' %
                      (len(units), 's' if len(units) > 1 else '',
                       's' if len(units) > 1 else ''))
        return holes, ioapic_ids

    def pci_devices(self, system, mcfg):
        root = system.root_cell
        functions = self.machine.pci
        if functions is None:
            self.warn('no PCI functions known (they are read from '
                      '/sys/bus/pci/devices on the target): the config '
                      'lists none, so root Linux loses every PCI device '
                      'once the hypervisor runs; add them by hand '
                      '(pci_devices, pci_caps)')
            return

        def left_out(function):
            if function.domain != mcfg.segment or \
                    not mcfg.start_bus <= function.bus <= mcfg.end_bus:
                self.warn('PCI %s is outside MMCONFIG\'s segment %d, buses '
                          '%d-%d: left out' % (function.name(), mcfg.segment,
                                               mcfg.start_bus, mcfg.end_bus))
                return True
            if (function.domain, function.bdf) in self.iommu_functions:
                self.notes.append('PCI %s is an IOMMU unit: no device of '
                                  'the root cell' % function.name())
                return True
            return False

        self.add_pci_functions(root, functions, left_out,
                               'stay the root\'s and cannot be given to '
                               'cells')

    # ------------------------------------------------ the config

    def default_name(self):
        for text in (self.texts.get('sys/class/dmi/id/product_name'),
                     self.table('FACP') and self.table('FACP').oem_table_id):
            name = re.sub(r'[^a-z0-9.]+', '-',
                          (text or '').lower()).strip('-')
            if name:
                return name[:cfg.NAME_MAXLEN]
        return 'x86'

    def cpu_count(self, madt):
        return self.online_cpus(len(madt.apic_ids), 'the MADT',
                                'the MADT (ACPI table APIC)')

    def create(self):
        system = cfg.SystemConfig(cfg.ARCH_X86)
        root = system.root_cell
        root.name = (self.name or self.default_name())[:cfg.NAME_MAXLEN]
        cpuinfo = self.machine.cpuinfo or ''
        if re.search(r'^CPU implementer', cpuinfo, re.MULTILINE):
            raise CreateError('an Arm machine with ACPI tables and no '
                              'device tree: config create reads an arm64 '
                              'machine from its device tree')
        if self.machine.iomem is None:
            raise CreateError('no /proc/iomem: the machine\'s memory map is '
                              'unknown')
        iomem = parse_iomem(self.machine.iomem)
        if not [e for e in iomem if e.name == 'System RAM' and e.end]:
            raise CreateError('/proc/iomem shows no addresses or no "System '
                              'RAM" (read it as root)')
        if self.table('APIC') is None:
            raise CreateError('no MADT (ACPI table APIC): CPUs and IOAPICs '
                              'unknown')
        madt = acpi.Madt(self.table('APIC'))

        system.flags = cfg.SYS_VIRTUAL_DEBUG_CONSOLE
        system.debug_console = self.console()

        area = self.kept_area(iomem)
        hv_start, cells_start, cells_size = self.place_kept_memory(area)
        system.hypervisor_memory.phys_start = hv_start
        system.hypervisor_memory.size = self.hv_size
        root.cpus = set(range(self.cpu_count(madt)))
        self.notes.append('CPUs %s: APIC ids %s' % (
            '0-%d' % (len(root.cpus) - 1) if len(root.cpus) > 1 else '0',
            ', '.join('%d' % i for i in madt.apic_ids)))

        plat = system.platform
        # The mode Linux left the APIC in, found at enable: xAPIC on
        # CPUs without x2APIC, on the others what Linux chose (x2APIC
        # with interrupt remapping or when the firmware enabled it).
        plat.apic_mode = cfg.APIC_MODES['auto']
        flags = re.search(r'^flags\s*:(.*)$', cpuinfo, re.MULTILINE)
        if flags:
            self.notes.append('APIC mode auto: the CPUs %s' % (
                'have x2APIC, Linux\'s choice is found at enable'
                if 'x2apic' in flags.group(1).split() else
                'have no x2APIC, xAPIC then'))
        fadt = acpi.Fadt(self.table('FACP')) if self.table('FACP') else None
        if fadt is None or not fadt.pm_timer:
            self.warn('no ACPI PM timer (%s): give tsc_khz and apic_khz '
                      'by hand' % ('no FADT' if fadt is None else
                                   'the FADT has none'))
        elif fadt.pm_timer_space != acpi.GAS_SYSTEM_IO or \
                fadt.pm_timer >= cfg.PIO_PORTS:
            self.warn('the ACPI PM timer at 0x%x is no I/O port: give '
                      'tsc_khz and apic_khz by hand' % fadt.pm_timer)
        else:
            plat.pm_timer_address = fadt.pm_timer

        holes = [(area[0], area[1])]
        mcfg = None
        if self.table('MCFG') is not None:
            entries = acpi.mcfg(self.table('MCFG'))
            if entries:
                mcfg = entries[0]
            if len(entries) > 1:
                self.warn('MCFG: %d PCI segments; the hypervisor handles '
                          'the first (%d), the others\' functions stay '
                          'hidden' % (len(entries), mcfg.segment))
        if mcfg is None:
            self.warn('no MMCONFIG (ACPI table MCFG): PCI configuration '
                      'space through ports 0xcf8-0xcff only')
        else:
            system.pci_mmconfig_base = mcfg.base
            system.pci_mmconfig_end_bus = mcfg.end_bus
            system.pci_domain = mcfg.segment
            start = mcfg.base + mcfg.start_bus * cfg.VPCI_ECAM_SIZE
            holes.append((start, (mcfg.end_bus - mcfg.start_bus + 1) *
                          cfg.VPCI_ECAM_SIZE))
        holes.append((madt.lapic_address, cfg.X86_LAPIC_SIZE))
        holes += [(i.address, cfg.IOAPIC_SIZE) for i in madt.ioapics]
        iommu_holes, ioapic_ids = self.iommus(system, self.machine.pci)
        holes += iommu_holes

        regions = self.regions(iomem, area, holes,
                               fadt.tables if fadt is not None else [])
        regions.append((cells_start, cells_size, RAM_FLAGS,
                        'RAM kept from Linux (memmap=) for cells'))
        regions.sort()
        root.memory_regions = [
            cfg.Memory(phys_start=start, virt_start=start, size=size,
                       flags=flags) for start, size, flags, _ in regions]
        self.region_notes = [note for _, _, _, note in regions]
        left = area[0] + area[1] - cells_start - cells_size
        if left:
            self.notes.append('0x%x-0x%x of the memmap= area stays unused '
                              '(--mem-inmates)' %
                              (cells_start + cells_size,
                               area[0] + area[1] - 1))

        pins = self.ioapic_pins(madt.ioapics)
        for ioapic in madt.ioapics:
            chip = cfg.Irqchip(address=ioapic.address, pin_base=0,
                               id=ioapic_ids.get(ioapic.apic_id, 0))
            chip.set_interrupts(range(pins[ioapic.address]))
            root.irqchips.append(chip)
            self.notes.append('IOAPIC %d at 0x%x: GSIs %d-%d, source id '
                              '0x%x%s' % (
                                  ioapic.apic_id, ioapic.address,
                                  ioapic.gsi_base,
                                  ioapic.gsi_base + pins[ioapic.address] - 1,
                                  chip.id, '' if ioapic.apic_id in ioapic_ids
                                  else ' (no IOMMU table names one)'))

        # Every port but the PCI configuration ports, which the
        # hypervisor intercepts in any case.
        pci_start, pci_len = cfg.PIO_PCI_CONFIG
        root.pio_regions = [
            cfg.Pio(base=0, length=pci_start),
            cfg.Pio(base=pci_start + pci_len,
                    length=cfg.PIO_PORTS - pci_start - pci_len)]

        if mcfg is not None:
            self.pci_devices(system, mcfg)
        return system
