"""``xiangcun-eval template``: the county list it reads and the template it writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from xiangcun_eval.cli import main
from xiangcun_eval.cli.template import _read_counties


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counties = tmp_path / "县名单.csv"
    counties.write_text("代码,县名\n410102,中原区\n410103,二七区\n", encoding="utf-8")
    out = tmp_path / "模板.csv"
    assert main(["template", "-o", str(out), "--counties", str(counties), "--year", "2023"]) == 0
    assert "2 个县" in capsys.readouterr().out
    assert main(["template", "-o", str(out)]) == 2  # exists
    assert main(["template", "-o", str(out), "--force"]) == 0
    assert main(["template", "-o", str(tmp_path / "x.csv"), "--counties",
                 str(tmp_path / "none.csv")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_rows_carry_code_name_and_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counties = tmp_path / "c.csv"
    counties.write_text("410102,中原区\n410103\n", encoding="utf-8")
    out = tmp_path / "t.csv"
    assert main(["template", "-o", str(out), "--counties", str(counties), "--year", "2024"]) == 0
    header, english, *rows = _rows(out)
    assert header[:4] == ["县级代码", "县(市、区)", "省份", "年份"]
    assert english[0] == "county_code"
    assert [r[0] for r in rows] == ["410102", "410103"]
    assert rows[0][1] == "中原区"
    assert rows[1][1] == ""
    assert {r[3] for r in rows} == {"2024"}
    assert "(2 个县 / counties)" in capsys.readouterr().out


def test_without_counties_no_count_is_printed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.csv"
    assert main(["template", "-o", str(out)]) == 0
    assert out.is_file()
    assert "个县" not in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_read_counties_encodings_headers_and_blanks(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "c.csv"
    p.write_bytes("县级代码,县名\n\n 410102 , 中原区 \n,空\n410103\n410104,金水区,备注\n"
                  .encode(encoding))
    assert _read_counties(p) == {"410102": "中原区", "410103": "", "410104": "金水区"}


def test_read_counties_later_duplicate_wins(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("410102,旧名\n410102,新名\n", encoding="utf-8")
    assert _read_counties(p) == {"410102": "新名"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--counties", "{bad}"], "county code '1234': code '1234' is not six digits"),
        (["-o", "{tmp}/t.txt"], "the template must be .xlsx or .csv"),
        (["--framework", "nope"], "unknown framework 'nope'"),
    ],
)
def test_bad_input_exits_2_with_a_bilingual_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("1234,x\n", encoding="utf-8")
    argv = ["template", "-o", str(tmp_path / "t.csv")]
    argv += [a.replace("{bad}", str(bad)).replace("{tmp}", str(tmp_path)) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "错误 / error" in err
    assert "Traceback" not in err
    assert not (tmp_path / "t.csv").exists()
    assert not (tmp_path / "t.txt").exists()
