# SPDX-License-Identifier: GPL-2.0
"""jailhouse config create: the device-tree reader, and root-cell configs
generated for QEMU virt (GICv3, GICv2) and the ZCU102 that pass
config check.  The QEMU device trees are dumped at run time."""

import base64
import gzip
import os
import subprocess
import tarfile

import pytest

from config_helpers import (ARM64_CONFIGS, TOOLS, cfg, have, run_tool,
                            zcu102_dtb, dump_qemu_dtb, build_configs)
from pyjailhouse import check, fdt, pci, tomlfmt
from pyjailhouse.create import (Creator, synthesize_iomem,
                                synthesize_cpuinfo)
from pyjailhouse.sysinfo import Machine

JH_CACHE = '/var/cache/jailhouse-qemu'
needs_qemu = pytest.mark.skipif(not have('qemu-system-aarch64'),
                                reason='needs qemu-system-aarch64')
MIB = 1 << 20
# What configs/arm64/qemu-arm64.c keeps for the ivshmem links' memory
SHMEM_MIB = (0x7e000000, 0x7e200000)


@pytest.fixture(scope='module')
def dtbs(tmp_path_factory):
    if not have('qemu-system-aarch64'):
        pytest.skip('needs qemu-system-aarch64')
    out = tmp_path_factory.mktemp('dtb')
    return {v: dump_qemu_dtb(str(out / ('virt-gicv%d.dtb' % v)), v)
            for v in (2, 3)}


def machine_of(dtb, linux_mem=None):
    tree, reserved = fdt.load(dtb)
    iomem = synthesize_iomem(tree, linux_mem) if linux_mem else None
    return Machine(tree, reserved, iomem, synthesize_cpuinfo(tree), dtb)


def create(dtb, linux_mem=None, **kwargs):
    creator = Creator(machine_of(dtb, linux_mem), **kwargs)
    system = creator.create()
    return system, creator


def assert_passes_check(system):
    assert check.check(('generated.cell', system.pack())) == []


def regions(cell):
    return {(m.phys_start, m.size, m.flags) for m in cell.memory_regions}


def coverage(cell):
    """The memory regions as merged (start, end, flags) spans."""
    spans = []
    for m in sorted(cell.memory_regions, key=lambda m: m.phys_start):
        if spans and spans[-1][1] == m.phys_start and \
                spans[-1][2] == m.flags:
            spans[-1] = (spans[-1][0], m.phys_start + m.size, m.flags)
        else:
            spans.append((m.phys_start, m.phys_start + m.size, m.flags))
    return spans


# ------------------------------------------------------------- dtb reader

@pytest.mark.skipif(not have('dtc'), reason='needs dtc')
def test_fdt_parser_agrees_with_dtc(dtbs, tmp_path):
    """Our tree written as a /proc/device-tree directory reads back in dtc
    as the very tree dtc reads from the blob."""
    for dtb in list(dtbs.values()) + ([zcu102_dtb()] if zcu102_dtb()
                                      else []):
        tree, _ = fdt.load(dtb)
        directory = tmp_path / os.path.basename(dtb)
        fdt.write_dir(tree, str(directory))
        from_dir = subprocess.run(['dtc', '-s', '-q', '-I', 'fs', '-O', 'dts',
                                   str(directory)], capture_output=True,
                                  check=True).stdout
        from_blob = subprocess.run(['dtc', '-s', '-q', '-I', 'dtb', '-O',
                                    'dts', dtb], capture_output=True,
                                   check=True).stdout
        assert from_dir == from_blob


def test_fdt_errors(tmp_path):
    with pytest.raises(fdt.FdtError, match='magic'):
        fdt.parse_dtb(b'\0' * 64)
    with pytest.raises(fdt.FdtError, match='too short'):
        fdt.parse_dtb(b'\xd0\x0d')


def test_address_translation():
    root = fdt.Node('')
    root.props['#address-cells'] = (2).to_bytes(4, 'big')
    root.props['#size-cells'] = (1).to_bytes(4, 'big')
    bus = fdt.Node('bus@f0000000', root)
    root.children.append(bus)
    bus.props['#address-cells'] = (1).to_bytes(4, 'big')
    bus.props['#size-cells'] = (1).to_bytes(4, 'big')
    bus.props['ranges'] = b''.join(x.to_bytes(4, 'big') for x in
                                   (0x0, 0x1, 0xf0000000, 0x100000))
    dev = fdt.Node('dev@100', bus)
    bus.children.append(dev)
    dev.props['reg'] = b''.join(x.to_bytes(4, 'big')
                                for x in (0x100, 0x20, 0x200000, 0x10))
    # The second entry lies outside the bus's range: not memory-mapped.
    assert fdt.reg(dev) == [(0x1f0000100, 0x20)]
    del bus.props['ranges']
    assert fdt.reg(dev) == []


# ------------------------------------------------------------- QEMU virt

