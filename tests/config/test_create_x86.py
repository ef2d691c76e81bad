# SPDX-License-Identifier: GPL-2.0
"""jailhouse config create on x86: the ACPI table reader, and the root
config generated from what "jailhouse config collect" gathered in the
project's q35 guest (x86/qemu-x86-collected.tar.gz: scripts/qemu-run.sh
--machine x86 -n, collected by tests/e2e/test_config_create_x86.py with
JH_KEEP_TARBALL; x86/qemu-x86-amd-iommu-collected.tar.gz: the same
machine with "-- -device amd-iommu" instead of -n) against the hand-written configs/x86/qemu-x86: the same
meaning, region by region, but for the differences listed in
DIFFERENCES; it passes config check and hypervisor/config.c as the x86
hypervisor builds it.  The other machines are variations of the fixture:
its files edited, ACPI tables added."""

import io
import os
import struct
import subprocess
import tarfile

import pytest

from config_helpers import TREE, TOOLS, X86_CONFIGS, cfg, have, run_tool
from pyjailhouse import acpi, check, tomlfmt
from pyjailhouse.create import CreateError
from pyjailhouse.create_x86 import (X86Creator, memparse, memmap_reserved,
                                    AMD_IOMMU_MMIO_SIZE)
from pyjailhouse import sysinfo

FIXTURE = TREE / 'tests/config/x86/qemu-x86-collected.tar.gz'
# The same machine with QEMU's AMD IOMMU (-device amd-iommu, which takes
# 00:03.0, without -n), collected the same way
AMD_IOMMU_FIXTURE = TREE / \
    'tests/config/x86/qemu-x86-amd-iommu-collected.tar.gz'
TOP = 'jailhouse-config-collect/'
TOP_ACPI = 'sys/firmware/acpi/tables/'
MIB = 1 << 20
RAM = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_EXECUTE | cfg.MEM_DMA
IO = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_IO
# Regions of the generated config that qemu-x86.c leaves out as unused by
# Linux after boot: the BIOS flash below 4 GiB and the 64-bit PCI window.
EXTRA_REGIONS = [(0xfffc0000, 0x40000, IO), (0x100000000, 0x800000000, IO)]


def handwritten():
    path = X86_CONFIGS / 'qemu-x86.toml'
    return tomlfmt.from_toml(path.read_text(), str(path))


def fixture_files():
    """The fixture's files by their path below the top directory, and
    its symbolic links."""
    files, links = {}, {}
    with tarfile.open(str(FIXTURE)) as archive:
        for member in archive:
            name = member.name[len(TOP):]
            if member.isfile():
                files[name] = archive.extractfile(member).read()
            elif member.issym():
                links[name] = member.linkname
    return files, links


