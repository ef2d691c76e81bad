# SPDX-License-Identifier: GPL-2.0
"""Generate a system configuration (root cell) for an arm64 machine from
its device tree, /proc/iomem and /proc/cpuinfo, and on the target from
its PCI functions in sysfs.

The root cell gets every CPU, all RAM but the hypervisor's, the MMIO
windows of the enabled devices except the GIC frames the hypervisor
emulates, the shared interrupts, and the PCI functions of the trapped
buses.  Memory for the hypervisor and for later cells is taken from the
top of the RAM that Linux does not use.
"""

import re

from . import config as cfg
from . import fdt
from . import pci
from .sysinfo import parse_iomem, system_ram, count_cpus
from .util import format_bdf

MIB = 1 << 20
HV_ALIGN = 2 * MIB
DEFAULT_HV_SIZE = 16 * MIB
DEFAULT_INMATE_SIZE = 64 * MIB
# Every GIC on the supported boards has at least these shared interrupts.
MIN_LAST_SPI = 159

RAM_FLAGS = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_EXECUTE | cfg.MEM_DMA
MMIO_FLAGS = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_IO

GICV3_COMPATIBLE = ('arm,gic-v3',)
GICV2_COMPATIBLE = ('arm,gic-400', 'arm,cortex-a15-gic', 'arm,cortex-a9-gic',
                    'arm,cortex-a7-gic', 'arm,arm11mp-gic', 'arm,gic-v2')
# Arm's other interrupt controllers: named when the board has no other.
OTHER_GIC = r'arm,(pl390|.*gic)$'

# UARTs by their device-tree names, so that a console the hypervisor does
# not drive is named in the warning.
UARTS = (
    (('arm,pl011', 'arm,sbsa-uart'), cfg.CON_TYPE_PL011),
    (('xlnx,xuartps', 'cdns,uart-r1p12', 'cdns,uart-r1p8'),
     cfg.CON_TYPE_XUARTPS),
    (('marvell,armada-3700-uart',), cfg.CON_TYPE_MVEBU),
    (('renesas,hscif', 'renesas,rcar-gen3-hscif'), cfg.CON_TYPE_HSCIF),
    (('renesas,scifa',), cfg.CON_TYPE_SCIFA),
    (('renesas,scif', 'renesas,rcar-gen3-scif'), cfg.CON_TYPE_SCIF),
    (('ns16550a', 'ns16550', 'ns16450', 'ns8250', 'snps,dw-apb-uart'),
     cfg.CON_TYPE_8250),
)
# Both UARTs the hypervisor drives have 32-bit registers, 4 bytes apart.
UART_FLAGS = cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4


class CreateError(Exception):
    """The machine cannot be described (no GIC, no RAM, no room)."""


def _page_down(value, align=cfg.PAGE_SIZE):
    return value // align * align


def _page_up(value, align=cfg.PAGE_SIZE):
    return (value + align - 1) // align * align


def subtract(ranges, holes):
    """(start, size) @ranges minus @holes."""
    out = []
    for start, size in ranges:
        pieces = [(start, start + size)]
        for h_start, h_size in holes:
            h_end = h_start + h_size
            cut = []
            for a, b in pieces:
                if h_end <= a or h_start >= b:
                    cut.append((a, b))
                    continue
                if a < h_start:
                    cut.append((a, h_start))
                if h_end < b:
                    cut.append((h_end, b))
            pieces = cut
        out.extend((a, b - a) for a, b in pieces if b > a)
    return out


def merge(ranges):
    """Sort (start, size, names) windows and join overlapping or touching
    ones."""
    out = []
    for start, size, names in sorted(ranges):
        if out and start <= out[-1][0] + out[-1][1]:
            last = out[-1]
            end = max(last[0] + last[1], start + size)
            out[-1] = (last[0], end - last[0],
                       last[2] + [n for n in names if n not in last[2]])
        else:
            out.append((start, size, list(names)))
    return out


def _uart_type(node):
    """The console type of a UART node, None if it is no UART known to
    the configuration format."""
    compatible = node.strings('compatible')
    for names, con_type in UARTS:
        if any(name in compatible for name in names):
            return con_type
    for name in compatible:
        if re.match(r'fsl,imx.*-lpuart$', name):
            return cfg.CON_TYPE_IMX_LPUART
        if re.match(r'fsl,imx.*-uart$', name):
            return cfg.CON_TYPE_IMX
    return None


