# SPDX-License-Identifier: GPL-2.0
"""jailhouse config check on x86: each x86 check (PIO regions, IOAPIC
irqchips, the platform part, the debug console) with a configuration that
breaks it and a similar one that does not; the shipped configs/x86; a
config written the way users of Jailhouse write x86 configs."""

import re
import subprocess

import pytest

from config_helpers import (TREE, X86_CONFIGS, cfg, mem, make_system,
                            make_cell, make_x86_system, make_x86_cell,
                            ioapic, build_configs, have, run_tool, MEM_RW,
                            IOAPIC, IOAPIC_ID, set_attr, region, problems_of,
                            check_case_tests)
from pyjailhouse import check
from pyjailhouse.util import format_bdf


def setup():
    """The root; cell1 with COM2 (ports 0x2f8-0x2ff, IOAPIC pin 3);
    cell2 with nothing but CPU and RAM."""
    system = make_x86_system()
    cell1 = make_x86_cell('cell1', cpus={1}, ram=0x30600000, pins=[3],
                          ports=[(0x2f8, 8)])
    cell2 = make_x86_cell('cell2', cpus={2}, ram=0x30700000)
    return system, [cell1, cell2]


def ports(cell, *ranges):
    cell.pio_regions = [cfg.Pio(base=b, length=n) for b, n in ranges]


COM1_CONSOLE = dict(address=0x3f8, size=8, type=cfg.CON_TYPE_8250)

