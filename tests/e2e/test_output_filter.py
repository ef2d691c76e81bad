# SPDX-License-Identifier: GPL-2.0
"""The shared console's filter, on texts as the UART tangles them: no
guest needed."""

from cells import OutputFilter

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