def _node_name(node):
    return node.name or '/'


class BaseCreator:
    """What the creators of every architecture share: the machine, the
    messages for the user and the root cell's PCI devices."""

    def __init__(self, machine, name):
        self.machine = machine
        self.name = name
        self.warnings = []
        self.notes = []
        self.region_notes = []
        self.pci_notes = []

    def warn(self, text):
        self.warnings.append(text)

    def online_cpus(self, count, source, where=None):
        """The root cell's CPUs: @count as @source says, or those of
        /proc/cpuinfo if it has more (with a warning); @where names the
        source in the error if it has none."""
        if self.machine.cpuinfo is not None:
            online = count_cpus(self.machine.cpuinfo)
            if online != count:
                self.warn('%d CPUs in %s, %d in /proc/cpuinfo; the root '
                          'cell gets %d' %
                          (count, source, online, max(count, online)))
            count = max(count, online)
        if not count:
            raise CreateError('no CPUs in %s' % (where or source))
        return count

    def add_pci_functions(self, root, functions, left_out, behind_bridge):
        """Lists @functions in @root with their capabilities, but those
        that @left_out(function) is true of (it says why, if it must) and
        bridges: the hypervisor gives them to no cell, and @behind_bridge
        tells what becomes of the functions behind one."""
        unprivileged = []
        for function in functions:
            if left_out(function):
                continue
            if function.is_bridge():
                secondary, subordinate = function.secondary_buses()
                self.warn('PCI %s is a bridge, which the hypervisor gives '
                          'no cell, the root neither: left out, root Linux '
                          'does not see it once the hypervisor runs; the '
                          'functions behind it (buses %d-%d) %s' %
                          (function.name(), secondary, subordinate,
                           behind_bridge))
                continue
            if not function.fully_read():
                unprivileged.append(function.name())
            caps = pci.capabilities(function)
            root.pci_devices.append(cfg.PciDevice(
                type=cfg.PCI_TYPE_DEVICE, domain=function.domain,
                bdf=function.bdf, bar_mask=pci.bar_mask(function),
                caps_start=len(root.pci_caps) if caps else 0,
                num_caps=len(caps)))
            root.pci_caps.extend(caps)
            self.pci_notes.append('%s: %04x:%04x, class %06x' % (
                format_bdf(function.bdf), function.vendor, function.device,
                function.class_code))
        if unprivileged:
            self.warn('PCI %s: only the header of the configuration space '
                      'was readable (read as root): capabilities unknown, '
                      'none listed' % ', '.join(unprivileged))


