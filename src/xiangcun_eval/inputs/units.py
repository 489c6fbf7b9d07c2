"""Generic unit tables (通用单位表) in COINr's ``iData`` layout -> ``UnitData(kind="unit")``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..framework.model import Framework
from . import cells as C
from ._table import TableError
from .county import _col, _raw, _year_of, resolve_framework
from .data import UnitData
from .problems import Problem, SubmissionError
from .records import open_table

__all__ = ["read_unit_table"]


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
        table, _ = open_table(p, None, sheet=sheet, source=source)
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


