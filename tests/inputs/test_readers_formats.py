"""XLSX and JSON submissions, generic unit tables (COINr iData), CountySubmission."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.availability import availability
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions, read_unit_table
from xiangcun_eval.inputs.submission import CountySubmission, submissions_to_unit_data

Write = Callable[..., Path]
ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"


# ---------------------------------------------------------------------- XLSX
def _xlsx(path: Path, rows: list[list[object]], sheet: str = "填报") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    extra = wb.create_sheet("说明")
    extra.append(["这是说明页"])
    wb.save(path)
    return path


HEAD: list[object] = ["county_code", "county_name", "province", "year", "X1", "X2", "X3", "X4"]


def test_xlsx_numbers_for_codes(fw: Framework, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", [
        HEAD,
        [410102.0, "中原区", "河南省", 2023, 45.5, 1234, 1, None],
        ["410103", "二七区", "河南", 2023.0, "60%", "NA", 0, 2],
    ])
    data = read_submissions(path, fw)
    assert data.units == ("410102", "410103") and data.year == 2023
    np.testing.assert_array_equal(data.column("X1"), [45.5, 60])
    assert np.isnan(data.values[0, 3]) and np.isnan(data.values[1, 1])


def test_xlsx_lost_digit_explained(fw: Framework, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", [HEAD, [41010, "中原区", "河南省", 2023, 1, 1, 1, 1]])
    with pytest.raises(SubmissionError) as info:
        read_submissions(path, fw)
    p = info.value.problems[0]
    assert p.kind == "invalid_code" and p.row == 2 and p.value == "41010"
    assert "Excel" in p.what_en and "text" in p.what_en


def test_xlsx_named_sheet_and_errors(fw: Framework, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", [HEAD, ["410102", "中原区", "河南省", 2023, 101, 1, 1, 1]],
                 sheet="Data")
    with pytest.raises(SubmissionError) as info:
        read_submissions(path, fw, sheet="Data")
    p = info.value.problems[0]
    assert (p.kind, p.row, p.county, p.indicator, p.value) == (
        "above_upper_bound", 2, "410102", "X1", "101")
    with pytest.raises(SubmissionError, match="Nope"):
        read_submissions(path, fw, sheet="Nope")


def test_xlsx_garbage(fw: Framework, write: Write) -> None:
    path = write("not a zip", name="s.xlsx")
    with pytest.raises(SubmissionError) as info:
        read_submissions(path, fw)
    assert info.value.problems[0].kind == "unreadable"


# ---------------------------------------------------------------------- JSON
def test_json_submissions(fw: Framework, write: Write) -> None:
    recs = [
        {"county_code": "410102", "county_name": "中原区", "province": "河南省", "year": 2023,
         "values": {"X1": 45.5, "X2": "1,234", "X3": 1, "X4": None},
         "notes": {"X2": "估计"}, "sources": {"X1": "县统计局"}},
        {"county_code": 410103, "county_name": "二七区", "province": "河南", "year": 2023,
         "values": {"X1": "60%", "X2": 3, "X3": 0, "X4": 1}},
    ]
    data = read_submissions(write(json.dumps(recs, ensure_ascii=False), name="s.json"), fw)
    assert data.units == ("410102", "410103")
    np.testing.assert_array_equal(data.column("X2"), [1234, 3])
    assert np.isnan(data.values[0, 3])
    assert data.notes[("410102", "X2")] == "估计"
    assert data.sources[("410102", "X1")] == "县统计局"


def test_json_problems(fw: Framework, write: Write) -> None:
    recs = [
        {"county_code": "410102", "county_name": "中原区", "province": "河南省", "year": 2023,
         "values": {"X1": 45.5, "X2": True, "X3": 1, "X4": 1, "X9": 3}, "colour": "red"},
        "not an object",
    ]
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(json.dumps(recs), name="s.json"), fw)
    kinds = {(p.kind, p.row) for p in info.value.problems}
    assert {("unknown_indicator", 1), ("unknown_column", 1), ("bad_format", 2),
            ("non_numeric", 1)} <= kinds


@pytest.mark.parametrize("text", ["", "{", "{}", "[]", "3", '[1, 2'])
def test_json_malformed(fw: Framework, write: Write, text: str) -> None:
    with pytest.raises(SubmissionError):
        read_submissions(write(text, name="s.json"), fw)


# ----------------------------------------------------------- CountySubmission
def sub(**kw: object) -> CountySubmission:
    base: dict[str, object] = {"county_code": "410102", "county_name": "中原区",
                               "province": "河南", "year": 2023}
    return CountySubmission.model_validate(base | kw)


def test_submission_model() -> None:
    s = sub(values={"X1": "45%", "X2": None})
    assert s.province == "河南省" and s.region == "中部"
    assert s.model_dump()["region"] == "中部"
    assert sub(county_code=419001, province="Henan").county_code == "419001"


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [({"county_code": "41010"}, "5 digits"), ({"county_code": "410100"}, "prefecture"),
     ({"province": "河北省"}, "does not match"), ({"province": "火星"}, "not recognised"),
     ({"county_name": "  "}, "empty"), ({"year": 1800}, "1949"), ({"bogus": 1}, "Extra")],
)
def test_submission_invalid(kw: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        sub(**kw)


def test_validate_against_same_rules(fw: Framework) -> None:
    row = sub(values={"X1": "45%", "X2": "1,234", "X3": 1}).validate_against(fw)
    np.testing.assert_array_equal(row[:3], [45, 1234, 1])
    assert np.isnan(row[3])
    bad = sub(values={"X1": 101, "X2": "12%", "X3": "abc", "X4": True, "Y": 1})
    with pytest.raises(SubmissionError) as info:
        bad.validate_against(fw)
    kinds = sorted(p.kind for p in info.value.problems)
    assert kinds == ["above_upper_bound", "non_numeric", "non_numeric", "percent_not_allowed",
                     "unknown_indicator"]
    assert all(p.county == "410102" for p in info.value.problems)
    assert len(bad.problems(fw)) == 5


def test_submissions_round_trip_keeps_missing(fw: Framework) -> None:
    subs = [
        sub(values={"X1": 45.5, "X2": None, "X3": 1}, notes={"X1": "抽样"}),
        sub(county_code="330102", county_name="上城区", province="浙江",
            values={"X1": "NA", "X2": 0.0, "X3": 0, "X4": 2.5}),
    ]
    data = submissions_to_unit_data(subs, fw)
    assert data.units == ("410102", "330102") and data.kind == "county"
    assert data.groups["region"] == ("中部", "东部")
    np.testing.assert_array_equal(data.values, [[45.5, np.nan, 1, np.nan], [np.nan, 0.0, 0, 2.5]])
    assert data.notes[("410102", "X1")] == "抽样"


def test_submissions_duplicates_and_quarantine(fw: Framework) -> None:
    full = {"X3": 1, "X4": 1}
    subs = [sub(values={"X1": 1, "X2": 1} | full), sub(values={"X1": 2, "X2": 1} | full),
            sub(county_code="410103", county_name="二七区", values={"X1": 3, "X2": 2} | full)]
    with pytest.raises(SubmissionError) as info:
        submissions_to_unit_data(subs, fw)
    assert [(p.kind, p.row) for p in info.value.problems] == [
        ("duplicate_code", 1), ("duplicate_code", 2)]
    data, report = submissions_to_unit_data(subs, fw, mode="quarantine")
    assert data.units == ("410103",) and report.n_rejected == 2


# ------------------------------------------------------------ unit tables
def _asem_framework() -> Framework:
    from xiangcun_eval.framework.registry import load_framework

    return load_framework("asem")


def test_asem_idata() -> None:
    fw = _asem_framework()
    data = read_unit_table(ASEM / "iData.csv", fw,
                           denominator_cols=["Area", "Energy", "GDP", "Population"])
    assert data.kind == "unit" and data.n_units == 51 and data.year == 2018
    assert data.units[0] == "AUT" and data.names[0] == "Austria"
    assert set(data.groups) == {"GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"}
    assert int(np.isnan(data.values).sum()) == 63
    assert data.denominators["Population"][0] == pytest.approx(8735.453)
    av = availability(data)
    assert av.missing_overall == pytest.approx(63 / (51 * 49))
    assert "data availability" in av.table()


def test_unit_table_problems(fw: Framework, write: Write) -> None:
    text = ("uCode,uName,Time,size_group,X1,X2,X3,X4,Mystery\n"
            "A B,甲,2020,L,1,2,1,1,0\nC,乙,2021,S,abc,2,1,1,0\nC,丙,2020,S,1,2,1,1,0\n")
    with pytest.raises(SubmissionError) as info:
        read_unit_table(write(text), fw)
    kinds = {p.kind for p in info.value.problems}
    assert {"unknown_column", "invalid_code", "non_numeric", "duplicate_code",
            "mixed_years"} <= kinds


def test_availability_arrays(fw: Framework) -> None:
    subs = [sub(values={"X1": 1, "X2": 2}),
            sub(county_code="410103", county_name="二七区", values={"X1": 1, "X3": 1})]
    with pytest.raises(SubmissionError, match="X4"):  # absent everywhere: strict says so
        submissions_to_unit_data(subs, fw)
    data, report = submissions_to_unit_data(subs, fw, mode="quarantine")
    assert [w.indicator for w in report.warnings] == ["X4"]
    av = availability(data)
    np.testing.assert_allclose(av.missing_by_indicator, [0, 0.5, 0.5, 1.0])
    np.testing.assert_allclose(av.missing_by_unit, [0.5, 0.5])
    assert "X4" in str(av) and "缺失" in str(av)
