# SPDX-License-Identifier: GPL-2.0
"""jailhouse cell linux (tools/cell-linux.c, tools/fdt.c), built for the
host against a fake root: /proc/device-tree and the CPUs' of_node links
made from the device tree QEMU gives its virt machine (dumpdtb), the
driver's ioctls logged by tests/unit/tools/ioctl-spy.c."""

import gzip
import os
import re
import struct
import subprocess

import pytest

from config_helpers import (ARM64_CONFIGS, TREE, build_configs, cfg,
                            cli_sources, have)

LINUX_DEMO = ARM64_CONFIGS / 'qemu-arm64-linux-demo.cell'
# shared/ABI.md 1.2, 1.3, 1.5: where the demo's regions and irqchip are
CELL_DESC_SIZE = 132
MEM_REGION_SIZE = 32
DEMO_REGIONS = CELL_DESC_SIZE + 8       # behind its one CPU set word
DEMO_NUM_REGIONS = 9                    # 4, its ivshmem link's 4, BAR 4
DEMO_IRQCHIP = DEMO_REGIONS + DEMO_NUM_REGIONS * MEM_REGION_SIZE
MEM_ROOTSHARED = 0x80
SPY_SRC = TREE / 'tests' / 'unit' / 'tools' / 'ioctl-spy.c'
MIB = 1 << 20
QEMU_ECAM = 0x4010000000                # QEMU virt's PCIe host, high ECAM
VIRTUAL_ECAM = 0xb000000                # a virtual host where QEMU has none
PCI_SPI = 5                             # the demo's 00:02.0: INTx pin 1


def fdt_to_dir(blob, path):
    """Write a device tree blob out as Linux shows it in /proc/device-tree:
    a directory per node, a file per property."""
    magic, _, off_struct, off_strings = struct.unpack_from('>4I', blob)
    assert magic == 0xd00dfeed
    pos, stack = off_struct, []
    while True:
        token, = struct.unpack_from('>I', blob, pos)
        pos += 4
        if token == 1:
            end = blob.index(b'\0', pos)
            name = blob[pos:end].decode()
            pos = (end + 4) & ~3
            stack.append(os.path.join(stack[-1], name) if stack else path)
            os.makedirs(stack[-1], exist_ok=True)
        elif token == 2:
            stack.pop()
        elif token == 3:
            length, nameoff = struct.unpack_from('>2I', blob, pos)
            pos += 8
            nend = blob.index(b'\0', off_strings + nameoff)
            name = blob[off_strings + nameoff:nend].decode()
            with open(os.path.join(stack[-1], name), 'wb') as f:
                f.write(blob[pos:pos + length])
            pos = (pos + length + 3) & ~3
        elif token == 9:
            return
        else:
            assert token == 4


def qemu_dtb(tmp_path, gic):
    out = tmp_path / ('virt-gicv%d.dtb' % gic)
    machine = 'virt,gic-version=%d,virtualization=on' % gic
    if gic == 3:
        machine += ',its=off'
    subprocess.run(['qemu-system-aarch64', '-machine',
                    machine + ',dumpdtb=%s' % out, '-cpu', 'cortex-a57',
                    '-smp', '4', '-m', '1G', '-nographic'],
                   check=True, capture_output=True)
    return out


def kernel_image(payload=4096, text_offset=0, image_size=16 * MIB,
                 magic=b'ARM\x64'):
    # an EFI stub kernel's: the PE header's offset behind the magic
    header = struct.pack('<II6Q', 0x14000010, 0, text_offset, image_size,
                         0xa, 0, 0, 0) + magic + struct.pack('<I', 0x40)
    return header + b'\xaa' * payload


def dts(path):
    return subprocess.run(['dtc', '-I', 'dtb', '-O', 'dts', str(path)],
                          check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope='module')
def tool(tmp_path_factory):
    for prog in ('gcc', 'dtc', 'qemu-system-aarch64'):
        if not have(prog):
            pytest.skip('needs ' + prog)
    build_configs()
    build = tmp_path_factory.mktemp('cell-linux')
    root = build / 'root'
    binary, spy = build / 'jailhouse', build / 'ioctl-spy.so'
    subprocess.run(['gcc', '-O2', '-Wall', '-Werror',
                    '-I%s' % (TREE / 'include'),
                    '-DJAILHOUSE_ROOT_PREFIX="%s"' % root, '-o', str(binary)]
                   + cli_sources(),
                   check=True)
    subprocess.run(['gcc', '-O2', '-shared', '-fPIC',
                    '-I%s' % (TREE / 'include'), '-o', str(spy),
                    str(SPY_SRC)], check=True)
    return build, root, binary, spy


