"""Archive schema and its migrations.

The schema is plain, portable SQL (``INTEGER``, ``TEXT``, ``BLOB``, ``REAL``,
primary and foreign keys, ordinary and partial unique indexes) so that a
server database can hold the same tables later; SQLite is the default and the
one tested.  The schema version lives in the ``meta`` table (not SQLite's
``user_version``) for the same reason.

Tables
------
``meta``
    ``key`` -> ``value``; ``schema_version``.
``frameworks``
    One row per framework digest: code and canonical JSON (so a stored run
    can be recomputed with exactly the framework it used).
``files``
    Submitted files as given (bytes), keyed by SHA-256 digest.
``imports``
    One row per import that changed something: year, framework, file name
    and digest, data digest, time, validation report (JSON), counts.
``unit_values``
    One row per unit-year version: the parsed values as one little-endian
    float64 BLOB in the import's indicator order (NaN = missing), name,
    grouping columns (JSON).  Rows are never deleted: a replaced version
    gets ``current = 0`` and ``superseded_by`` = the replacing import.
    At most one current row per (framework code, year, unit) — a partial
    unique index enforces it.
``runs``
    Recorded evaluations: methodology JSON and digest, framework digest,
    data digest, library version, the unit rows evaluated (in order) and the
    results (every level's scores, index ranks, weights, grades) as BLOBs
    with their digest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

_V1: tuple[str, ...] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE frameworks (
        digest TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        definition TEXT NOT NULL)""",
    """CREATE TABLE files (
        digest TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        content BLOB NOT NULL)""",
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        framework_code TEXT NOT NULL,
        framework_digest TEXT NOT NULL REFERENCES frameworks(digest),
        year INTEGER NOT NULL,
        kind TEXT NOT NULL,
        indicators TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_digest TEXT,
        data_digest TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        report TEXT NOT NULL,
        n_new INTEGER NOT NULL,
        n_replaced INTEGER NOT NULL,
        n_unchanged INTEGER NOT NULL)""",
    """CREATE TABLE unit_values (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        framework_code TEXT NOT NULL,
        year INTEGER NOT NULL,
        unit TEXT NOT NULL,
        name TEXT NOT NULL,
        groups TEXT NOT NULL,
        vals BLOB NOT NULL,
        extra TEXT,
        current INTEGER NOT NULL,
        superseded_by INTEGER REFERENCES imports(id))""",
    """CREATE UNIQUE INDEX unit_values_current
        ON unit_values (framework_code, year, unit) WHERE current = 1""",
    "CREATE INDEX unit_values_unit ON unit_values (unit)",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        label TEXT NOT NULL,
        framework_code TEXT NOT NULL,
        framework_digest TEXT NOT NULL REFERENCES frameworks(digest),
        methodology TEXT NOT NULL,
        methodology_digest TEXT NOT NULL,
        data_digest TEXT NOT NULL,
        year INTEGER,
        version TEXT NOT NULL,
        unit_rows BLOB NOT NULL,
        shapes TEXT NOT NULL,
        results BLOB NOT NULL,
        results_digest TEXT NOT NULL)""",
)

_V2: tuple[str, ...] = (
    # runs by methodology and imports by file digest are the common look-ups
    "CREATE INDEX runs_methodology ON runs (methodology_digest)",
    "CREATE INDEX imports_file ON imports (file_digest)",
    "CREATE INDEX imports_year ON imports (framework_code, year)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
"""``MIGRATIONS[k]`` takes a database from schema version ``k`` to ``k + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: sqlite3.Connection) -> int:
    """Return the schema version of an open database (0 = empty)."""
    has_meta = con.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()[0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = ?", ("schema_version",)).fetchone()
    return int(row[0]) if row else 0


def migrate(
    con: sqlite3.Connection, *, target: int = SCHEMA_VERSION,
    migrations: Sequence[Sequence[str]] = MIGRATIONS,
) -> tuple[int, int]:
    """Bring the schema up to ``target`` inside one write transaction.

    Returns ``(from_version, to_version)``.  The caller handles a database
    newer than this library (``from_version > target``).
    """
    con.execute("BEGIN IMMEDIATE")
    try:
        start = current_version(con)
        for k in range(start, target):
            for stmt in migrations[k]:
                con.execute(stmt)
            con.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ("schema_version", str(k + 1)),
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return start, max(start, target)
