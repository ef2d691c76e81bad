# SPDX-License-Identifier: GPL-2.0
"""Command lines of "jailhouse config SUB": show, check, compile,
decompile and create.  Each returns the exit status."""

import argparse
import os
import signal
import sys

from . import config as cfg
from . import tomlfmt
from . import show as show_mod
from . import check as check_mod
from . import create as create_mod
from . import create_x86
from .acpi import AcpiError
from . import sysinfo
from .fdt import FdtError
from .util import parse_size


def run(main):
    """Exit with @main's status for the command line.  A reader that
    stops early (| head) ends the program quietly, as it does cat: Python
    would otherwise ignore SIGPIPE and die on the write with a
    traceback."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main(sys.argv[1:]))


def _error(prog, text):
    print('%s: %s' % (prog, text), file=sys.stderr)
    return 1


def _is_toml(path):
    return path.endswith('.toml')


def read_config_bytes(path):
    """The binary form of @path: a .cell file as it is, a .toml file
    compiled.  Raise OSError or ConfigError."""
    if _is_toml(path):
        with open(path, encoding='utf-8') as f:
            return tomlfmt.from_toml(f.read(), path).pack()
    with open(path, 'rb') as f:
        return f.read()


def _parser(sub, description):
    return argparse.ArgumentParser(prog='jailhouse config ' + sub,
                                   description=description)


def show_main(argv):
    parser = _parser('show', 'Decode system or cell configurations (.cell '
                     'or .toml) into readable text.')
    parser.add_argument('files', nargs='+', metavar='FILE')
    args = parser.parse_args(argv)
    status = 0
    for n, path in enumerate(args.files):
        try:
            data = read_config_bytes(path)
            config, trailing = cfg.parse(data)
        except OSError as err:
            status = _error(parser.prog, '%s: %s' % (path, err.strerror))
            continue
        except cfg.ConfigError as err:
            status = _error(parser.prog, '%s: %s' % (path, err))
            continue
        if n:
            print()
        if len(args.files) > 1:
            print('%s:' % path)
        print('\n'.join(show_mod.show(config, len(data))))
        if trailing:
            print('Warning: %d bytes behind the end of the configuration' %
                  trailing)
    return status


def check_main(argv):
    parser = _parser('check', 'Check a system configuration and the cell '
                     'configurations to run with it; print every problem '
                     'and exit with status 1 if there is any.')
    parser.add_argument('sysconfig', metavar='SYSCONFIG')
    parser.add_argument('cells', nargs='*', metavar='CELLCONFIG')
    args = parser.parse_args(argv)
    files = []
    problems = []
    warnings = []
    for path in [args.sysconfig] + args.cells:
        try:
            files.append((path, read_config_bytes(path)))
        except OSError as err:
            return _error(parser.prog, '%s: %s' % (path, err.strerror))
        except cfg.ConfigError as err:
            problems.append('%s: malformed: %s' % (path, err))
            files.append(None)
    if files[0] is not None:
        problems += check_mod.check(files[0], [f for f in files[1:] if f],
                                    warnings)
    for warning in warnings:
        print('Warning: %s' % warning)
    for problem in problems:
        print(problem)
    if problems:
        print('%d problem%s found' % (len(problems),
                                      's' if len(problems) > 1 else ''))
        return 1
    print('%s%s: no problems found' % (
        args.sysconfig, ' and %d cell config%s' % (
            len(args.cells), 's' if len(args.cells) > 1 else '')
        if args.cells else ''))
    return 0


def _write(path, data, prog):
    try:
        if path == '-':
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data)
            return 0
        mode = 'wb' if isinstance(data, bytes) else 'w'
        with open(path, mode) as f:
            f.write(data)
    except OSError as err:
        return _error(prog, '%s: %s' % (path, err.strerror))
    return 0


def compile_main(argv):
    parser = _parser('compile', 'Compile the TOML form of a configuration '
                     'into a .cell file.')
    parser.add_argument('source', metavar='FILE.toml')
    parser.add_argument('-o', '--output', metavar='FILE.cell',
                        help='default: FILE.cell next to FILE.toml')
    args = parser.parse_args(argv)
    output = args.output or os.path.splitext(args.source)[0] + '.cell'
    try:
        with open(args.source, encoding='utf-8') as f:
            config = tomlfmt.from_toml(f.read(), args.source)
    except OSError as err:
        return _error(parser.prog, '%s: %s' % (args.source, err.strerror))
    except cfg.ConfigError as err:
        return _error(parser.prog, str(err))
    try:
        data = config.pack()
    except cfg.ConfigError as err:
        return _error(parser.prog, '%s: %s' % (args.source, err))
    return _write(output, data, parser.prog)


def decompile_main(argv):
    parser = _parser('decompile', 'Turn a .cell file into its TOML form; '
                     'compiling that gives the same bytes again.')
    parser.add_argument('source', metavar='FILE.cell')
    parser.add_argument('-o', '--output', metavar='FILE.toml', default='-',
                        help='default: standard output')
    args = parser.parse_args(argv)
    try:
        with open(args.source, 'rb') as f:
            data = f.read()
        config, trailing = cfg.parse(data)
    except OSError as err:
        return _error(parser.prog, '%s: %s' % (args.source, err.strerror))
    except cfg.ConfigError as err:
        return _error(parser.prog, '%s: %s' % (args.source, err))
    if trailing:
        return _error(parser.prog, '%s: %d bytes behind the end of the '
                      'configuration' % (args.source, trailing))
    text = tomlfmt.to_toml(config, 'Decompiled from %s' %
                           os.path.basename(args.source))
    if tomlfmt.from_toml(text).pack() != data:
        return _error(parser.prog, '%s: has bytes the TOML form cannot '
                      'express (a cell name with bytes behind its NUL?)' %
                      args.source)
    return _write(args.output, text, parser.prog)


def create_main(argv):
    parser = _parser('create', 'Write a system configuration (root cell) for '
                     'an arm64 machine from its device tree, /proc/iomem and '
                     '/proc/cpuinfo, or for an x86 machine from its ACPI '
                     'tables, /proc/iomem, /proc/cmdline and sysfs: of the '
                     'running system, of a tarball from "jailhouse config '
                     'collect", or of given files (arm64).')
    parser.add_argument('output', metavar='OUTPUT',
                        help='FILE.cell (binary), FILE.toml, or - for TOML '
                        'on standard output')
    source = parser.add_mutually_exclusive_group()
    source.add_argument('--root', metavar='DIR', default='/',
                        help='read DIR/proc/device-tree (or on x86 '
                        'DIR/sys/firmware/acpi/tables), DIR/proc/iomem, '
                        'DIR/proc/cpuinfo and DIR/sys/bus/pci/devices '
                        '(default: /, the running system)')
    source.add_argument('--tarball', metavar='FILE',
                        help='read a tarball of "jailhouse config collect"')
    source.add_argument('--dtb', metavar='FILE|DIR',
                        help='a device tree blob or a /proc/device-tree '
                        'style directory')
    parser.add_argument('--iomem', metavar='FILE',
                        help='/proc/iomem text (with --dtb; without it, '
                        'Linux\'s use of RAM is unknown)')
    parser.add_argument('--cpuinfo', metavar='FILE',
                        help='/proc/cpuinfo text (with --dtb)')
    parser.add_argument('--mem-hv', metavar='SIZE', type=parse_size,
                        help='hypervisor memory (default: 16M on arm64, 6M '
                        'on x86)')
    parser.add_argument('--mem-inmates', metavar='SIZE', type=parse_size,
                        help='RAM kept from Linux for non-root cells '
                        '(default: 64M on arm64; on x86 the memmap= area '
                        'behind the hypervisor memory)')
    parser.add_argument('--name', help='root cell name (default: from the '
                        'device tree\'s model)')
    args = parser.parse_args(argv)
    if (args.iomem or args.cpuinfo) and not args.dtb:
        parser.error('--iomem and --cpuinfo go with --dtb')
    try:
        if args.tarball:
            machine = sysinfo.from_tarball(args.tarball)
        elif args.dtb:
            machine = sysinfo.from_files(args.dtb, args.iomem, args.cpuinfo)
        else:
            machine = sysinfo.from_root(args.root)
        if machine.is_x86:
            creator = create_x86.X86Creator(machine, args.mem_hv,
                                            args.mem_inmates, args.name)
        else:
            creator = create_mod.Creator(
                machine, create_mod.DEFAULT_HV_SIZE if args.mem_hv is None
                else args.mem_hv, create_mod.DEFAULT_INMATE_SIZE
                if args.mem_inmates is None else args.mem_inmates, args.name)
        system = creator.create()
    except (sysinfo.SourceError, FdtError, create_mod.CreateError,
            AcpiError, cfg.ConfigError) as err:
        return _error(parser.prog, str(err))

    for text in creator.warnings:
        print('Warning: %s' % text, file=sys.stderr)
    for text in creator.notes:
        print('Note: %s' % text, file=sys.stderr)
    data = system.pack()
    problems = check_mod.check((args.output, data))
    for problem in problems:
        print('Generated config: %s' % problem, file=sys.stderr)
    if args.output.endswith('.cell'):
        out = data
    else:
        comment = ['Root cell configuration generated by "jailhouse config '
                   'create" from %s.' % machine.origin]
        comment += creator.notes
        out = tomlfmt.to_toml(system, '\n'.join(comment),
                              creator.region_notes, creator.pci_notes)
    status = _write(args.output, out, parser.prog)
    return 1 if problems else status
