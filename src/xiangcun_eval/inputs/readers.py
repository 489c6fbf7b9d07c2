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

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, overload

from ..errors import OptionError
from ..framework.model import Framework
from ._table import TableError
from .county import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Options,
    gc_paused,
    resolve_framework,
    validate_county_table,
)
from .data import UnitData
from .headers import ColumnsSpec, HeaderMatcher
from .problems import SubmissionError
from .quarantine import FILE_LEVEL, Mode, QuarantineReport, QuarantineResult, RejectedRow
from .records import frame_table, open_table, table_from_records
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


Source = str | Path | Mapping[str, Any] | Any
"""A file path, a pandas DataFrame or a mapping of column name -> values."""


@overload
def read_submissions(
    path: Source, framework: Framework | str, *, mode: Literal["strict"] = ...,
    sheet: str | None = ..., columns: ColumnsSpec = ..., header_row: int | None = ...,
    accept_fractions: bool = ..., reject: Literal["row", "cell"] = ...,
) -> UnitData: ...
@overload
def read_submissions(
    path: Source, framework: Framework | str, *, mode: Literal["quarantine"],
    sheet: str | None = ..., columns: ColumnsSpec = ..., header_row: int | None = ...,
    accept_fractions: bool = ..., reject: Literal["row", "cell"] = ...,
) -> QuarantineResult: ...
def read_submissions(
    path: Source, framework: Framework | str, *, mode: Mode = "strict",
    sheet: str | None = None, columns: ColumnsSpec = None, header_row: int | None = None,
    accept_fractions: bool = False, reject: Literal["row", "cell"] = "row",
) -> UnitData | QuarantineResult:
    """Read and validate county submissions from a file, a DataFrame or a mapping of columns.

    Parameters
    ----------
    path
        ``.csv`` (UTF-8, UTF-8 with BOM or GB18030/GBK, comma-delimited),
        ``.xlsx`` (needs the ``excel`` extra), ``.json`` (a list of
        submission objects as produced by ``CountySubmission.model_dump``),
        or, for notebooks, a pandas ``DataFrame`` or any mapping of column
        name -> sequence of values (read through the same header and cell
        rules; rows are numbered as if written to a sheet with the header in
        row 1).
    framework
        A :class:`Framework` or the name of a built-in one (``"dvd-2023"``).
    mode
        ``"strict"``: raise on any problem.  ``"quarantine"``: return the
        valid rows and a report of the rejected ones.
    sheet
        XLSX only: sheet name (default: the first sheet).
    columns
        User column mapping ``{header as written: column}`` (column = a
        canonical unit column such as ``county_code`` or an indicator code or
        name), or the path of a TOML (``[columns]``) or two-column CSV file.
        Headers are otherwise matched by code, Chinese or English name (with
        or without the unit in brackets) and the unit-column aliases; see
        :mod:`xiangcun_eval.inputs.headers`.
    header_row
        1-based row of the header when title rows are above it (default:
        located automatically when unambiguous).
    accept_fractions
        A percentage column whose values all lie in [0, 1] is an error
        (``looks_like_fractions``); with ``True`` it is multiplied by 100 and
        a warning says so.
    reject
        Quarantine mode: ``"row"`` (default) rejects a row with any problem;
        ``"cell"`` sets bad cells to missing and keeps the county (their
        problems are in ``report.flagged``); problems with the county's
        identity (code, name, province, year, duplicates, broken lines)
        still reject the row.

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
    OptionError
        An unknown ``mode`` or ``reject``, or an argument of the wrong type.

    Warns
    -----
    SubmissionWarning
        Extra columns that were ignored; fractions multiplied by 100.
    """
    if mode not in ("strict", "quarantine"):
        raise OptionError(f"mode 须为 'strict' 或 'quarantine',而不是 {mode!r} / mode must be "
                          f"'strict' or 'quarantine', not {mode!r}")
    if reject not in ("row", "cell"):
        raise OptionError(f"reject 须为 'row' 或 'cell',而不是 {reject!r} / reject must be "
                          f"'row' or 'cell', not {reject!r}")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(
            header_row, int) or header_row < 1):
        raise OptionError(f"header_row 须为正整数,而不是 {header_row!r} / header_row must be a "
                          f"positive integer, not {header_row!r}")
    fw = resolve_framework(framework)
    is_file = isinstance(path, (str, Path))
    source = str(path) if is_file else f"<{type(path).__name__}>"
    try:
        matcher = HeaderMatcher(fw, columns)
        opts = Options(matcher=matcher, accept_fractions=bool(accept_fractions), reject=reject)

        def locate(rows: list[list[str]]) -> tuple[int, int]:
            spot = matcher.locate(rows, header_row)
            return spot.index, spot.skip

        with gc_paused():
            if isinstance(path, (str, Path)):
                table, pre = open_table(Path(path), fw, sheet=sheet, source=source,
                                        locate=locate)
            else:
                table, pre = frame_table(path), []
            if pre:
                file_level = [x for x in pre if x.kind in FILE_LEVEL]
                other = [x for x in pre if x.kind not in FILE_LEVEL]
                if file_level or (other and mode == "strict"):
                    # still validate the rest so everything is reported at once
                    try:
                        validate_county_table(table, fw, mode="strict", source=source,
                                              options=opts)
                    except SubmissionError as exc:
                        raise SubmissionError(pre + exc.problems, source=source) from None
                    raise SubmissionError(pre, source=source)
            result = validate_county_table(table, fw, mode=mode, source=source, options=opts)
    except TableError as exc:
        raise SubmissionError(exc.problems, source=source) from None
    except SubmissionError as exc:
        if exc.source is None:
            raise SubmissionError(exc.problems, source=source) from None
        raise
    return result.data if mode == "strict" else result
