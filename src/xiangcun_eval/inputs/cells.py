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
import unicodedata
from collections.abc import Sequence
from typing import Any

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
    "parse_column",
    "parse_value",
]

OK, MISSING, NON_NUMERIC, PERCENT, NOT_FINITE, BELOW, ABOVE = range(7)
"""Cell status codes returned by :func:`parse_cells` and :func:`bounds_status`."""

MISSING_MARKERS: tuple[str, ...] = (
    "", "NA", "N/A", "n/a", "na", "-", "--", "—", "——", "/", "无", "缺失",
    "null", "NULL", "nan", "NaN",
)
_MARKERS = np.array(MISSING_MARKERS, dtype=np.str_)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")


_WS = np.array([9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x3000], dtype=np.uint32)
_DIGIT_LUT = np.zeros(128, dtype=bool)
_DIGIT_LUT[48:58] = True
_NUMBER_LUT = _DIGIT_LUT.copy()
_NUMBER_LUT[[ord(c) for c in ".eE+-"]] = True
_NUMBER_LUT[0] = True  # padding
_POW10 = 10.0 ** np.arange(23)
_POW10_INT = 10 ** np.arange(19, dtype=np.int64)


def _codepoints(a: NDArray[np.str_]) -> NDArray[np.uint32]:
    n = a.shape[0]
    return np.ascontiguousarray(a).view(np.uint32).reshape(n, -1)


def _from_codepoints(cp: NDArray[np.uint32]) -> NDArray[np.str_]:
    cp = np.ascontiguousarray(cp)
    out: NDArray[np.str_] = cp.view(f"<U{cp.shape[1]}").reshape(cp.shape[0])
    return out


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_QUOTES = "'\u2018\u2019"


def _clean_special(text: str) -> str:
    """Zero-width characters removed; one leading apostrophe (Excel's text marker) removed."""
    t = text.translate(_INVISIBLE).strip(_SPACES)
    if t[:1] in _QUOTES:
        t = t[1:].strip(_SPACES)
    return t


_SPACES = "".join(map(chr, [9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x3000]))


def normalise_text(col: NDArray[np.str_]) -> NDArray[np.str_]:
    """Full-width -> ASCII, ideographic space -> space, strip surrounding spaces.

    Also removes zero-width characters (U+200B-U+200D, U+2060, U+FEFF,
    U+00AD: invisible, so the cell reads as displayed) and one leading
    apostrophe (``'``, ``‘``, ``’``: Excel's marker for a number stored as
    text).  Vectorised over the code-point matrix; only cells that contain
    spaces, apostrophes or invisible characters are handled one by one.
    """
    col = np.asarray(col, dtype=np.str_)
    if col.shape[0] == 0 or col.dtype.itemsize == 0:
        return col
    cp = _codepoints(col)
    high = cp >= 0x3000
    if high.any():
        fw = high & (cp >= 0xFF01) & (cp <= 0xFF5E)
        ideo = cp == 0x3000
        if fw.any() or ideo.any():
            cp = cp.copy()
            cp[fw] -= 0xFEE0
            cp[ideo] = 0x20
            col = _from_codepoints(cp)
    special = (cp == 39) | (cp == 0x2018) | (cp == 0x2019) | (cp == 0xAD) | (
        (cp >= 0x200B) & (cp <= 0x200D)) | (cp == 0x2060) | (cp == 0xFEFF)
    srows = np.flatnonzero(special.any(axis=1))
    ws = (cp <= 32) | (cp == 0x85) | (cp == 0xA0) | (cp == 0x3000)
    rows = np.flatnonzero((ws & (cp != 0)).any(axis=1))
    if rows.size:
        col = col.copy()
        col[rows] = np.char.strip(col[rows], _SPACES)
    if srows.size:
        fixed = np.array([_clean_special(t) for t in col[srows].tolist()], dtype=np.str_)
        col = col.astype(f"U{max(col.dtype.itemsize, fixed.dtype.itemsize) // 4 or 1}")
        col[srows] = fixed
    return col


