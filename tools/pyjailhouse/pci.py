# SPDX-License-Identifier: GPL-2.0
"""The PCI functions of a running Linux as a root cell config lists them.

On a physical PCI host the hypervisor shows every cell, the root too, only
the functions its config lists, so the root config must list each one
root Linux keeps, with the sizes of its BARs (the hypervisor does not
measure the root's devices, they are in use when it starts) and its
capabilities (only those marked writable take the root's writes).  Linux
tells both through sysfs (Documentation/ABI/testing/sysfs-bus-pci):
"resource" gives each BAR's start, end and flags, "config" the
configuration space, all of it when read as root, its first 64 bytes
otherwise.  The register layout is the PCI specification's.
"""

import os
import re

from . import config as cfg

SYSFS_DEVICES = 'sys/bus/pci/devices'

NUM_BARS = 6
# Configuration space registers (PCI Local Bus Specification 3.0, 6.1)
CFG_STATUS = 0x06
STATUS_CAP_LIST = 0x10
CFG_HEADER_TYPE = 0x0e
HEADER_TYPE_MASK = 0x7f
HEADER_NORMAL = 0
HEADER_BRIDGE = 1
HEADER_CARDBUS = 2
CFG_SECONDARY_BUS = 0x19
CFG_SUBORDINATE_BUS = 0x1a
CFG_CAP_PTR = 0x34
CFG_HEADER_END = 0x40
CFG_SIZE = 0x100
CFG_EXT_SIZE = 0x1000
# What an unprivileged reader of "config" gets: the header only.
CFG_UNPRIVILEGED_SIZE = 0x40

# Standard capability IDs and the fixed lengths the specifications give
CAP_PM = 0x01
CAP_VPD = 0x03
CAP_SLOT_ID = 0x04
CAP_MSI = 0x05
CAP_PCIX = 0x07
CAP_VENDOR = 0x09
CAP_SSVID = 0x0d
CAP_EXP = 0x10
CAP_MSIX = 0x11
CAP_SATA = 0x12
CAP_AF = 0x13
STD_CAP_LENGTHS = {CAP_PM: 8, CAP_VPD: 8, CAP_SLOT_ID: 4, CAP_PCIX: 8,
                   CAP_SSVID: 8, CAP_MSIX: 12, CAP_SATA: 8, CAP_AF: 6}
# MSI: 64-bit addresses, per-vector masking (message control bits)
MSI_CTRL_64BIT = 0x0080
MSI_CTRL_MASKABLE = 0x0100
# PCI Express capability: version 1 ends after the root registers,
# version 2 after Slot Status 2.
EXP_VERSION_MASK = 0x000f
EXP_V1_LENGTH = 0x24
EXP_V2_LENGTH = 0x3c

# Extended capabilities (PCI Express Base Specification, 7.6 and on)
EXT_CAP_AER = 0x01
EXT_CAP_DSN = 0x03
EXT_CAP_PWR_BUDGET = 0x04
EXT_CAP_VSEC = 0x0b
EXT_CAP_ACS = 0x0d
EXT_CAP_ARI = 0x0e
EXT_CAP_ATS = 0x0f
EXT_CAP_SRIOV = 0x10
EXT_CAP_PRI = 0x13
EXT_CAP_LTR = 0x18
EXT_CAP_PASID = 0x1b
EXT_CAP_L1SS = 0x1e
EXT_CAP_DVSEC = 0x23
EXT_CAP_LENGTHS = {EXT_CAP_AER: 0x48, EXT_CAP_DSN: 0x0c,
                   EXT_CAP_PWR_BUDGET: 0x10, EXT_CAP_ACS: 8, EXT_CAP_ARI: 8,
                   EXT_CAP_ATS: 8, EXT_CAP_SRIOV: 0x40, EXT_CAP_PRI: 0x10,
                   EXT_CAP_LTR: 8, EXT_CAP_PASID: 8, EXT_CAP_L1SS: 0x10}

