"""Problem sheets to send back to the counties (XLSX and CSV), formula injection neutralised."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from xiangcun_eval.errors import OutputExistsError
from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.problem_sheet import PROBLEM_COLUMNS, problem_rows, write_problems
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

Write = Callable[..., Path]
HEADER = "county_code,county_name,province,year,X1,X2,X3,X4"
TEXT = HEADER + "\n410102,中原区,河南,2023,=HYPERLINK(\"http://x\"),2,1,3\n410103,二七区,河南,2023,1,-5,1,3\n"


def test_rows_name_county_and_indicator(fw: Framework, write: Write) -> None:
    _, report = read_submissions(write(TEXT), fw, mode="quarantine", reject="cell")
    rows = problem_rows(report, fw)
    assert [r[:5] for r in rows] == [[2, "410102", "中原区", "X1", "宽带覆盖率"],
                                     [3, "410103", "二七区", "X2", "网络零售额"]]
    assert rows[0][5] == "'=HYPERLINK(\"http://x\")"  # neutralised
    assert rows[1][5] == "'-5" and "lower bound" in rows[1][7]


def test_csv_with_bom(fw: Framework, write: Write, tmp_path: Path) -> None:
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(TEXT), fw)
    out = write_problems(info.value, tmp_path / "p.csv", fw)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    got = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(got[0]) == PROBLEM_COLUMNS and len(got) == 3
    with pytest.raises(OutputExistsError):
        write_problems(info.value, out, fw)
    write_problems([], out, fw, overwrite=True)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1


def test_xlsx(fw: Framework, write: Write, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    _, report = read_submissions(write(TEXT), fw, mode="quarantine")
    out = write_problems(report, tmp_path / "p.xlsx", fw)
    ws = openpyxl.load_workbook(out).active
    assert ws.title == "问题清单" and ws["B2"].value == "410102"
    assert ws["F2"].value.startswith("'=") and ws["F2"].data_type == "s"
    assert ws.freeze_panes == "A2"
