# SPDX-License-Identifier: GPL-2.0
"""The jailhouse command (tools/jailhouse.c), built for the host, runs the
config tools of the tree for "jailhouse config SUB"."""

import os
import subprocess
import sys
import tarfile

import pytest

from config_helpers import (ARM64_CONFIGS, TOOLS, TREE, build_configs, cfg,
                            cli_sources, have, make_system)

SYSCONFIG = ARM64_CONFIGS / 'qemu-arm64.cell'


@pytest.fixture(scope='module')
def jailhouse(tmp_path_factory):
    """The CLI, looking for its helpers in tools/ as in an installation's
    libexec directory; the Python helpers run with this Python."""
    if not have('gcc'):
        pytest.skip('needs gcc')
    build_configs()
    prefix = tmp_path_factory.mktemp('cli')
    (prefix / 'sbin').mkdir()
    (prefix / 'libexec').mkdir()
    (prefix / 'libexec/jailhouse').symlink_to(TOOLS)
    binary = prefix / 'sbin/jailhouse'
    subprocess.run(['gcc', '-O2', '-Wall', '-I%s' % (TREE / 'include'),
                    '-DJAILHOUSE_VERSION="test"', '-o', str(binary)] +
                   cli_sources(),
                   check=True)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + ':' +
               os.environ.get('PATH', ''))

    def run(*args, env_extra=None):
        return subprocess.run([str(binary)] + [str(a) for a in args],
                              capture_output=True, text=True,
                              env=dict(env, **(env_extra or {})))
    run.binary = binary
    run.env = env
    return run


def test_config_check(jailhouse, tmp_path):
    proc = jailhouse('config', 'check', SYSCONFIG)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    short = tmp_path / 'short.cell'
    short.write_bytes(SYSCONFIG.read_bytes()[:-8])
    proc = jailhouse('config', 'check', short)
    assert proc.returncode == 1
    assert 'short.cell' in proc.stdout + proc.stderr


def test_config_show(jailhouse):
    proc = jailhouse('config', 'show', SYSCONFIG)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('System configuration, arm64')
    assert 'Root cell "qemu-arm64"' in proc.stdout


def test_config_collect(jailhouse, tmp_path):
    proc = jailhouse('config', 'collect', '--help')
    assert proc.returncode == 0, proc.stderr
    assert 'Usage: jailhouse config collect' in proc.stdout

    target = tmp_path / 'target'
    (target / 'proc/device-tree/cpus').mkdir(parents=True)
    (target / 'proc/device-tree/model').write_bytes(b'test board\0')
    (target / 'proc/iomem').write_text('40000000-6fffffff : System RAM\n')
    (target / 'proc/cpuinfo').write_text('processor\t: 0\n')
    out = tmp_path / 'collected.tar'
    proc = jailhouse('config', 'collect', out,
                     env_extra={'JAILHOUSE_COLLECT_ROOT': str(target)})
    assert proc.returncode == 0, proc.stderr
    with tarfile.open(str(out)) as archive:
        names = archive.getnames()
        assert archive.extractfile('jailhouse-config-collect/proc/iomem')\
            .read() == b'40000000-6fffffff : System RAM\n'
    assert 'jailhouse-config-collect/proc/device-tree/model' in names
    assert 'jailhouse-config-collect/proc/device-tree/cpus' in names


def _gicv2_without_gich(s):
    plat = s.platform
    plat.gic_version, plat.gicc_base, plat.gicv_base = 2, 0x08010000, \
        0x08040000
    plat.gicr_base = 0


# name: (change to the good system config, what "config check" says)
UNDRIVEN = {
    'gicv1': (lambda s: setattr(s.platform, 'gic_version', 1),
              'GIC: version 1; this hypervisor drives GICv2 and GICv3 '
              'only'),
    'gicv2-without-gich': (_gicv2_without_gich,
                           'GIC: GICv2 without hypervisor interface address '
                           '(gich_base)'),
    'console-8250': (lambda s: setattr(s.debug_console, 'type',
                                       cfg.CON_TYPE_8250),
                     'debug console: type 8250 (2), this hypervisor drives '
                     'none (0), pl011 (3), xuartps (4) only'),
    'console-unknown': (lambda s: setattr(s.debug_console, 'type', 0xffff),
                        'debug console: unknown type 65535'),
    'architecture-arm': (lambda s: setattr(s, 'architecture', cfg.ARCH_ARM),
                         'architecture arm; this hypervisor runs on arm64 '
                         'and x86 only'),
}


