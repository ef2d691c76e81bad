# SPDX-License-Identifier: GPL-2.0
"""jailhouse config check: each check with a configuration that breaks it
and a similar one that does not."""

import pytest

from config_helpers import (ARM64_CONFIGS, cfg, irqchip, make_system,
                            make_cell, add_ivshmem, run_tool, build_configs,
                            MEM_RW, GICD, GICR, UART, set_attr, region,
                            check_case_tests)
from pyjailhouse import check

IVSHMEM = 0x7e000000


def setup():
    """Root and two cells; the root and cell1 share an ivshmem device
    whose INTx is interrupt 132 in the root, 72 in cell1."""
    system = make_system()
    system.root_cell.vpci_irq_base = 100
    add_ivshmem(system.root_cell, IVSHMEM, 0)
    cell1 = make_cell('cell1', cpus={1}, ram=0x70000000, irqs=[72])
    cell1.vpci_irq_base = 40
    add_ivshmem(cell1, IVSHMEM, 1)
    cell2 = make_cell('cell2', cpus={2}, ram=0x70100000, irqs=[73])
    return system, [cell1, cell2]


def shmem_region(cell, k):
    dev = cell.pci_devices[0]
    return cell.memory_regions[dev.shmem_regions_start + k]


def share(s, c, flags1, flags2):
    region(c[0], 0x70400000, 0x1000, MEM_RW | flags1, virt=0x400000)
    region(c[1], 0x70400000, 0x1000, MEM_RW | flags2, virt=0x400000)


def ivshmem_devs(s, c, **values):
    """Set @values in the ivshmem device of the root and of cell1."""
    for cell in (s.root_cell, c[0]):
        set_attr(cell.pci_devices[0], **values)


def relocate_shmem(cell, guest):
    """Move the ivshmem regions of @cell to guest address @guest, one
    after the other."""
    dev = cell.pci_devices[0]
    for k in range(2 + dev.shmem_peers):
        mem = shmem_region(cell, k)
        if mem.size:
            mem.virt_start = guest
            guest += mem.size


def pci_dev(cell, bdf):
    cell.pci_devices.append(cfg.PciDevice(type=cfg.PCI_TYPE_DEVICE,
                                          domain=1, bdf=bdf))


def gicv2(s, **bases):
    """Make the system's GIC the GICv2 of QEMU virt with gic-version=2,
    some of its @bases replaced."""
    values = dict(gic_version=2, gicd_base=GICD, gicc_base=0x08010000,
                  gich_base=0x08030000, gicv_base=0x08040000, gicr_base=0)
    values.update(bases)
    set_attr(s.platform, **values)


def msix_cell1(c, vectors=4, bar_mask='msix', irqs=(72, 76)):
    """Give cell1's ivshmem device MSI-X @vectors and the cell the MSI SPI
    after its INTx SPIs (vpci_irq_base 40 + 4: interrupt 76)."""
    set_attr(c[0].pci_devices[0], num_msix_vectors=vectors,
             bar_mask=cfg.IVSHMEM_BAR_MASKS[bar_mask])
    set_attr(c[0], irqchips=[irqchip(list(irqs))])


