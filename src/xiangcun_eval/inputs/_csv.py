"""CSV files as :class:`~xiangcun_eval.inputs._table.Table`: encoding, title rows, two tokenisers.

Rules (stated in ``docs/submissions.md``):

* Encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030
  (covers GBK/GB2312).  A file that is UTF-8 (or GB18030) except for a few
  undecodable bytes (at most one per 20 non-ASCII bytes) is read in that
  encoding and each line holding such a byte is a row problem
  ``undecodable_row`` naming the line (rejected alone in quarantine mode; a
  file-level ``encoding`` error when the header line is hit).
* Title rows above the header are located by the caller's ``locate``
  (header matching); rows above the header are not data.
* Trailing columns with an empty header (Excel's ``,,``) are dropped, with
  their cells, when those cells are empty; a record with more fields than
  the header line has a stray delimiter (e.g. an unquoted ``0,5``) and is a
  ``field_count`` problem, never shifted.
* A NUL byte is read as U+FFFD (so a number holding one is rejected, quoted).
* Records are lines.  A line with an odd number of ``"`` opens a quoted
  field: it is joined with the following lines up to the one that closes
  the quote, and kept when the joined record has the header's number of
  fields (a note with a line break); otherwise the opening line is an
  ``unbalanced_quote`` row problem naming it and every following line is
  read on its own, so accepted + rejected rows equal the data lines.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from ._table import (
    CHUNK_ROWS,
    FAST_CHUNK_ROWS,
    ByteColumn,
    Chunk,
    Table,
    TableError,
    _cut,
    _gather,
    _scatter,
    _words,
    chunked,
    fit_fields,
)
from .problems import Problem

__all__ = ["HEAD_LINES", "csv_table", "sniff_encoding"]

HEAD_LINES = 30
"""Lines looked at to locate the header (title rows above it)."""
MAX_SPAN = 100
"""Most lines a quoted field may span."""

Locate = Callable[[list[list[str]]], tuple[int, int]]


def _encoding_error() -> TableError:
    return TableError([Problem(
        "encoding",
        "文件编码无法识别(不是 UTF-8 / GB18030 / GBK)",
        "text encoding not recognised (not UTF-8, GB18030 or GBK)",
        "用 Excel/WPS 另存为 “CSV UTF-8(逗号分隔)”",
        "save the file as 'CSV UTF-8 (comma delimited)'",
    )])


def _bad_offsets(data: bytes, enc: str, cap: int) -> list[int] | None:
    """Byte offsets of undecodable sequences, or ``None`` when more than ``cap``."""
    mv = memoryview(data)
    dec = codecs.getdecoder(enc)
    out: list[int] = []
    pos = 0
    while pos < len(data):
        try:
            dec(mv[pos:], "strict")
            break
        except UnicodeDecodeError as exc:
            out.append(pos + exc.start)
            if len(out) > cap:
                return None
            pos += max(exc.end, exc.start + 1)
    return out


BLOCK = 1 << 22
"""Bytes scanned per step (decoding checks, line ends): bounded temporaries."""


def _decodes(data: bytes, enc: str) -> bool:
    """Whether ``data`` decodes in ``enc``, checked in blocks (no full-size text copy)."""
    dec = codecs.getincrementaldecoder(enc)()
    mv = memoryview(data)
    try:
        for a in range(0, len(data), BLOCK):
            dec.decode(mv[a:a + BLOCK])
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def line_ends(buf: NDArray[np.uint8]) -> NDArray[np.int64]:
    """Offsets of the LF bytes of ``buf``, found block by block."""
    parts = [np.flatnonzero(buf[a:a + BLOCK] == 10) + a for a in range(0, buf.size, BLOCK)]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def sniff_encoding(data: bytes) -> tuple[str, list[int]]:
    """``(encoding, offsets of undecodable bytes)`` for the bytes of a CSV file.

    ``encoding`` is ``utf-8-sig``, ``utf-8``, ``utf-16`` or ``gb18030``.

    Raises
    ------
    TableError
        ``encoding`` when neither UTF-8 nor GB18030 fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError:
            raise _encoding_error() from None
        return "utf-16", []
    else:
        enc = "utf-8"
    if _decodes(data, enc):
        return enc, []
    nonascii = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    cap = nonascii // 20
    bad = _bad_offsets(data, enc, cap)
    if bad is not None:
        return enc, bad
    if enc == "utf-8" and _decodes(data, "gb18030"):
        return "gb18030", []
    if enc == "utf-8":
        bad = _bad_offsets(data, "gb18030", cap)
        if bad is not None:
            return "gb18030", bad
    raise _encoding_error()


def _delimiter_problem(first_line: str, fields: list[str], row: int) -> Problem | None:
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
                row=row, value=first_line[:60],
            )
    return None


def _parse_line(line: str) -> list[str]:
    try:
        return next(csv.reader([line], strict=False), [])
    except csv.Error:
        return line.split(",")


def _empty() -> TableError:
    return TableError([Problem(
        "empty_file", "文件为空(没有表头)", "the file is empty (no header row)",
        "第一行应为表头:county_code,county_name,province,year,指标代码…",
        "the first row must be the header: county_code,county_name,province,year,"
        "<indicator codes>…",
    )])