# Capabilities root Linux writes to run its devices: interrupts, power
# states, PCI Express control.  The others stay read-only.
ROOT_WRITES = (CAP_MSI, CAP_MSIX, CAP_EXP, CAP_PM)

# Resource flags of Linux (include/linux/ioport.h), as "resource" prints
IORESOURCE_IO = 0x00000100
IORESOURCE_MEM = 0x00000200
IORESOURCE_MEM_64 = 0x00100000

_NAME_RE = re.compile(r'^([0-9a-f]{4,}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$')


class Function:
    """One PCI function as sysfs shows it: @config the bytes of its
    configuration space that could be read, @resources (start, end,
    flags) per resource line, @path the real sysfs directory (which
    names the host bridge it is below)."""

    def __init__(self, domain, bdf, config, resources, path=''):
        self.domain = domain
        self.bdf = bdf
        self.config = config
        self.resources = resources
        self.path = path

    @property
    def bus(self):
        return self.bdf >> 8

    def u8(self, pos):
        return self.config[pos]

    def u16(self, pos):
        return int.from_bytes(self.config[pos:pos + 2], 'little')

    def u32(self, pos):
        return int.from_bytes(self.config[pos:pos + 4], 'little')

    @property
    def vendor(self):
        return self.u16(0)

    @property
    def device(self):
        return self.u16(2)

    @property
    def class_code(self):
        return self.u32(8) >> 8

    @property
    def header_type(self):
        return self.u8(CFG_HEADER_TYPE) & HEADER_TYPE_MASK

    def is_bridge(self):
        return self.header_type in (HEADER_BRIDGE, HEADER_CARDBUS)

    def secondary_buses(self):
        """(secondary, subordinate) bus of a bridge."""
        return self.u8(CFG_SECONDARY_BUS), self.u8(CFG_SUBORDINATE_BUS)

    def fully_read(self):
        """The whole configuration space was readable (as root)."""
        return len(self.config) >= CFG_SIZE

    def below(self, component):
        """Is the function in the sysfs tree below a directory named
        @component (the platform device of its host bridge)?"""
        return component in self.path.split(os.sep)

    def name(self):
        return '%04x:%02x:%02x.%x' % (self.domain, self.bus,
                                      (self.bdf >> 3) & 0x1f, self.bdf & 7)


def parse_resources(text):
    """(start, end, flags) of each line of a sysfs "resource" file."""
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3:
            out.append(tuple(int(f, 16) for f in fields))
    return out


def parse_name(name):
    """(domain, bdf) of a sysfs name "DDDD:BB:DD.F", None for another."""
    match = _NAME_RE.match(name)
    if not match:
        return None
    domain, bus, dev, fn = (int(g, 16) for g in match.groups())
    return domain, bus << 8 | dev << 3 | fn


def read_sysfs(root='/'):
    """The PCI functions under @root/sys/bus/pci/devices, sorted by
    domain and address; None when there is no such directory (no PCI in
    the kernel, or a copy of a system without sysfs)."""
    top = os.path.join(root, SYSFS_DEVICES)
    if not os.path.isdir(top):
        return None
    functions = []
    for entry in os.listdir(top):
        address = parse_name(entry)
        if address is None:
            continue
        path = os.path.join(top, entry)
        with open(os.path.join(path, 'config'), 'rb') as f:
            config = f.read()
        with open(os.path.join(path, 'resource'), encoding='latin-1') as f:
            resources = parse_resources(f.read())
        functions.append(Function(address[0], address[1], config,
                                  resources, os.path.realpath(path)))
    return sorted(functions, key=lambda f: (f.domain, f.bdf))


