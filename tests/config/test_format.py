# SPDX-License-Identifier: GPL-2.0
"""The binary format in Python against include/jailhouse/cell-config.h
and ivshmem.h: the C compiler tells the constants, sizes and offsets, so
that the headers stay the one source of truth."""

import re
import subprocess

import pytest

from config_helpers import (TREE, cfg, have, make_system, make_cell,
                            add_ivshmem, run_tool)

# Python table -> prefix of the C names; special names map explicitly.
TABLES = (
    (cfg.ARCHITECTURES, 'JAILHOUSE_', {}),
    (cfg.SYS_FLAGS, 'JAILHOUSE_SYS_', {}),
    (cfg.CELL_FLAGS, 'JAILHOUSE_CELL_', {}),
    (cfg.CON_TYPES, 'JAILHOUSE_CON_TYPE_', {'imx_lpuart': 'IMX_LPUART'}),
    (cfg.CON_FLAGS, 'JAILHOUSE_CON_', {'mmio': 'ACCESS_MMIO',
                                       'fb_1920x1080': 'FB_1920x1080'}),
    (cfg.MEM_FLAGS, 'JAILHOUSE_MEM_', {}),
    (cfg.CACHE_TYPES, 'JAILHOUSE_CACHE_', {}),
    (cfg.CACHE_FLAGS, 'JAILHOUSE_CACHE_', {}),
    (cfg.PCI_TYPES, 'JAILHOUSE_PCI_TYPE_', {}),
    (cfg.PCICAP_FLAGS, 'JAILHOUSE_PCICAPS_', {}),
    (cfg.IOMMU_TYPES, 'JAILHOUSE_IOMMU_', {}),
    (cfg.APIC_MODES, 'JAILHOUSE_APIC_MODE_', {}),
    (cfg.SHMEM_PROTOCOLS, 'JAILHOUSE_SHMEM_PROTO_', {
        'virtio_front_net': 'VIRTIO_FRONT + VIRTIO_DEV_NET',
        'virtio_front_block': 'VIRTIO_FRONT + VIRTIO_DEV_BLOCK',
        'virtio_front_console': 'VIRTIO_FRONT + VIRTIO_DEV_CONSOLE',
        'virtio_back_net': 'VIRTIO_BACK + VIRTIO_DEV_NET',
        'virtio_back_block': 'VIRTIO_BACK + VIRTIO_DEV_BLOCK',
        'virtio_back_console': 'VIRTIO_BACK + VIRTIO_DEV_CONSOLE'}),
)

SCALARS = {
    'REVISION': 'JAILHOUSE_CONFIG_REVISION',
    'NAME_MAXLEN': 'JAILHOUSE_CELL_NAME_MAXLEN',
    'MAX_IOMMU_UNITS': 'JAILHOUSE_MAX_IOMMU_UNITS',
    'SIGNATURE_SIZE': 'JAILHOUSE_SIGNATURE_SIZE',
    'MEM_IO_WIDTH_SHIFT': 'JAILHOUSE_MEM_IO_WIDTH_SHIFT',
    'MEM_IO_WIDTH_MASK': 'JAILHOUSE_MEM_IO_WIDTH_MASK',
    'PCI_EXT_CAP': 'JAILHOUSE_PCI_EXT_CAP',
    'CELL_DESC_SIZE': 'sizeof(struct jailhouse_cell_desc)',
    'SYSTEM_HEADER_SIZE': 'offsetof(struct jailhouse_system, root_cell)',
    'IVSHMEM_MAX_PEERS': 'IVSHMEM_MAX_PEERS',
    'VPCI_ECAM_SIZE': 'JAILHOUSE_VPCI_ECAM_SIZE',
    'VPCI_BAR_WINDOW_SIZE': 'JAILHOUSE_VPCI_BAR_WINDOW_SIZE',
    'IVSHMEM_MAX_MSIX_VECTORS': 'IVSHMEM_MAX_MSIX_VECTORS',
    'VPCI_MSI_FIRST': 'JAILHOUSE_VPCI_MSI_FIRST',
    'VPCI_MAX_MSI_SPIS': 'JAILHOUSE_VPCI_MAX_MSI_SPIS',
    'VPCI_MSI_FRAME_SIZE': 'JAILHOUSE_VPCI_MSI_FRAME_SIZE',
}

