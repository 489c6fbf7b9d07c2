"""The ``xiangcun-eval`` entry point: no command, module execution."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xiangcun_eval.cli import main


def test_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "xiangcun_eval.cli", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "evaluate" in out
    assert "sensitivity" in out
