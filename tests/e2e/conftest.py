# SPDX-License-Identifier: GPL-2.0
"""QEMU test bench: boots the Debian arm64 guest with our initramfs and
drives its busybox shell over the serial console.

One guest per test module (booting costs most of the time under TCG); a
test finds it as the ``guest`` fixture.  A guest that died or hung is
booted again for the next test of the module, a few times at most.

A session tests one machine (machines.py): --machine NAME or JH_MACHINE;
its guests' console logs and initramfs are in build/e2e/NAME/, or
build/e2e/$JH_E2E_SESSION/ when tests/run names the session, so that
sessions can run at the same time, also several of one machine.
"""

import base64
import os
import re
import struct
import subprocess
import tempfile
import time

import pexpect
import pytest

import machines

TREE = machines.TREE
BUILD = TREE / "build"

# Paths inside the guest.
GUEST_CONFIGS = "/etc/jailhouse"
FIRMWARE = "/lib/firmware/jailhouse.bin"
JH_SYSFS = "/sys/devices/jailhouse"
ROOT_CELL = JH_SYSFS + "/cells/0"

# TCG emulating 4 CPUs on 2 shared host cores is slow: be generous, but
# bounded, so that a hung guest costs minutes, not the whole run.
BOOT_TIMEOUT = int(os.environ.get("JH_BOOT_TIMEOUT", 300))
CMD_TIMEOUT = int(os.environ.get("JH_CMD_TIMEOUT", 120))
MAX_BOOTS = 3
MAX_LINE = 960
# The shell's prompt (scripts/mkinitramfs.sh: PS1, and busybox's cursor
# position query).
PROMPT = r"jailhouse:[^\n#]*# (?:\x1b\[6n)?"
# All e2e modules together; past it, tests fail at once instead of booting.
BUDGET = int(os.environ.get("JH_E2E_BUDGET", 55 * 60))
_start = time.monotonic()
# what a Linux kernel says when something went wrong in it
TROUBLE = r"Oops|\bBUG\b|\bWARNING\b|Call trace|Unable to handle"


def pytest_addoption(parser):
    parser.addoption("--machine", choices=list(machines.MACHINES),
                     help="the machine to test (default: $JH_MACHINE, or "
                     "%s)" % machines.DEFAULT)


def pytest_configure(config):
    machine = machines.select(config.getoption("machine"))
    # A child process (scripts/demo.sh, say) tests the same machine.
    os.environ["JH_MACHINE"] = machine.name


def pytest_report_header(config):
    m = machines.current()
    if m.arch != "arm64":
        return "machine: %s (%s), logs in %s" % (m.name, m.arch, logs())
    return "machine: %s (%s, GICv%d), logs in %s" % (
        m.name, m.sysconfig, m.gic_version, logs())


def kernel_trouble(run):
    """What the kernel log, read by the shell runner @run (a guest's or a
    cell's), says of things gone wrong, with the lines that follow; empty
    when nothing did.  The log is searched where it is: a Linux cell's
    console drops output its host does not take at once."""
    return run("dmesg | grep -E -A 12 '%s' || true" % TROUBLE)


def logs():
    """Where this session's guests keep their console logs."""
    return BUILD / "e2e" / os.environ.get("JH_E2E_SESSION",
                                          machines.current().name)


def sysconfig():
    """The machine's system configuration, in the guest."""
    return "%s/%s" % (GUEST_CONFIGS, machines.current().sysconfig)


def __getattr__(name):
    """What depends on the machine, for "from conftest import NAME" in
    the test modules (imported once the machine is chosen)."""
    if name == "NUM_CPUS":
        return machines.current().cpus
    if name == "SYSCONFIG":
        return sysconfig()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


# Where a command's output begins and ends, and its exit status, are
# marked on the console in four control characters, FS and GS for the bits
# 0 and 1 of a number, RS and US as delimiters.  Cells and the hypervisor
# write to the same UART as the shell, character by character, so their
# text may land anywhere inside a marker; but no one else writes these
# characters, so they are found in whatever came between.  The shell
# functions that print them are defined at each boot (MARK_FUNCTIONS);
# the command line typed only names them, so its echo never matches.
_BITS = "\x1c\x1d"
_RS, _US = "\x1e", "\x1f"
_OTHER = "[^\x1c-\x1f]*?"
MARK_FUNCTIONS = (
    "_jn() { local x=$1 o=; while :; do o=\"\\03$((4 + x % 2))$o\"; "
    "x=$((x / 2)); [ $x -gt 0 ] || break; done; printf \"$o\"; }; "
    "_jb() { printf '\\037'; _jn $1; printf '\\037\\n'; }; "
    "_je() { printf '\\036'; _jn $1; printf '\\036'; _jn $2; "
    "printf '\\036\\n'; }")


