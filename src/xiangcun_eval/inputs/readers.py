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

from pathlib import Path
from typing import Literal, overload

from ..framework.model import Framework
from ._table import TableError
from .county import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    gc_paused,
    resolve_framework,
    validate_county_table,
)
from .data import UnitData
from .problems import SubmissionError
from .quarantine import FILE_LEVEL, Mode, QuarantineReport, QuarantineResult, RejectedRow
from .records import open_table, table_from_records
from .units import read_unit_table

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "QuarantineReport",
    "QuarantineResult",
    "RejectedRow",
    "read_submissions",
    "read_unit_table",
    "resolve_framework",
    "table_from_records",
]


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
        with gc_paused():
            table, pre = open_table(p, fw, sheet=sheet, source=source)
            if pre:
                file_level = [x for x in pre if x.kind in FILE_LEVEL]
                other = [x for x in pre if x.kind not in FILE_LEVEL]
                if file_level or (other and mode == "strict"):
                    # still validate the rest so everything is reported at once
                    try:
                        validate_county_table(table, fw, mode="strict", source=source)
                    except SubmissionError as exc:
                        raise SubmissionError(pre + exc.problems, source=source) from None
                    raise SubmissionError(pre, source=source)
            result = validate_county_table(table, fw, mode=mode, source=source)
    except TableError as exc:
        raise SubmissionError(exc.problems, source=source) from None
    return result.data if mode == "strict" else result


