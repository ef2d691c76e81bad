# SPDX-License-Identifier: GPL-2.0
"""The x86 machine (JH_MACHINE=x86: scripts/qemu-run.sh --machine x86,
"make ARCH=x86" built): Debian's amd64 kernel boots on q35 with AMD SVM and
nested paging, keeps the hypervisor's and the cells' memory reserved;
jailhouse.ko loads, the hypervisor refuses a configuration without the
root's memory and takes over and hands back the machine with the real one
(Documentation/x86.md), with CPU hot-plug in between, and the driver
unloads.  tests/run runs it in its x86 session."""

import subprocess

import pytest

from conftest import (GUEST_CONFIGS, JH_SYSFS, TREE, boot_guest,
                      kernel_trouble)
from machines import MACHINE

pytestmark = pytest.mark.skipif(MACHINE.arch != "x86",
                                reason="the x86 machine's tests")

# A system configuration with the x86 architecture byte and nothing else:
# the driver hands it on, the hypervisor refuses it.
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


def test_driver_loads_and_hypervisor_refuses(guest, minimal_config):
    guest.sh("modprobe jailhouse")
    assert guest.enabled() == 0
    guest.sh("ls %s/cells/ %s/console" % (JH_SYSFS, JH_SYSFS))
    guest.put("/tmp/minimal.cell", minimal_config)
    out, status = guest.run("jailhouse enable /tmp/minimal.cell")
    assert status != 0, out
    assert "Invalid argument" in out, out
    assert "enabling the hypervisor failed with error -22 on every CPU" \
        in guest.sh("dmesg | tail -n 5")
    assert guest.enabled() == 0
    guest.sh("rmmod jailhouse")
    assert guest.run("[ -e /dev/jailhouse ]")[1] == 1
    assert not kernel_trouble(guest.sh)


def machine_config(guest):
    """The machine's system configuration in the guest, or a skip."""
    config = "%s/%s" % (GUEST_CONFIGS, MACHINE.sysconfig)
    if guest.run("[ -e %s ]" % config)[1]:
        pytest.skip("no %s in the initramfs (configs/x86)" % config)
    return config


def test_enable_disable(guest):
    """Enable and disable twice with the machine's configuration, with
    load and a read of the hypervisor's memory in between."""
    config = machine_config(guest)
    start = MACHINE.reserved[0]
    guest.sh("modprobe jailhouse")
    for _ in range(2):
        guest.sh("jailhouse enable " + config, timeout=120)
        assert guest.enabled() == 1
        guest.sh("for n in 1 2 3 4; do dd if=/dev/zero of=/dev/null "
                 "bs=64k count=500 2>/dev/null & done; wait", timeout=120)
        # the root cell gets #GP where real hardware would abort
        out, status = guest.run("devmem 0x%x 32" % start)
        assert status != 0, out
        assert "general protection fault" in guest.sh("dmesg | tail -n 3")
        assert int(guest.sh("cat %s/cells/0/statistics/vmexits_total"
                            % JH_SYSFS)) > 0
        guest.sh("jailhouse disable", timeout=120)
        assert guest.enabled() == 0
    # the image is back in Linux's reach: its header's signature
    assert "0x4D49484A" in guest.sh("devmem 0x%x 32" % start)
    guest.sh("rmmod jailhouse")
    assert not kernel_trouble(guest.sh)


def test_cpu_hotplug_under_hypervisor(guest):
    """A CPU of the root cell off and on while the hypervisor runs, which
    emulates the INIT and SIPI that Linux sends it."""
    config = machine_config(guest)
    guest.run("modprobe jailhouse")
    guest.sh("jailhouse enable " + config, timeout=120)
    guest.sh("echo 0 > /sys/devices/system/cpu/cpu3/online", timeout=60)
    guest.sh("echo 1 > /sys/devices/system/cpu/cpu3/online", timeout=120)
    assert "0-3" in guest.sh("cat /sys/devices/system/cpu/online")
    guest.sh("jailhouse disable", timeout=120)
    assert guest.enabled() == 0


# CPU models without what the hypervisor needs, and what the driver says.
# Not "max,-svm": the static busybox's C library then fails at start
# (_dl_get_origin) before /proc is mounted.
CPU_LACKS = {
    "qemu64,-svm": "the CPUs do not implement AMD SVM",
    "max,-npt": "the CPUs implement SVM without nested paging (NPT)",
}


@pytest.mark.parametrize("cpu", sorted(CPU_LACKS))
def test_enable_refused_without_svm_or_npt(request, minimal_config, cpu):
    guest = boot_guest(request, ["-C", cpu])
    guest.sh("modprobe jailhouse")
    guest.put("/tmp/minimal.cell", minimal_config)
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.run("jailhouse enable /tmp/minimal.cell")
    assert status != 0, out
    said = guest.sh("dmesg -c")
    assert CPU_LACKS[cpu] in said, said
    assert "not implemented yet" not in said, said
    guest.assert_healthy()
