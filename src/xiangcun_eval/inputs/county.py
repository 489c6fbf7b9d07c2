"""Validation of county tables (县级填报表校验): header, codes, names, provinces, years, cells.

Works on a :class:`~xiangcun_eval.inputs._table.Table` (header plus chunks of
text columns) from any source, so the rules are written once for CSV, XLSX,
JSON and in-memory records.  Per-row results accumulate over chunks; the
finish step checks duplicates and mixed years and splits accepted from
rejected rows.
"""

from __future__ import annotations

import contextlib
import gc
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..framework.model import Framework
from . import cells as C
from ._buffers import empty_array, hand_over
from ._table import MAX_CELL, ByteColumn, Chunk, Table
from .codes import PROVINCES, check_code, check_codes, match_province, province_from_name
from .data import UnitData
from .headers import HeaderMatcher
from .problems import Problem, SubmissionError, SubmissionWarning
from .quarantine import SOFT_FILE_LEVEL, Mode, QuarantineReport, QuarantineResult, RejectedRow

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "Options",
    "gc_paused",
    "resolve_framework",
    "validate_county_table",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("county_code", "county_name", "province", "year")
OPTIONAL_COLUMNS: tuple[str, ...] = ("prefecture", "data_note")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Reading creates one :class:`Problem` per bad cell and lists per row,
    none of them in reference cycles; repeated collections over them would
    otherwise dominate the run time on files with many problems.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            # the objects made meanwhile would all sit in the youngest generation and be
            # traversed at once by the next collection; freeze + unfreeze moves every
            # tracked object to the oldest generation in O(1) instead (objects are not
            # kept alive by it: reference counting still frees them)
            if gc.get_freeze_count() == 0:  # leave a caller's own frozen objects alone
                gc.freeze()
                gc.unfreeze()
            gc.enable()


# --------------------------------------------------------------- framework
def resolve_framework(framework: Framework | str) -> Framework:
    """A :class:`Framework` as given, or loaded by name / path (e.g. ``"dvd-2023"``)."""
    if isinstance(framework, Framework):
        return framework
    from ..framework.registry import load_framework

    return load_framework(framework)

# ------------------------------------------------------------ county tables
_PREFIXES = np.array(sorted(PROVINCES), dtype="U2")
_DUP_FIX_ZH = "每个县只填一行;删除重复行或更正代码"
_DUP_FIX_EN = "one row per county: delete the duplicate or correct the code"
_YEAR = re.compile(r"\d{4}(?:\.0+)?")


def _year_of(text: str) -> int:
    t = text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}).strip()
    if _YEAR.fullmatch(t):
        y = int(t[:4])
        if 1949 <= y <= 2100:
            return y
    return -1


