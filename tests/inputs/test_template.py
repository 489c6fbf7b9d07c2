"""Submission templates: a filled template validates with no mapping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.errors import OptionError, OutputExistsError
from xiangcun_eval.framework.registry import load_framework
from xiangcun_eval.inputs.readers import read_submissions
from xiangcun_eval.inputs.template import indicator_header, template_rows, write_template

COUNTIES = {"410102": "中原区", "410103": "二七区", "330102": "上城区"}


def _fill_xlsx(path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    fw = load_framework("dvd-2023")
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    for r in range(3, 6):
        for j, ind in enumerate(fw.indicators, start=5):
            lo = ind.lower_bound or 0.0
            ws.cell(row=r, column=j).value = 50.0 if ind.is_percentage else lo + (r - 2) / 10
    wb.save(path)


def test_filled_xlsx_template_validates_with_no_mapping(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = write_template(tmp_path / "模板.xlsx", "dvd-2023", counties=COUNTIES, year=2023)
    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    fw = load_framework("dvd-2023")
    assert ws["A1"].value == "县级代码" and ws["E2"].value == fw.indicators[0].code
    assert ws["E1"].value == indicator_header(fw.indicators[0])
    assert ws["A3"].value == "410102" and ws["A3"].number_format == "@"
    assert ws["C5"].value == "浙江省" and ws["D3"].value == 2023
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert dvs["A3:A5"].type == "textLength"
    pct = next(j for j, i in enumerate(fw.indicators, start=5) if i.is_percentage)
    letter = openpyxl.utils.get_column_letter(pct)
    assert (dvs[f"{letter}3:{letter}5"].formula1, dvs[f"{letter}3:{letter}5"].formula2) == (
        "0", "100")
    info = wb["指标说明"]
    assert info.max_row == len(fw.indicators) + 1
    assert info["J2"].value == fw.indicators[0].source
    _fill_xlsx(path)
    data = read_submissions(path, fw)
    assert data.units == tuple(COUNTIES) and data.names == tuple(COUNTIES.values())
    assert np.isfinite(data.values).all()


def test_csv_template_round_trip(tmp_path: Path) -> None:
    fw = load_framework("dvd-2023")
    path = write_template(tmp_path / "模板.csv", fw, counties={"410102": "中原区"}, year=2023)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    lines[2] = lines[2].rstrip(",") + "," + ",".join(
        "50" if i.is_percentage else "1" for i in fw.indicators)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_submissions(path, fw)
    assert data.units == ("410102",) and data.groups["province"] == ("河南省",)


def test_template_rows_without_counties() -> None:
    fw = load_framework("dvd-2023")
    rows = template_rows(fw)
    assert len(rows) == 2 and rows[1][:4] == ["county_code", "county_name", "province", "year"]


@pytest.mark.parametrize(("kw", "match"), [
    ({"counties": ["41010"]}, "41010"), ({"counties": "410102"}, "one string"),
    ({"year": "2023"}, "year")])
def test_bad_template_arguments(tmp_path: Path, kw: dict[str, object], match: str) -> None:
    with pytest.raises(OptionError, match=match):
        write_template(tmp_path / "t.csv", "dvd-2023", **kw)  # type: ignore[arg-type]


def test_template_refuses_overwrite_and_other_suffixes(tmp_path: Path) -> None:
    p = write_template(tmp_path / "t.csv")
    with pytest.raises(OutputExistsError):
        write_template(p)
    write_template(p, overwrite=True)
    with pytest.raises(OptionError, match="xlsx"):
        write_template(tmp_path / "t.txt")
