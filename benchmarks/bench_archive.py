"""Benchmark: archive imports and reads (embedded SQLite).

Cases
-----
1. one year of 2,850 counties x 70 indicators: first import, the same import
   again (nothing changes), reading the year back as ``UnitData``;
2. one year of 500,000 villages x 60 indicators: the same three steps.

Baselines run in the same process on a fresh file each:

* ``floor``: the bare ``executemany`` of the same rows (one float64 BLOB per
  unit) in one transaction, without any archive logic — the least any
  import of this layout can cost;
* ``long``: a long table (unit, indicator, value), one SQL row per cell,
  also with ``executemany`` (case 1 only: it would take minutes at 30 M cells).

Figures printed: wall times, ratios archive / baseline, peak traced Python
memory (tracemalloc) and the process's peak RSS.

Run:  python benchmarks/bench_archive.py [--quick]
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from xiangcun_eval.archive import Archive, codec
from xiangcun_eval.framework.model import Framework, Group, Indicator
from xiangcun_eval.inputs.data import UnitData


def framework(k: int, groups: int) -> Framework:
    per = k // groups
    nodes: list[Group | Indicator] = [Group(code="IDX", name_zh="指数", name_en="Index", level=3)]
    nodes += [Group(code=f"G{g}", name_zh=f"组{g}", name_en=f"G{g}", level=2, parent="IDX")
              for g in range(groups)]
    nodes += [Indicator(code=f"I{j:02d}", name_zh=f"指标{j}", name_en=f"I{j}", level=1,
                        parent=f"G{min(j // per, groups - 1)}") for j in range(k)]
    return Framework(code=f"bench{k}", name_zh="基准", name_en="bench", nodes=tuple(nodes))


def synthetic(n: int, k: int, seed: int = 0) -> UnitData:
    rng = np.random.default_rng(seed)
    x = rng.random((n, k)) * 100
    x[rng.random(x.shape) < 0.03] = np.nan
    prov = np.array(["浙江", "河南", "四川", "吉林", "广东", "甘肃"])[rng.integers(0, 6, n)]
    return UnitData(
        framework=framework(k, 7 if k == 70 else 6), units=tuple(f"{i:09d}" for i in range(n)),
        names=tuple(f"单位{i}" for i in range(n)), values=x,
        groups={"province": tuple(prov.tolist())}, year=2023,
    )


def timed(f: object, *args: object) -> float:
    t = time.perf_counter()
    f(*args)  # type: ignore[operator]
    return time.perf_counter() - t


def floor(path: Path, data: UnitData) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE t (unit TEXT, name TEXT, groups TEXT, vals BLOB)")
    blobs = codec.encode_rows(data.values)
    groups = codec.encode_groups(data.groups, data.n_units)
    con.execute("BEGIN")
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)",
                    zip(data.units, data.names, groups, blobs, strict=True))
    con.execute("COMMIT")
    con.close()


def long_table(path: Path, data: UnitData) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE t (unit TEXT, indicator TEXT, value REAL)")
    codes = data.indicator_codes
    con.execute("BEGIN")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)",
                    ((u, codes[j], v) for u, row in zip(data.units, data.values.tolist(),
                                                        strict=True)
                     for j, v in enumerate(row)))
    con.execute("COMMIT")
    con.close()


def case(n: int, k: int, tmp: Path, with_long: bool) -> None:
    data = synthetic(n, k)
    print(f"\n{n:,} units x {k} indicators")
    arc_path = tmp / f"a{n}.sqlite"
    with Archive(arc_path) as arc:
        t_imp = timed(arc.import_data, data)
        t_again = timed(arc.import_data, data)
        t_read = timed(arc.data, 2023, data.framework.code)
        assert np.array_equal(arc.data(2023, data.framework.code).values, data.values,
                              equal_nan=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = 0
    if with_long:  # tracemalloc slows Python code several-fold: measured in a separate run
        tracemalloc.start()
        with Archive(tmp / f"m{n}.sqlite") as arc:
            arc.import_data(data)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    t_floor = timed(floor, tmp / f"f{n}.sqlite", data)
    print(f"  import            {t_imp:8.3f} s   ({t_imp / t_floor:.2f}x the bare executemany "
          f"floor, {t_floor:.3f} s)")
    if with_long:
        t_long = timed(long_table, tmp / f"l{n}.sqlite", data)
        print(f"  long table        {t_long:8.3f} s   (one SQL row per cell; archive is "
              f"{t_long / t_imp:.1f}x faster)")
    print(f"  same import again {t_again:8.3f} s   (nothing changes)")
    print(f"  read year back    {t_read:8.3f} s")
    print(f"  file size         {arc_path.stat().st_size / 2**20:8.1f} MiB; process peak RSS "
          f"so far {rss:.0f} MiB"
          + (f"; peak traced memory of an import {peak / 2**20:.0f} MiB" if peak else ""))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small case only")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case(2_850, 70, Path(tmp), with_long=True)
        if not args.quick:
            case(500_000, 60, Path(tmp), with_long=False)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
