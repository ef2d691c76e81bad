# SPDX-License-Identifier: GPL-2.0
"""The TOML source form: byte-exact round trips, the shipped configs in
both forms, and readable errors."""

import pytest

from config_helpers import (ARM64_CONFIGS, X86_CONFIGS, cfg, build_configs,
                            make_system, make_cell, add_ivshmem, run_tool)
from pyjailhouse import tomlfmt
from pyjailhouse.util import parse_size, parse_ranges, format_ranges

C_SOURCES = (sorted(ARM64_CONFIGS.glob('*.c')) +
             sorted(X86_CONFIGS.glob('*.c')))


@pytest.fixture(scope='module')
def built():
    """Build every configs/{arm64,x86}/*.c into its .cell (configs
    Makefile)."""
    build_configs()


def names(paths):
    return [p.stem for p in paths]


def test_every_shipped_config_has_a_toml_twin():
    missing = [p.name for p in C_SOURCES
               if not p.with_suffix('.toml').exists()]
    assert not missing, ('no TOML form for %s: start one with '
                         'tools/jailhouse-config-decompile' %
                         ', '.join(missing))


@pytest.mark.parametrize('source', C_SOURCES, ids=names(C_SOURCES))
def test_toml_compiles_to_the_c_bytes(built, source, tmp_path):
    toml = source.with_suffix('.toml')
    if not toml.exists():
        pytest.skip('no %s' % toml.name)
    out = tmp_path / 'out.cell'
    run_tool('compile', toml, '-o', out, check=0)
    assert out.read_bytes() == source.with_suffix('.cell').read_bytes()


@pytest.mark.parametrize('source', C_SOURCES, ids=names(C_SOURCES))
def test_decompile_compile_round_trip(built, source, tmp_path):
    cell = source.with_suffix('.cell')
    toml = tmp_path / 'x.toml'
    run_tool('decompile', cell, '-o', toml, check=0)
    out = tmp_path / 'x.cell'
    run_tool('compile', toml, '-o', out, check=0)
    assert out.read_bytes() == cell.read_bytes()


def test_shipped_configs_pass_check(built):
    cells = [p.with_suffix('.cell') for p in C_SOURCES]
    systems = [c for c in cells if c.read_bytes()[:5] == cfg.SYSTEM_SIGNATURE]
    others = [c for c in cells if c not in systems]
    assert {c.parent.name for c in systems} == {'arm64', 'x86'}, \
        'a system configuration in configs/arm64 and in configs/x86'
    for system in systems:
        run_tool('check', system, check=0)
        # Each cell of this board (the first two words of the names:
        # qemu-arm64, zynqmp-zcu102) on its own: alternatives may share
        # resources.
        for cell in others:
            if board(cell) == board(system):
                run_tool('check', system, cell, check=0)


def board(config):
    return config.stem.split('-')[:2]


