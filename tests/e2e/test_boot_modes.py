# SPDX-License-Identifier: GPL-2.0
"""Issue 2 end to end: a kernel that does not leave EL2 to Linux's hyp stub
is refused, with the boot option or setting that fixes it."""

import pytest

from conftest import SYSCONFIG, boot_guest

MODES = {
    # No virtualization extensions: Linux starts at EL1.
    "el1": (["-E"], ["el2"]),
    # A CPU with VHE: Linux keeps EL2 for itself even without KVM; only
    # id_aa64mmfr1.vh=0 makes it use the stub.
    "vhe": (["-C", "cortex-a76"], ["id_aa64mmfr1.vh=0"]),
    # Issue 7: KVM in nVHE mode owns EL2 and answers the stub's probe
    # like the stub; it must not lose EL2 to the hypervisor.
    "kvm-nvhe": (["-K", "-a", "kvm-arm.mode=nvhe"], ["kvm-arm.mode=none"]),
}


@pytest.mark.parametrize("mode", MODES)
def test_enable_refused_with_the_fix(request, initramfs, mode):
    args, hints = MODES[mode]
    guest = boot_guest(request, args)
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.run("modprobe jailhouse")
    if status == 0:
        out, status = guest.run("jailhouse enable " + SYSCONFIG)
        assert status != 0, "enable succeeded:\n" + out
        assert guest.enabled() == 0
    said = (out + "\n" + guest.sh("dmesg -c")).lower()
    for hint in hints:
        assert hint in said, "no mention of %r in:\n%s" % (hint, said)
    guest.assert_healthy()


def test_gicv2_machine_refused(request, initramfs):
    """The GICv3 configuration on a machine with a GICv2: refused without
    touching the missing GICv3 registers, Linux runs on.  The driver finds
    no GICv3 in the device tree and says so."""
    guest = boot_guest(request, ["-g", "2"])
    out, status = guest.run("modprobe jailhouse")
    assert status == 0, out
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.run("jailhouse enable " + SYSCONFIG)
    assert status != 0, "enable succeeded:\n" + out
    assert guest.enabled() == 0
    said = guest.sh("dmesg -c")
    assert "gic_version 3: the device tree has no GICv3" in said, said
    guest.assert_healthy()
