"""CSV reading: encodings with a bad byte, title rows, trailing empty columns, quotes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs import _csv
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

Write = Callable[..., Path]
HEADER = "county_code,county_name,province,year,X1,X2,X3,X4"
ROWS = [f"4101{i:02d},县{i},河南省,2023,{i},{i * 10},1,{i / 10}" for i in range(2, 30)]


@pytest.fixture(params=["fast", "slow"])
def path_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "slow":
        monkeypatch.setattr(_csv, "_fast_csv", lambda *a: None)
    return str(request.param)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_one_undecodable_byte_names_the_line(fw: Framework, tmp_path: Path, encoding: str,
                                              path_kind: str) -> None:
    lines = [HEADER, *ROWS]
    raw = "\n".join(lines).encode(encoding) + b"\n"
    bad_line = 7  # file line number
    parts = raw.split(b"\n")
    parts[bad_line - 1] = parts[bad_line - 1].replace("县".encode(encoding), b"\xff", 1)
    p = tmp_path / "s.csv"
    p.write_bytes(b"\n".join(parts))
    with pytest.raises(SubmissionError) as info:
        read_submissions(p, fw)
    probs = info.value.problems
    assert [(x.kind, x.row) for x in probs] == [("undecodable_row", bad_line)]
    assert "line 7" in probs[0].what_en
    data, report = read_submissions(p, fw, mode="quarantine")
    assert report.n_rejected == 1 and report.rejected[0].row == bad_line
    assert report.n_accepted == len(ROWS) - 1 and data.n_units == len(ROWS) - 1


def test_undecodable_header_is_file_level(fw: Framework, tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    body = ("county_code,县名,province,year,X1,X2,X3,X4\n" + "\n".join(ROWS) + "\n").encode()
    p.write_bytes(body.replace("县名".encode(), b"\xff\xfe", 1))
    with pytest.raises(SubmissionError) as info:
        read_submissions(p, fw, mode="quarantine")
    assert info.value.problems[0].kind == "encoding" and info.value.problems[0].row == 1


def test_unbalanced_quote_counts_stay_exact(fw: Framework, write: Write, path_kind: str) -> None:
    rows = list(ROWS[:8])
    rows[2] = rows[2].replace("县4", '"县4')  # opens a quote that never closes
    path = write("\n".join([HEADER, *rows]) + "\n")
    data, report = read_submissions(path, fw, mode="quarantine")
    assert report.n_rows == 8 and report.n_accepted + report.n_rejected == 8
    assert [(r.row, r.problems[0].kind) for r in report.rejected] == [(4, "unbalanced_quote")]
    assert "row 4" in report.rejected[0].problems[0].what_en
    assert data.n_units == 7


def test_second_stray_quote_later_also_exact(fw: Framework, write: Write) -> None:
    rows = list(ROWS[:10])
    rows[1] = rows[1].replace("县3", '县"3')
    rows[6] = rows[6].replace("县8", '县8"')
    _, report = read_submissions(write("\n".join([HEADER, *rows]) + "\n"), fw,
                                 mode="quarantine")
    assert report.n_rows == 10 and report.n_accepted == 8
    assert [r.row for r in report.rejected] == [3, 8]


def test_quoted_line_break_in_a_note_is_one_record(fw: Framework, write: Write) -> None:
    text = (HEADER + ",data_note\n410102,甲,河南省,2023,1,2,1,3,\"第一行\n第二行\"\n"
            "410103,乙,河南省,2023,1,2,1,3,\n")
    data = read_submissions(write(text), fw)
    assert data.groups["data_note"] == ("第一行\n第二行", "")


def test_trailing_empty_columns_and_rows_dropped(fw: Framework, write: Write,
                                                 path_kind: str) -> None:
    text = (HEADER + ",,,\n" + "\n".join(r + ",,," for r in ROWS[:3]) + "\n" + ROWS[3]
            + "\n,,,,,,,,,,,\n,,,,,,,,,,,\n")
    data = read_submissions(write(text), fw)
    assert data.n_units == 4
    np.testing.assert_array_equal(data.column("X1"), [2, 3, 4, 5])


def test_value_under_an_empty_trailing_header_is_a_field_count(fw: Framework,
                                                              write: Write) -> None:
    text = HEADER + ",,\n" + ROWS[0] + ",,\n" + ROWS[1] + ",,oops\n"
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(text), fw)
    probs = info.value.problems
    assert ("field_count", 3) in [(p.kind, p.row) for p in probs] and {p.row for p in probs} == {3}


def test_title_rows_in_csv(fw: Framework, write: Write, path_kind: str) -> None:
    text = ("2023年县域数字乡村发展水平填报表,,,,,,,\n填报说明:百分比填0-100,,,,,,,\n"
            "县级代码,县(市、区),省份,年份,宽带覆盖率(%),网络零售额(万元),是否建平台,数字鸿沟\n"
            + "\n".join(ROWS[:3]) + "\n410199,坏,河南省,2023,abc,1,1,1\n")
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(text, encoding="gbk"), fw)
    assert [(p.kind, p.row) for p in info.value.problems] == [("non_numeric", 7)]
    data, _ = read_submissions(write(text, encoding="gbk"), fw, mode="quarantine")
    assert data.units == ("410102", "410103", "410104")
    forced = read_submissions(write(text.replace("410199,坏,河南省,2023,abc", "410199,坏,河南省,"
                                                 "2023,1")), fw, header_row=3)
    assert forced.n_units == 4


def test_wrong_delimiter_on_the_header_line(fw: Framework, write: Write) -> None:
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(HEADER.replace(",", ";") + "\n1;2\n"), fw)
    assert info.value.problems[0].kind == "wrong_delimiter"


def test_nul_in_a_line_is_rejected_with_the_cell(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南省,2023,1\x002,2,1,3\n"
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(text), fw)
    p = info.value.problems[0]
    assert p.kind == "non_numeric" and p.indicator == "X1"


def test_utf16_with_bom(fw: Framework, tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_bytes(("\n".join([HEADER, *ROWS[:2]]) + "\n").encode("utf-16"))
    assert read_submissions(p, fw).n_units == 2


def test_sniff_encoding_rules() -> None:
    assert _csv.sniff_encoding("县".encode())[0] == "utf-8"
    assert _csv.sniff_encoding("县,县,县".encode("gbk"))[0] == "gb18030"
    enc, bad = _csv.sniff_encoding(("县" * 40).encode() + b"\xff")
    assert enc == "utf-8" and bad == [120]


def test_stray_delimiter_never_shifts_into_trailing_columns(fw: Framework, write: Write,
                                                           path_kind: str) -> None:
    text = HEADER + ",,\n" + ROWS[0] + ",,\n410103,县3,河南省,2023,0,5,30,1,0.3,,\n"
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(text), fw)
    probs = info.value.problems
    assert ("field_count", 3) in [(p.kind, p.row) for p in probs] and {p.row for p in probs} == {3}
