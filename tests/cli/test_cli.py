"""The ``xiangcun-eval`` entry point: no command, module execution."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xiangcun_eval.cli import main


def test_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "xiangcun_eval.cli", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "evaluate" in out and "sensitivity" in out


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xiangcun_eval.cli import main

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
