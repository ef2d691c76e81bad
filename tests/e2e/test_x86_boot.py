# SPDX-License-Identifier: GPL-2.0
"""The x86 machine (JH_MACHINE=x86: scripts/qemu-run.sh --machine x86,
"make ARCH=x86" built): Debian's amd64 kernel boots on q35 with AMD SVM and
nested paging, keeps the hypervisor's and the cells' memory reserved, and
jailhouse.ko loads, has a configuration the hypervisor cannot work with
refused with the hypervisor's reason, and unloads.  Not in tests/run yet
(issue 13)."""

import subprocess

import pytest

from conftest import JH_SYSFS, TREE, kernel_trouble
from machines import MACHINE

pytestmark = pytest.mark.skipif(MACHINE.arch != "x86",
                                reason="the x86 machine's tests")

# A system configuration with the x86 architecture byte and nothing else:
# the driver hands it to the hypervisor, which refuses it for having
# nothing to measure its timers with (hypervisor/config.c).
MINIMAL_CONFIG = r"""
#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		/* the reason in "jailhouse console" */
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = 0x30000000,
			.size = 0x600000,
		},
		.root_cell = {
			.name = "minimal-x86",
			.cpu_set_size = sizeof(config.cpus),
		},
	},
	.cpus = { 0xf },
};
"""


@pytest.fixture(scope="module")
def minimal_config(tmp_path_factory):
    """The bytes of MINIMAL_CONFIG, built as configs/Makefile builds."""
    d = tmp_path_factory.mktemp("x86-config")
    (d / "minimal.c").write_text(MINIMAL_CONFIG)
    subprocess.run(["gcc", "-O2", "-fdata-sections", "-fno-common",
                    "-I", str(TREE / "include"),
                    "-c", "-o", str(d / "minimal.o"), str(d / "minimal.c")],
                   check=True)
    subprocess.run(["objcopy", "-O", "binary", "-j", ".data.config",
                    str(d / "minimal.o"), str(d / "minimal.cell")],
                   check=True)
    return (d / "minimal.cell").read_bytes()


def test_reserved_area_is_no_linux_ram(guest):
    start, size = MACHINE.reserved
    iomem = guest.sh("cat /proc/iomem")
    assert "%08x-%08x : Reserved" % (start, start + size - 1) in iomem, iomem
    assert MACHINE.iomem_linux_ram + " : System RAM" in iomem, iomem


def test_cpus_offer_svm_with_nested_paging(guest):
    flags = guest.sh("grep -m1 '^flags' /proc/cpuinfo").split()
    assert "svm" in flags and "npt" in flags, flags


def test_console_uart_irq(guest):
    line = guest.sh("grep -E '^ *%d:' /proc/interrupts" % MACHINE.uart_irq)
    assert line.split()[-1] == MACHINE.uart_irq_name, line
    assert guest.run("grep -E '^ *%d:' /proc/interrupts"
                     % MACHINE.unused_irq)[1] == 1


def test_driver_loads_and_has_a_bad_config_refused(guest, minimal_config):
    guest.sh("modprobe jailhouse")
    assert guest.enabled() == 0
    guest.sh("ls %s/cells/ %s/console" % (JH_SYSFS, JH_SYSFS))
    guest.put("/tmp/minimal.cell", minimal_config)
    out, status = guest.run("jailhouse enable /tmp/minimal.cell")
    assert status != 0, out
    assert "Invalid argument" in out, out
    assert "no PM timer (pm_timer_address)" in \
        guest.sh("jailhouse console"), out
    assert guest.enabled() == 0
    guest.assert_healthy()
    guest.sh("rmmod jailhouse")
    assert guest.run("[ -e /dev/jailhouse ]")[1] == 1
    assert not kernel_trouble(guest.sh)
