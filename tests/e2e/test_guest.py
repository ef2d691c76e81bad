# SPDX-License-Identifier: GPL-2.0
"""The test bench itself: the guest boots with all CPUs (at EL2 on arm64,
with SVM on x86), its shell answers reliably, and the root cell's disk
works."""

from machines import MACHINE


def test_shell_answers_with_output_and_status(guest):
    assert guest.run("echo hello") == ("hello", 0)
    assert guest.run("false")[1] == 1
    assert guest.run("exit 7 | true; (exit 42)")[1] == 42
    out, status = guest.run("echo out; echo err >&2; ls /nonexistent")
    assert status != 0
    assert out.splitlines()[:2] == ["out", "err"]


def test_all_cpus_online(guest):
    assert guest.sh("nproc") == str(MACHINE.cpus)
    guest.assert_healthy()


def test_kernel_keeps_hypervisor_memory_free(guest):
    # mem= (arm64), memmap= (x86): Linux's RAM ends where the hypervisor
    # and cells begin.
    ram = guest.sh("grep 'System RAM' /proc/iomem")
    assert MACHINE.iomem_linux_ram in ram, ram


def test_disk_reads_and_writes(guest):
    disk = MACHINE.disk
    assert guest.read("/sys/block/%s/size" % disk) == str(16 << 20 >> 9)
    assert guest.sh("head -c 19 /dev/" + disk) == "jailhouse test disk"
    guest.sh("dd if=/dev/urandom of=/tmp/data bs=64k count=16 2>/dev/null")
    guest.sh("dd if=/tmp/data of=/dev/%s bs=64k seek=1 conv=fsync "
             "2>/dev/null" % disk)
    guest.sh("echo 3 > /proc/sys/vm/drop_caches")
    assert guest.sh("dd if=/dev/%s bs=64k skip=1 count=16 2>/dev/null "
                    "| md5sum | cut -d' ' -f1" % disk) == \
        guest.sh("md5sum < /tmp/data | cut -d' ' -f1")


def test_long_command_lines_survive_the_console(guest):
    word = "x" * 900
    assert guest.sh("echo %s | wc -c" % word) == str(len(word) + 1)
