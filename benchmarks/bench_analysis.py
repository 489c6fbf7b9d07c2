"""Benchmark: the audit and the follow-up analyses for 2,850 counties.

Data: 2,850 synthetic counties x the built-in ``dvd-2023`` framework (69
indicators, 3 % missing), 31 provinces in 4 regions, points on a jittered
grid for spatial weights (distance band, about 6-8 neighbours each).

Each case times the library call (best of ``k``) against a straightforward
baseline run in the same process — a double loop written from the formula,
or the peer library (pandas, PySAL ``inequality`` / ``esda``, scipy) when
installed — checks they agree, and prints absolute times, the ratio
baseline / library, and the peak traced memory (tracemalloc) of one library
call.  Times measured on a shared machine are noisy: compare ratios, which
are measured in one process.

Run:  python benchmarks/bench_analysis.py [--quick]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import xiangcun_eval as xe
from xiangcun_eval.framework.registry import load_framework
from xiangcun_eval.inputs.data import UnitData


def synthetic(n: int = 2850, seed: int = 0) -> tuple[UnitData, np.ndarray]:
    fw = load_framework("dvd-2023")
    rng = np.random.default_rng(seed)
    k = len(fw.indicator_codes)
    lo = np.nan_to_num(fw.indicator_array("lower_bound"), nan=0.0)
    hi = fw.indicator_array("upper_bound")
    hi = np.where(np.isnan(hi), lo + 1000.0, hi)
    side = int(np.ceil(np.sqrt(n)))
    xy = np.array([(i % side, i // side) for i in range(n)], float) + rng.uniform(-.2, .2, (n, 2))
    trend = (xy[:, :1] / side - 0.5) * 2
    u = 1 / (1 + np.exp(-(trend + rng.normal(size=(n, 1)) + 0.7 * rng.normal(size=(n, k)))))
    x = lo + (hi - lo) * u
    x[rng.random(x.shape) < 0.03] = np.nan
    prov = np.array([f"省{p:02d}" for p in range(31)])[np.minimum(30, (xy[:, 1] / side * 31)
                                                                  .astype(int))]
    region = np.array(["东部", "中部", "西部", "东北"])[(xy[:, 0] / side * 4).astype(int) % 4]
    data = UnitData(framework=fw, units=tuple(f"{i:06d}" for i in range(n)),
                    names=tuple(f"县{i}" for i in range(n)), values=x,
                    groups={"province": tuple(prov.tolist()), "region": tuple(region.tolist())})
    return data, xy


def best(f: Callable[[], Any], k: int) -> tuple[float, Any]:
    t_best, out = float("inf"), None
    for _ in range(k):
        t0 = time.perf_counter()
        out = f()
        t_best = min(t_best, time.perf_counter() - t0)
    return t_best, out


def peak(f: Callable[[], Any]) -> float:
    tracemalloc.start()
    f()
    _, pk = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return pk / 2**20


def report(name: str, lib: Callable[[], Any], base: Callable[[], Any] | None, base_name: str,
           k: int, check: Callable[[Any, Any], None] | None = None, kb: int | None = None) -> None:
    t_lib, out = best(lib, k)
    mem = peak(lib)
    line = f"{name:<44} {t_lib * 1e3:9.1f} ms  peak {mem:7.1f} MiB"
    if base is not None:
        t_base, ref = best(base, kb or k)
        if check is not None:
            check(out, ref)
        line += f"   {base_name}: {t_base * 1e3:9.1f} ms  ratio {t_base / t_lib:7.1f}x"
    print(line, flush=True)


def dagum_double_loop(x: np.ndarray, g: np.ndarray) -> float:
    """Dagum's G_jh double loop over all pairs of units (total Gini part)."""
    xs = x.tolist()
    n, mu = len(xs), sum(xs) / len(xs)
    labs = sorted(set(g.tolist()))
    groups = [[v for v, gg in zip(xs, g.tolist(), strict=True) if gg == lab] for lab in labs]
    tot = 0.0
    for a in groups:
        for b in groups:
            s = 0.0
            for u in a:
                for v in b:
                    s += abs(u - v)
            tot += s
    return tot / (2 * n * n * mu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one repetition, smaller baselines")
    args = ap.parse_args()
    k = 1 if args.quick else 3
    data, xy = synthetic()
    ev = xe.evaluate(data)
    x = np.asarray(ev.index)
    prov = np.asarray(data.groups["province"])
    print(f"2,850 counties x {len(data.indicator_codes)} indicators, 31 provinces; best of {k}")
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None

    # ---------------------------------------------------------------- audit
    au = xe.audit(ev)
    norm = np.asarray(ev.preprocessed.normalised)

    def stats_loop() -> list[float]:
        from scipy import stats as ss
        out = []
        for j in range(norm.shape[1]):
            v = norm[~np.isnan(norm[:, j]), j]
            out.append(float(ss.skew(v, bias=False)))
        return out

    kk = len(data.indicator_codes)
    report(f"audit.stats ({kk} indicators)", lambda: au.stats(), stats_loop, "scipy per column", k,
           lambda a, b: np.testing.assert_allclose(a.column("偏度 Skew"), b, rtol=1e-9))
    for m in ("pearson", "spearman"):
        base = (lambda m=m: pd.DataFrame(norm).corr(method=m).to_numpy()) if pd else None
        report(f"audit correlation matrix, {m} ({kk} x {kk})",
               lambda m=m: au.correlation_matrix(method=m, pval=0), base, "pandas", k,
               lambda a, b: np.testing.assert_allclose(
                   np.column_stack([a.column(c) for c in a.columns[1:]]), b, atol=1e-10))
    report(f"audit correlation matrix, kendall ({kk} x {kk})",
           lambda: au.correlation_matrix(method="kendall", pval=0), None, "", 1)
    report("audit.flags (all levels)", lambda: au.flags(), None, "", k)
    report("audit.reliability (alpha, PCA, KMO, Bartlett)", lambda: au.reliability(), None, "", k)
    report("audit.availability", lambda: au.availability(), None, "", k)

    # ------------------------------------------------------------ disparity
    ng = 300 if args.quick else 2850
    sub = slice(0, ng)
    report(f"dagum_gini by province (lib on 2,850; loop on {ng})",
           lambda: xe.analysis.dagum_gini(x, prov), lambda: dagum_double_loop(x[sub], prov[sub]),
           "Python double loop", k, None, kb=1)
    res = xe.analysis.dagum_gini(x[sub], prov[sub])
    assert abs(res.total - dagum_double_loop(x[sub], prov[sub])) < 1e-12
    try:
        import inequality as ineq
    except ImportError:  # pragma: no cover
        ineq = None
    report("gini", lambda: xe.analysis.gini(x),
           (lambda: ineq.gini.Gini(x).g) if ineq else None, "PySAL Gini", k,
           lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-12))
    report("theil by province (T and L, decomposed)", lambda: xe.analysis.theil(x, prov),
           (lambda: ineq.theil.TheilD(x, prov)) if ineq else None, "PySAL TheilD", k,
           lambda a, b: np.testing.assert_allclose(a.t_between, np.ravel(b.bg)[0], rtol=1e-10))
    report("coefficient_of_variation by province",
           lambda: xe.analysis.coefficient_of_variation(x, prov), None, "", k)
    report("kernel_density by region (silverman, 256 pts)",
           lambda: xe.analysis.kernel_density(ev, "region"), None, "", k)

    # -------------------------------------------------------------- spatial
    w = xe.analysis.SpatialWeights.distance_band(xy, 1.5, ev.units)
    esda = libpysal = None
    try:
        import esda
        import libpysal
    except ImportError:  # pragma: no cover
        pass
    lw = None
    if libpysal is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lw = libpysal.weights.DistanceBand(xy, 1.5, binary=True, silence_warnings=True)
    print(f"  spatial weights: {int(w.n_neighbours.mean())} neighbours on average")
    report("moran (999 permutations)", lambda: xe.analysis.moran(x, w, seed=1),
           (lambda: esda.Moran(x, lw, permutations=999)) if esda else None, "esda", k,
           lambda a, b: np.testing.assert_allclose(a.I, b.I, rtol=1e-12))
    report("local_moran (999 permutations)", lambda: xe.analysis.local_moran(x, w, seed=1),
           (lambda: esda.Moran_Local(x, lw, permutations=999, seed=1)) if esda else None,
           "esda", k, lambda a, b: np.testing.assert_allclose(a.Is, b.Is, atol=1e-12))

    # -------------------------------------------------- coupling, obstacles
    areas = list(ev.framework.level_codes(3))

    def coupling_loop() -> list[float]:
        u = np.column_stack([np.asarray(ev.score(c)) / 100 for c in areas])
        out = []
        for row in u.tolist():
            g = float(np.prod(row)) ** (1 / len(row))
            c = g / (sum(row) / len(row))
            out.append((c * sum(row) / len(row)) ** 0.5)
        return out

    report("coupling_coordination (10 areas)",
           lambda: xe.analysis.coupling_coordination(ev, areas), coupling_loop, "loop per unit", k,
           lambda a, b: np.testing.assert_allclose(a.d, b, rtol=1e-12))

    def obstacle_loop() -> np.ndarray:
        z = np.asarray(ev.level_scores[0])
        lo, hi = np.nanmin(z, 0), np.nanmax(z, 0)
        eff = np.ones(1)
        for plan, wt in zip(reversed(ev.plans), reversed(ev.weights), strict=True):
            eff = np.asarray(wt) * eff[plan.membership]
        out = np.full(z.shape, np.nan)
        for i in range(z.shape[0]):
            fi = [eff[j] * (1 - (z[i, j] - lo[j]) / (hi[j] - lo[j])) for j in range(z.shape[1])]
            tot = np.nansum(fi)
            out[i] = [f / tot for f in fi]
        return out

    report("obstacle_degree (+ top 5, frequency by province)",
           lambda: xe.analysis.obstacle_degree(ev).frequency("province", 5), obstacle_loop,
           "loop per unit", k)
    o = xe.analysis.obstacle_degree(ev)
    np.testing.assert_allclose(o.degree, obstacle_loop(), rtol=1e-12)

    ev2 = xe.evaluate(data, xe.Methodology(name="geo", aggregate=xe.AggregateSpec(
        method="geometric"), normalise=xe.NormaliseSpec(method="minmax", params={"lower": 1})))
    ev3 = xe.evaluate(data, xe.Methodology(
        name="z", normalise=xe.NormaliseSpec(method="zscore"),
        grading=xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2))))
    evs = {"default": ev, "geo": ev2, "z": ev3}

    def agreement_base() -> list[float]:
        from scipy import stats as ss
        idx = [np.asarray(e.index) for e in evs.values()]
        out = []
        for i in range(3):  # the same measures, written out per pair
            for j in range(i + 1, 3):
                out += [float(ss.spearmanr(idx[i], idx[j]).statistic),
                        float(ss.kendalltau(idx[i], idx[j]).statistic)]
        return out

    report("rank_agreement (3 methodologies)", lambda: xe.analysis.rank_agreement(evs),
           agreement_base, "scipy per pair", k,
           lambda a, b: np.testing.assert_allclose(a.spearman[0, 1], b[0], atol=1e-12))


if __name__ == "__main__":
    main()
