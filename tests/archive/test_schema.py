"""Archive schema: versions and migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from helpers import small_data
from xiangcun_eval.archive import Archive
from xiangcun_eval.archive.schema import SCHEMA_VERSION, current_version, migrate


def _indexes(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_fresh_database_is_current(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as a:
        assert a.schema_version == SCHEMA_VERSION
        assert a.migrated_from == 0


def test_old_database_is_migrated_and_keeps_data(tmp_path: Path) -> None:
    p = tmp_path / "old.sqlite"
    con = sqlite3.connect(p, isolation_level=None)
    assert migrate(con, target=1) == (0, 1)
    assert current_version(con) == 1
    assert "runs_methodology" not in _indexes(con)
    con.close()
    with Archive(p) as a:  # opens, migrates 1 -> SCHEMA_VERSION
        assert a.migrated_from == 1
        assert a.schema_version == SCHEMA_VERSION
        a.import_data(small_data(n=5))
        assert a.years() == [2023]
    con = sqlite3.connect(p)
    assert {"runs_methodology", "imports_file", "imports_year"} <= _indexes(con)
    con.close()


def test_migration_is_idempotent(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "b.sqlite", isolation_level=None)
    migrate(con)
    assert migrate(con) == (SCHEMA_VERSION, SCHEMA_VERSION)
    con.close()


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    import pytest

    con = sqlite3.connect(tmp_path / "c.sqlite", isolation_level=None)
    bad = (("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE t (a)", "THIS IS NOT SQL"),)
    with pytest.raises(sqlite3.OperationalError):
        migrate(con, target=1, migrations=bad)
    assert current_version(con) == 0
    assert con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    con.close()