# name: (breaker, fixer, part of the expected problem); the fixer makes a
# similar config that passes.
CASES = {
    'pio-empty': (
        lambda s, c: set_attr(c[0].pio_regions[0], length=0),
        lambda s, c: set_attr(c[0].pio_regions[0], length=1),
        'cell1.cell: cell "cell1": PIO region #0 (ports 0x2f8 (empty)): is '
        'empty'),
    'pio-beyond-0xffff': (
        lambda s, c: ports(c[0], (0xfffc, 8)),
        lambda s, c: ports(c[0], (0xfff8, 8)),
        'PIO region #0 (ports 0xfffc-0x10003): goes beyond port 0xffff'),
    'pio-overlap-in-cell': (
        lambda s, c: ports(c[0], (0x2f8, 8), (0x2fc, 8)),
        lambda s, c: ports(c[0], (0x2f8, 8), (0x300, 8)),
        'PIO region #1 (ports 0x2fc-0x303): overlaps PIO region #0 (ports '
        '0x2f8-0x2ff)'),
    'pio-pci-config': (
        lambda s, c: ports(c[0], (0xcfc, 4)),
        lambda s, c: ports(c[0], (0xcf0, 8)),
        'PIO region #0 (ports 0xcfc-0xcff): the PCI configuration ports '
        '0xcf8-0xcff stay with the hypervisor'),
    'pio-not-root': (
        lambda s, c: set_attr(s.root_cell.pio_regions[0], length=0x2fc),
        lambda s, c: set_attr(s.root_cell.pio_regions[0], length=0x300),
        'cell1.cell: cell "cell1": PIO region #0 (ports 0x2f8-0x2ff): not '
        '(entirely) ports of the root cell'),
    'pio-two-cells': (
        lambda s, c: ports(c[1], (0x2f0, 0x10)),
        lambda s, c: ports(c[1], (0x2f0, 8)),
        'cell2.cell: cell "cell2": PIO region #0 (ports 0x2f0-0x2ff): '
        'overlaps cell1.cell: cell "cell1" PIO region #0 (ports '
        '0x2f8-0x2ff): a port belongs to one cell'),
    'ioapic-pin-high': (
        lambda s, c: set_attr(s.root_cell, irqchips=[ioapic([0, 120,
                                                             127])]),
        lambda s, c: set_attr(s.root_cell, irqchips=[ioapic([3, 119])]),
        'root cell "root": irqchip #0 at 0xfec00000: IOAPIC pins 120,127; '
        'an IOAPIC has at most 120 (0-119)'),
    'ioapic-twice': (
        lambda s, c: set_attr(c[0], irqchips=[ioapic([3]), ioapic([4])]),
        lambda s, c: set_attr(c[0], irqchips=[ioapic([3, 4])]),
        'irqchip #1 at 0xfec00000: the same IOAPIC as irqchip #0'),
    'ioapic-not-root': (
        lambda s, c: set_attr(c[0], irqchips=[ioapic([24])]),
        lambda s, c: set_attr(c[0], irqchips=[ioapic([23])]),
        'cell1.cell: cell "cell1": irqchip #0 at 0xfec00000: interrupts 24 '
        'not owned by the root cell'),
    'ioapic-two-cells': (
        lambda s, c: set_attr(c[1], irqchips=[ioapic([3])]),
        lambda s, c: set_attr(c[1], irqchips=[ioapic([4])]),
        'cell2.cell: cell "cell2": irqchip #0: interrupt 3 also claimed by '
        'cell1.cell: cell "cell1"'),
    'ioapic-id': (
        lambda s, c: set_attr(c[0].irqchips[0], id=0xa0),
        lambda s, c: None,
        'cell1.cell: cell "cell1": irqchip #0 at 0xfec00000: IOAPIC id '
        '0xa0, the root cell\'s is 0xff00'),
    'apic-mode': (
        lambda s, c: set_attr(s.platform, apic_mode=3),
        lambda s, c: set_attr(s.platform, apic_mode=2),
        'sys.cell: x86: unknown APIC mode 3 (0 auto, 1 xapic, 2 x2apic)'),
    'pm-timer-none': (
        lambda s, c: set_attr(s.platform, pm_timer_address=0, tsc_khz=1),
        lambda s, c: set_attr(s.platform, pm_timer_address=0,
                              tsc_khz=2000000, apic_khz=1000000),
        'sys.cell: x86: no PM timer (pm_timer_address) to measure the TSC '
        'and APIC timer frequencies with, and not both given (tsc_khz, '
        'apic_khz)'),
    'pm-timer-beyond-0xffff': (
        lambda s, c: set_attr(s.platform, pm_timer_address=0xfffd),
        lambda s, c: set_attr(s.platform, pm_timer_address=0xfffc),
        'sys.cell: x86: PM timer port 0xfffd: its 4 bytes go beyond port '
        '0xffff'),
    'iommu-type': (
        lambda s, c: s.iommu_units.__setitem__(0, cfg.Iommu(
            type=cfg.IOMMU_SMMUV3, base=0xfeb00000, size=0x1000)),
        lambda s, c: s.iommu_units.__setitem__(0, cfg.Iommu(
            type=cfg.IOMMU_AMD, base=0xfeb00000, size=0x80000,
            data=cfg.Iommu.AMD.pack(0x10, 0x40, 0x54, 0))),
        'sys.cell: IOMMU unit #0: type 3, no x86 IOMMU (amd 1, intel 2)'),
    'debug-console-type': (
        lambda s, c: set_attr(s.debug_console, type=cfg.CON_TYPE_PL011),
        lambda s, c: set_attr(s.debug_console, type=cfg.CON_TYPE_NONE),
        'sys.cell: debug console: type pl011 (3), this hypervisor drives '
        'none (0), 8250 (2) only on x86'),
    'debug-console-port': (
        lambda s, c: set_attr(s.debug_console, address=0xfffc),
        lambda s, c: set_attr(s.debug_console, address=0x2f8),
        'sys.cell: debug console: port 0xfffc: its 8 ports go beyond port '
        '0xffff'),
    'debug-console-pci-ports': (
        lambda s, c: set_attr(s.debug_console, address=0xcf8),
        lambda s, c: set_attr(s.debug_console, address=0x3e8),
        'sys.cell: debug console: ports 0xcf8-0xcff: the PCI configuration '
        'ports'),
    'debug-console-mmio-on-hypervisor': (
        lambda s, c: set_attr(s.debug_console, address=0x30100000,
                              flags=cfg.CON_ACCESS_MMIO),
        lambda s, c: set_attr(s.debug_console, address=0xfe000000,
                              flags=cfg.CON_ACCESS_MMIO),
        'sys.cell: debug console 0x30100000-0x30100007: on the hypervisor '
        'memory'),
    'cell-console-without-ports': (
        lambda s, c: set_attr(c[0], console=cfg.Console(**COM1_CONSOLE),
                              flags=cfg.CELL_VIRTUAL_CONSOLE_PERMITTED),
        lambda s, c: set_attr(c[0], console=cfg.Console(
            **dict(COM1_CONSOLE, address=0x2f8)),
            flags=cfg.CELL_VIRTUAL_CONSOLE_PERMITTED),
        'cell1.cell: cell "cell1": console: 8250 at ports 0x3f8-0x3ff, '
        'which are not in the cell\'s PIO regions (or set the flag '
        'virtual_console_active)'),
    'cell-maps-lapic': (
        lambda s, c: region(c[1], 0xfee00000, 0x1000, MEM_RW | cfg.MEM_IO),
        lambda s, c: None,
        'cell2.cell: cell "cell2": memory region #2 (0xfee00000-0xfee00fff): '
        'maps the local APIC 0xfee00000-0xfee00fff, which the hypervisor '
        'emulates'),
    'root-maps-ioapic': (
        lambda s, c: region(s.root_cell, IOAPIC, 0x1000, MEM_RW | cfg.MEM_IO),
        lambda s, c: region(s.root_cell, 0xfed00000, 0x1000,
                            MEM_RW | cfg.MEM_IO),
        'root cell "root": memory region #3 (0xfec00000-0xfec00fff): maps '
        'the IOAPIC 0xfec00000-0xfec00fff, which the hypervisor emulates'),
    'root-maps-mmconfig': (
        lambda s, c: region(s.root_cell, 0xb0000000, 0x10000000,
                            MEM_RW | cfg.MEM_IO),
        lambda s, c: None,
        'maps the PCI configuration space 0xb0000000-0xbfffffff that the '
        'hypervisor keeps for its devices'),
    'architecture-mismatch': (
        lambda s, c: set_attr(c[1], architecture=cfg.ARCH_ARM64),
        lambda s, c: None,
        'cell "cell2": architecture arm64, the system is x86'),
}


