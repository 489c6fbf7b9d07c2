"""The ``xiangcun-eval`` command line: ``validate``."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.cli import main
from xiangcun_eval.framework.registry import load_framework


def _csv(tmp_path: Path, bad: bool = False) -> Path:
    codes = load_framework("dvd-2023").indicator_codes
    head = "county_code,county_name,province,year," + ",".join(codes)
    rows = [f"4101{i:02d},县{i},河南省,2023," + ",".join("1" for _ in codes) for i in range(1, 4)]
    if bad:
        rows.append("410199,坏县,河北省,2023," + ",".join("abc" for _ in codes))
    p = tmp_path / "s.csv"
    p.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return p


def test_validate_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "all valid" in out and "data availability" in out and "dvd-2023" in out


def test_validate_strict_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path, bad=True)), "--max-problems", "5"]) == 1
    out = capsys.readouterr().out
    assert "validation failed" in out and "province_mismatch" not in out
    assert "not shown" in out and "410199" in out


def test_validate_quarantine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path, bad=True)), "--quarantine"]) == 1
    out = capsys.readouterr().out
    assert "3 accepted, 1 rejected" in out and "data availability" in out


def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert "file not found" in err and "Traceback" not in err


def test_validate_unknown_framework(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path)), "--framework", "no-such"]) == 2
    assert "no-such" in capsys.readouterr().err


def test_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


# ------------------------------------------------------------------ evaluate
DEMO = Path(__file__).resolve().parents[1] / "examples" / "data" / "demo_counties_2023.csv"


def test_evaluate_demo_prints_ranking(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "r.csv"
    rc = main(["evaluate", str(DEMO), "--top", "7", "--csv", str(out_csv)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "排名 ranking" in out and "等级 grade" in out and "等级分布 / grade distribution" in out
    table_lines = [ln for ln in out.splitlines() if ln[:1].isdigit()]
    assert len(table_lines) == 7
    assert out_csv.read_text(encoding="utf-8-sig").count("\n") == 301


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


# ----------------------------------------------------- uncertainty / sensitivity
SPACE = Path(__file__).resolve().parents[1] / "examples" / "spaces" / "weights-norm-agg.toml"


def test_uncertainty_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "ua.csv"
    rc = main(["uncertainty", str(DEMO), "--space", str(SPACE), "-n", "64", "--top", "5",
               "--csv", str(out_csv), "--progress"])
    cap = capsys.readouterr()
    assert rc == 0
    assert "名义排名 nominal rank" in cap.out and "rank shifts" in cap.out
    assert "100%" in cap.err  # progress bar
    assert out_csv.read_text(encoding="utf-8-sig").count("\n") == 301


def test_sensitivity_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", str(DEMO), "--space", str(SPACE), "-n", "32"]) == 0
    out = capsys.readouterr().out
    assert "一阶指数 S1" in out and "aggregate" in out


def test_uncertainty_needs_space(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["uncertainty", str(DEMO)])


def test_data_note_is_kept_and_shown(capsys: pytest.CaptureFixture[str]) -> None:
    from xiangcun_eval import read_submissions

    data = read_submissions(DEMO, "dvd-2023")
    assert set(data.groups["data_note"]) == {
        "模拟数据 / synthetic data (examples/make_demo_data.py)"}
    assert main(["evaluate", str(DEMO), "--top", "1"]) == 0
    assert "数据说明 / data note: 模拟数据 / synthetic data" in capsys.readouterr().out