@needs_qemu
def test_qemu_virt_gicv3(dtbs):
    system, creator = create(dtbs[3], linux_mem=768 * MIB)
    assert_passes_check(system)
    # from the device tree alone: no PCI functions, test_no_sysfs_...
    assert len(creator.warnings) == 1 and \
        creator.warnings[0].startswith('no PCI functions known')
    plat = system.platform
    assert (plat.gic_version, plat.gicd_base, plat.gicr_base,
            plat.maintenance_irq) == (3, 0x08000000, 0x080a0000, 25)
    assert system.hypervisor_memory.phys_start == 0x7f000000
    assert system.hypervisor_memory.size == 16 * MIB
    con = system.debug_console
    assert (con.address, con.type, con.flags) == (
        0x09000000, cfg.CON_TYPE_PL011,
        cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4)
    root = system.root_cell
    assert root.cpus == {0, 1, 2, 3}
    assert root.irqchips[0].interrupts() == list(range(32, 160))
    have_regions = regions(root)
    ram = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_EXECUTE | cfg.MEM_DMA
    io_ = cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_IO
    for expected in ((0x40000000, 0x3b000000, ram),
                     (0x7b000000, 64 * MIB, ram),
                     (0x09000000, 0x1000, io_), (0x0a000000, 0x4000, io_),
                     (0x4010100000, 0x0ff00000, io_)):
        assert expected in have_regions
    # the physical PCI host: bus 0's configuration space is trapped
    assert (system.pci_mmconfig_base, system.pci_mmconfig_end_bus,
            system.pci_is_virtual, system.pci_domain) == \
        (0x4010000000, 0, 0, 0)
    gic = (0x08000000, 0x09000000)
    assert not [m for m in root.memory_regions
                if m.phys_start < gic[1] and
                gic[0] < m.phys_start + m.size]


@needs_qemu
def test_qemu_virt_gicv2(dtbs):
    system, creator = create(dtbs[2], linux_mem=768 * MIB)
    assert_passes_check(system)
    plat = system.platform
    assert (plat.gic_version, plat.gicd_base, plat.gicc_base,
            plat.gich_base, plat.gicv_base) == (
        2, 0x08000000, 0x08010000, 0x08030000, 0x08040000)
    assert plat.maintenance_irq == 25
    con = system.debug_console
    assert (con.address, con.type, con.flags) == (
        0x09000000, cfg.CON_TYPE_PL011,
        cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4)
    # The GICv2m MSI frame is the root's; the GIC frames are not.
    root = system.root_cell
    assert (0x08020000, 0x1000,
            cfg.MEM_READ | cfg.MEM_WRITE | cfg.MEM_IO) in regions(root)
    for base in (0x08000000, 0x08010000, 0x08030000, 0x08040000):
        assert not [m for m in root.memory_regions
                    if m.phys_start <= base < m.phys_start + m.size]


def without(spans, start, end):
    """@spans of coverage() with [@start, @end) cut out."""
    out = []
    for s_start, s_end, flags in spans:
        if s_start < start:
            out.append((s_start, min(s_end, start), flags))
        if s_end > end:
            out.append((max(s_start, end), s_end, flags))
    return out


@needs_qemu
def test_matches_the_shipped_qemu_config(dtbs):
    """With the shipped config's split of memory, the generated config
    covers what the hand-written qemu-arm64.c does, but for the 2 MiB of
    RAM that the shipped one keeps for the shared memory of its ivshmem
    links, which the generator knows nothing of."""
    build_configs()
    shipped = cfg.load(str(ARM64_CONFIGS / 'qemu-arm64.cell'))
    system, _ = create(dtbs[3], linux_mem=768 * MIB,
                       inmate_size=240 * MIB)
    assert system.hypervisor_memory == shipped.hypervisor_memory
    assert system.debug_console == shipped.debug_console
    assert system.platform == shipped.platform
    assert system.root_cell.cpus == shipped.root_cell.cpus
    assert system.root_cell.irqchips == shipped.root_cell.irqchips

    shmem = set()
    for dev in shipped.root_cell.pci_devices:
        if dev.type == cfg.PCI_TYPE_IVSHMEM:
            start = dev.shmem_regions_start
            shmem.update(range(start, start + 2 + dev.shmem_peers))
    links = [m for i, m in enumerate(shipped.root_cell.memory_regions)
             if i in shmem and m.size]
    start, end = SHMEM_MIB
    assert links and all(start <= m.phys_start and
                         m.phys_start + m.size <= end for m in links)
    shipped.root_cell.memory_regions = [
        m for i, m in enumerate(shipped.root_cell.memory_regions)
        if i not in shmem]
    assert without(coverage(system.root_cell), start, end) == \
        coverage(shipped.root_cell)


def zcu102_as_qemu_boots_it():
    """The ZCU102 device tree as QEMU's model with -m 2G hands it to
    Linux (one memory node, RAM at 0), Linux booted with mem=1792M."""
    tree, reserved = fdt.load(zcu102_dtb())
    tree.child('memory@0').props['reg'] = b''.join(
        x.to_bytes(4, 'big') for x in (0, 0, 0, 0x80000000))
    return Machine(tree, reserved, synthesize_iomem(tree, 1792 * MIB),
                   synthesize_cpuinfo(tree), zcu102_dtb())