def bar_mask(function):
    """The six bar_mask words: ~(size - 1) of each BAR without its flag
    bits, a 64-bit BAR as its lower and upper word, 0 for a BAR the
    function does not have.  The sizes are Linux's, who measured them
    at boot, before the hypervisor came."""
    masks = [0] * NUM_BARS
    bar = 0
    while bar < NUM_BARS and bar < len(function.resources):
        start, end, flags = function.resources[bar]
        kind = flags & (IORESOURCE_IO | IORESOURCE_MEM)
        if not kind or end <= start:
            bar += 1
            continue
        mask = ~(end - start) & 0xffffffffffffffff
        if kind == IORESOURCE_IO:
            masks[bar] = mask & 0xfffffffc
        else:
            masks[bar] = mask & 0xfffffff0
            if flags & IORESOURCE_MEM_64 and bar + 1 < NUM_BARS:
                masks[bar + 1] = mask >> 32
                bar += 1
        bar += 1
    return masks


def _walk(function, first, next_of, limit):
    """Positions of a capability list from @first on, @next_of giving the
    next pointer at a position; a loop or a pointer out of range ends
    it."""
    seen = []
    pos = first
    while limit[0] <= pos <= limit[1] - 4 and pos not in seen:
        seen.append(pos)
        pos = next_of(pos)
    return seen


def _lengths(starts, spans, end):
    """Clip each capability's length so that it does not reach into the
    capability after it: a writable one must not make its neighbour
    writable too.  @spans maps a start to its length, None for one of
    unknown length, which gets all the room up to its neighbour."""
    ordered = sorted(starts) + [end]
    out = {}
    for i, start in enumerate(ordered[:-1]):
        room = ordered[i + 1] - start
        length = spans[start]
        out[start] = room if length is None else min(length, room)
    return out


def _std_length(function, pos, cap_id):
    if cap_id == CAP_MSI:
        control = function.u16(pos + 2)
        return 10 + (4 if control & MSI_CTRL_64BIT else 0) + \
            (10 if control & MSI_CTRL_MASKABLE else 0)
    if cap_id == CAP_VENDOR:
        return function.u8(pos + 2) or None
    if cap_id == CAP_EXP:
        version = function.u16(pos + 2) & EXP_VERSION_MASK
        return EXP_V2_LENGTH if version >= 2 else EXP_V1_LENGTH
    return STD_CAP_LENGTHS.get(cap_id)


def _ext_length(function, pos, cap_id):
    if cap_id in (EXT_CAP_VSEC, EXT_CAP_DVSEC):
        return (function.u32(pos + 4) >> 20) or None
    return EXT_CAP_LENGTHS.get(cap_id)


def capabilities(function):
    """The function's capabilities as cfg.PciCap records, in the order
    of its lists (the standard one, then the extended one): the
    lengths of the specifications, writable for those root Linux must
    write, read-only otherwise."""
    caps = []
    if not function.fully_read() or \
            not function.u16(CFG_STATUS) & STATUS_CAP_LIST:
        return caps

    std = _walk(function, function.u8(CFG_CAP_PTR) & ~3,
                lambda pos: function.u8(pos + 1) & ~3,
                (CFG_HEADER_END, CFG_SIZE))
    lengths = _lengths(std, {pos: _std_length(function, pos,
                                              function.u8(pos))
                             for pos in std}, CFG_SIZE)
    for pos in std:
        cap_id = function.u8(pos)
        caps.append(cfg.PciCap(
            id=cap_id, start=pos, len=lengths[pos],
            flags=cfg.PCICAP_FLAGS['write'] if cap_id in ROOT_WRITES
            else 0))

    size = min(len(function.config), CFG_EXT_SIZE)
    if size <= CFG_SIZE or function.u32(CFG_SIZE) in (0, 0xffffffff):
        return caps
    ext = _walk(function, CFG_SIZE,
                lambda pos: (function.u32(pos) >> 20) & ~3, (CFG_SIZE, size))
    # ID 0 is no capability, only a link to the next one.
    ext = [pos for pos in ext if function.u16(pos)]
    lengths = _lengths(ext, {pos: _ext_length(function, pos,
                                              function.u16(pos))
                             for pos in ext}, size)
    for pos in ext:
        caps.append(cfg.PciCap(id=cfg.PCI_EXT_CAP | function.u16(pos),
                               start=pos, len=lengths[pos]))
    return caps