def _join_cut_line(m):
    """An end marker, its line end and the prompt after it, if any
    (console_text()): only the marker stays if a line was cut there, its
    characters before the marker or in it."""
    before, marker = m.group(1), m.group(2)
    cut = (before and before not in _BITS + _RS + _US) or \
        re.sub(r"[\x1c-\x1f]", "", marker)
    return before + marker if cut else m.group(0)


def console_text(raw):
    """The console's characters @raw as the lines the writers printed:
    Unix line ends, the markers gone."""
    text = re.sub(r"\r+\n?", "\n", raw)
    # A line that another writer had begun when a command ended: the end
    # marker's line end, and the prompt if the rest of the line came after
    # it, came amid its characters (the shell's commands end their output
    # with a line end of their own).
    text = re.sub(r"([^\n]?)(" + _RS + "[^\n]*?" + _RS + "[^\n]*?" + _RS +
                  ")\n(?:" + PROMPT + r"(?=[^\n\x1b])|(?!" + PROMPT +
                  r")(?=[^\n\x1b\x1c-\x1f]))", _join_cut_line, text)
    # The markers' characters: one that lands before a cell's line
    # would hide the line from a pattern anchored at its start.
    text = re.sub(r"[\x1c-\x1f]", "", text)
    # A prompt that came amid a cell's line, after the end marker (the
    # shell's next command not typed yet): the line whole, then the prompt.
    text = re.sub(r"(?<=[^\n])(" + PROMPT + r")(?!_jb |\x1b)([^\n]+)\n",
                  lambda m: m.group(2) + "\n" + m.group(1), text)
    # A cell's line that comes after the shell's prompt starts a line.
    return re.sub(PROMPT + r"(?![\n\x1b])", lambda m: m.group(0) + "\n",
                  text)


def _marker_bits(n):
    return _OTHER.join(_BITS[int(b)] for b in bin(n)[2:])


def _begin_marker(n):
    """What _jb N prints, other text allowed in between."""
    return _US + _OTHER + _marker_bits(n) + _OTHER + _US + "[^\n]*\n"


def _end_marker(n):
    """What _je N STATUS prints; the status bits, with other text, are
    group 1."""
    return (_RS + _OTHER + _marker_bits(n) + _OTHER + _RS +
            "([^\x1e\x1f]*?)" + _RS)


def _status(field):
    bits = "".join(str(_BITS.index(c)) for c in field if c in _BITS)
    return int(bits, 2)


class GuestError(Exception):
    """The guest died, hung or could not be booted."""