def _fast_decimal(cp: NDArray[np.uint32]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Parse plain decimals ``[+-]ddd.ddd`` from a code-point matrix, vectorised.

    Exact: the digits form an integer mantissa below 2**53 and the result is
    ``mantissa / 10**k``, a correctly rounded division of two exact floats,
    which is what ``float(text)`` returns.  Returns ``(values, done)``;
    cells not in this simple form (exponents, > 15 digits) have
    ``done=False`` and are parsed by the caller.
    """
    w = cp.shape[1]
    small = np.minimum(cp, 127)
    is_digit = _DIGIT_LUT[small] & (cp < 128)
    is_dot = cp == 46
    sign = (cp[:, 0] == 45) | (cp[:, 0] == 43)
    body = is_digit | is_dot | (cp == 0)
    body[:, 0] |= sign
    ndig = is_digit.sum(axis=1)
    done = body.all(axis=1) & (is_dot.sum(axis=1) <= 1) & (ndig >= 1) & (ndig <= 15)
    dot_pos = np.where(is_dot.any(axis=1), is_dot.argmax(axis=1), w)
    frac = (is_digit & (np.arange(w) > dot_pos[:, None])).sum(axis=1)
    # digits to the right of each position (exclusive) give its power of ten
    right = np.cumsum(is_digit[:, ::-1], axis=1, dtype=np.int16)[:, ::-1] - is_digit
    digits = np.where(is_digit, cp.astype(np.int64) - 48, 0)
    mant = (digits * _POW10_INT[np.minimum(right, 18)]).sum(axis=1)
    vals = mant.astype(np.float64) / _POW10[np.minimum(frac, 22)]
    vals = np.where(cp[:, 0] == 45, -vals, vals)
    return vals, done


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
    cp = _codepoints(s)
    length = (cp != 0).sum(axis=1)
    # only cells not starting with a digit or '.' can be missing markers
    first = cp[:, 0]
    maybe = np.flatnonzero((length <= 4) & ~(((first >= 48) & (first <= 57)) | (first == 46)))
    missing = np.zeros(n, dtype=bool)
    if maybe.size:
        missing[maybe] = np.isin(s[maybe], _MARKERS)
    status[missing] = MISSING
    nul = np.char.str_len(s) != length  # embedded NUL (numpy pads with NUL)
    if nul.any():
        status[nul] = NON_NUMERIC
    last = cp[np.arange(n), np.maximum(length - 1, 0)]
    pct = (last == 37) & (length > 0) & ~missing
    if pct.any():
        if percent_ok:
            s = s.copy()
            s[pct] = np.char.strip(np.char.replace(s[pct], "%", "", count=1))
            cp = _codepoints(s)
        else:
            status[pct] = PERCENT
    comma = (cp == 44).any(axis=1) & (status == OK)
    if comma.any():
        uniq, inv = np.unique(s[comma], return_inverse=True)
        good = np.array([_GROUPED.fullmatch(str(u)) is not None for u in uniq], dtype=bool)
        idx = np.flatnonzero(comma)
        status[idx[~good[inv.ravel()]]] = NON_NUMERIC
        ok_idx = idx[good[inv.ravel()]]
        if ok_idx.size:
            s = s.copy()
            s[ok_idx] = np.char.replace(s[ok_idx], ",", "")
            cp = _codepoints(s)
    allowed = (_NUMBER_LUT[np.minimum(cp, 127)] & (cp < 128)).all(axis=1)
    status[~allowed & (status == OK)] = NON_NUMERIC
    cand = np.flatnonzero(status == OK)
    if cand.size:
        sub_cp = cp[cand]
        parsed, done = _fast_decimal(sub_cp)
        rest = np.flatnonzero(~done)
        if rest.size:
            sub = s[cand[rest]]
            try:
                parsed[rest] = sub.astype(np.float64)
            except ValueError:
                parsed[rest] = _parse_slow(sub)
        values[cand] = parsed
        bad = np.isnan(values) & (status == OK)
        status[bad] = NON_NUMERIC
        inf = np.isinf(values)
        status[inf] = NOT_FINITE
        values[inf | (status != OK)] = np.nan
    return values, status


def parse_column(col: Any, *, percent_ok: bool) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """:func:`parse_cells` for a text array or a fast-path byte column.

    Byte columns (:class:`~xiangcun_eval.inputs._table.ByteColumn`) parse
    plain decimals and empty cells straight from the file bytes and send
    only the remaining cells through :func:`parse_cells`; the result is the
    same as ``parse_cells(col.as_text())``.
    """
    if not hasattr(col, "plain_numbers"):
        return parse_cells(col, percent_ok=percent_ok)
    values, done, empty = col.plain_numbers()
    status = np.where(empty, np.int8(MISSING), np.int8(OK)).astype(np.int8)
    if not done.all():
        rest = np.flatnonzero(~done)
        v, st = parse_cells(col.as_text(rest), percent_ok=percent_ok)
        values[rest] = v
        status[rest] = st
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
        if "\x00" in text:
            return math.nan, NON_NUMERIC
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


_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DATE = re.compile(r"\d{1,4}[-/.年]\d{1,2}(?:月|[-/.月]\d{1,4}日?)?"
                   r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}(?::\d{2})?")


def _why_not_number(raw: str) -> tuple[str, str, str, str]:
    """A specific reason (and fix) for a non-numeric cell, from its text; empty if none."""
    t = unicodedata.normalize("NFKC", raw).strip()
    ctrl = [c for c in raw if unicodedata.category(c) == "Cc" and c not in "\t\n\r"] or [
        c for c in raw.strip() if unicodedata.category(c) == "Cc"]
    if ctrl:
        names = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(ctrl))
        return (f":含控制字符 {names}", f": contains control character(s) {names}",
                "删除不可见的控制字符后重填该数值", "retype the number without control characters")
    if _DECIMAL_COMMA.fullmatch(t):
        dot = t.replace(",", ".")
        return (f":逗号不是千分位格式,像是小数逗号(应写作 {dot}?)",
                f": the comma is not a thousands separator; a decimal comma (meaning {dot}?)",
                f"小数点请用英文句点,如 {dot}", f"use a decimal point, e.g. {dot}")
    if _DATE.fullmatch(t):
        return (":像是日期或时间(Excel 可能把数值自动转成了日期)",
                ": looks like a date or time (Excel may have converted the number)",
                "把该列设为“数值”格式后重新输入数值",
                "format the column as Number and retype the value")
    if any(c.isspace() for c in t) and any(c.isdigit() for c in t):
        return (":数字中间有空格", ": spaces inside the number",
                "删除数字中间的空格(千分位请用逗号)",
                "remove the spaces (use commas for thousands)")
    return "", "", "", ""


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
    county_name: str | None = None,
) -> Problem:
    """The :class:`Problem` for a cell with a non-OK status (not ``MISSING``)."""
    unit = indicator.unit or "-"
    rng = f"[{_fmt(indicator.lower_bound)}, {_fmt(indicator.upper_bound)}]"
    def mk(kind: str, wz: str, we: str, fz: str, fe: str) -> Problem:
        return Problem(kind, wz, we, fz, fe, row=row, county=county,
                       indicator=indicator.code, value=raw, county_name=county_name)

    if status == NON_NUMERIC:
        why = _why_not_number(raw)
        return mk(
            "non_numeric",
            f"无法识别为数值({indicator.name_zh},单位 {unit}){why[0]}",
            f"not a number ({indicator.name_en}, unit {unit}){why[1]}",
            why[2] or "填写阿拉伯数字(可带千分位逗号);缺失请留空或填 NA,不要填 0",
            why[3] or "write a plain number (thousands commas allowed); leave empty or write NA "
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