STRUCTS = {
    cfg.Console: 'struct jailhouse_console',
    cfg.Memory: 'struct jailhouse_memory',
    cfg.Cache: 'struct jailhouse_cache',
    cfg.Irqchip: 'struct jailhouse_irqchip',
    cfg.Pio: 'struct jailhouse_pio',
    cfg.PciDevice: 'struct jailhouse_pci_device',
    cfg.PciCap: 'struct jailhouse_pci_capability',
    cfg.Iommu: 'struct jailhouse_iommu',
}

# Offsets of fields the Python records lay out themselves.
OFFSETS = {
    'struct jailhouse_pci_device': ('bar_mask', 'caps_start',
                                    'num_msi_vectors', 'num_msix_vectors',
                                    'msix_address', 'shmem_regions_start',
                                    'shmem_protocol'),
    'struct jailhouse_cell_desc': ('name', 'id', 'cpu_set_size',
                                   'num_stream_ids', 'cpu_reset_address',
                                   'console'),
    'struct jailhouse_system': ('hypervisor_memory', 'debug_console',
                                'platform_info.pci_mmconfig_base',
                                'platform_info.iommu_units',
                                'platform_info.arm.gicd_base',
                                'platform_info.arm.gicr_base',
                                'platform_info.x86.tsc_khz'),
}


def expressions():
    """(python name, python value, C expression) to compare."""
    out = []
    for table, prefix, special in TABLES:
        for name, value in table.items():
            c_name = special.get(name, name.upper())
            expr = ' + '.join(prefix + part if not part.startswith('VIRTIO_D')
                              else part for part in c_name.split(' + '))
            out.append((name, value, expr))
    for py_name, expr in SCALARS.items():
        out.append((py_name, getattr(cfg, py_name), expr))
    for record, c_type in STRUCTS.items():
        out.append((record.__name__, record.SIZE, 'sizeof(%s)' % c_type))
    for name, mask in cfg.IVSHMEM_BAR_MASKS.items():
        for n, value in enumerate(mask):
            out.append(('IVSHMEM_BAR_MASKS[%s][%d]' % (name, n), value,
                        '((__u32[6])JAILHOUSE_IVSHMEM_BAR_MASK_%s)[%d]' %
                        (name.upper(), n)))
    for slot in range(8):
        out.append(('vpci_intx_pin(%d)' % slot, cfg.vpci_intx_pin(slot),
                    'JAILHOUSE_VPCI_INTX_PIN(%d)' % slot))
    return out


