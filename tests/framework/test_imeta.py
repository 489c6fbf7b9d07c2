"""COINr iMeta reading: the ASEM example and error cases."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from xiangcun_eval.errors import FrameworkError
from xiangcun_eval.framework import Framework, read_imeta

ASEM = Path(__file__).parents[1] / "data" / "asem"
HEADER = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
OK_ROWS = (
    '1,x1,"Ind 1",1,1,"%",50,NA,P1,Indicator\n'
    '1,x2,"Ind 2",-1,1,"%",NA,NA,P1,Indicator\n'
    "2,P1,Pillar,1,1,Score,NA,NA,Index,Aggregate\n"
    "3,Index,Index,1,1,Score,NA,NA,NA,Aggregate\n"
)


def test_asem_framework() -> None:
    meta = read_imeta(ASEM / "iMeta.csv")
    fw = meta.framework
    assert len(fw.indicators) == 49
    assert len(fw.level_codes(2)) == 8
    assert len(fw.level_codes(3)) == 2
    assert fw.level_codes(4) == ("Index",)
    assert fw.max_level == 4
    assert fw.root.code == "Index"
    assert meta.group_columns == ("GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group")
    assert meta.denominator_columns == ("Area", "Energy", "GDP", "Population")
    assert meta.units["Area"] == "Thousand square km"
    assert meta.names["EurAsia_group"] == "Europe or Asia"
    lpi = fw["LPI"]
    assert lpi.name_en == lpi.name_zh == "Logistics Performance Index"  # name_zh defaults to iName
    assert fw["Flights"].denominator == "Population"  # type: ignore[union-attr]
    assert fw["PubDebt"].direction == -1  # type: ignore[union-attr]
    assert fw["LPI"].target == pytest.approx(4.11803135)  # type: ignore[union-attr]
    assert fw.children("Conn") == ("Physical", "ConEcFin", "Political", "Instit", "P2P")
    assert fw.code == "iMeta"  # default: file stem


def test_asem_columns_match_idata() -> None:
    meta = read_imeta(ASEM / "iMeta.csv")
    with (ASEM / "iData.csv").open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        n_units = sum(1 for _ in reader)
    assert n_units == 51
    assert set(meta.data_columns) == set(header) - {"uName", "uCode", "Time"}


def test_asem_round_trip_keeps_group_and_denominator_rows(tmp_path: Path) -> None:
    meta = read_imeta(ASEM / "iMeta.csv", code="asem")
    out = tmp_path / "asem.csv"
    meta.framework.to_imeta(out, groups=meta.group_columns, denominators=meta.denominator_columns)
    again = read_imeta(out, code="asem")
    assert again.framework == meta.framework
    assert again.group_columns == meta.group_columns
    assert again.denominator_columns == meta.denominator_columns


def test_minimal_table_and_name_defaults() -> None:
    fw = Framework.from_imeta(HEADER + OK_ROWS)
    assert fw.code == "imeta"
    assert fw.name_en == "Index"
    assert fw.indicator_codes == ("x1", "x2")
    csv_no_name = HEADER.replace("iName,", "") + "".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 2) + "\n"
        for line in OK_ROWS.splitlines()
    )
    fw2 = Framework.from_imeta(csv_no_name)
    assert fw2["x1"].name_en == "x1"  # iName missing -> code


def problems(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as ei:
        read_imeta(text)
    return ei.value.problems


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ('1,x3,"Ind 3",1,1,"%",NA,NA,P1,Indicatr\n', "Type must be one of"),
        ('2,x3,"Ind 3",1,1,"%",NA,NA,Index,Indicator\n', "an Indicator must be at Level 1"),
        ('1,P2,"Agg",1,1,"%",NA,NA,P1,Aggregate\n', "an Aggregate cannot be at Level 1"),
        ('1,x3,"Ind 3",0,1,"%",NA,NA,P1,Indicator\n', "Direction must be 1 or -1"),
        ('1,x3,"Ind 3",NA,1,"%",NA,NA,P1,Indicator\n', "Direction must be 1 or -1"),
        ('1,x1,"dup",1,1,"%",NA,NA,P1,Indicator\n', "duplicate iCode 'x1'"),
        ('one,x3,"Ind 3",1,1,"%",NA,NA,P1,Indicator\n', "Level is not a number"),
        ('1.5,x3,"Ind 3",1,1,"%",NA,NA,P1,Indicator\n', "Level must be a positive integer"),
        ('NA,x3,"Ind 3",1,1,"%",NA,NA,P1,Indicator\n', "Level is missing"),
        ('1,x3,"Ind 3",1,heavy,"%",NA,NA,P1,Indicator\n', "Weight is not a number"),
        ('1,x3,"Ind 3",1,-1,"%",NA,NA,P1,Indicator\n', "must be finite and >= 0"),
        ('1,x3,"Ind 3",1,1,"%",NA,Pop,P1,Indicator\n', "Denominator 'Pop' has no row"),
        ('1,x3,"Ind 3",1,1,"%",NA,NA,P9,Indicator\n', "unknown parent 'P9'"),
        ('1,x3,"Ind 3",1,1,"%",NA,NA,Index,Indicator\n', "a level is skipped"),
        ("2,P2,Empty,1,1,Score,NA,NA,Index,Aggregate\n", "group has no children"),
        ("3,Index2,Second,1,1,Score,NA,NA,NA,Aggregate\n", "exactly one node"),
        ('1,,"no code",1,1,"%",NA,NA,P1,Indicator\n', "empty iCode"),
        ('1,3bad,"bad code",1,1,"%",NA,NA,P1,Indicator\n', "code"),
    ],
)
def test_imeta_errors(rows: str, needle: str) -> None:
    probs = problems(HEADER + OK_ROWS + rows)
    assert any(needle in p for p in probs), probs


def test_errors_name_file_and_line_all_at_once(tmp_path: Path) -> None:
    p = tmp_path / "meta.csv"
    p.write_text(HEADER + OK_ROWS + '1,x3,"a",0,1,"%",NA,NA,P1,Indicator\n'
                 + '1,x4,"b",1,1,"%",NA,NA,P1,Thing\n', encoding="utf-8")
    with pytest.raises(FrameworkError) as ei:
        read_imeta(p)
    err = ei.value
    assert err.source == str(p)
    assert any(pr.startswith("第 6 行 / row 6 ('x3')") for pr in err.problems), err.problems
    assert any(pr.startswith("第 7 行 / row 7 ('x4')") for pr in err.problems), err.problems


def test_missing_columns_and_empty_table() -> None:
    probs = problems("Level,iCode,iName,Parent\n1,x,x,P\n")
    assert any("missing required column" in p and "Direction" in p and "Type" in p for p in probs)
    assert problems(HEADER) == ["iMeta 表为空 / the iMeta table has no rows"]


def test_rows_input_with_numbers_and_nan() -> None:
    rows = [
        {"Level": 1, "iCode": "x1", "iName": "A", "Direction": 1, "Weight": 1.0,
         "Parent": "P", "Type": "Indicator", "Target": float("nan")},
        {"Level": 2, "iCode": "P", "iName": "P", "Direction": 1, "Weight": 1.0,
         "Parent": None, "Type": "Aggregate"},
    ]
    fw = Framework.from_imeta(rows, code="r")
    assert fw["x1"].target is None  # type: ignore[union-attr]
    assert fw.root.code == "P"


def test_other_rows_ignored() -> None:
    fw = Framework.from_imeta(HEADER + OK_ROWS + "NA,notes,Notes,NA,NA,NA,NA,NA,NA,Other\n")
    assert "notes" not in fw
