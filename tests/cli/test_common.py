"""Shared CLI helpers: file arguments and typed input loading."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from xiangcun_eval.cli._common import Inputs, add_input_args, existing_file, load_inputs
from xiangcun_eval.cli._registry import CommandExit
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.methodology import Methodology

DEMO = Path(__file__).resolve().parents[2] / "examples" / "data" / "demo_counties_2023.csv"


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_input_args(p)
    return p.parse_args(list(argv))


def test_load_inputs_returns_typed_inputs() -> None:
    got = load_inputs(_args(str(DEMO)))
    assert isinstance(got, Inputs)
    assert isinstance(got.data, UnitData)
    assert got.data.n_units == 300
    assert got.methodology == Methodology()
    assert got.report is None
    assert got.path == DEMO


def test_load_inputs_reads_the_methodology_file(tmp_path: Path) -> None:
    m = tmp_path / "m.toml"
    m.write_text('name = "熵权"\n', encoding="utf-8")
    assert load_inputs(_args(str(DEMO), "--methodology", str(m))).methodology.name == "熵权"


def test_load_inputs_quarantine_keeps_the_report(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    got = load_inputs(_args(str(DEMO), "--quarantine"))
    assert got.report is not None
    assert got.report.n_rejected == 0
    assert "300 accepted, 0 rejected" in capsys.readouterr().out


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandExit) as info:
        existing_file(str(tmp_path / "nope.csv"))
    assert info.value.code == 2
    assert "file not found" in capsys.readouterr().err


def test_invalid_file_exits_1_after_listing_problems(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",80.4,", ",180.4,", 1), *lines[2:9]]),
                   encoding="utf-8")
    with pytest.raises(CommandExit) as info:
        load_inputs(_args(str(bad)))
    assert info.value.code == 1
    assert "validation failed" in capsys.readouterr().out
