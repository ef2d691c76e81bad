# SPDX-License-Identifier: GPL-2.0
"""Non-root cells in the QEMU guest: their configurations (read from the
built .cell files, so that the tests follow the configs), the jailhouse
commands that manage them, and what sysfs and "cell list" say about them.

The cells' output comes on the UART that is also the guest's console:
the tests read it from the console log (Guest.mark, Guest.wait_output).
"""

import re
import struct
from dataclasses import dataclass

from conftest import GUEST_CONFIGS, JH_SYSFS, TREE
from machines import MACHINE

DEMOS = "/usr/libexec/jailhouse/demos"
TESTS = "/usr/libexec/jailhouse/tests"
# Where inmates read their command line, from their base
# (inmates/README.md).
CMDLINE_ADDR = 0x1000

# Cell configuration, shared/ABI.md 1.2, 1.3, 1.5.
CELL_SIGNATURE = 0
CELL_ARCHITECTURE = 5
CELL_REVISION = 6
CELL_NAME = 8
CELL_FLAGS = 44
CELL_CPU_SET_SIZE = 48
CELL_NUM_MEMORY_REGIONS = 52
CELL_NUM_IRQCHIPS = 60
CELL_NUM_PIO_REGIONS = 64
CELL_DESC_SIZE = 132
MEM_REGION_SIZE = 32
CACHE_REGION_SIZE = 12
IRQCHIP_SIZE = 32
PIO_REGION_SIZE = 4

CELL_PASSIVE_COMMREG = 0x1
CELL_DIRECT_IRQS = 0x10000
MEM_READ = 0x1
MEM_WRITE = 0x2
MEM_IO = 0x10
MEM_LOADABLE = 0x40
MEM_IO_UNALIGNED = 0x8000

# The cells' states as sysfs and "cell list" name them.
STATES = ("running", "running/locked", "shut down", "failed",
          "Comm ABI mismatch")


def cpu_list(cpus):
    """CPU numbers as Linux lists them: "0-2,5"."""
    ranges = []
    for cpu in sorted(cpus):
        if ranges and ranges[-1][1] == cpu - 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ",".join(str(a) if a == b else "%d-%d" % (a, b)
                    for a, b in ranges)


@dataclass(frozen=True)
class MemRegion:
    phys_start: int
    virt_start: int
    size: int
    flags: int


@dataclass(frozen=True)
class CellConfig:
    """A cell configuration of configs/ARCH, as built."""
    file: str

    @property
    def host_path(self):
        return MACHINE.configs / self.file

    @property
    def path(self):
        """Where the initramfs has it."""
        return "%s/%s" % (GUEST_CONFIGS, self.file)

    def data(self):
        return self.host_path.read_bytes()

    @property
    def name(self):
        raw = self.data()[CELL_NAME:CELL_NAME + 32]
        return raw.split(b"\0")[0].decode()

    @property
    def cpus(self):
        data = self.data()
        size = struct.unpack_from("<I", data, CELL_CPU_SET_SIZE)[0]
        bitmap = int.from_bytes(data[CELL_DESC_SIZE:CELL_DESC_SIZE + size],
                                "little")
        return [n for n in range(size * 8) if bitmap >> n & 1]

    @property
    def cpu_list(self):
        return cpu_list(self.cpus)

    def mem_offset(self, n):
        """Offset of memory region @n in the file."""
        size = struct.unpack_from("<I", self.data(), CELL_CPU_SET_SIZE)[0]
        return CELL_DESC_SIZE + size + n * MEM_REGION_SIZE

    @property
    def regions(self):
        data = self.data()
        num = struct.unpack_from("<I", data, CELL_NUM_MEMORY_REGIONS)[0]
        return [MemRegion(*struct.unpack_from("<QQQQ", data,
                                              self.mem_offset(n)))
                for n in range(num)]

    def unmapped(self, start):
        """The first address from @start on, in steps of 2 MiB, that
        the cell has no region at (its guest addresses): what a cell's
        access there reaches is not its own."""
        addr = start
        while any(m.virt_start <= addr < m.virt_start + m.size
                  for m in self.regions):
            addr += 2 << 20
        return addr

    def ram(self):
        """(index, region) of the loadable RAM the inmates run in."""
        for n, mem in enumerate(self.regions):
            if mem.flags & MEM_LOADABLE:
                return n, mem
        raise AssertionError("%s has no loadable RAM" % self.file)


# The machine's cells of configs/ARCH: two of one CPU each, to run side
# by side, and one of two CPUs for the SMP demo.
DEMO = CellConfig(MACHINE.demo)
DEMO2 = CellConfig(MACHINE.demo2)
SMP = CellConfig(MACHINE.smp)


def demo(name):
    return "%s/%s.bin" % (DEMOS, name)