# name: (break it, a similar change that is fine, expected problem text)
CASES = {
    'overlap-guest-physical': (
        lambda s, c: region(c[0], 0x70200000, 0x1000, MEM_RW,
                            virt=0x80000),
        lambda s, c: region(c[0], 0x70200000, 0x1000, MEM_RW,
                            virt=0x200000),
        'overlaps memory region #0 (0x70000000-0x700fffff at guest 0x0) '
        'in guest-physical space'),
    'overlap-physical': (
        lambda s, c: region(c[0], 0x70000000, 0x1000, MEM_RW,
                            virt=0x300000),
        lambda s, c: region(c[0], 0x70300000, 0x1000, MEM_RW,
                            virt=0x300000),
        'in physical memory'),
    'root-overlaps-hypervisor': (
        lambda s, c: region(s.root_cell, 0x7f800000, 0x1000, MEM_RW),
        lambda s, c: region(s.root_cell, 0x7ef00000, 0x1000, MEM_RW),
        'root cell "root": memory region #7 (0x7f800000-0x7f800fff): '
        'overlaps hypervisor memory 0x7f000000-0x7fffffff'),
    'cell-overlaps-hypervisor': (
        lambda s, c: set_attr(c[1].memory_regions[0],
                              phys_start=0x7f000000),
        lambda s, c: set_attr(c[1].memory_regions[0],
                              phys_start=0x70200000),
        'cell "cell2": memory region #0 (0x7f000000-0x7f0fffff at guest '
        '0x0): overlaps hypervisor memory'),
    'shared-not-rootshared': (
        lambda s, c: share(s, c, cfg.MEM_ROOTSHARED, 0),
        lambda s, c: share(s, c, cfg.MEM_ROOTSHARED, cfg.MEM_ROOTSHARED),
        'memory shared between cells must be rootshared on both sides, it '
        'is not in cell2.cell: cell "cell2"'),
    'cpu-in-two-cells': (
        lambda s, c: set_attr(c[1], cpus={1, 2}),
        lambda s, c: set_attr(c[1], cpus={2, 3}),
        'cell "cell2": CPU 1 also belongs to cell1.cell: cell "cell1"'),
    'cpu-0-given-away': (
        lambda s, c: set_attr(c[1], cpus={0}),
        lambda s, c: set_attr(c[1], cpus={3}),
        'takes CPU 0'),
    'all-root-cpus-given-away': (
        lambda s, c: set_attr(c[1], cpus={0, 2, 3}),
        lambda s, c: set_attr(c[1], cpus={2, 3}),
        'root cell "root": all its CPUs (0-3) are given to other cells'),
    'cpu-not-in-root': (
        lambda s, c: set_attr(c[1], cpus={5}),
        lambda s, c: set_attr(c[1], cpus={3}),
        'CPU 5 not the root cell\'s'),
    'interrupt-claimed-twice': (
        lambda s, c: set_attr(c[1], irqchips=[irqchip([72])]),
        lambda s, c: set_attr(c[1], irqchips=[irqchip([74])]),
        'cell "cell2": irqchip #0: interrupt 72 also claimed by '),
    'interrupt-not-root': (
        lambda s, c: set_attr(c[1], irqchips=[irqchip([200], 160)]),
        lambda s, c: set_attr(c[1], irqchips=[irqchip([150], 32)]),
        'irqchip #0 at 0x8000000: interrupts 200 not owned by the root '
        'cell'),
    'console-not-mapped': (
        lambda s, c: set_attr(c[1].console, address=UART, size=0x1000,
                              type=cfg.CON_TYPE_PL011,
                              flags=cfg.CON_ACCESS_MMIO),
        lambda s, c: c.__setitem__(1, make_cell('cell2', {2}, 0x70100000,
                                                [73], uart=UART)),
        'cell "cell2": console 0x9000000-0x9000fff: not mapped'),
    'comm-region-not-mapped': (
        lambda s, c: c[1].memory_regions.pop(1),
        lambda s, c: None,
        'cell "cell2": no comm region mapped'),
    'unaligned-not-io': (
        lambda s, c: region(c[1], 0x70200800, 0x800, MEM_RW,
                            virt=0x200800),
        lambda s, c: region(c[1], 0x70200800, 0x800, MEM_RW | cfg.MEM_IO,
                            virt=0x200800),
        'phys_start, virt_start, size not page aligned and not an I/O '
        'region'),
    'ivshmem-regions-disagree': (
        lambda s, c: set_attr(shmem_region(c[0], 3),
                              phys_start=IVSHMEM + 0x31000,
                              virt_start=IVSHMEM + 0x31000),
        lambda s, c: None,
        'ivshmem 0001:00:00.0: region 3 of the device differs from'),
    'ivshmem-ids-disagree': (
        lambda s, c: set_attr(c[0].pci_devices[0], shmem_dev_id=0),
        lambda s, c: None,
        'ivshmem 0001:00:00.0: peer id 0 also used by'),
    'ivshmem-peers-disagree': (
        lambda s, c: set_attr(c[0].pci_devices[0], shmem_peers=3),
        lambda s, c: None,
        'ivshmem 0001:00:00.0: 3 peers, sys.cell: root cell "root" says 2'),
    'ivshmem-protocol-disagree': (
        lambda s, c: set_attr(c[0].pci_devices[0], shmem_protocol=0x4001),
        lambda s, c: None,
        'protocol 0x4001'),
    'ivshmem-output-writable': (
        lambda s, c: set_attr(shmem_region(c[0], 2),
                              flags=shmem_region(c[0], 2).flags |
                              cfg.MEM_WRITE),
        lambda s, c: None,
        'ivshmem output section of peer 0 must be writable by that peer '
        'only (this cell is peer 1)'),
    'ivshmem-state-writable': (
        lambda s, c: set_attr(shmem_region(c[0], 0),
                              flags=shmem_region(c[0], 0).flags |
                              cfg.MEM_WRITE),
        lambda s, c: None,
        'ivshmem state table must be read-only'),
    'ivshmem-not-rootshared': (
        lambda s, c: set_attr(shmem_region(c[0], 3),
                              flags=cfg.MEM_READ | cfg.MEM_WRITE),
        lambda s, c: None,
        'ivshmem region of a non-root cell must be rootshared'),
    'ivshmem-same-memory-other-bdf': (
        lambda s, c: set_attr(c[0].pci_devices[0], bdf=0x08),
        lambda s, c: None,
        'cell "cell1": PCI device #0 0001:00:01.0: ivshmem with the state '
        'table at 0x7e000000, which is 0001:00:00.0 in sys.cell: root cell '
        '"root": all peers of a link use the same BDF'),
    'ivshmem-too-many-peers': (
        lambda s, c: ivshmem_devs(s, c, shmem_peers=17),
        lambda s, c: None,
        'ivshmem peer id 0 of 17 peers (ids from 0 to peers - 1, 1 to 16 '
        'peers)'),
    'ivshmem-id-out-of-range': (
        lambda s, c: set_attr(c[0].pci_devices[0], shmem_dev_id=2),
        lambda s, c: None,
        'cell "cell1": PCI device #0 0001:00:00.0: ivshmem peer id 2 of 2 '
        'peers'),
    'ivshmem-not-consecutive': (
        lambda s, c: set_attr(shmem_region(c[0], 3),
                              virt_start=IVSHMEM + 0x21000),
        lambda s, c: relocate_shmem(c[0], 0x90000000),
        'memory region #5 (0x7e011000-0x7e020fff at guest 0x7e021000): '
        'ivshmem region at guest 0x7e021000, expected 0x7e011000'),
    'ivshmem-output-sizes': (
        lambda s, c: set_attr(shmem_region(c[0], 3), size=0x20000),
        lambda s, c: None,
        'ivshmem output sections of 0x10000 and 0x20000 bytes; the device '
        'has one size for all peers'),
    'ivshmem-rw-section-read-only': (
        lambda s, c: set_attr(shmem_region(c[0], 1),
                              phys_start=IVSHMEM + 0x21000,
                              virt_start=IVSHMEM + 0x21000, size=0x1000,
                              flags=cfg.MEM_READ | cfg.MEM_ROOTSHARED),
        lambda s, c: None,
        'ivshmem read/write section must be readable and writable'),
    'ivshmem-msix-mask-without-vectors': (
        lambda s, c: set_attr(c[0].pci_devices[0],
                              bar_mask=cfg.IVSHMEM_BAR_MASKS['msix']),
        lambda s, c: set_attr(c[0].pci_devices[0],
                              bar_mask=cfg.IVSHMEM_BAR_MASKS['intx_64k']),
        'ivshmem bar_mask 0xfffff000 0xfffff000 0x0 0x0 0x0 0x0 is none of '
        'JAILHOUSE_IVSHMEM_BAR_MASK_INTX, JAILHOUSE_IVSHMEM_BAR_MASK_INTX_64K '
        '(no MSI-X vectors)'),
    'ivshmem-msix-vectors-without-table': (
        lambda s, c: set_attr(c[0].pci_devices[0], num_msix_vectors=4),
        lambda s, c: msix_cell1(c),
        'ivshmem bar_mask 0xfffff000 0x0 0x0 0x0 0x0 0x0 is none of '
        'JAILHOUSE_IVSHMEM_BAR_MASK_MSIX, JAILHOUSE_IVSHMEM_BAR_MASK_MSIX_64K '
        '(with 4 MSI-X vectors)'),
    'ivshmem-msix-without-msi-spis': (
        lambda s, c: msix_cell1(c, irqs=[72]),
        lambda s, c: msix_cell1(c, bar_mask='msix_64k'),
        'cell "cell1": PCI device #0 0001:00:00.0: MSI-X needs MSI SPIs of '
        'the cell from vpci_irq_base + 4: it does not own SPI 44 (interrupt '
        '76)'),
    'ivshmem-msix-too-many-vectors': (
        lambda s, c: msix_cell1(c, vectors=65),
        lambda s, c: msix_cell1(c, vectors=64),
        'ivshmem with 65 MSI-X vectors, at most 64'),
    'ivshmem-msi': (
        lambda s, c: set_attr(c[0].pci_devices[0], num_msi_vectors=1),
        lambda s, c: None,
        'ivshmem with 1 MSI vectors; the device has INTx or MSI-X'),
    'ivshmem-msix-gicv2m-frame-mapped': (
        lambda s, c: (gicv2(s), msix_cell1(c),
                      region(c[0], 0x70300000, 0x1000, MEM_RW,
                             virt=0x08dff000)),
        lambda s, c: (gicv2(s), msix_cell1(c),
                      region(c[0], 0x70300000, 0x1000, MEM_RW,
                             virt=0x08de0000)),
        'cell "cell1": memory region #6 (0x70300000-0x70300fff at guest '
        '0x8dff000): maps the virtual GICv2m frame 0x8dff000-0x8dfffff of '
        'the cell\'s MSI-X devices'),
    'ivshmem-intx-not-owned': (
        lambda s, c: set_attr(c[0], vpci_irq_base=44),
        lambda s, c: set_attr(c[0], vpci_irq_base=44,
                              irqchips=[irqchip([72, 76])]),
        'cell "cell1": PCI device #0 0001:00:00.0: INTx is SPI 44 '
        '(interrupt 76: vpci_irq_base 44, pin 1), not one of the cell\'s '
        'interrupts'),
    'ivshmem-root-intx-given-away': (
        lambda s, c: set_attr(c[1], irqchips=[irqchip([73, 132])]),
        lambda s, c: set_attr(c[1], irqchips=[irqchip([73, 133])]),
        'cell "cell2": irqchip #0: interrupt 132 is the INTx of the root '
        'cell\'s ivshmem 0001:00:00.0'),
    'ivshmem-bar-window-mapped': (
        lambda s, c: region(c[0], 0x70300000, 0x1000, MEM_RW,
                            virt=0x08f00000),
        lambda s, c: region(c[1], 0x70300000, 0x1000, MEM_RW,
                            virt=0x08f00000),
        'cell "cell1": memory region #6 (0x70300000-0x70300fff at guest '
        '0x8f00000): maps the PCI BAR window 0x8f00000-0x8ffffff'),
    'ivshmem-ecam-mapped': (
        lambda s, c: region(c[0], 0x70300000, 0x1000, MEM_RW,
                            virt=0x08e00000),
        lambda s, c: region(c[1], 0x70300000, 0x1000, MEM_RW,
                            virt=0x08e00000),
        'maps the PCI configuration space 0x8e00000-0x8efffff'),
    'ivshmem-domain': (
        lambda s, c: ivshmem_devs(s, c, domain=0),
        lambda s, c: (ivshmem_devs(s, c, domain=0),
                      set_attr(s, pci_domain=0)),
        'PCI device #0 0000:00:00.0: domain 0, the hypervisor puts ivshmem '
        'devices on the PCI host of domain 1 (pci_domain)'),
    'ivshmem-bus': (
        lambda s, c: ivshmem_devs(s, c, bdf=0x100),
        lambda s, c: None,
        'PCI device #0 0001:01:00.0: bus 1; ivshmem devices are on bus 0 '
        'only'),
    'ivshmem-without-pci-host': (
        lambda s, c: set_attr(s, pci_is_virtual=0, pci_mmconfig_base=0),
        lambda s, c: set_attr(s, pci_is_virtual=0),
        'PCI device #0 0001:00:00.0: the system has no PCI configuration '
        'space (pci_mmconfig_base)'),
    'virtual-host-buses': (
        lambda s, c: set_attr(s, pci_mmconfig_end_bus=1),
        lambda s, c: None,
        'sys.cell: virtual PCI host with buses 0-1 (pci_mmconfig_end_bus); '
        'it has bus 0 only'),
    'ivshmem-memory-taken': (
        lambda s, c: set_attr(c[1].memory_regions[0], phys_start=IVSHMEM),
        lambda s, c: set_attr(c[1].memory_regions[0],
                              phys_start=0x70200000),
        'cell "cell2": memory region #0 (0x7e000000-0x7e0fffff at guest '
        '0x0): overlaps the shared memory 0x7e000000-0x7e000fff of ivshmem '
        '0001:00:00.0 of sys.cell: root cell "root"'),
    'root-maps-gic': (
        lambda s, c: region(s.root_cell, GICD, 0x10000,
                            MEM_RW | cfg.MEM_IO),
        lambda s, c: region(s.root_cell, 0x09010000, 0x1000,
                            MEM_RW | cfg.MEM_IO),
        'maps the GIC distributor 0x8000000-0x800ffff'),
    'root-maps-gicr': (
        lambda s, c: region(s.root_cell, 0x08100000, 0x10000,
                            MEM_RW | cfg.MEM_IO),
        lambda s, c: region(s.root_cell, 0x08120000, 0x10000,
                            MEM_RW | cfg.MEM_IO),
        'maps the GIC redistributors 0x80a0000-0x811ffff'),
    'root-maps-virtual-ecam': (
        lambda s, c: region(s.root_cell, 0x08e00000, 0x100000,
                            MEM_RW | cfg.MEM_IO),
        lambda s, c: region(s.root_cell, 0x08d00000, 0x100000,
                            MEM_RW | cfg.MEM_IO),
        'maps the PCI configuration space'),
    'not-root-memory': (
        lambda s, c: set_attr(c[1].memory_regions[0],
                              phys_start=0x90000000),
        lambda s, c: set_attr(c[1].memory_regions[0],
                              phys_start=0x70500000),
        'not (entirely) memory of the root cell'),
    'hypervisor-memory-misaligned': (
        lambda s, c: set_attr(s.hypervisor_memory, phys_start=0x7f100000,
                              size=0x800000),
        lambda s, c: set_attr(s.hypervisor_memory, phys_start=0x7f000000,
                              size=0x800000),
        'hypervisor memory 0x7f100000-0x7f8fffff: must start 2 MiB '
        'aligned'),
    'pci-device-not-root': (
        lambda s, c: pci_dev(c[1], 0x08),
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(s.root_cell, 0x08)),
        'PCI device #0 0001:00:01.0: not a device of the root cell'),
    'pci-device-root-ivshmem': (
        lambda s, c: (pci_dev(c[1], 0x00)),
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(s.root_cell, 0x08)),
        'PCI device #0 0001:00:00.0: not a device of the root cell'),
    'ivshmem-on-root-device': (
        lambda s, c: (pci_dev(s.root_cell, 0x10), ivshmem_devs(s, c, bdf=0x10),
                      set_attr(s.root_cell.pci_devices[0], bdf=0)),
        lambda s, c: (pci_dev(s.root_cell, 0x10), ivshmem_devs(s, c, bdf=0x20),
                      set_attr(s.root_cell.pci_devices[0], bdf=0x20)),
        'cell "cell1": PCI device #0 0001:00:02.0: ivshmem at the address of '
        'a device of the root cell'),
    'pci-device-dma-not-1to1': (
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(s.root_cell, 0x08),
                      set_attr(c[1].memory_regions[0],
                               flags=c[1].memory_regions[0].flags |
                               cfg.MEM_DMA)),
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(s.root_cell, 0x08),
                      set_attr(c[1].memory_regions[0], virt_start=0x70100000,
                               flags=c[1].memory_regions[0].flags |
                               cfg.MEM_DMA)),
        'cell "cell2": memory region #0 (0x70100000-0x701fffff at guest '
        '0x0): DMA memory of a cell with PCI devices must be mapped 1:1 '
        'without an IOMMU'),
    'pci-device-twice': (
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(c[0], 0x08),
                      pci_dev(s.root_cell, 0x08)),
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(c[0], 0x10),
                      pci_dev(s.root_cell, 0x08), pci_dev(s.root_cell, 0x10)),
        'also assigned to'),
    'pci-caps-out-of-range': (
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(s.root_cell, 0x08),
                      set_attr(c[1].pci_devices[0], num_caps=2)),
        lambda s, c: (pci_dev(c[1], 0x08), pci_dev(s.root_cell, 0x08),
                      set_attr(c[1].pci_devices[0], num_caps=2),
                      set_attr(c[1], pci_caps=[cfg.PciCap(id=5, len=10),
                                               cfg.PciCap(id=0x10)])),
        'capabilities #0..#1 beyond the 0 of the cell'),
    'stream-id-twice': (
        lambda s, c: (set_attr(c[0], stream_ids=[0x10]),
                      set_attr(c[1], stream_ids=[0x10])),
        lambda s, c: (set_attr(c[0], stream_ids=[0x10]),
                      set_attr(c[1], stream_ids=[0x11])),
        'stream ID 0x10 also belongs to'),
    'duplicate-names': (
        lambda s, c: set_attr(c[1], name='cell1'),
        lambda s, c: set_attr(c[1], name='cell3'),
        'same name as the cell in'),
    'name-control-character': (
        lambda s, c: set_attr(c[1], name='cell\x1b[2'),
        lambda s, c: set_attr(c[1], name='cell [2]'),
        'name has characters 0x1b (no control characters'),
    'name-slash': (
        lambda s, c: set_attr(c[1], name='../cell2'),
        lambda s, c: set_attr(c[1], name='..cell2'),
        'name has characters 0x2f'),
    'root-not-identity-mapped': (
        lambda s, c: set_attr(s.root_cell.memory_regions[0],
                              virt_start=0x50000000),
        lambda s, c: set_attr(s.root_cell.memory_regions[0],
                              virt_start=0x40000000),
        'root cell "root": memory region #0 (0x40000000-0x6fffffff at '
        'guest 0x50000000): the root cell\'s memory must be mapped 1:1'),
    'empty-region': (
        lambda s, c: region(c[1], 0x70300000, 0, MEM_RW, virt=0x300000),
        lambda s, c: region(c[1], 0x70300000, 0x1000, MEM_RW,
                            virt=0x300000),
        'memory region #2 (0x70300000 (empty) at guest 0x300000): is empty'),
    'io-width': (
        lambda s, c: region(c[1], UART, 0x1000,
                            MEM_RW | cfg.MEM_IO | 3 << 16),
        lambda s, c: region(c[1], UART, 0x1000,
                            MEM_RW | cfg.MEM_IO | cfg.MEM_FLAGS['io_32']),
        'I/O access width 3'),
    'unknown-memory-flags': (
        lambda s, c: region(c[1], UART, 0x1000,
                            MEM_RW | cfg.MEM_IO | 0x1000),
        lambda s, c: region(c[1], UART, 0x1000,
                            MEM_RW | cfg.MEM_IO | cfg.MEM_IO_UNALIGNED),
        'unknown flags 0x1000'),
    'cache-type': (
        lambda s, c: set_attr(c[1], cache_regions=[cfg.Cache(size=2)]),
        lambda s, c: set_attr(c[1], cache_regions=[cfg.Cache(size=2,
                                                             type=3)]),
        'cell "cell2": cache region #0: unknown type 0'),
    'no-cpus': (
        lambda s, c: set_attr(c[1], cpus=set()),
        lambda s, c: set_attr(c[1], cpus={3}),
        'cell "cell2": has no CPUs'),
    'irqchip-not-gic': (
        lambda s, c: set_attr(c[1].irqchips[0], address=0x08010000),
        lambda s, c: None,
        'irqchip #0 at 0x8010000: is not the GIC distributor 0x8000000'),
    'private-interrupts': (
        lambda s, c: set_attr(c[1], irqchips=[irqchip([27, 73], 0)]),
        lambda s, c: set_attr(c[1], irqchips=[irqchip([73], 0)]),
        'claims SGIs/PPIs 27'),
    'architecture-mismatch': (
        lambda s, c: set_attr(c[1], architecture=cfg.ARCH_ARM),
        lambda s, c: None,
        'cell "cell2": architecture arm, the system is arm64'),
    'gic-version': (
        lambda s, c: set_attr(s.platform, gic_version=4),
        lambda s, c: set_attr(s.platform, gic_version=3),
        'sys.cell: GIC: version 4; this hypervisor drives GICv2 and GICv3 '
        'only'),
    'gic-version-1': (
        lambda s, c: set_attr(s.platform, gic_version=1),
        lambda s, c: gicv2(s),
        'sys.cell: GIC: version 1; this hypervisor drives GICv2 and GICv3 '
        'only'),
    'gicv2-without-gich': (
        lambda s, c: gicv2(s, gich_base=0),
        lambda s, c: gicv2(s),
        'sys.cell: GIC: GICv2 without hypervisor interface address '
        '(gich_base)'),
    'gicv2-without-gicv': (
        lambda s, c: gicv2(s, gicv_base=0),
        lambda s, c: gicv2(s),
        'sys.cell: GIC: GICv2 without virtual CPU interface address '
        '(gicv_base)'),
    'gicv2-frame-unaligned': (
        lambda s, c: gicv2(s, gicv_base=0x08040800),
        lambda s, c: gicv2(s, gicv_base=0x08050000),
        'sys.cell: GIC: virtual CPU interface 0x8040800 not page aligned'),
    'root-maps-gicv': (
        lambda s, c: (gicv2(s), region(s.root_cell, 0x08040000, 0x2000,
                                       MEM_RW | cfg.MEM_IO)),
        lambda s, c: (gicv2(s), region(s.root_cell, 0x08020000, 0x1000,
                                       MEM_RW | cfg.MEM_IO)),
        'maps the GIC virtual CPU interface 0x8040000-0x8041fff'),
    'gicd-unaligned': (
        lambda s, c: set_attr(s.platform, gicd_base=GICD + 0x1000),
        lambda s, c: set_attr(s.platform, gicr_base=GICR + 0x20000),
        'sys.cell: GIC: distributor 0x8001000 not 64 KiB aligned'),
    'gic-on-hypervisor-memory': (
        lambda s, c: set_attr(s.platform, gicr_base=0x7f000000),
        lambda s, c: set_attr(s.platform, gicr_base=0x08200000),
        'sys.cell: GIC: redistributors 0x7f000000-0x7f07ffff and the '
        'hypervisor memory overlap'),
    'gic-on-debug-console': (
        lambda s, c: set_attr(s.platform, gicd_base=UART),
        lambda s, c: set_attr(s.debug_console, type=cfg.CON_TYPE_NONE,
                              address=0, size=0, flags=0),
        'sys.cell: GIC: distributor 0x9000000-0x900ffff and the debug '
        'console 0x9000000 overlap'),
    'maintenance-irq-not-ppi': (
        lambda s, c: set_attr(s.platform, maintenance_irq=32),
        lambda s, c: set_attr(s.platform, maintenance_irq=31),
        'sys.cell: GIC: maintenance interrupt 32 is not a PPI (16-31)'),
    'debug-console-not-driven': (
        lambda s, c: set_attr(s.debug_console, type=cfg.CON_TYPE_8250),
        lambda s, c: set_attr(s.debug_console, type=cfg.CON_TYPE_XUARTPS),
        'sys.cell: debug console: type 8250 (2), this hypervisor drives '
        'none (0), pl011 (3), xuartps (4) only'),
    'debug-console-unknown': (
        lambda s, c: set_attr(s.debug_console, type=0x42),
        lambda s, c: set_attr(s.debug_console, type=cfg.CON_TYPE_NONE,
                              address=0, size=0, flags=0),
        'sys.cell: debug console: unknown type 66'),
    'debug-console-not-mmio': (
        lambda s, c: set_attr(s.debug_console, flags=cfg.CON_REGDIST_4),
        lambda s, c: set_attr(s.debug_console,
                              flags=cfg.CON_REGDIST_4 |
                              cfg.CON_ACCESS_MMIO),
        'sys.cell: debug console: pl011 without the mmio flag; the '
        'hypervisor reaches its UART through MMIO only'),
    'debug-console-on-hypervisor-memory': (
        lambda s, c: set_attr(s.debug_console, address=0x7f800000),
        lambda s, c: None,
        'sys.cell: debug console 0x7f800000-0x7f800fff: on the hypervisor '
        'memory'),
    'system-architecture': (
        lambda s, c: set_attr(s, architecture=cfg.ARCH_ARM),
        lambda s, c: None,
        'sys.cell: architecture arm; this hypervisor runs on arm64 and x86 '
        'only'),
    'aarch32-cell': (
        lambda s, c: set_attr(c[1], flags=cfg.CELL_AARCH32),
        lambda s, c: set_attr(c[1], flags=cfg.CELL_PASSIVE_COMMREG),
        'cell "cell2": AArch32 cells are not supported by this hypervisor'),
}


