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
