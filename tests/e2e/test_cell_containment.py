# SPDX-License-Identifier: GPL-2.0
"""Issue 3 end to end: every test inmate tries its way out of its cell
while a second cell (the witness) prints beside it.  Each attempt must be
contained: the cell's CPU is parked, the cell is "failed" and the
hypervisor console names what it tried, or the inmate's result line shows
that the attempt changed nothing; in both cases the root cell answers
commands with all its CPUs and interrupts, and the witness keeps
printing.  Where the GIC can do it (virt, GICv3), every attempt is made
again from a cell with direct interrupt delivery (test_direct_irqs.py)."""

import re
import time
from dataclasses import dataclass, field

import pytest

from cells import (CELL_DIRECT_IRQS, DEMO, DEMO2, MEM_IO, MEM_IO_UNALIGNED,
                   MEM_READ, MEM_WRITE, MemRegion, OutputFilter, attr,
                   cell_ids, console, create, demo, destroy, hexaddr,
                   inmate_test, load, online, online_except, put_config,
                   start, state, wait_state, with_flags, with_memory)
from machines import MACHINE

# The cell that tries (DEMO) and the one that must not notice (DEMO2).
CPU = DEMO.cpus[0]
WITNESS_CPU = DEMO2.cpus[0]
# Linux's RAM, where the cell has none of its own at that address.
ROOT_RAM = DEMO.unmapped(MACHINE.linux_ram[0])
HYPERVISOR = MACHINE.hypervisor_memory[0]
WITNESS_RAM = DEMO2.ram()[1].phys_start
# What the witness prints, every WITNESS_MS; taken out of command output.
WITNESS_MS = 1000
WITNESS_LINE = r"Hello (\d+) from cell!"
# The same line as a template: a command's output may begin or end amid it.
WITNESS_TEMPLATE = "Hello # from cell!\n"

PARKED, RESULT, EITHER = "parked", "result", "either"
# The inmate's own exception handler reports a fault the hypervisor
# injected (x86: #GP for an MSR refused), its CPU is not the hypervisor's
# failed one.
FAULTED = "faulted"
# The root's console UART's interrupt, and one of the root cell that
# Linux leaves off.
UART_IRQ = MACHINE.uart_irq
UNUSED_IRQ = MACHINE.unused_irq
PSCI_FAILED = r"TEST psci-foreign: result CPU_ON of MPIDR \S+ returned -\d+"

# QEMU's fw_cfg (0x18 bytes, the root's) as a sub-page region: the
# hypervisor performs the cell's accesses on the device.  A 2-byte read of
# the selector (+8) ends in a bus error; the DMA address register (+0x10)
# reads as "QEMU CFG", without side effects.
FW_CFG = MACHINE.fw_cfg


@dataclass
class Case:
    inmate: str
    args: str
    outcome: str
    # parked: what the hypervisor console must say (regular expressions)
    says: list = field(default_factory=list)
    # result: a regular expression the inmate's output must match
    result: str = r"TEST \S+: result"
    # never printed by the inmate
    never: str = None
    # memory regions the cell has on top of those of its config
    regions: tuple = ()


def access(kind, addr, size=None, why=None):
    says = [r"Unhandled data %s at %s%s" % (kind, hexaddr(addr),
                                            r" \(%d bytes\)" % size
                                            if size else ""),
            r"CPU %d\b" % CPU]
    if why:
        says.append(r"Unhandled data %s at %s.*: %s" % (kind, hexaddr(addr),
                                                        why))
    return says


