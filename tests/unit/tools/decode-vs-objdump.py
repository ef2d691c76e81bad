#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The x86 MMIO instruction decoder against the GNU disassembler.

Usage: decode-vs-objdump.py HARNESS [SEED]

Random encodings of the instructions the decoder takes (MOV, MOVZX, MOVSX,
MOVSXD with random prefixes, ModRM, SIB, displacement and immediate bytes)
in 16-, 32- and 64-bit code, and variants it must refuse (register
operands, LOCK and REP, C6/C7 other than /0, other first bytes), go
through HARNESS (decode-harness.c) and through `objdump -D`:

- what the decoder takes, objdump must show as a MOV, MOVZX, MOVSX or
  MOVSXD of the same length, with the same register (number, size, high
  byte) in the same direction;
- what the decoder refuses, objdump must not show as a plain one of those
  with a memory operand.

objdump shows a REX prefix followed by a legacy prefix as an instruction
of its own, together with the prefixes before it; the CPU ignores that
REX only (AMD64 manual, volume 3, 1.2.7), and so does the decoder.  Such
encodings are left out of the comparison (the table-driven unit test has
them).

Prints its results the way cmocka does, so that the suite can total them.
"""

import random
import re
import subprocess
import sys
import tempfile

PER_MODE = 2000
MODES = {16: 'i8086', 32: 'i386', 64: 'i386:x86-64'}
PREFIXES = [0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]
OPCODES = [[0x88], [0x89], [0x8a], [0x8b], [0xc6], [0xc7], [0xa0], [0xa1],
           [0xa2], [0xa3], [0x63], [0x0f, 0xb6], [0x0f, 0xb7], [0x0f, 0xbe],
           [0x0f, 0xbf]]
NOP = b'\x90'


def register_names():
    """Register name -> (number, size in bytes, high byte)."""
    names = {}
    legacy = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di']
    byte = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil']
    for n in range(16):
        if n < 8:
            r64, r32, r16, r8 = ('r' + legacy[n], 'e' + legacy[n],
                                 legacy[n], byte[n])
        else:
            r64, r32, r16, r8 = ('r%d' % n, 'r%dd' % n, 'r%dw' % n,
                                 'r%db' % n)
        names.update({r64: (n, 8, 0), r32: (n, 4, 0), r16: (n, 2, 0),
                      r8: (n, 1, 0)})
    for n, name in enumerate(['ah', 'ch', 'dh', 'bh']):
        names[name] = (n, 1, 1)
    return names


REGS = register_names()


def encoding(rng, bits):
    """A random instruction of the kinds the decoder takes, with up to 12
    bytes of displacement, immediate and what follows."""
    code = [rng.choice(PREFIXES) for _ in range(rng.choice([0, 0, 1, 2, 3]))]
    if bits == 64 and rng.random() < 0.6:
        code.append(rng.randrange(0x40, 0x50))
        if rng.random() < 0.1:
            code.append(rng.choice(PREFIXES))
    code += rng.choice(OPCODES)
    modrm = rng.randrange(0xc0)
    if code[-1] in (0xc6, 0xc7):
        modrm &= 0xc7
    code.append(modrm)
    code += [rng.randrange(256) for _ in range(12)]
    return bytes(code)


def refusable(rng, code):
    """@code made into something the decoder should refuse (mostly)."""
    code = bytearray(code)
    ops = [n for n, b in enumerate(code[:-1])
           if b in (0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0x63, 0xb6, 0xb7,
                    0xbe, 0xbf)]
    kind = rng.randrange(4)
    if kind == 0 and ops:
        code[ops[0] + 1] |= 0xc0
    elif kind == 1:
        code.insert(0, rng.choice([0xf0, 0xf2, 0xf3]))
    elif kind == 2 and ops and code[ops[0]] in (0xc6, 0xc7):
        code[ops[0] + 1] |= rng.randrange(1, 8) << 3
    else:
        code[0] = rng.randrange(256)
    return bytes(code)


def decode(harness, samples):
    """The harness's results for [(bits, code)]: lists of numbers."""
    inp = ''.join('%d %s\n' % (bits, code.hex()) for bits, code in samples)
    out = subprocess.run([harness], input=inp, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return [[int(x) for x in line.split()] for line in out]


def disassemble(bits, codes, slot):
    """objdump's text of the instructions at each @slot-byte boundary of
    @codes padded with NOPs: a list of the texts of each slot until the
    first NOP (prefixes that objdump shows apart included)."""
    blob = b''.join(c + NOP * (slot - len(c)) for c in codes)
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(blob)
        f.flush()
        txt = subprocess.run(['objdump', '-D', '-b', 'binary', '-m',
                              MODES[bits], f.name], capture_output=True,
                             text=True, check=True).stdout
    lines = {}
    for line in txt.splitlines():
        m = re.match(r'\s*([0-9a-f]+):\t[0-9a-f ]+\t(.+)', line)
        if m:
            lines[int(m.group(1), 16)] = re.sub(r'\s*#.*', '',
                                                m.group(2).strip())
    offsets = sorted(lines)
    slots = []
    pos = 0
    for n in range(len(codes)):
        texts = []
        while pos < len(offsets) and offsets[pos] < (n + 1) * slot:
            text = lines[offsets[pos]]
            if text == 'nop':
                texts.append(offsets[pos] - n * slot)
                break
            texts.append(text)
            pos += 1
        while pos < len(offsets) and offsets[pos] < (n + 1) * slot:
            pos += 1
        slots.append(texts)
    return slots


MOV = re.compile(r'((?:[\w.]+ )*)(mov[a-z]*)\s+(.*)')


def check_accepted(res, texts):
    """Why objdump disagrees with the decoder's result, or None."""
    length = texts[-1] if texts and isinstance(texts[-1], int) else None
    texts = [t for t in texts if not isinstance(t, int)]
    if len(texts) != 1:
        # an ignored REX that objdump shows apart
        if any(re.search(r'\brex(\.\w+)?$', t) for t in texts[:-1]):
            return None
        return 'objdump: %s' % ' ; '.join(texts)
    m = MOV.match(texts[0])
    if not m or m.group(2) in ('movs', 'movsb', 'movsw', 'movsl',
                               'movsq'):
        return 'objdump: %s' % texts[0]
    if length != res[1]:
        return 'length %d, objdump %s' % (res[1], length)
    operands = re.sub(r'\([^)]*\)', '', m.group(3))
    regs = [r for r in re.findall(r'(?<![\w:])%(\w+)(?!:)', operands)
            if r in REGS]
    if res[4]:
        return 'register %s in an immediate store' % regs if regs else None
    if len(regs) != 1:
        return 'registers %s' % regs
    if REGS[regs[0]] != (res[5], res[7], res[6]):
        return 'register %s, decoded %d size %d high %d' % (
            regs[0], res[5], res[7], res[6])
    to_reg = operands.split(',')[-1].strip() == '%' + regs[0]
    if to_reg == bool(res[3]):
        return 'direction'
    return None


def check_refused(text):
    """Is @text a plain MOV the decoder should have taken?"""
    m = MOV.match(text)
    if not m or '(bad)' in text or '%?' in text:
        return False
    if re.search(r'\b(lock|rep\w*|xacquire|xrelease)\b', m.group(1)):
        return False
    if m.group(2) in ('movs', 'movsb', 'movsw', 'movsl', 'movsq'):
        return False
    ops = m.group(3)
    # segment, control and debug registers are other MOVs
    if re.search(r'%(cr\d|db\d|[c-gs]s)(,|$)', ops):
        return False
    # a memory operand: parentheses or an absolute address
    return '(' in ops or bool(re.search(r'(^|,)(%\ws:)?0x', ops))


def main():
    harness = sys.argv[1]
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 13)
    failures = {'accepted': [], 'refused': []}
    counts = {'accepted': 0, 'refused': 0}

    for bits in MODES:
        samples = [(bits, encoding(rng, bits)) for _ in range(PER_MODE)]
        samples += [(bits, refusable(rng, c)) for _, c in samples]
        results = decode(harness, samples)

        taken = [(c[:r[1]], r) for (_, c), r in zip(samples, results)
                 if r[0] == 0]
        for (code, res), texts in zip(taken, disassemble(
                bits, [c for c, _ in taken], 32)):
            counts['accepted'] += 1
            why = check_accepted(res, texts)
            if why:
                failures['accepted'].append('%d-bit %s: %s' % (
                    bits, code.hex(), why))

        refused = [c for (_, c), r in zip(samples, results) if r[0] != 0]
        for code, texts in zip(refused, disassemble(bits, refused, 48)):
            counts['refused'] += 1
            if texts and not isinstance(texts[0], int) and \
               check_refused(texts[0]):
                failures['refused'].append('%d-bit %s: %s' % (
                    bits, code.hex(), texts[0]))

    passed = 0
    for name in failures:
        test = 'decode_vs_objdump_' + name
        print('[ RUN      ] %s' % test)
        for line in failures[name][:20]:
            print(line)
        if failures[name]:
            print('%d of %d disagree' % (len(failures[name]), counts[name]))
            print('[  FAILED  ] %s' % test)
        else:
            print('%d instructions agree' % counts[name])
            print('[       OK ] %s' % test)
            passed += 1
    print('[==========] %d test(s) run.' % len(failures))
    print('[  PASSED  ] %d test(s).' % passed)
    failed = [n for n in failures if failures[n]]
    if failed:
        print('[  FAILED  ] %d test(s), listed below:' % len(failed))
        for name in failed:
            print('[  FAILED  ] decode_vs_objdump_%s' % name)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