@pytest.mark.parametrize('name', ['qemu-arm64-gicv2', 'zynqmp-zcu102'])
def test_agrees_with_the_shipped_configs(name, dtbs):
    """What the hand-written system configs of the new machines say about
    the hardware, the generated ones say too."""
    if not (ARM64_CONFIGS / (name + '.c')).exists():
        pytest.skip('no configs/arm64/%s.c in this tree' % name)
    if name == 'zynqmp-zcu102':
        if not zcu102_dtb():
            pytest.skip('no ZCU102 device tree in %s' % JH_CACHE)
        machine = zcu102_as_qemu_boots_it()
    else:
        machine = machine_of(dtbs[2], linux_mem=768 * MIB)
    build_configs()
    shipped = cfg.load(str(ARM64_CONFIGS / (name + '.cell')))
    system = Creator(machine, inmate_size=240 * MIB).create()
    assert system.platform == shipped.platform
    assert system.debug_console == shipped.debug_console
    assert system.hypervisor_memory == shipped.hypervisor_memory
    assert system.root_cell.cpus == shipped.root_cell.cpus


@needs_qemu
def test_linux_using_kept_memory_is_reported(dtbs):
    _, creator = create(dtbs[3], linux_mem=1024 * MIB)
    assert any('boot Linux with "mem=944M"' in w for w in creator.warnings)
    _, creator = create(dtbs[3])
    assert any('"mem=944M"' in n for n in creator.notes)


@needs_qemu
def test_sizes_are_options(dtbs, tmp_path):
    out = tmp_path / 'sys.cell'
    run_tool('create', '--dtb', dtbs[3], '--mem-hv', '8M',
             '--mem-inmates', '128M', '--name', 'virt', out, check=0)
    system = cfg.load(str(out))
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (0x7f800000, 8 * MIB)
    assert system.root_cell.name == 'virt'
    assert (0x77800000, 128 * MIB) in {
        (m.phys_start, m.size) for m in system.root_cell.memory_regions}
    proc = run_tool('create', '--dtb', dtbs[3], '--mem-inmates', '2G',
                    tmp_path / 'x.cell', check=1)
    assert 'no RAM bank has' in proc.stderr


@needs_qemu
def test_create_outputs(dtbs, tmp_path):
    """The TOML output is commented and compiles to the binary output;
    a directory tree gives the same config as the blob."""
    cell = tmp_path / 'a.cell'
    toml = tmp_path / 'a.toml'
    run_tool('create', '--dtb', dtbs[3], cell, check=0)
    proc = run_tool('create', '--dtb', dtbs[3], toml, check=0)
    assert 'Note: Linux must not use 0x7b000000-0x7fffffff' in proc.stderr
    text = toml.read_text()
    assert '# 5: virtio_mmio@a000000, virtio_mmio@a000200' in text
    assert tomlfmt.from_toml(text).pack() == cell.read_bytes()
    run_tool('check', toml, check=0)

    tree, _ = fdt.load(dtbs[3])
    directory = tmp_path / 'dt'
    fdt.write_dir(tree, str(directory))
    run_tool('create', '--dtb', directory, tmp_path / 'b.cell', check=0)
    assert (tmp_path / 'b.cell').read_bytes() == cell.read_bytes()


# ------------------------------------------------------------- ZCU102

@pytest.mark.skipif(not zcu102_dtb(), reason='no ZCU102 device tree in %s'
                    % JH_CACHE)
def test_zcu102():
    system, creator = create(zcu102_dtb(), linux_mem=4000 * MIB)
    assert_passes_check(system)
    plat = system.platform
    assert (plat.gic_version, plat.gicd_base, plat.gicc_base,
            plat.gich_base, plat.gicv_base, plat.maintenance_irq) == (
        2, 0xf9010000, 0xf9020000, 0xf9040000, 0xf9060000, 25)
    con = system.debug_console
    assert (con.address, con.size, con.type, con.flags) == (
        0xff000000, 0x1000, cfg.CON_TYPE_XUARTPS,
        cfg.CON_ACCESS_MMIO | cfg.CON_REGDIST_4)
    # The top of the upper RAM bank is kept for the hypervisor and cells.
    assert system.hypervisor_memory.phys_start == 0x87f000000
    root = system.root_cell
    assert root.cpus == {0, 1, 2, 3}
    assert (0, 0x80000000) in {(m.phys_start, m.size)
                               for m in root.memory_regions}
    assert (0xff000000, 0x1000) in {(m.phys_start, m.size)
                                    for m in root.memory_regions}
    # Disabled devices stay out (CAN 0 is disabled, CAN 1 is not).
    starts = {m.phys_start for m in root.memory_regions}
    assert 0xff060000 not in starts and 0xff070000 in starts
    # The device tree gives the GIC-400's frames 64 KiB apart, each page
    # aliased over 64 KiB: the root maps none of the aliases either.
    assert not [m for m in root.memory_regions
                if m.phys_start < 0xf9080000 and
                0xf9010000 < m.phys_start + m.size]