def c_values(tmp_path, exprs, includes=()):
    source = ['#include <stddef.h>', '#include <stdio.h>',
              '#include <jailhouse/cell-config.h>',
              '#include <jailhouse/ivshmem.h>'] + list(includes) + \
        ['int main(void) {']
    for expr in exprs:
        source.append('printf("%%llu\\n", (unsigned long long)(%s));' % expr)
    source.append('return 0; }')
    (tmp_path / 't.c').write_text('\n'.join(source))
    subprocess.run(['gcc', '-I', str(TREE / 'include'), '-o',
                    str(tmp_path / 't'), str(tmp_path / 't.c')], check=True)
    out = subprocess.run([str(tmp_path / 't')], check=True,
                         capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_constants_and_sizes_match_header(tmp_path):
    checks = expressions()
    values = c_values(tmp_path, [e for _, _, e in checks])
    wrong = ['%s = %d, C %s = %d' % (name, value, expr, c)
             for (name, value, expr), c in zip(checks, values) if c != value]
    assert not wrong


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_field_offsets_match_header(tmp_path):
    exprs = []
    for c_type, fields in OFFSETS.items():
        exprs.extend('offsetof(%s, %s)' % (c_type, f) for f in fields)
    values = dict(zip(exprs, c_values(tmp_path, exprs)))
    dev = 'struct jailhouse_pci_device'
    assert values['offsetof(%s, msix_address)' % dev] == 40
    assert values['offsetof(%s, shmem_regions_start)' % dev] == 48
    assert values['offsetof(%s, shmem_protocol)' % dev] == 54
    assert values['offsetof(%s, num_msix_vectors)' % dev] == 36
    desc = 'struct jailhouse_cell_desc'
    assert values['offsetof(%s, console)' % desc] == 100
    assert values['offsetof(%s, cpu_reset_address)' % desc] == 84
    sys_ = 'struct jailhouse_system'
    assert values['offsetof(%s, platform_info.arm.gicd_base)' % sys_] == \
        312 + 4
    assert values['offsetof(%s, platform_info.arm.gicr_base)' % sys_] == \
        312 + 36
    assert values['offsetof(%s, platform_info.x86.tsc_khz)' % sys_] == \
        312 + 8
    assert values['offsetof(%s, platform_info.iommu_units)' % sys_] == 88


# x86 parts of the ABI (shared/ABI.md 1.6, 1.9, 1.10, 3): C expression,
# offset or size.
X86_ABI = (
    ('sizeof(struct jailhouse_pio)', 4),
    ('offsetof(struct jailhouse_pio, length)', 2),
    ('offsetof(struct jailhouse_iommu, amd.bdf)', 16),
    ('offsetof(struct jailhouse_iommu, amd.base_cap)', 18),
    ('offsetof(struct jailhouse_iommu, amd.msi_cap)', 19),
    ('offsetof(struct jailhouse_iommu, amd.features)', 20),
    ('offsetof(struct jailhouse_system, platform_info.x86.pm_timer_address)',
     312),
    ('offsetof(struct jailhouse_system, platform_info.x86.apic_mode)', 314),
    ('offsetof(struct jailhouse_system, '
     'platform_info.x86.vtd_interrupt_limit)', 316),
    ('offsetof(struct jailhouse_system, platform_info.x86.tsc_khz)', 320),
    ('offsetof(struct jailhouse_system, platform_info.x86.apic_khz)', 324),
    ('offsetof(struct jailhouse_irqchip, id)', 8),
    ('offsetof(struct jailhouse_irqchip, pin_bitmap)', 16),
    ('offsetof(struct jailhouse_comm_region, pci_mmconfig_base)', 56),
    ('offsetof(struct jailhouse_comm_region, x86.pm_timer_address)', 64),
    ('offsetof(struct jailhouse_comm_region, x86.num_cpus)', 66),
    ('offsetof(struct jailhouse_comm_region, x86.tsc_khz)', 68),
    ('offsetof(struct jailhouse_comm_region, x86.apic_khz)', 72),
    ('((struct jailhouse_pio)PIO_RANGE(0x3f8, 8)).base', 0x3f8),
    ('((struct jailhouse_pio)PIO_RANGE(0x3f8, 8)).length', 8),
)


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_x86_layout_matches_abi(tmp_path):
    """The x86 parts of the headers where the ABI puts them, the
    comm region's (hypercall.h) included."""
    values = c_values(tmp_path, [e for e, _ in X86_ABI],
                      ['#include <jailhouse/hypercall.h>'])
    wrong = ['%s = %d, ABI %d' % (expr, c, abi)
             for (expr, abi), c in zip(X86_ABI, values) if c != abi]
    assert not wrong
    assert cfg.Pio.SIZE == 4 and cfg.X86Platform.SIZE == cfg.PLATFORM_SIZE
    assert cfg.Iommu.AMD.size == 12


def test_pack_parse_round_trip():
    system = make_system()
    add_ivshmem(system.root_cell, 0x7e000000, 0)
    system.root_cell.pci_caps = [cfg.PciCap(id=0x8001, start=0x100, len=4,
                                            flags=1)]
    system.root_cell.stream_ids = [1, 2, 0xffffffff]
    system.root_cell.cache_regions = [cfg.Cache(start=0, size=4, type=3)]
    system.root_cell.pio_regions = [cfg.Pio(base=0x3f8, length=8)]
    system.iommu_units[0] = cfg.Iommu(type=cfg.IOMMU_SMMUV3,
                                      base=0x09050000, size=0x20000)
    data = system.pack()
    parsed, trailing = cfg.parse(data)
    assert trailing == 0
    assert parsed.pack() == data
    assert parsed.root_cell.stream_ids == [1, 2, 0xffffffff]
    assert parsed.root_cell.pci_devices[0].shmem_peers == 2

    cell = make_cell('c', cpus={1, 70})
    data = cell.pack()
    assert len(data) == cfg.CELL_DESC_SIZE + 16 + 2 * 32 + 32
    parsed, _ = cfg.parse(data)
    assert parsed.cpus == {1, 70} and parsed.pack() == data


def test_parse_errors():
    with pytest.raises(cfg.ConfigError, match='not even a signature'):
        cfg.parse(b'JH')
    with pytest.raises(cfg.ConfigError, match='wrong signature'):
        cfg.parse(b'ABCDEFGH' * 100)
    name = bytearray(make_cell('c').pack())
    name[8:40] = b'x' * 32
    with pytest.raises(cfg.ConfigError, match='not NUL-terminated'):
        cfg.parse(bytes(name))


def test_show(tmp_path):
    system = make_system()
    add_ivshmem(system.root_cell, 0x7e000000, 0)
    path = tmp_path / 'sys.cell'
    path.write_bytes(system.pack())
    out = run_tool('show', path, check=0).stdout
    assert 'System configuration, arm64, revision 14' in out
    assert 'Hypervisor memory: 0x7f000000-0x7fffffff (16 MiB)' in out
    assert 'pl011 at 0x9000000, 4 KiB, flags mmio, regdist_4' in out
    assert 'GICv3, GICD 0x8000000, GICR 0x80a0000' in out
    assert 'CPUs:              0-3' in out
    assert '0x40000000-0x6fffffff' in out and \
        'read, write, execute, dma' in out
    assert 'pins 32-159: 32-159' in out
    assert 'ivshmem, peer 0 of 2, regions from #3, protocol veth' in out

    cell = make_cell('inmate', cpus={2, 3})
    path = tmp_path / 'cell.cell'
    path.write_bytes(cell.pack())
    out = run_tool('show', path, check=0).stdout
    assert 'Cell configuration "inmate", arm64' in out
    assert 'comm region at guest 0x80000000' in out
    assert 'CPUs:              2-3' in out

    path.write_bytes(cell.pack()[:-3])
    proc = run_tool('show', path, check=1)
    assert 'truncated' in proc.stderr


def build_users_config(tmp_path, name):
    """tests/config/users/NAME.c built as configs/Makefile builds a .cell,
    with the host's compiler; return the parsed cell."""
    obj = tmp_path / (name + '.o')
    cell = tmp_path / (name + '.cell')
    subprocess.run(['gcc', '-O2', '-Wall', '-Werror', '-fdata-sections',
                    '-fno-common', '-I', str(TREE / 'include'), '-c',
                    '-o', str(obj),
                    str(TREE / 'tests/config/users' / (name + '.c'))],
                   check=True)
    subprocess.run(['objcopy', '-O', 'binary', '-j', '.data.config',
                    '-j', '.rodata.config', str(obj), str(cell)],
                   check=True)
    parsed, trailing = cfg.parse(cell.read_bytes())
    assert trailing == 0
    return parsed


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_users_stream_ids(tmp_path):
    """Both forms of union jailhouse_stream_id (shared/ABI.md 1.2)."""
    cell = build_users_config(tmp_path, 'stream-ids')
    assert cell.stream_ids == [0x860, 0x7f << 16 | 0x870, 0x7fff]


@pytest.mark.skipif(not have('gcc'), reason='needs gcc')
def test_users_ivshmem_bar_masks(tmp_path):
    """The standard ivshmem BAR mask names (shared/ABI.md 1.7)."""
    cell = build_users_config(tmp_path, 'ivshmem-bar-masks')
    assert [dev.bar_mask for dev in cell.pci_devices] == [
        [0xfffff000, 0, 0, 0, 0, 0],
        [0xfffff000, 0xfffff000, 0, 0, 0, 0],
        [0xffff0000, 0, 0, 0, 0, 0],
        [0xffff0000, 0xffff0000, 0, 0, 0, 0]]


def test_debug_consoles_are_the_hypervisors():
    """config check accepts the debug consoles that hypervisor/ has a
    driver for (arch/arm64/uart-*.c), no more, no fewer."""
    drivers = {}
    for path in (TREE / 'hypervisor/arch/arm64').glob('uart-*.c'):
        for name in re.findall(r'JAILHOUSE_CON_TYPE_(\w+)',
                               path.read_text()):
            drivers[name.lower()] = path.name
    accepted = {cfg.con_type_name(t) for t in cfg.ARM64_DEBUG_CONSOLE_TYPES
                if t != cfg.CON_TYPE_NONE}
    assert accepted == set(drivers), drivers
    assert cfg.CON_TYPE_NONE in cfg.ARM64_DEBUG_CONSOLE_TYPES


def test_gic_versions_are_the_hypervisors():
    """config check accepts the GIC versions that hypervisor/ has a
    driver for (arch/arm64/gic-vN.c)."""
    drivers = {int(m.group(1)) for m in
               (re.fullmatch(r'gic-v(\d+)\.c', p.name) for p in
                (TREE / 'hypervisor/arch/arm64').iterdir()) if m}
    assert set(cfg.ARM64_GIC_VERSIONS) == drivers
