"""Low-level table sources: CSV, XLSX and JSON turned into chunks of text columns.

Every format produces the same thing: a header (column names) and an
iterator of :class:`Chunk` (file row numbers plus one numpy string array per
column), so the validation in :mod:`xiangcun_eval.inputs.readers` is written
once.  Nothing here executes or unpickles anything: CSV and JSON are parsed
as text, XLSX through openpyxl in read-only, values-only mode (formulas are
not evaluated; their cached results are read).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._optional import require
from .problems import Problem

__all__ = ["CHUNK_ROWS", "Chunk", "Table", "csv_table", "rows_table", "xlsx_table"]

CHUNK_ROWS = 50_000
"""Rows parsed per chunk (bounds memory for large files)."""
MAX_CELL = 200
"""Cells longer than this are cut (they cannot be valid numbers or codes)."""


class TableError(Exception):
    """File-level problems that stop reading (raised inside this package only)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class Chunk:
    """A block of rows: file row numbers and text columns (aligned with the header)."""

    rows: NDArray[np.int64]
    columns: list[NDArray[np.str_]]
    problems: list[tuple[int, Problem]] = field(default_factory=list)
    """Row-level problems found while splitting (position in chunk, problem)."""


@dataclass
class Table:
    header: list[str]
    chunks: Iterator[Chunk]
    encoding: str = ""


def _cut(cells: Sequence[str]) -> list[str] | Sequence[str]:
    if max(map(len, cells), default=0) <= MAX_CELL:
        return cells
    return [c if len(c) <= MAX_CELL else c[:MAX_CELL] + "…" for c in cells]


def _columns(rows: list[list[str]], ncol: int) -> list[NDArray[np.str_]]:
    if not rows:
        return [np.zeros(0, dtype="U1") for _ in range(ncol)]
    cols = list(zip(*rows, strict=True))
    return [np.array(_cut(c), dtype=np.str_) for c in cols]


def _chunked(records: Iterator[tuple[int, list[str]]], ncol: int) -> Iterator[Chunk]:
    """Group ``(row_number, cells)`` records into chunks, fixing ragged rows."""
    while True:
        block = list(itertools.islice(records, CHUNK_ROWS))
        if not block:
            return
        rows_no = np.fromiter((r for r, _ in block), dtype=np.int64, count=len(block))
        cells = [c for _, c in block]
        probs: list[tuple[int, Problem]] = []
        for i, c in enumerate(cells):
            if len(c) != ncol:
                probs.append((i, Problem(
                    "field_count",
                    f"该行有 {len(c)} 个字段,表头有 {ncol} 列",
                    f"row has {len(c)} fields but the header has {ncol} columns",
                    "检查该行是否有多余或缺少的逗号;含逗号的文本请加英文双引号",
                    "check for extra or missing commas; quote text that contains commas",
                    row=int(rows_no[i]), county=c[0] if c else None,
                )))
                cells[i] = (c + [""] * ncol)[:ncol]
        yield Chunk(rows_no, _columns(cells, ncol), probs)


# ------------------------------------------------------------------- CSV
def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8``, ``utf-16`` or ``gb18030`` (covers GBK/GB2312).

    Streams the file through incremental decoders, so no full copy of the
    text is made.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        dec = codecs.getincrementaldecoder(enc)()
        try:
            with path.open("rb") as fh:
                while block := fh.read(1 << 20):
                    dec.decode(block)
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return enc
    raise TableError([Problem(
        "encoding",
        "文件编码无法识别(不是 UTF-8 / GB18030 / GBK)",
        "text encoding not recognised (not UTF-8, GB18030 or GBK)",
        "用 Excel/WPS 另存为 “CSV UTF-8(逗号分隔)”",
        "save the file as 'CSV UTF-8 (comma delimited)'",
    )])


def _delimiter_problem(first_line: str, fields: list[str]) -> Problem | None:
    if len(fields) > 1:
        return None
    for delim, zh, en in (("\t", "制表符", "tabs"), (";", "分号", "semicolons"),
                          ("|", "竖线", "vertical bars")):
        if first_line.count(delim) >= 1:
            return Problem(
                "wrong_delimiter",
                f"文件用{zh}分隔,而不是逗号",
                f"the file is delimited by {en}, not commas",
                "用 Excel/WPS 另存为 “CSV UTF-8(逗号分隔)”,或把分隔符替换为英文逗号",
                "save as 'CSV UTF-8 (comma delimited)' or replace the delimiter by commas",
                row=1, value=first_line[:60],
            )
    return None