@pytest.mark.skipif(not zcu102_dtb(), reason='no ZCU102 device tree in %s'
                    % JH_CACHE)
def test_zcu102_as_qemu_boots_it():
    """QEMU's model gets -m 2G and Linux mem=1792M: the config keeps the
    same 0x70000000-0x7fffffff as on virt."""
    machine = zcu102_as_qemu_boots_it()
    creator = Creator(machine, inmate_size=240 * MIB)
    system = creator.create()
    assert_passes_check(system)
    assert not creator.warnings
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (0x7f000000, 16 * MIB)
    spans = {(m.phys_start, m.size) for m in system.root_cell.memory_regions}
    assert {(0, 1792 * MIB), (0x70000000, 240 * MIB)} <= spans


# ------------------------------------------------------------- collection

def fake_target(tmp_path, dtb):
    """A directory that looks like a target's / to the collector."""
    target = tmp_path / 'target'
    tree, _ = fdt.load(dtb)
    fdt.write_dir(tree, str(target / 'sys/firmware/devicetree/base'))
    os.symlink('../sys/firmware/devicetree/base',
               str(target / 'proc-dt-link'))
    (target / 'proc').mkdir()
    os.rename(str(target / 'proc-dt-link'), str(target / 'proc/device-tree'))
    (target / 'proc/iomem').write_text(synthesize_iomem(tree, 768 * MIB))
    (target / 'proc/cpuinfo').write_text(synthesize_cpuinfo(tree))
    return target


def collect(target, tarball):
    subprocess.run(['sh', str(TOOLS / 'jailhouse-config-collect'),
                    str(tarball)], check=True, capture_output=True,
                   env=dict(os.environ, JAILHOUSE_COLLECT_ROOT=str(target)))
    return tarfile.open(str(tarball)).getnames()


@needs_qemu
def test_collect_and_create_offline(dtbs, tmp_path):
    target = fake_target(tmp_path, dtbs[3])
    tarball = tmp_path / 'collected.tar.gz'
    names = collect(target, tarball)
    assert 'jailhouse-config-collect/proc/iomem' in names
    assert 'jailhouse-config-collect/proc/device-tree/pl011@9000000/reg' \
        in names

    from_tar = tmp_path / 'tar.cell'
    run_tool('create', '--tarball', tarball, from_tar, check=0)
    from_root = tmp_path / 'root.cell'
    run_tool('create', '--root', target, from_root, check=0)
    assert from_tar.read_bytes() == from_root.read_bytes()
    system, _ = create(dtbs[3], linux_mem=768 * MIB)
    assert from_tar.read_bytes() == system.pack()


@needs_qemu
def test_collect_pci_functions(dtbs, tmp_path):
    """The collector copies each function's config and resource below
    its host bridge as on the target: the tarball gives the config that
    the target's root gives, with the functions."""
    target = fake_target(tmp_path, dtbs[2])
    fake_virt_sysfs(target, 2)
    tarball = tmp_path / 'collected.tar.gz'
    names = collect(target, tarball)
    top = 'jailhouse-config-collect/'
    assert top + 'sys/bus/pci/devices/0000:00:02.0' in names
    assert top + 'sys/devices/platform/4010000000.pcie/pci0000:00/' \
        '0000:00:02.0/config' in names
    from_tar = tmp_path / 'tar.cell'
    proc = run_tool('create', '--tarball', tarball, from_tar, check=0)
    assert 'Warning' not in proc.stderr
    from_root = tmp_path / 'root.cell'
    run_tool('create', '--root', target, from_root, check=0)
    assert from_tar.read_bytes() == from_root.read_bytes()
    system = cfg.load(str(from_tar))
    assert [d.bdf for d in system.root_cell.pci_devices] == [0x00, 0x10]


def boot_collector(tmp_path):
    """Run the collector in the QEMU guest (busybox only) and return the
    tarball it made."""
    rootfs = tmp_path / 'rootfs'
    (rootfs / 'bin').mkdir(parents=True)
    busybox = os.path.join(JH_CACHE, 'root/bin/busybox')
    with open(busybox, 'rb') as src:
        (rootfs / 'bin/busybox').write_bytes(src.read())
    os.chmod(str(rootfs / 'bin/busybox'), 0o755)
    (rootfs / 'collect.sh').write_text(
        (TOOLS / 'jailhouse-config-collect').read_text())
    (rootfs / 'init').write_text(
        '#!/bin/busybox sh\n'
        '/bin/busybox mkdir -p /proc /sys /tmp /sbin /usr/bin /usr/sbin\n'
        '/bin/busybox --install -s\n'
        'mount -t proc proc /proc\n'
        'mount -t sysfs sysfs /sys\n'
        'cd /tmp && sh /collect.sh c.tar.gz > /dev/null\n'
        'echo ===BEGIN===; base64 c.tar.gz; echo ===END===\n'
        'poweroff -f\n')
    os.chmod(str(rootfs / 'init'), 0o755)
    listing = subprocess.run(['find', '.'], cwd=str(rootfs), check=True,
                             capture_output=True).stdout
    archive = subprocess.run(['cpio', '-o', '-H', 'newc', '--quiet'],
                             cwd=str(rootfs), input=listing, check=True,
                             capture_output=True).stdout
    initrd = tmp_path / 'initrd.gz'
    initrd.write_bytes(gzip.compress(archive))
    out = subprocess.run(
        ['qemu-system-aarch64', '-machine',
         'virt,gic-version=3,virtualization=on,its=off', '-cpu',
         'cortex-a57', '-smp', '4', '-m', '1G', '-nographic', '-no-reboot',
         '-kernel', os.path.join(JH_CACHE, 'vmlinuz'), '-initrd',
         str(initrd), '-append',
         'console=ttyAMA0 kvm-arm.mode=none mem=768M quiet'],
        capture_output=True, timeout=300).stdout.decode('latin-1')
    text = out.replace('\r', '')
    assert '===END===' in text, text[-2000:]
    encoded = text.split('===BEGIN===\n', 1)[1].split('===END===', 1)[0]
    return base64.b64decode(encoded)


