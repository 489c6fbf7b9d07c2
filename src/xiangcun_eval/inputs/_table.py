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
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from .._optional import require
from .problems import Problem

__all__ = [
    "CHUNK_ROWS",
    "ByteColumn",
    "Chunk",
    "NumberColumn",
    "Table",
    "chunked",
    "fit_fields",
    "rows_table",
    "text_cell",
    "xlsx_table",
]

CHUNK_ROWS = 50_000
"""Rows parsed per chunk (bounds memory for large files)."""
FAST_CHUNK_ROWS = 8192
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
_FAST_WIDTH = 17
_POW10 = 10.0 ** np.arange(23)
_POW10_INT = 10 ** np.arange(19, dtype=np.int64)


class ByteColumn:
    """One column of a chunk as byte ranges into the raw file (fast CSV path).

    ``as_text()`` gives the numpy unicode array every other path uses;
    :meth:`plain_numbers` parses the cells that are plain decimals straight
    from the bytes, so indicator columns never need a text array.
    """

    def __init__(self, buf: NDArray[np.uint8], data: bytes, enc: str,
                 starts: NDArray[np.int64], ends: NDArray[np.int64], *,
                 words: NDArray[np.uint64] | None = None) -> None:
        self.buf, self.data, self.enc = buf, data, enc
        self.starts = np.ascontiguousarray(starts)
        self.ends = np.ascontiguousarray(ends)
        self.words = words
        """The 8 bytes before each cell's end (:func:`_words`), when the caller has them."""

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
        mat = byte_matrix(self.buf, self.starts, length, w)
        if (mat == mat[0]).all():  # one distinct cell (a file's year, note, province)
            uniq, inv = mat[:1].view(f"S{w}").ravel(), np.zeros(mat.shape[0], dtype=np.intp)
        else:
            uniq, inv = np.unique(np.ascontiguousarray(mat).view(f"S{w}").ravel(),
                                  return_inverse=True)
        texts = [u.decode(self.enc, errors="replace") for u in uniq.tolist()]
        return np.array(texts or [""], dtype=np.str_), inv.ravel().astype(np.intp)

    def plain_numbers(self) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
        """Parse cells of the form ``[+-]ddd[.ddd]`` (<= 15 digits) and empty cells.

        Returns ``(values, done, empty)``: ``done`` marks cells handled here
        (numbers and empty cells); the rest must go through
        :func:`~xiangcun_eval.inputs.cells.parse_cells`.  Unsigned cells of at
        most 8 bytes are read as one 64-bit word each and parsed with SWAR
        arithmetic (:func:`swar_decimals`); the other non-empty cells
        (signed, longer, not numbers) are gathered into a byte matrix,
        classified, and the plain decimals among them converted by numpy's
        bytes-to-float cast.  Both are
        exact: the first divides an integer mantissa below 2**53 by an exact
        power of ten (one correctly rounded division), the second uses the
        correctly rounded conversion of Python's ``float(text)``; so the
        values equal ``float(text)`` bit for bit.
        """
        length = self.ends - self.starts
        empty = length == 0
        vals, done = swar_decimals(self.buf, self.starts, self.ends, words=self.words)
        rest = ~done & ~empty
        if rest.any():
            longer = np.flatnonzero(rest)
            v, d = _long_decimals(self.buf, self.starts[longer], length[longer])
            vals[longer] = v
            done[longer] = d
        done |= empty
        return vals, done, empty


_ASCII0 = 0x3030303030303030
_LOW7 = 0x7F7F7F7F7F7F7F7F
_HIGH1 = 0x8080808080808080
_NIBBLE_HI = 0xF0F0F0F0F0F0F0F0
_KEEP = np.array([((1 << 64) - 1) ^ ((1 << (8 * (8 - n))) - 1) for n in range(9)],
                 dtype=np.uint64)
"""``_KEEP[n]``: the high ``n`` bytes of a word (a cell of ``n`` bytes right-aligned in it)."""
_PAD = np.array([_ASCII0 & ~int(k) for k in _KEEP], dtype=np.uint64)
"""``_PAD[n]``: ``'0'`` in the bytes below the high ``n``."""


