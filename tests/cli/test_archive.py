"""``xiangcun-eval archive ...``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

import xiangcun_eval as xe
from xiangcun_eval.cli import main

DEMO = Path(__file__).parents[2] / "examples" / "data" / "demo_counties_2023.csv"


def test_archive_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "a.sqlite")
    assert main(["archive", "import", db, str(DEMO)]) == 0
    assert "new 300" in capsys.readouterr().out
    assert main(["archive", "import", db, str(DEMO)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["archive", "list", db]) == 0
    assert "demo_counties_2023.csv" in capsys.readouterr().out
    assert main(["archive", "history", db, "130142"]) == 0
    assert "河北模拟1县" in capsys.readouterr().out
    out = tmp_path / "o.csv"
    assert main(["archive", "export", db, "2023", "-o", str(out)]) == 0
    assert main(["archive", "export", db, "2023", "-o", str(out)]) == 2  # exists: refused
    assert main(["archive", "export", db, "2023", "-o", str(out), "--force"]) == 0
    back = xe.read_submissions(out, "dvd-2023")
    orig = xe.read_submissions(DEMO, "dvd-2023")
    np.testing.assert_array_equal(back.values, orig.subset(sorted(orig.units)).values)
    assert main(["archive", "record", db, "2023", "--label", "baseline"]) == 0
    assert "recorded run 1" in capsys.readouterr().out
    assert main(["archive", "runs", db, "--methodology", "baseline"]) == 0
    assert "baseline" in capsys.readouterr().out
    assert main(["archive", "verify", db, "1"]) == 0
    assert "identical bit for bit" in capsys.readouterr().out
    assert main(["archive", "check", db]) == 0
    assert "integrity check passed" in capsys.readouterr().out


def test_archive_conflict_needs_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    db = str(tmp_path / "a.sqlite")
    assert main(["archive", "import", db, str(DEMO)]) == 0
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[5] = "1.5"
    lines[1] = ",".join(cells)
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["archive", "import", db, str(changed)]) == 2
    err = capsys.readouterr().err
    assert "130142" in err
    assert "--replace" in err
    assert "Traceback" not in err
    assert main(["archive", "import", db, str(changed), "--replace"]) == 0
    assert "replaced 1" in capsys.readouterr().out


def test_archive_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "a.sqlite")
    assert main(["archive", "list", db]) == 2  # no such archive
    assert "not found" in capsys.readouterr().err
    assert main(["archive", "import", db, str(tmp_path / "missing.csv")]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace("80.4", "abc", 1), encoding="utf-8")
    assert main(["archive", "import", db, str(bad)]) == 1
    assert "nothing imported" in capsys.readouterr().out
    assert main(["archive", "verify", db, "7"]) == 2
    assert "no run" in capsys.readouterr().err


def test_archive_check_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.sqlite"
    assert main(["archive", "import", str(db), str(DEMO)]) == 0
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("UPDATE unit_values SET import_id = 99 WHERE id = 1")
    con.commit()
    con.close()
    assert main(["archive", "check", str(db)]) == 1
    assert "foreign key" in capsys.readouterr().out