class Guest:
    """A QEMU guest with a shell on its console."""

    def __init__(self, name, initramfs, qemu_args=(), qemu_extra=()):
        self.name = name
        self.initramfs = initramfs
        self.qemu_args = list(qemu_args)
        # QEMU's own options, behind scripts/qemu-run.sh's "--"
        self.qemu_extra = list(qemu_extra)
        self.proc = None
        self.disk = None
        self.boots = 0
        self.marker = 0
        # What other writers to the console (the hypervisor, cells) print
        # may come in the middle of what a test reads: when set, a function
        # that takes it out of the text of run() and output_since().
        self.filter = None
        self.logfile = None
        self.logpath = logs() / (name + ".log")
        self.logpath.parent.mkdir(parents=True, exist_ok=True)
        self.logpath.unlink(missing_ok=True)

    # -- life cycle --------------------------------------------------------

    @property
    def alive(self):
        return self.proc is not None and self.proc.isalive()

    def start(self):
        if time.monotonic() - _start > BUDGET:
            raise GuestError("e2e time budget of %d s used up" % BUDGET)
        if self.boots >= MAX_BOOTS:
            raise GuestError("guest %s already booted %d times, giving up"
                             % (self.name, self.boots))
        self.boots += 1

        # A fresh disk for each boot, private to this run: another test
        # run in the same tree must not find it locked.
        fd, self.disk = tempfile.mkstemp(prefix="jailhouse-e2e-",
                                         suffix=".img")
        with os.fdopen(fd, "wb") as f:
            f.write(b"jailhouse test disk\n")
            f.truncate(16 << 20)
        if self.logfile is None:
            self.logfile = open(self.logpath, "a")
        self.logfile.write("\n===== boot %d: %s =====\n"
                           % (self.boots, " ".join(self.qemu_args)))

        # "quiet": kernel messages below warnings stay in dmesg rather
        # than come between the commands' output.
        args = self.qemu_args + ["-i", str(self.initramfs), "-d", self.disk,
                                 "-a", "quiet"]
        if self.qemu_extra:
            args += ["--"] + self.qemu_extra
        self.proc = pexpect.spawn(str(TREE / "scripts/qemu-run.sh"), args,
                                  encoding="utf-8", codec_errors="replace",
                                  timeout=BOOT_TIMEOUT, maxread=65536)
        self.proc.logfile_read = self.logfile
        try:
            self.proc.expect_exact("jailhouse QEMU guest:")
            self.proc.expect(r"# ")
            self.proc.sendline(MARK_FUNCTIONS + "; _je 0 0")
            self.proc.expect(_end_marker(0))
        except (pexpect.EOF, pexpect.TIMEOUT) as e:
            self.kill()
            raise GuestError("guest %s did not boot (%s); log: %s"
                             % (self.name, type(e).__name__,
                                self.logpath)) from None

    def kill(self):
        if self.proc is not None:
            self.proc.terminate(force=True)
            self.proc.close(force=True)
        self.proc = None
        if self.disk is not None:
            os.unlink(self.disk)
        self.disk = None

    def stop(self, how="poweroff -f"):
        """Power off (or reset: QEMU runs with -no-reboot), else kill.
        Return whether the guest ended by itself."""
        clean = False
        if self.alive:
            self.proc.sendline(how)
            try:
                self.proc.expect(pexpect.EOF, timeout=60)
                clean = True
            except pexpect.TIMEOUT:
                pass
        self.kill()
        if self.logfile is not None:
            self.logfile.close()
            self.logfile = None
        return clean

    # -- commands ----------------------------------------------------------

    def run(self, cmd, timeout=CMD_TIMEOUT):
        """Run a shell command line; return (output, exit status).

        Output is stdout and stderr together, as the console shows them,
        with kernel, hypervisor or cell messages that came in between.
        """
        if not self.alive:
            raise GuestError("guest %s is not running" % self.name)
        self.marker += 1
        n = self.marker
        # busybox's line editing keeps at most 1024 characters.
        if len(cmd) > MAX_LINE:
            raise ValueError("command longer than %d characters" % MAX_LINE)
        # One line: text typed ahead would be echoed into the output.
        self.proc.sendline("_jb %d; %s; _je %d $?" % (n, cmd, n))
        try:
            self.proc.expect(_begin_marker(n), timeout=timeout)
            self.proc.expect(_end_marker(n), timeout=timeout)
        except (pexpect.EOF, pexpect.TIMEOUT) as e:
            what = ("died" if isinstance(e, pexpect.EOF)
                    else "hung (no answer in %d s)" % timeout)
            self.kill()
            raise GuestError("guest %s %s during: %s\nlast output:\n%s"
                             % (self.name, what, cmd, self.tail()))\
                from None
        status = _status(self.proc.match.group(1))
        out = re.sub(r"\r+\n?", "\n", self.proc.before)
        if self.filter is not None:
            out = self.filter(out)
        return out.strip("\n"), status

    def sh(self, cmd, timeout=CMD_TIMEOUT):
        """Run a command that must succeed; return its output."""
        out, status = self.run(cmd, timeout)
        assert status == 0, "%r failed with status %d:\n%s" % (cmd, status,
                                                               out)
        return out

    # -- what the console printed --------------------------------------------

    def mark(self):
        """A position in the console log; output_since() returns what came
        after it."""
        if self.logfile is not None:
            self.logfile.flush()
        return self.logpath.stat().st_size if self.logpath.exists() else 0

    def output_since(self, mark, strip=True):
        """Console output since @mark, with Unix line ends; filtered
        unless @strip is false."""
        if self.logfile is not None:
            self.logfile.flush()
        with open(self.logpath, "rb") as f:
            f.seek(mark)
            text = console_text(f.read().decode(errors="replace"))
        if strip and self.filter is not None:
            text = self.filter(text)
        return text

    def listen(self, seconds):
        """Let the console print for a while, the shell idle."""
        if not self.alive:
            raise GuestError("guest %s is not running" % self.name)
        try:
            self.proc.expect([pexpect.TIMEOUT], timeout=seconds)
        except pexpect.EOF:
            self.kill()
            raise GuestError("guest %s died; last output:\n%s"
                             % (self.name, self.tail())) from None

    def wait_output(self, pattern, since, timeout=CMD_TIMEOUT, count=1,
                    strip=True):
        """Wait, the shell idle, until the console has printed @count
        matches of the regular expression @pattern (multi-line) since the
        mark @since.  Return the output since the mark; fail the test
        with it if the matches do not come in @timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            out = self.output_since(since, strip)
            if len(re.findall(pattern, out, re.M)) >= count:
                return out
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("%d x %r not printed in %d s; output:"
                                     "\n%s" % (count, pattern, timeout,
                                               out[-3000:]))
            self.listen(min(left, 0.5))

    def tail(self, lines=30):
        try:
            if self.logfile is not None:
                self.logfile.flush()
            with open(self.logpath, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def interrupts(self):
        """/proc/interrupts: {name: [count per online CPU]}, IPIs and
        the other lines of Linux's own by their label (IPI0..., LOC, RES),
        device interrupts by their handler's name.  Read
        again when a cell's characters on the UART broke a line of it."""
        for _ in range(3):
            lines = self.sh("cat /proc/interrupts").splitlines()
            cpus = len(lines[0].split()) if lines else 0
            counts = {}
            whole = cpus > 0
            for line in lines[1:]:
                fields = line.split()
                if not fields or not fields[0].endswith(":"):
                    continue
                values = []
                for f in fields[1:]:
                    if not f.isdigit():
                        break
                    values.append(int(f))
                # a device's line by its handler, the others (IPI0 on
                # arm64, RES or LOC on x86) by their label
                name = fields[0][:-1]
                if name.isdigit():
                    name = fields[-1]
                counts[name] = values
                # Linux's error counts are one number
                whole = whole and (len(values) == cpus or
                                   name in ("Err", "ERR", "MIS"))
            if whole:
                break
        return counts

    def read(self, path, tries=5):
        """A file's contents, stripped.  The shell prints them twice,
        framed: a cell's characters that came in between on the shared
        UART make the copies differ, and the read is tried again."""
        for _ in range(tries):
            out = self.sh('v=$(cat %s) && printf "<r<%%s>r>\\n" "$v" "$v"'
                          % path)
            copies = re.findall(r"<r<(.*?)>r>", out, re.DOTALL)
            if len(copies) == 2 and copies[0] == copies[1]:
                return copies[0].strip()
        raise GuestError("could not read %s whole from the console:\n%s"
                         % (path, out))

    def put(self, path, data):
        """Write bytes to a file in the guest (over the console)."""
        b64 = base64.b64encode(data).decode()
        self.sh(": > %s.b64" % path)
        for i in range(0, len(b64), 512):
            self.sh("echo %s >> %s.b64" % (b64[i:i + 512], path))
        self.sh("base64 -d %s.b64 > %s && rm %s.b64" % (path, path, path))
        assert int(self.sh("stat -c %%s %s" % path)) == len(data)

    # -- Jailhouse ---------------------------------------------------------

    def load_module(self):
        self.sh("[ -e /dev/jailhouse ] || modprobe jailhouse")

    def enabled(self):
        return int(self.read(JH_SYSFS + "/enabled"))

    def enable(self, config=None):
        self.load_module()
        return self.run("jailhouse enable " + (config or sysconfig()))

    def disable(self):
        return self.run("jailhouse disable")

    def set_enabled(self, on):
        """Bring the system to enabled or disabled, whichever it is."""
        self.load_module()
        if self.enabled() == int(on):
            return
        if on:
            out, status = self.enable()
        else:
            out, status = self.disable()
        assert status == 0, out
        assert self.enabled() == int(on)

    def stat(self, counter, cpu=None):
        """An exit counter of the root cell, summed or of one CPU."""
        path = ROOT_CELL + "/statistics/"
        if cpu is not None:
            path += "cpu%d/" % cpu
        return int(self.read(path + counter))

    def assert_healthy(self):
        """Linux runs on: every CPU online and scheduling work."""
        cpus = machines.current().cpus
        assert self.read("/sys/devices/system/cpu/online") == \
            "0-%d" % (cpus - 1)
        out = self.sh("for c in %s; do taskset -c $c cat /proc/self/stat"
                      " | cut -d' ' -f39; done"
                      % " ".join(str(c) for c in range(cpus)))
        assert out.split() == [str(c) for c in range(cpus)]


