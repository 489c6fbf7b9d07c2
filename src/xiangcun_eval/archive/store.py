"""The archive of submissions and evaluation runs: :class:`Archive`.

An embedded SQLite database (stdlib :mod:`sqlite3`, WAL mode) that keeps,
year after year, every validated submission as given and every evaluation
recorded, so that a result can be traced to its inputs and recomputed bit for
bit.  Schema: :mod:`xiangcun_eval.archive.schema`.

Rules
-----
* Every import is one transaction (``BEGIN IMMEDIATE``): a failed import
  leaves nothing behind; concurrent writers wait for each other
  (``busy_timeout``) instead of failing or interleaving.
* Importing the same content twice changes nothing.  A different value for a
  unit-year already archived needs ``replace=True``; the previous version is
  kept (``current = 0``) and stays visible in :meth:`Archive.history`.
* Only parameterised SQL; BLOBs are raw float64 arrays, text columns JSON:
  nothing is ever unpickled or evaluated.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._version import __version__
from ..errors import XiangcunError
from ..framework.model import Framework
from ..inputs.data import UnitData
from ..methodology import Methodology
from ..table import Table
from . import codec
from .rows import conflict_message, extras_json, rows_to_data
from .schema import SCHEMA_VERSION, current_version, migrate

__all__ = ["Archive", "ArchiveError", "ImportResult", "StoredRun"]

F64 = NDArray[np.float64]


class ArchiveError(XiangcunError):
    """The archive cannot do what was asked.

    Conflicting values without ``replace=True``, an unknown run or year, a
    database from a newer library version, data of a run that is not in the
    archive ...
    """


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    ``import_id`` is ``None`` when nothing changed (the same content was
    already archived); ``n_new + n_replaced + n_unchanged`` = units given.
    """

    import_id: int | None
    year: int
    framework: str
    n_new: int
    n_replaced: int
    n_unchanged: int

    @property
    def changed(self) -> bool:
        """True when the import stored something (``import_id`` is not ``None``)."""
        return self.import_id is not None

    def __str__(self) -> str:
        return (
            f"{self.framework} {self.year}: 新增 {self.n_new} / new {self.n_new}, "
            f"替换 {self.n_replaced} / replaced {self.n_replaced}, "
            f"未变 {self.n_unchanged} / unchanged {self.n_unchanged}"
            + ("" if self.changed else " — 无变化 / nothing changed")
        )


@dataclass(frozen=True)
class StoredRun:
    """A recorded evaluation run, as stored.

    ``arrays`` are the stored results in the order of
    :func:`result_arrays`: every level's scores, the index ranks, the grade
    codes and every level's weights.
    """

    run_id: int
    label: str
    created_at: str
    methodology: Methodology
    framework: Framework
    data: UnitData
    version: str
    results_digest: str
    arrays: tuple[F64, ...]


def result_arrays(ev: Any) -> list[NDArray[Any]]:
    """Return the arrays of an evaluation that a run stores.

    They must match on recomputation: level scores, index ranks, grade codes, weights.
    """
    return [*ev.level_scores, ev.index_rank, ev.grade_codes, *ev.weights]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _sha256_file(path: Path) -> tuple[str, bytes]:
    content = path.read_bytes()
    return hashlib.sha256(content).hexdigest(), content