_U = np.uint64
_C_ASCII0, _C_LOW7, _C_HIGH1, _C_NIBBLE_HI = _U(_ASCII0), _U(_LOW7), _U(_HIGH1), _U(_NIBBLE_HI)
_C_DOTS, _C_ONES, _C_RANKS = _U(0x2E2E2E2E2E2E2E2E), _U(0x0101010101010101), _U(0x0706050403020100)
_C_SIX, _C_LOWNIB = _U(0x0606060606060606), _U(0x0F0F0F0F0F0F0F0F)
_C_M1, _C_M2, _C_M3 = _U(2561), _U(6553601), _U(42949672960001)
_C_K1, _C_K2 = _U(0x00FF00FF00FF00FF), _U(0x0000FFFF0000FFFF)
_Z, _1, _6, _7, _8, _16, _32, _56, _0x30 = (_U(x) for x in (0, 1, 6, 7, 8, 16, 32, 56, 0x30))


def _words(buf: NDArray[np.uint8], ends: NDArray[np.int64]) -> NDArray[np.uint64]:
    """The 8 bytes before each ``end`` as a little-endian word (zero bytes before offset 0).

    One unaligned 8-byte load per cell through a byte-strided ``uint64``
    view of the buffer.
    """
    if buf.size < 8:
        buf = np.concatenate((np.zeros(8, dtype=np.uint8), buf))
        ends = ends + 8
    view = np.ndarray((buf.size - 7,), dtype="<u8", buffer=buf, strides=(1,))
    if ends.size == 0 or int(ends.min()) >= 8:
        return np.asarray(view[ends - 8], dtype=np.uint64)
    words = np.asarray(view[np.maximum(ends - 8, 0)], dtype=np.uint64)
    head = ends < 8  # cells ending in the first 8 bytes: shift the missing bytes in as zeros
    shift = (8 * (8 - np.maximum(ends[head], 0))).astype(np.uint64)
    words[head] = np.where(shift >= 64, _Z, words[head] << np.minimum(shift, 63))
    return words


