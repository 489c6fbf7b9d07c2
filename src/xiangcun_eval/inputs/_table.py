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

__all__ = ["CHUNK_ROWS", "ByteColumn", "Chunk", "Table", "csv_table", "rows_table", "xlsx_table"]

CHUNK_ROWS = 50_000
"""Rows parsed per chunk (bounds memory for large files)."""
FAST_CHUNK_ROWS = 50_000
"""Rows per chunk on the vectorised CSV path (its index matrices are row x column)."""
MAX_CELL = 200
"""Cells longer than this are cut (they cannot be valid numbers or codes)."""


class TableError(Exception):
    """File-level problems that stop reading (raised inside this package only)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


_CLASS = np.full(256, 4, dtype=np.uint8)  # 0 pad, 1 digit, 2 dot, 3 sign, 4 anything else
_CLASS[0] = 0
_CLASS[48:58] = 1
_CLASS[46] = 2
_CLASS[[43, 45]] = 3
_POW10 = 10.0 ** np.arange(23)
_FAST_WIDTH = 17


class ByteColumn:
    """One column of a chunk as byte ranges into the raw file (fast CSV path).

    ``as_text()`` gives the numpy unicode array every other path uses;
    :meth:`plain_numbers` parses the cells that are plain decimals straight
    from the bytes, so indicator columns never need a text array.
    """

    def __init__(self, buf: NDArray[np.uint8], data: bytes, enc: str,
                 starts: NDArray[np.int64], ends: NDArray[np.int64]) -> None:
        self.buf, self.data, self.enc = buf, data, enc
        self.starts = np.ascontiguousarray(starts)
        self.ends = np.ascontiguousarray(ends)

    def __len__(self) -> int:
        return int(self.starts.size)

    def __getitem__(self, i: int) -> str:
        raw = self.data[self.starts[i]:self.ends[i]].decode(self.enc, errors="replace")
        return raw if len(raw) <= MAX_CELL else raw[:MAX_CELL] + "…"

    def as_text(self, rows: NDArray[np.intp] | None = None) -> NDArray[np.str_]:
        """The cells (or the cells of ``rows``) as a unicode array."""
        if rows is None:
            return _gather(self.buf, self.data, self.enc, self.starts, self.ends)
        return _gather(self.buf, self.data, self.enc, self.starts[rows], self.ends[rows])

    def unique_text(self) -> tuple[NDArray[np.str_], NDArray[np.intp]]:
        """Distinct cells as text and, per row, the index of its cell in them.

        Decodes each distinct byte string once (for low-cardinality columns
        such as the province).
        """
        length = self.ends - self.starts
        w = int(min(length.max(initial=0), MAX_CELL))
        if w == 0:
            return np.array([""], dtype=np.str_), np.zeros(self.starts.size, dtype=np.intp)
        pos = np.arange(w)
        mat = self.buf.take(self.starts[:, None] + pos, mode="clip")
        mat[pos >= length[:, None]] = 0
        uniq, inv = np.unique(np.ascontiguousarray(mat).view(f"S{w}").ravel(),
                              return_inverse=True)
        texts = [u.decode(self.enc, errors="replace") for u in uniq.tolist()]
        return np.array(texts or [""], dtype=np.str_), inv.ravel().astype(np.intp)

    def plain_numbers(self) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
        """Parse cells of the form ``[+-]ddd[.ddd]`` (<= 15 digits) and empty cells.

        Returns ``(values, done, empty)``: ``done`` marks cells handled here
        (numbers and empty cells); the rest must go through
        :func:`~xiangcun_eval.inputs.cells.parse_cells`.  Exact: an integer
        mantissa below 2**53 divided by an exact power of ten is correctly
        rounded, i.e. equal to ``float(text)``.
        """
        n = self.starts.size
        length = self.ends - self.starts
        w = int(min(length.max(initial=0), _FAST_WIDTH))
        empty = length == 0
        if w == 0:
            return np.full(n, np.nan), empty.copy(), empty
        pos = np.arange(w)[:, None]
        mat = self.buf.take(self.starts[None, :] + pos, mode="clip")
        mat[pos >= length[None, :]] = 0
        cls = _CLASS[mat]
        mant = np.zeros(n, dtype=np.int64)
        frac = np.zeros(n, dtype=np.int64)
        ndig = np.zeros(n, dtype=np.int64)
        ndot = np.zeros(n, dtype=np.int64)
        bad = (cls[0] == 4) | (length > _FAST_WIDTH)
        for j in range(w):
            cj = cls[j]
            isd = cj == 1
            mant = np.where(isd, mant * 10 + (mat[j].astype(np.int64) - 48), mant)
            ndig += isd
            frac += isd & (ndot > 0)
            ndot += cj == 2
            if j:
                bad |= cj >= 3
        done = (~bad & (ndot <= 1) & (ndig >= 1) & (ndig <= 15)) | empty
        vals = mant / _POW10[np.minimum(frac, 22)]
        vals[mat[0] == 45] *= -1
        vals[empty] = np.nan
        return vals, done, empty


@dataclass
class Chunk:
    """A block of rows: file row numbers and text columns (aligned with the header)."""

    rows: NDArray[np.int64]
    columns: list[NDArray[np.str_] | ByteColumn]
    problems: list[tuple[int, Problem]] = field(default_factory=list)
    """Row-level problems found while splitting (position in chunk, problem)."""


@dataclass
class Table:
    header: list[str]
    chunks: Iterator[Chunk]
    encoding: str = ""
    size_hint: int | None = None
    """Number of data rows when known in advance (lets readers preallocate)."""


def _cut(cells: Sequence[str]) -> list[str] | Sequence[str]:
    if max(map(len, cells), default=0) <= MAX_CELL:
        return cells
    return [c if len(c) <= MAX_CELL else c[:MAX_CELL] + "…" for c in cells]


def _columns(rows: list[list[str]], ncol: int) -> list[NDArray[np.str_] | ByteColumn]:
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
        yield Chunk(rows_no, list(_columns(cells, ncol)), probs)


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
    """Open a comma-delimited CSV as a :class:`Table` (chunked).

    UTF-8 and GB18030 files without NUL bytes or multi-line quoted fields
    are tokenised with numpy on the raw bytes (:func:`_fast_csv`); anything
    else goes through the standard :mod:`csv` module.  Both give the same
    cells.
    """
    enc = detect_encoding(path)
    if enc in ("utf-8", "utf-8-sig", "gb18030"):
        fast = _fast_csv(path, enc)
        if fast is not None:
            return fast
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


def _header_of(first: str) -> list[str]:
    try:
        header = next(csv.reader([first]), [])
    except csv.Error as exc:
        raise TableError([_csv_problem(exc, 1)]) from None
    if not any(h.strip() for h in header):
        raise TableError([Problem(
            "empty_file", "文件为空(没有表头)", "the file is empty (no header row)",
            "第一行应为表头:county_code,county_name,province,year,指标代码…",
            "the first row must be the header: county_code,county_name,province,year,"
            "<indicator codes>…",
        )])
    header = [h.strip().lstrip("\ufeff") for h in header]
    if (prob := _delimiter_problem(",".join(header), header)) is not None:
        raise TableError([prob])
    return header


def _fast_csv(path: Path, enc: str) -> Table | None:
    """Vectorised CSV tokenising on the raw bytes, or ``None`` to use :mod:`csv`.

    Works because in UTF-8 and GB18030 the bytes of ``,``, ``"``, CR and LF
    never occur inside a multi-byte character.  Lines are records (so row
    number = line number); lines with quotes or the wrong number of commas
    are tokenised by :mod:`csv` one by one; a quote spanning lines, or a NUL
    byte, sends the whole file to the :mod:`csv` path.
    """
    data = path.read_bytes()
    if enc == "utf-8-sig":
        data = data[3:]
    if b"\x00" in data:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [buf.size]))
    if starts[-1] >= buf.size:  # file ends with a newline
        starts, ends = starts[:-1], ends[:-1]
    if starts.size == 0:
        raise TableError([Problem(
            "empty_file", "文件为空(没有表头)", "the file is empty (no header row)",
            "第一行应为表头", "the first row must be the header",
        )])
    cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    ends = ends - cr
    header = _header_of(data[starts[0]:ends[0]].decode(enc))
    if b'"' in data[starts[0]:ends[0]]:
        return None
    starts, ends = starts[1:], ends[1:]
    qpos = np.flatnonzero(buf == 34)
    quotes = np.searchsorted(qpos, ends) - np.searchsorted(qpos, starts)
    if (quotes % 2).any():
        return None  # a quoted field spans lines
    rownum = np.arange(2, starts.size + 2, dtype=np.int64)
    return Table(header, _fast_chunks(buf, data, enc, len(header), starts, ends, rownum,
                                      quotes == 0), encoding=enc, size_hint=int(starts.size))


def _fast_chunks(
    buf: NDArray[np.uint8], data: bytes, enc: str, ncol: int, starts: NDArray[np.int64],
    ends: NDArray[np.int64], rownum: NDArray[np.int64], unquoted: NDArray[np.bool_],
) -> Iterator[Chunk]:
    step = max(1, min(CHUNK_ROWS, FAST_CHUNK_ROWS))
    for c0 in range(0, starts.size, step):
        sl = slice(c0, c0 + step)
        st, en, rn, uq = starts[sl], ends[sl], rownum[sl], unquoted[sl]
        lo, hi = int(st[0]), int(en[-1])
        cm = np.flatnonzero(buf[lo:hi] == 44) + lo
        first = np.searchsorted(cm, st)
        commas = np.searchsorted(cm, en) - first
        keep = np.flatnonzero((en - st) > commas)  # blank = every field "" (as csv path)
        if keep.size == 0:
            continue
        st, en, rn, first = st[keep], en[keep], rn[keep], first[keep]
        ok = uq[keep] & (commas[keep] == ncol - 1)
        m = st.size
        good = np.flatnonzero(ok)
        other = np.flatnonzero(~ok)
        cols: list[NDArray[np.str_] | ByteColumn] = []
        if good.size:
            cpos = cm[first[good][:, None] + np.arange(ncol - 1)]
            fstart = np.column_stack([st[good], cpos + 1])
            fend = np.column_stack([cpos, en[good]])
        probs: list[tuple[int, Problem]] = []
        recs: list[list[str]] = []
        for i in other.tolist():
            line = data[st[i]:en[i]].decode(enc, errors="replace")
            try:
                rec = next(csv.reader([line], strict=False), [])
            except csv.Error:
                rec = line.split(",")
            if len(rec) != ncol:
                probs.append((i, Problem(
                    "field_count",
                    f"该行有 {len(rec)} 个字段,表头有 {ncol} 列",
                    f"row has {len(rec)} fields but the header has {ncol} columns",
                    "检查该行是否有多余或缺少的逗号;含逗号的文本请加英文双引号",
                    "check for extra or missing commas; quote text that contains commas",
                    row=int(rn[i]), county=rec[0] if rec else None,
                )))
                rec = (rec + [""] * ncol)[:ncol]
            recs.append(list(_cut(rec)))
        for j in range(ncol):
            if not other.size:
                cols.append(ByteColumn(buf, data, enc, fstart[:, j], fend[:, j]))
                continue
            col = np.zeros(m, dtype="U1")
            if good.size:
                col = _scatter(_gather(buf, data, enc, fstart[:, j], fend[:, j]), good, m)
            extra = np.array([r[j] for r in recs], dtype=np.str_)
            width = max(col.dtype.itemsize, extra.dtype.itemsize) // 4
            col = col.astype(f"U{max(width, 1)}")
            col[other] = extra
            cols.append(col)
        yield Chunk(rn, cols, probs)


def _scatter(col: NDArray[np.str_], idx: NDArray[np.intp], m: int) -> NDArray[np.str_]:
    out = np.zeros(m, dtype=col.dtype)
    out[idx] = col
    return out


def _gather(buf: NDArray[np.uint8], data: bytes, enc: str, s: NDArray[np.int64],
            e: NDArray[np.int64]) -> NDArray[np.str_]:
    """Cells ``data[s:e]`` as a numpy unicode array (vectorised for ASCII cells)."""
    length = e - s
    n = s.size
    w = int(min(length.max(initial=0), MAX_CELL))
    if w == 0:
        return np.zeros(n, dtype="U1")
    pos = np.arange(w)
    mat = buf.take(s[:, None] + pos, mode="clip").astype(np.uint32)
    mat[pos >= np.minimum(length, w)[:, None]] = 0
    out: NDArray[np.str_] = np.ascontiguousarray(mat).view(f"<U{w}").reshape(n)
    special = np.flatnonzero((mat >= 128).any(axis=1) | (length > MAX_CELL))
    if special.size:
        texts = [data[s[i]:e[i]].decode(enc, errors="replace") for i in special.tolist()]
        fixed = np.array(_cut(texts), dtype=np.str_)
        out = out.astype(f"U{max(w, fixed.dtype.itemsize // 4)}")
        out[special] = fixed
    return out


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