def inmate_test(name):
    return "%s/%s.bin" % (TESTS, name)


# -- the shared UART ----------------------------------------------------------

# What the hypervisor prints as it manages cells, at the moment a cell
# starts printing or the shell answers.
HV_MESSAGES = r'(?:Created|Started|Destroyed) cell "[^"\n]*"(?: \(id \d+\))?\n'


def _subsequence_at(text, start, line, end):
    """Whether @line's characters come in order in text[start:end]."""
    j = 0
    for c in text[start:end]:
        if c == line[j]:
            j += 1
            if j == len(line):
                return True
    return False


def _split(text, start, line, end, max_runs):
    """The fewest runs, at most @max_runs, in which @line's characters
    come in text[start:end], its first one at @start: (runs, indices) or
    None."""
    # (characters of line matched, last one taken) -> (runs, indices)
    states = {(1, True): (1, (start,))}
    for i in range(start + 1, end):
        done = [v for (j, _), v in states.items() if j == len(line)]
        if done:
            return min(done)
        new = {}
        for (j, last), (runs, taken) in states.items():
            options = [((j, False), (runs, taken))]
            if line[j] == text[i]:
                options.append(((j + 1, True),
                                (runs + (not last), taken + (i,))))
            for key, val in options:
                if val[0] <= max_runs and \
                        (key not in new or val[0] < new[key][0]):
                    new[key] = val
        states = new
    done = [v for (j, _), v in states.items() if j == len(line)]
    return min(done) if done else None


def _untangle(text, line, max_runs=4):
    """Take the characters of @line out of @text where another writer's
    characters came in between them: the split into @line and the rest
    with the fewest runs of @line (at most @max_runs), the earliest of
    those.  Return None if there is none."""
    best = None
    for m in re.finditer(re.escape(line[0]), text):
        end = min(len(text), m.start() + 4 * len(line))
        if not _subsequence_at(text, m.start(), line, end):
            continue
        found = _split(text, m.start(), line, end, max_runs)
        if found and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        return None
    drop = set(best[1])
    return "".join(c for n, c in enumerate(text) if n not in drop)


# The fewest characters of a line, cut by a text's beginning or end, that
# are looked for behind the text's own characters: fewer could be anyone's.
MIN_TANGLED_CUT = 6
# How many of the text's own characters may come between that end and the
# part: what the shell printed before the cell went on, or after it
# stopped (a command's short answer).
CUT_SLACK = 16


def _cut_tangled(text, lines, head):
    """@text without what it has of one of @lines where it begins (@head)
    or ends amid that line, a few characters of its own between that end
    and the part: the longest such part, whole.  None if there is none."""
    parts = {line[len(line) - n:] if head else line[:n]
             for line in lines
             for n in range(MIN_TANGLED_CUT, len(line))}
    for part in sorted(parts, key=len, reverse=True):
        if head:
            at = text.find(part, 0, CUT_SLACK + len(part))
        else:
            at = text.rfind(part, max(0, len(text) - CUT_SLACK - len(part)))
        if at >= 0:
            return text[:at] + text[at + len(part):]
    return None


def _cut_line(template):
    """What is left of a line of @template ('#' stands for a number) in a
    text that began (group "head") or ended (group "tail") in the middle
    of the line: a regular expression."""
    def rx(part):
        return r"\d+".join(re.escape(p) for p in part.split("#"))
    number = template.index("#")
    ends = [(r"\d*" if cut == number + 1 else "") + rx(template[cut:])
            for cut in range(1, len(template))]
    starts = [rx(template[:cut]) for cut in range(1, len(template))]
    return re.compile(r"\A(?P<head>%s)|(?:(?<=\n)|\A)(?P<tail>%s)\Z"
                      % ("|".join(ends), "|".join(starts)))