@dataclass
class _Acc:
    """Accumulates per-row results over chunks."""

    rows: list[NDArray[np.int64]] = field(default_factory=list)
    codes: list[NDArray[np.str_]] = field(default_factory=list)
    code_ok: list[NDArray[np.bool_]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    prefix: list[NDArray[np.str_]] = field(default_factory=list)
    years: list[NDArray[np.int64]] = field(default_factory=list)
    prefecture: list[str] = field(default_factory=list)
    data_note: list[str] = field(default_factory=list)
    values: list[NDArray[np.float64]] = field(default_factory=list)
    nonmissing: NDArray[np.int64] | None = None
    prealloc: NDArray[np.float64] | None = None
    row_problems: dict[int, list[Problem]] = field(default_factory=dict)
    notes: dict[tuple[int, str], str] = field(default_factory=dict)
    sources: dict[tuple[int, str], str] = field(default_factory=dict)
    flagged: list[Problem] = field(default_factory=list)
    """Cell problems whose cell became missing (cell-level quarantine)."""
    pct_big: NDArray[np.int64] | None = None
    pct_frac: NDArray[np.int64] | None = None
    pct_marked: NDArray[np.int64] | None = None
    n: int = 0

    def add(self, ordinal: int, problem: Problem) -> None:
        self.row_problems.setdefault(ordinal, []).append(problem)


@dataclass(frozen=True)
class Options:
    """How a county table is read (see :func:`~xiangcun_eval.inputs.readers.read_submissions`)."""

    matcher: HeaderMatcher | None = None
    accept_fractions: bool = False
    reject: Literal["row", "cell"] = "row"


def validate_county_table(
    table: Table, fw: Framework, *, mode: Mode, source: str, options: Options | None = None,
) -> QuarantineResult:
    """Validate a county table: header matching, identity columns, cells, duplicates, years."""
    opts = options or Options()
    matcher = opts.matcher or HeaderMatcher(fw)
    ind = fw.indicators
    k = len(ind)
    hrow = table.header_row
    hm = matcher.match(table.header, row=hrow)
    file_probs, index = list(hm.problems), hm.index
    for i in ind:
        if i.code not in index:
            file_probs.append(Problem(
                "indicator_column_missing",
                f"文件中没有指标列 {i.code}({i.name_zh})",
                f"indicator column {i.code} ({i.name_en}) is absent from the file",
                "加入该列(表头可用代码、中文名或英文名,可带单位);确实无数据时单元格留空或填 NA"
                "(不要填 0)",
                "add the column (headed by its code, Chinese or English name, optionally with "
                "the unit); leave cells empty or write NA where there is no data (never 0)",
                row=hrow, indicator=i.code,
            ))
    lower, upper = C.framework_bounds(fw)
    acc = _Acc(nonmissing=np.zeros(k, dtype=np.int64), pct_big=np.zeros(k, dtype=np.int64),
               pct_frac=np.zeros(k, dtype=np.int64), pct_marked=np.zeros(k, dtype=np.int64))
    if table.size_hint:
        acc.prealloc = empty_array((table.size_hint, k))
    pct = np.array([i.is_percentage for i in ind], dtype=bool)
    for chunk in table.chunks:
        _county_chunk(chunk, fw, index, lower, upper, acc, pct, opts.reject)
    return _finish_county(acc, fw, file_probs, list(hm.warnings), index, mode=mode,
                          source=source, opts=opts, hrow=hrow)


def _col(chunk: Chunk, index: Mapping[str, int], name: str) -> NDArray[np.str_] | None:
    """A column as a unicode array (``None`` if absent)."""
    j = index.get(name)
    if j is None:
        return None
    col = chunk.columns[j]
    return col if isinstance(col, np.ndarray) else col.as_text()


def _raw(chunk: Chunk, index: Mapping[str, int], name: str) -> NDArray[np.str_] | ByteColumn | None:
    """A column as stored (byte columns stay lazy, for :func:`cells.parse_column`)."""
    j = index.get(name)
    return None if j is None else chunk.columns[j]


def _county_chunk(
    chunk: Chunk, fw: Framework, index: Mapping[str, int],
    lower: NDArray[np.float64], upper: NDArray[np.float64], acc: _Acc,
    pct: NDArray[np.bool_], reject: str,
) -> None:
    m = chunk.rows.shape[0]
    base = acc.n
    rows = chunk.rows
    for pos, p in chunk.problems:
        acc.add(base + pos, p)

    # codes
    raw_codes = _col(chunk, index, "county_code")
    if raw_codes is None:
        raw_codes = np.full(m, "", dtype="U1")
        codes = raw_codes
        ok = np.zeros(m, dtype=bool)
    else:
        codes = C.normalise_text(raw_codes)
        ok = check_codes(codes)
        for i in np.flatnonzero(~ok).tolist():
            why = check_code(str(codes[i])) or ("代码无效", "invalid code")
            acc.add(base + int(i), Problem(
                "invalid_code", why[0], why[1],
                "填写 GB/T 2260 县级 6 位代码(文本格式)",
                "enter the GB/T 2260 six-digit county code (as text)",
                row=int(rows[i]), county=str(raw_codes[i]), indicator="county_code",
                value=str(raw_codes[i]),
            ))
    shown: list[str] = codes.tolist()  # codes as shown in messages
    acc.rows.append(rows)
    acc.codes.append(codes.astype("U16"))
    acc.code_ok.append(ok)
    prefix = codes.astype("U2")
    acc.prefix.append(prefix)

    # names
    names_col = _col(chunk, index, "county_name")
    if names_col is not None:
        stripped = np.char.strip(names_col)
        names: list[str] = stripped.tolist()
        for i in np.flatnonzero(np.char.str_len(stripped) == 0).tolist():
            acc.add(base + i, Problem(
                "missing_name", "县名为空", "county name is empty", "填写县(市、区)名称",
                "enter the county name", row=int(rows[i]), county=shown[i],
                indicator="county_name", value="",
            ))
    else:
        names = [""] * m
    acc.names.extend(names)

    # province vs code
    prov_raw = _raw(chunk, index, "province")
    if prov_raw is not None:
        if isinstance(prov_raw, ByteColumn):
            uniq, inv = prov_raw.unique_text()
        else:
            uniq, inv = np.unique(prov_raw, return_inverse=True)
        matched = [province_from_name(str(u)) for u in uniq]
        upre = np.array([p.prefix if p else "" for p in matched] + [""], dtype="U2")
        pp = upre[inv.ravel()]
        unknown = pp == ""
        mismatch = ~unknown & np.isin(prefix, _PREFIXES) & (pp != prefix)
        for i in np.flatnonzero(unknown | mismatch).tolist():
            name = str(uniq[inv.ravel()[i]])
            if unknown[i]:
                why = match_province(name, "00") or ("", "")
                v = ("unknown_province", *why)
            else:
                why = match_province(name, shown[i]) or ("", "")
                v = ("province_mismatch", *why)
            acc.add(base + i, Problem(
                v[0], v[1], v[2],
                "省份与代码前两位须一致", "province and the code's first two digits must agree",
                row=int(rows[i]), county=shown[i], indicator="province", value=name,
            ))

    # year
    year_col = _col(chunk, index, "year")
    if year_col is not None:
        uniq, inv = np.unique(year_col, return_inverse=True)
        yv = np.array([_year_of(str(u)) for u in uniq], dtype=np.int64)[inv.ravel()]
        for i in np.flatnonzero(yv < 0).tolist():
            acc.add(base + int(i), Problem(
                "invalid_year", "年份无效", "invalid year", "填写四位年份,如 2023",
                "enter a four-digit year such as 2023", row=int(rows[i]), county=shown[i],
                indicator="year", value=str(year_col[i]),
            ))
        acc.years.append(yv)
    else:
        acc.years.append(np.full(m, -1, dtype=np.int64))

    pref_col = _col(chunk, index, "prefecture")
    if pref_col is not None:
        acc.prefecture.extend(np.char.strip(pref_col).tolist())
    else:
        six = np.char.str_len(codes) == 6
        acc.prefecture.extend(
            np.where(six, np.char.add(codes.astype("U4"), "00"), "").tolist())
    acc.data_note.extend(_notes(_raw(chunk, index, "data_note"), m))

    # indicator values, one contiguous row per indicator (transposed once at the end)
    k = len(fw.indicators)
    vals_t = np.full((k, m), np.nan)
    status_t = np.zeros((k, m), dtype=np.int8)
    for j, ind in enumerate(fw.indicators):
        rawcol = _raw(chunk, index, ind.code)
        if rawcol is None:
            continue
        vals_t[j], status_t[j] = C.parse_column(rawcol, percent_ok=ind.is_percentage)
    bst = C.bounds_status(vals_t, lower[:, None], upper[:, None])
    status_t = np.where(bst != C.OK, bst, status_t)
    assert acc.nonmissing is not None
    acc.nonmissing += (status_t != C.MISSING).sum(axis=1)
    bad_c, bad_r = np.nonzero(status_t > C.MISSING)
    order = np.lexsort((bad_c, bad_r))  # row by row, then column by column
    for i, j in zip(bad_r[order].tolist(), bad_c[order].tolist(), strict=True):
        indic = fw.indicators[j]
        raw = chunk.columns[index[indic.code]][i]
        p = C.cell_problem(
            int(status_t[j, i]), indicator=indic, raw=str(raw), row=int(rows[i]),
            county=shown[i], county_name=names[i],
        )
        if reject == "cell":
            acc.flagged.append(p)
        else:
            acc.add(base + i, p)
    vals_t[status_t != C.OK] = np.nan
    vals = vals_t.T
    _fraction_stats(chunk, index, fw, vals, pct, acc)
    if acc.prealloc is not None and base + m > acc.prealloc.shape[0]:  # hint too small
        acc.values.append(acc.prealloc[:base].copy())
        acc.prealloc = None
    if acc.prealloc is not None:
        acc.prealloc[base:base + m] = vals
    else:
        acc.values.append(np.ascontiguousarray(vals))

    # per-value notes and sources
    for h in index:
        if h.startswith(("note:", "source:")):
            target = acc.notes if h.startswith("note:") else acc.sources
            code = h.split(":", 1)[1]
            col = _col(chunk, index, h)
            assert col is not None
            for i in np.flatnonzero(np.char.str_len(np.char.strip(col)) > 0).tolist():
                target[(base + int(i), code)] = str(col[i]).strip()
    acc.n += m


def _notes(col: NDArray[np.str_] | ByteColumn | None, m: int) -> list[str]:
    """The ``data_note`` cells, stripped; a byte column decodes each distinct note once."""
    if col is None:
        return [""] * m
    if isinstance(col, ByteColumn) and int((col.ends - col.starts).max(initial=0)) <= MAX_CELL:
        uniq, inv = col.unique_text()
        texts = [t.strip() for t in uniq.tolist()]
        return list(map(texts.__getitem__, inv.tolist()))
    text = col if isinstance(col, np.ndarray) else col.as_text()
    out: list[str] = np.char.strip(text).tolist()
    return out


def _fraction_stats(
    chunk: Chunk, index: Mapping[str, int], fw: Framework, vals: NDArray[np.float64],
    pct: NDArray[np.bool_], acc: _Acc,
) -> None:
    """Count, per percentage column, values above 1 and strictly inside (0, 1).

    ``vals`` holds the valid values (NaN elsewhere).  One NaN-ignoring max
    over the chunk settles every column that has a value above 1; only the
    other percentage columns are looked at further.  Cells written with
    ``%`` (or percent-formatted in Excel) are explicit percentages and are
    counted apart.
    """
    if not pct.any():
        return
    assert acc.pct_big is not None and acc.pct_frac is not None and acc.pct_marked is not None
    mx = np.fmax.reduce(vals, axis=0, initial=-np.inf)
    big = mx > 1
    acc.pct_big += big
    for j in np.flatnonzero(pct & ~big & (acc.pct_big == 0)).tolist():
        col_v = vals[:, j]
        with np.errstate(invalid="ignore"):
            rows = np.flatnonzero((col_v > 0) & (col_v < 1))
        if rows.size == 0:
            continue
        col = chunk.columns[index[fw.indicators[j].code]]
        text = col[rows] if isinstance(col, np.ndarray) else col.as_text(rows)
        marked = int((np.char.find(text, "%") >= 0).sum() + (np.char.find(text, "％") >= 0).sum())
        acc.pct_marked[j] += marked
        acc.pct_frac[j] += rows.size - marked


def _fraction_columns(
    acc: _Acc, fw: Framework, values: NDArray[np.float64], *, accept: bool, hrow: int,
) -> tuple[list[Problem], list[Problem]]:
    """Percentage columns that hold fractions: errors, or (``accept``) rescaled with a warning."""
    assert acc.pct_big is not None and acc.pct_frac is not None and acc.pct_marked is not None
    errors: list[Problem] = []
    warns: list[Problem] = []
    for j, ind in enumerate(fw.indicators):
        if not ind.is_percentage or acc.pct_big[j] > 0 or acc.pct_frac[j] == 0:
            continue
        if accept and acc.pct_marked[j] == 0:
            values[:, j] *= 100.0
            warns.append(Problem(
                "fractions_rescaled",
                f"指标 {ind.code}({ind.name_zh})全部数值在 [0, 1] 内,按比例读入并乘以 100",
                f"indicator {ind.code} ({ind.name_en}): every value lies in [0, 1]; read as "
                "fractions and multiplied by 100 (accept_fractions)",
                "今后请按百分数(0-100)填写", "give percentages as 0-100 next time",
                row=hrow, indicator=ind.code,
            ))
            continue
        errors.append(Problem(
            "looks_like_fractions",
            f"百分比指标 {ind.code}({ind.name_zh})的全部数值都在 [0, 1] 内,像是比例而不是百分数",
            f"percentage indicator {ind.code} ({ind.name_en}): every value lies in [0, 1]; "
            "these look like fractions, not percentages",
            "乘以 100 后按 0-100 填写;或确认是比例后用 accept_fractions=True / "
            "--accept-fractions 读入(乘以 100);确为小于 1% 的数请写成 0.5%",
            "multiply by 100 and give 0-100; or confirm they are fractions with "
            "accept_fractions=True / --accept-fractions (multiplied by 100); write genuine "
            "values below 1 % as 0.5%",
            row=hrow, indicator=ind.code,
        ))
    return errors, warns


def _finish_county(
    acc: _Acc, fw: Framework, file_probs: list[Problem], warn_probs: list[Problem],
    index: Mapping[str, int], *, mode: Mode, source: str, opts: Options, hrow: int,
) -> QuarantineResult:
    n = acc.n
    k = len(fw.indicators)
    rows = np.concatenate(acc.rows) if acc.rows else np.zeros(0, dtype=np.int64)
    codes = np.concatenate(acc.codes) if acc.codes else np.zeros(0, dtype="U16")
    ok = np.concatenate(acc.code_ok) if acc.code_ok else np.zeros(0, dtype=bool)
    years = np.concatenate(acc.years) if acc.years else np.zeros(0, dtype=np.int64)
    if acc.prealloc is not None:
        values = acc.prealloc if acc.prealloc.shape[0] == n else acc.prealloc[:n]
    else:
        values = np.concatenate(acc.values) if acc.values else np.zeros((0, k))
    if n == 0 and not any(p.kind in ("missing_column", "unknown_column") for p in file_probs):
        file_probs.append(Problem(
            "empty_file", "文件只有表头,没有数据行", "the file has a header but no data rows",
            "每个县填一行", "add one row per county",
        ))
    # entirely empty indicator columns
    assert acc.nonmissing is not None
    if n:
        for j, ind in enumerate(fw.indicators):
            if ind.code in index and acc.nonmissing[j] == 0:
                file_probs.append(Problem(
                    "empty_column", f"指标列 {ind.code}({ind.name_zh})全部为空",
                    f"indicator column {ind.code} ({ind.name_en}) is entirely empty",
                    "填写数据;若该指标确实无法统计,请与评价组织方确认后再提交",
                    "fill it in; if the indicator truly cannot be collected, agree that with "
                    "the evaluation organiser before submitting",
                    row=hrow, indicator=ind.code,
                ))
    frac_err, frac_warn = _fraction_columns(acc, fw, values, accept=opts.accept_fractions,
                                            hrow=hrow)
    file_probs += frac_err
    warn_probs = warn_probs + frac_warn
    # duplicates among valid codes
    vidx = np.flatnonzero(ok)
    if vidx.size:
        # valid codes are six ASCII digits: group them as integers (same groups, faster sort)
        digits = np.ascontiguousarray(codes[vidx]).view(np.uint32).reshape(vidx.size, -1)[:, :6]
        keys = (digits.astype(np.int64) - 48) @ (10 ** np.arange(5, -1, -1, dtype=np.int64))
        _, inv, counts = np.unique(keys, return_inverse=True, return_counts=True)
        inv = inv.ravel()
        dup = counts[inv] > 1
        if dup.any():
            codes_l: list[str] = codes.tolist()
            rows_l: list[int] = rows.tolist()
            inv_l: list[int] = inv.tolist()
            vidx_l: list[int] = vidx.tolist()
            groups: dict[int, list[int]] = {}
            row_problems = acc.row_problems
            for pos in np.flatnonzero(dup).tolist():
                groups.setdefault(inv_l[pos], []).append(vidx_l[pos])
            for members in groups.values():
                where = str([rows_l[o] for o in members])
                code = codes_l[members[0]]
                what_zh = f"代码 {code} 重复,见第 {where} 行"
                what_en = f"county code {code} is duplicated, in rows {where}"
                for o in members:
                    p = Problem("duplicate_code", what_zh, what_en, _DUP_FIX_ZH, _DUP_FIX_EN,
                                rows_l[o], code, "county_code", code)
                    have = row_problems.get(o)
                    if have is None:
                        row_problems[o] = [p]
                    else:
                        have.append(p)
    # mixed years
    year = None
    valid_years = years[years > 0]
    if valid_years.size:
        yu, yc = np.unique(valid_years, return_counts=True)
        year = int(yu[np.argmax(yc)])
        if yu.size > 1:
            summary = ", ".join(f"{y}: {c}" for y, c in zip(yu.tolist(), yc.tolist(), strict=True))
            for o in np.flatnonzero((years > 0) & (years != year)).tolist():
                acc.add(o, Problem(
                    "mixed_years",
                    f"文件混有多个年份({summary} 行);本行年份与多数行({year})不同",
                    f"the file mixes years ({summary} rows); this row differs from the "
                    f"majority year {year}",
                    "一个文件只填一个年份;不同年份分文件提交",
                    "one file per year: submit other years in separate files",
                    row=int(rows[o]), county=str(codes[o]), indicator="year", value=str(years[o]),
                ))

    hard = [p for p in file_probs if mode == "strict" or p.kind not in SOFT_FILE_LEVEL]
    soft = [p for p in file_probs if p not in hard] + warn_probs
    if hard or (mode == "strict" and (acc.row_problems or acc.flagged)):
        row_probs = [p for o in sorted(acc.row_problems) for p in acc.row_problems[o]]
        flagged = sorted(acc.flagged, key=lambda p: p.row or 0)
        every = sorted(row_probs + flagged, key=lambda p: p.row or 0) if flagged else row_probs
        raise SubmissionError(hard + every, source=source)
    for p in warn_probs:
        warnings.warn(SubmissionWarning(p.message, p), stacklevel=4)

    rejected_mask = np.zeros(n, dtype=bool)
    if acc.row_problems:
        rejected_mask[np.fromiter(acc.row_problems, dtype=np.int64)] = True
    keep = np.flatnonzero(~rejected_mask)
    all_kept = keep.size == n

    def kept(col: list[str]) -> tuple[str, ...]:
        return tuple(col) if all_kept else tuple(col[o] for o in keep.tolist())

    kept_codes = tuple(codes.tolist()) if all_kept else tuple(codes[keep].tolist())
    kp, kinv = np.unique(codes[keep].astype("U2"), return_inverse=True)
    kinv = kinv.ravel()
    provinces = tuple(np.array([PROVINCES[p].name_zh for p in kp.tolist()] + [""])[kinv].tolist())
    regions = tuple(np.array([PROVINCES[p].region for p in kp.tolist()] + [""])[kinv].tolist())
    code_of = ({int(o): kept_codes[i] for i, o in enumerate(keep.tolist())}
               if acc.notes or acc.sources else {})
    if all_kept:
        kept_values = values
    else:
        kept_values = empty_array((keep.size, k))
        np.take(values, keep, axis=0, out=kept_values)
    data = UnitData(
        framework=fw,
        units=kept_codes,
        names=kept(acc.names),
        values=hand_over(kept_values),  # kept by UnitData, not copied
        groups={
            "province": provinces,
            "region": regions,
            "prefecture": kept(acc.prefecture),
            **({"data_note": kept(acc.data_note)} if any(acc.data_note) else {}),
        },
        year=year,
        kind="county",
        notes={(code_of[o], c): t for (o, c), t in acc.notes.items() if o in code_of},
        sources={(code_of[o], c): t for (o, c), t in acc.sources.items() if o in code_of},
    )
    report = QuarantineReport(
        source=source,
        n_rows=n,
        accepted_rows=tuple(rows[keep].tolist()),
        rejected=_rejected(acc, rows, codes),
        warnings=tuple(soft),
        flagged=tuple(sorted(acc.flagged, key=lambda p: p.row or 0)),
    )
    return QuarantineResult(data, report)


def _rejected(acc: _Acc, rows: NDArray[np.int64], codes: NDArray[np.str_]
              ) -> tuple[RejectedRow, ...]:
    order = sorted(acc.row_problems)
    if not order:
        return ()
    idx = np.array(order, dtype=np.intp)
    return tuple(
        RejectedRow(r, c, tuple(acc.row_problems[o]))
        for o, r, c in zip(order, rows[idx].tolist(), codes[idx].tolist(), strict=True)
    )