class Creator(BaseCreator):
    def __init__(self, machine, hv_size=DEFAULT_HV_SIZE,
                 inmate_size=DEFAULT_INMATE_SIZE, name=None):
        super().__init__(machine, name)
        self.tree = machine.tree
        self.hv_size = _page_up(hv_size)
        self.inmate_size = _page_up(inmate_size)
        self.by_phandle = fdt.phandles(self.tree)

    # ------------------------------------------------ walking the tree

    def enabled_nodes(self):
        """Enabled nodes, not below a disabled one, nor below a PCI bus,
        nor in the special top-level nodes."""
        skip_top = ('chosen', 'aliases', 'cpus', 'reserved-memory',
                    '__symbols__', '__fixups__', '__local_fixups__')

        def walk(node):
            for child in node.children:
                if not child.enabled():
                    continue
                if node.parent is None and \
                        child.name.split('@')[0] in skip_top:
                    continue
                yield child
                if child.string('device_type') != 'pci':
                    yield from walk(child)
        return walk(self.tree)

    def pci_host(self):
        """The first generic ECAM PCI host bridge, or None."""
        for node in self.enabled_nodes():
            if node.compatible('pci-host-ecam-generic') and fdt.reg(node):
                return node
        return None

    def find_gic(self):
        other = None
        for node in self.enabled_nodes():
            if node.props.get('interrupt-controller') is None:
                continue
            if node.compatible(*GICV3_COMPATIBLE):
                return node, 3
            if node.compatible(*GICV2_COMPATIBLE):
                return node, 2
            if other is None and any(re.match(OTHER_GIC, name) for name in
                                     node.strings('compatible')):
                other = node
        if other is not None:
            raise CreateError('%s (%s): an interrupt controller the '
                              'hypervisor does not drive; it needs a GICv2 '
                              'or GICv3' % (other.path,
                                            other.strings('compatible')[0]))
        raise CreateError('no GICv2 or GICv3 interrupt controller in the '
                          'device tree')

    def gic_interrupts(self, gic):
        """Interrupt IDs that nodes wired to @gic use."""
        ids = set()
        root_parent = fdt.interrupt_parent(self.tree, self.by_phandle)

        def add(cells):
            for i in range(0, len(cells) - 2, 3):
                kind, number = cells[i], cells[i + 1]
                ids.add(number + (32 if kind == 0 else 16))

        for node in self.enabled_nodes():
            cells = node.u32s('interrupts')
            if cells:
                parent = fdt.interrupt_parent(node, self.by_phandle) or \
                    root_parent
                if parent is gic:
                    add(cells)
            extended = node.u32s('interrupts-extended') or []
            pos = 0
            while pos < len(extended):
                parent = self.by_phandle.get(extended[pos])
                if parent is None:
                    break
                width = parent.u32('#interrupt-cells', 0)
                if parent is gic and width == 3:
                    add(extended[pos + 1:pos + 4])
                pos += 1 + width
        return ids

    # ------------------------------------------------ memory

    def ram_banks(self):
        banks = []
        for node in self.tree.children:
            if node.string('device_type') == 'memory' and node.enabled():
                banks.extend(r for r in fdt.reg(node) if r[1])
        if not banks:
            raise CreateError('no memory node in the device tree')
        return sorted(banks)

    def reserved_ranges(self):
        ranges = list(self.machine.reserved)
        resmem = self.tree.child('reserved-memory')
        if resmem is not None:
            for node in resmem.children:
                ranges.extend(r for r in fdt.reg(node) if r[1])
        return ranges

    def place_kept_memory(self, banks):
        """Choose (hypervisor start, cell memory start) at the top of the
        RAM that Linux does not use."""
        reserved = self.reserved_ranges()
        linux = None
        if self.machine.iomem is not None:
            linux = system_ram(parse_iomem(self.machine.iomem))
            if linux is None:
                self.warn('/proc/iomem shows no addresses (read as root); '
                          'assuming Linux may use all RAM')
            elif not linux:
                self.warn('/proc/iomem lists no "System RAM"')
                linux = None
        kept = self.hv_size + self.inmate_size
        free = subtract(banks, reserved + (linux or []))
        spot = self._fit(free)
        if spot is None:
            spot = self._fit(subtract(banks, reserved))
            if spot is None:
                raise CreateError('no RAM bank has %d MiB for the hypervisor '
                                  'and cells' % (kept // MIB))
            if linux is not None:
                self.warn('Linux uses 0x%x-0x%x, which this config keeps '
                          'for the hypervisor and cells: boot Linux with '
                          '"mem=%s" (or reserve that memory) before enabling'
                          % (spot[1], spot[0] + self.hv_size - 1,
                             self._mem_option(banks, spot[1])))
        if linux is None:
            self.notes.append('Linux must not use 0x%x-0x%x: boot it with '
                              '"mem=%s" or reserve that memory' %
                              (spot[1], spot[0] + self.hv_size - 1,
                               self._mem_option(banks, spot[1])))
        return spot

    def _fit(self, chunks):
        for start, size in sorted(chunks, reverse=True):
            hv_start = _page_down(start + size - self.hv_size, HV_ALIGN)
            cells_start = _page_down(hv_start - self.inmate_size, HV_ALIGN) \
                if self.inmate_size else hv_start
            if cells_start >= start:
                return hv_start, cells_start
        return None

    @staticmethod
    def _mem_option(banks, limit):
        below = sum(min(start + size, limit) - start
                    for start, size in banks if start < limit)
        return '%dM' % (below // MIB)

    # ------------------------------------------------ devices

    def mmio_windows(self, gic, gic_frames):
        windows = []
        for node in self.enabled_nodes():
            if node is gic or node.string('device_type') == 'memory':
                continue
            ranges = fdt.reg(node)
            if node.string('device_type') == 'pci':
                ranges += fdt.pci_windows(node)
            for start, size in ranges:
                if size:
                    start_page = _page_down(start)
                    windows.append((start_page,
                                    _page_up(start + size) - start_page,
                                    [_node_name(node)]))
        merged = merge(windows)
        out = []
        for start, size, names in merged:
            for piece in subtract([(start, size)], gic_frames):
                out.append((piece[0], piece[1], names))
        return out

    def pci_devices(self, system, host):
        """List the functions of the trapped buses in the root cell:
        the hypervisor hides from the root every function its config
        does not list."""
        root = system.root_cell
        functions = self.machine.pci
        buses = '0' if not system.pci_mmconfig_end_bus else \
            '0-%d' % system.pci_mmconfig_end_bus
        if functions is None:
            self.warn('no PCI functions known (they are read from '
                      '/sys/bus/pci/devices on the target): the config '
                      'lists none, so root Linux loses every PCI device '
                      'of bus %s of %s once the hypervisor runs; add them '
                      'by hand (pci_devices, pci_caps)' %
                      (buses, host.path))
            return
        # Linux names the host's platform device by its address and its
        # node's name; its functions are below it in sysfs.
        platform = '%x.%s' % (system.pci_mmconfig_base,
                              host.name.split('@')[0])
        mine = [f for f in functions if f.below(platform)]
        if mine:
            system.pci_domain = mine[0].domain
        else:
            mine = [f for f in functions if f.domain == system.pci_domain]
        self.add_pci_functions(
            root, mine, lambda f: f.bus > system.pci_mmconfig_end_bus,
            'are not handled, they stay the root\'s through the ECAM it '
            'maps and cannot be given to cells')

    def console(self):
        con = cfg.Console()
        chosen = self.tree.child('chosen')
        path = chosen.string('stdout-path') if chosen is not None else None
        if path is None and chosen is not None:
            path = chosen.string('linux,stdout-path')
        if path is None:
            aliases = self.tree.child('aliases')
            path = aliases.string('serial0') if aliases is not None else None
        if path is None:
            self.warn('no console UART (no stdout-path in /chosen): the '
                      'debug console is off')
            return con
        path = path.split(':')[0]
        if not path.startswith('/'):
            aliases = self.tree.child('aliases')
            alias = aliases.string(path) if aliases is not None else None
            if alias is None:
                self.warn('stdout-path alias "%s" not found: the debug '
                          'console is off' % path)
                return con
            path = alias
        node = self.tree.find(path)
        con_type = _uart_type(node) if node is not None else None
        regs = fdt.reg(node) if node is not None else []
        if con_type is None or not regs:
            self.warn('console %s is not a UART the hypervisor drives: the '
                      'debug console is off' % path)
            return con
        if con_type not in cfg.ARM64_DEBUG_CONSOLE_TYPES:
            self.warn('console %s is a UART of type %s, which the '
                      'hypervisor does not drive: the debug console is off'
                      % (path, cfg.con_type_name(con_type)))
            return con
        con.type = con_type
        con.flags = UART_FLAGS
        con.address = regs[0][0]
        con.size = _page_up(regs[0][1])
        return con

    # ------------------------------------------------ the config

    def cpu_count(self):
        cpus = self.tree.child('cpus')
        dt_cpus = [n for n in (cpus.children if cpus else [])
                   if n.string('device_type') == 'cpu' and n.enabled()]
        return self.online_cpus(len(dt_cpus), 'the device tree')

    def default_name(self):
        model = self.tree.string('model') or 'root'
        name = re.sub(r'[^a-z0-9.]+', '-', model.lower()).strip('-')
        return name[:cfg.NAME_MAXLEN] or 'root'

    def create(self):
        system = cfg.SystemConfig(cfg.ARCH_ARM64)
        root = system.root_cell
        root.name = (self.name or self.default_name())[:cfg.NAME_MAXLEN]

        gic, version = self.find_gic()
        regs = fdt.reg(gic)
        plat = system.platform
        plat.gic_version = version
        need = 2 if version == 3 else 4
        if len(regs) < need:
            raise CreateError('%s: GICv%d needs %d register frames, the '
                              'device tree gives %d' %
                              (gic.path, version, need, len(regs)))
        plat.gicd_base = regs[0][0]
        if version == 3:
            plat.gicr_base = regs[1][0]
            if gic.u32('#redistributor-regions', 1) > 1:
                self.warn('%s: only the first of several redistributor '
                          'regions is described' % gic.path)
            gic_frames = regs[:2]
        else:
            plat.gicc_base, plat.gich_base, plat.gicv_base = \
                (r[0] for r in regs[1:4])
            gic_frames = regs[:4]
        maintenance = gic.u32s('interrupts')
        if maintenance and len(maintenance) >= 3 and maintenance[0] == 1:
            plat.maintenance_irq = maintenance[1] + 16
        else:
            plat.maintenance_irq = 25
            self.warn('%s: no maintenance interrupt; using PPI 9 (ID 25)' %
                      gic.path)

        system.flags = cfg.SYS_VIRTUAL_DEBUG_CONSOLE
        system.debug_console = self.console()

        banks = self.ram_banks()
        hv_start, cells_start = self.place_kept_memory(banks)
        system.hypervisor_memory.phys_start = hv_start
        system.hypervisor_memory.size = self.hv_size

        root.cpus = set(range(self.cpu_count()))

        regions = []
        ram = subtract(banks, [(hv_start, self.hv_size)])
        for start, size in subtract(ram, [(cells_start, self.inmate_size)]):
            regions.append((start, size, RAM_FLAGS, 'RAM'))
        if self.inmate_size:
            regions.append((cells_start, self.inmate_size, RAM_FLAGS,
                            'RAM kept from Linux for cells'))
        holes = banks + [(hv_start, self.hv_size)] + list(gic_frames)
        host = self.pci_host()
        if host is not None:
            # The hypervisor traps bus 0's configuration space: each cell
            # sees only its own functions there (physical PCI host).
            system.pci_mmconfig_base = fdt.reg(host)[0][0]
            system.pci_mmconfig_end_bus = 0
            system.pci_is_virtual = 0
            system.pci_domain = host.u32('linux,pci-domain', 0)
            holes.append((system.pci_mmconfig_base, cfg.VPCI_ECAM_SIZE *
                          (system.pci_mmconfig_end_bus + 1)))
            self.pci_devices(system, host)
        for start, size, names in self.mmio_windows(gic, holes):
            shown = ', '.join(names[:4])
            if len(names) > 4:
                shown += ' and %d more' % (len(names) - 4)
            regions.append((start, size, MMIO_FLAGS, shown))
        regions.sort()
        root.memory_regions = [
            cfg.Memory(phys_start=start, virt_start=start, size=size,
                       flags=flags) for start, size, flags, _ in regions]
        self.region_notes = [note for _, _, _, note in regions]

        spis = [i for i in self.gic_interrupts(gic) if i >= 32]
        last = max([MIN_LAST_SPI] + spis)
        base = 32
        while base <= last:
            chip = cfg.Irqchip(address=plat.gicd_base, pin_base=base)
            chip.set_interrupts(range(base, min(base + 128, last + 1)))
            root.irqchips.append(chip)
            base += 128
        return system


def synthesize_iomem(tree, linux_mem=None):
    """A /proc/iomem text for a machine known only by its device tree:
    the RAM of its memory nodes as "System RAM", limited to the lowest
    @linux_mem bytes as Linux's "mem=" option does."""
    banks = []
    for node in tree.children:
        if node.string('device_type') == 'memory' and node.enabled():
            banks.extend(r for r in fdt.reg(node) if r[1])
    lines = []
    left = linux_mem
    for start, size in sorted(banks):
        if left is not None:
            size = min(size, left)
            left -= size
        if size:
            lines.append('%08x-%08x : System RAM' % (start, start + size - 1))
    return '\n'.join(lines) + '\n'


def synthesize_cpuinfo(tree):
    """A /proc/cpuinfo text with a "processor" line per device-tree CPU."""
    cpus = tree.child('cpus')
    nodes = [n for n in (cpus.children if cpus else [])
             if n.string('device_type') == 'cpu' and n.enabled()]
    return ''.join('processor\t: %d\n\n' % i for i in range(len(nodes)))