class OutputFilter:
    """Takes out of console text what the hypervisor says about cells and
    any line matching one of @noise (regular expressions): one writer's
    characters may come between another's on the UART.  @tangled, if
    given, names for a text the lines of another writer that may be
    tangled in it (the noise lines are regular expressions, which cannot
    be untangled).  @cut, if given, is the template of that writer's
    lines ('#' for a number): a text that begins or ends amid one of them
    (a command's output between the shell's markers) loses that part,
    also where a few of the text's own characters came before it (the
    text's beginning) or after it (its end): then only with @tangled, and
    only a part of MIN_TANGLED_CUT characters or more.
    @max_runs: into how many pieces at most another writer may have cut
    a tangled line (two cells printing through the hypervisor's debug
    console interleave character by character)."""

    def __init__(self, *noise, tangled=None, cut=None, max_runs=4):
        self.noise = [HV_MESSAGES] + [n + r"\n" for n in noise]
        # the cell's first line comes as it starts, its last ones (a
        # peer told of it) as it goes
        self.hv_lines = ['%s cell "%s"\n' % (what, c.name)
                        for c in (DEMO, DEMO2, SMP)
                        if c.host_path.exists()
                        for what in ("Started", "Destroyed")]
        self.tangled = tangled
        self.max_runs = max_runs
        self.cut = _cut_line(cut) if cut else None

    def __call__(self, text):
        tangled = self.tangled(text) if self.tangled is not None else set()
        lines = list(self.hv_lines) + sorted(tangled)
        # the longest first: a cell's name may begin another's.  The
        # whole ones go before any is untangled: one that was not printed
        # would otherwise be found in one that begins with it, and leave
        # the rest ('Destroyed cell "inmate-demo' of "...demo2", a "2").
        lines = sorted(lines, key=len, reverse=True)
        for line in lines:
            text = text.replace(line, "")
        for line in lines:
            text = _untangle(text, line, self.max_runs) or text
        for noise in self.noise:
            text = re.sub(noise, "", text)
        if self.cut is not None:
            for head in (True, False):
                rest = _cut_tangled(text, tangled, head)
                text = text if rest is None else rest
            text = self.cut.sub("", text)
        return text


# -- commands ----------------------------------------------------------------

def create(guest, config, path=None):
    """jailhouse cell create; return the new cell's id."""
    guest.sh("jailhouse cell create " + (path or config.path))
    return cell_id(guest, config.name)


def load(guest, ref, image, args=None):
    """jailhouse cell load REF IMAGE [-a BASE] [-s ARGS -a BASE+0x1000],
    BASE where the machine's inmates run (0 on arm64, 0xf0000 on x86)."""
    base = MACHINE.inmate_base
    cmd = "jailhouse cell load %s %s" % (ref, image)
    if base:
        cmd += " -a 0x%x" % base
    if args is not None:
        cmd += " -s '%s' -a 0x%x" % (args, base + CMDLINE_ADDR)
    guest.sh(cmd)


def start(guest, ref, settle=1):
    """jailhouse cell start REF; then the shell stays quiet for @settle
    seconds, so that what the cell prints first does not come between
    the shell's own output.  Return the console mark from before the
    start."""
    mark = guest.mark()
    guest.sh("jailhouse cell start %s && sleep %s" % (ref, settle))
    return mark


def run_inmate(guest, config, image, args=None, settle=1):
    """Create, load and start a cell; return (id, mark before start)."""
    cid = create(guest, config)
    load(guest, config.name, image, args)
    return cid, start(guest, config.name, settle)


def assert_create_refused(guest, path, words, what):
    """jailhouse cell create of the config at @path fails with a message,
    and what the tool, the kernel log or the console said (lower case)
    has one of @words; @what names the case."""
    guest.sh("dmesg -c > /dev/null")
    mark = guest.mark()
    out, status = guest.run("jailhouse cell create " + path)
    said = (out + "\n" + guest.sh("dmesg -c") + "\n" +
            guest.output_since(mark)).lower()
    assert status != 0, "%s: create succeeded:\n%s" % (what, out)
    assert out.strip(), "%s: refused without a message" % what
    assert any(w in said for w in words), \
        "%s: none of %s in:\n%s" % (what, words, said)


def destroy(guest, ref):
    guest.sh("jailhouse cell destroy %s" % ref)


def destroy_all(guest):
    """Destroy every non-root cell; the root cell's CPUs all back."""
    for cid in cell_ids(guest):
        if cid != 0:
            destroy(guest, cid)
    assert cell_ids(guest) == [0]


# -- state -------------------------------------------------------------------

def cell_ids(guest):
    out = guest.sh("ls %s/cells" % JH_SYSFS)
    return sorted(int(x) for x in out.split() if x.isdigit())


def cell_id(guest, name):
    out = guest.sh("grep -lx '%s' %s/cells/*/name" % (name, JH_SYSFS))
    ids = re.findall(r"/cells/(\d+)/name", out)
    assert len(ids) == 1, "cell %r: %s" % (name, out)
    return int(ids[0])


def cell_dir(cid):
    return "%s/cells/%d" % (JH_SYSFS, cid)


def attr(guest, cid, name):
    return guest.read("%s/%s" % (cell_dir(cid), name))


def state(guest, cid):
    return attr(guest, cid, "state")


def wait_state(guest, cid, expected, timeout=30):
    """Poll the cell's state until it is @expected; return it."""
    got = guest.sh("i=0; while [ \"$(cat %s/state)\" != '%s' ] && "
                   "[ $i -lt %d ]; do sleep 0.2; i=$((i+1)); done; "
                   "cat %s/state" % (cell_dir(cid), expected, timeout * 5,
                                     cell_dir(cid)))
    assert got.splitlines()[-1] == expected, \
        "cell %d is %r, not %r" % (cid, got, expected)
    return expected


