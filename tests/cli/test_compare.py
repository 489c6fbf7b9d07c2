"""``xiangcun-eval compare``."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import DEMO
from xiangcun_eval.cli import main


def test_compare_two_methodologies(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = tmp_path / "entropy.toml"
    m.write_text('name = "熵权"\n[weights_by_level.2]\nmethod = "entropy"\n', encoding="utf-8")
    out = tmp_path / "cmp.csv"
    rc = main(["compare", str(DEMO), "--methodology-b", str(m), "--top", "5", "--csv", str(out)])
    text = capsys.readouterr().out
    assert rc == 0
    assert "B: demo_counties_2023.csv 2023 · 熵权" in text
    assert "方向 / direction:" in text
    assert "上升 up" in text
    body = [ln for ln in out.read_text(encoding="utf-8-sig").splitlines()]
    assert len(body) == 301
    assert body[0].endswith("方向 direction")


def test_compare_same_is_flagged_and_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(DEMO), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "identical" in out
    assert "不变 same: 300" in out
    assert main(["compare", str(DEMO), "nosuch.csv"]) == 2