CASES = {
    "read-root-ram": Case("mem-access", "addr=0x%x" % ROOT_RAM, PARKED,
                          access("read", ROOT_RAM)),
    "write-root-ram": Case("mem-access", "addr=0x%x write" % ROOT_RAM,
                           PARKED, access("write", ROOT_RAM)),
    "read-hypervisor": Case("mem-access", "addr=0x%x" % HYPERVISOR, PARKED,
                            access("read", HYPERVISOR)),
    "write-hypervisor": Case("mem-access", "addr=0x%x write" %
                             (HYPERVISOR + 0x2000), PARKED,
                             access("write", HYPERVISOR + 0x2000)),
    "read-other-cell": Case("mem-access", "addr=0x%x" % WITNESS_RAM,
                            PARKED, access("read", WITNESS_RAM)),
    # The witness's code.
    "write-other-cell": Case("mem-access", "addr=0x%x write" %
                             (WITNESS_RAM + 0x2000), PARKED,
                             access("write", WITNESS_RAM + 0x2000)),
    # The root's UART: were it off or elsewhere, the shell would not hear
    # us any more.
    "irq-disable": Case("irq-foreign", "irq=%d mode=disable" % UART_IRQ,
                        EITHER),
    # GICD_IROUTER on a GICv3, GICD_ITARGETSR on a GICv2
    "irq-route": Case("irq-foreign", "irq=%d mode=route" % UART_IRQ,
                      EITHER),
    "irq-enable": Case("irq-foreign", "irq=%d mode=enable" % UNUSED_IRQ,
                       EITHER),
    # Linux's "stop this CPU" IPI to the root's CPU 0, or to the witness:
    # ICC_SGI1R_EL1 on a GICv3, GICD_SGIR on a GICv2.
    "sgi-root": Case("sgi-foreign", "target=0 sgi=2", EITHER),
    "sgi-other-cell": Case("sgi-foreign", "target=0x%x sgi=0" % WITNESS_CPU,
                           EITHER),
    "psci-root-cpu": Case("psci-foreign", "target=0", EITHER,
                          result=PSCI_FAILED, never="escaped"),
    "psci-other-cell": Case("psci-foreign", "target=0x%x" % WITNESS_CPU,
                            EITHER, result=PSCI_FAILED, never="escaped"),
    # Management of the witness from inside a cell.
    "hypercalls": Case("hypercalls", "cell=%s", RESULT,
                       result=r"TEST hypercalls: result code 0x1234 "
                       r"\(unknown\) returned -\d+\n(.*\n)*TEST hypercalls: "
                       r"done, 5 of 5 management calls refused with -EPERM"),
    "cache-setway": Case("cache-setway", "op=isw levels=2", EITHER),
    "wild-jump-hypervisor": Case("wild-jump", "addr=0x%x" % HYPERVISOR,
                                 PARKED,
                                 [r"Instruction fetch from %s"
                                  % hexaddr(HYPERVISOR),
                                  r"CPU %d\b" % CPU]),
    "wild-jump-root-ram": Case("wild-jump", "addr=0x%x" % ROOT_RAM, PARKED,
                               [r"Instruction fetch from %s"
                                % hexaddr(ROOT_RAM), r"CPU %d\b" % CPU]),
}


def fw_cfg_cases():
    """Accesses the hypervisor performs on a device for the cell (issue 7,
    item 1): a bus error or an unaligned access fails the cell, not the
    hypervisor."""
    selector = FW_CFG + 8
    dma = FW_CFG + 0x10
    region = MemRegion(FW_CFG, FW_CFG, 0x18, MEM_READ | MEM_WRITE | MEM_IO)
    unaligned = MemRegion(FW_CFG, FW_CFG, 0x18, MEM_READ | MEM_IO |
                          MEM_IO_UNALIGNED)
    abort = "the device answered with an abort"
    return {
        "device-abort": Case("mem-access", "addr=0x%x size=2" % selector,
                             PARKED, access("read", selector, 2, abort),
                             regions=(region,)),
        "device-abort-write": Case("mem-access", "addr=0x%x size=4 write "
                                   "value=0" % selector, PARKED,
                                   access("write", selector, 4, abort),
                                   regions=(region,)),
        "device-unaligned": Case("mem-access", "addr=0x%x size=4" %
                                 (dma + 1), PARKED,
                                 access("read", dma + 1, 4,
                                        "access denied") +
                                 [r"Denied 4-byte read at .*: unaligned "
                                  r"access not permitted"],
                                 regions=(region,)),
        # Carried out as aligned 1- and 2-byte reads: "EMU " of "QEMU CFG".
        "device-unaligned-permitted": Case("mem-access", "addr=0x%x size=4"
                                           % (dma + 1), RESULT,
                                           result=r"TEST mem-access: result "
                                           r"read 0x20554d45 from 0x%x\b" %
                                           (dma + 1),
                                           regions=(unaligned,)),
        "device-unaligned-8": Case("mem-access", "addr=0x%x size=8" %
                                   (dma - 1), PARKED,
                                   access("read", dma - 1, 8, abort),
                                   regions=(unaligned,)),
    }


def gic_v3_cases():
    """The redistributors are the hypervisor's: not even those of the
    cell's own CPUs are mapped (their SGI frames are emulated), so that
    disabling the root CPU 0's interrupts (its timer and IPIs) fails."""
    sgi_frame = MACHINE.gicr + 0x10000
    return {
        "gicr-disable-root-ppis": Case("mem-access", "addr=0x%x write "
                                       "value=0xffffffff" %
                                       (sgi_frame + 0x180), EITHER),
        "gicr-wake-root": Case("mem-access", "addr=0x%x write value=0x2"
                               % (MACHINE.gicr + 0x14), EITHER),
    }