test_baseline_is_clean, test_check_finds, test_check_accepts = \
    check_case_tests(setup, CASES)


def test_malformed_files():
    system, cells = setup()
    sysdata = system.pack()
    celldata = cells[0].pack()

    def problems(sys_bytes, *cell_bytes):
        return check.check(('sys.cell', sys_bytes),
                           [('c%d.cell' % i, b)
                            for i, b in enumerate(cell_bytes)])

    assert problems(sysdata[:100]) == [
        'sys.cell: malformed: truncated: 100 bytes, the system header '
        'needs 356']
    result = problems(sysdata[:-4])
    assert len(result) == 1 and 'truncated' in result[0] and \
        'counts in the root cell need %d' % len(sysdata) in result[0]
    assert 'behind the end' in problems(sysdata + b'\0')[0]
    bad = b'JHSYX' + sysdata[5:]
    assert 'wrong signature' in problems(bad)[0]
    bad = sysdata[:5] + bytes([7]) + sysdata[6:]
    assert 'wrong architecture 7' in problems(bad)[0]
    bad = sysdata[:6] + (13).to_bytes(2, 'little') + sysdata[8:]
    assert 'wrong revision 13 (expected 14)' in problems(bad)[0]
    bad = celldata[:6] + (15).to_bytes(2, 'little') + celldata[8:]
    assert problems(sysdata, bad) == [
        'c0.cell: malformed: cell config: wrong revision 15 (expected 14)']
    assert 'expected a system configuration first' in \
        problems(celldata)[0]
    assert 'only the first file may be one' in \
        problems(sysdata, sysdata)[0]
    # A count that does not fit the file must not be trusted.
    huge = bytearray(celldata)
    huge[52:56] = (0xffffffff).to_bytes(4, 'little')
    assert 'truncated' in problems(sysdata, bytes(huge))[0]


