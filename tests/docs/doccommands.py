# SPDX-License-Identifier: GPL-2.0
"""The commands the documentation shows, so that tests run them.

Commands are marked by the fence of their block:

    ```sh          on the build host, from the top of the tree
    ```sh guest    as root in the QEMU guest (scripts/qemu-run.sh), the
                   driver loaded; tests/e2e/test_docs.py runs them
    ```sh guest x86  the same in the x86 guest (scripts/qemu-run.sh
                   --machine x86); tests/e2e/test_docs.py runs them there
    ```sh board    on a board, which the tests cannot reach: a test that
                   does the same on QEMU or into a staging directory
                   (DESTDIR) is named for each in
                   tests/docs/test_doc_commands.py

A block's lines are commands, but for blank lines and comments; a line
that ends in a backslash goes on in the next.  Any other fence (```c,
```toml, plain ```) shows text, not commands.  A ```c block whose first
line is a comment naming a path, like /* inmates/demos/hello.c */, is a
file the host commands of its document use."""

import re
from dataclasses import dataclass
from pathlib import Path

TREE = Path(__file__).resolve().parents[2]
KINDS = ('sh', 'sh guest', 'sh guest x86', 'sh board')
FENCE = re.compile(r'^( *)```(.*)$')
FILE_COMMENT = re.compile(r'^/\* ([\w./-]+) \*/$')


@dataclass(frozen=True)
class Command:
    doc: str        # the document, relative to the tree
    line: int       # where the command starts
    kind: str       # one of KINDS
    text: str

    def __str__(self):
        return '%s:%d: %s' % (self.doc, self.line, self.text)


def documents():
    """The Markdown documents of the tree."""
    docs = [TREE / 'README.md']
    docs += sorted((TREE / 'Documentation').rglob('*.md'))
    docs += sorted(p for p in TREE.glob('*/README.md'))
    return docs


def _strip_comment(line):
    """The line without a trailing comment ("# ..." outside quotes)."""
    quote = None
    for pos, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in '\'"':
            quote = char
        elif char == '#' and (pos == 0 or line[pos - 1].isspace()):
            return line[:pos].rstrip()
    return line.rstrip()


def blocks(doc):
    """(info string, first line number, lines) of each fenced block."""
    found = []
    lines = doc.read_text().splitlines()
    n = 0
    while n < len(lines):
        fence = FENCE.match(lines[n])
        n += 1
        if not fence:
            continue
        indent, info, start, body = len(fence.group(1)), \
            fence.group(2).strip(), n + 1, []
        while n < len(lines) and not FENCE.match(lines[n]):
            body.append(lines[n][indent:])
            n += 1
        n += 1
        found.append((info, start, body))
    return found


def commands(doc):
    """The commands of @doc, in their order."""
    result = []
    rel = str(doc.relative_to(TREE))
    for info, start, body in blocks(doc):
        if info not in KINDS:
            continue
        text, first = '', None
        for offset, line in enumerate(body):
            if first is None:
                line = _strip_comment(line)
                if not line.strip():
                    continue
                first = start + offset
            if line.endswith('\\'):
                text += line[:-1]
                continue
            text += line
            result.append(Command(rel, first, info, ' '.join(text.split())))
            text, first = '', None
    return result


def files(doc):
    """{path: content} of the ```c blocks of @doc that name their path."""
    result = {}
    for info, _, body in blocks(doc):
        if info == 'c' and body and FILE_COMMENT.match(body[0]):
            result[FILE_COMMENT.match(body[0]).group(1)] = \
                '\n'.join(body) + '\n'
    return result


def all_commands(kind=None):
    return [c for doc in documents() for c in commands(doc)
            if kind is None or c.kind == kind]