def gic_v2_cases():
    """The cell's CPU interface is the virtual one (GICV) at the GICC
    address; the hypervisor's control frame (GICH) and the GICV frame at
    its own address are not the cell's."""
    return {
        "gich-read": Case("mem-access", "addr=0x%x" % MACHINE.gich, PARKED,
                          access("read", MACHINE.gich)),
        # GICH_HCR: off, the root's virtual interrupts would stop
        "gich-write": Case("mem-access", "addr=0x%x write value=0" %
                           MACHINE.gich, PARKED,
                           access("write", MACHINE.gich)),
        "gicv-direct": Case("mem-access", "addr=0x%x" % MACHINE.gicv,
                            PARKED, access("read", MACHINE.gicv)),
        # GICD_SGIR itself, the stop IPI to CPU interface 0 (the root's)
        "gicd-sgir-root": Case("mem-access", "addr=0x%x write "
                               "value=0x10002" % (MACHINE.gicd + 0xf00),
                               EITHER),
        # GICD_ITARGETSR of the UART's SPI, all CPU interfaces
        "itargetsr-root-spi": Case("mem-access", "addr=0x%x size=1 write "
                                   "value=0xff" % (MACHINE.gicd + 0x800 +
                                                   UART_IRQ), EITHER),
    }


def x86_access(kind, addr):
    """What the x86 hypervisor says of a cell's access outside its
    memory."""
    return [r"Unhandled %s at %s" % (kind, hexaddr(addr)),
            r"CPU %d, cell \"%s\": access outside the cell" % (CPU,
                                                               DEMO.name)]


def x86_msr_refused(msr, what):
    return [r'Cell "%s": MSR 0x%x %s refused, #GP injected \(CPU %d\)'
            % (DEMO.name, msr, what, CPU)]


