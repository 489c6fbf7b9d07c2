"""The README's examples work as written."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import xiangcun_eval as xe

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_readme_methodology_toml_evaluates_demo() -> None:
    (block,) = [b for b in _blocks("toml") if b.startswith("# methodology.toml")]
    m = xe.Methodology.from_toml_text(block)
    data = xe.read_submissions(ROOT / "examples" / "data" / "demo_counties_2023.csv", "dvd-2023")
    ev = xe.evaluate(data, m)
    assert not np.isnan(ev.index).all()
    assert m.weights_for(2).method == "entropy"
    assert m.aggregate_for(4).method == "topsis"


def test_readme_commands_are_the_ci_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "xiangcun-eval evaluate examples/data/demo_counties_2023.csv --top 10" in README
    assert "xiangcun-eval evaluate examples/data/demo_counties_2023.csv --top 10" in ci
    assert "pip install '.[test]' && python -m pytest -q -n 2" in README
    assert "pip install --quiet '.[test]'" in ci
    assert "python -m pytest -q -n 2" in ci


def test_readme_lists_every_public_name() -> None:
    for name in xe.__all__:
        if name.startswith("_"):
            continue
        assert f"`{name}`" in README, name


def test_readme_robustness_snippet_runs() -> None:
    block = next(b for b in _blocks("python") if "xe.UncertaintySpace(" in b)
    block = block.replace("n=10_000", "n=64").replace("n=1024", "n=32")
    data = xe.read_submissions(ROOT / "examples" / "data" / "demo_counties_2023.csv", "dvd-2023")
    m = xe.Methodology()
    ns = {"xe": xe, "data": data, "m": m, "ev": xe.evaluate(data, m), "print": lambda *a: None}
    exec(compile(block, "README.md", "exec"), ns)
    assert ns["ua"].n == 64


def test_readme_audit_and_analysis_snippet_runs() -> None:
    block = next(b for b in _blocks("python") if "xe.audit(ev)" in b)
    data = xe.read_submissions(ROOT / "examples" / "data" / "demo_counties_2023.csv", "dvd-2023")
    ns = {"xe": xe, "ev": xe.evaluate(data), "print": lambda *a: None}
    exec(compile(block, "README.md", "exec"), ns)
    assert ns["dg"].within + ns["dg"].net_between + ns["dg"].transvariation > 0
    assert len(ns["cc"].d) == len(data.units)
    assert len(ns["corr"]) > 0


def test_readme_export_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openpyxl")
    block = next(b for b in _blocks("python") if "export_counties_2023.xlsx" in b)
    monkeypatch.chdir(tmp_path)
    block = block.replace('"examples/', f'"{ROOT.as_posix()}/examples/')
    ns = {"xe": xe, "print": lambda *a: None}
    with pytest.warns(UserWarning, match="is not an indicator or a known column"):
        exec(compile(block, "README.md", "exec"), ns)
    report = ns["report"]
    assert (report.n_rows, report.n_accepted, len(report.flagged)) == (100, 100, 5)
    assert "5 bad cell(s)" in report.summary()
    assert "100 accepted" in report.summary()
    assert (tmp_path / "问题清单.xlsx").is_file()
    assert not np.isnan(ns["ev"].index).all()


def test_readme_export_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from xiangcun_eval.cli import main

    block = next(b for b in _blocks("bash") if "export_counties_2023_gbk.csv" in b)
    monkeypatch.chdir(tmp_path)
    commands = [c.split("#")[0].split() for c in block.replace("\\\n", " ").splitlines()]
    for argv in (c for c in commands if c):
        assert argv[0] == "xiangcun-eval"
        argv = [a.replace("examples/", f"{ROOT.as_posix()}/examples/") for a in argv[1:]]
        if "xlsx" in " ".join(argv):
            pytest.importorskip("openpyxl")
        code = main(argv)
        assert code in (0, 1), argv  # 1: the fixture has bad cells, by design
    assert (tmp_path / "模板.xlsx").is_file()
    assert (tmp_path / "问题清单.xlsx").is_file()
    assert "5 bad cell(s)" in capsys.readouterr().out
