# SPDX-License-Identifier: GPL-2.0
"""Small conversions shared by the tools: sizes, number ranges, flag
names."""

import re

_UNITS = (('T', 1 << 40), ('G', 1 << 30), ('M', 1 << 20), ('K', 1 << 10))
_SIZE_RE = re.compile(r'^\s*(0x[0-9a-f]+|[0-9]+)\s*(?:([kmgt])(?:i?b)?)?\s*$',
                      re.IGNORECASE)


def parse_size(value):
    """An int, or a string such as "64K", "16M", "0x1000" or "2GiB"."""
    if isinstance(value, bool):
        raise ValueError('%r is not a size' % value)
    if isinstance(value, int):
        return value
    match = _SIZE_RE.match(str(value))
    if not match:
        raise ValueError('%r is not a size (examples: 4096, 0x1000, 64K, '
                         '16M, 1G)' % value)
    number = int(match.group(1), 0)
    if match.group(2):
        number *= dict(_UNITS)[match.group(2).upper()]
    return number


def size_text(size):
    """@size as "64K", "16M"...: exact and below 1024 of its unit; or
    None (write it as a number then)."""
    for unit, factor in _UNITS:
        if size and size % factor == 0 and size // factor < 1024:
            return '%d%s' % (size // factor, unit)
    return None


def human_size(size):
    """A size for people: "16 MiB", "4 KiB", "0x200 bytes"."""
    for unit, factor in _UNITS:
        if size >= factor and size % factor == 0 and size // factor < 1024:
            return '%d %siB' % (size // factor, unit)
    for unit, factor in _UNITS:
        if size >= factor:
            return '%.1f %siB' % (size / factor, unit)
    return '%d bytes' % size


def parse_ranges(value):
    """Numbers from "0-3,5", an int, or a list of ints and such strings."""
    if isinstance(value, bool):
        raise ValueError('%r is not a number list' % value)
    if isinstance(value, int):
        return [value]
    if isinstance(value, list):
        numbers = []
        for item in value:
            numbers.extend(parse_ranges(item))
        return numbers
    numbers = []
    for part in str(value).split(','):
        part = part.strip()
        if not part:
            continue
        first, dash, last = part.partition('-')
        try:
            first = int(first, 0)
            last = int(last, 0) if dash else first
        except ValueError:
            raise ValueError('%r is not a number list (example: "0-3,5")' %
                             value) from None
        if last < first:
            raise ValueError('empty range %r' % part)
        numbers.extend(range(first, last + 1))
    return numbers


def format_ranges(numbers):
    """"0-3,5" for [0, 1, 2, 3, 5]."""
    parts = []
    numbers = sorted(set(numbers))
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j == i:
            parts.append('%d' % numbers[i])
        else:
            parts.append('%d-%d' % (numbers[i], numbers[j]))
        i = j + 1
    return ','.join(parts)


def flag_names(value, table):
    """Split @value into the names of @table and the bits left over."""
    names = []
    for name, bits in table.items():
        if bits and value & bits == bits:
            names.append(name)
            value &= ~bits
    return names, value


def parse_flags(value, table, what):
    """OR together a list of names of @table and ints (or a single int)."""
    if isinstance(value, bool):
        raise ValueError('%s: %r is not a flag list' % (what, value))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        value = [value]
    result = 0
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool):
            result |= item
        elif isinstance(item, str) and item.lower() in table:
            result |= table[item.lower()]
        else:
            raise ValueError('%s: unknown flag %r (known: %s)' %
                             (what, item, ', '.join(table)))
    return result


def parse_enum(value, table, what):
    """A name of @table or an int."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in table:
        return table[value.lower()]
    raise ValueError('%s: unknown value %r (known: %s)' %
                     (what, value, ', '.join(table)))


def enum_name(value, table):
    """The name of @value in @table, or None."""
    for name, number in table.items():
        if number == value:
            return name
    return None


def format_bdf(bdf):
    return '%02x:%02x.%x' % (bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7)


_BDF_RE = re.compile(r'^([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$',
                     re.IGNORECASE)


def parse_bdf(value):
    """"00:01.0" (bus:device.function, hex) or an int."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _BDF_RE.match(str(value).strip())
    if not match or int(match.group(2), 16) > 0x1f:
        raise ValueError('%r is not a PCI address bus:device.function '
                         '(example: "00:01.0")' % value)
    return (int(match.group(1), 16) << 8 | int(match.group(2), 16) << 3 |
            int(match.group(3)))
