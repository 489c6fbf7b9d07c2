"""Cell rules: numbers, missing markers, percent, full-width, bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangcun_eval.inputs import cells as C


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12.0), (" 12.5 ", 12.5), ("1,234", 1234.0), ("1,234,567.25", 1234567.25),
     ("１２．５", 12.5), ("－３", -3.0), ("＋3", 3.0), ("1e3", 1000.0), (".5", 0.5),
     ("\u300012\u3000", 12.0), ("-0.0", 0.0)],
)
def test_numbers(text: str, value: float) -> None:
    v, st = C.parse_cells([text], percent_ok=False)
    assert st[0] == C.OK and v[0] == value


@pytest.mark.parametrize("text", C.MISSING_MARKERS)
def test_missing_markers_are_nan_not_zero(text: str) -> None:
    v, st = C.parse_cells([text, f"  {text} "], percent_ok=False)
    assert st.tolist() == [C.MISSING, C.MISSING]
    assert np.isnan(v).all()


@pytest.mark.parametrize("text", ["abc", "1.2.3", "1_000", "inf" , "0x10", "12元", "1,23",
                                  "12,3456", "e5", "--5", "1 2", "#N/A", "TRUE", "45%%"])
def test_not_numbers(text: str) -> None:
    v, st = C.parse_cells([text, "5"], percent_ok=True)
    assert st[0] in (C.NON_NUMERIC, C.NOT_FINITE) and math.isnan(v[0])
    assert st[1] == C.OK and v[1] == 5.0


def test_overflow_is_not_finite() -> None:
    _, st = C.parse_cells(["1e999"], percent_ok=False)
    assert st[0] == C.NOT_FINITE


def test_percent_only_on_percentage_indicators() -> None:
    v, st = C.parse_cells(["45%", "45 ％", "１２％"], percent_ok=True)
    assert st.tolist() == [C.OK] * 3 and v.tolist() == [45.0, 45.0, 12.0]
    v, st = C.parse_cells(["45%", "45"], percent_ok=False)
    assert st.tolist() == [C.PERCENT, C.OK] and math.isnan(v[0])


def test_bounds_status() -> None:
    vals = np.array([[-1.0, 50.0], [101.0, np.nan], [0.0, 1e9]])
    st = C.bounds_status(vals, np.array([0.0, 0.0]), np.array([100.0, np.nan]))
    assert st.tolist() == [[C.BELOW, C.OK], [C.ABOVE, C.OK], [C.OK, C.OK]]


def test_parse_value_matches_column_rules() -> None:
    assert C.parse_value(None, percent_ok=False)[1] == C.MISSING
    assert C.parse_value(float("nan"), percent_ok=False)[1] == C.MISSING
    assert C.parse_value(True, percent_ok=False)[1] == C.NON_NUMERIC
    assert C.parse_value(12, percent_ok=False) == (12.0, C.OK)
    assert C.parse_value("45%", percent_ok=True) == (45.0, C.OK)
    assert C.parse_value("45%", percent_ok=False)[1] == C.PERCENT
    assert C.parse_value(float("inf"), percent_ok=False)[1] == C.NOT_FINITE


def test_large_column_mixed() -> None:
    rng = np.random.default_rng(0)
    nums = rng.uniform(0, 100, 20_000)
    col = np.array([f"{x:.3f}" for x in nums])
    col[::1000] = "NA"
    col[5] = "bad"
    v, st = C.parse_cells(col, percent_ok=False)
    assert (st == C.MISSING).sum() == 20
    assert st[5] == C.NON_NUMERIC
    ok = st == C.OK
    assert np.allclose(v[ok], np.round(nums[ok], 3))


# --------------------------------------------------- stated rules (issue 7 §2)
@pytest.mark.parametrize(
    ("text", "value"),
    [("'123", 123.0), ("'410102", 410102.0), ("\u2019 12.5", 12.5), ("＇7", 7.0),
     ("1\u200b234", 1234.0), ("\ufeff12", 12.0), ("12\u00ad5", 125.0), ("1\u2060,234", 1234.0),
     ("\t12\r", 12.0)],
)
def test_apostrophe_and_invisible_characters_read_as_displayed(text: str, value: float) -> None:
    v, st = C.parse_cells([text], percent_ok=False)
    assert st[0] == C.OK and v[0] == value
    assert C.parse_value(text, percent_ok=False) == (value, C.OK)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("0,5", "decimal comma (meaning 0.5?)"), ("12,5", "meaning 12.5?"),
     ("0,500", "decimal comma"),  # never 500: a leading group of 0 is not a thousands group
     ("12\x0134", "control character(s) U+0001"), ("1\x002", "U+0000"),
     ("2023-05-01", "looks like a date"), ("2023/5/1", "looks like a date"),
     ("2023年5月", "looks like a date"), ("2023-05-01 00:00:00", "looks like a date"),
     ("1 234", "spaces inside the number"), ("1\u00a0234", "spaces inside")],
)
def test_rejected_forms_name_the_reason(text: str, reason: str) -> None:
    from xiangcun_eval.framework import Indicator

    v, st = C.parse_cells([text], percent_ok=True)
    assert st[0] == C.NON_NUMERIC and math.isnan(v[0])
    ind = Indicator(code="X", name_zh="某指标", name_en="Some", level=1, parent="G", unit="%")
    p = C.cell_problem(int(st[0]), indicator=ind, raw=text, row=2, county="410102")
    assert reason in p.what_en and p.value == text


# ------------------------------------- issue 13 §7: the number alphabet, property
_ALPHABET = set("0123456789.+-eE,%'\u2018\u2019") | {
    chr(c) for c in range(0xFF10, 0xFF1A)} | set("．＋－ｅＥ，％＇") | set(
    "\t\n\x0b\x0c\r \x85\xa0\u3000") | set("\u200b\u200c\u200d\u2060\ufeff\u00ad") | {"\x00"}
"""Every character that may appear in a cell read as a number (docs/submissions.md §2).

NUL is listed only because numpy cannot hold a trailing NUL; embedded NULs
are rejected (tested above)."""


@settings(max_examples=400, deadline=None)
@given(
    number=st.from_regex(r"[+-]?\d{1,6}(\.\d{1,4})?", fullmatch=True),
    char=st.characters(blacklist_characters=sorted(_ALPHABET),
                       blacklist_categories=("Cs",)),
    where=st.integers(min_value=0, max_value=20),
)
def test_characters_outside_the_alphabet_are_not_numbers(number: str, char: str,
                                                        where: int) -> None:
    pos = where % (len(number) + 1)
    text = number[:pos] + char + number[pos:]
    for percent_ok in (True, False):
        v, stt = C.parse_cells([text], percent_ok=percent_ok)
        assert stt[0] == C.NON_NUMERIC, (text, stt[0])
        assert math.isnan(v[0])
        assert C.parse_value(text, percent_ok=percent_ok)[1] == C.NON_NUMERIC


@pytest.mark.parametrize("char", [":", ";", "：", "；", "。", "、", "·", "−", "…", "¥", "￥", "°"])
def test_punctuation_examples_are_not_numbers(char: str) -> None:
    for text in (f"12{char}5", f"{char}12", f"12{char}"):
        assert C.parse_cells([text], percent_ok=True)[1][0] == C.NON_NUMERIC
