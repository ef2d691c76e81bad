# SPDX-License-Identifier: GPL-2.0
"""The shared console's filter, on texts as the UART tangles them: no
guest needed."""

from cells import OutputFilter
from conftest import console_text

LINE = r"Hello (\d+) from cell!"
TEMPLATE = "Hello # from cell!\n"


def lines(text):
    return {"Hello 8 from cell!\n"} if "8" in text else set()


def witness_filter():
    return OutputFilter(LINE, tangled=lines, cut=TEMPLATE)


def test_whole_and_tangled_lines_go():
    f = witness_filter()
    assert f("1\nHello 7 from cell!\n2\n") == "1\n2\n"
    assert f("1Hello 8 fr\nom cell!\n") == "1\n"


def test_line_begun_before_the_output_goes():
    # the witness printed "Hell" before the shell's begin marker
    f = witness_filter()
    assert f("o 8 from cell!\n1\n") == "1\n"
    assert f("12 from cell!\n1\n") == "1\n"
    assert f("!\n1\n") == "1\n"


def test_line_ending_after_the_output_goes():
    # ... or "Hel" before its end marker
    f = witness_filter()
    assert f("1\nHel") == "1\n"
    assert f("1\nHello 12") == "1\n"
    assert f("Hello") == ""


def test_other_text_stays():
    f = witness_filter()
    for text in ("1\n", "1\nabc Hel", "cell!", "x\ncell\n"):
        assert f(text) == text
    assert OutputFilter()("o 8 from cell!\n1\n") == "o 8 from cell!\n1\n"


def test_line_cut_by_the_end_of_a_command_is_whole_again():
    # a cell printed "uart-dem", the shell ended its command and printed
    # its prompt, the cell "o: done"
    end = "\x1e\x1d\x1c\x1e\x1c\x1e\r\n"
    prompt = "jailhouse:/# \x1b[6n"
    assert console_text("Started\r\nuart-dem" + end + prompt +
                        "o: done\r\n") == "Started\nuart-demo: done\n"
    # its first character in the marker
    assert console_text("Hello 1\r\n\x1e\x1d\x1e" + "u\x1c\x1e\r\n" +
                        prompt + "art-demo: done\r\n") == \
        "Hello 1\nuart-demo: done\n"
    # the end marker before the line began, the prompt amid it (official
    # CI, x86, 2026-12-02)
    assert console_text("(1 in all)\r\n" + end + "ivshmem-demo: doorbe" +
                        prompt + "ll from peer 2 (2 in all)\r\n"
                        "ivshmem-demo: rang\r\n") == \
        "(1 in all)\n\nivshmem-demo: doorbell from peer 2 (2 in all)\n" + \
        prompt + "\nivshmem-demo: rang\n"
    # the rest of the line before the prompt (official CI, x86,
    # 2026-12-02)
    assert console_text("Shutdown request approved\r\r\nivshmem-demo: "
                        "peer 2" + end + " state 3 -> 0\r\r\n" + prompt +
                        "_jb 115; ls; _je 115 $?\r\n") == \
        "Shutdown request approved\nivshmem-demo: peer 2 state 3 -> 0\n" + \
        prompt + "\n_jb 115; ls; _je 115 $?\n"
    # ... but not after a line that had ended
    assert console_text("done\r\n" + end + "Hello\r\n" + prompt) == \
        "done\n\nHello\n" + prompt + "\n"
    # ... but not the shell's next command line
    assert console_text("abc" + prompt + "_jb 3; ls; _je 3 $?\r\n") == \
        "abc" + prompt + "\n_jb 3; ls; _je 3 $?\n"
    # a whole line before the marker stays a line of its own, and so does
    # one after the prompt
    assert console_text("done\r\n" + end + prompt + "Hello\r\n") == \
        "done\n\n" + prompt + "\nHello\n"


def test_line_tangled_character_by_character():
    # two cells printing through the hypervisor's debug console, one
    # hypercall per character (official CI, x86, 2026-12-02)
    from test_cell_containment import witness_lines
    f = OutputFilter(LINE, tangled=witness_lines, cut=TEMPLATE,
                     max_runs=len(TEMPLATE))
    text = ("TEST msr-access: trying write of MSR 0xc0010020\n"
            "Unexpected exception: veHcetlolro  133  f(rom cell!\n"
            "general protection), error 0x0, RIP 0xf2053, CR2 0x0, CPU 0\n"
            "\nHello 4 from cell!\nHello 5 from cell!\n")
    assert f(text) == ("TEST msr-access: trying write of MSR 0xc0010020\n"
                       "Unexpected exception: vector 13 (general "
                       "protection), error 0x0, RIP 0xf2053, CR2 0x0, "
                       "CPU 0\n\n")
    # no whole line of the witness to go by
    assert f("abHcedlflo 1 from cell!\n\n") == "abcdf\n"


def test_line_that_begins_another_leaves_nothing_behind():
    # 'Destroyed cell "inmate-demo"' was not printed, but the line of the
    # cell after it was, whole: its "2" stayed before the next line
    # (official CI, zcu102, 2026-12-02)
    names = {'Destroyed cell "inmate-demo"\n',
             'Destroyed cell "inmate-demo2"\n'}
    f = OutputFilter(tangled=lambda text: names)
    text = ('Shutdown request approved\nDestroyed cell "inmate-demo2"\n'
            'ivshmem-demo: peer 2 state 3 -> 0\n')
    assert f(text) == ("Shutdown request approved\n"
                       "ivshmem-demo: peer 2 state 3 -> 0\n")
    # the same with numbers: "Hello 1" begins "Hello 11"
    f = OutputFilter(LINE, tangled=lambda text: {"Hello 1 from cell!\n",
                                                 "Hello 11 from cell!\n"})
    assert f("a\nHello 11 from cell!\nb\n") == "a\nb\n"


def test_line_cut_by_the_end_of_a_command_amid_its_output_goes():
    # the witness printed "Hello 8 from c", the command "1\n", and the
    # end marker came before the witness's "ell!" (official CI, x86,
    # 2026-12-02)
    from test_cell_containment import witness_lines
    f = OutputFilter(LINE, tangled=witness_lines, cut=TEMPLATE,
                     max_runs=len(TEMPLATE))
    assert f("Hello 8 from c1\n") == "1\n"
    assert f("2\nHello 12 fr1\n") == "2\n1\n"
    assert f("2\n1Hello 12 fr\n") == "2\n1\n"
    # ... or began amid it
    assert f("1o 8 from cell!\n\n") == "1\n"
    assert f("1cell!\n\n") == "1\n"
    # a few characters could be anyone's, and so could a line's letters
    # spread over the text, or a part far from the cut end
    for text in ("Hello\n", "hello world!\n", "Hell1\n", "x\n1l!\n",
                 "cells: all ok!\n", "done, cell ok!\nmore\n",
                 "Cell state: cell running!\n", "Help: follow the log \n",
                 "1\nHe said: llo \n", "Hello 8 fr" + "x" * 20 + "\n",
                 "y" * 20 + " from cell!\n"):
        assert f(text) == text