@pytest.fixture(params=[3, 2], ids=['gicv3', 'gicv2'])
def machine(request, tool, tmp_path):
    """A fake root of QEMU virt with the GIC version of the parameter; a
    function running the tool there, returning (process, ioctl log)."""
    build, root, binary, spy = tool
    gic = request.param
    dtb = qemu_dtb(tmp_path, gic)
    subprocess.run(['rm', '-rf', str(root)], check=True)
    fdt_to_dir(dtb.read_bytes(), str(root / 'proc' / 'device-tree'))
    for cpu in range(4):
        cpudir = root / 'sys' / 'devices' / 'system' / 'cpu' / ('cpu%d' % cpu)
        cpudir.mkdir(parents=True)
        os.symlink(root / 'proc' / 'device-tree' / 'cpus' / ('cpu@%d' % cpu),
                   cpudir / 'of_node')
    (root / 'dev').mkdir()
    (root / 'dev' / 'jailhouse').write_bytes(b'')
    # what the driver shows while enabled: QEMU's PCIe host (its ECAM)
    sysfs = root / 'sys' / 'devices' / 'jailhouse'
    sysfs.mkdir(parents=True)
    (sysfs / 'pci_mmconfig_base').write_text('0x%x\n' % QEMU_ECAM)
    log = tmp_path / 'ioctl.log'

    def run(*args, errno=None):
        if log.exists():
            log.unlink()
        env = dict(os.environ, LD_PRELOAD=str(spy), IOCTL_LOG=str(log))
        if errno:
            env['IOCTL_ERRNO'] = str(errno)
        proc = subprocess.run([str(binary), 'cell', 'linux'] +
                              [str(a) for a in args], capture_output=True,
                              text=True, env=env)
        return proc, log.read_text() if log.exists() else ''
    run.gic = gic
    run.dtb = dtb
    run.tool = tool
    return run


def demo_config(own_uart=False, own_virtio=True,
                spis=1 << PCI_SPI | 0xff << 16):
    """The demo cell's config, changed: the UART (region 0) its own
    rather than shared with the root, the virtio page (region 1) shared
    rather than its own, the SPIs of its irqchip (bitmap word 0)."""
    config = bytearray(LINUX_DEMO.read_bytes())
    for region, own in ((0, own_uart), (1, own_virtio)):
        at = DEMO_REGIONS + region * MEM_REGION_SIZE + 24
        flags, = struct.unpack_from('<Q', config, at)
        flags = flags & ~MEM_ROOTSHARED if own else flags | MEM_ROOTSHARED
        struct.pack_into('<Q', config, at, flags)
    struct.pack_into('<I', config, DEMO_IRQCHIP + 16, spis)
    return bytes(config)


def images(log):
    return [(int(m.group(1)), int(m.group(2), 16)) for m in
            re.finditer(r'image size=(\d+) target=0x([0-9a-f]+)', log)]