def stat(guest, cid, counter, cpu=None):
    path = "%s/statistics/" % cell_dir(cid)
    if cpu is not None:
        path += "cpu%d/" % cpu
    return int(guest.read(path + counter))


def online(guest):
    """Linux's online CPUs, as a list."""
    return guest.read("/sys/devices/system/cpu/online")


def online_except(cpus):
    """What Linux's online list is with @cpus taken by cells."""
    return cpu_list(set(range(MACHINE.cpus)) - set(cpus))


def mem_pool_used(guest):
    return int(guest.read(JH_SYSFS + "/mem_pool_used"))


CELL_ROW = re.compile(r"^(\d+)\s+(\S+)\s+(%s)(?:\s+(\S+))?(?:\s+(\S+))?\s*$"
                      % "|".join(re.escape(s) for s in
                                 sorted(STATES, key=len, reverse=True)))


def cell_list(guest):
    """jailhouse cell list as {id: (name, state, cpus, failed cpus)}."""
    out = guest.sh("jailhouse cell list")
    lines = out.splitlines()
    header = [i for i, line in enumerate(lines) if line.startswith("ID")]
    assert header, "no header in:\n" + out
    assert lines[header[0]].split() == ["ID", "Name", "State", "Assigned",
                                        "CPUs", "Failed", "CPUs"], out
    cells = {}
    for line in lines[header[0] + 1:]:
        m = CELL_ROW.match(line)
        assert m, "cannot read %r of:\n%s" % (line, out)
        cells[int(m.group(1))] = (m.group(2), m.group(3), m.group(4) or "",
                                  m.group(5) or "")
    return cells


def console(guest):
    """The hypervisor's console buffer (jailhouse console)."""
    return guest.sh("jailhouse console")


def hexaddr(addr):
    """A regular expression for an address as the hypervisor prints it."""
    return r"0x0*%x\b" % addr


# -- configurations made for a test -------------------------------------------

def patched(data, offset, fmt, *values):
    data = bytearray(data)
    struct.pack_into(fmt, data, offset, *values)
    return bytes(data)


def with_flags(data, flags):
    """A cell configuration with @flags set on top of its own."""
    return patched(data, CELL_FLAGS, "<I",
                   struct.unpack_from("<I", data, CELL_FLAGS)[0] | flags)


def with_irqchip(data, address, pin_base, bitmap):
    """A cell configuration with one more irqchip, after the others: the
    PIO regions, PCI devices and what follows them move up."""
    num = struct.unpack_from("<I", data, CELL_NUM_IRQCHIPS)[0]
    size, num_mem, num_cache = struct.unpack_from("<III", data,
                                                  CELL_CPU_SET_SIZE)
    at = CELL_DESC_SIZE + size + num_mem * MEM_REGION_SIZE + \
        num_cache * CACHE_REGION_SIZE + num * IRQCHIP_SIZE
    chip = struct.pack("<QII4I", address, 0, pin_base, *bitmap)
    assert len(chip) == IRQCHIP_SIZE
    data = patched(data, CELL_NUM_IRQCHIPS, "<I", num + 1)
    return data[:at] + chip + data[at:]


def with_pio(data, base, length):
    """A cell configuration (x86) with one more PIO region, after the
    others: the PCI devices and what follows them move up."""
    size, num_mem, num_cache, num_chips, num_pio = struct.unpack_from(
        "<IIIII", data, CELL_CPU_SET_SIZE)
    at = CELL_DESC_SIZE + size + num_mem * MEM_REGION_SIZE + \
        num_cache * CACHE_REGION_SIZE + num_chips * IRQCHIP_SIZE + \
        num_pio * PIO_REGION_SIZE
    data = patched(data, CELL_NUM_PIO_REGIONS, "<I", num_pio + 1)
    return data[:at] + struct.pack("<HH", base, length) + data[at:]


def with_memory(data, region):
    """A cell configuration with one more memory region (a MemRegion),
    after the others: the irqchips and what follows them move up."""
    num = struct.unpack_from("<I", data, CELL_NUM_MEMORY_REGIONS)[0]
    size = struct.unpack_from("<I", data, CELL_CPU_SET_SIZE)[0]
    at = CELL_DESC_SIZE + size + num * MEM_REGION_SIZE
    entry = struct.pack("<QQQQ", region.phys_start, region.virt_start,
                        region.size, region.flags)
    data = patched(data, CELL_NUM_MEMORY_REGIONS, "<I", num + 1)
    return data[:at] + entry + data[at:]


def put_config(guest, name, data):
    """A configuration made by a test, as /tmp/NAME.cell in the guest."""
    path = "/tmp/%s.cell" % name
    guest.put(path, data)
    return path
