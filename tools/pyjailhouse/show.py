# SPDX-License-Identifier: GPL-2.0
"""Readable text of a parsed configuration."""

from . import config as cfg
from .util import (human_size, format_ranges, flag_names, enum_name,
                   format_bdf)


def _flags(value, table):
    names, rest = flag_names(value, table)
    if rest:
        names.append('0x%x' % rest)
    return ', '.join(names) if names else '-'


def _enum(value, table):
    name = enum_name(value, table)
    return name if name is not None else 'unknown (%d)' % value


def _range(start, size):
    if not size:
        return '0x%08x (empty)' % start
    return '0x%08x-0x%08x' % (start, start + size - 1)


def console_text(con):
    if con.is_zero():
        return 'none'
    text = '%s at 0x%x, %s, flags %s' % (
        _enum(con.type, cfg.CON_TYPES), con.address, human_size(con.size),
        _flags(con.flags, cfg.CON_FLAGS))
    if con.divider:
        text += ', divider 0x%x' % con.divider
    if con.clock_reg:
        text += ', clock gate %d at 0x%x' % (con.gate_nr, con.clock_reg)
    return text


def memory_text(mem):
    if mem.is_zero():
        return '(unused)'
    where = _range(mem.phys_start, mem.size)
    if mem.flags & cfg.MEM_COMM_REGION:
        where = 'comm region'
    if mem.virt_start != mem.phys_start or mem.flags & cfg.MEM_COMM_REGION:
        where += ' at guest 0x%08x' % mem.virt_start
    return '%-45s %-9s %s' % (where, human_size(mem.size),
                              _flags(mem.flags, cfg.MEM_FLAGS))


def _cell_lines(cell, out, indent):
    def line(text=''):
        out.append(indent + text if text else '')

    line('Flags:             %s' % _flags(cell.flags, cfg.CELL_FLAGS))
    line('CPUs:              %s (CPU set of %d bytes)' %
         (format_ranges(cell.cpus) or 'none',
          cell.effective_cpu_set_size()))
    if cell.cpu_reset_address:
        line('CPU reset address: 0x%x' % cell.cpu_reset_address)
    if cell.msg_reply_timeout:
        line('Message timeout:   %d' % cell.msg_reply_timeout)
    if cell.vpci_irq_base:
        line('vPCI IRQ base:     %d' % cell.vpci_irq_base)
    if cell.id:
        line('ID:                %d' % cell.id)
    line('Console:           %s' % console_text(cell.console))

    line('Memory regions:    %d' % len(cell.memory_regions))
    for i, mem in enumerate(cell.memory_regions):
        line('  %3d %s' % (i, memory_text(mem)))
    if cell.cache_regions:
        line('Cache regions:     %d' % len(cell.cache_regions))
    for i, cache in enumerate(cell.cache_regions):
        line('  %3d lines %d-%d, %s, flags %s' % (
            i, cache.start, cache.start + cache.size - 1,
            _enum(cache.type, cfg.CACHE_TYPES),
            _flags(cache.flags, cfg.CACHE_FLAGS)))
    line('Irqchips:          %d' % len(cell.irqchips))
    for i, chip in enumerate(cell.irqchips):
        text = '  %3d 0x%08x, pins %d-%d: %s' % (
            i, chip.address, chip.pin_base, chip.pin_base + 127,
            format_ranges(chip.interrupts()) or 'none')
        if chip.id:
            text += ' (id %d)' % chip.id
        line(text)
    if cell.pio_regions:
        line('PIO regions:       %d' % len(cell.pio_regions))
    for i, pio in enumerate(cell.pio_regions):
        line('  %3d 0x%04x-0x%04x' % (i, pio.base,
                                      pio.base + pio.length - 1))
    if cell.pci_devices:
        line('PCI devices:       %d' % len(cell.pci_devices))
    for i, dev in enumerate(cell.pci_devices):
        text = '  %3d %04x:%s %s' % (i, dev.domain, format_bdf(dev.bdf),
                                     _enum(dev.type, cfg.PCI_TYPES))
        if dev.type == cfg.PCI_TYPE_IVSHMEM:
            text += (', peer %d of %d, regions from #%d, protocol %s' %
                     (dev.shmem_dev_id, dev.shmem_peers,
                      dev.shmem_regions_start,
                      _enum(dev.shmem_protocol, cfg.SHMEM_PROTOCOLS)))
        if dev.num_caps:
            text += ', caps #%d-%d' % (dev.caps_start,
                                       dev.caps_start + dev.num_caps - 1)
        if dev.num_msi_vectors:
            text += ', %d MSI' % dev.num_msi_vectors
        if dev.num_msix_vectors:
            text += ', %d MSI-X at 0x%x' % (dev.num_msix_vectors,
                                            dev.msix_address)
        line(text)
    if cell.pci_caps:
        line('PCI capabilities:  %d' % len(cell.pci_caps))
    for i, cap in enumerate(cell.pci_caps):
        line('  %3d %s 0x%x at 0x%x, %d bytes, flags %s' % (
            i, 'extended' if cap.id & cfg.PCI_EXT_CAP else 'capability',
            cap.id & ~cfg.PCI_EXT_CAP, cap.start, cap.len,
            _flags(cap.flags, cfg.PCICAP_FLAGS)))
    if cell.stream_ids:
        line('Stream IDs:        %s' %
             ', '.join('0x%x' % s for s in cell.stream_ids))