def write_tarball(path, files, links):
    """A tarball as the collector writes it, of @files and @links."""
    with tarfile.open(str(path), 'w:gz') as archive:
        dirs = set()
        for name in list(files) + list(links):
            parts = name.split('/')
            for n in range(1, len(parts)):
                dirs.add('/'.join(parts[:n]))
        for d in sorted(dirs) + ['']:
            info = tarfile.TarInfo((TOP + d).rstrip('/'))
            info.type = tarfile.DIRTYPE
            archive.addfile(info)
        for name, data in files.items():
            info = tarfile.TarInfo(TOP + name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in links.items():
            info = tarfile.TarInfo(TOP + name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return path


def machine(tmp_path, change=None):
    """The fixture's machine, its files passed through @change first."""
    files, links = fixture_files()
    if change:
        change(files)
    return sysinfo.from_tarball(str(write_tarball(tmp_path / 'x.tar.gz',
                                                  files, links)))


def create(tmp_path=None, change=None, **kwargs):
    m = sysinfo.from_tarball(str(FIXTURE)) if change is None else \
        machine(tmp_path, change)
    creator = X86Creator(m, **kwargs)
    return creator.create(), creator


def regions(cell):
    return [(m.phys_start, m.size, m.flags) for m in cell.memory_regions]


def without_links(cell):
    """regions() of @cell without its ivshmem links' memory, which the
    cells' RAM right before it takes back, and its PCI devices without
    the links: what "config create" makes of the same machine, knowing of
    no link."""
    links = [d for d in cell.pci_devices if d.type == cfg.PCI_TYPE_IVSHMEM]
    shmem = [m for link in links
             for m in cell.memory_regions[link.shmem_regions_start:
                                          link.shmem_regions_start + 2 +
                                          link.shmem_peers]]
    mems = [[m.phys_start, m.size, m.flags] for m in cell.memory_regions
            if m not in shmem]
    if shmem:
        # the RAM that ends where the link begins reaches the next region
        # again (the link's MiB, which its sections fill only in part)
        first = min(m.phys_start for m in shmem)
        after = min(m[0] for m in mems if m[0] > first)
        for m in mems:
            if m[0] + m[1] == first:
                m[1] = after - m[0]
    return ([tuple(m) for m in mems],
            [d for d in cell.pci_devices if d not in links])


# ------------------------------------------------------------- ACPI tables

def test_acpi_tables_of_q35():
    files, _ = fixture_files()
    tables = {name: acpi.Table(name, files[TOP_ACPI + name])
              for name in ('APIC', 'FACP', 'MCFG')}
    fadt = acpi.Fadt(tables['FACP'])
    assert (fadt.pm_timer, fadt.pm_timer_space) == (0x608,
                                                    acpi.GAS_SYSTEM_IO)
    madt = acpi.Madt(tables['APIC'])
    assert madt.apic_ids == [0, 1, 2, 3]
    assert madt.lapic_address == 0xfee00000
    assert [(i.address, i.gsi_base) for i in madt.ioapics] == \
        [(0xfec00000, 0)]
    (entry,) = acpi.mcfg(tables['MCFG'])
    assert (entry.base, entry.segment, entry.start_bus, entry.end_bus) == \
        (0xb0000000, 0, 0, 255)
    # The DSDT and the FACS are in the memory the firmware reserves at
    # the top of RAM.
    assert all(0x3ffdc000 <= a < 0x40000000 for a in fadt.tables)


def test_acpi_table_shorter_than_it_says():
    files, _ = fixture_files()
    data = files[TOP_ACPI + 'APIC']
    with pytest.raises(acpi.AcpiError, match='the header says'):
        acpi.Table('APIC', data[:-4])


def test_memmap_options():
    assert memparse('0xc000000') == 0xc000000
    assert memparse('192M') == 192 * MIB
    assert memparse('010') == 8
    assert memparse('1G') == 1 << 30
    assert memparse('x') is None
    assert memmap_reserved('console=ttyS0 memmap=0xc000000$0x30000000') == \
        [(0x30000000, 0xc000000)]
    assert memmap_reserved('memmap=64M$1G,16M!2G memmap=1M@0 '
                           'memmap=2M$0x40000000') == \
        [(1 << 30, 64 * MIB), (0x40000000, 2 * MIB)]


# ------------------------------------------------- against qemu-x86.c

def test_generated_means_what_qemu_x86_says():
    system, creator = create()
    hand = handwritten()
    assert creator.warnings == []
    assert system.architecture == cfg.ARCH_X86
    assert system.flags == hand.flags
    assert system.hypervisor_memory == hand.hypervisor_memory
    assert system.debug_console == hand.debug_console
    for field in ('pci_mmconfig_base', 'pci_mmconfig_end_bus',
                  'pci_is_virtual', 'pci_domain'):
        assert getattr(system, field) == getattr(hand, field), field
    assert system.platform == hand.platform
    assert system.iommu_units == hand.iommu_units

    root, hand_root = system.root_cell, hand.root_cell
    hand_regions, hand_devices = without_links(hand_root)
    assert root.cpus == hand_root.cpus
    # Region by region: the same, and two more.
    assert regions(root) == sorted(hand_regions + EXTRA_REGIONS)
    assert root.pio_regions == hand_root.pio_regions
    # The IOAPIC's pins; its source id no table of this machine names.
    assert [(c.address, c.pin_base, c.pin_bitmap) for c in root.irqchips] \
        == [(c.address, c.pin_base, c.pin_bitmap)
            for c in hand_root.irqchips]
    assert [c.id for c in root.irqchips] == [0]
    assert [c.id for c in hand_root.irqchips] == [0xff00]
    # The same functions; the generated config has their BARs' sizes and
    # capabilities, which qemu-x86.c leaves out.
    assert [(d.type, d.domain, d.bdf) for d in root.pci_devices] == \
        [(d.type, d.domain, d.bdf) for d in hand_devices]
    masks = {d.bdf: d.bar_mask for d in root.pci_devices}
    assert masks[0x02 << 3][:2] == [0xffffff80, 0xfffff000]   # virtio-blk
    assert masks[0x1f << 3 | 2][4:] == [0xffffffe0, 0xfffff000]  # AHCI
    caps = root.pci_caps
    msix = [c for c in caps if c.id == 0x11]
    assert len(msix) == 2 and all(c.flags for c in msix)
    assert root.name == 'standard-pc-q35-ich9-2009'


def test_generated_passes_check_with_the_demo_cells():
    system, _ = create()
    cells = [(str(p), p.read_bytes()) for p in
             sorted(X86_CONFIGS.glob('qemu-x86-*.toml'))]
    cells = [(name, tomlfmt.from_toml(open(name).read(), name).pack())
             for name, _ in cells]
    assert len(cells) == 3
    # The smp demo shares CPUs with the others: alone, then the others.
    smp = [c for c in cells if 'smp' in c[0]]
    others = [c for c in cells if 'smp' not in c[0]]
    for group in (smp, others):
        assert check.check(('generated.cell', system.pack()), group) == []


HV_CHECK = r'''
#include <stdarg.h>
#include <stdio.h>
#include <jailhouse/bitops.h>
#include <jailhouse/config.h>
#include <jailhouse/string.h>

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 20];
	FILE *f = fopen(argv[1], "rb");
	size_t size = fread(buf, 1, sizeof(buf), f);

	printf("result %d\n",
	       config_check_system((const void *)buf, size, 64));
	return 0;
}
'''


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_hypervisor_accepts_generated(tmp_path):
    """config_check_system() of hypervisor/config.c, built for the host
    as the x86 hypervisor builds it, takes the config; and refuses one
    with unaligned hypervisor memory (so the harness is no yes-man)."""
    (tmp_path / 'check.c').write_text(HV_CHECK)
    subprocess.run(['gcc', '-O1', '-fno-builtin-ffsl', '-I',
                    str(TREE / 'tests/unit/include'), '-I',
                    str(TREE / 'hypervisor/include'), '-I',
                    str(TREE / 'include'),
                    '-DJAILHOUSE_ARCH_ID=JAILHOUSE_X86', '-o',
                    str(tmp_path / 'check'), str(tmp_path / 'check.c'),
                    str(TREE / 'hypervisor/config.c')], check=True)
    system, _ = create()
    (tmp_path / 'good.cell').write_bytes(system.pack())
    system.hypervisor_memory.phys_start += 0x1000
    (tmp_path / 'bad.cell').write_bytes(system.pack())

    def verdict(name):
        return subprocess.run([str(tmp_path / 'check'),
                               str(tmp_path / name)], capture_output=True,
                              text=True, check=True).stdout
    assert verdict('good.cell').splitlines() == ['result 0']
    assert 'result 0' not in verdict('bad.cell')


# ------------------------------------------------------------- the CLI

def test_cli_tarball_root_and_collector(tmp_path):
    """The tarball, the unpacked tarball (--root) and what the collector
    makes of the unpacked tarball as a target's / give the same config,
    which check passes; TOML output names the regions and functions."""
    out = tmp_path / 'from-tarball.cell'
    proc = run_tool('create', '--tarball', FIXTURE, out, check=0)
    assert 'Warning' not in proc.stderr, proc.stderr
    target = tmp_path / 'target'
    target.mkdir()
    with tarfile.open(str(FIXTURE)) as archive:
        archive.extractall(str(target))
    target = target / TOP
    from_root = tmp_path / 'from-root.cell'
    run_tool('create', '--root', target, from_root, check=0)
    assert from_root.read_bytes() == out.read_bytes()

    again = tmp_path / 'again.tar.gz'
    subprocess.run(['sh', str(TOOLS / 'jailhouse-config-collect'),
                    str(again)], check=True, capture_output=True,
                   env=dict(os.environ, JAILHOUSE_COLLECT_ROOT=str(target)))
    with tarfile.open(str(again)) as archive:
        names = set(archive.getnames())
    for name in ('proc/ioports', 'proc/cmdline', 'dmesg',
                 'sys/firmware/acpi/tables/MCFG',
                 'sys/class/tty/ttyS0/port',
                 'sys/bus/pci/devices/0000:00:1f.2',
                 'sys/devices/pci0000:00/0000:00:1f.2/config'):
        assert TOP + name in names, name
    from_again = tmp_path / 'from-again.cell'
    run_tool('create', '--tarball', again, from_again, check=0)
    assert from_again.read_bytes() == out.read_bytes()

    assert 'no problems found' in run_tool('check', out, check=0).stdout
    text = run_tool('create', '--tarball', FIXTURE, '-', check=0).stdout
    assert 'architecture = "x86"' in text
    assert '# 4: RAM kept from Linux (memmap=) for cells' in text
    assert '# 5: 00:1f.2: 8086:2922, class 010601' in text
    assert 'IOAPIC 0 at 0xfec00000: GSIs 0-23' in text
    assert 'APIC mode auto: the CPUs have no x2APIC, xAPIC then' in text


def test_cli_sizes(tmp_path):
    out = tmp_path / 'x.cell'
    run_tool('create', '--tarball', FIXTURE, '--mem-hv', '8M',
             '--mem-inmates', '64M', out, check=0)
    system = cfg.load(str(out))
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (0x30000000, 8 * MIB)
    assert (0x30800000, 64 * MIB, RAM) in regions(system.root_cell)
    proc = run_tool('create', '--tarball', FIXTURE, '--mem-inmates', '1G',
                    out, check=1)
    assert 'no room for 6 MiB of hypervisor and 1024 MiB of cell memory' \
        in proc.stderr


def test_neither_device_tree_nor_acpi(tmp_path):
    target = tmp_path / 'target'
    (target / 'proc').mkdir(parents=True)
    (target / 'proc/iomem').write_text('')
    proc = run_tool('create', '--root', target, tmp_path / 'x.cell',
                    check=1)
    assert 'no device tree' in proc.stderr and 'no ACPI tables' in \
        proc.stderr


# ------------------------------------------------ other machines

def edit(name, old, new):
    def change(files):
        assert old in files[name]
        files[name] = files[name].replace(old, new)
    return change


def test_without_memmap_says_which_to_add(tmp_path):
    with pytest.raises(CreateError, match=r'boot Linux with '
                       r'"memmap=0x4600000\$0x[0-9a-f]+"'):
        create(tmp_path, edit('proc/cmdline', b'memmap=0xc000000$0x30000000',
                              b''))


def test_console_variants(tmp_path):
    # no serial console: off, with a warning
    system, creator = create(tmp_path, edit('proc/cmdline',
                                            b'console=ttyS0', b'console=tty0'))
    assert system.debug_console.type == cfg.CON_TYPE_NONE
    assert 'no serial console' in creator.warnings[0]
    # COM2 by its sysfs attributes
    system, creator = create(tmp_path, edit('proc/cmdline', b'console=ttyS0',
                                            b'console=ttyS1,115200'))
    assert (system.debug_console.address, system.debug_console.flags) == \
        (0x2f8, 0)

    # a memory-mapped 32-bit 8250
    def mmio(files):
        edit('proc/cmdline', b'console=ttyS0', b'console=ttyS2')(files)
        base = 'sys/class/tty/ttyS2/'
        files[base + 'io_type'] = b'3\n'
        files[base + 'iomem_base'] = b'0xFEDC9000\n'
        files[base + 'iomem_reg_shift'] = b'2\n'
    system, creator = create(tmp_path, mmio)
    con = system.debug_console
    assert (con.address, con.size, con.type, con.flags) == \
        (0xfedc9000, 0x1000, cfg.CON_TYPE_8250,
         cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4)

    # ttyS0 without its sysfs attributes: the legacy port
    def bare(files):
        for name in [n for n in files if n.startswith('sys/class/tty/')]:
            del files[name]
    system, creator = create(tmp_path, bare)
    assert system.debug_console.address == 0x3f8
    assert any('legacy port 0x3f8' in n for n in creator.notes)


def test_arm_machine_with_acpi(tmp_path):
    with pytest.raises(CreateError, match='an Arm machine with ACPI'):
        create(tmp_path, edit('proc/cpuinfo', b'processor',
                              b'CPU implementer\t: 0x41\nprocessor'))


def test_ioapic_pins_without_the_log(tmp_path):
    def no_log(files):
        del files['dmesg']
    system, creator = create(tmp_path, no_log)
    assert system.root_cell.irqchips[0].interrupts() == list(range(24))
    assert 'its pins are unknown' in creator.warnings[0]


def test_no_pm_timer(tmp_path):
    def no_fadt(files):
        del files[TOP_ACPI + 'FACP']
    system, creator = create(tmp_path, no_fadt)
    assert system.platform.pm_timer_address == 0
    assert 'no ACPI PM timer (no FADT)' in creator.warnings[0]
    problems = check.check(('generated.cell', system.pack()))
    assert any('pm_timer_address' in p or 'PM timer' in p
               for p in problems), problems


def ivrs_table():
    """An IVRS with one IVHD of type 0x10: the IOMMU at 00:14.2 (its
    capability at 0x40, registers at 0xfeb80000) remapping IOAPIC 0 as
    00:14.0 (a special device entry), as AMD chipsets have it."""
    entries = struct.pack('<BHB', 0x01, 0, 0)          # all devices
    entries += struct.pack('<BHBBHB', 0x48, 0, 0, 0, 0xa0, 1)
    ivhd = struct.pack('<BBHHHQHHI', 0x10, 0, 24 + len(entries),
                       0x14 << 3 | 2, 0x40, 0xfeb80000, 0, 0, 0) + entries
    body = struct.pack('<I8x', 0) + ivhd
    header = acpi.HEADER.pack(b'IVRS', acpi.HEADER.size + len(body), 2, 0,
                              b'AMD   ', b'TEST    ', 1, b'TEST', 1)
    return header + body


def test_amd_iommu_from_ivrs(tmp_path):
    def add(files):
        files[TOP_ACPI + 'IVRS'] = ivrs_table()
    system, creator = create(tmp_path, add)
    unit = system.iommu_units[0]
    assert (unit.type, unit.base, unit.size) == \
        (cfg.IOMMU_AMD, 0xfeb80000, AMD_IOMMU_MMIO_SIZE)
    bdf, base_cap, msi_cap, features = cfg.Iommu.AMD.unpack(unit.data)
    assert (bdf, base_cap) == (0x14 << 3 | 2, 0x40)
    assert system.root_cell.irqchips[0].id == 0xa0
    # The IOMMU's registers are not the root's.
    assert not [m for m in system.root_cell.memory_regions
                if m.phys_start < 0xfeb84000 and
                0xfeb80000 < m.phys_start + m.size]
    assert any('drives no IOMMU on x86' in w for w in creator.warnings)


def test_amd_iommu_of_qemu():
    """QEMU's IVRS: the IOMMU at 00:03.0, its registers at 0xfed80000,
    the IOAPIC as 00:14.0."""
    creator = X86Creator(sysinfo.from_tarball(str(AMD_IOMMU_FIXTURE)))
    system = creator.create()
    unit = system.iommu_units[0]
    assert (unit.type, unit.base, unit.size) == \
        (cfg.IOMMU_AMD, 0xfed80000, AMD_IOMMU_MMIO_SIZE)
    bdf, base_cap, msi_cap, _ = cfg.Iommu.AMD.unpack(unit.data)
    assert (bdf, base_cap, msi_cap) == (0x03 << 3, 0x40, 0x60)
    assert not any(u.type for u in system.iommu_units[1:])
    assert system.root_cell.irqchips[0].id == 0x14 << 3
    root = system.root_cell
    assert 0x03 << 3 not in [d.bdf for d in root.pci_devices]
    assert not [m for m in root.memory_regions
                if m.phys_start < 0xfed84000 and
                0xfed80000 < m.phys_start + m.size]
    assert check.check(('amd-iommu.cell', system.pack())) == []
