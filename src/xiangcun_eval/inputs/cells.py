"""Cell rules (单元格规则): text -> number, column-wise, plus bounds checks.

One set of rules, used by every reader and by
:class:`~xiangcun_eval.inputs.submission.CountySubmission`:

* surrounding spaces (including the full-width space) are ignored;
* full-width characters are read as their ASCII forms (``１２．５`` -> ``12.5``,
  ``－``, ``＋``, ``％``, ``，``);
* thousands separators are accepted only in the grouped form ``1,234,567.8``;
* a trailing ``%`` is accepted on percentage indicators (unit ``%``) only and
  does not rescale (``45%`` -> ``45``); on any other indicator it is an error;
* missing markers become NaN, never zero: empty, ``NA``, ``N/A``, ``n/a``,
  ``na``, ``-``, ``--``, ``—``, ``——``, ``/``, ``无``, ``缺失``, ``null``,
  ``NULL``, ``nan``, ``NaN``;
* anything else (text, ``1.2.3``, ``1_000``, ``inf``, ``0x10``, ``12元``) is an
  error quoting the cell;
* numbers outside the indicator's ``lower_bound`` / ``upper_bound`` (from the
  framework: the rule set lives once, in the framework) are errors.

Everything works on whole numpy columns: the text is viewed as a
``(n, width)`` array of code points for the character rules, converted with
one ``astype(float64)``, and only cells that fail are looked at one by one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..framework.model import Framework, Indicator
from .problems import Problem

__all__ = [
    "ABOVE",
    "BELOW",
    "MISSING",
    "MISSING_MARKERS",
    "NON_NUMERIC",
    "NOT_FINITE",
    "OK",
    "PERCENT",
    "bounds_status",
    "cell_problem",
    "framework_bounds",
    "normalise_text",
    "parse_cells",
    "parse_value",
]

OK, MISSING, NON_NUMERIC, PERCENT, NOT_FINITE, BELOW, ABOVE = range(7)
"""Cell status codes returned by :func:`parse_cells` and :func:`bounds_status`."""

MISSING_MARKERS: tuple[str, ...] = (
    "", "NA", "N/A", "n/a", "na", "-", "--", "—", "——", "/", "无", "缺失",
    "null", "NULL", "nan", "NaN",
)
_MARKERS = np.array(MISSING_MARKERS, dtype=np.str_)
_NUMBER_CHARS = np.array([ord(c) for c in "0123456789.eE+-"] + [0], dtype=np.uint32)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _codepoints(a: NDArray[np.str_]) -> NDArray[np.uint32]:
    n = a.shape[0]
    return np.ascontiguousarray(a).view(np.uint32).reshape(n, -1)


def normalise_text(col: NDArray[np.str_]) -> NDArray[np.str_]:
    """Full-width -> ASCII, ideographic space -> space, then strip."""
    cp = _codepoints(col)
    fw = (cp >= 0xFF01) & (cp <= 0xFF5E)
    ideo = cp == 0x3000
    if fw.any() or ideo.any():
        cp = cp.copy()
        cp[fw] -= 0xFEE0
        cp[ideo] = 0x20
        col = cp.view(col.dtype).reshape(col.shape[0])
    out: NDArray[np.str_] = np.char.strip(col)
    return out


def parse_cells(
    col: Sequence[str] | NDArray[np.str_], *, percent_ok: bool
) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """Parse a column of cells to numbers.

    Parameters
    ----------
    col
        The cells of one indicator column as written (strings).
    percent_ok
        Whether a trailing ``%`` is allowed (percentage indicators).

    Returns
    -------
    values : ndarray of float64
        Parsed values; NaN where missing or invalid.
    status : ndarray of int8
        Per cell: ``OK``, ``MISSING``, ``NON_NUMERIC``, ``PERCENT`` (a ``%``
        on a non-percentage indicator) or ``NOT_FINITE``.
    """
    a = np.asarray(col, dtype=np.str_)
    n = a.shape[0]
    values = np.full(n, np.nan)
    status = np.zeros(n, dtype=np.int8)
    if n == 0:
        return values, status
    s = normalise_text(a)
    missing = np.isin(s, _MARKERS)
    status[missing] = MISSING
    pct = np.char.endswith(s, "%") & ~missing
    if pct.any():
        if percent_ok:
            s = s.copy()
            s[pct] = np.char.strip(np.char.replace(s[pct], "%", "", count=1))
        else:
            status[pct] = PERCENT
    comma = (np.char.find(s, ",") >= 0) & (status == OK)
    if comma.any():
        uniq, inv = np.unique(s[comma], return_inverse=True)
        good = np.array([_GROUPED.fullmatch(str(u)) is not None for u in uniq], dtype=bool)
        idx = np.flatnonzero(comma)
        status[idx[~good[inv.ravel()]]] = NON_NUMERIC
        ok_idx = idx[good[inv.ravel()]]
        if ok_idx.size:
            s = s.copy()
            s[ok_idx] = np.char.replace(s[ok_idx], ",", "")
    cand = np.flatnonzero(status == OK)
    if cand.size:
        sub = s[cand]
        allowed = np.isin(_codepoints(sub), _NUMBER_CHARS).all(axis=1)
        status[cand[~allowed]] = NON_NUMERIC
        cand, sub = cand[allowed], sub[allowed]
        try:
            parsed = sub.astype(np.float64)
        except ValueError:
            parsed = _parse_slow(sub)
        bad = np.isnan(parsed)
        status[cand[bad]] = NON_NUMERIC
        values[cand] = parsed
        inf = np.isinf(values)
        status[inf] = NOT_FINITE
        values[inf | (status != OK)] = np.nan
    return values, status


def _parse_slow(sub: NDArray[np.str_]) -> NDArray[np.float64]:
    """Parse unique strings one by one (only used when the fast path fails)."""
    uniq, inv = np.unique(sub, return_inverse=True)
    out = np.array(
        [float(u) if _NUMBER.fullmatch(str(u)) else math.nan for u in uniq], dtype=np.float64
    )
    return out[inv.ravel()]


def parse_value(value: object, *, percent_ok: bool) -> tuple[float, int]:
    """Parse one value (number, string or ``None``) with the same rules.

    Numbers are formatted with ``repr`` and go through :func:`parse_cells`,
    so a single value and a column cell are judged identically.  ``None``
    and float NaN are missing; booleans are not numbers.
    """
    if value is None:
        return math.nan, MISSING
    if isinstance(value, bool):
        return math.nan, NON_NUMERIC
    if isinstance(value, (int, float, np.integer, np.floating)):
        f = float(value)
        if math.isinf(f):
            return math.nan, NOT_FINITE
        text = "nan" if math.isnan(f) else repr(f)
    else:
        text = str(value)
    v, st = parse_cells([text], percent_ok=percent_ok)
    return float(v[0]), int(st[0])


def bounds_status(
    values: NDArray[np.float64], lower: NDArray[np.float64], upper: NDArray[np.float64]
) -> NDArray[np.int8]:
    """``BELOW`` / ``ABOVE`` / ``OK`` for each value against per-column bounds.

    ``values`` is ``(n_units, n_indicators)`` or ``(n_units,)`` with scalar
    bounds; NaN bounds mean unbounded; NaN values are ``OK`` here.
    """
    st = np.zeros(values.shape, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        st[values < lower] = BELOW
        st[values > upper] = ABOVE
    return st


def framework_bounds(framework: Framework) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lower and upper bounds of every indicator, in column order (NaN = none)."""
    return framework.indicator_array("lower_bound"), framework.indicator_array("upper_bound")


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:g}"