def show(config, size=None):
    """Lines describing a SystemConfig or a Cell."""
    out = []
    size_note = ', %d bytes' % size if size is not None else ''
    if isinstance(config, cfg.SystemConfig):
        out.append('System configuration, %s, revision %d%s' %
                   (cfg.arch_name(config.architecture), cfg.REVISION,
                    size_note))
        out.append('Flags:             %s' %
                   _flags(config.flags, cfg.SYS_FLAGS))
        hv_mem = config.hypervisor_memory
        out.append('Hypervisor memory: %s (%s)' %
                   (_range(hv_mem.phys_start, hv_mem.size),
                    human_size(hv_mem.size)))
        out.append('Debug console:     %s' %
                   console_text(config.debug_console))
        if config.pci_mmconfig_base:
            out.append('PCI:               ECAM at 0x%x, buses 0-%d, '
                       'domain %d%s' %
                       (config.pci_mmconfig_base,
                        config.pci_mmconfig_end_bus, config.pci_domain,
                        ', virtual' if config.pci_is_virtual else ''))
        plat = config.platform
        if config.architecture == cfg.ARCH_X86:
            out.append('x86:               PM timer 0x%x, APIC mode %s, '
                       'VT-d interrupt limit %d, TSC %d kHz, APIC %d kHz' %
                       (plat.pm_timer_address,
                        _enum(plat.apic_mode, cfg.APIC_MODES),
                        plat.vtd_interrupt_limit, plat.tsc_khz,
                        plat.apic_khz))
        else:
            gic = 'GICv%d, GICD 0x%x' % (plat.gic_version, plat.gicd_base)
            for name in ('gicc', 'gich', 'gicv', 'gicr'):
                base = getattr(plat, name + '_base')
                if base:
                    gic += ', %s 0x%x' % (name.upper(), base)
            out.append('GIC:               %s, maintenance IRQ %d' %
                       (gic, plat.maintenance_irq))
        for i, unit in enumerate(config.iommu_units):
            if not unit.is_zero():
                out.append('IOMMU unit %d:      %s at 0x%x, %s' % (
                    i, _enum(unit.type, cfg.IOMMU_TYPES), unit.base,
                    human_size(unit.size)))
        out.append('')
        out.append('Root cell "%s"' % config.root_cell.name)
        _cell_lines(config.root_cell, out, '  ')
    else:
        out.append('Cell configuration "%s", %s, revision %d%s' %
                   (config.name, cfg.arch_name(config.architecture),
                    cfg.REVISION, size_note))
        _cell_lines(config, out, '')
    return out
