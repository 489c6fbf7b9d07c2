"""``xiangcun-eval uncertainty`` and ``sensitivity``."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.cli import main

DEMO = Path(__file__).resolve().parents[2] / "examples" / "data" / "demo_counties_2023.csv"
SPACE = Path(__file__).resolve().parents[2] / "examples" / "spaces" / "weights-norm-agg.toml"


def test_uncertainty_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "ua.csv"
    rc = main(["uncertainty", str(DEMO), "--space", str(SPACE), "-n", "64", "--top", "5",
               "--csv", str(out_csv), "--progress"])
    cap = capsys.readouterr()
    assert rc == 0
    assert "名义排名 nominal rank" in cap.out
    assert "rank shifts" in cap.out
    assert "100%" in cap.err  # progress bar
    assert out_csv.read_text(encoding="utf-8-sig").count("\n") == 301


def test_sensitivity_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", str(DEMO), "--space", str(SPACE), "-n", "32"]) == 0
    out = capsys.readouterr().out
    assert "一阶指数 S1" in out
    assert "aggregate" in out


def test_uncertainty_needs_space(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["uncertainty", str(DEMO)])


@pytest.mark.parametrize("argv", [["--top", "-1"], ["-n", "0"], ["--workers", "0"]])
def test_robustness_refuses_nonsense_options(capsys: pytest.CaptureFixture[str],
                                             argv: list[str]) -> None:
    assert main(["uncertainty", str(DEMO), "--space", str(SPACE), *argv]) == 2
    err = capsys.readouterr().err
    assert "must be at least" in err
    assert "Traceback" not in err