def test_dma_without_iommu_warns(tmp_path):
    """A device of the machine in a cell without an IOMMU is a warning,
    not a problem; with an IOMMU unit there is none."""
    system, cells = setup()
    pci_dev(cells[1], 0x08)
    pci_dev(cells[1], 0x10)
    pci_dev(system.root_cell, 0x08)
    pci_dev(system.root_cell, 0x10)
    warnings = []
    assert check.check(('sys.cell', system.pack()),
                       [('%s.cell' % c.name, c.pack()) for c in cells],
                       warnings) == []
    assert warnings == [
        'cell2.cell: cell "cell2": PCI devices 0001:00:01.0, 0001:00:02.0 '
        'without an IOMMU (the system config has none): they can read and '
        'write all memory, that of the hypervisor and the other cells '
        'included']

    paths = [tmp_path / 'sys.cell'] + [tmp_path / (c.name + '.cell')
                                       for c in cells]
    for path, config in zip(paths, [system] + cells):
        path.write_bytes(config.pack())
    proc = run_tool('check', *paths, check=0)
    assert proc.stdout.startswith('Warning: %s/%s' % (tmp_path,
                                                     warnings[0]))
    assert 'no problems found' in proc.stdout

    system.iommu_units[0] = cfg.Iommu(type=3, base=0x9050000, size=0x20000)
    warnings = []
    assert check.check(('sys.cell', system.pack()),
                       [('%s.cell' % c.name, c.pack()) for c in cells],
                       warnings) == []
    assert warnings == []