@pytest.fixture(scope="session")
def initramfs():
    """The initramfs from what the tree has built, made once per session,
    the session's own."""
    path = logs() / "initramfs.cpio.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(TREE / "scripts/mkinitramfs.sh"), "-o", str(path),
                    "-a", machines.current().arch],
                   check=True, stdout=subprocess.DEVNULL)
    return path


def with_linux_cell(initramfs, out, kernel=None):
    """A copy of the root's @initramfs in @out with what "jailhouse cell
    linux" boots in the demo cell appended (scripts/mkcellinitramfs.sh
    [-k @kernel]): /root/Image and /root/cell-initrd.cpio.gz."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(TREE / "scripts/mkcellinitramfs.sh")] +
                   (["-k", str(kernel)] if kernel else []) + [str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    data = initramfs.read_bytes()
    # the kernel looks for the next archive at a 4-byte boundary
    data += b"\0" * (-len(data) % 4)
    path = out / "initramfs.cpio.gz"
    path.write_bytes(data + (out / "root-addon.cpio").read_bytes())
    return path


@pytest.fixture(scope="session")
def machine():
    return machines.current()


def boot_guest(request, qemu_args=(), machine_args=None):
    """A guest for the requesting module, or test when it brings its own
    @qemu_args; booted as the session's machine unless @machine_args
    says how."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    # a test's own guest is named after the test too (a module's node
    # name is its path)
    if (qemu_args or machine_args is not None) and \
            request.scope == "function":
        name += "-" + request.node.name
    if machine_args is None:
        machine_args = machines.current().qemu_args
    g = Guest(name, request.getfixturevalue("initramfs"),
              list(machine_args) + list(qemu_args))
    request.addfinalizer(g.stop)
    g.start()
    return g