def test_builds_tree_and_boots(machine, tmp_path):
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    initrd = tmp_path / 'initrd'
    initrd.write_bytes(b'\x55' * 10000)
    out = tmp_path / 'cell.dtb'
    proc, log = machine(LINUX_DEMO, kernel, '-i', initrd, '-w', out)
    assert proc.returncode == 0, proc.stderr
    assert 'kernel at 0x76200000-0x771fffff' in proc.stdout
    assert log.splitlines()[0].startswith('CELL_CREATE')
    assert 'CELL_LOAD id=-1 name="linux-demo" images=4' in log
    assert log.splitlines()[-1] == 'CELL_START id=-1 name="linux-demo"'
    loaded = images(log)
    assert loaded[0] == (40, 0x76000000)
    assert loaded[1] == (len(kernel_image()), 0x76200000)
    assert loaded[2][1] == 0x77200000
    assert loaded[3] == (10000, 0x77200000 + ((loaded[2][0] + 4095) & ~4095))
    # the stub: ldr x0/x4 of its two literals, then dtb and kernel
    assert re.search(r'image size=40 target=0x76000000 '
                     r'data=c0000058e4000058', log)
    assert out.stat().st_size == loaded[2][0]

    text = dts(out)
    assert 'reg = <0x00 0x76000000 0x00 0x8000000>;' in text
    # seeds for the cell's random number generator and KASLR
    # (64 and 8 bytes, which dtc shows as 32-bit cells)
    assert re.search(r'rng-seed = <(0x[0-9a-f]+ ?){16}>;', text), text
    assert re.search(r'kaslr-seed = <(0x[0-9a-f]+ ?){2}>;', text), text
    # CMA sized to the cell: 8 MiB of its 128, not the kernel's 64
    assert re.search(r'reserved-memory \{\s*#address-cells = <0x02>;'
                     r'\s*#size-cells = <0x02>;\s*ranges;'
                     r'\s*linux,cma \{\s*compatible = "shared-dma-pool";'
                     r'\s*reusable;\s*size = <0x00 0x800000>;'
                     r'\s*alignment = <0x00 0x400000>;'
                     r'\s*linux,cma-default;', text), text
    assert re.search(r'cpu@2 \{[^}]*reg = <0x00 0x02>;[^}]*'
                     r'enable-method = "psci";', text)
    assert 'cpu@3 {' in text and 'cpu@1 {' not in text
    assert 'method = "smc";' in text
    assert 'arm,armv8-timer' in text
    if machine.gic == 3:
        assert 'compatible = "arm,gic-v3";' in text
        assert 'reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000' in text
    else:
        assert 'compatible = "arm,cortex-a15-gic";' in text
        assert re.search(r'reg = <0x00 0x8000000 0x00 0x10000 '
                         r'0x00 0x8010000 0x00 0x10000>;', text)
    # the early console on the root's UART, then the virtio console
    assert ('bootargs = "earlycon=pl011,mmio32,0x9000000 console=hvc0";'
            in text)
    start = 0x77200000 + ((loaded[2][0] + 4095) & ~4095)
    assert 'linux,initrd-start = <0x00 %#x>;' % start in text
    assert 'linux,initrd-end = <0x00 %#x>;' % (start + 10000) in text
    # the cell's console has no node: the root's driver keeps the UART
    assert 'pl011' not in text.replace('earlycon=pl011', '')
    # the virtio-mmio transports of the cell's own page, and no other
    assert re.search(r'virtio_mmio@a000000 \{\s*compatible = "virtio,mmio";'
                     r'\s*reg = <0x00 0xa000000 0x00 0x200>;'
                     r'\s*interrupts = <0x00 0x10 0x01>;\s*dma-coherent;'
                     r'\s*\};', text)
    assert sorted(re.findall(r'virtio_mmio@(\w+)', text)) == \
        ['%x' % (0xa000000 + 0x200 * n) for n in range(8)]


def test_gzip_kernel_and_cmdline(machine, tmp_path):
    kernel = tmp_path / 'vmlinuz'
    kernel.write_bytes(gzip.compress(kernel_image(payload=100000)))
    out = tmp_path / 'cell.dtb'
    proc, log = machine(LINUX_DEMO, kernel, '-c', 'console=hvc0 quiet',
                        '-w', out)
    assert proc.returncode == 0, proc.stderr
    assert 'images=3' in log
    assert images(log)[1] == (len(kernel_image(payload=100000)), 0x76200000)
    text = dts(out)
    assert 'bootargs = "console=hvc0 quiet";' in text
    assert 'linux,initrd' not in text


def test_patches_user_tree(machine, tmp_path):
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    out = tmp_path / 'cell.dtb'
    proc, _ = machine(LINUX_DEMO, kernel, '-d', machine.dtb, '-c', 'x=1',
                      '-w', out)
    assert proc.returncode == 0, proc.stderr
    text, orig = dts(out), dts(machine.dtb)
    assert 'memory@40000000' not in text
    assert 'memory@76000000 {' in text
    assert 'bootargs = "x=1";' in text
    assert 'rng-seed = <' in text and 'kaslr-seed = <' in text
    # everything else of the user's tree is still there, in order
    nodes = re.findall(r'^\t(\S+) \{', text, re.M)
    orig_nodes = re.findall(r'^\t(\S+) \{', orig, re.M)
    assert [n for n in orig_nodes if n != 'memory@40000000'] == \
        [n for n in nodes if n != 'memory@76000000']
    assert orig.count('virtio_mmio@') == text.count('virtio_mmio@')