def x86_cases():
    """The same attempts on x86, and those of its own: IPIs through the
    local APIC (the hypervisor sends them to the cell's CPUs only), the
    IOAPIC (not the cell's), MSRs of SVM and ports of the root."""
    cases = {
        "read-root-ram": Case("mem-access", "addr=0x%x" % ROOT_RAM, PARKED,
                              x86_access("read", ROOT_RAM)),
        "write-root-ram": Case("mem-access", "addr=0x%x write" % ROOT_RAM,
                               PARKED, x86_access("write", ROOT_RAM)),
        "read-hypervisor": Case("mem-access", "addr=0x%x" % HYPERVISOR,
                                PARKED, x86_access("read", HYPERVISOR)),
        "write-hypervisor": Case("mem-access", "addr=0x%x write" %
                                 (HYPERVISOR + 0x2000), PARKED,
                                 x86_access("write", HYPERVISOR + 0x2000)),
        "read-other-cell": Case("mem-access", "addr=0x%x" % WITNESS_RAM,
                                PARKED, x86_access("read", WITNESS_RAM)),
        "write-other-cell": Case("mem-access", "addr=0x%x write" %
                                 (WITNESS_RAM + 0x2000), PARKED,
                                 x86_access("write", WITNESS_RAM + 0x2000)),
        "wild-jump-hypervisor": Case("wild-jump", "addr=0x%x" % HYPERVISOR,
                                     PARKED,
                                     x86_access("instruction fetch",
                                                HYPERVISOR)),
        "wild-jump-root-ram": Case("wild-jump", "addr=0x%x" % ROOT_RAM,
                                   PARKED,
                                   x86_access("instruction fetch",
                                              ROOT_RAM)),
        # The root's UART pin in the IOAPIC, which the cell does not have.
        "irq-disable": Case("irq-foreign", "pin=%d mode=disable" % UART_IRQ,
                            EITHER),
        "irq-route": Case("irq-foreign", "pin=%d mode=route" % UART_IRQ,
                          EITHER),
        "irq-enable": Case("irq-foreign", "pin=%d mode=enable" % UNUSED_IRQ,
                           EITHER),
        "hypercalls": CASES["hypercalls"],
        # SVM's host save area: virtual for the cell (reads 0)
        "msr-hsave-read": Case("msr-access", "", RESULT,
                               result=r"TEST msr-access: result read 0x0 "
                               r"from MSR 0xc0010117"),
        "msr-hsave-write": Case("msr-access", "write value=0x1000", RESULT),
        # The machine's: memory types, the TSC, microcode.  Refused.
        "msr-mtrr-write": Case("msr-access", "msr=0x2ff write", FAULTED,
                               x86_msr_refused(0x2ff, "write")),
        "msr-tsc-write": Case("msr-access", "msr=0x10 write", FAULTED,
                              x86_msr_refused(0x10, "write")),
        "msr-patch-loader": Case("msr-access", "msr=0xc0010020 write",
                                 FAULTED,
                                 x86_msr_refused(0xc0010020, "write")),
        # The PAT: the cell's own, carried out on the VMCB's guest PAT
        # (all write-back here); a reserved memory type is refused.
        "msr-pat-write": Case("msr-access",
                              "msr=0x277 write value=0x0606060606060606",
                              RESULT),
        "msr-pat-reserved": Case("msr-access", "msr=0x277 write value=0x2",
                                 FAULTED, x86_msr_refused(0x277, "write")),
        # done as WBINVD: nothing written is lost
        "cache-invd": Case("cache-invd", "count=3", RESULT,
                           [r'Cell "%s": INVD done as WBINVD \(CPU %d\)'
                            % (DEMO.name, CPU)]),
        # i8042: 0xfe resets the machine
        "pio-reset": Case("pio-access", "port=0x64 write value=0xfe",
                          EITHER),
        "pio-root-uart": Case("pio-access", "port=0x3f8 write value=0x41",
                              EITHER),
    }
    # Interprocessor interrupts to the root's CPU 0 and to the witness.
    for mode in ("fixed", "nmi", "init", "sipi"):
        for who, target in (("root", 0), ("other-cell", WITNESS_CPU)):
            cases["ipi-%s-%s" % (mode, who)] = Case(
                "ipi-foreign", "target=%d mode=%s" % (target, mode), EITHER)
    # The same in the x2APIC mode, which the hypervisor emulates: the ICR
    # is one MSR with a 32-bit destination, all ones for every CPU.
    for mode in ("fixed", "init"):
        for who, target in (("root", 0), ("other-cell", WITNESS_CPU)):
            cases["ipi-%s-%s-x2apic" % (mode, who)] = Case(
                "ipi-foreign", "target=%d mode=%s x2apic" % (target, mode),
                EITHER)
    cases["ipi-fixed-broadcast-x2apic"] = Case(
        "ipi-foreign", "target=0xffffffff mode=fixed x2apic", RESULT)
    # x2APIC registers: the ID as it is, the logical ID read-only, none
    # of them in the xAPIC mode.
    cases["x2apic-id-read"] = Case(
        "msr-access", "msr=0x802 x2apic", RESULT,
        result=r"TEST msr-access: result read 0x%x from MSR 0x802" % CPU)
    cases["x2apic-ldr-write"] = Case(
        "msr-access", "msr=0x80d write value=0x1 x2apic", FAULTED,
        x86_msr_refused(0x80d, "write"))
    cases["x2apic-in-xapic-mode"] = Case(
        "msr-access", "msr=0x802", FAULTED, x86_msr_refused(0x802, "read"))
    return cases


if MACHINE.arch == "x86":
    CASES = x86_cases()
else:
    if FW_CFG is not None:
        CASES.update(fw_cfg_cases())
    CASES.update(gic_v3_cases() if MACHINE.gic_version == 3
                 else gic_v2_cases())


@pytest.fixture
def witness(cell_guest):
    """The second cell, printing a line every WITNESS_MS; its lines are
    taken out of what the tests read."""
    g = cell_guest
    wid = create(g, DEMO2)
    load(g, DEMO2.name, demo("uart-demo"),
         "count=0 interval-ms=%d" % WITNESS_MS)
    mark = start(g, DEMO2.name, settle=0)
    g.wait_output(WITNESS_LINE, mark, timeout=30)
    g.filter = OutputFilter(WITNESS_LINE, tangled=witness_lines,
                            cut=WITNESS_TEMPLATE,
                            max_runs=len(WITNESS_TEMPLATE))
    yield wid
    # Gone before the next test begins, also when this one failed.
    if g.alive:
        g.run("jailhouse cell destroy " + DEMO2.name)
    g.filter = OutputFilter()


# The witness's highest number in a test, when no line of it shows whole:
# a test takes less than a minute.
WITNESS_MAX = 64


