"""``xiangcun-eval evaluate``."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "data" / "demo_counties_2023.csv"


def test_evaluate_demo_prints_ranking(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "r.csv"
    rc = main(["evaluate", str(DEMO), "--top", "7", "--csv", str(out_csv)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "排名 ranking" in out
    assert "等级 grade" in out
    assert "等级分布 / grade distribution" in out
    table_lines = [ln for ln in out.splitlines() if ln[:1].isdigit()]
    assert len(table_lines) == 7
    lines = out_csv.read_text(encoding="utf-8-sig").splitlines()
    assert len([ln for ln in lines if not ln.startswith("#")]) == 301
    # never overwrites without --force, never the input file
    assert main(["evaluate", str(DEMO), "--top", "1", "--csv", str(out_csv)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["evaluate", str(DEMO), "--top", "1", "--csv", str(out_csv), "--force"]) == 0
    assert main(["evaluate", str(DEMO), "--top", "1", "--csv", str(DEMO), "--force"]) == 2
    assert "overwrite the input" in capsys.readouterr().err


def test_evaluate_with_methodology_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = tmp_path / "m.toml"
    m.write_text('name = "熵权"\n[weights_by_level.2]\nmethod = "entropy"\n', encoding="utf-8")
    assert main(["evaluate", str(DEMO), "--methodology", str(m), "--top", "3"]) == 0
    assert "熵权" in capsys.readouterr().out


def test_evaluate_refuses_invalid_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",80.4,", ",180.4,", 1), *lines[2:60]]),
                   encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 1
    assert "validation failed" in capsys.readouterr().out
    assert main(["evaluate", str(bad), "--quarantine", "--top", "2"]) == 0


def test_evaluate_missing_file_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "no/such/file.csv"]) == 2


def test_data_note_is_kept_and_shown(capsys: pytest.CaptureFixture[str]) -> None:
    from xiangcun_eval import read_submissions

    data = read_submissions(DEMO, "dvd-2023")
    assert set(data.groups["data_note"]) == {
        "模拟数据 / synthetic data (examples/make_demo_data.py)"}
    assert main(["evaluate", str(DEMO), "--top", "1"]) == 0
    assert "数据说明 / data note: 模拟数据 / synthetic data" in capsys.readouterr().out


def test_evaluate_writes_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "结果.xlsx"
    assert main(["evaluate", str(DEMO), "--top", "1", "--xlsx", str(out)]) == 0
    assert "written" in capsys.readouterr().out
    assert "排名 ranking" in openpyxl.load_workbook(out, read_only=True).sheetnames
    assert main(["evaluate", str(DEMO), "--top", "1", "--xlsx", str(out)]) == 2


def test_evaluate_province_selection_and_grade_distribution(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(DEMO), "--top", "3", "--province", "Zhejiang"]) == 0
    out = capsys.readouterr().out
    dist = next(ln for ln in out.splitlines() if ln.startswith("等级分布"))
    counts = [int(x.split(": ")[-1]) for x in dist.split(": ", 1)[1].split(", ")]
    # the selection, not all 300
    assert "Zhejiang" in dist
    assert f"{sum(counts)} 个单位" in dist
    assert sum(counts) < 300


@pytest.mark.parametrize(("argv", "err"), [
    (["--top", "-1"], "--top"), (["--province", "火星"], "unknown province"),
    (["--province", "Zhejang"], "浙江省")])
def test_evaluate_refuses_nonsense_options(capsys: pytest.CaptureFixture[str], argv: list[str],
                                           err: str) -> None:
    assert main(["evaluate", str(DEMO), *argv]) == 2
    out, msg = capsys.readouterr()
    assert err in msg
    assert "Traceback" not in msg
    assert len(msg.strip().splitlines()) == 1
    assert out == ""  # refused before anything is printed