@pytest.mark.parametrize('image,message', [
    (kernel_image(magic=b'ARM\x65'), 'not an arm64 Linux Image'),
    (kernel_image(image_size=0), 'image_size is 0'),
    (kernel_image(image_size=200 * MIB), 'cannot hold kernel'),
    (b'\x1f\x8bnot gzip', 'unpacking with gzip failed'),
])
def test_refuses_bad_kernels(machine, tmp_path, image, message):
    kernel = tmp_path / 'Image'
    kernel.write_bytes(image)
    proc, log = machine(LINUX_DEMO, kernel)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert log == ''


def test_refuses_bad_device_tree(machine, tmp_path):
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    bad = tmp_path / 'bad.dtb'
    blob = bytearray(machine.dtb.read_bytes())
    blob[8:12] = struct.pack('>I', len(blob) + 4)  # struct past the end
    bad.write_bytes(bytes(blob))
    proc, log = machine(LINUX_DEMO, kernel, '-d', bad)
    assert proc.returncode == 1
    assert 'not a valid device tree blob' in proc.stderr
    assert log == ''


def test_create_refused(machine, tmp_path):
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    proc, log = machine(LINUX_DEMO, kernel, errno=16)
    # the spy fails every ioctl: the create already
    assert proc.returncode == 1
    assert 'JAILHOUSE_CELL_CREATE: Device or resource busy' in proc.stderr


def test_usage(machine):
    for args in ([LINUX_DEMO], [LINUX_DEMO, 'a', 'b'], [LINUX_DEMO, 'k',
                                                          '-x'],
                 [LINUX_DEMO, 'k', '-d']):
        proc, _ = machine(*args)
        assert proc.returncode == 1
        assert 'Usage:' in proc.stderr


def test_reset_address_outside_ram(machine, tmp_path):
    config = bytearray(LINUX_DEMO.read_bytes())
    struct.pack_into('<Q', config, 84, 0x80000000)  # the comm region
    cell = tmp_path / 'bad.cell'
    cell.write_bytes(bytes(config))
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    proc, log = machine(cell, kernel)
    assert proc.returncode == 1
    assert 'in no loadable RAM region' in proc.stderr
    assert log == ''


def test_own_console_gets_node(machine, tmp_path):
    """A UART the cell owns (not root-shared): the root's node, clocks as
    fixed clocks, console= naming it."""
    cell = tmp_path / 'own-uart.cell'
    cell.write_bytes(demo_config(own_uart=True,
                                 spis=1 << PCI_SPI | 0xff << 16 | 1 << 1))
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    out = tmp_path / 'cell.dtb'
    proc, _ = machine(cell, kernel, '-w', out)
    assert proc.returncode == 0, proc.stderr
    text = dts(out)
    assert re.search(r'pl011@9000000 \{[^}]*compatible = "arm,pl011\\0'
                     r'arm,primecell";[^}]*reg = <0x00 0x9000000 0x00 '
                     r'0x1000>;[^}]*interrupts = <0x00 0x01 0x04>;'
                     r'[^}]*clocks = <0x03 0x04>;', text)
    assert text.count('clock-frequency = <0x16e3600>;') == 2
    assert 'stdout-path = "/pl011@9000000";' in text
    assert 'bootargs = "console=ttyAMA0";' in text


def test_no_own_devices_keeps_early_console(machine, tmp_path):
    """Without a device of its own (the virtio page shared with the root)
    the cell gets no device node and keeps the early console."""
    cell = tmp_path / 'shared.cell'
    cell.write_bytes(demo_config(own_virtio=False))
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    out = tmp_path / 'cell.dtb'
    proc, _ = machine(cell, kernel, '-w', out)
    assert proc.returncode == 0, proc.stderr
    text = dts(out)
    assert 'virtio' not in text
    assert ('bootargs = "earlycon=pl011,mmio32,0x9000000 keep_bootcon";'
            in text)


def test_refuses_device_without_its_interrupt(machine, tmp_path):
    """A device in the cell's own region whose interrupt is the root's."""
    cell = tmp_path / 'no-irq.cell'
    cell.write_bytes(demo_config(spis=1 << PCI_SPI | 0xfe << 16))
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    proc, log = machine(cell, kernel)
    assert proc.returncode == 1
    assert ('virtio_mmio@a000000: its interrupt 48 (SPI 16) is not in the '
            "cell's irqchip bitmap" in proc.stderr)
    assert log == ''