@pytest.mark.parametrize('name', sorted(UNDRIVEN))
def test_config_check_names_what_the_hypervisor_cannot_drive(jailhouse,
                                                             tmp_path, name):
    change, said = UNDRIVEN[name]
    system = make_system()
    change(system)
    path = tmp_path / ('%s.cell' % name)
    path.write_bytes(system.pack())
    proc = jailhouse('config', 'check', path)
    assert proc.returncode == 1
    assert '%s: %s' % (path, said) in proc.stdout.splitlines()
    # The decoders show such a config as it is.
    for sub in ('show', 'decompile'):
        proc = jailhouse('config', sub, path)
        assert proc.returncode == 0 and not proc.stderr, proc.stderr


BOARD_DTS = '''/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "Test board";
	interrupt-parent = <&gic>;
	chosen { stdout-path = "/uart@1000000"; };
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; reg = <0>; };
	};
	memory@40000000 {
		device_type = "memory";
		reg = <0x40000000 0x40000000>;
	};
	gic: interrupt-controller@8000000 {
		compatible = "%s";
		interrupt-controller;
		#interrupt-cells = <3>;
		reg = %s;
		interrupts = <1 9 4>;
	};
	uart@1000000 {
		compatible = "%s";
		reg = <0x1000000 0x1000>;
		interrupts = <0 1 4>;
	};
};
'''
GICV2_REG = '<0x8000000 0x1000>, <0x8010000 0x2000>, <0x8030000 0x1000>, ' \
    '<0x8040000 0x2000>'
# name: (GIC compatible, GIC reg, UART compatible, exit status, message)
BOARDS = {
    'gicv1': ('arm,pl390', GICV2_REG, 'arm,pl011', 1,
              '/interrupt-controller@8000000 (arm,pl390): an interrupt '
              'controller the hypervisor does not drive; it needs a GICv2 '
              'or GICv3'),
    'gicv2-two-frames': ('arm,gic-400', '<0x8000000 0x1000>, '
                         '<0x8010000 0x2000>', 'arm,pl011', 1,
                         '/interrupt-controller@8000000: GICv2 needs 4 '
                         'register frames, the device tree gives 2'),
    'console-8250': ('arm,gic-400', GICV2_REG, 'ns16550a', 0,
                     'Warning: console /uart@1000000 is a UART of type '
                     '8250, which the hypervisor does not drive: the debug '
                     'console is off'),
    'console-xuartps': ('arm,gic-400', GICV2_REG, 'cdns,uart-r1p12', 0,
                        'Note: Linux must not use'),
}


@pytest.mark.skipif(not have('dtc'), reason='needs dtc')
@pytest.mark.parametrize('name', sorted(BOARDS))
def test_config_create_names_what_the_hypervisor_cannot_drive(
        jailhouse, tmp_path, name):
    gic, reg, uart, status, said = BOARDS[name]
    dts = tmp_path / 'board.dts'
    dts.write_text(BOARD_DTS % (gic, reg, uart))
    dtb = tmp_path / 'board.dtb'
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', str(dtb),
                    str(dts)], check=True)
    out = tmp_path / 'board.cell'
    proc = jailhouse('config', 'create', '--dtb', dtb, out)
    assert proc.returncode == status, proc.stderr
    assert said in proc.stderr
    assert 'Traceback' not in proc.stderr
    if status == 0:
        assert jailhouse('config', 'check', out).returncode == 0


@pytest.mark.parametrize('sub', ['check', 'collect', 'compile', 'create',
                                 'decompile', 'show'])
def test_config_help(jailhouse, sub):
    """Each config command answers --help with its own usage."""
    for opt in ('--help', '-h'):
        proc = jailhouse('config', sub, opt)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ''
        assert proc.stdout.lower().startswith(
            'usage: jailhouse config %s' % sub), proc.stdout


def test_config_help_group(jailhouse):
    proc = jailhouse('config', '--help')
    assert proc.returncode == 0, proc.stderr
    for sub in ('check', 'collect', 'compile', 'create', 'decompile',
                'show'):
        assert 'jailhouse config %s' % sub in proc.stdout


@pytest.mark.parametrize('sub', ['show', 'decompile'])
def test_config_output_closed_early(jailhouse, sub):
    """"jailhouse config show ... | head" ends quietly: the helper dies of
    SIGPIPE like any filter, without a Python traceback."""
    configs = sorted(ARM64_CONFIGS.glob('*.cell'))
    args = configs if sub == 'show' else configs[:1]
    out = subprocess.run(['sh', '-c', '"$@" | head -n 1', 'sh'] +
                         [str(jailhouse.binary), 'config', sub] +
                         [str(a) for a in args],
                         capture_output=True, text=True, env=jailhouse.env)
    assert out.returncode == 0
    assert len(out.stdout.splitlines()) == 1
    assert out.stderr == ''