def full_system():
    """A system config that uses every field of the format."""
    system = make_system()
    system.flags = 0xf1
    system.debug_console.divider = 0x1b
    system.debug_console.gate_nr = 3
    system.debug_console.clock_reg = 0x1234560
    system.pci_domain = 7
    system.platform.padding = 0x0102
    system.platform.gicc_base = 1
    system.platform.gich_base = 2
    system.platform.gicv_base = 3
    system.iommu_units[0] = cfg.Iommu(type=cfg.IOMMU_SMMUV3, base=0x900000,
                                      size=0x20000)
    system.iommu_units[2] = cfg.Iommu(type=cfg.IOMMU_PVU, base=0x3000,
                                      size=0x1000,
                                      data=cfg.Iommu.PVU.pack(0x7000, 0x100))
    system.iommu_units[3] = cfg.Iommu(type=cfg.IOMMU_AMD, base=0xfe000000,
                                      size=0x80000,
                                      data=cfg.Iommu.AMD.pack(0x10, 0x40,
                                                              0x64, 0xff))
    system.iommu_units[4] = cfg.Iommu(type=9, data=b'\x01' * 12)
    root = system.root_cell
    root.signature = b'JHCLL'
    root.revision = 14
    root.architecture = cfg.ARCH_ARM64
    root.id = 5
    root.flags = 0x80000001 | 0x100
    root.cpu_set_size = 16
    root.vpci_irq_base = 100
    root.cpu_reset_address = 0xffff0000
    root.msg_reply_timeout = 1000
    root.console = cfg.Console(address=0x9000000, size=0x1000, type=3,
                               flags=0x4003)
    root.memory_regions.append(cfg.Memory(phys_start=0x1, virt_start=0x2,
                                          size=0x3,
                                          flags=(1 << 63) | 0x30010))
    root.memory_regions.append(cfg.Memory())
    root.cache_regions = [cfg.Cache(start=1, size=2, type=3, padding=4,
                                    flags=0x8001)]
    root.pio_regions = [cfg.Pio(base=0x3f8, length=8)]
    root.irqchips.append(cfg.Irqchip(address=GICD_X, id=3, pin_base=160,
                                     pin_bitmap=[1, 0x80000000, 0, 5]))
    add_ivshmem(root, 0x7e000000, 0)
    root.pci_devices.append(cfg.PciDevice(
        type=cfg.PCI_TYPE_DEVICE, iommu=1, domain=2, bdf=0xfff,
        bar_mask=[1, 2, 3, 4, 5, 6], caps_start=0, num_caps=2,
        num_msi_vectors=4, msi_flags=0x83, num_msix_vectors=16,
        msix_region_size=0x1000, msix_address=0xfe000000,
        shmem_regions_start=9, shmem_dev_id=1, shmem_peers=3,
        shmem_protocol=0x4002))
    root.pci_devices.append(cfg.PciDevice(type=2, msi_flags=3))
    root.pci_caps = [cfg.PciCap(id=0x8010, start=0x100, len=0x40, flags=1),
                     cfg.PciCap(id=5, start=0x50, len=14, flags=0x8000)]
    root.stream_ids = [0, 7, 0xffffffff]
    return system


GICD_X = 0x08000000


def test_round_trip_uses_every_field():
    system = full_system()
    data = system.pack()
    text = tomlfmt.to_toml(cfg.parse(data)[0])
    assert tomlfmt.from_toml(text).pack() == data
    assert 'type = "pvu"' in text and 'tlb_base = 0x7000' in text
    assert 'amd_bdf = "00:02.0"' in text
    assert 'data = "010101010101010101010101"' in text
    assert 'msi_flags = 0x83' in text
    assert 'cpu_set_size = 16' in text
    assert 'flags = ["io", "io_8", "io_16", 0x8000000000000000]' in text
    assert 'virt_start = 0x00000002' in text

    cell = make_cell('c', cpus={1, 2, 5})
    cell.architecture = cfg.ARCH_ARM
    data = cell.pack()
    text = tomlfmt.to_toml(cfg.parse(data)[0])
    assert 'architecture = "arm"' in text and 'cpus = "1-2,5"' in text
    assert tomlfmt.from_toml(text).pack() == data


def test_x86_round_trip():
    system = cfg.SystemConfig(cfg.ARCH_X86)
    system.platform.pm_timer_address = 0x408
    system.platform.apic_mode = 2
    system.platform.tsc_khz = 2000000
    system.platform.reserved = b'\x07' + bytes(27)
    system.root_cell.name = 'pc'
    system.root_cell.cpus = {0, 1}
    system.root_cell.pio_regions = [cfg.Pio(base=0x3f8, length=8)]
    data = system.pack()
    text = tomlfmt.to_toml(system)
    assert 'apic_mode = "x2apic"' in text
    assert tomlfmt.from_toml(text).pack() == data


def test_readable_source():
    text = '''
[cell]
architecture = "arm64"
name = "demo"
cpus = [3, "1-2"]
cpu_reset_address = 0x0
flags = ["passive_commreg"]

[cell.console]
address = 0x09000000
size = "4K"
type = "pl011"
flags = ["mmio", "regdist_4"]

[[cell.memory_regions]]
phys_start = 0x70000000
virt_start = 0
size = "1M"
flags = ["read", "write", "execute", "loadable"]

[[cell.memory_regions]]
virt_start = 0x80000000
size = "4K"
flags = ["read", "write", "comm_region"]

[[cell.memory_regions]]
phys_start = 0x09000000
size = "4KiB"
flags = ["read", "write", "io", "io_32"]

[[cell.irqchips]]
address = 0x08000000
pin_base = 32
interrupts = "33, 40-41"
'''
    cell = tomlfmt.from_toml(text)
    assert cell.cpus == {1, 2, 3}
    assert cell.flags == cfg.CELL_PASSIVE_COMMREG
    assert cell.memory_regions[0].virt_start == 0
    assert cell.memory_regions[2].virt_start == 0x09000000
    assert cell.memory_regions[2].flags == 0x40013
    assert cell.irqchips[0].pin_bitmap == [0x302, 0, 0, 0]
    assert cell.console.type == cfg.CON_TYPE_PL011
    assert cfg.parse(cell.pack())[0].pack() == cell.pack()


