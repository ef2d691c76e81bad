# SPDX-License-Identifier: GPL-2.0
"""What the documentation points at exists: the tests it names as proof
(`tests/...py` and `tests/...py::test_name`, Documentation/hardware.md's
matrix above all), the pages it refers to (`Documentation/NAME.md`), and
the machines of the hardware matrix are those tests/e2e/machines.py
boots."""

import re

import pytest

import doccommands
from conftest import TREE

TEST_REF = re.compile(r'(tests/[\w/]+\.py)(?:::(\w+))?')
PAGE_REF = re.compile(r'Documentation/[\w/-]+\.md')
DOCS = doccommands.documents()


def refs(regex):
    found = set()
    for doc in DOCS:
        for match in regex.finditer(doc.read_text()):
            found.add((str(doc.relative_to(TREE)), match.group(0)))
    return sorted(found)


@pytest.mark.parametrize('doc,ref', refs(TEST_REF),
                         ids=lambda v: v if '/' in v else None)
def test_named_test_exists(doc, ref):
    path, _, name = ref.partition('::')
    assert (TREE / path).is_file(), '%s: %s does not exist' % (doc, path)
    if name:
        assert re.search(r'^def %s\(' % name, (TREE / path).read_text(),
                         re.M), '%s: %s has no %s' % (doc, path, name)


@pytest.mark.parametrize('doc,ref', refs(PAGE_REF))
def test_named_page_exists(doc, ref):
    assert (TREE / ref).is_file(), '%s: %s does not exist' % (doc, ref)


def test_hardware_matrix_machines():
    """Each machine the e2e tests boot has its row, with its system
    configuration."""
    machines = re.findall(r'Machine\(name="([\w-]+)",.*?sysconfig="([\w.-]+)"',
                          (TREE / 'tests/e2e/machines.py').read_text(),
                          re.S)
    assert len(machines) >= 3
    matrix = (TREE / 'Documentation/hardware.md').read_text()
    for name, sysconfig in machines:
        rows = [line for line in matrix.splitlines()
                if '`%s`' % sysconfig in line]
        assert rows, '%s (%s) has no row' % (name, sysconfig)
        assert '--machine %s`' % name in rows[0]
