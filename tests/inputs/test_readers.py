"""read_submissions from XLSX (and the reading front end)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

Write = Callable[..., Path]
ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"


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


# ----------------------------------------------- real exports (issue 7 §1-2)
def _export(path: Path) -> Path:
    """An XLSX as reporting systems export it: title, note, Chinese headers, formats."""
    openpyxl = pytest.importorskip("openpyxl")
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2023年县域数字乡村发展水平填报表"])
    ws.merge_cells("A1:I1")
    ws.append(["填报说明:百分比按 0-100 填写"])
    ws.append(["行政区划代码", "县(市、区)", "省份", "年度", "宽带覆盖率(%)", "网络零售额(万元)",
               "是否建平台", "数字鸿沟", "联系人"])
    ws.append(["410102", "中原区", "河南省", 2023, 0.804, 1234, 1, 3.2, "张三"])
    ws.append(["410103", "二七区", "河南省", 2023, 0.5, 12, 0, 1, "李四"])
    ws.append(["410104", "管城区", "河南省", 2023, 45.5, 12, 0, datetime.date(2023, 5, 1), ""])
    for r in (4, 5):
        ws.cell(row=r, column=5).number_format = "0.0%"
    ws.cell(row=4, column=6).number_format = "0.00%"  # percent format on a non-% indicator
    wb.save(path)
    return path


def test_xlsx_export_percent_formats_title_rows_extra_columns(fw: Framework,
                                                              tmp_path: Path) -> None:
    path = _export(tmp_path / "export.xlsx")
    with pytest.raises(SubmissionError) as info:
        read_submissions(path, fw)
    got = sorted((p.kind, p.row, p.indicator, p.value) for p in info.value.problems)
    assert got == [("non_numeric", 6, "X4", "2023-05-01 00:00:00"),
                   ("percent_not_allowed", 4, "X2", "123400%")]
    date = next(p for p in info.value.problems if p.kind == "non_numeric")
    assert "looks like a date" in date.what_en
    with pytest.warns(UserWarning, match="联系人"):
        data, report = read_submissions(path, fw, mode="quarantine", reject="cell")
    np.testing.assert_array_equal(data.column("X1"), [80.4, 50.0, 45.5])  # exact, not 80.39999
    assert np.isnan(data.column("X2")[0]) and np.isnan(data.column("X4")[2])
    assert report.n_accepted == 3 and len(report.flagged) == 2
    assert {w.kind for w in report.warnings} == {"extra_column"}


def test_xlsx_cell_text_percent_rule() -> None:
    from xiangcun_eval.inputs._table import _xlsx_cell

    assert _xlsx_cell(0.804, "0.0%") == "80.4%"
    assert _xlsx_cell(1, "0%") == "100%"
    assert _xlsx_cell(0.1 + 0.2, "0.00%") == "30.000000000000004%"  # the stored digits, shifted
    assert _xlsx_cell(0.5, '0.0"%"') == "0.5"  # a literal % sign does not scale
    assert _xlsx_cell(0.5, "General") == "0.5"


def test_dataframe_and_mapping_through_the_same_rules(fw: Framework) -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "县级代码": [410102, 410103, 410104], "县名": ["甲", "乙", "丙"], "省份": "河南",
        "年份": [2023, 2023, 2023], "宽带覆盖率(%)": [45.5, None, 60.0],
        "网络零售额": ["1,234", "NA", "12"], "X3": [1, 0, 1], "X4": [0.1, 0.2, np.nan],
        "备注": ["", "", ""],
    })
    with pytest.warns(UserWarning, match="备注"):
        data = read_submissions(df, fw)
    assert data.units == ("410102", "410103", "410104")
    np.testing.assert_array_equal(data.column("X2"), [1234, np.nan, 12])
    mapping = {c: df[c].tolist() for c in df.columns if c != "备注"}
    np.testing.assert_array_equal(read_submissions(mapping, fw).values, data.values)
    bad = dict(mapping, X3=[1, 7, float("inf")])
    with pytest.raises(SubmissionError) as info:
        read_submissions(bad, fw)
    assert sorted((p.kind, p.row) for p in info.value.problems) == [
        ("above_upper_bound", 3), ("non_numeric", 4)]
    assert info.value.source == "<dict>"


@pytest.mark.parametrize("bad", [42, {"county_code": [1, 2], "county_name": ["a"]}, {}])
def test_unreadable_objects(fw: Framework, bad: object) -> None:
    with pytest.raises(SubmissionError):
        read_submissions(bad, fw)


def test_columns_mapping_option(fw: Framework, write: Write, tmp_path: Path) -> None:
    text = "区划,名称,省,年,甲,乙,丙,丁\n410102,中原区,河南,2023,1,2,1,3\n"
    m = tmp_path / "m.csv"
    m.write_text("区划,county_code\n名称,county_name\n甲,X1\n乙,X2\n丙,X3\n丁,X4\n",
                 encoding="utf-8")
    assert read_submissions(write(text), fw, columns=m).units == ("410102",)
    assert read_submissions(write(text), fw, columns={
        "区划": "county_code", "名称": "county_name", "甲": "X1", "乙": "网络零售额",
        "丙": "X3", "丁": "Digital gap"}).n_units == 1


@pytest.mark.parametrize(("kw", "match"), [
    ({"mode": "lenient"}, "mode"), ({"reject": "table"}, "reject"),
    ({"header_row": 0}, "header_row"), ({"header_row": "2"}, "header_row")])
def test_bad_options_are_option_errors(fw: Framework, write: Write, kw: dict[str, object],
                                       match: str) -> None:
    from xiangcun_eval.errors import OptionError, XiangcunError

    with pytest.raises(OptionError, match=match) as info:
        read_submissions(write("a\n"), fw, **kw)  # type: ignore[call-overload]
    assert isinstance(info.value, XiangcunError) and isinstance(info.value, ValueError)