def csv_table(path: Path) -> Table:
    """Open a comma-delimited CSV as a :class:`Table` (streams, chunked)."""
    enc = detect_encoding(path)
    fh = path.open("r", encoding=enc, newline="")
    try:
        reader = csv.reader(fh, strict=False)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise TableError([_csv_problem(exc, 1)]) from None
        if header is None or not any(h.strip() for h in header):
            raise TableError([Problem(
                "empty_file", "文件为空(没有表头)", "the file is empty (no header row)",
                "第一行应为表头:county_code,county_name,province,year,指标代码…",
                "the first row must be the header: county_code,county_name,province,year,"
                "<indicator codes>…",
            )])
        header = [h.strip().lstrip("\ufeff") for h in header]
        if (prob := _delimiter_problem(",".join(header), header)) is not None:
            raise TableError([prob])
    except BaseException:
        fh.close()
        raise

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            for i, rec in enumerate(reader, start=2):
                if rec and any(rec):
                    yield i, rec
        except csv.Error as exc:
            raise TableError([_csv_problem(exc, reader.line_num)]) from None
        except UnicodeDecodeError:  # pragma: no cover - detect_encoding read it all
            raise TableError([Problem("encoding", "编码错误", "encoding error")]) from None
        finally:
            fh.close()

    return Table(header, _chunked(records(), len(header)), encoding=enc)


def _csv_problem(exc: csv.Error, line: int) -> Problem:
    return Problem(
        "bad_format", f"CSV 格式错误(第 {line} 行附近): {exc}",
        f"malformed CSV near line {line}: {exc}",
        "检查引号是否成对、是否含有不可见控制字符(如 NUL)",
        "check for unbalanced quotes and control characters such as NUL",
        row=line,
    )


# ------------------------------------------------------------------- XLSX
def _xlsx_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, str):
        return v
    return str(v)


def xlsx_table(path: Path, *, sheet: str | None = None) -> Table:
    """Open the first (or named) sheet of an ``.xlsx`` workbook as a :class:`Table`.

    Numbers Excel stored for codes come back as text: ``110101.0`` ->
    ``"110101"``; a code that lost a digit stays short and is reported.
    """
    openpyxl = require("openpyxl", extra="excel", feature="读取 Excel / reading .xlsx")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise TableError([Problem(
            "unreadable", f"无法作为 xlsx 工作簿打开: {type(exc).__name__}",
            f"cannot open as an .xlsx workbook: {type(exc).__name__}: {exc}",
            "确认文件是 Excel 2007+ 的 .xlsx(不是 .xls / .et / 加密文件)",
            "make sure it is an Excel 2007+ .xlsx file (not .xls, .et or encrypted)",
        )]) from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise TableError([Problem(
                    "unreadable", f"工作表 {sheet!r} 不存在(现有: {wb.sheetnames})",
                    f"no sheet {sheet!r} (sheets: {wb.sheetnames})",
                    "用 --sheet 指定正确的工作表名", "name an existing sheet",
                )])
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        raw = [[_xlsx_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
    except TableError:
        raise
    except Exception as exc:
        raise TableError([Problem(
            "unreadable", f"读取工作表失败: {type(exc).__name__}",
            f"failed reading the sheet: {type(exc).__name__}: {exc}",
            "另存为新的 .xlsx 后重试", "save as a fresh .xlsx and retry",
        )]) from None
    finally:
        wb.close()
    return rows_table(raw, row_numbers=None)


def rows_table(raw: list[list[str]], *, row_numbers: Sequence[int] | None) -> Table:
    """A :class:`Table` from in-memory rows, the first being the header."""
    while raw and not any(c.strip() for c in raw[-1]):
        raw.pop()
    if not raw or not any(c.strip() for c in raw[0]):
        raise TableError([Problem(
            "empty_file", "表格为空(没有表头)", "the table is empty (no header row)",
            "第一行应为表头", "the first row must be the header",
        )])
    header = [h.strip() for h in raw[0]]
    while header and header[-1] == "":
        header.pop()
    ncol = len(header)
    numbers = list(row_numbers) if row_numbers is not None else list(range(2, len(raw) + 1))
    records = [
        (n, r if len(r) == ncol or any(c.strip() for c in r[ncol:]) else r[:ncol])
        for n, r in zip(numbers, raw[1:], strict=True)
        if any(c.strip() for c in r)
    ]
    return Table(header, _chunked(iter(records), ncol))