@needs_qemu
@pytest.mark.skipif(not os.path.exists(os.path.join(JH_CACHE, 'vmlinuz')),
                    reason='no guest kernel in %s' % JH_CACHE)
def test_collect_in_qemu_guest(tmp_path, dtbs):
    """The collector runs on busybox in the guest; a config created from
    its tarball passes check and keeps Linux's RAM (mem=768M) apart."""
    tarball = tmp_path / 'guest.tar.gz'
    tarball.write_bytes(boot_collector(tmp_path))
    with tarfile.open(str(tarball)) as archive:
        iomem = archive.extractfile(
            'jailhouse-config-collect/proc/iomem').read().decode()
    assert '40000000-6fffffff : System RAM' in iomem
    out = tmp_path / 'guest.cell'
    proc = run_tool('create', '--tarball', tarball, out, check=0)
    assert 'Warning' not in proc.stderr
    run_tool('check', out, check=0)
    system = cfg.load(str(out))
    assert system.hypervisor_memory.phys_start == 0x7f000000
    expected, _ = create(dtbs[3], linux_mem=768 * MIB)
    assert coverage(system.root_cell) == coverage(expected.root_cell)
    # the collector copied the PCI functions: the host bridge is listed
    assert system.root_cell.pci_devices[0].bdf == 0x00
    assert system.platform == expected.platform
    assert system.debug_console == expected.debug_console


MINIMAL_DTS = '''/dts-v1/;
/memreserve/ 0x7f000000 0x01000000;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	model = "Minimal Board";
	interrupt-parent = <&gic>;
	chosen { stdout-path = "serial0:115200n8"; };
	aliases { serial0 = "/soc/serial@1c28000"; };
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x40000000>;
	};
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		firmware@7e000000 { reg = <0x0 0x7e000000 0x0 0x200000>; };
	};
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; reg = <0>; };
		cpu@1 { device_type = "cpu"; reg = <1>; };
	};
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0x0 0x0 0x0 0x40000000>;
		gic: interrupt-controller@1c81000 {
			compatible = "arm,gic-400";
			interrupt-controller;
			#interrupt-cells = <3>;
			reg = <0x1c81000 0x1000>, <0x1c82000 0x2000>,
			      <0x1c84000 0x2000>, <0x1c86000 0x2000>;
			interrupts = <1 9 0xf04>;
		};
		serial@1c28000 {
			compatible = "snps,dw-apb-uart";
			reg = <0x1c28000 0x400>;
			reg-shift = <2>;
			interrupts = <0 200 4>;
		};
		disabled@1c30000 {
			reg = <0x1c30000 0x1000>;
			status = "disabled";
		};
	};
};
'''


@pytest.mark.skipif(not have('dtc'), reason='needs dtc')
def test_minimal_board(tmp_path):
    """Reservations stay clear of the kept memory, a UART the hypervisor
    does not drive, a GIC frame next to devices, interrupts above 159."""
    (tmp_path / 'b.dts').write_text(MINIMAL_DTS)
    dtb = tmp_path / 'b.dtb'
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', str(dtb),
                    str(tmp_path / 'b.dts')], check=True)
    system, creator = create(str(dtb), inmate_size=16 * MIB)
    assert_passes_check(system)
    # 0x7f000000-0x7fffffff (/memreserve/) and 0x7e000000-0x7e1fffff
    # (reserved-memory) are firmware's: the kept memory goes below.
    assert system.hypervisor_memory.phys_start == 0x7d000000
    root = system.root_cell
    assert root.name == 'minimal-board'
    assert root.cpus == {0, 1}
    # The hypervisor has no 8250 driver: no debug console, and a warning
    # that says why.
    assert system.debug_console == cfg.Console()
    assert creator.warnings == [
        'console /soc/serial@1c28000 is a UART of type 8250, which the '
        'hypervisor does not drive: the debug console is off']
    spans = {(m.phys_start, m.size) for m in root.memory_regions}
    assert (0x1c28000, 0x1000) in spans
    assert not [s for s in spans if s[0] <= 0x1c30000 < s[0] + s[1]]
    assert [c.pin_base for c in root.irqchips] == [32, 160]
    assert root.irqchips[1].interrupts() == list(range(160, 233))
    # The reserved RAM stays the root's, as firmware may share it.
    assert (0x7e000000, 0x2000000) in spans