@pytest.mark.parametrize('text, error', [
    ('[cell]\narchitecture = "arm64"\nnmae = "x"\n',
     'cell: unknown key nmae'),
    ('[cell]\nname = "x"\n', 'cell.architecture missing'),
    ('[cell]\narchitecture = "arm64"\n[[cell.memory_regions]]\n'
     'flags = ["raed"]\n',
     "cell.memory_regions[0].flags: unknown flag 'raed'"),
    ('[cell]\narchitecture = "arm64"\n[[cell.memory_regions]]\n'
     'size = "12Q"\n', "cell.memory_regions[0].size: '12Q' is not a size"),
    ('[cell]\narchitecture = "arm64"\n[[cell.irqchips]]\npin_base = 32\n'
     'interrupts = "200"\n',
     'cell.irqchips[0].interrupts: interrupt 200 outside 32..159'),
    ('[cell]\narchitecture = "arm64"\ncpus = "3-1"\n',
     "cell.cpus: empty range '3-1'"),
    ('[cell]\narchitecture = "arm64"\nname = "%s"\n' % ('x' * 32),
     'longer than 31 characters'),
    ('[cell]\narchitecture = "arm64"\n[[cell.pci_devices]]\n'
     'bdf = "00:20.0"\n', "is not a PCI address"),
    ('[system]\narchitecture = "arm64"\n[system.platform]\n'
     'gic_version = "3"\n',
     'system.platform.gic_version: expected an integer'),
    ('[cell]\narchitecture = "arm64"\n[[cell.memory_regions]]\n'
     'size = -5\n', 'cell.memory_regions[0]: size -5 does not fit'),
    ('[cell]\narchitecture = "arm64"\nvpci_irq_base = 0x100000000\n',
     'x.toml: vpci_irq_base 4294967296 does not fit'),
    ('[cell\n', 'x.toml: '),
    ('[other]\n', 'neither [system] nor [cell]'),
])
def test_errors(text, error, tmp_path):
    path = tmp_path / 'x.toml'
    path.write_text(text)
    proc = run_tool('compile', path, '-o', tmp_path / 'x.cell', check=1)
    assert error in proc.stderr
    assert not (tmp_path / 'x.cell').exists()


def test_default_output_name(tmp_path):
    path = tmp_path / 'demo.toml'
    path.write_text(tomlfmt.to_toml(make_cell('demo')))
    run_tool('compile', path, check=0)
    assert (tmp_path / 'demo.cell').read_bytes() == make_cell('demo').pack()


def test_decompile_refuses_what_toml_cannot_express(tmp_path):
    data = bytearray(make_cell('ab').pack())
    data[8 + 5] = ord('z')      # a byte behind the name's NUL
    path = tmp_path / 'odd.cell'
    path.write_bytes(bytes(data))
    proc = run_tool('decompile', path, check=1)
    assert 'cannot express' in proc.stderr
    path.write_bytes(make_cell('ab').pack() + b'\0')
    assert 'behind the end' in run_tool('decompile', path,
                                        check=1).stderr


def test_units():
    assert parse_size('64K') == 0x10000
    assert parse_size('16M') == 16 << 20
    assert parse_size('2GiB') == 2 << 30
    assert parse_size('0x1000') == 0x1000
    assert parse_size(12) == 12
    with pytest.raises(ValueError):
        parse_size('1.5G')
    assert parse_ranges('0-3,5') == [0, 1, 2, 3, 5]
    assert format_ranges([5, 0, 1, 2, 3]) == '0-3,5'
    assert format_ranges([]) == ''