def test_check_tool_exit_status(tmp_path):
    system, cells = setup()
    sys_path = tmp_path / 'sys.cell'
    sys_path.write_bytes(system.pack())
    cell_paths = []
    for cell in cells:
        path = tmp_path / (cell.name + '.cell')
        path.write_bytes(cell.pack())
        cell_paths.append(path)
    proc = run_tool('check', sys_path, *cell_paths, check=0)
    assert 'no problems found' in proc.stdout

    cells[1].cpus = {0}
    cell_paths[1].write_bytes(cells[1].pack())
    proc = run_tool('check', sys_path, *cell_paths, check=1)
    assert 'takes CPU 0' in proc.stdout
    assert '1 problem found' in proc.stdout

    proc = run_tool('check', tmp_path / 'missing.cell', check=1)
    assert 'No such file' in proc.stderr


@pytest.mark.parametrize('system', ['qemu-arm64', 'qemu-arm64-gicv2',
                                    'zynqmp-zcu102'])
def test_shipped_three_peer_link(system):
    """The root and both inmate demo cells of each shipped system form
    the three-peer ivshmem link at 00:0c.0, and pass the check together."""
    build_configs()
    board = '-'.join(system.split('-')[:2])
    paths = [ARM64_CONFIGS / (name + '.cell') for name in
             (system, board + '-inmate-demo', board + '-inmate-demo2')]
    configs = [cfg.load(str(path)) for path in paths]
    cells = [configs[0].root_cell] + configs[1:]
    links = [[dev for dev in cell.pci_devices
              if dev.type == cfg.PCI_TYPE_IVSHMEM and dev.bdf == 0x60]
             for cell in cells]
    domain = configs[0].pci_domain
    assert [[(dev.domain, dev.bdf, dev.shmem_peers, dev.shmem_dev_id)
             for dev in devs] for devs in links] == \
        [[(domain, 0x60, 3, n)] for n in range(3)]
    assert check.check((str(paths[0]), paths[0].read_bytes()),
                       [(str(p), p.read_bytes()) for p in paths[1:]]) == []