def _undecodable(row: int, county: str | None) -> Problem:
    return Problem(
        "undecodable_row", f"第 {row} 行含无法解码的字节(文件编码不一致)",
        f"line {row} holds bytes that cannot be decoded (mixed encodings)",
        "重新输入该行的中文,或整个文件另存为 “CSV UTF-8”",
        "retype the Chinese text of that line, or save the whole file as 'CSV UTF-8'",
        row=row, county=county,
    )


def csv_table(path_or_data: object, *, locate: Locate | None = None) -> Table:
    """Open a comma-delimited CSV (path or bytes) as a :class:`Table` (chunked).

    UTF-8 and GB18030 files without NUL bytes or quotes spanning lines are
    tokenised with numpy on the raw bytes (:func:`_fast_csv`); anything else
    goes line by line through :mod:`csv` (:func:`_slow_csv`).  Both give the
    same cells.
    """
    from pathlib import Path

    data = path_or_data if isinstance(path_or_data, bytes) else Path(
        str(path_or_data)).read_bytes()
    enc, bad = sniff_encoding(data)
    if enc == "utf-16":
        data, enc = data.decode("utf-16").encode("utf-8"), "utf-8"
    elif enc == "utf-8-sig":
        data, enc, bad = data[3:], "utf-8", [b - 3 for b in bad]
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = line_ends(buf)
    starts = np.concatenate(([0], nl + 1)).astype(np.int64)
    ends = np.concatenate((nl, [buf.size])).astype(np.int64)
    if starts[-1] >= buf.size:  # file ends with a newline
        starts, ends = starts[:-1], ends[:-1]
    if starts.size == 0:
        raise _empty()
    cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    ends = ends - cr
    bad_lines = (np.unique(np.searchsorted(starts, np.array(bad, dtype=np.int64), side="right")
                           - 1) if bad else np.zeros(0, dtype=np.int64))
    head_n = min(HEAD_LINES, starts.size)
    head = [_parse_line(data[starts[i]:ends[i]].decode(enc, errors="replace"))
            for i in range(head_n)]
    h, skip = locate(head) if locate is not None else (0, 0)
    if h in set(bad_lines.tolist()):
        raise TableError([Problem(
            "encoding", f"表头(第 {h + 1} 行)含无法解码的字节",
            f"the header (line {h + 1}) holds bytes that cannot be decoded",
            "用 Excel/WPS 另存为 “CSV UTF-8(逗号分隔)”",
            "save the file as 'CSV UTF-8 (comma delimited)'", row=h + 1,
        )])
    raw_header = [c.strip().lstrip("\ufeff") for c in head[h]]
    if not any(raw_header):
        raise _empty()
    if (prob := _delimiter_problem(",".join(raw_header), raw_header, h + 1)) is not None:
        raise TableError([prob])
    header = list(raw_header)
    while header and header[-1] == "":
        header.pop()
    first = h + 1 + skip
    starts, ends = starts[first:], ends[first:]
    rownum = np.arange(first + 1, first + 1 + starts.size, dtype=np.int64)
    bad_set = set((bad_lines[bad_lines >= first] + 1).tolist())
    if enc in ("utf-8", "gb18030") and b"\x00" not in data:
        fast = _fast_csv(buf, data, enc, header, len(raw_header), starts, ends, rownum, bad_set)
        if fast is not None:
            return Table(header, fast, encoding=enc, size_hint=int(starts.size), header_row=h + 1)
    lines = [data[s:e].decode(enc, errors="replace").replace("\x00", "\ufffd") for s, e in
             zip(starts.tolist(), ends.tolist(), strict=True)]
    records = _slow_records(lines, rownum.tolist(), len(header), len(raw_header), bad_set)
    return Table(header, chunked(records, len(header), len(raw_header)), encoding=enc,
                 header_row=h + 1)


def _slow_records(lines: list[str], numbers: list[int], ncol: int, nraw: int, bad: set[int]
                  ) -> Iterator[tuple[int, list[str], list[Problem]]]:
    """Records of the data lines (see the module docs for quoted fields)."""
    i = 0
    n = len(lines)
    while i < n:
        line, row = lines[i], numbers[i]
        probs = [_undecodable(row, None)] if row in bad else []
        if line.count('"') % 2 == 0:
            rec = _parse_line(line)
            i += 1
        else:
            j = i + 1
            parts = [line]
            closed = False
            while j < n and j - i <= MAX_SPAN:
                parts.append(lines[j])
                if lines[j].count('"') % 2 == 1:
                    closed = True
                    break
                j += 1
            joined = _parse_line("\n".join(parts)) if closed else []
            if closed and len(fit_fields(joined, ncol, nraw)) == ncol:
                rec = joined
                probs += [_undecodable(numbers[k], None) for k in range(i + 1, j + 1)
                          if numbers[k] in bad][:1]
                i = j + 1
            else:
                rec = _parse_line(line)
                probs.append(Problem(
                    "unbalanced_quote",
                    f"第 {row} 行的英文双引号没有配对(引号在此行打开,未在本记录内关闭)",
                    f"row {row} opens a double quote that is never closed in its record",
                    "删除多余的引号,或把含逗号的文本整体用一对英文双引号括起",
                    "remove the stray quote, or wrap text containing commas in one pair of "
                    "double quotes",
                    row=row, county=rec[0] if rec else None, value=line[:60],
                ))
                i += 1
        if not any(c.strip() for c in rec) and not probs:
            continue
        yield row, rec, probs