def virtual_pci_cell():
    """The demo cell with its ivshmem device alone, for a virtual host."""
    cell, _ = cfg.parse(LINUX_DEMO.read_bytes())
    cell.pci_devices = [dev for dev in cell.pci_devices
                        if dev.type == cfg.PCI_TYPE_IVSHMEM]
    for dev in cell.pci_devices:
        dev.domain = 1
    return cell.pack()


def test_virtual_pci_host(machine, tmp_path):
    """A cell with an ivshmem device and no generic ECAM host of the root
    at the driver's address gets the virtual host there, its window, and
    INTx pins 1-4 mapped to the cell's SPIs from vpci_irq_base,
    edge-triggered.  Without the driver's address, no cell."""
    vpci_irq_base, = struct.unpack_from('<I', LINUX_DEMO.read_bytes(), 80)
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    cell = tmp_path / 'vpci.cell'
    cell.write_bytes(virtual_pci_cell())
    out = tmp_path / 'cell.dtb'

    build, root, binary, spy = machine.tool
    ecam = root / 'sys' / 'devices' / 'jailhouse' / 'pci_mmconfig_base'
    ecam.unlink()
    proc, log = machine(cell, kernel, '-w', out)
    assert proc.returncode != 0
    assert 'pci_mmconfig_base' in proc.stderr
    assert log == ''

    ecam.write_text('0x%x\n' % VIRTUAL_ECAM)
    proc, _ = machine(cell, kernel, '-w', out)
    assert proc.returncode == 0, proc.stderr
    text = dts(out)
    node = re.search(r'pci@b000000 \{([^}]*)\}', text).group(1)
    assert 'compatible = "pci-host-ecam-generic";' in node
    assert 'reg = <0x00 0xb000000 0x00 0x100000>;' in node
    assert 'ranges = <0x2000000 0x00 0xb100000 0x00 0xb100000 0x00 ' \
        '0x100000>;' in node
    assert 'linux,pci-domain = <0x01>;' in node
    pins = re.search(r'interrupt-map = <([^>]*)>;', node).group(1).split()
    assert len(pins) == 40
    for pin in range(4):
        entry = [int(c, 16) for c in pins[pin * 10:pin * 10 + 10]]
        assert entry[3] == pin + 1
        assert entry[7:] == [0, vpci_irq_base + pin, 1]


def test_physical_pci_host(machine, tmp_path):
    """The shipped demo on QEMU's generic ECAM host at pci_mmconfig_base:
    the cell gets bus 0 of it, its BAR 4 region in the 64-bit window, a
    MiB of the 32-bit window for its ivshmem BAR, the root's
    interrupt-map entries of its device's slot and its own SPIs for the
    ivshmem slot."""
    vpci_irq_base, = struct.unpack_from('<I', LINUX_DEMO.read_bytes(), 80)
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    out = tmp_path / 'cell.dtb'

    proc, _ = machine(LINUX_DEMO, kernel, '-w', out)
    assert proc.returncode == 0, proc.stderr
    text = dts(out)
    node = re.search(r'pci@4010000000 \{([^}]*)\}', text).group(1)
    assert 'compatible = "pci-host-ecam-generic";' in node
    assert 'reg = <0x40 0x10000000 0x00 0x100000>;' in node
    assert 'bus-range = <0x00 0x00>;' in node
    assert 'linux,pci-domain = <0x00>;' in node
    assert 'dma-coherent;' in node
    assert 'linux,pci-probe-only' not in node
    assert 'ranges = <0x3000000 0x80 0x00 0x80 0x00 0x00 0x4000 ' \
        '0x2000000 0x00 0x10000000 0x00 0x10000000 0x00 0x100000>;' in node
    assert 'interrupt-map-mask = <0xf800 0x00 0x00 0x07>;' in node
    cells = [int(c, 16) for c in re.search(
        r'interrupt-map = <([^>]*)>;', node).group(1).split()]
    entries = [cells[i:i + 10] for i in range(0, len(cells), 10)]
    # in the config's order, 00:02.0 first: QEMU's swizzle, slot 2 pin n
    # is SPI 3 + (2 + n - 1) % 4, level; then the ivshmem slot 0x0d
    assert [e[:4] for e in entries] == \
        [[0x1000, 0, 0, pin] for pin in range(1, 5)] + \
        [[0x6800, 0, 0, pin] for pin in range(1, 5)]
    for pin in range(4):
        assert entries[pin][4:] == [1, 0, 0, 0, 3 + (2 + pin) % 4, 4]
        assert entries[4 + pin][4:] == [1, 0, 0, 0, vpci_irq_base + pin, 1]
    assert entries[0][8] == PCI_SPI


