# SPDX-License-Identifier: GPL-2.0
"""Every message the driver, the hypervisor and the jailhouse command
print is explained: each format string of their sources (printk,
cell_printk, pr_err, netdev_err, ..., the tool's fail) appears, with
words in place of its conversions, on a line of
Documentation/troubleshooting.md (what goes wrong: cause and fix) or of
Documentation/debug.md (what only reports).
Formats that are conversions only ("%s: %s", a system error's text) say
nothing of their own and are left out."""

import re

import pytest

from conftest import TREE

SOURCES = sorted(list(TREE.glob('driver/*.c')) +
                 list(TREE.glob('hypervisor/**/*.c')) +
                 list(TREE.glob('tools/*.c')))
DOCS = [TREE / 'Documentation' / 'troubleshooting.md',
        TREE / 'Documentation' / 'debug.md']

CALL = re.compile(r'(?<![\w.])(printk|cell_printk|panic_printk|pr_err|'
                  r'pr_warn|pr_warn_once|pr_notice|pr_info|dev_err|'
                  r'dev_warn|dev_info|netdev_err|netdev_warn|netdev_info|'
                  r'fail)\s*\(')
STRING = re.compile(r'\s*"((?:[^"\\]|\\.)*)"')
# a macro that expands to a format piece, between string literals
MACRO = re.compile(r'\s*([A-Z][A-Z0-9_]*)(?=\s*")')
# with a "0x" before it: the documentation may write ADDR for both
CONVERSION = re.compile(r'(?:0x)?%[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?'
                        r'(?:hh|h|ll|l|z|t)?(?:p[a-zA-Z]*|[diouxXcs])|'
                        r'(?:0x)?%[A-Z][A-Z0-9_]*')


def messages():
    """(file:line, format) of every message call with a literal format."""
    found = []
    for path in SOURCES:
        src = path.read_text()
        for call in CALL.finditer(src):
            # the format: the first string literal of the call
            start = src.find('"', call.end())
            if start < 0 or ';' in src[call.end():start]:
                continue
            pos, pieces = start, []
            while True:
                lit = STRING.match(src, pos)
                if lit:
                    pieces.append(lit.group(1))
                    pos = lit.end()
                    continue
                macro = MACRO.match(src, pos)
                if not macro:
                    break
                pieces.append('%' + macro.group(1))
                pos = macro.end()
            fmt = ''.join(pieces).replace('\\"', '"').replace(
                '\\n', ' ').replace('\\\\', '\\')
            if len(re.findall('[a-zA-Z]', CONVERSION.sub('', fmt))) < 3:
                continue
            where = '%s:%d' % (path.relative_to(TREE),
                               src.count('\n', 0, call.start()) + 1)
            found.append((where, fmt.strip()))
    return found


def pattern(fmt):
    """A regular expression for the message as the documentation writes
    it: the text as it is, a word or more for each conversion."""
    parts = []
    pos = 0
    for conv in CONVERSION.finditer(fmt):
        parts.append(re.escape(fmt[pos:conv.start()].replace('%%', '%')))
        parts.append(r'.*?' if conv.group().endswith('s') else r'\S.*?')
        pos = conv.end()
    parts.append(re.escape(fmt[pos:].replace('%%', '%')))
    return re.compile(''.join(parts).replace(r'\ ', ' ').replace(' ', r'\s+'))


MESSAGES = messages()


def test_found_the_messages():
    """The parser finds the calls (the count grows with the sources)."""
    assert len(MESSAGES) > 150
    assert any('Invalid config' in fmt for _, fmt in MESSAGES)
    assert any('hyp stub' in fmt for _, fmt in MESSAGES)


@pytest.mark.parametrize('where,fmt', MESSAGES,
                         ids=[w for w, _ in MESSAGES])
def test_message_documented(where, fmt):
    regex = pattern(fmt)
    for doc in DOCS:
        for line in doc.read_text().splitlines():
            if regex.search(line):
                return
    pytest.fail('%s: "%s" is in neither %s' %
                (where, fmt, ' nor '.join(d.name for d in DOCS)))
