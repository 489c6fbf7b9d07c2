"""Problem sheets (问题清单): a file's problems written out to send back to the counties.

One row per problem: row, county code and name, indicator code and Chinese
name, the value as given, what is wrong and how to fix it (Chinese and
English columns).  XLSX with the ``excel`` extra (a frozen, filterable header
row, county codes as text), CSV (UTF-8 with BOM, so Excel shows the Chinese)
otherwise or when the name ends in ``.csv``.  Every text cell goes through
:func:`xiangcun_eval.io.safety.neutralise` (a value such as ``=HYPERLINK(...)``
submitted by a county is shown, never executed); the write is atomic and
never replaces an existing file unless ``overwrite=True``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..framework.model import Framework
from ..io.files import check_target, write_bytes_atomic
from ..io.safety import neutralise
from .problems import KINDS, Problem, SubmissionError
from .quarantine import QuarantineReport

__all__ = ["PROBLEM_COLUMNS", "problem_rows", "write_problems"]

PROBLEM_COLUMNS: tuple[str, ...] = (
    "行号 row", "县级代码 county code", "县名 county name", "指标代码 indicator code",
    "指标名称 indicator", "填报值 value as given", "问题类别 kind", "问题 what is wrong",
    "修改方法 how to fix",
)


def _problems(source: Iterable[Problem] | QuarantineReport | SubmissionError) -> list[Problem]:
    if isinstance(source, QuarantineReport):
        return source.problems
    if isinstance(source, SubmissionError):
        return list(source.problems)
    return list(source)


def problem_rows(source: Iterable[Problem] | QuarantineReport | SubmissionError,
                 framework: Framework | None = None) -> list[list[Any]]:
    """The rows of a problem sheet (without the header), texts neutralised."""
    names = {i.code: i.name_zh for i in framework.indicators} if framework is not None else {}
    rows: list[list[Any]] = []
    for p in _problems(source):
        ind = p.indicator or ""
        rows.append([neutralise(v) for v in (
            p.row if p.row is not None else "", p.county or "", p.county_name or "", ind,
            names.get(ind, ""), "" if p.value is None else p.value,
            KINDS.get(p.kind, p.kind), p.what, p.fix,
        )])
    return rows


def write_problems(
    source: Iterable[Problem] | QuarantineReport | SubmissionError, path: str | Path,
    framework: Framework | None = None, *, overwrite: bool = False,
) -> Path:
    """Write the problems of a file as a sheet to send back to the counties.

    Parameters
    ----------
    source
        A :class:`QuarantineReport`, a :class:`SubmissionError` or problems.
    path
        ``.xlsx`` (``excel`` extra) or ``.csv`` (UTF-8 with BOM).
    framework
        Gives the indicators' Chinese names.
    overwrite
        Replace an existing file (default: refuse with ``OutputExistsError``).

    Returns
    -------
    Path
        The file written.
    """
    target = check_target(path, overwrite=overwrite)
    rows = problem_rows(source, framework)
    if target.suffix.lower() == ".xlsx":
        data = _xlsx_bytes(rows)
    else:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(PROBLEM_COLUMNS)
        w.writerows(rows)
        data = buf.getvalue().encode("utf-8-sig")
    write_bytes_atomic(target, data, overwrite=overwrite)
    return target


def _xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    from .._optional import require

    openpyxl = require("openpyxl", extra="excel", feature="问题清单 / problem sheet (.xlsx)")
    styles = require("openpyxl.styles", extra="excel", feature="problem sheet")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(list(PROBLEM_COLUMNS))
    for r in rows:
        ws.append(list(r))
    for c in ws[1]:
        c.font = styles.Font(bold=True)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        for c in row:
            c.number_format = "@"  # codes stay text
    widths = (8, 14, 12, 28, 24, 16, 22, 60, 60)
    for j, w in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