class Archive:
    """An archive database of submissions and evaluation runs.

    Parameters
    ----------
    path
        SQLite file (created if missing; an existing one is migrated to the
        current schema version).  ``":memory:"`` works for tests.
    timeout
        Seconds a writer waits for another writer's transaction.

    Examples
    --------
    >>> arc = xe.Archive("xiangcun.sqlite")                        # doctest: +SKIP
    >>> arc.import_file("counties_2023.csv", "dvd-2023")           # doctest: +SKIP
    >>> data = arc.data(2023, "dvd-2023")                          # doctest: +SKIP
    >>> run_id = arc.record_run(xe.evaluate(data))                 # doctest: +SKIP
    >>> arc.verify(run_id)                                         # doctest: +SKIP
    True
    """

    def __init__(self, path: str | Path, *, timeout: float = 60.0) -> None:
        self.path = str(path)
        self._con = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        con = self._con
        con.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        if self.path != ":memory:":
            con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA synchronous = NORMAL")
        found = current_version(con)
        if found > SCHEMA_VERSION:
            con.close()
            raise ArchiveError(
                f"档案库 {self.path} 的结构版本 {found} 比本库支持的 {SCHEMA_VERSION} 新 / the "
                f"archive {self.path} has schema version {found}, newer than this library "
                f"({__version__}) supports ({SCHEMA_VERSION}): upgrade xiangcun-eval"
            )
        self.migrated_from, _ = migrate(con)

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Close the database connection (also done on leaving a ``with`` block)."""
        self._con.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({self.path!r}, schema={self.schema_version})"

    @property
    def schema_version(self) -> int:
        """Schema version of the open database (see :mod:`xiangcun_eval.archive.schema`)."""
        return current_version(self._con)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything or nothing."""
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def check(self) -> list[str]:
        """Check the database; return the problems found (empty = healthy).

        Runs SQLite's ``integrity_check`` and ``foreign_key_check``, plus the
        archive's own invariant (at most one current version per unit-year).
        """
        con = self._con
        out = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
        out += [f"foreign key: {tuple(r)}" for r in con.execute("PRAGMA foreign_key_check")]
        dup = con.execute(
            "SELECT framework_code, year, unit, count(*) FROM unit_values WHERE current = 1 "
            "GROUP BY framework_code, year, unit HAVING count(*) > 1"
        ).fetchall()
        out += [f"两个当前版本 / two current versions: {tuple(r)}" for r in dup]
        return out

    # --------------------------------------------------------------- imports
    def _store_framework(self, con: sqlite3.Connection, fw: Framework) -> str:
        digest = fw.digest()
        con.execute(
            "INSERT INTO frameworks (digest, code, definition) VALUES (?, ?, ?) "
            "ON CONFLICT (digest) DO NOTHING",
            (digest, fw.code, fw.model_dump_json()),
        )
        return digest

    def import_file(
        self,
        path: str | Path,
        framework: Framework | str = "dvd-2023",
        *,
        mode: Literal["strict", "quarantine"] = "strict",
        sheet: str | None = None,
        replace: bool = False,
        keep_file: bool = True,
    ) -> ImportResult:
        """Read, validate and import one submission file (one year).

        ``mode="strict"`` imports nothing when the file has any problem
        (:class:`~xiangcun_eval.SubmissionError`); ``"quarantine"`` imports
        the valid rows and stores the report of the rejected ones.  The file
        itself (bytes, name, SHA-256) is kept unless ``keep_file=False``.
        """
        from ..inputs.readers import read_submissions

        p = Path(path)
        digest, content = _sha256_file(p)
        if mode == "quarantine":
            data, rep = read_submissions(p, framework, mode="quarantine", sheet=sheet)
            report: dict[str, Any] = {
                "mode": mode, "source": rep.source, "n_rows": rep.n_rows,
                "n_accepted": rep.n_accepted, "n_rejected": rep.n_rejected,
                "problems": [pr.to_dict() for pr in rep.problems],
                "warnings": [pr.to_dict() for pr in rep.warnings],
            }
        else:
            data = read_submissions(p, framework, sheet=sheet)
            report = {"mode": mode, "source": p.name, "n_rows": data.n_units, "problems": []}
        return self.import_data(
            data, file_name=p.name, file_digest=digest, report=report, replace=replace,
            file_content=content if keep_file else None,
        )

    def import_data(
        self,
        data: UnitData,
        *,
        year: int | None = None,
        file_name: str = "",
        file_digest: str | None = None,
        report: dict[str, Any] | None = None,
        replace: bool = False,
        file_content: bytes | None = None,
    ) -> ImportResult:
        """Import validated data for one year (one transaction).

        Raises
        ------
        ArchiveError
            No year; or values differ from the archived ones for some
            unit-years and ``replace`` is false (every such unit and
            indicator listed; nothing is imported).
        """
        yr = year if year is not None else data.year
        if yr is None:
            raise ArchiveError(
                "数据没有统一的年份 / the data has no single year: pass year=..."
            )
        fw = data.framework
        codes = fw.indicator_codes
        n = data.n_units
        blobs = codec.encode_rows(data.values)
        groups = codec.encode_groups(data.groups, n)
        extra = extras_json(data)
        with self._write() as con:
            existing = {
                r[1]: r for r in con.execute(
                    "SELECT v.id, v.unit, v.name, v.groups, v.vals, v.extra, i.indicators "
                    "FROM unit_values v JOIN imports i ON i.id = v.import_id "
                    "WHERE v.framework_code = ? AND v.year = ? AND v.current = 1",
                    (fw.code, yr),
                )
            }
            ind_json = json.dumps(list(codes))
            new_rows: list[int] = []
            replaced: list[int] = []
            replaced_ids: list[int] = []
            for i, unit in enumerate(data.units):
                old = existing.get(unit)
                if old is None:
                    new_rows.append(i)
                elif (old[4] != blobs[i] or old[2] != data.names[i] or old[3] != groups[i]
                      or old[5] != extra[i] or old[6] != ind_json):
                    replaced.append(i)
                    replaced_ids.append(old[0])
            n_unchanged = n - len(new_rows) - len(replaced)
            if replaced and not replace:
                raise ArchiveError(conflict_message(data, yr, replaced, existing, codes))
            if not new_rows and not replaced:
                return ImportResult(None, yr, fw.code, 0, 0, n_unchanged)
            fw_digest = self._store_framework(con, fw)
            if file_content is not None and file_digest is not None:
                con.execute(
                    "INSERT INTO files (digest, name, content) VALUES (?, ?, ?) "
                    "ON CONFLICT (digest) DO NOTHING",
                    (file_digest, file_name, file_content),
                )
            cur = con.execute(
                "INSERT INTO imports (framework_code, framework_digest, year, kind, indicators, "
                "file_name, file_digest, data_digest, imported_at, report, n_new, n_replaced, "
                "n_unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fw.code, fw_digest, yr, data.kind, ind_json, file_name, file_digest,
                 data.digest(), _now(), json.dumps(report or {}, ensure_ascii=False),
                 len(new_rows), len(replaced), n_unchanged),
            )
            imp = int(cur.lastrowid or 0)
            con.executemany(
                "UPDATE unit_values SET current = 0, superseded_by = ? WHERE id = ?",
                [(imp, rid) for rid in replaced_ids],
            )
            rows = sorted(new_rows + replaced)
            con.executemany(
                "INSERT INTO unit_values (import_id, framework_code, year, unit, name, groups, "
                "vals, extra, current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                ((imp, fw.code, yr, data.units[i], data.names[i], groups[i], blobs[i], extra[i])
                 for i in rows),
            )
        return ImportResult(imp, yr, fw.code, len(new_rows), len(replaced), n_unchanged)

    # --------------------------------------------------------------- queries
    def years(self, framework: str | None = None) -> list[int]:
        """Years with archived data (for one framework code, or any)."""
        if framework is None:
            rows = self._con.execute("SELECT DISTINCT year FROM unit_values ORDER BY year")
        else:
            rows = self._con.execute(
                "SELECT DISTINCT year FROM unit_values WHERE framework_code = ? ORDER BY year",
                (framework,),
            )
        return [int(r[0]) for r in rows]

    def _framework(self, digest: str) -> Framework:
        row = self._con.execute(
            "SELECT definition FROM frameworks WHERE digest = ?", (digest,)
        ).fetchone()
        if row is None:
            raise ArchiveError(f"档案库缺少框架 / framework {digest[:12]} is not in the archive")
        return Framework.model_validate_json(row[0])

    def _latest_framework(self, code: str, year: int | None = None) -> Framework:
        sql = "SELECT framework_digest FROM imports WHERE framework_code = ?"
        args: tuple[Any, ...] = (code,)
        if year is not None:
            sql += " AND year = ?"
            args += (year,)
        row = self._con.execute(sql + " ORDER BY id DESC LIMIT 1", args).fetchone()
        if row is None:
            raise ArchiveError(
                f"档案库中没有 {code} {year or ''} 的数据 / the archive holds no data for "
                f"framework {code!r}" + (f" in {year}" if year is not None else "")
                + f"; years held: {self.years(code)}"
            )
        return self._framework(str(row[0]))

    _ROW_SQL = (
        "SELECT v.unit, v.name, v.groups, v.vals, v.extra, i.indicators, i.kind, v.id "
        "FROM unit_values v JOIN imports i ON i.id = v.import_id "
    )

    def data(self, year: int, framework: str | Framework = "dvd-2023") -> UnitData:
        """Return a year's current submissions as :class:`UnitData` (units ordered by code).

        ``framework`` is a code (the framework of the latest import of that
        year is used) or a :class:`Framework` (columns mapped by indicator
        code; indicators an import did not have are missing).
        """
        code = framework.code if isinstance(framework, Framework) else framework
        fw = framework if isinstance(framework, Framework) else self._latest_framework(code, year)
        rows = self._con.execute(
            self._ROW_SQL + "WHERE v.framework_code = ? AND v.year = ? AND v.current = 1 "
            "ORDER BY v.unit", (code, year),
        ).fetchall()
        if not rows:
            raise ArchiveError(
                f"档案库中没有 {code} {year} 年的数据 / no archived data for {code!r} in {year}; "
                f"years held: {self.years(code)}"
            )
        return rows_to_data(rows, fw, year)

    def years_data(self, years: Sequence[int] | None = None,
                   framework: str | Framework = "dvd-2023") -> dict[int, UnitData]:
        """Several years' current submissions (default: every archived year).

        Ready for :func:`~xiangcun_eval.evaluate_panel`.
        """
        code = framework.code if isinstance(framework, Framework) else framework
        ys = self.years(code) if years is None else list(years)
        return {y: self.data(y, framework) for y in ys}

    def imports(self, year: int | None = None) -> Table:
        """Every import (one row each): what, when, from which file, counts."""
        sql = ("SELECT id, framework_code, year, file_name, file_digest, imported_at, n_new, "
               "n_replaced, n_unchanged FROM imports")
        args: tuple[Any, ...] = ()
        if year is not None:
            sql += " WHERE year = ?"
            args = (year,)
        rows = self._con.execute(sql + " ORDER BY id", args).fetchall()
        names = ("导入 import", "框架 framework", "年份 year", "文件 file", "摘要 sha256",
                 "时间 imported_at", "新增 new", "替换 replaced", "未变 unchanged")
        cols = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return Table(names, tuple(tuple(c) for c in cols), title="导入记录 / imports")

    def report(self, import_id: int) -> dict[str, Any]:
        """Return the validation report stored with an import."""
        row = self._con.execute("SELECT report FROM imports WHERE id = ?", (import_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"没有导入 {import_id} / no import with id {import_id}")
        out: dict[str, Any] = json.loads(row[0])
        return out

    def history(self, unit: str, framework: str = "dvd-2023") -> Table:
        """Every archived version of one unit, year by year, with its values.

        Replaced versions are included (``current`` = 否/no).
        """
        rows = self._con.execute(
            "SELECT v.year, v.import_id, i.imported_at, i.file_name, v.current, v.name, "
            "v.vals, i.indicators FROM unit_values v JOIN imports i ON i.id = v.import_id "
            "WHERE v.unit = ? AND v.framework_code = ? ORDER BY v.year, v.id",
            (unit, framework),
        ).fetchall()
        if not rows:
            raise ArchiveError(
                f"档案库中没有单位 {unit} / unit {unit!r} is not in the archive ({framework})"
            )
        codes: list[str] = []
        for r in rows:
            codes += [c for c in json.loads(r[7]) if c not in codes]
        vals = np.full((len(rows), len(codes)), np.nan)
        for k, r in enumerate(rows):
            src = json.loads(r[7])
            v = codec.decode_matrix([r[6]], len(src))[0]
            vals[k, [codes.index(c) for c in src]] = v
        cols: dict[str, Any] = {
            "年份 year": [r[0] for r in rows], "导入 import": [r[1] for r in rows],
            "时间 imported_at": [r[2] for r in rows], "文件 file": [r[3] for r in rows],
            "当前 current": [bool(r[4]) for r in rows], "名称 name": [r[5] for r in rows],
        }
        for j, c in enumerate(codes):
            cols[c] = vals[:, j]
        return Table.from_columns(cols, title=f"{unit}: 历年填报 / submission history")

    def submissions_table(self, year: int, framework: str = "dvd-2023") -> Table:
        """Return a year's current submissions laid out as a submission file.

        Columns ``county_code, county_name, <groups>, year, <indicators>``, as
        :func:`~xiangcun_eval.read_submissions` reads back.
        """
        d = self.data(year, framework)
        if d.kind == "county":  # the reader's columns; region is derived from the province
            cols: dict[str, Any] = {"county_code": d.units, "county_name": d.names}
            keys = [k for k in ("province", "prefecture", "data_note") if k in d.groups]
        else:
            cols = {"code": d.units, "name": d.names}
            keys = sorted(d.groups)
        for key in keys:
            cols[key] = d.groups[key]
        cols["year"] = [year] * d.n_units
        for j, c in enumerate(d.indicator_codes):
            cols[c] = d.values[:, j]
        return Table.from_columns(cols, title=f"{framework} {year}")

    # ------------------------------------------------------------------ runs
    def record_run(self, evaluation: Any, *, label: str = "") -> int:
        """Record an :class:`~xiangcun_eval.Evaluation` whose data is in the archive.

        The evaluated units must be archived (current versions) with exactly
        the values evaluated: the run points at those rows, so it can be
        recomputed later even after they are replaced.

        Raises
        ------
        ArchiveError
            The data is not (or no longer) the archived data of that year.
        """
        ev = evaluation
        data: UnitData = ev.data
        fw = data.framework
        if data.year is None:
            raise ArchiveError("评价数据没有年份 / the evaluated data has no year")
        ids: dict[str, int] = dict(self._con.execute(
            "SELECT unit, id FROM unit_values WHERE framework_code = ? AND year = ? "
            "AND current = 1", (fw.code, data.year),
        ).fetchall())
        missing = [u for u in data.units if u not in ids]
        if missing:
            raise ArchiveError(
                f"{len(missing)} 个单位不在档案库中 / {len(missing)} evaluated unit(s) are not "
                f"archived for {fw.code} {data.year}, e.g. {missing[:5]}: import the data first"
            )
        row_ids = [ids[u] for u in data.units]
        stored = self._data_from_ids(row_ids, fw, data.year)
        if stored.digest() != data.digest():
            raise ArchiveError(
                "评价所用数据与档案库不一致 / the evaluated data differs from the archived data "
                f"of {fw.code} {data.year} (values, names or groups): import it first "
                "(replace=True if it is a correction)"
            )
        blob, shapes = codec.encode_results(result_arrays(ev))
        with self._write() as con:
            fw_digest = self._store_framework(con, fw)
            cur = con.execute(
                "INSERT INTO runs (created_at, label, framework_code, framework_digest, "
                "methodology, methodology_digest, data_digest, year, version, unit_rows, shapes, "
                "results, results_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), label or ev.methodology.name, fw.code, fw_digest,
                 ev.methodology.to_json(), ev.methodology.digest(), data.digest(), data.year,
                 ev.version, codec.encode_ids(row_ids), shapes, blob,
                 codec.results_digest(blob)),
            )
        return int(cur.lastrowid or 0)

    def _data_from_ids(self, ids: Sequence[int], fw: Framework, year: int | None) -> UnitData:
        got: dict[int, Any] = {}
        for start in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
            chunk = list(ids[start : start + 900])
            marks = ",".join("?" * len(chunk))
            for r in self._con.execute(self._ROW_SQL + f"WHERE v.id IN ({marks})", chunk):
                got[int(r[7])] = r
        return rows_to_data([got[i] for i in ids], fw, year)

    def run(self, run_id: int) -> StoredRun:
        """Load a stored run: its methodology, framework, data and results."""
        row = self._con.execute(
            "SELECT id, label, created_at, methodology, framework_digest, year, version, "
            "unit_rows, shapes, results, results_digest FROM runs WHERE id = ?", (run_id,),
        ).fetchone()
        if row is None:
            raise ArchiveError(f"没有运行记录 {run_id} / no run with id {run_id}")
        fw = self._framework(row[4])
        ids = codec.decode_ids(row[7]).tolist()
        return StoredRun(
            run_id=int(row[0]), label=row[1], created_at=row[2],
            methodology=Methodology.from_json(row[3]), framework=fw,
            data=self._data_from_ids(ids, fw, row[5]), version=row[6],
            results_digest=row[10], arrays=tuple(codec.decode_results(row[9], row[8])),
        )

    def recompute(self, run_id: int) -> Any:
        """Evaluate a stored run again from the archived data and methodology."""
        from ..evaluate import evaluate

        st = self.run(run_id)
        return evaluate(st.data, st.methodology)

    def verify(self, run_id: int) -> bool:
        """Recompute a run and compare every result array bit for bit."""
        st = self.run(run_id)
        from ..evaluate import evaluate

        ev = evaluate(st.data, st.methodology)
        blob, _ = codec.encode_results(result_arrays(ev))
        return codec.results_digest(blob) == st.results_digest

    def runs(self, methodology: Methodology | str | None = None) -> Table:
        """List the recorded runs, optionally only those of one methodology.

        The methodology is given as a :class:`Methodology`, its digest, or its name.
        """
        sql = ("SELECT id, created_at, label, framework_code, year, methodology_digest, "
               "data_digest, version FROM runs")
        args: tuple[Any, ...] = ()
        if isinstance(methodology, Methodology):
            sql += " WHERE methodology_digest = ?"
            args = (methodology.digest(),)
        elif isinstance(methodology, str):
            sql += " WHERE methodology_digest = ? OR label = ?"
            args = (methodology, methodology)
        rows = self._con.execute(sql + " ORDER BY id", args).fetchall()
        names = ("运行 run", "时间 created_at", "名称 label", "框架 framework", "年份 year",
                 "方法摘要 methodology_digest", "数据摘要 data_digest", "版本 version")
        cols = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return Table(names, tuple(tuple(c) for c in cols), title="评价运行 / runs")

    def run_results(self, run_id: int) -> Table:
        """Return a stored run's index scores, ranks and grades per unit."""
        st = self.run(run_id)
        fw = st.framework
        n_lev = fw.max_level
        index = st.arrays[n_lev - 1][:, 0]
        rank = st.arrays[n_lev]
        grades = st.arrays[n_lev + 1].astype(np.intp)
        g = st.methodology.grading
        labels = ["—" if c < 0 else f"{g.labels_zh[c]} / {g.labels_en[c]}" for c in grades]
        return Table.from_columns(
            {"代码 code": st.data.units, "名称 name": st.data.names, "得分 score": index,
             "排名 rank": rank, "等级 grade": labels},
            title=f"运行 {run_id} / run {run_id}: {st.label}",
        )