def msix_cell(num_spis=2):
    """The demo (MSI-X on its ivshmem device) with @num_spis MSI SPIs after
    its INTx SPIs."""
    cell, _ = cfg.parse(LINUX_DEMO.read_bytes())
    for dev in cell.pci_devices:
        if dev.type == cfg.PCI_TYPE_IVSHMEM:
            assert dev.num_msix_vectors == 1
    chip = cell.irqchips[0]
    first = 32 + cell.vpci_irq_base + cfg.VPCI_MSI_FIRST
    msi = set(range(first, first + cfg.VPCI_MAX_MSI_SPIS))
    chip.set_interrupts(sorted(set(chip.interrupts()) - msi |
                               set(range(first, first + num_spis))))
    return cell.pack()


def test_msix_controller(machine, tmp_path):
    """A cell whose ivshmem device has MSI-X vectors: on GICv3 the GIC
    node is its MSI controller with the cell's MSI SPIs as mbi-ranges, on
    GICv2 a virtual GICv2m frame in the page below the ECAM with those
    SPIs; the PCI host's msi-parent names it.  Without MSI SPIs, no
    cell."""
    vpci_irq_base, = struct.unpack_from('<I', LINUX_DEMO.read_bytes(), 80)
    first = 32 + vpci_irq_base + cfg.VPCI_MSI_FIRST
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    cell = tmp_path / 'msix.cell'
    cell.write_bytes(msix_cell())
    out = tmp_path / 'cell.dtb'

    proc, _ = machine(cell, kernel, '-w', out)
    assert proc.returncode == 0, proc.stderr
    text = dts(out)
    host = re.search(r'pci@4010000000 \{([^}]*)\}', text).group(1)
    gic = re.search(r'interrupt-controller@8000000 \{([^}]*)\}',
                    text).group(1)
    if machine.gic == 3:
        assert 'msi-controller;' in gic
        assert 'mbi-ranges = <0x%x 0x02>;' % first in gic
        assert 'msi-parent = <0x01>;' in host
        assert 'v2m' not in text
    else:
        assert 'ranges;' in gic
        frame = re.search(r'v2m@400ffff000 \{([^}]*)\}', text).group(1)
        assert 'compatible = "arm,gic-v2m-frame";' in frame
        assert 'msi-controller;' in frame
        assert 'reg = <0x40 0xffff000 0x00 0x1000>;' in frame
        assert 'arm,msi-base-spi = <0x%x>;' % first in frame
        assert 'arm,msi-num-spis = <0x02>;' in frame
        assert 'phandle = <0x02>;' in frame
        assert 'msi-parent = <0x02>;' in host
        assert 'mbi-ranges' not in text

    cell.write_bytes(msix_cell(num_spis=0))
    proc, log = machine(cell, kernel, '-w', out)
    assert proc.returncode != 0
    assert 'does not own SPI %d (vpci_irq_base + 4)' % \
        (first - 32) in proc.stderr
    assert log == ''


def bus1_pci_cell():
    """The demo with its ivshmem device on bus 1."""
    cell, _ = cfg.parse(LINUX_DEMO.read_bytes())
    for dev in cell.pci_devices:
        if dev.type == cfg.PCI_TYPE_IVSHMEM:
            dev.bdf |= 0x100
    return cell.pack()


def test_physical_pci_refusals(machine, tmp_path):
    """A device of the machine needs the machine's host; the cell's host
    has bus 0 only."""
    kernel = tmp_path / 'Image'
    kernel.write_bytes(kernel_image())
    build, root, binary, spy = machine.tool
    ecam = root / 'sys' / 'devices' / 'jailhouse' / 'pci_mmconfig_base'
    ecam.write_text('0x%x\n' % VIRTUAL_ECAM)
    proc, log = machine(LINUX_DEMO, kernel)
    assert proc.returncode == 1
    assert ('the cell has PCI devices of the machine, but the root\'s '
            'device tree has no generic ECAM host at 0xb000000'
            in proc.stderr)
    assert log == ''

    ecam.write_text('0x%x\n' % QEMU_ECAM)
    cell = tmp_path / 'pci.cell'
    cell.write_bytes(bus1_pci_cell())
    proc, log = machine(cell, kernel)
    assert proc.returncode == 1
    assert ("PCI device 01:0d.0: the cell's PCI host has bus 0 only"
            in proc.stderr)
    assert log == ''
