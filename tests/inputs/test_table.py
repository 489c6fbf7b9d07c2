"""Low-level table sources: ragged rows, encodings, byte columns, XLSX cells, row tables."""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pytest

from helpers import peer
from xiangcun_eval.inputs import _table
from xiangcun_eval.inputs._table import (
    MAX_CELL,
    ByteColumn,
    NumberColumn,
    TableError,
    chunked,
    detect_encoding,
    fit_fields,
    rows_table,
    text_cell,
    xlsx_table,
)


def _bytecol(cells: list[str], enc: str = "utf-8") -> ByteColumn:
    data = b""
    starts, ends = [], []
    for c in cells:
        b = c.encode(enc)
        data += b","
        starts.append(len(data))
        data += b
        ends.append(len(data))
    buf = np.frombuffer(data, dtype=np.uint8)
    return ByteColumn(buf, data, enc, np.array(starts, dtype=np.int64),
                      np.array(ends, dtype=np.int64))


# ---------------------------------------------------------------- ragged rows
def test_fit_fields_drops_only_empty_trailing_fields_within_the_limit() -> None:
    assert fit_fields(["a", "b", "", " "], 2) == ["a", "b"]
    assert fit_fields(["a", "b", "", "x"], 2) == ["a", "b", "", "x"]  # data beyond: kept
    assert fit_fields(["a", "b", "", ""], 2, limit=3) == ["a", "b", "", ""]  # stray delimiter
    assert fit_fields(["a", "b", ""], 2, limit=3) == ["a", "b"]
    assert fit_fields(["a"], 2) == ["a"]


def test_chunked_reports_field_count_and_pads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_table, "CHUNK_ROWS", 2)
    given = _table.Problem("unbalanced_quote", "引号", "quote", row=4)
    records = iter([(2, ["410102", "1"], []), (3, ["410103"], []),
                    (4, ["410104", "2", "9"], [given]), (5, ["410105", "3", "", ""], [])])
    chunks = list(chunked(records, 2))
    assert [c.rows.tolist() for c in chunks] == [[2, 3], [4, 5]]
    assert chunks[0].columns[0].tolist() == ["410102", "410103"]
    assert chunks[0].columns[1].tolist() == ["1", ""]  # padded
    assert chunks[1].columns[1].tolist() == ["2", "3"]  # cut to ncol after reporting
    (i, p), = chunks[0].problems
    assert (i, p.kind, p.row, p.county) == (1, "field_count", 3, "410103")
    assert "row has 1 fields but the header has 2 columns" in p.what_en
    kinds = [(i, p.kind) for i, p in chunks[1].problems]
    assert kinds == [(0, "unbalanced_quote"), (0, "field_count")]
    assert chunks[1].problems[0][1] is given
    assert list(chunked(iter([]), 3)) == []


def test_long_cells_are_cut() -> None:
    (chunk,) = chunked(iter([(2, ["x" * 500], [])]), 1)
    cell = chunk.columns[0][0]
    assert len(cell) == MAX_CELL + 1
    assert cell.endswith("…")


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize(
    ("prefix", "enc", "expected"),
    [(codecs.BOM_UTF8, "utf-8", "utf-8-sig"), (b"", "utf-8", "utf-8"), (b"", "gbk", "gb18030"),
     (b"", "utf-16", "utf-16")],
)
def test_detect_encoding(tmp_path: Path, prefix: bytes, enc: str, expected: str) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(prefix + "县级代码,县名\n410102,中原区\n".encode(enc))
    assert detect_encoding(p) == expected