# ------------------------------------------------------------- PCI in sysfs

# The configuration space of QEMU 7.2 virt's functions as root Linux shows
# them (od -An -tx1 -v /sys/bus/pci/devices/*/config, booted with
# "-device virtio-net-pci,addr=2,romfile=" as scripts/qemu-run.sh adds it);
# the rest of the 256 bytes is zero.  00:00.0 is the host bridge (no BARs,
# no capabilities).  On GICv3 without ITS QEMU has no MSI controller and
# leaves MSI-X out; on GICv2 the GICv2m frame serves it: MSI-X at 0x98 at
# the head of the list, its table in BAR 1.
HOST_BRIDGE_CONFIG = """
36 1b 08 00 00 00 00 00 00 00 00 06 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 f4 1a 00 11
"""
VIRTIO_NET_CONFIG = {3: """
f4 1a 00 10 00 00 10 00 00 00 00 02 00 00 00 00
01 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0c 00 00 00 80 00 00 00 00 00 00 00 f4 1a 01 00
00 00 00 00 84 00 00 00 00 00 00 00 00 01 00 00
09 00 10 01 04 00 00 00 00 00 00 00 00 10 00 00
09 40 10 03 04 00 00 00 00 10 00 00 00 10 00 00
09 50 10 04 04 00 00 00 00 20 00 00 00 10 00 00
09 60 14 02 04 00 00 00 00 30 00 00 00 10 00 00
04 00 00 00 09 70 14 05 00 00 00 00 00 00 00 00
""", 2: """
f4 1a 00 10 00 00 10 00 00 00 00 02 00 00 00 00
01 10 00 00 00 00 00 10 00 00 00 00 00 00 00 00
0c 00 00 00 80 00 00 00 00 00 00 00 f4 1a 01 00
00 00 00 00 98 00 00 00 00 00 00 00 00 01 00 00
09 00 10 01 04 00 00 00 00 00 00 00 00 10 00 00
09 40 10 03 04 00 00 00 00 10 00 00 00 10 00 00
09 50 10 04 04 00 00 00 00 20 00 00 00 10 00 00
09 60 14 02 04 00 00 00 00 30 00 00 00 10 00 00
04 00 00 00 09 70 14 05 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 11 84 03 00 01 00 00 00
01 08 00 00 00 00 00 00 00 00 00 00 00 00 00 00
"""}
# Their "resource" lines (start, end, flags), all-zero lines left out:
# BAR 0 I/O (IORESOURCE_IO | SIZEALIGN), BAR 1 the MSI-X table, BAR 4
# 64-bit prefetchable memory.
VIRTIO_NET_RESOURCE = {
    3: {0: (0x1000, 0x101f, 0x40101),
        4: (0x8000000000, 0x8000003fff, 0x14220c)},
    2: {0: (0x1000, 0x101f, 0x40101), 1: (0x10000000, 0x10000fff, 0x40200),
        4: (0x8000000000, 0x8000003fff, 0x14220c)},
}
VIRT_HOST = '4010000000.pcie'


def config_bytes(text, size=256):
    data = bytes.fromhex(text)
    return data + bytes(size - len(data))


def add_function(target, name, config, resources=None, host=VIRT_HOST):
    """A function in a fake sysfs below @target as Linux lays it out:
    its directory below the host bridge's platform device, a link to it
    in sys/bus/pci/devices; @resources maps BAR numbers to (start, end,
    flags), "resource" has Linux's 13 lines."""
    rel = 'devices/platform/%s/pci%s/%s' % (host, name[:7], name)
    directory = target / 'sys' / rel
    directory.mkdir(parents=True)
    (directory / 'config').write_bytes(config)
    lines = [(resources or {}).get(i, (0, 0, 0)) for i in range(13)]
    (directory / 'resource').write_text(''.join(
        '0x%016x 0x%016x 0x%016x\n' % line for line in lines))
    links = target / 'sys/bus/pci/devices'
    links.mkdir(parents=True, exist_ok=True)
    os.symlink('../../../' + rel, str(links / name))


def fake_virt_sysfs(target, gic):
    add_function(target, '0000:00:00.0', config_bytes(HOST_BRIDGE_CONFIG))
    add_function(target, '0000:00:02.0', config_bytes(VIRTIO_NET_CONFIG[gic]),
                 VIRTIO_NET_RESOURCE[gic])