def cell_problem(
    status: int,
    *,
    indicator: Indicator,
    raw: str,
    row: int | None,
    county: str | None,
) -> Problem:
    """The :class:`Problem` for a cell with a non-OK status (not ``MISSING``)."""
    unit = indicator.unit or "-"
    rng = f"[{_fmt(indicator.lower_bound)}, {_fmt(indicator.upper_bound)}]"
    def mk(kind: str, wz: str, we: str, fz: str, fe: str) -> Problem:
        return Problem(kind, wz, we, fz, fe, row=row, county=county,
                       indicator=indicator.code, value=raw)

    if status == NON_NUMERIC:
        return mk(
            "non_numeric",
            f"无法识别为数值({indicator.name_zh},单位 {unit})",
            f"not a number ({indicator.name_en}, unit {unit})",
            "填写阿拉伯数字(可带千分位逗号);缺失请留空或填 NA,不要填 0",
            "write a plain number (thousands commas allowed); leave empty or write NA "
            "if missing, never 0"
        )
    if status == PERCENT:
        return mk(
            "percent_not_allowed",
            f"该指标单位为 {unit},不是百分比,不能带 %",
            f"unit is {unit}, not a percentage: a trailing % is not allowed",
            f"去掉 %,按单位 {unit} 填写数值",
            f"remove the % and give the value in {unit}"
        )
    if status == NOT_FINITE:
        return mk(
            "not_finite", "数值为无穷大或溢出", "value is infinite or overflows",
            "填写有限的数值", "write a finite number",
        )
    if status == BELOW:
        return mk(
            "below_lower_bound",
            f"低于下界 {_fmt(indicator.lower_bound)}(允许范围 {rng},单位 {unit})",
            f"below the lower bound {_fmt(indicator.lower_bound)} (allowed {rng}, unit {unit})",
            "核对数值与单位(如 万元/元、比例/百分数)",
            "check the value and its unit (e.g. 10k yuan vs yuan, share vs percent)"
        )
    if status == ABOVE:
        pct_hint_zh = ";百分比请填 0-100 而不是 0-1 的比例" if indicator.is_percentage else ""
        pct_hint_en = "; percentages are 0-100" if indicator.is_percentage else ""
        return mk(
            "above_upper_bound",
            f"高于上界 {_fmt(indicator.upper_bound)}(允许范围 {rng},单位 {unit})",
            f"above the upper bound {_fmt(indicator.upper_bound)} (allowed {rng}, unit {unit})",
            "核对数值与单位" + pct_hint_zh,
            "check the value and its unit" + pct_hint_en
        )
    raise ValueError(f"no problem for status {status}")