def swar_decimals(buf: NDArray[np.uint8], starts: NDArray[np.int64], ends: NDArray[np.int64],
                  *, words: NDArray[np.uint64] | None = None
                  ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Unsigned plain decimals ``ddd[.ddd]`` of at most 8 bytes, 8 bytes at a time (SWAR).

    Each cell is loaded right-aligned into a little-endian 64-bit word and
    left-padded with ``'0'`` bytes.  The dot (found by an exact byte-wise
    zero test) is deleted by moving the bytes before it up one byte, the
    eight digits are checked and combined pairwise in three multiply-shift
    steps (Lemire's method) into the integer mantissa ``M`` (< 10**8), and
    the value is ``M / 10**q`` for ``q`` digits after the dot: one
    correctly rounded division of exact numbers, i.e. ``float(text)``.
    Anything else (signs, exponents, longer cells) is left to the caller.

    ``words``: :func:`_words` of ``ends`` when already gathered.

    Returns ``(values, done)``; NaN where not done.

    References
    ----------
    D. Lemire, "Fast integer parsing of eight ASCII digits" (2022); the
    byte-wise zero test from S. E. Anderson, *Bit Twiddling Hacks*.
    """
    length = ends - starts
    short = np.minimum(length, 8)
    word = (_words(buf, ends) if words is None else words) & _KEEP[short]
    word |= _PAD[short]
    y = word ^ _C_DOTS
    dots = (y & _C_LOW7) + _C_LOW7
    dots |= y
    dots |= _C_LOW7
    one = ~dots >> _7  # 0x01 in each byte that held the dot
    ndot = (one * _C_ONES) >> _56
    q = ((one * _C_RANKS) >> _56).astype(np.intp)
    moved = word & (_Z - (one << _8))  # the bytes after the dot stay,
    moved |= (word & (one - _1)) << _8  # the ones before it move up over the dot
    moved |= _0x30
    word = np.where(ndot == 0, word, moved)
    digits = (word & _C_NIBBLE_HI) == _C_ASCII0
    digits &= ((word + _C_SIX) & _C_NIBBLE_HI) == _C_ASCII0
    # 1 to 8 bytes, at most one dot, and not the dot alone
    done = digits & (ndot <= 1) & ((length - 1).view(np.uint64) < _8)
    done &= length > ndot.view(np.int64)
    v = word & _C_LOWNIB
    v = ((v * _C_M1) >> _8) & _C_K1
    v = ((v * _C_M2) >> _16) & _C_K2
    v = (v * _C_M3) >> _32
    vals = v.view(np.int64) / _POW10[q]
    vals[~done] = np.nan
    return vals, done


def _long_decimals(buf: NDArray[np.uint8], starts: NDArray[np.int64], length: NDArray[np.int64]
                   ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Plain decimals ``[+-]ddd[.ddd]`` (<= 15 digits, <= 17 bytes): numpy bytes-to-float cast."""
    w = int(min(length.max(initial=0), _FAST_WIDTH))
    vals = np.full(starts.size, np.nan)
    mat = byte_matrix(buf, starts, length, w)
    cls = _CLASS[mat]
    bad = (cls[:, 0] == 4) | (length > w) | (cls[:, 1:] >= 3).any(axis=1)
    ndig = np.count_nonzero(cls == 1, axis=1)
    ndot = np.count_nonzero(cls == 2, axis=1)
    num = ~bad & (ndot <= 1) & (ndig >= 1) & (ndig <= 15)
    sel = np.flatnonzero(num)
    if sel.size:
        vals[sel] = np.ascontiguousarray(mat[sel]).view(f"S{w}").ravel().astype(np.float64)
    return vals, num


def byte_matrix(buf: NDArray[np.uint8], starts: NDArray[np.int64], length: NDArray[np.int64],
                w: int) -> NDArray[np.uint8]:
    """The first ``w`` bytes of each cell ``buf[start:start + length]``, NUL-padded, ``(n, w)``.

    One row copy per cell through a sliding-window view (no ``(n, w)``
    index matrix).  Cells starting in the last ``w - 1`` bytes of ``buf``
    are read from a padded copy of the tail.
    """
    n = starts.size
    if buf.size < w:
        buf = np.concatenate((buf, np.zeros(w - buf.size, dtype=np.uint8)))
    last = buf.size - w
    win = np.lib.stride_tricks.sliding_window_view(buf, w)
    mat = win[np.minimum(starts, last)]
    tail = np.flatnonzero(starts > last)
    if tail.size:
        padded = np.concatenate((buf[last:], np.zeros(w, dtype=np.uint8)))
        mat[tail] = np.lib.stride_tricks.sliding_window_view(padded, w)[starts[tail] - last]
    if n:
        mat[np.arange(w) >= length[:, None]] = 0
    return mat


class NumberColumn:
    """One column of numbers (a numeric DataFrame column): values are used as they are.

    ``plain_numbers`` hands the finite values and NaN (missing) straight to
    the cell rules; infinities go through :func:`~xiangcun_eval.inputs.cells.parse_cells`
    as text and are rejected there.  Text (for codes and messages) follows
    the XLSX conventions (``410102.0`` -> ``"410102"``).
    """

    def __init__(self, values: NDArray[np.float64]) -> None:
        self.values = values

    def __len__(self) -> int:
        return int(self.values.size)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> NumberColumn: ...
    def __getitem__(self, i: int | slice) -> str | NumberColumn:
        if isinstance(i, slice):
            return NumberColumn(self.values[i])
        return text_cell(float(self.values[i]))

    def as_text(self, rows: NDArray[np.intp] | None = None) -> NDArray[np.str_]:
        """The cells (or the cells of ``rows``) as text."""
        v = self.values if rows is None else self.values[rows]
        return np.array([text_cell(x) for x in v.tolist()] or [""], dtype=np.str_)[:v.size]

    def plain_numbers(self) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
        """``(values, done, empty)`` as :meth:`ByteColumn.plain_numbers`."""
        empty = np.isnan(self.values)
        return self.values.copy(), np.isfinite(self.values) | empty, empty


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
    header_row: int = 1
    """Row number of the header in the file (title rows above it are not data)."""


def _cut(cells: Sequence[str]) -> list[str] | Sequence[str]:
    if max(map(len, cells), default=0) <= MAX_CELL:
        return cells
    return [c if len(c) <= MAX_CELL else c[:MAX_CELL] + "…" for c in cells]


def _columns(rows: list[list[str]], ncol: int) -> list[NDArray[np.str_] | ByteColumn]:
    if not rows:
        return [np.zeros(0, dtype="U1") for _ in range(ncol)]
    cols = list(zip(*rows, strict=True))
    return [np.array(_cut(c), dtype=np.str_) for c in cols]


def fit_fields(rec: list[str], ncol: int, limit: int | None = None) -> list[str]:
    """``rec`` without empty fields beyond ``ncol`` (Excel's trailing ``,,``).

    ``limit``: the most fields a record may have for that (CSV: the header's
    own field count, empty names included; a record with more fields has a
    stray delimiter and keeps them, to be reported).  ``None``: no limit
    (spreadsheet rows, where cells cannot shift).
    """
    if len(rec) > ncol and (limit is None or len(rec) <= limit) and not any(
            c.strip() for c in rec[ncol:]):
        return rec[:ncol]
    return rec


def chunked(records: Iterator[tuple[int, list[str], list[Problem]]], ncol: int,
            limit: int | None = None) -> Iterator[Chunk]:
    """Group ``(row_number, cells, problems)`` records into chunks, fixing ragged rows.

    ``limit`` as in :func:`fit_fields`.
    """
    while True:
        block = list(itertools.islice(records, CHUNK_ROWS))
        if not block:
            return
        rows_no = np.fromiter((r for r, _, _ in block), dtype=np.int64, count=len(block))
        cells = [fit_fields(c, ncol, limit) for _, c, _ in block]
        probs: list[tuple[int, Problem]] = [(i, p) for i, (_, _, ps) in enumerate(block)
                                            for p in ps]
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
        probs.sort(key=lambda t: t[0])
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


def _scatter(col: NDArray[np.str_], idx: NDArray[np.intp], m: int) -> NDArray[np.str_]:
    out = np.zeros(m, dtype=col.dtype)
    out[idx] = col
    return out


def _gather(buf: NDArray[np.uint8], data: bytes, enc: str, s: NDArray[np.int64],
            e: NDArray[np.int64]) -> NDArray[np.str_]:
    """Cells ``data[s:e]`` as a numpy unicode array.

    Vectorised for ASCII cells and, in UTF-8 files, for non-ASCII cells up
    to ``MAX_CELL`` bytes (:func:`utf8_matrix`); other cells are decoded one
    by one.  The cells come from lines without undecodable bytes and are
    cut at commas, which never fall inside a character, so each is valid.
    """
    length = e - s
    n = s.size
    w = int(min(length.max(initial=0), MAX_CELL))
    if w == 0:
        return np.zeros(n, dtype="U1")
    mat = byte_matrix(buf, s, length, w)
    nonascii = (mat >= 128).any(axis=1)
    out: NDArray[np.str_] = np.ascontiguousarray(mat.astype(np.uint32)).view(f"<U{w}").reshape(n)
    special = np.flatnonzero(nonascii | (length > MAX_CELL))
    if special.size:
        if enc == "utf-8":
            vec = np.flatnonzero(nonascii & (length <= MAX_CELL))
            if vec.size:
                cps = utf8_matrix(mat[vec])
                out = out.astype(f"U{max(w, cps.shape[1])}")
                out[vec] = np.ascontiguousarray(cps).view(f"<U{cps.shape[1]}").reshape(vec.size)
            special = np.flatnonzero(length > MAX_CELL)
        if special.size:
            texts = [data[s[i]:e[i]].decode(enc, errors="replace") for i in special.tolist()]
            fixed = np.array(_cut(texts), dtype=np.str_)
            out = out.astype(f"U{max(out.dtype.itemsize // 4, fixed.dtype.itemsize // 4)}")
            out[special] = fixed
    return out


def utf8_matrix(mat: NDArray[np.uint8]) -> NDArray[np.uint32]:
    """Decode rows of valid UTF-8 bytes (NUL-padded on the right) to code points, ``(n, chars)``.

    The rows are decoded in one call (the padding NULs are characters of
    their own, so the concatenation is valid UTF-8 and row ``i`` starts
    after the characters of the rows before it: ``w`` bytes less their
    continuation bytes ``10xxxxxx`` each), then cut back into rows through
    a sliding-window view.  The rows must be valid UTF-8 (the caller
    guarantees it).
    """
    w = mat.shape[1]
    cps = np.frombuffer(np.ascontiguousarray(mat).tobytes().decode("utf-8").encode("utf-32-le"),
                        dtype=np.uint32)
    nchar = w - np.count_nonzero((mat & 0xC0) == 0x80, axis=1)
    wc = int(nchar.max(initial=1))
    offsets = np.concatenate(([0], np.cumsum(nchar)[:-1]))
    padded = np.concatenate((cps, np.zeros(wc, dtype=np.uint32)))
    out = np.lib.stride_tricks.sliding_window_view(padded, wc)[offsets]
    out[np.arange(wc) >= nchar[:, None]] = 0
    return out


# ------------------------------------------------------------------- XLSX
_PCT_FMT = re.compile(r'(?<!\\)%(?=(?:[^"]*"[^"]*")*[^"]*$)')


def _xlsx_cell(v: Any, fmt: str | None = None) -> str:
    """A cell value as text; a number formatted as a percentage gets its ``%`` back.

    Excel stores 80.4 % as 0.804 with a ``0.0%`` number format: the text is
    ``"80.4%"`` (decimal shift of the stored digits, no float rounding), which
    the cell rules read as 80.4 on percentage indicators and reject
    elsewhere.
    """
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if fmt and isinstance(v, (int, float)) and _PCT_FMT.search(fmt):
        if isinstance(v, float) and not math.isfinite(v):
            return repr(v)
        d = Decimal(repr(v) if isinstance(v, float) else v).scaleb(2).normalize()
        return f"{d:f}%"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, str):
        return v.replace("\x00", "\ufffd")
    return str(v)


def text_cell(v: Any) -> str:
    """A Python value as cell text (XLSX conventions; ``None``, NaN, ``pd.NA``, ``NaT`` empty)."""
    if type(v).__name__ in ("NAType", "NaTType") or (isinstance(v, float) and math.isnan(v)):
        return ""
    return _xlsx_cell(v)


Locate = Callable[[list[list[str]]], tuple[int, int]]


def xlsx_table(path: Path, *, sheet: str | None = None, locate: Locate | None = None) -> Table:
    """Open the first (or named) sheet of an ``.xlsx`` workbook as a :class:`Table`.

    Numbers Excel stored for codes come back as text: ``110101.0`` ->
    ``"110101"``; a code that lost a digit stays short and is reported.
    Number formats are read (not the values only) so that percent-formatted
    cells keep their meaning (see :func:`_xlsx_cell`).
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
        raw = [[_xlsx_cell(getattr(c, "value", None), getattr(c, "number_format", None))
                for c in r] for r in ws.iter_rows()]
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
    return rows_table(raw, row_numbers=None, locate=locate)


def rows_table(raw: list[list[str]], *, row_numbers: Sequence[int] | None,
               locate: Locate | None = None) -> Table:
    """A :class:`Table` from in-memory rows: title rows, then the header, then data.

    ``row_numbers`` are the file row numbers of the data rows after the
    header (default: position + 1).  ``locate`` finds the header among the
    first rows (default: the first row).
    """
    while raw and not any(c.strip() for c in raw[-1]):
        raw.pop()
    h, skip = locate(raw[:30]) if (locate is not None and raw) else (0, 0)
    if not raw or not any(c.strip() for c in raw[h]):
        raise TableError([Problem(
            "empty_file", "表格为空(没有表头)", "the table is empty (no header row)",
            "第一行应为表头", "the first row must be the header",
        )])
    header = [h_.strip() for h_ in raw[h]]
    while header and header[-1] == "":
        header.pop()
    ncol = len(header)
    first = h + 1 + skip
    numbers = (list(row_numbers) if row_numbers is not None
               else list(range(first + 1, len(raw) + 1)))
    records: list[tuple[int, list[str], list[Problem]]] = [
        (n, fit_fields(r, ncol), [])
        for n, r in zip(numbers, raw[first:], strict=True)
        if any(c.strip() for c in r)
    ]
    return Table(header, chunked(iter(records), ncol), header_row=h + 1)
