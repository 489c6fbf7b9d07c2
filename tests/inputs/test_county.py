"""read_submissions on CSV: every rule and every error kind, strict and quarantine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.problems import Problem, SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

HEADER = "county_code,county_name,province,year,X1,X2,X3,X4"
Write = Callable[..., Path]


def problems_of(path: Path, fw: Framework) -> list[Problem]:
    with pytest.raises(SubmissionError) as info:
        read_submissions(path, fw)
    return info.value.problems


def one(problems: list[Problem], kind: str) -> Problem:
    found = [p for p in problems if p.kind == kind]
    assert found, f"no {kind} in {[p.kind for p in problems]}"
    return found[0]


def test_clean_file(fw: Framework, write: Write, good_rows: list[str]) -> None:
    data = read_submissions(write("\n".join([HEADER, *good_rows]) + "\n"), fw)
    assert data.kind == "county" and data.year == 2023
    assert data.units == ("410102", "410103", "330102", "419001")
    assert data.names[0] == "中原区"
    assert data.groups["province"] == ("河南省", "河南省", "浙江省", "河南省")
    assert data.groups["region"] == ("中部", "中部", "东部", "中部")
    assert data.groups["prefecture"] == ("410100", "410100", "330100", "419000")
    np.testing.assert_array_equal(data.column("X1"), [45.5, 60, 88, 70])
    np.testing.assert_array_equal(data.column("X2"), [1234, np.nan, 12345.6, 500])
    assert np.isnan(data.values[2, 3])  # NA stays missing, never 0
    assert not data.values.flags.writeable


def test_framework_by_name(write: Write) -> None:
    from xiangcun_eval.framework.registry import load_framework

    fw = load_framework("dvd-2023")
    codes = fw.indicator_codes
    head = "county_code,county_name,province,year," + ",".join(codes)
    row = "410102,中原区,河南省,2023," + ",".join("1" for _ in codes)
    data = read_submissions(write(head + "\n" + row + "\n"), "dvd-2023")
    assert data.values.shape == (1, len(codes))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings(fw: Framework, write: Write, good_rows: list[str], encoding: str) -> None:
    path = write("\r\n".join([HEADER, *good_rows]) + "\r\n", encoding=encoding)
    data = read_submissions(path, fw)
    assert data.names == ("中原区", "二七区", "上城区", "济源市")


def test_undecodable(fw: Framework, write: Write) -> None:
    path = write("x")
    path.write_bytes(HEADER.encode() + b"\n\x81\x30\xff\xff\xfe\n")
    p = one(problems_of(path, fw), "encoding")
    assert "UTF-8" in p.what_en and p.fix


@pytest.mark.parametrize("delim", ["\t", ";"])
def test_wrong_delimiter(fw: Framework, write: Write, delim: str) -> None:
    row = "410102;中原区;河南省;2023;1;2;1;3".replace(";", delim)
    text = HEADER.replace(",", delim) + "\n" + row
    p = one(problems_of(write(text), fw), "wrong_delimiter")
    assert p.row == 1 and "comma" in p.fix_en


def test_empty_file_and_header_only(fw: Framework, write: Write) -> None:
    one(problems_of(write(""), fw), "empty_file")
    one(problems_of(write("\n\n"), fw), "empty_file")
    p = one(problems_of(write(HEADER + "\n"), fw), "empty_file")
    assert "no data rows" in p.what_en


def test_missing_and_unknown_columns(fw: Framework, write: Write) -> None:
    text = ("county_code,county_name,year,X1,X2,X3,X4,x5,备注\n"
            "410102,中原区,2023,1,2,1,3,4,\n")
    probs = problems_of(write(text), fw)
    miss = one(probs, "missing_column")
    assert miss.indicator == "province" and miss.row == 1
    assert not [p for p in probs if p.kind == "unknown_column"]  # x5, 备注: extra columns


def test_extra_columns_warn_in_both_modes(fw: Framework, write: Write) -> None:
    text = ("county_code,county_name,province,year,X1,X2,X3,X4,x5,备注,联系人\n"
            "410102,中原区,河南省,2023,1,2,1,3,4,,张三\n")
    with pytest.warns(UserWarning) as record:
        data = read_submissions(write(text), fw)
    assert data.n_units == 1 and "x5" in str(record[0].message)
    with pytest.warns(UserWarning):
        _, report = read_submissions(write(text), fw, mode="quarantine")
    assert sorted(w.indicator or "" for w in report.warnings) == ["x5", "备注", "联系人"]
    assert {w.kind for w in report.warnings} == {"extra_column"}


def test_misspelt_indicator_is_an_error_with_suggestions(fw: Framework, write: Write) -> None:
    text = ("county_code,county_name,province,year,宽带覆盖,X2,X3,X4\n"
            "410102,中原区,河南省,2023,1,2,1,3\n")
    p = one(problems_of(write(text), fw), "unknown_column")
    assert "X1" in p.what_en and "宽带覆盖率" in p.what_zh
    with pytest.raises(SubmissionError):  # file level: quarantine too
        read_submissions(write(text), fw, mode="quarantine")


def test_indicator_column_missing(fw: Framework, write: Write) -> None:
    text = "county_code,county_name,province,year,X1,X2,X3\n410102,中原区,河南省,2023,1,2,1\n"
    path = write(text)
    p = one(problems_of(path, fw), "indicator_column_missing")
    assert p.indicator == "X4" and "NA" in p.fix_en
    data, report = read_submissions(path, fw, mode="quarantine")
    assert data.n_units == 1 and np.isnan(data.column("X4")).all()
    assert [w.kind for w in report.warnings] == ["indicator_column_missing"]


def test_indicator_column_entirely_empty(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,中原区,河南省,2023,1,,1,3\n410103,二七区,河南省,2023,2,NA,0,3\n"
    path = write(text)
    p = one(problems_of(path, fw), "empty_column")
    assert p.indicator == "X2" and p.row == 1
    data, report = read_submissions(path, fw, mode="quarantine")
    assert data.n_units == 2 and report.warnings[0].kind == "empty_column"


def test_duplicate_column(fw: Framework, write: Write) -> None:
    text = HEADER + ",X1\n410102,中原区,河南省,2023,1,2,1,3,4\n"
    assert one(problems_of(write(text), fw), "duplicate_column").indicator == "X1"


@pytest.mark.parametrize(
    ("cell", "kind", "column"),
    [("abc", "non_numeric", "X2"), ("12元", "non_numeric", "X2"),
     ("45%", "percent_not_allowed", "X2"),
     ("1e999", "not_finite", "X2"), ("-3", "below_lower_bound", "X2"),
     ("101", "above_upper_bound", "X1"), ("2", "above_upper_bound", "X3")],
)
def test_cell_errors_name_row_county_indicator_value(
    fw: Framework, write: Write, cell: str, kind: str, column: str
) -> None:
    cells = {"X1": "50", "X2": "10", "X3": "1", "X4": "2"}
    cells[column] = cell
    row = "410102,中原区,河南省,2023," + ",".join(cells[c] for c in ("X1", "X2", "X3", "X4"))
    text = HEADER + "\n330102,上城区,浙江省,2023,1,2,1,3\n" + row + "\n"
    p = one(problems_of(write(text), fw), kind)
    assert (p.row, p.county, p.indicator, p.value) == (3, "410102", column, cell)
    assert p.what_zh and p.what_en and p.fix_zh and p.fix_en
    assert "第 3 行" in p.message and "410102" in p.message and column in p.message


def test_percentage_hint_on_share(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,中原区,河南省,2023,150,1,1,1\n"
    assert "0-100" in one(problems_of(write(text), fw), "above_upper_bound").fix_en


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("41010", "Excel"), ("990102", "prefix"), ("410100", "prefecture"), ("410000", "province"),
     ("", "empty"), ("A10102", "six digits")],
)
def test_invalid_codes(fw: Framework, write: Write, code: str, fragment: str) -> None:
    text = HEADER + f"\n{code},某县,河南省,2023,1,2,1,3\n"
    p = one(problems_of(write(text), fw), "invalid_code")
    assert p.row == 2 and p.value == code and fragment in p.what_en


def test_full_width_code_accepted(fw: Framework, write: Write) -> None:
    data = read_submissions(write(HEADER + "\n４１０１０２ ,中原区,河南省,2023,1,2,1,3\n"), fw)
    assert data.units == ("410102",)


def test_duplicate_codes_every_occurrence(fw: Framework, write: Write) -> None:
    text = HEADER + ("\n410102,甲,河南,2023,1,2,1,3\n410103,乙,河南,2023,1,2,1,3"
                     "\n410102,丙,河南,2023,1,2,1,3\n")
    probs = [p for p in problems_of(write(text), fw) if p.kind == "duplicate_code"]
    assert [(p.row, p.county) for p in probs] == [(2, "410102"), (4, "410102")]
    assert "[2, 4]" in probs[0].what_en and "[2, 4]" in probs[0].what_zh


def test_province_mismatch_and_unknown(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,中原区,河北省,2023,1,2,1,3\n410103,二七区,中原省,2023,1,2,1,3\n"
    probs = problems_of(write(text), fw)
    mm = one(probs, "province_mismatch")
    assert (mm.row, mm.county, mm.value) == (2, "410102", "河北省")
    un = one(probs, "unknown_province")
    assert (un.row, un.value) == (3, "中原省")


def test_mixed_years(fw: Framework, write: Write) -> None:
    text = HEADER + ("\n410102,甲,河南,2023,1,2,1,3\n410103,乙,河南,2022,1,2,1,3"
                     "\n410104,丙,河南,2023,1,2,1,3\n")
    p = one(problems_of(write(text), fw), "mixed_years")
    assert (p.row, p.county, p.value) == (3, "410103", "2022")
    data, _ = read_submissions(write(text), fw, mode="quarantine")
    assert data.year == 2023 and data.units == ("410102", "410104")


def test_invalid_year_and_missing_name(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,,河南,2023,1,2,1,3\n410103,乙,河南,23年,1,2,1,3\n"
    probs = problems_of(write(text), fw)
    assert one(probs, "missing_name").row == 2
    assert one(probs, "invalid_year").value == "23年"


def test_field_count(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南,2023,1,2,1,3,9\n410103,乙,河南,2023,1\n"
    rows = [p.row for p in problems_of(write(text), fw) if p.kind == "field_count"]
    assert rows == [2, 3]


def test_all_problems_at_once(fw: Framework, write: Write) -> None:
    text = HEADER + ",bogus\n41010,甲,河南,2023,abc,-1,5,1,\n410103,乙,河北,2023,1,2,1,1,\n"
    kinds = {p.kind for p in problems_of(write(text), fw)}
    assert {"invalid_code", "non_numeric", "below_lower_bound",
            "above_upper_bound", "province_mismatch"} <= kinds


def test_error_str_is_capped_table(fw: Framework, write: Write) -> None:
    rows = [f"4101{i:02d},县{i},河南,2023,abc,x,y,z" for i in range(1, 40)]
    with pytest.raises(SubmissionError) as info:
        read_submissions(write("\n".join([HEADER, *rows])), fw)
    text = str(info.value)
    assert "more problem(s) not shown" in text and "另有" in text
    assert len(info.value.problems) == 39 * 4
    assert info.value.kinds()["non_numeric"] == 39 * 4


def test_notes_sources_and_optional_columns(fw: Framework, write: Write) -> None:
    text = ("county_code,county_name,province,year,prefecture,data_note,X1,X2,X3,X4,"
            "note:X2,source:X1\n"
            "410102,中原区,河南省,2023,郑州市,模拟数据 / synthetic,1,2,1,3,估计值,县农业农村局\n")
    data = read_submissions(write(text), fw)
    assert data.groups["prefecture"] == ("郑州市",)
    assert data.notes[("410102", "X2")] == "估计值"
    assert data.sources[("410102", "X1")] == "县农业农村局"


def test_blank_rows_skipped_but_row_numbers_kept(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南,2023,1,2,1,3\n\n,,,,,,,\n410103,乙,河南,2023,abc,2,1,3\n"
    assert one(problems_of(write(text), fw), "non_numeric").row == 5


def test_missing_file(fw: Framework, tmp_path: Path) -> None:
    with pytest.raises(SubmissionError) as info:
        read_submissions(tmp_path / "nope.csv", fw)
    assert info.value.problems[0].kind == "file_not_found"


def test_bad_mode(fw: Framework, write: Write) -> None:
    with pytest.raises(ValueError, match="mode"):
        read_submissions(write(HEADER), fw, mode="lenient")  # type: ignore[call-overload]


def test_chunking_keeps_row_numbers(fw: Framework, write: Write, monkeypatch: pytest.MonkeyPatch
                                    ) -> None:
    from xiangcun_eval.inputs import _table

    monkeypatch.setattr(_table, "CHUNK_ROWS", 3)
    rows = [f"4101{i:02d},县{i},河南,2023,{i},1,1,1" for i in range(1, 11)]
    rows[7] = "410108,县8,河南,2023,bad,1,1,1"
    rows.append("410101,重复,河南,2023,1,1,1,1")
    with pytest.raises(SubmissionError) as info:
        read_submissions(write("\n".join([HEADER, *rows])), fw)
    got = sorted((p.row, p.kind) for p in info.value.problems)
    assert got == [(2, "duplicate_code"), (9, "non_numeric"), (12, "duplicate_code")]


def test_long_garbage_cell(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南,2023," + "9" * 5000 + "x,2,1,3\n"
    p = one(problems_of(write(text), fw), "non_numeric")
    assert p.value is not None and len(p.value) < 300


# ---------------------------------------------- percentages as fractions (§2)
def test_percentage_column_of_fractions_is_an_error(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南,2023,0.45,2,1,3\n410103,乙,河南,2023,0.8,2,1,3\n"
    for mode in ("strict", "quarantine"):
        with pytest.raises(SubmissionError) as info:
            read_submissions(write(text), fw, mode=mode)  # type: ignore[call-overload]
        p = one(info.value.problems, "looks_like_fractions")
        assert p.indicator == "X1" and "accept-fractions" in p.fix_en


def test_accept_fractions_multiplies_by_100_with_a_warning(fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南,2023,0.45,2,1,3\n410103,乙,河南,2023,1,2,1,3\n"
    with pytest.warns(UserWarning, match="multiplied by 100"):
        data = read_submissions(write(text), fw, accept_fractions=True)
    np.testing.assert_array_equal(data.column("X1"), [45.0, 100.0])


@pytest.mark.parametrize("cells", [("45", "0.8"), ("0", "1"), ("0.5%", "0.8%"), ("", "NA")])
def test_not_fractions(fw: Framework, write: Write, cells: tuple[str, str]) -> None:
    text = (HEADER + f"\n410102,甲,河南,2023,{cells[0]},2,1,3"
            f"\n410103,乙,河南,2023,{cells[1]},2,1,3\n")
    data = read_submissions(write(text), fw, mode="quarantine").data
    assert data.n_units == 2


def test_fraction_and_explicit_percent_mixed_is_an_error_even_when_accepted(
        fw: Framework, write: Write) -> None:
    text = HEADER + "\n410102,甲,河南,2023,0.5%,2,1,3\n410103,乙,河南,2023,0.8,2,1,3\n"
    with pytest.raises(SubmissionError, match="fractions"):
        read_submissions(write(text), fw, accept_fractions=True)


def test_unit_mismatch_in_header_is_file_level(fw: Framework, write: Write) -> None:
    text = ("county_code,county_name,province,year,X1,网络零售额(元),X3,X4\n"
            "410102,甲,河南,2023,1,20000,1,3\n")
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(text), fw, mode="quarantine")
    assert one(info.value.problems, "unit_mismatch").indicator == "X2"


def test_data_notes_short_and_long(fw: Framework, write: Write, good_rows: list[str]) -> None:
    long_note = "模拟" * 80  # 160 characters, 480 bytes: decoded cell by cell, not cut
    notes = [" 模拟数据 ", long_note, "模拟数据", ""]
    rows = [f"{r},{n}" for r, n in zip(good_rows, notes, strict=True)]
    data = read_submissions(write("\n".join([HEADER + ",data_note", *rows]) + "\n"), fw)
    assert data.groups["data_note"] == ("模拟数据", long_note, "模拟数据", "")
    short = [f"{r},{n}" for r, n in zip(good_rows, ["a ", " b", "a", "a"], strict=True)]
    data = read_submissions(write("\n".join([HEADER + ",data_note", *short]) + "\n"), fw)
    assert data.groups["data_note"] == ("a", "b", "a", "a")


def test_gc_paused_restores_the_collector_and_a_callers_frozen_objects() -> None:
    import gc

    from xiangcun_eval.inputs.county import gc_paused

    young = []
    for _ in range(3):  # another thread of the test process may allocate meanwhile: retry
        with gc_paused():
            assert not gc.isenabled()
            junk = [[i] for i in range(1000)]
        assert gc.isenabled()
        young.append(gc.get_count()[0])
        del junk
    assert min(young) < 1000  # the objects made meanwhile left the young generation
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_duplicate_code_message_names_every_row(fw: Framework, write: Write,
                                                good_rows: list[str]) -> None:
    rows = [good_rows[0], good_rows[1], good_rows[0], good_rows[0]]
    result = read_submissions(write("\n".join([HEADER, *rows]) + "\n"), fw, mode="quarantine")
    dups = [p for p in result.report.problems if p.kind == "duplicate_code"]
    assert [p.row for p in dups] == [2, 4, 5]
    assert {p.what_en for p in dups} == {"county code 410102 is duplicated, in rows [2, 4, 5]"}
    assert {p.what_zh for p in dups} == {"代码 410102 重复,见第 [2, 4, 5] 行"}
    assert result.data.units == ("410103",)
