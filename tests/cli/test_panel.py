"""``xiangcun-eval panel``."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.cli import main

DATA = Path(__file__).parents[2] / "examples" / "data"
FILES = [str(DATA / f"demo_counties_{y}.csv") for y in (2021, 2022, 2023)]


def test_panel_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "panel.csv"
    args = ["panel", *FILES, "--reference", "base", "--crosswalk",
            str(DATA / "demo_crosswalk.csv"), "--allow-unmatched", "621253", "-o", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "55.40" in text
    assert "A01 贡献 contribution" in text
    assert "621253" in text
    assert "grade transition" in text
    assert out.read_text(encoding="utf-8-sig").count("\n") > 890
    assert main(args) == 2  # the output exists: refused without --force
    assert main([*args, "--force", "--by", "region"]) == 0


def test_panel_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["panel", *FILES, "--reference", "base"]) == 2
    err = capsys.readouterr().err
    assert "130142" in err
    assert "crosswalk" in err
    assert "Traceback" not in err
    assert main(["panel", FILES[0], FILES[0], "--reference", "base"]) == 2
    assert "given twice" in capsys.readouterr().err
    assert main(["panel", str(tmp_path / "nope.csv"), "--reference", "base"]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(Path(FILES[2]).read_text(encoding="utf-8").replace("80.4", "abc", 1),
                   encoding="utf-8")
    assert main(["panel", FILES[1], str(bad), "--reference", "base"]) == 1
    assert main(["panel", *FILES, "--reference", "base", "--allow-unmatched", "-o", FILES[0],
                 "--crosswalk", str(DATA / "demo_crosswalk.csv")]) == 2
    assert "overwrite an input" in capsys.readouterr().err