def _fast_csv(
    buf: NDArray[np.uint8], data: bytes, enc: str, header: list[str], nraw: int,
    starts: NDArray[np.int64], ends: NDArray[np.int64], rownum: NDArray[np.int64],
    bad: set[int],
) -> Iterator[Chunk] | None:
    """Vectorised CSV tokenising on the raw bytes, or ``None`` to use :func:`_slow_records`.

    Works because in UTF-8 and GB18030 the bytes of ``,``, ``"``, CR and LF
    never occur inside a multi-byte character.  Lines are records (so row
    number = line number); lines with quotes, undecodable bytes or another
    number of commas are tokenised by :mod:`csv` one by one; a quote
    spanning lines sends the whole file to the line-by-line path.
    """
    if b'"' in data:
        qpos = np.flatnonzero(buf == 34)
        quotes = np.searchsorted(qpos, ends) - np.searchsorted(qpos, starts)
        if (quotes % 2).any():
            return None  # a quoted field spans lines (or a quote is unbalanced)
        plain = quotes == 0
    else:
        plain = np.ones(starts.size, dtype=bool)
    if bad:
        plain = plain & ~np.isin(rownum, np.fromiter(bad, dtype=np.int64))
    return _fast_chunks(buf, data, enc, len(header), nraw, starts, ends, rownum, plain, bad)


def _fast_chunks(
    buf: NDArray[np.uint8], data: bytes, enc: str, ncol: int, nraw: int,
    starts: NDArray[np.int64], ends: NDArray[np.int64], rownum: NDArray[np.int64],
    unquoted: NDArray[np.bool_], bad: set[int],
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
        st, en, rn, first, commas = st[keep], en[keep], rn[keep], first[keep], commas[keep]
        exact = commas == ncol - 1
        last_end = en.copy()
        if nraw > ncol:  # trailing header-less columns: accept them when empty
            trail = np.flatnonzero(commas == nraw - 1)
            if trail.size:
                cut = cm[first[trail] + ncol - 1]
                empty_tail = (en[trail] - cut) == (nraw - ncol)
                exact[trail[empty_tail]] = True
                last_end[trail[empty_tail]] = cut[empty_tail]
        ok = uq[keep] & exact
        m = st.size
        good = np.flatnonzero(ok)
        other = np.flatnonzero(~ok)
        cols: list[NDArray[np.str_] | ByteColumn] = []
        if good.size:
            # field boundaries per column: column j's cells end at the rows' (j+1)-th
            # comma, a constant stride through the comma positions
            g = good.size
            bt = np.empty((ncol + 1, g), dtype=np.int64)
            bt[0] = st[good] - 1
            bt[ncol] = last_end[good]
            if g == st.size and cm.size == g * (ncol - 1):  # every line a plain record
                bt[1:ncol] = cm.reshape(g, ncol - 1).T
            else:
                bt[1:ncol] = cm[first[good][None, :] + np.arange(ncol - 1)[:, None]]
            words = _words(buf, bt[1:])
        probs: list[tuple[int, Problem]] = []
        recs: list[list[str]] = []
        for i in other.tolist():
            row = int(rn[i])
            rec = _parse_line(data[st[i]:en[i]].decode(enc, errors="replace"))
            if row in bad:
                probs.append((i, _undecodable(row, rec[0] if rec else None)))
            fitted = fit_fields(rec, ncol, nraw)
            if len(fitted) != ncol:
                probs.append((i, _field_count(len(rec), ncol, row, rec)))
            recs.append(list(_cut((fitted + [""] * ncol)[:ncol])))
        for j in range(ncol):
            if not other.size:
                cols.append(ByteColumn(buf, data, enc, bt[j] + 1, bt[j + 1], words=words[j]))
                continue
            col = np.zeros(m, dtype="U1")
            if good.size:
                col = _scatter(_gather(buf, data, enc, bt[j] + 1, bt[j + 1]), good, m)
            extra = np.array([r[j] for r in recs], dtype=np.str_)
            width = max(col.dtype.itemsize, extra.dtype.itemsize) // 4
            col = col.astype(f"U{max(width, 1)}")
            col[other] = extra
            cols.append(col)
        yield Chunk(rn, cols, probs)


def _field_count(got: int, ncol: int, row: int, rec: Sequence[str]) -> Problem:
    return Problem(
        "field_count",
        f"该行有 {got} 个字段,表头有 {ncol} 列",
        f"row has {got} fields but the header has {ncol} columns",
        "检查该行是否有多余或缺少的逗号;含逗号的文本请加英文双引号",
        "check for extra or missing commas; quote text that contains commas",
        row=row, county=rec[0] if rec else None,
    )