@pytest.fixture(scope="module")
def module_guest(request, initramfs):
    return boot_guest(request, getattr(request.module, "QEMU_ARGS", ()))


@pytest.fixture
def guest(module_guest):
    """The module's guest, booted again if an earlier test lost it."""
    if not module_guest.alive:
        module_guest.start()
    return module_guest


@pytest.fixture
def cell_guest(guest):
    """The guest with the hypervisor enabled and no cell but the root:
    what an earlier test left is destroyed."""
    import cells

    guest.filter = cells.OutputFilter()
    guest.set_enabled(True)
    try:
        cells.destroy_all(guest)
    except AssertionError:
        # A cell that an earlier test could not remove: start afresh.
        guest.stop()
        guest.start()
        guest.set_enabled(True)
    assert cells.online(guest) == "0-%d" % (machines.current().cpus - 1)
    return guest


# -- configuration files ----------------------------------------------------

# Offsets in a system configuration (shared/ABI.md 1.10 and 1.2).
SYS_SIGNATURE = 0
SYS_ARCHITECTURE = 5
SYS_REVISION = 6
SYS_HV_MEM_PHYS = 12
SYS_HV_MEM_SIZE = 12 + 16
ROOT_CELL_DESC = 356
CELL_CPU_SET_SIZE = ROOT_CELL_DESC + 48
CELL_NUM_MEMORY_REGIONS = ROOT_CELL_DESC + 52


def sysconfig_bytes():
    """The machine's system configuration, as built: the source of the
    bad ones."""
    return machines.current().sysconfig_bytes()


def patched(data, offset, fmt, value):
    """A copy of the configuration with one field replaced."""
    data = bytearray(data)
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


def hypervisor_memory():
    """(phys_start, size) of the system configuration."""
    return machines.current().hypervisor_memory
