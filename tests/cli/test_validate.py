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
    assert "all valid" in out
    assert "data availability" in out
    assert "dvd-2023" in out


def test_validate_strict_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path, bad=True)), "--max-problems", "5"]) == 1
    out = capsys.readouterr().out
    assert "validation failed" in out
    assert "province_mismatch" not in out
    assert "not shown" in out
    assert "410199" in out


def test_validate_quarantine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path, bad=True)), "--quarantine"]) == 1
    out = capsys.readouterr().out
    assert "3 accepted, 1 rejected" in out
    assert "data availability" in out


def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert "file not found" in err
    assert "Traceback" not in err


def test_validate_unknown_framework(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(_csv(tmp_path)), "--framework", "no-such"]) == 2
    assert "no-such" in capsys.readouterr().err


def test_validate_problems_sheet_and_force(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    src = _csv(tmp_path, bad=True)
    out = tmp_path / "问题.csv"
    assert main(["validate", str(src), "--problems", str(out)]) == 1
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert b"410199" in text
    assert main(["validate", str(src), "--problems", str(out)]) == 2  # exists: refused
    assert "--force" in capsys.readouterr().err
    assert main(["validate", str(src), "--problems", str(out), "--force", "--quarantine",
                 "--cell-level"]) == 1
    assert main(["validate", str(src), "--problems", str(src), "--force"]) == 2  # the input


def test_validate_options_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _csv(tmp_path)
    assert main(["validate", str(src), "--cell-level"]) == 2
    assert main(["validate", str(src), "--max-problems", "-1"]) == 2
    assert main(["validate", str(src), "--header-row", "0"]) == 2
    assert main(["validate", str(src), "--columns", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "--quarantine" in err


def test_validate_title_rows_mapping_and_warnings(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fw = load_framework("dvd-2023")
    head = "区划,名称,省份,年份," + ",".join(f"{i.name_zh}({i.unit})" if i.unit else i.name_zh
                                              for i in fw.indicators) + ",联系人"
    rows = [f"4101{i:02d},县{i},河南省,2023," + ",".join("1" for _ in fw.indicators) + ",张"
            for i in range(1, 4)]
    p = tmp_path / "s.csv"
    p.write_bytes(("2023年填报表\n" + "\n".join([head, *rows]) + "\n").encode("gbk"))
    m = tmp_path / "m.toml"
    m.write_text('[columns]\n"区划" = "county_code"\n"名称" = "county_name"\n', encoding="utf-8")
    assert main(["validate", str(p), "--columns", str(m)]) == 0
    out = capsys.readouterr().out
    assert "warning" in out
    assert "联系人" in out
    assert "all valid" in out
    assert main(["validate", str(p), "--columns", str(m), "--header-row", "1"]) == 1


def test_validate_all_rejected_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    p = _csv(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace("河南省", "河北省"), encoding="utf-8")
    assert main(["validate", str(p), "--quarantine"]) == 1
    assert "every row was rejected" in capsys.readouterr().err