def test_bar_mask_and_capabilities(tmp_path):
    fake_virt_sysfs(tmp_path, 2)
    bridge, net = pci.read_sysfs(str(tmp_path))
    assert (bridge.domain, bridge.bdf, bridge.vendor, bridge.device,
            bridge.class_code) == (0, 0x00, 0x1b36, 0x0008, 0x060000)
    assert pci.bar_mask(bridge) == [0] * 6
    assert pci.capabilities(bridge) == []
    assert (net.bdf, net.vendor, net.device) == (0x10, 0x1af4, 0x1000)
    assert net.below(VIRT_HOST) and not net.is_bridge()
    # I/O BAR 0 of 32 bytes, the 4 KiB MSI-X table, 16 KiB of 64-bit
    # memory as a lower and an upper word.
    assert pci.bar_mask(net) == [0xffffffe0, 0xfffff000, 0, 0, 0xffffc000,
                                 0xffffffff]
    write = cfg.PCICAP_FLAGS['write']
    assert [(c.id, c.start, c.len, c.flags)
            for c in pci.capabilities(net)] == [
        (0x11, 0x98, 12, write), (0x09, 0x84, 0x14, 0),
        (0x09, 0x70, 0x14, 0), (0x09, 0x60, 0x10, 0),
        (0x09, 0x50, 0x10, 0), (0x09, 0x40, 0x10, 0)]


def test_msi_pm_express_and_extended_capabilities():
    """The lengths the specifications give, writable where root Linux
    writes, an extended list behind the standard one, a capability
    clipped where its neighbour starts."""
    config = bytearray(4096)
    config[0:4] = bytes.fromhex('86808a15')
    config[6] = pci.STATUS_CAP_LIST
    config[0x34] = 0x40
    config[0x40:0x44] = bytes((pci.CAP_PM, 0x50, 0x03, 0x00))
    # MSI, 64-bit and maskable: 24 bytes
    config[0x50:0x54] = bytes((pci.CAP_MSI, 0x70, 0x80, 0x01))
    # PCI Express version 2
    config[0x70:0x74] = bytes((pci.CAP_EXP, 0xb0, 0x02, 0x00))
    # an ID without a known length, and MSI 32-bit only 4 bytes before
    # the end of the list's space: both end where the room ends
    config[0xb0:0xb2] = bytes((0x0a, 0xf8))
    config[0xf8:0xfc] = bytes((pci.CAP_MSI, 0x00, 0x00, 0x00))
    # AER, then a vendor-specific one of 0x18 bytes, then serial number
    config[0x100:0x104] = (0x14010001).to_bytes(4, 'little')
    config[0x140:0x144] = (0x1a01000b).to_bytes(4, 'little')
    config[0x144:0x148] = (0x01800001).to_bytes(4, 'little')
    config[0x1a0:0x1a4] = (0x00010003).to_bytes(4, 'little')
    function = pci.Function(0, 0x08, bytes(config), [])
    write = cfg.PCICAP_FLAGS['write']
    ext = cfg.PCI_EXT_CAP
    assert [(c.id, c.start, c.len, c.flags)
            for c in pci.capabilities(function)] == [
        (0x01, 0x40, 8, write), (0x05, 0x50, 24, write),
        (0x10, 0x70, 0x3c, write), (0x0a, 0xb0, 0x48, 0),
        (0x05, 0xf8, 8, write), (ext | 0x01, 0x100, 0x40, 0),
        (ext | 0x0b, 0x140, 0x18, 0), (ext | 0x03, 0x1a0, 0x0c, 0)]
    # Read without privileges: the header only, no capabilities.
    assert pci.capabilities(pci.Function(0, 0x08, bytes(config[:64]),
                                         [])) == []


def test_bar_mask_of_32bit_memory_and_io():
    function = pci.Function(0, 0, bytes(256), [
        (0xe000, 0xe0ff, pci.IORESOURCE_IO),
        (0x10000000, 0x100fffff, pci.IORESOURCE_MEM),
        (0, 0, 0),
        (0x8000000000, 0x81ffffffff, pci.IORESOURCE_MEM |
         pci.IORESOURCE_MEM_64),
        (0, 0, 0), (0, 0, 0), (0xc0000, 0xdffff, pci.IORESOURCE_MEM)])
    # 8 GiB: the upper word too; the ROM (line 6) is no BAR.
    assert pci.bar_mask(function) == [0xffffff00, 0xfff00000, 0,
                                      0x00000000, 0xfffffffe, 0]


def virt_machine(dtbs, gic, target):
    machine = machine_of(dtbs[gic], linux_mem=768 * MIB)
    machine.pci = pci.read_sysfs(str(target))
    return machine


@needs_qemu
@pytest.mark.parametrize('gic, name', [(3, 'qemu-arm64'),
                                       (2, 'qemu-arm64-gicv2')])