def witness_lines(text):
    """The witness's lines that may be in @text: its numbers count up by
    one, so those around the numbers that show, or all of a test's if
    none does (another cell's characters may have come between each of
    a line's, where both print through the hypervisor's debug
    console)."""
    shown = [int(n) for n in
             re.findall(r"(?<=Hello )\d+|\d+(?= from cell)", text)]
    numbers = (range(max(1, min(shown) - 2), max(shown) + 3) if shown
               else range(1, WITNESS_MAX + 1))
    return {"Hello %d from cell!\n" % n for n in numbers}


def witness_prints(guest):
    """The witness prints its next line, a number higher than before."""
    mark = guest.mark()
    out = guest.wait_output(WITNESS_LINE, mark, timeout=WITNESS_MS / 1000
                            * 3 + 10, strip=False)
    return int(re.search(WITNESS_LINE, out).group(1))


# The attacker's interrupts: through the hypervisor, or (the same cell with
# JAILHOUSE_CELL_DIRECT_IRQS) directly from the GIC where it can.
DELIVERY = ["injected"] + (["direct"] if MACHINE.name == "virt" else [])


def assert_said(g, whats):
    """The hypervisor console says each of the regular expressions
    @whats."""
    said = console(g)
    for what in whats:
        assert re.search(what, said), \
            "the hypervisor console does not say %r:\n%s" % (what, said)


@pytest.mark.parametrize("delivery", DELIVERY)
@pytest.mark.parametrize("name", CASES)
def test_contained(cell_guest, witness, name, delivery):
    g = cell_guest
    case = CASES[name]
    args = case.args % witness if "%s" in case.args else case.args
    before = g.interrupts()
    seen = witness_prints(g)

    config = None
    if case.regions or delivery == "direct":
        data = DEMO.data()
        for region in case.regions:
            data = with_memory(data, region)
        if delivery == "direct":
            data = with_flags(data, CELL_DIRECT_IRQS)
        config = put_config(g, "contained-" + name, data)
    cid = create(g, DEMO, config)
    load(g, DEMO.name, inmate_test(case.inmate), args)
    mark = start(g, DEMO.name)
    out = g.wait_output(r"TEST %s: trying" % case.inmate, mark, timeout=30)
    # Time to come back, if it does, or to be parked: on a loaded host the
    # inmate's line, a hypercall per character, may take seconds.
    deadline = time.monotonic() + 30
    while True:
        g.listen(2)
        out = g.output_since(mark)
        result = re.search(r"TEST %s: result (.*)" % case.inmate, out)
        parked = state(g, cid) == "failed"
        if result or parked or time.monotonic() > deadline:
            break
    assert not (parked and result), out

    if case.outcome == PARKED:
        assert not result, "not contained:\n" + out
    if case.outcome == RESULT:
        assert result, "no result line:\n" + out
    if case.outcome == FAULTED:
        assert not result, "not refused:\n" + out
        assert re.search(r"Unexpected exception: vector 13 ", out), out
        wait_state(g, cid, "failed")
        assert attr(g, cid, "cpus_failed_list") == ""
        assert_said(g, case.says)
    elif result:
        assert re.search(case.result, out), out
        assert state(g, cid) == "running"
        assert_said(g, case.says)
    else:
        wait_state(g, cid, "failed")
        assert attr(g, cid, "cpus_failed_list") == DEMO.cpu_list
        assert_said(g, [r"CPU %d\b" % CPU] + case.says)
    if case.never:
        assert case.never not in out, out

    # The root cell runs on with its CPUs and interrupts ...
    assert g.sh("echo alive") == "alive"
    assert g.enabled() == 1
    assert online(g) == online_except(DEMO.cpus + DEMO2.cpus)
    for cpu in (0, 1):
        assert g.sh("taskset -c %d cat /proc/self/stat | cut -d' ' -f39"
                    % cpu) == str(cpu)
    after = g.interrupts()
    # ... the UART's interrupts among them, on its CPUs (this command's
    # echo came in through it), and no stop IPI reached them (arm64).
    uart = [k for k in after if MACHINE.uart_irq_name.lower() in k.lower()]
    assert uart, after
    assert sum(after[uart[0]][:2]) > sum(before[uart[0]][:2])
    if "IPI2" in before:
        assert after["IPI2"][:2] == before["IPI2"][:2]
    # ... the witness as well ...
    assert state(g, witness) == "running"
    assert witness_prints(g) > seen
    # ... and the cell that tried goes, as any other.
    destroy(g, DEMO.name)
    destroy(g, DEMO2.name)
    assert cell_ids(g) == [0]
    assert online(g) == online_except([])
    # The hypervisor manages cells as before.
    create(g, DEMO)
    destroy(g, DEMO.name)
    g.assert_healthy()