def test_undecodable_file_is_an_encoding_problem(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(b"\x81\x20\xff\xfe\x00" * 10)  # neither UTF-8 nor GB18030
    with pytest.raises(TableError) as info:
        detect_encoding(p)
    (prob,) = info.value.problems
    assert prob.kind == "encoding"
    assert "UTF-8" in prob.fix_en


# ----------------------------------------------------------------- byte columns
def test_plain_numbers_equal_float_of_the_text() -> None:
    cells = ["0", "12", "-3.25", "+7", "0.1", "123456789012345", "1234567890.12345", "", "1e3",
             "1,5", "12%", "1.2.3", ".5", "5.", "-", "1234567890123456", "4-1", "abc"]
    vals, done, empty = _bytecol(cells).plain_numbers()
    fast = {c for c, d in zip(cells, done.tolist(), strict=True) if d and c}
    assert fast == {"0", "12", "-3.25", "+7", "0.1", "123456789012345", "1234567890.12345",
                    ".5", "5."}
    for c, v, d in zip(cells, vals.tolist(), done.tolist(), strict=True):
        if d and c:
            assert v == float(c), c  # bit-exact
    assert empty.tolist() == [c == "" for c in cells]
    assert np.isnan(vals[cells.index("")])


def test_plain_numbers_random_decimals_are_exact() -> None:
    rng = np.random.default_rng(5)
    cells = [f"{x:.{k}f}" for x, k in zip(rng.uniform(-1e6, 1e6, 500),
                                          rng.integers(0, 8, 500), strict=True)]
    vals, done, _ = _bytecol(cells).plain_numbers()
    assert done.all()
    assert vals.tolist() == [float(c) for c in cells]


def test_byte_column_text_access() -> None:
    col = _bytecol(["410102", "中原区", "", "410102", "x" * 300])
    assert len(col) == 5
    assert col[1] == "中原区"
    assert col[4] == "x" * MAX_CELL + "…"
    text = col.as_text()
    assert text.tolist()[:4] == ["410102", "中原区", "", "410102"]
    assert col.as_text(np.array([3, 1])).tolist() == ["410102", "中原区"]
    uniq, inv = _bytecol(["河南", "浙江", "河南", ""]).unique_text()
    assert [uniq[i] for i in inv.tolist()] == ["河南", "浙江", "河南", ""]
    assert len(uniq) == 3
    uniq, inv = _bytecol(["", ""]).unique_text()
    assert uniq.tolist() == [""]
    assert inv.tolist() == [0, 0]


def test_byte_column_decodes_gbk_with_replacement() -> None:
    col = _bytecol(["中原区", "1.5"], enc="gb18030")
    assert col.as_text().tolist() == ["中原区", "1.5"]
    vals, done, _ = col.plain_numbers()
    assert done.tolist() == [False, True]
    assert vals[1] == 1.5


def test_number_column() -> None:
    col = NumberColumn(np.array([410102.0, 1.5, np.nan, np.inf]))
    assert len(col) == 4
    assert col[0] == "410102"
    assert col[1] == "1.5"
    assert col[2] == ""
    assert col[3] == "inf"
    assert col[1:3].values.tolist()[0] == 1.5
    _vals, done, empty = col.plain_numbers()
    assert done.tolist() == [True, True, True, False]  # inf goes to the cell rules
    assert empty.tolist() == [False, False, True, False]
    assert col.as_text(np.array([1])).tolist() == ["1.5"]
    assert NumberColumn(np.zeros(0)).as_text().size == 0


# ------------------------------------------------------------------ cell text
@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (float("nan"), ""), (True, "TRUE"), (410102.0, "410102"), (410102, "410102"),
     (0.1, "0.1"), (1e15, "1000000000000000.0"), (123456.5, "123456.5"),
     (float("inf"), "inf"), ("a\x00b", "a\ufffdb"), ("中", "中")],
)
def test_text_cell(value: object, text: str) -> None:
    assert text_cell(value) == text


def test_text_cell_pandas_missing() -> None:
    pd = peer("pandas")
    assert text_cell(pd.NA) == ""
    assert text_cell(pd.NaT) == ""


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [(0.804, "0.0%", "80.4%"), (1, "0%", "100%"), (0.07, '0.00"%"', "0.07"),
     (0.5, "0.00", "0.5"), (0.123456789, "0.00%", "12.3456789%")],
)
def test_percent_formatted_cells_keep_their_percent_sign(value: object, fmt: str,
                                                         text: str) -> None:
    assert _table._xlsx_cell(value, fmt) == text


# ------------------------------------------------------------------ row tables
def test_rows_table_header_data_and_row_numbers() -> None:
    raw = [["代码 ", "值", "", ""], ["410102", "1", ""], ["", " "], ["410103", "2"], ["", ""]]
    t = rows_table(raw, row_numbers=None)
    assert t.header == ["代码", "值"]
    assert t.header_row == 1
    (chunk,) = list(t.chunks)
    assert chunk.rows.tolist() == [2, 4]  # blank row 3 skipped, numbers kept
    assert chunk.columns[0].tolist() == ["410102", "410103"]
    assert chunk.problems == []


