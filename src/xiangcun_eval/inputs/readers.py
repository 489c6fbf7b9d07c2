"""Reading and validating submission files (填报文件读取与校验).

:func:`read_submissions` reads county submissions (CSV, XLSX, JSON) into
:class:`~xiangcun_eval.inputs.data.UnitData` ``kind="county"``;
:func:`read_unit_table` reads a generic unit table in COINr's ``iData``
layout into ``kind="unit"``.

Every problem in a file is collected and reported at once in one
:class:`~xiangcun_eval.inputs.problems.SubmissionError`.

CSV layout (wide, one row per county)
    Required columns ``county_code``, ``county_name``, ``province``,
    ``year``, then one column per indicator code of the framework.
    Optional columns: ``prefecture`` (地市, used as a grouping column; by
    default the prefecture code ``code[:4] + "00"``), ``data_note`` (free
    text for the whole row, e.g. ``模拟数据 / synthetic``), ``note:<code>``
    and ``source:<code>`` (per-value note and data source).  Any other column
    is an error (usually a misspelt indicator code).

Strict and quarantine modes
    ``mode="strict"`` (default) raises if anything is wrong.
    ``mode="quarantine"`` returns the valid rows and a
    :class:`QuarantineReport` listing every rejected row with all its
    reasons; accepted + rejected rows always equal the rows read.  File-level
    problems (unreadable file, wrong delimiter, missing or unknown columns)
    still raise.  An indicator column absent from the file, or present but
    entirely empty, is an error in strict mode and a warning in quarantine
    mode (the indicator is then missing for every county).
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import NDArray

from ..framework.model import Framework
from . import cells as C
from ._table import ByteColumn, Chunk, Table, TableError, csv_table, rows_table, xlsx_table
from .codes import PROVINCES, check_code, check_codes, match_province, province_from_name
from .data import UnitData
from .problems import Problem, SubmissionError, problems_table

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "QuarantineReport",
    "QuarantineResult",
    "RejectedRow",
    "read_submissions",
    "read_unit_table",
    "resolve_framework",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("county_code", "county_name", "province", "year")
OPTIONAL_COLUMNS: tuple[str, ...] = ("prefecture", "data_note")
Mode = Literal["strict", "quarantine"]

_FILE_LEVEL = {
    "file_not_found", "unreadable", "encoding", "empty_file", "wrong_delimiter", "bad_format",
    "missing_column", "unknown_column", "duplicate_column", "indicator_column_missing",
    "empty_column", "unknown_indicator",
}
_SOFT_FILE_LEVEL = {"indicator_column_missing", "empty_column"}
"""File-level kinds that are warnings (not errors) in quarantine mode."""


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class RejectedRow:
    """A row left out in quarantine mode, with every reason."""

    row: int
    county: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class QuarantineReport:
    """What quarantine mode accepted and rejected.

    Attributes
    ----------
    source
        What was read.
    n_rows
        Data rows read (blank rows are not counted).
    accepted_rows
        File row numbers of the accepted rows.
    rejected
        One :class:`RejectedRow` per rejected row, in file order.
    warnings
        File-level problems that did not stop reading (indicator column
        absent or entirely empty).
    """

    source: str
    n_rows: int
    accepted_rows: tuple[int, ...]
    rejected: tuple[RejectedRow, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def n_accepted(self) -> int:
        return len(self.accepted_rows)

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every rejected row, then the warnings."""
        return [p for r in self.rejected for p in r.problems] + list(self.warnings)

    def summary(self, *, limit: int = 50) -> str:
        """Bilingual counts and a problems table."""
        head = (
            f"共 {self.n_rows} 行:接受 {self.n_accepted} 行,拒收 {self.n_rejected} 行 / "
            f"{self.n_rows} rows: {self.n_accepted} accepted, {self.n_rejected} rejected"
        )
        probs = self.problems
        return head if not probs else head + "\n" + problems_table(probs, limit=limit)

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class QuarantineResult:
    """Valid rows as :class:`UnitData` plus the :class:`QuarantineReport`.

    Unpacks as ``data, report = read_submissions(..., mode="quarantine")``.
    """

    data: UnitData
    report: QuarantineReport

    def __iter__(self) -> Any:
        return iter((self.data, self.report))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
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
    n: int = 0

    def add(self, ordinal: int, problem: Problem) -> None:
        self.row_problems.setdefault(ordinal, []).append(problem)