test_baseline_is_clean, test_check_finds, test_check_accepts = \
    check_case_tests(setup, CASES)


def test_pio_regions_only_on_x86():
    system = make_system()
    cell = make_cell('arm', cpus={1})
    ports(cell, (0x3f8, 8))
    assert problems_of(system, [cell]) == [
        'arm.cell: cell "arm": 1 PIO regions, but only x86 has I/O ports']


def test_dma_warning_on_x86():
    """No IOMMU is driven on x86: a device of the machine in a cell is
    warned about even with an IOMMU unit in the config."""
    system, cells = setup()
    for cell in (system.root_cell, cells[1]):
        cell.pci_devices.append(cfg.PciDevice(type=cfg.PCI_TYPE_DEVICE,
                                              bdf=0x10))
    system.iommu_units[0] = cfg.Iommu(type=cfg.IOMMU_AMD, base=0xfeb00000,
                                      size=0x80000)
    warnings = []
    assert check.check(('sys.cell', system.pack()),
                       [('%s.cell' % c.name, c.pack()) for c in cells],
                       warnings) == []
    assert warnings == [
        'cell2.cell: cell "cell2": PCI device 0000:00:02.0 without an IOMMU '
        '(this hypervisor drives none on x86): it can read and write all '
        'memory, that of the hypervisor and the other cells included']


@pytest.fixture(scope='module')
def built():
    build_configs()


def shipped(name):
    return X86_CONFIGS / (name + '.cell')


def test_shipped_configs(built):
    """The root alone, with each demo cell, and with both inmate demos;
    the SMP demo takes the inmate demo's CPU."""
    system = shipped('qemu-x86')
    demos = [shipped('qemu-x86-' + n) for n in
             ('inmate-demo', 'inmate-demo2', 'smp-demo')]
    run_tool('check', system, check=0)
    for demo in demos:
        run_tool('check', system, demo, check=0)
    run_tool('check', system, demos[0], demos[1], check=0)
    proc = run_tool('check', system, demos[0], demos[2], check=1)
    assert 'CPU 3 also belongs to' in proc.stdout


