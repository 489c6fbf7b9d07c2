"""``xiangcun-eval validate``."""

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