def _header_problems(
    header: list[str], fw: Framework, *, required: Sequence[str], source: str
) -> tuple[list[Problem], dict[str, int]]:
    """File-level header checks; returns problems and ``column -> index``."""
    probs: list[Problem] = []
    index: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in index:
            probs.append(Problem(
                "duplicate_column", f"列名 {h!r} 重复出现", f"column {h!r} appears twice",
                "删除或改名重复的列", "remove or rename the duplicate column", row=1, indicator=h,
            ))
        else:
            index[h] = j
    for col in required:
        if col not in index:
            probs.append(Problem(
                "missing_column", f"缺少必填列 {col!r}", f"required column {col!r} is missing",
                f"在表头加入 {col} 列(列名区分大小写,用英文)",
                f"add a column named {col} (case-sensitive)", row=1, indicator=col,
            ))
    codes = set(fw.indicator_codes)
    lowered = {c.lower(): c for c in codes}
    for h in header:
        if h in codes or h in required or h in OPTIONAL_COLUMNS:
            continue
        if h.startswith(("note:", "source:")) and h.split(":", 1)[1] in codes:
            continue
        near = lowered.get(h.lower().strip())
        hint_zh = f"是否应为 {near!r}?" if near else "检查拼写,或删除该列"
        hint_en = f"did you mean {near!r}?" if near else "check the spelling or remove the column"
        probs.append(Problem(
            "unknown_column",
            f"列 {h!r} 不是指标体系 {fw.code} 的指标代码,也不是已知列",
            f"column {h!r} is neither an indicator of framework {fw.code} nor a known column",
            hint_zh, hint_en, row=1, indicator=h, value=h,
        ))
    return probs, index


def _validate_county_table(
    table: Table, fw: Framework, *, mode: Mode, source: str
) -> QuarantineResult:
    ind = fw.indicators
    k = len(ind)
    file_probs, index = _header_problems(table.header, fw, required=REQUIRED_COLUMNS, source=source)
    for i in ind:
        if i.code not in index:
            file_probs.append(Problem(
                "indicator_column_missing",
                f"文件中没有指标列 {i.code}({i.name_zh})",
                f"indicator column {i.code} ({i.name_en}) is absent from the file",
                "加入该列;确实无数据时单元格留空或填 NA(不要填 0)",
                "add the column; leave cells empty or write NA where there is no data (never 0)",
                row=1, indicator=i.code,
            ))
    lower, upper = C.framework_bounds(fw)
    acc = _Acc(nonmissing=np.zeros(k, dtype=np.int64))
    if table.size_hint:
        acc.prealloc = np.empty((table.size_hint, k))
    for chunk in table.chunks:
        _county_chunk(chunk, fw, index, lower, upper, acc)
    return _finish_county(acc, fw, file_probs, index, mode=mode, source=source)


def _col(chunk: Chunk, index: Mapping[str, int], name: str) -> NDArray[np.str_] | None:
    """A column as a unicode array (``None`` if absent)."""
    j = index.get(name)
    if j is None:
        return None
    col = chunk.columns[j]
    return col.as_text() if isinstance(col, ByteColumn) else col


def _raw(chunk: Chunk, index: Mapping[str, int], name: str) -> NDArray[np.str_] | ByteColumn | None:
    """A column as stored (byte columns stay lazy, for :func:`cells.parse_column`)."""
    j = index.get(name)
    return None if j is None else chunk.columns[j]