def test_shipped_root_config(built):
    """What qemu-x86.c promises: the hypervisor's ports and pages are no
    root cell's, everything else of the map is."""
    system = cfg.load(str(shipped('qemu-x86')))
    root = system.root_cell
    assert system.architecture == cfg.ARCH_X86
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (0x30000000, 0x600000)
    assert (system.pci_mmconfig_base, system.pci_mmconfig_end_bus) == \
        (0xb0000000, 0xff)
    assert system.platform.pm_timer_address == 0x608
    assert [(p.base, p.end) for p in root.pio_regions] == \
        [(0, 0xcf8), (0xd00, 0x10000)]
    assert [(c.address, c.id, c.interrupts()) for c in root.irqchips] == \
        [(IOAPIC, IOAPIC_ID, list(range(24)))]
    ram = [(m.phys_start, m.size) for m in root.memory_regions
           if m.flags & cfg.MEM_DMA]
    assert ram == [(0, 0xa0000), (0x100000, 0x2ff00000),
                   (0x30600000, 0x0b900000), (0x3c000000, 0x04000000)]
    # the ivshmem link's state table, read/write and output sections
    link, = [d for d in root.pci_devices if d.type == cfg.PCI_TYPE_IVSHMEM]
    shmem = root.memory_regions[link.shmem_regions_start:
                                link.shmem_regions_start + 5]
    assert [(m.phys_start, m.size) for m in shmem] == \
        [(0x3bf00000 + n * 0x1000, 0x1000) for n in range(5)]
    assert (link.bdf, link.shmem_dev_id, link.shmem_peers,
            link.num_msix_vectors) == (0x0c << 3, 0, 3, 1)
    for base in (0xb0000000, IOAPIC, 0xfee00000, 0x30000000):
        assert not any(m.phys_start <= base < m.phys_start + m.size
                       for m in root.memory_regions), hex(base)


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_users_x86_config(tmp_path):
    """tests/config/users/x86-system.c, written as users write x86
    configs (PIO_RANGE, an IOAPIC irqchip, platform_info.x86, an AMD
    IOMMU unit), compiles against include/jailhouse/ to the bytes that
    the format's description gives."""
    obj = tmp_path / 'x86-system.o'
    out = tmp_path / 'x86-system.cell'
    subprocess.run(['gcc', '-O2', '-Wall', '-Werror', '-fdata-sections',
                    '-fno-common', '-I', str(TREE / 'include'), '-c',
                    '-o', str(obj),
                    str(TREE / 'tests/config/users/x86-system.c')],
                   check=True)
    subprocess.run(['objcopy', '-O', 'binary', '-j', '.data.config',
                    '-j', '.rodata.config', str(obj), str(out)],
                   check=True)
    data = out.read_bytes()

    expected = cfg.SystemConfig(cfg.ARCH_X86)
    expected.hypervisor_memory = cfg.Memory(phys_start=0x3a000000,
                                            size=0x600000)
    expected.debug_console = cfg.Console(address=0x3f8,
                                         type=cfg.CON_TYPE_8250)
    expected.pci_mmconfig_base = 0xe0000000
    expected.pci_mmconfig_end_bus = 0xff
    expected.iommu_units[0] = cfg.Iommu(
        type=cfg.IOMMU_AMD, base=0xfeb80000, size=0x80000,
        data=cfg.Iommu.AMD.pack(0x02, 0x40, 0x54, 0x80048824))
    plat = expected.platform
    plat.pm_timer_address = 0x808
    plat.apic_mode = 1
    plat.vtd_interrupt_limit = 256
    plat.tsc_khz = 2100000
    plat.apic_khz = 100000
    root = expected.root_cell
    root.name = 'users-x86'
    root.cpus = {0, 1, 2, 3}
    root.memory_regions = [mem(0, 0x3a000000, cfg.MEM_READ | cfg.MEM_WRITE |
                               cfg.MEM_EXECUTE | cfg.MEM_DMA)]
    root.irqchips = [cfg.Irqchip(address=IOAPIC, id=0x00a0,
                                 pin_bitmap=[0xffffff, 0, 0, 0])]
    root.pio_regions = [cfg.Pio(base=0x0, length=0x3f8),
                        cfg.Pio(base=0x400, length=0x8f8),
                        cfg.Pio(base=0xd00, length=0xf300)]
    root.pci_devices = [cfg.PciDevice(type=cfg.PCI_TYPE_DEVICE,
                                      bdf=0x1f << 3, caps_start=0,
                                      num_caps=1)]
    root.pci_caps = [cfg.PciCap(id=0x5, start=0x60, len=14,
                                flags=cfg.PCICAP_FLAGS['write'])]
    assert data == expected.pack()
    assert check.check(('x86-system.cell', data)) == []


def test_limits_are_the_hypervisors():
    """The IOAPIC pin limit of config check is config.c's."""
    header = (TREE / 'hypervisor/include/jailhouse/config.h').read_text()
    found = re.search(r'#define CONFIG_IOAPIC_MAX_PINS\s+(\d+)', header)
    assert found and int(found.group(1)) == cfg.IOAPIC_MAX_PINS