def test_pci_devices_match_the_shipped_configs(dtbs, tmp_path, gic, name):
    """From virt's sysfs the root config lists its functions as the
    hand-written configs do (but for their virtual ivshmem devices):
    00:00.0 bare, 00:02.0 with its BARs and capabilities."""
    fake_virt_sysfs(tmp_path, gic)
    creator = Creator(virt_machine(dtbs, gic, tmp_path),
                      inmate_size=240 * MIB)
    system = creator.create()
    assert creator.warnings == []
    assert_passes_check(system)
    build_configs()
    shipped = cfg.load(str(ARM64_CONFIGS / (name + '.cell'))).root_cell
    assert system.root_cell.pci_devices == [
        d for d in shipped.pci_devices if d.type == cfg.PCI_TYPE_DEVICE]
    caps = system.root_cell.pci_caps
    if gic == 2:
        # the list's order; the shipped config names MSI-X last
        assert caps[0].id == 0x11
        caps = caps[1:] + caps[:1]
    assert caps == shipped.pci_caps
    assert creator.pci_notes == ['00:00.0: 1b36:0008, class 060000',
                                 '00:02.0: 1af4:1000, class 020000']


def pci_warning(creator):
    return [w for w in creator.warnings if 'PCI' in w]


@needs_qemu
def test_no_sysfs_no_pci_devices(dtbs):
    """Offline (--dtb, --tarball) the functions are unknown: none listed,
    and a warning that says what that means."""
    system, creator = create(dtbs[3], linux_mem=768 * MIB)
    assert system.root_cell.pci_devices == []
    assert creator.warnings == [
        'no PCI functions known (they are read from /sys/bus/pci/devices '
        'on the target): the config lists none, so root Linux loses every '
        'PCI device of bus 0 of /pcie@10000000 once the hypervisor runs; '
        'add them by hand (pci_devices, pci_caps)']


@needs_qemu
def test_bridges_other_buses_and_domains(dtbs, tmp_path):
    """A bridge on bus 0 is left out with a warning; the functions behind
    it, those of another host and a function read without privileges
    (header only) are handled as they deserve."""
    fake_virt_sysfs(tmp_path, 3)
    bridge = bytearray(config_bytes(HOST_BRIDGE_CONFIG))
    bridge[0:4] = bytes.fromhex('361b0c00')
    bridge[pci.CFG_HEADER_TYPE] = pci.HEADER_BRIDGE
    bridge[pci.CFG_SECONDARY_BUS:pci.CFG_SUBORDINATE_BUS + 1] = b'\1\1'
    add_function(tmp_path, '0000:00:01.0', bytes(bridge))
    add_function(tmp_path, '0000:01:00.0', config_bytes(VIRTIO_NET_CONFIG[3]),
                 VIRTIO_NET_RESOURCE[3])
    add_function(tmp_path, '0000:00:03.0',
                 config_bytes(VIRTIO_NET_CONFIG[3])[:64],
                 VIRTIO_NET_RESOURCE[3])
    add_function(tmp_path, '0001:00:00.0', config_bytes(HOST_BRIDGE_CONFIG),
                 host='30000000.pcie')
    creator = Creator(virt_machine(dtbs, 3, tmp_path))
    system = creator.create()
    assert_passes_check(system)
    root = system.root_cell
    assert [(d.domain, d.bdf) for d in root.pci_devices] == [
        (0, 0x00), (0, 0x10), (0, 0x18)]
    assert root.pci_devices[2].num_caps == 0
    assert root.pci_devices[2].bar_mask == root.pci_devices[1].bar_mask
    assert creator.warnings == [
        'PCI 0000:00:01.0 is a bridge, which the hypervisor gives no cell, '
        'the root neither: left out, root Linux does not see it once the '
        'hypervisor runs; the functions behind it (buses 1-1) are not '
        'handled, they stay the root\'s through the ECAM it maps and cannot '
        'be given to cells',
        'PCI 0000:00:03.0: only the header of the configuration space was '
        'readable (read as root): capabilities unknown, none listed']


@needs_qemu
def test_linux_domain_is_the_config_domain(dtbs, tmp_path):
    """Linux numbered the host's domain itself (no linux,pci-domain): the
    config takes its number, which the driver finds the devices by."""
    add_function(tmp_path, '0002:00:00.0', config_bytes(HOST_BRIDGE_CONFIG))
    creator = Creator(virt_machine(dtbs, 3, tmp_path))
    system = creator.create()
    assert system.pci_domain == 2
    assert [(d.domain, d.bdf) for d in system.root_cell.pci_devices] == [
        (2, 0)]


@needs_qemu
def test_create_on_the_target_with_pci(dtbs, tmp_path):
    """--root reads sysfs; the TOML names each function and compiles to
    the binary output."""
    target = fake_target(tmp_path, dtbs[2])
    fake_virt_sysfs(target, 2)
    cell = tmp_path / 'virt.cell'
    toml = tmp_path / 'virt.toml'
    proc = run_tool('create', '--root', target, cell, check=0)
    assert 'PCI' not in proc.stderr
    run_tool('create', '--root', target, toml, check=0)
    text = toml.read_text()
    assert '[[cell.pci_devices]]  # 1: 00:02.0: 1af4:1000, class 020000' \
        in text
    assert tomlfmt.from_toml(text).pack() == cell.read_bytes()
    system = cfg.load(str(cell))
    assert [d.bdf for d in system.root_cell.pci_devices] == [0x00, 0x10]
    assert len(system.root_cell.pci_caps) == 6