def _county_chunk(
    chunk: Chunk, fw: Framework, index: Mapping[str, int],
    lower: NDArray[np.float64], upper: NDArray[np.float64], acc: _Acc,
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
    note_col = _col(chunk, index, "data_note")
    acc.data_note.extend(np.char.strip(note_col).tolist() if note_col is not None
                         else [""] * m)

    # indicator values
    vals = np.full((m, len(fw.indicators)), np.nan)
    status = np.zeros((m, len(fw.indicators)), dtype=np.int8)
    for j, ind in enumerate(fw.indicators):
        rawcol = _raw(chunk, index, ind.code)
        if rawcol is None:
            continue
        vals[:, j], status[:, j] = C.parse_column(rawcol, percent_ok=ind.is_percentage)
    bst = C.bounds_status(vals, lower, upper)
    status = np.where(bst != C.OK, bst, status)
    assert acc.nonmissing is not None
    acc.nonmissing += (status != C.MISSING).sum(axis=0)
    bad_r, bad_c = np.nonzero(status > C.MISSING)
    for i, j in zip(bad_r.tolist(), bad_c.tolist(), strict=True):
        indic = fw.indicators[j]
        raw = chunk.columns[index[indic.code]][i]
        acc.add(base + i, C.cell_problem(
            int(status[i, j]), indicator=indic, raw=str(raw), row=int(rows[i]), county=shown[i],
        ))
    vals[status != C.OK] = np.nan
    if acc.prealloc is not None and base + m > acc.prealloc.shape[0]:  # hint too small
        acc.values.append(acc.prealloc[:base].copy())
        acc.prealloc = None
    if acc.prealloc is not None:
        acc.prealloc[base:base + m] = vals
    else:
        acc.values.append(vals)

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


def _finish_county(
    acc: _Acc, fw: Framework, file_probs: list[Problem], index: Mapping[str, int],
    *, mode: Mode, source: str,
) -> QuarantineResult:
    n = acc.n
    k = len(fw.indicators)
    rows = np.concatenate(acc.rows) if acc.rows else np.zeros(0, dtype=np.int64)
    codes = np.concatenate(acc.codes) if acc.codes else np.zeros(0, dtype="U16")
    ok = np.concatenate(acc.code_ok) if acc.code_ok else np.zeros(0, dtype=bool)
    years = np.concatenate(acc.years) if acc.years else np.zeros(0, dtype=np.int64)
    if acc.prealloc is not None:
        values = acc.prealloc[:n]
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
                    row=1, indicator=ind.code,
                ))
    # duplicates among valid codes
    vidx = np.flatnonzero(ok)
    if vidx.size:
        _, inv, counts = np.unique(codes[vidx], return_inverse=True, return_counts=True)
        inv = inv.ravel()
        dup = counts[inv] > 1
        if dup.any():
            codes_l: list[str] = codes.tolist()
            rows_l: list[int] = rows.tolist()
            inv_l: list[int] = inv.tolist()
            vidx_l: list[int] = vidx.tolist()
            groups: dict[int, list[int]] = {}
            for pos in np.flatnonzero(dup).tolist():
                groups.setdefault(inv_l[pos], []).append(vidx_l[pos])
            for members in groups.values():
                where = [rows_l[o] for o in members]
                code = codes_l[members[0]]
                what_zh = f"代码 {code} 重复,见第 {where} 行"
                what_en = f"county code {code} is duplicated, in rows {where}"
                for o in members:
                    acc.add(o, Problem(
                        "duplicate_code", what_zh, what_en,
                        "每个县只填一行;删除重复行或更正代码",
                        "one row per county: delete the duplicate or correct the code",
                        row=rows_l[o], county=code, indicator="county_code", value=code,
                    ))
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

    hard = [p for p in file_probs if mode == "strict" or p.kind not in _SOFT_FILE_LEVEL]
    warnings = [p for p in file_probs if p not in hard]
    row_probs = [p for o in sorted(acc.row_problems) for p in acc.row_problems[o]]
    if hard or (mode == "strict" and row_probs):
        raise SubmissionError(hard + row_probs, source=source)

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
    data = UnitData(
        framework=fw,
        units=kept_codes,
        names=kept(acc.names),
        values=values if all_kept else values[keep],
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
        warnings=tuple(warnings),
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


# --------------------------------------------------------------------- JSON
_JSON_KEYS = {"county_code", "county_name", "province", "year", "prefecture", "data_note",
              "values", "notes", "sources", "region"}


def _json_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else repr(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)[:200]


def records_table(records: Sequence[Mapping[str, Any]], fw: Framework, *, first_row: int = 1
                  ) -> tuple[Table, list[Problem]]:
    """Submission objects (JSON or :class:`CountySubmission` dumps) as a :class:`Table`.

    Returns the table and structural problems (unknown keys, unknown
    indicators, objects that are not objects).
    """
    probs: list[Problem] = []
    present: dict[str, None] = {}
    extra_cols: dict[str, None] = {}
    for i, rec in enumerate(records):
        row = first_row + i
        if not isinstance(rec, Mapping):
            probs.append(Problem(
                "bad_format", "该项不是对象", "entry is not an object",
                "每个县一个 JSON 对象", "one JSON object per county", row=row,
                value=_json_text(rec)[:60],
            ))
            continue
        for key in rec:
            if key not in _JSON_KEYS:
                probs.append(Problem(
                    "unknown_column", f"未知字段 {key!r}", f"unknown field {key!r}",
                    f"允许的字段: {sorted(_JSON_KEYS)}", f"allowed fields: {sorted(_JSON_KEYS)}",
                    row=row, indicator=str(key),
                ))
        for part, prefix in (("values", ""), ("notes", "note:"), ("sources", "source:")):
            sub = rec.get(part)
            if sub is None:
                continue
            if not isinstance(sub, Mapping):
                probs.append(Problem(
                    "bad_format", f"{part} 应为对象(指标代码 → 值)",
                    f"{part!r} must be an object (indicator code -> value)",
                    '如 {"values": {"X1": 12.5}}', 'e.g. {"values": {"X1": 12.5}}', row=row,
                ))
                continue
            for code in sub:
                if code not in fw:
                    probs.append(Problem(
                        "unknown_indicator", f"未知指标代码 {code!r}",
                        f"unknown indicator code {code!r} (framework {fw.code})",
                        "检查指标代码拼写", "check the indicator code", row=row,
                        indicator=str(code),
                    ))
                elif prefix:
                    extra_cols[prefix + code] = None
                else:
                    present[code] = None
        for key in OPTIONAL_COLUMNS:
            if key in rec:
                extra_cols[key] = None
    header = list(REQUIRED_COLUMNS) + [c for c in fw.indicator_codes if c in present]
    header += list(extra_cols)
    rows: list[list[str]] = [header]
    numbers: list[int] = []
    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            continue
        numbers.append(first_row + i)
        vals = rec.get("values") if isinstance(rec.get("values"), Mapping) else {}
        notes = rec.get("notes") if isinstance(rec.get("notes"), Mapping) else {}
        srcs = rec.get("sources") if isinstance(rec.get("sources"), Mapping) else {}
        cells: list[str] = []
        for h in header:
            if h in REQUIRED_COLUMNS or h in OPTIONAL_COLUMNS:
                cells.append(_json_text(rec.get(h)))
            elif h.startswith("note:"):
                cells.append(_json_text(notes.get(h[5:])))  # type: ignore[union-attr]
            elif h.startswith("source:"):
                cells.append(_json_text(srcs.get(h[7:])))  # type: ignore[union-attr]
            else:
                cells.append(_json_text(vals.get(h)))  # type: ignore[union-attr]
        rows.append(cells or [""])
    if len(rows) == 1:
        return Table(header, iter(())), probs
    table = rows_table(rows, row_numbers=numbers)
    # rows_table drops blank rows; restore the exact header (it may strip trailing blanks)
    return Table(header, table.chunks), probs


def _json_table(path: Path, fw: Framework, source: str) -> tuple[Table, list[Problem]]:
    from ._table import detect_encoding

    enc = detect_encoding(path)
    try:
        text = path.read_text(encoding=enc)
        data = json.loads(text, parse_constant=lambda c: c.lower())
    except (ValueError, RecursionError) as exc:
        raise TableError([Problem(
            "bad_format", f"JSON 格式错误: {exc}"[:200], f"malformed JSON: {exc}"[:200],
            "用 JSON 校验工具检查文件", "check the file with a JSON validator",
        )]) from None
    if isinstance(data, Mapping) and isinstance(data.get("submissions"), list):
        data = data["submissions"]
    if not isinstance(data, list):
        raise TableError([Problem(
            "bad_format", "JSON 顶层应为列表(每个县一个对象)",
            "the JSON top level must be a list (one object per county)",
            '形如 [{"county_code": "410102", ...}, ...]',
            'shaped like [{"county_code": "410102", ...}, ...]',
        )])
    if not data:
        raise TableError([Problem("empty_file", "JSON 列表为空", "the JSON list is empty",
                                  "每个县一个对象", "one object per county")])
    return records_table(data, fw)


# ------------------------------------------------------------------ public
def _open_table(path: Path, fw: Framework | None, *, sheet: str | None, source: str
                ) -> tuple[Table, list[Problem]]:
    if not path.is_file():
        raise TableError([Problem(
            "file_not_found", f"找不到文件 {path}", f"file not found: {path}",
            "检查路径和文件名", "check the path and file name",
        )])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_table(path, sheet=sheet), []
    if suffix == ".json":
        if fw is None:
            raise TableError([Problem("bad_format", "此处不支持 JSON", "JSON not supported here")])
        return _json_table(path, fw, source)
    if suffix == ".xls":
        raise TableError([Problem(
            "unreadable", "不支持旧版 .xls 格式", "legacy .xls files are not supported",
            "另存为 .xlsx 或 CSV UTF-8", "save as .xlsx or CSV UTF-8",
        )])
    return csv_table(path), []


@overload
def read_submissions(
    path: str | Path, framework: Framework | str, *, mode: Literal["strict"] = ...,
    sheet: str | None = ...,
) -> UnitData: ...
@overload
def read_submissions(
    path: str | Path, framework: Framework | str, *, mode: Literal["quarantine"],
    sheet: str | None = ...,
) -> QuarantineResult: ...
def read_submissions(
    path: str | Path, framework: Framework | str, *, mode: Mode = "strict",
    sheet: str | None = None,
) -> UnitData | QuarantineResult:
    """Read and validate county submissions from a CSV, XLSX or JSON file.

    Parameters
    ----------
    path
        ``.csv`` (UTF-8, UTF-8 with BOM or GB18030/GBK, comma-delimited),
        ``.xlsx`` (needs the ``excel`` extra) or ``.json`` (a list of
        submission objects as produced by ``CountySubmission.model_dump``).
    framework
        A :class:`Framework` or the name of a built-in one (``"dvd-2023"``).
    mode
        ``"strict"``: raise on any problem.  ``"quarantine"``: return the
        valid rows and a report of the rejected ones.
    sheet
        XLSX only: sheet name (default: the first sheet).

    Returns
    -------
    UnitData or QuarantineResult
        ``UnitData`` (``kind="county"``; groups ``province``, ``region``,
        ``prefecture``) in strict mode; ``QuarantineResult(data, report)`` in
        quarantine mode.

    Raises
    ------
    SubmissionError
        Listing every problem in the file (row, county, indicator, value,
        what is wrong, how to fix).  In quarantine mode only for file-level
        problems.
    """
    if mode not in ("strict", "quarantine"):
        raise ValueError(f"mode must be 'strict' or 'quarantine', not {mode!r}")
    fw = resolve_framework(framework)
    p = Path(path)
    source = str(path)
    try:
        with _gc_paused():
            table, pre = _open_table(p, fw, sheet=sheet, source=source)
            if pre:
                file_level = [x for x in pre if x.kind in _FILE_LEVEL]
                other = [x for x in pre if x.kind not in _FILE_LEVEL]
                if file_level or (other and mode == "strict"):
                    # still validate the rest so everything is reported at once
                    try:
                        _validate_county_table(table, fw, mode="strict", source=source)
                    except SubmissionError as exc:
                        raise SubmissionError(pre + exc.problems, source=source) from None
                    raise SubmissionError(pre, source=source)
            result = _validate_county_table(table, fw, mode=mode, source=source)
    except TableError as exc:
        raise SubmissionError(exc.problems, source=source) from None
    return result.data if mode == "strict" else result


def read_unit_table(
    path: str | Path,
    framework: Framework | str,
    *,
    unit_col: str = "uCode",
    name_col: str | None = "uName",
    group_cols: Sequence[str] | None = None,
    denominator_cols: Sequence[str] | None = None,
    time_col: str | None = "Time",
    sheet: str | None = None,
) -> UnitData:
    """Read a generic unit table (COINr ``iData`` layout) into ``UnitData(kind="unit")``.

    Parameters
    ----------
    path
        CSV or XLSX; ``NA`` and the other missing markers are NaN.
    framework
        The framework whose indicators are columns of the table.
    unit_col, name_col
        Unit code column (required; unique, no spaces) and name column
        (optional; defaults to the codes when absent).
    group_cols
        Grouping columns; default: every column whose name ends in
        ``_group`` (COINr's convention, e.g. ``GDP_group``).
    denominator_cols
        Denominator columns (COINr ``Type = Denominator``); default: the
        ``denominator`` names used by the framework's indicators.
    time_col
        Year column; a single value becomes ``UnitData.year``; several values
        (panel data) are an error: split the table by year first.

    Raises
    ------
    SubmissionError
        Every problem at once, as for :func:`read_submissions`.
    """
    fw = resolve_framework(framework)
    p = Path(path)
    source = str(path)
    try:
        table, _ = _open_table(p, None, sheet=sheet, source=source)
    except TableError as exc:
        raise SubmissionError(exc.problems, source=source) from None
    header = table.header
    groups = (list(group_cols) if group_cols is not None
              else [h for h in header if h.endswith("_group")])
    dens = list(denominator_cols) if denominator_cols is not None else sorted(
        {i.denominator for i in fw.indicators if i.denominator and i.denominator in header})
    known = set(fw.indicator_codes) | set(groups) | set(dens) | {unit_col}
    if name_col:
        known.add(name_col)
    if time_col:
        known.add(time_col)
    probs: list[Problem] = []
    index: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in index:
            probs.append(Problem("duplicate_column", f"列名 {h!r} 重复", f"duplicate column {h!r}",
                                 "删除重复列", "remove the duplicate", row=1, indicator=h))
        index.setdefault(h, j)
        if h not in known:
            probs.append(Problem(
                "unknown_column", f"列 {h!r} 既不是指标,也不是分组/分母/单位列",
                f"column {h!r} is not an indicator, group, denominator or unit column",
                "删除该列,或在 group_cols / denominator_cols 中声明",
                "remove it or declare it in group_cols / denominator_cols", row=1, indicator=h,
            ))
    for col in [unit_col, *groups, *dens, *fw.indicator_codes]:
        if col not in index:
            kind = "indicator_column_missing" if col in fw else "missing_column"
            probs.append(Problem(kind, f"缺少列 {col!r}", f"column {col!r} is missing",
                                 f"加入 {col} 列", f"add a column {col}", row=1, indicator=col))
    lower, upper = C.framework_bounds(fw)
    units: list[str] = []
    names: list[str] = []
    rows_all: list[int] = []
    group_vals: dict[str, list[str]] = {g: [] for g in groups}
    den_vals: dict[str, list[NDArray[np.float64]]] = {d: [] for d in dens}
    times: list[str] = []
    blocks: list[NDArray[np.float64]] = []
    try:
        for chunk in table.chunks:
            probs.extend(p for _, p in chunk.problems)
            m = chunk.rows.shape[0]
            ucol = _col(chunk, index, unit_col)
            uc = [str(s).strip() for s in ucol] if ucol is not None else [""] * m
            for i, u in enumerate(uc):
                if not u or any(ch.isspace() for ch in u):
                    probs.append(Problem(
                        "invalid_code", "单位代码为空或含空格",
                        "unit code is empty or contains spaces",
                        "填写不含空格的代码", "give a code without spaces", row=int(chunk.rows[i]),
                        county=u, indicator=unit_col, value=u,
                    ))
            units.extend(uc)
            rows_all.extend(chunk.rows.tolist())
            ncol = _col(chunk, index, name_col) if name_col else None
            names.extend([str(s).strip() for s in ncol] if ncol is not None else uc)
            for g in groups:
                gc = _col(chunk, index, g)
                group_vals[g].extend([str(s).strip() for s in gc] if gc is not None else [""] * m)
            tcol = _col(chunk, index, time_col) if time_col else None
            if tcol is not None:
                times.extend(str(s).strip() for s in tcol)
            for d in dens:
                dc = _col(chunk, index, d)
                if dc is None:
                    den_vals[d].append(np.full(m, np.nan))
                    continue
                dv, dst = C.parse_cells(dc, percent_ok=False)
                for i in np.flatnonzero(dst > C.MISSING).tolist():
                    probs.append(Problem(
                        "non_numeric", f"分母列 {d} 的值不是数值", f"denominator {d}: not a number",
                        "填写数值或 NA", "write a number or NA", row=int(chunk.rows[i]),
                        county=uc[i], indicator=d, value=str(dc[i]),
                    ))
                den_vals[d].append(dv)
            vals = np.full((m, len(fw.indicators)), np.nan)
            status = np.zeros(vals.shape, dtype=np.int8)
            for j, ind in enumerate(fw.indicators):
                icol = _raw(chunk, index, ind.code)
                if icol is not None:
                    vals[:, j], status[:, j] = C.parse_column(icol, percent_ok=ind.is_percentage)
            bst = C.bounds_status(vals, lower, upper)
            status = np.where(bst != C.OK, bst, status)
            for i, j in zip(*(a.tolist() for a in np.nonzero(status > C.MISSING)), strict=True):
                indic = fw.indicators[j]
                probs.append(C.cell_problem(
                    int(status[i, j]), indicator=indic,
                    raw=str(chunk.columns[index[indic.code]][i]),
                    row=int(chunk.rows[i]), county=uc[i],
                ))
            vals[status != C.OK] = np.nan
            blocks.append(vals)
    except TableError as exc:
        raise SubmissionError(probs + exc.problems, source=source) from None
    if not units:
        probs.append(Problem("empty_file", "没有数据行", "no data rows", "每个单位一行",
                             "one row per unit"))
    seen: dict[str, int] = {}
    for u, r in zip(units, rows_all, strict=True):
        if u and u in seen:
            probs.append(Problem(
                "duplicate_code", f"单位代码 {u} 重复(另见第 {seen[u]} 行)",
                f"unit code {u} duplicated (also row {seen[u]})", "每个单位只填一行",
                "one row per unit", row=r, county=u, indicator=unit_col, value=u,
            ))
        seen.setdefault(u, r)
    year: int | None = None
    tset = sorted(set(times))
    if len(tset) > 1:
        probs.append(Problem(
            "mixed_years", f"{time_col} 列有多个取值 {tset[:10]}(面板数据)",
            f"{time_col} has several values {tset[:10]} (panel data)",
            "按年份拆分后分别读取", "split the table by year and read each part",
            indicator=time_col,
        ))
    elif len(tset) == 1:
        y = _year_of(tset[0])
        year = y if y > 0 else None
    if probs:
        raise SubmissionError(probs, source=source)
    k = len(fw.indicators)
    return UnitData(
        framework=fw,
        units=tuple(units),
        names=tuple(names),
        values=np.concatenate(blocks) if blocks else np.zeros((0, k)),
        groups={g: tuple(v) for g, v in group_vals.items()},
        year=year,
        kind="unit",
        denominators={d: np.concatenate(v) for d, v in den_vals.items()},
    )


def table_from_records(records: Iterable[Mapping[str, Any]], framework: Framework, *,
                       mode: Mode = "strict", source: str = "<submissions>"
                       ) -> QuarantineResult:
    """Validate submission dicts (``CountySubmission`` dumps) like a file."""
    recs = list(records)
    if not recs:
        raise SubmissionError([Problem("empty_file", "没有提交任何县", "no submissions given",
                                       "至少提交一个县", "give at least one county")],
                              source=source)
    try:
        table, pre = records_table(recs, framework)
    except TableError as exc:
        raise SubmissionError(exc.problems, source=source) from None
    if pre:
        raise SubmissionError(pre, source=source)
    with _gc_paused():
        return _validate_county_table(table, framework, mode=mode, source=source)