# What the q35 guest of scripts/qemu-run.sh --machine x86 -n reports
# (Debian's 6.1 kernel, memmap=0xc000000$0x30000000), dumped once: the
# map that configs/x86/qemu-x86.c divides.
Q35_IOMEM = """\
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-0009ffff : Reserved
000a0000-000bffff : PCI Bus 0000:00
000c0000-000c9bff : Video ROM
000ca000-000cadff : Adapter ROM
000cb000-000cb5ff : Adapter ROM
000f0000-000fffff : Reserved
  000f0000-000fffff : System ROM
00100000-2fffffff : System RAM
30000000-3bffffff : Reserved
3c000000-3ffdbfff : System RAM
3ffdc000-3fffffff : Reserved
40000000-afffffff : PCI Bus 0000:00
b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]
c0000000-febfffff : PCI Bus 0000:00
  fd000000-fdffffff : 0000:00:01.0
  fe000000-fe003fff : 0000:00:02.0
  fe004000-fe007fff : 0000:00:03.0
  feb80000-febbffff : 0000:00:03.0
  febd0000-febd0fff : 0000:00:01.0
  febd1000-febd1fff : 0000:00:02.0
  febd2000-febd2fff : 0000:00:03.0
  febd3000-febd3fff : 0000:00:1f.2
fec00000-fec003ff : IOAPIC 0
fed00000-fed003ff : HPET 0
fed1c000-fed1ffff : Reserved
fee00000-fee00fff : Local APIC
fffc0000-ffffffff : Reserved
"""

Q35_IOPORTS = """\
0000-001f : dma1
0020-0021 : pic1
0040-0043 : timer0
0050-0053 : timer1
0060-0060 : keyboard
0064-0064 : keyboard
0070-0077 : rtc0
0080-008f : dma page reg
00a0-00a1 : pic2
00c0-00df : dma2
00f0-00ff : fpu
03c0-03df : vga+
03f8-03ff : serial
0510-051b : QEMU0002:00
0600-067f : 0000:00:1f.0
0700-073f : 0000:00:1f.3
0cf8-0cff : PCI conf1
c000-c07f : 0000:00:02.0
c0c0-c0df : 0000:00:03.0
c0e0-c0ff : 0000:00:1f.2
"""

Q35_FUNCTIONS = ('00:00.0', '00:01.0', '00:02.0', '00:03.0', '00:1f.0',
                 '00:1f.2', '00:1f.3')


def ranges(dump):
    """(start, size, name) of each line of a /proc/iomem-style dump."""
    for line in dump.splitlines():
        span, _, name = line.strip().partition(' : ')
        start, end = (int(x, 16) for x in span.split('-'))
        yield start, end - start + 1, name


def test_shipped_root_covers_the_q35_map(built):
    """Linux's RAM, the ACPI tables and the BIOS areas, the BARs, the HPET
    and the ICH9 registers are the root cell's (RAM with DMA); the
    hypervisor's memory, MMCONFIG and the APICs are not; every device's
    ports but the PCI configuration ports are; every function is."""
    system = cfg.load(str(shipped('qemu-x86')))
    root = system.root_cell
    regions = [(m.phys_start, m.size) for m in root.memory_regions]
    dma = [(m.phys_start, m.size) for m in root.memory_regions
           if m.flags & cfg.MEM_DMA]
    hv_kept = ('PCI MMCONFIG', 'IOAPIC', 'Local APIC')
    for start, size, name in ranges(Q35_IOMEM):
        mapped = [r for r in regions if check._overlaps(start, size, *r)]
        if name.startswith(hv_kept):
            assert not mapped, name
        elif start == 0x30000000:
            # memmap=: the hypervisor's, then the cells' RAM, then the
            # ivshmem link's MiB
            hv = system.hypervisor_memory
            assert (hv.phys_start, hv.size) == (start, 0x600000)
            assert check._ranges_cover(dma, start + hv.size,
                                       size - hv.size - 0x100000)
            assert check._ranges_cover(regions, start + size - 0x100000,
                                       0x5000)
            assert not any(check._overlaps(hv.phys_start, hv.size, *r)
                           for r in regions)
        elif start == 0xfffc0000:
            assert not mapped, 'BIOS flash: not needed after boot'
        elif name == 'System RAM' or start == 0x3ffdc000:
            # RAM and the ACPI tables
            assert check._ranges_cover(dma, start, size), hex(start)
        else:
            assert check._ranges_cover(regions, start, size), \
                '%s %x' % (name, start)

    owned = [(p.base, p.length) for p in root.pio_regions]
    for start, size, name in ranges(Q35_IOPORTS):
        if name == 'PCI conf1':
            assert not any(check._overlaps(start, size, *p) for p in owned)
        else:
            assert check._ranges_cover(owned, start, size), name

    assert sorted(format_bdf(dev.bdf) for dev in root.pci_devices
                  if dev.type == cfg.PCI_TYPE_DEVICE) == sorted(Q35_FUNCTIONS)