def test_rows_table_with_title_rows_located() -> None:
    raw = [["2023 年填报"], [""], ["代码", "值"], ["(单位)", ""], ["410102", "5"]]
    t = rows_table(raw, row_numbers=None, locate=lambda rows: (2, 1))
    assert t.header == ["代码", "值"]
    assert t.header_row == 3
    (chunk,) = list(t.chunks)
    assert chunk.rows.tolist() == [5]
    t2 = rows_table([["a"], ["1"], ["2"]], row_numbers=[7, 9])
    assert next(t2.chunks).rows.tolist() == [7, 9]


@pytest.mark.parametrize("raw", [[], [["", " "]], [[""], ["1"]]])
def test_rows_table_without_header_is_empty_file(raw: list[list[str]]) -> None:
    with pytest.raises(TableError) as info:
        rows_table(raw, row_numbers=None)
    assert [p.kind for p in info.value.problems] == ["empty_file"]


# ------------------------------------------------------------------------ XLSX
def test_xlsx_table_reads_codes_percent_and_title_rows(tmp_path: Path) -> None:
    openpyxl = peer("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["代码", "比例(%)"])
    ws.append([410102, 0.804])
    ws["B2"].number_format = "0.0%"
    ws.append([410103.0, 55])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    t = xlsx_table(path)
    assert t.header == ["代码", "比例(%)"]
    (chunk,) = list(t.chunks)
    assert chunk.rows.tolist() == [2, 3]
    assert chunk.columns[0].tolist() == ["410102", "410103"]
    assert chunk.columns[1].tolist() == ["80.4%", "55"]


def test_xlsx_table_errors(tmp_path: Path) -> None:
    openpyxl = peer("openpyxl")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TableError) as info:
        xlsx_table(bad)
    assert info.value.problems[0].kind == "unreadable"
    assert "cannot open as an .xlsx workbook" in info.value.problems[0].what_en
    wb = openpyxl.Workbook()
    path = tmp_path / "ok.xlsx"
    wb.save(path)
    with pytest.raises(TableError) as info:
        xlsx_table(path, sheet="填报")
    assert "no sheet '填报'" in info.value.problems[0].what_en
    with pytest.raises(TableError) as info:
        xlsx_table(path)  # one empty sheet
    assert info.value.problems[0].kind == "empty_file"


def test_plain_numbers_on_random_cells_match_the_rules_and_float() -> None:
    """SWAR and long-cell paths: exactly the plain decimals, each equal to ``float``."""
    import re

    rng = np.random.default_rng(11)
    alphabet = list("0123456789.") * 3 + list("+-e,% x中")
    cells = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 20)))) for _ in range(20_000)]
    cells += ["-0", "+.5", "5.", ".", "00000001", "99999999", "1234567.", "-1234567", "12345678"]
    vals, done, empty = _bytecol(cells).plain_numbers()
    plain = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
    for c, v, d, e in zip(cells, vals.tolist(), done.tolist(), empty.tolist(), strict=True):
        expect = c == "" or (len(c) <= 17 and plain.fullmatch(c) is not None
                             and sum(ch.isdigit() for ch in c) <= 15)
        assert d == expect, c
        assert e == (c == "")
        if d and c:
            assert np.float64(v).tobytes() == np.float64(float(c)).tobytes(), c


def test_swar_cells_at_the_start_of_the_buffer() -> None:
    data = b"7,12.5,-3"
    buf = np.frombuffer(data, dtype=np.uint8)
    col = ByteColumn(buf, data, "utf-8", np.array([0, 2, 7]), np.array([1, 6, 9]))
    vals, done, _ = col.plain_numbers()
    assert vals.tolist() == [7.0, 12.5, -3.0]
    assert done.all()


def test_utf8_cells_are_decoded_in_one_pass() -> None:
    rng = np.random.default_rng(3)
    pool = [*"ab1中原区河南省é€😀，", "\u0800", "\uffff", "\U0010ffff"]
    cells = ["".join(rng.choice(pool, size=int(rng.integers(0, 14)))) for _ in range(2_000)]
    cells.append("中" * 70)  # over MAX_CELL bytes, under MAX_CELL characters: decoded alone
    assert _bytecol(cells).as_text().tolist() == cells
