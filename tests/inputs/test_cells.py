"""Cell rules: numbers, missing markers, percent, full-width, bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest

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