@pytest.mark.parametrize('system', ['qemu-arm64', 'qemu-arm64-gicv2',
                                    'zynqmp-zcu102'])
def test_shipped_net_link(system):
    """The root and the Linux demo cell of each shipped system form the
    two-peer virtual Ethernet at 00:0d.0 in the 1 MiB layout of
    JAILHOUSE_SHMEM_NET_REGIONS, and pass the check together."""
    build_configs()
    board = '-'.join(system.split('-')[:2])
    paths = [ARM64_CONFIGS / (name + '.cell') for name in
             (system, board + '-linux-demo')]
    configs = [cfg.load(str(path)) for path in paths]
    cells = [configs[0].root_cell, configs[1]]
    for n, cell in enumerate(cells):
        devs = [dev for dev in cell.pci_devices
                if dev.type == cfg.PCI_TYPE_IVSHMEM and dev.bdf == 0x68]
        assert [(dev.domain, dev.shmem_peers, dev.shmem_dev_id,
                 dev.shmem_protocol) for dev in devs] == \
            [(configs[0].pci_domain, 2, n, cfg.SHMEM_PROTO_VETH)]
        start = devs[0].shmem_regions_start
        mem = cell.memory_regions[start:start + 4]
        assert [(m.phys_start, m.size) for m in mem] == \
            [(0x7e100000, 0x1000), (0, 0), (0x7e101000, 0x7f000),
             (0x7e180000, 0x7f000)]
        assert [bool(m.flags & cfg.MEM_WRITE) for m in mem[2:]] == \
            [n == 0, n == 1]
    assert check.check((str(paths[0]), paths[0].read_bytes()),
                       [(str(paths[1]), paths[1].read_bytes())]) == []
