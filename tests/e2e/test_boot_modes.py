# SPDX-License-Identifier: GPL-2.0
"""Issue 2 end to end: a kernel that does not leave EL2 to Linux's hyp stub
is refused, with the boot option or setting that fixes it; and issue 8: a
system configuration for the other GIC version is refused."""

import pytest

from conftest import boot_guest, sysconfig
from machines import MACHINE, MACHINES

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


@pytest.mark.parametrize("mode", [m for m in MODES
                                  if m in MACHINE.boot_modes])
def test_enable_refused_with_the_fix(request, mode):
    args, hints = MODES[mode]
    guest = boot_guest(request, args)
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.run("modprobe jailhouse")
    if status == 0:
        out, status = guest.run("jailhouse enable " + sysconfig())
        assert status != 0, "enable succeeded:\n" + out
        assert guest.enabled() == 0
    said = (out + "\n" + guest.sh("dmesg -c")).lower()
    for hint in hints:
        assert hint in said, "no mention of %r in:\n%s" % (hint, said)
    guest.assert_healthy()


# The machine with the same devices but the other GIC, where there is one.
OTHER_GIC = {"virt": "virt-gicv2", "virt-gicv2": "virt"}


@pytest.mark.skipif(MACHINE.name not in OTHER_GIC,
                    reason="no machine with the other GIC")
def test_other_gic_machine_refused(request):
    """The machine's configuration on the same machine with the other GIC
    version: refused without touching the missing GIC's registers, Linux
    runs on.  The driver finds no such GIC in the device tree and says
    so."""
    other = MACHINES[OTHER_GIC[MACHINE.name]]
    guest = boot_guest(request, machine_args=other.qemu_args)
    out, status = guest.run("modprobe jailhouse")
    assert status == 0, out
    guest.sh("dmesg -c > /dev/null")
    out, status = guest.run("jailhouse enable " + sysconfig())
    assert status != 0, "enable succeeded:\n" + out
    assert guest.enabled() == 0
    said = guest.sh("dmesg -c")
    assert "gic_version %d: the device tree has no GICv%d" % (
        MACHINE.gic_version, MACHINE.gic_version) in said, said
    guest.assert_healthy()
