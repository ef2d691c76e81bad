# SPDX-License-Identifier: GPL-2.0
"""The man pages of Documentation/man: each renders with groff and man
without a warning, names the commands and options that the jailhouse
command's own usage lists, and refers only to pages that exist."""

import re
import subprocess

import pytest

from conftest import MAN

PAGES = ['jailhouse.8', 'jailhouse-enable.8', 'jailhouse-cell.8',
         'jailhouse-config.8', 'jailhouse-console.8',
         'jailhouse-cell-config.5']

# The page that documents each group of commands
GROUP_PAGE = {'enable': 'jailhouse-enable.8',
              'disable': 'jailhouse-enable.8',
              'console': 'jailhouse-console.8',
              'cell': 'jailhouse-cell.8',
              'config': 'jailhouse-config.8',
              'hardware': 'jailhouse.8'}


def render(page):
    """The page as man shows it, plain text."""
    proc = subprocess.run(['man', '-l', '-P', 'cat', str(MAN / page)],
                          capture_output=True, text=True,
                          env={'PATH': '/usr/bin:/bin', 'MANWIDTH': '80',
                               'LC_ALL': 'C.UTF-8'})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ''
    # bold and underline by overstriking, hyphenation hyphens
    text = re.sub(r'.\x08', '', proc.stdout)
    return text.replace('\u2010', '-').replace('\u2212', '-')


def test_pages_there():
    found = sorted(p.name for p in MAN.iterdir())
    assert sorted(PAGES) == found


@pytest.mark.parametrize('page', PAGES)
def test_groff_without_warnings(page):
    proc = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-z',
                           str(MAN / page)], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr == ''


@pytest.mark.parametrize('page', PAGES)
def test_man_renders(page):
    text = render(page)
    name, section = page.rsplit('.', 1)
    assert text.startswith('%s(%s)' % (name.upper(), section))
    for head in ('NAME', 'SYNOPSIS' if section == '8' else 'DESCRIPTION',
                 'DESCRIPTION', 'SEE ALSO'):
        assert re.search('^%s$' % head, text, re.M), head
    assert re.search(r'^       %s(,| +-)' % re.escape(name), text, re.M)


@pytest.mark.parametrize('page', PAGES)
def test_see_also_exists(page):
    source = (MAN / page).read_text()
    for ref, section in re.findall(r'^\.BR (jailhouse[\\a-z-]*) \((\d)\)',
                                   source, re.M):
        ref = ref.replace('\\-', '-')
        assert (MAN / ('%s.%s' % (ref, section))).exists(), ref


def usage_lines(jailhouse):
    proc = jailhouse('--help')
    assert proc.returncode == 0
    lines = proc.stdout.split('Available commands:\n')[1].split('\n\n')[0]
    # continuation lines belong to the command above them
    return re.sub(r'\n {5,}', ' ', lines).strip().splitlines()


def test_every_command_documented(jailhouse):
    """Each command of "jailhouse --help" is in its group's page, with
    every option of its usage."""
    for line in usage_lines(jailhouse):
        words = line.split()
        page = GROUP_PAGE[words[0]]
        text = render(page)
        command = ' '.join(words[:2]) if words[0] in (
            'cell', 'config', 'hardware') else words[0]
        assert 'jailhouse ' + command in text or \
            command in text, (command, page)
        for option in re.findall(r'--?[a-z][a-z-]*', line):
            assert re.search(r'(^|[\s\[|(])%s\b' % re.escape(option),
                             text, re.M), (option, command, page)
