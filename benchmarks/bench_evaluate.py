"""Benchmark: full default evaluation vs a minimal numpy implementation.

Cases
-----
1. 2,850 counties x the built-in ``dvd-2023`` framework.
2. 500,000 units x 60 indicators (6 groups of 10, 3 levels).

For each case the library's ``evaluate`` (default methodology: min-max
[0, 100] with directions, framework weights renormalised over available
children, weighted arithmetic means, ranks, grades, within-group ranks) is
timed against a minimal numpy implementation of the same computation run in
the same process (``minimal``: min-max, two matmuls per level, argsort
ranks).  Both are checked to give the same index before timing.

Figures printed: best-of-k wall time, ratio library / minimal, and peak
traced memory (tracemalloc) of one library run.

BLAS: one thread per process unless ``OPENBLAS_NUM_THREADS`` is set
(both sides use the same setting, printed).  Multi-threaded OpenBLAS spins
when the cores are shared: on the 2-core machine under load ≈ 2.5 one
evaluation took 66 ms with two BLAS threads and 5.7 ms with one.

Run:  python benchmarks/bench_evaluate.py [--quick]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from xiangcun_eval import Methodology, evaluate, load_framework
from xiangcun_eval.framework.model import Framework, Group, Indicator
from xiangcun_eval.inputs.data import UnitData


def synthetic(fw: Framework, n: int, seed: int = 0, missing: float = 0.03) -> UnitData:
    rng = np.random.default_rng(seed)
    k = len(fw.indicator_codes)
    lo = np.nan_to_num(fw.indicator_array("lower_bound"), nan=0.0)
    hi = fw.indicator_array("upper_bound")
    hi = np.where(np.isnan(hi), lo + 1000.0, hi)
    u = 1 / (1 + np.exp(-(rng.normal(size=(n, 1)) + 0.7 * rng.normal(size=(n, k)))))
    x = lo + (hi - lo) * u
    x[rng.random(x.shape) < missing] = np.nan
    prov = np.array(["浙江", "河南", "四川", "吉林", "广东", "甘肃"])[rng.integers(0, 6, n)]
    reg = {
        "浙江": "东部",
        "广东": "东部",
        "河南": "中部",
        "四川": "西部",
        "甘肃": "西部",
        "吉林": "东北",
    }
    return UnitData(
        framework=fw,
        units=tuple(f"{i:06d}" for i in range(n)),
        names=tuple(f"U{i}" for i in range(n)),
        values=x,
        groups={"province": tuple(prov.tolist()), "region": tuple(reg[p] for p in prov.tolist())},
    )


def wide_framework(n_groups: int = 6, per: int = 10) -> Framework:
    nodes: list[Group | Indicator] = [Group(code="IDX", name_zh="指数", name_en="Index", level=3)]
    for g in range(n_groups):
        nodes.append(Group(code=f"G{g}", name_zh=f"组{g}", name_en=f"G{g}", level=2, parent="IDX"))
        for j in range(per):
            nodes.append(
                Indicator(
                    code=f"G{g}_{j}",
                    name_zh=f"指标{g}_{j}",
                    name_en=f"I{g}_{j}",
                    level=1,
                    parent=f"G{g}",
                    direction=-1 if j == 0 else 1,
                    lower_bound=0.0,
                    upper_bound=100.0,
                )
            )
    return Framework(code="wide", name_zh="宽", name_en="wide", nodes=tuple(nodes))


def minimal(
    x: np.ndarray, fw: Framework, groups: list[np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The same methodology, written as plainly as numpy allows: min-max,
    two matmuls per level, ranks by argsort, within-group ranks by lexsort,
    PKU grades (``groups``: integer group code arrays to rank within)."""
    z = x * fw.indicator_array("direction")
    mn, mx = np.nanmin(z, axis=0), np.nanmax(z, axis=0)
    z = (z - mn) * (100.0 / (mx - mn))
    for level in range(2, fw.max_level + 1):
        mem = fw.membership(level)
        w = fw.node_weights(level - 1)
        b = np.zeros((mem.size, mem.max() + 1))
        b[np.arange(mem.size), mem] = w
        ok = ~np.isnan(z)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (np.where(ok, z, 0.0) @ b) / (ok @ b)
    idx = z[:, 0]
    order = np.argsort(-idx, kind="stable")
    s = idx[order]
    first = np.r_[True, s[1:] != s[:-1]]
    pos = np.maximum.accumulate(np.where(first, np.arange(s.size), 0)) + 1.0
    rank = np.empty_like(idx)
    rank[order] = pos
    rank[np.isnan(idx)] = np.nan
    for g in groups or []:
        o = np.lexsort((-idx, g))
        sg, gg = -idx[o], g[o]
        start = np.r_[True, (gg[1:] != gg[:-1]) | (sg[1:] != sg[:-1])]
        gstart = np.r_[True, gg[1:] != gg[:-1]]
        pos_run = np.maximum.accumulate(np.where(start, np.arange(s.size), 0))
        pos_grp = np.maximum.accumulate(np.where(gstart, np.arange(s.size), 0))
        within = np.empty_like(idx)
        within[o] = pos_run - pos_grp + 1.0
    np.sum(idx[:, None] < np.array([80.0, 60.0, 40.0, 20.0]), axis=1)  # grades
    return idx, rank


def best_of(f: Callable[[], object], k: int) -> float:
    best = np.inf
    for _ in range(k):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def run_case(label: str, data: UnitData, k: int) -> None:
    m = Methodology()
    ev = evaluate(data, m)
    gcodes = [np.unique(np.asarray(v), return_inverse=True)[1] for v in data.groups.values()]
    idx, rank = minimal(np.asarray(data.values), data.framework, gcodes)
    np.testing.assert_allclose(ev.index, idx, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(ev.rank, rank)
    # interleaved: on a loaded machine both see the same load
    t_lib = t_min = np.inf
    for _ in range(k):
        t_lib = min(t_lib, best_of(lambda: evaluate(data, m), 1))
        t_min = min(t_min, best_of(lambda: minimal(np.asarray(data.values), data.framework,
                                                    gcodes), 1))
    tracemalloc.start()
    evaluate(data, m)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n, p = data.values.shape
    print(f"{label}: {n:,} units x {p} indicators")
    print(f"  evaluate  : {t_lib * 1e3:9.1f} ms   (best of {k}, interleaved with minimal)")
    print(f"  minimal   : {t_min * 1e3:9.1f} ms")
    print(f"  ratio     : {t_lib / t_min:9.2f} x   (library / minimal numpy)")
    print(f"  peak mem  : {peak / 2**20:9.1f} MiB (tracemalloc, one evaluate)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip the 500,000-unit case")
    args = ap.parse_args()
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"load average {os.getloadavg()[0]:.1f}")
    dvd = load_framework("dvd-2023")
    run_case("dvd-2023 counties", synthetic(dvd, 2_850), k=100)
    if not args.quick:
        run_case("wide synthetic", synthetic(wide_framework(), 500_000, seed=1), k=3)


if __name__ == "__main__":
    main()
