"""End-to-end benchmarks of the uncertainty / sensitivity engine.

Run::

    .venv/bin/python benchmarks/bench_sensitivity.py            # default (about a minute)
    .venv/bin/python benchmarks/bench_sensitivity.py --large    # + 500,000 units on Dask

Prints absolute times, ratios against baselines run in the same process, and
peak memory (``tracemalloc`` peak of Python/numpy allocations during the
call, and the process's maximum resident set size from ``getrusage``).

Scenarios
---------
1. 2,850 synthetic counties × ``dvd-2023`` (69 indicators, 26 → 10 → 1
   groups), uncertainty analysis with n = 10,000 replicates: weight noise
   ±25 % at every level, normalisation (min-max [1, 100] vs z-score
   (50, 10)) and aggregation (arithmetic vs geometric) alternatives.
   Baselines: (a) a loop calling :func:`~xiangcun_eval.evaluate` once per
   replicate (a few hundred replicates timed, extrapolated to n); (b) a
   numpy floor doing the same work as plainly as numpy allows (renormalisation
   over available children at every level, the same streamed statistics; see
   ``numpy_floor``), interleaved with the engine, best of 3.
2. Sobol' indices of every county's rank and score, N = 1,024 (5,120 runs):
   end-to-end :func:`~xiangcun_eval.sensitivity` (after one warm-up call;
   best of 3, without and with 100 bootstrap resamples per county), against
   SALib's ``sobol.analyze`` called once per county and output (timed on a
   sample of 60 counties, best of 3, extrapolated) on the same model outputs;
   the load average is printed before and after.
3. COINr's ASEM example (51 countries, 49 indicators), the vignette's space,
   n = 10,000: time per replicate (COINr: 0.26 s per replicate).
4. ``--large``: 500,000 units × 60 indicators, ``uncertainty()`` on default
   settings (n = 64, this process), then ``bench_village.py``: 500,000 units ×
   1,000 replicates on a Dask ``LocalCluster`` (2 workers): time and peak RSS
   per worker.

The synthetic data are generated here (seeded); they describe no real county.
"""

from __future__ import annotations

import os

# one BLAS thread per process: parallelism comes from the executor (and multi-threaded
# BLAS spins badly when the cores are shared)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.framework import Framework, load_framework
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.inputs.readers import read_unit_table
from xiangcun_eval.methodology import (
    AggregateSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    TreatSpec,
)
from xiangcun_eval.sensitivity.api import RunOptions, replay, sensitivity, uncertainty
from xiangcun_eval.sensitivity.space import (
    AggregateAlternatives,
    NormaliseAlternatives,
    UncertaintySpace,
    WeightNoise,
)

ROOT = Path(__file__).resolve().parents[1]
ASEM = ROOT / "tests" / "data" / "asem"


def synthetic_counties(fw: Framework, n: int, seed: int = 0, missing: float = 0.04) -> UnitData:
    """Synthetic (模拟) counties: a latent factor, per-indicator loadings, the
    indicator's bounds, ~4 % missing values."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n)
    k = len(fw.indicators)
    load = rng.uniform(0.45, 0.85, k)
    s = z[:, None] * load + np.sqrt(1 - load**2) * rng.standard_normal((n, k))
    d = fw.indicator_array("direction")
    s *= d
    lo = np.nan_to_num(fw.indicator_array("lower_bound"), nan=0.0)
    hi = fw.indicator_array("upper_bound")
    bounded = np.isfinite(hi)
    x = np.where(bounded, lo + (np.nan_to_num(hi) - lo) / (1 + np.exp(-(s + 0.8))),
                 lo + 100.0 * np.exp(0.5 * s))
    x[rng.random((n, k)) < missing] = np.nan
    return UnitData(framework=fw, units=tuple(f"U{i:06d}" for i in range(n)),
                    names=tuple(f"模拟{i}县" for i in range(n)), values=x)


def dvd_space(fw: Framework) -> UncertaintySpace:
    return UncertaintySpace(name="bench", factors=[
        WeightNoise(levels=tuple(range(1, fw.max_level)), noise=0.25),
        NormaliseAlternatives(alternatives=(
            NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
            NormaliseSpec(method="zscore", params={"mean": 50.0, "sd": 10.0}))),
        AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                            AggregateSpec(method="geometric"))),
    ])


NOMINAL = Methodology(
    normalise=NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}))


def measure(label: str, fn: Callable[[], Any], *, peak_run: bool = True
            ) -> tuple[Any, float, float]:
    """Run ``fn`` timed, then once more under ``tracemalloc`` for the peak
    (tracing slows numpy's allocations, so it is not timed); print and return
    (result, seconds, peak MiB)."""
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    peak = 0.0
    if peak_run:
        tracemalloc.start()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<58s} {dt:9.3f} s   peak {peak / 2**20:8.1f} MiB   (max RSS {rss:,.0f} MiB)")
    return out, dt, peak / 2**20


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


# --------------------------------------------------------------------------- numpy floor
def numpy_floor(data: UnitData, space: UncertaintySpace, n: int, seed: int,
                chunk: int = 1024) -> float:
    """The least work this UA needs, written as plainly as numpy allows; returns seconds.

    Same work as the engine: both normalisations precomputed (``ln`` too, for
    the geometric mean); per chunk of replicates the weights sampled (±25 %
    noise at every level) and the index of every unit computed *with the
    renormalisation over available children* at every level, by the same
    algebra as the engine (units grouped by which groups have no data; per
    group of units one product of effective indicator weights, the
    complete-group denominator folded in, plus a correction for the
    (unit, level-2 group) pairs with some children missing); ``exp`` for the
    geometric mean; argsort ranks; and the same statistics, streamed: sums and
    squares of the score deviation and of the rank, |Δrank| against the
    nominal ranks, PKU grade counts, top-10 counts, exact per-unit rank
    histograms and 256-bin score histograms, and at the end the 5 / 50 / 95 %
    quantiles from the histograms.  What it leaves out is only what the
    engine adds for generality and reproducibility: the compiled space, the
    per-combination bookkeeping, matrix products in fixed 64-row blocks
    (bitwise identity across chunkings), row-ordered block sums and the
    chunk/merge protocol of the executors.
    """
    from xiangcun_eval.pipeline import level_plans
    from xiangcun_eval.sensitivity.fastpath import fast_plan

    fw = data.framework
    specs = space.factors[1].alternatives  # type: ignore[union-attr]
    nominal = evaluate(data, NOMINAL)
    alts = [evaluate(data, NOMINAL.replace(normalise=spec)) for spec in specs]
    plans_a = level_plans(fw, NOMINAL)
    plans_g = level_plans(fw, NOMINAL.replace(aggregate=AggregateSpec(method="geometric")))
    fps = [[fast_plan(np.asarray(a.level_scores[0]), p) for p in (plans_a, plans_g)]
           for a in alts]
    w0 = [np.asarray(w) for w in alts[0].weights]
    mems = [p.membership for p in plans_a]
    ngs = [len(p.codes) for p in plans_a]
    nu = data.n_units
    lo = np.nanmin(np.asarray(nominal.level_scores[0]), axis=1) - 50.0
    hi = np.nanmax(np.asarray(nominal.level_scores[0]), axis=1) + 50.0
    nom_rank = np.asarray(nominal.rank)
    nom_index = np.asarray(nominal.index)
    thr = [80.0, 60.0, 40.0, 20.0]
    rng = np.random.default_rng(seed)

    def norm_rows(w: np.ndarray, mem: np.ndarray, ng: int) -> np.ndarray:
        tot = np.zeros((w.shape[0], ng))
        np.add.at(tot.T, mem, w.T)
        return w / tot[:, mem]

    def index_of(fp: Any, ws: list[np.ndarray]) -> np.ndarray:
        r = ws[0].shape[0]
        mem1, ng1 = mems[0], ngs[0]
        tot = np.zeros((r, ng1))
        np.add.at(tot.T, mem1, ws[0].T)
        out = np.empty((nu, r))  # units x rows: the corrections update whole rows
        effs = []
        for pat in fp.patterns:  # units sharing the groups without data
            eff = np.ones((r, 1))
            for li in range(len(ws) - 1, 0, -1):
                w = ws[li]
                if pat.missing[li - 1].any():
                    w = norm_rows(w * ~pat.missing[li - 1], mems[li], ngs[li])
                eff = w * eff[:, mems[li]]
            effs.append(eff)
            out[pat.units] = ((ws[0] * (eff / tot)[:, mem1]) @ pat.t0t).T
        unit_pat = np.empty(nu, dtype=np.intp)
        for k, pat in enumerate(fp.patterns):
            unit_pat[pat.units] = k
        order = np.concatenate([p.units for p in fp.patterns])
        for g, cols, upos, pids, tsub, asub in fp.partial:  # partial groups: fix the mean
            units = order[upos]
            wc = ws[0][:, cols]
            num, den = wc @ tsub, wc @ asub
            e = np.stack([effs[k][:, g] for k in range(len(effs))], axis=1)[:, pids]
            out[units] += (e * (num / den - num / tot[:, g : g + 1])).T
        return np.exp(out.T) if fp.geometric else out.T

    s1 = np.zeros(nu)
    s2 = np.zeros(nu)
    rsum = np.zeros(nu)
    rsq = np.zeros(nu)
    shift = np.zeros(nu)
    grades = np.zeros((nu, 5), dtype=np.int64)
    top = np.zeros(nu, dtype=np.int64)
    rhist = np.zeros(nu * nu, dtype=np.int64)
    shist = np.zeros(nu * 256, dtype=np.int64)
    t_start = time.perf_counter()
    for s in range(0, n, chunk):
        r = min(chunk, n - s)
        u = rng.random((r, 2 + sum(w.size for w in w0)))
        col = 2
        ws = []
        for w, mem, ng in zip(w0, mems, ngs, strict=True):
            ws.append(norm_rows(w * (1 + 0.25 * (2 * u[:, col : col + w.size] - 1)), mem, ng))
            col += w.size
        ni = (u[:, 0] * 2).astype(int)
        ag = (u[:, 1] * 2).astype(int)
        index = np.empty((r, nu))
        for na in (0, 1):
            for g in (0, 1):
                rows = np.flatnonzero((ni == na) & (ag == g))
                index[rows] = index_of(fps[na][g], [w[rows] for w in ws])
        order = np.argsort(-index, axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, nu + 1)[None, :], axis=1)
        d = index - nom_index
        s1 += d.sum(axis=0)
        s2 += (d * d).sum(axis=0)
        rsum += ranks.sum(axis=0)
        rsq += (ranks * ranks).sum(axis=0)
        shift += np.abs(ranks - nom_rank).sum(axis=0)
        below = np.stack([np.full(nu, r)] + [np.count_nonzero(index < t, axis=0) for t in thr])
        grades[:, :4] += (below[:-1] - below[1:]).T  # grade k: t_k <= score < t_(k-1)
        grades[:, 4] += below[-1]
        top += (ranks <= 10).sum(axis=0)
        rhist += np.bincount((ranks - 1 + np.arange(nu) * nu).ravel(), minlength=nu * nu)
        sb = np.clip(((index - lo) * (256 / (hi - lo))).astype(int), 0, 255)
        shist += np.bincount((sb + np.arange(nu) * 256).ravel(), minlength=nu * 256)
    for h, bins in ((rhist, nu), (shist, 256)):
        cum = np.cumsum(h.reshape(nu, bins), axis=1)
        for q in (0.05, 0.5, 0.95):
            np.argmax(cum > q * (n - 1), axis=1)
    return time.perf_counter() - t_start


# --------------------------------------------------------------------------- scenarios
def bench_counties(n: int, n_loop: int, repeat: int = 3) -> None:
    from concurrent.futures import ProcessPoolExecutor

    print(f"\n[1] 2,850 synthetic counties × dvd-2023, uncertainty analysis, n = {n:,}")
    fw = load_framework("dvd-2023")
    data = synthetic_counties(fw, 2850)
    sp = dvd_space(fw)
    res, _, _ = measure("xiangcun uncertainty(), executor=None", lambda: uncertainty(
        data, NOMINAL, sp, n=n, seed=1))
    # engine (serial) and floor interleaved, best of `repeat`: on a shared machine both
    # see the same load
    t_serial = t_floor = np.inf
    for _ in range(repeat):
        _, t = timed(lambda: uncertainty(data, NOMINAL, sp, n=n, seed=1))
        t_serial = min(t_serial, t)
        t_floor = min(t_floor, numpy_floor(data, sp, n, 1))
    print(f"  {'xiangcun uncertainty(), serial, best of ' + str(repeat):<58s} {t_serial:9.3f} s")
    print(f"  {'(b) numpy floor (same work, see numpy_floor), best of ' + str(repeat):<58s} "
          f"{t_floor:9.3f} s")
    with ProcessPoolExecutor(2) as ex:
        uncertainty(data, NOMINAL, sp, n=256, seed=1, run=RunOptions(executor=ex))  # warm up
        _, t_par, _ = measure("xiangcun uncertainty(), ProcessPoolExecutor(2)", lambda: uncertainty(
            data, NOMINAL, sp, n=n, seed=1, run=RunOptions(executor=ex)), peak_run=False)
    reps = replay(data, NOMINAL, sp, seed=1, rows=list(range(n_loop)))
    _, t_loop = timed(lambda: [evaluate(d, m) for m, d in reps])
    t_loop_n = t_loop / n_loop * n
    print(f"  {'(a) evaluate() loop: ' + str(n_loop) + ' replicates timed':<58s} {t_loop:9.3f} s"
          f"  -> extrapolated to n = {n:,}: {t_loop_n:,.1f} s")
    best = min(t_serial, t_par)
    print(f"  ratios: loop / engine = {t_loop_n / best:,.0f}×   engine / floor = "
          f"{best / t_floor:.2f}× (serial {t_serial / t_floor:.2f}×)")
    print(f"  ({res.n_done:,} replicates, rank resolution {res.rank_resolution:g}, "
          f"{t_serial / n * 1e6:.0f} µs per replicate serial)")


def bench_sobol_units(n_base: int, n_salib_units: int, repeat: int = 3) -> None:
    from SALib.analyze import sobol as salib_sobol  # type: ignore[import-untyped, unused-ignore]

    print(f"\n[2] Sobol' indices per county, 2,850 counties, N = {n_base:,}")
    print(f"  load average before: {os.getloadavg()[0]:.2f}")
    fw = load_framework("dvd-2023")
    data = synthetic_counties(fw, 2850)
    sp = dvd_space(fw)
    sensitivity(data, NOMINAL, sp, n=64, seed=1)  # warm up: scipy's Sobol' tables, imports

    def ours(nb: int, keep: bool = False) -> Any:
        return sensitivity(data, NOMINAL, sp, n=n_base, seed=1, n_boot=1000, n_boot_units=nb,
                           keep_outputs=keep)

    # best of `repeat`, the two settings interleaved (on a shared machine both see the
    # same load); then one run under tracemalloc for the peak
    t_ours = t_ours100 = np.inf
    for _ in range(repeat):
        t_ours = min(t_ours, timed(lambda: ours(0))[1])
        t_ours100 = min(t_ours100, timed(lambda: ours(100))[1])
    tracemalloc.start()
    tracemalloc.reset_peak()
    ours(100)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for nb, t in ((0, t_ours), (100, t_ours100)):
        print(f"  {f'xiangcun sensitivity() end to end, n_boot_units={nb}, best of {repeat}':<58s} "
              f"{t:9.3f} s")
    print(f"  peak memory (n_boot_units=100): tracemalloc {peak:,.1f} MiB, max RSS {rss:,.0f} MiB")
    res = ours(0, keep=True)  # the outputs SALib is given (not timed)
    assert res.ranks is not None and res.scores is not None
    d = len(res.factor_names)
    problem = {"num_vars": d, "names": list(res.factor_names), "bounds": [[0, 1]] * d}
    # SALib's row order: for every k, [A_k, AB_1k, ..., AB_dk, B_k]
    order = np.concatenate([[0], np.arange(2, d + 2), [1]])

    def salib_unit(y: np.ndarray, resamples: int) -> Any:
        yy = y[order].T.reshape(-1)  # (N(d+2),)
        return salib_sobol.analyze(problem, yy, calc_second_order=False,
                                   num_resamples=resamples, print_to_console=False, seed=1)

    units = np.linspace(0, 2849, n_salib_units).astype(int)
    for resamples in (1, 100):
        t = min(timed(lambda: [salib_unit(res.ranks[:, :, u], resamples)  # noqa: B023
                               for u in units])[1] for _ in range(repeat))  # best of `repeat`
        per_all = t / units.size * 2850 * 2  # rank and score of every county
        mine = t_ours if resamples == 1 else t_ours100
        print(f"  SALib sobol.analyze per county and output, num_resamples={resamples:<3d} "
              f"{t:7.3f} s for {units.size} -> {per_all:8.1f} s for 2,850 × 2; "
              f"ratio SALib / xiangcun end-to-end = {per_all / mine:,.0f}×")
    # agreement on one county (SALib's analyze uses ddof 0 and mean-centred outputs)
    u = int(units[len(units) // 2])
    s = salib_unit(res.ranks[:, :, u], 1)
    print(f"  agreement (county {u}, rank): max |S1 − SALib S1| = "
          f"{np.nanmax(np.abs(res.rank.first[:, u] - s['S1'])):.2e}, max |ST − SALib ST| = "
          f"{np.nanmax(np.abs(res.rank.total[:, u] - s['ST'])):.2e}")
    print(f"  load average after: {os.getloadavg()[0]:.2f}")


def bench_asem(n: int) -> None:
    print(f"\n[3] COINr ASEM example (51 countries, 49 indicators), vignette space, n = {n:,}")
    fw = load_framework(ASEM / "iMeta.csv")
    data = read_unit_table(ASEM / "iData.csv", fw)
    m = Methodology(denominate=True,
                    impute=ImputeSpec(method="group_mean", group_by="EurAsia_group"),
                    treat=TreatSpec(method="winsorise"))
    sp = UncertaintySpace(factors=[
        WeightNoise(levels=(2, 3), noise=0.25),
        NormaliseAlternatives(alternatives=(
            NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
            NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0}))),
        AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                            AggregateSpec(method="geometric"))),
    ])
    _, t, _ = measure("xiangcun uncertainty()", lambda: uncertainty(data, m, sp, n=n, seed=1))
    per = t / n
    print(f"  {per * 1e6:.0f} µs per replicate; COINr 0.26 s per replicate -> "
          f"{0.26 / per:,.0f}× faster")
    _, ts, _ = measure("xiangcun sensitivity(), N = 2,048 (10,240 runs)",
                       lambda: sensitivity(data, m, sp, n=2048, seed=1))
    print(f"  {ts / 10240 * 1e6:.0f} µs per run including the estimators and 1,000 bootstrap "
          "resamples")


def bench_village_defaults(n_units: int, n: int) -> None:
    """500,000 units × 60 indicators, uncertainty() with every setting at its default."""
    from bench_evaluate import synthetic, wide_framework

    print(f"\n[4a] {n_units:,} units × 60 indicators, uncertainty() on default settings, n = {n}")
    fw = wide_framework()
    data = synthetic(fw, n_units, seed=1)
    sp = dvd_space(fw)
    res, _, _ = measure("xiangcun uncertainty(), defaults", lambda: uncertainty(
        data, NOMINAL, sp, n=n, seed=1), peak_run=False)
    print(f"  memory estimate {res.memory_estimate / 2**20:,.0f} MiB of default budget "
          f"{res.memory_budget / 2**20:,.0f} MiB; rank resolution {res.rank_resolution:g} "
          f"(rank-quantile error bound {res.rank_quantile_error:g})")


def bench_large() -> None:
    """500,000 units × 60 indicators × 1,000 replicates on a 2-worker LocalCluster,
    default settings: ``bench_village.py`` (peak RSS per worker sampled with psutil)."""
    from bench_village import main as village

    print("\n[4] bench_village.py: 500,000 units × 1,000 replicates on Dask LocalCluster "
          "(2 workers)")
    village([])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large", action="store_true", help="also run 500,000 units on Dask")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--n-loop", type=int, default=200)
    ap.add_argument("--only", choices=["1", "2", "3", "4"], default=None)
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    if args.only in (None, "1"):
        bench_counties(args.n, args.n_loop)
    if args.only in (None, "2"):
        bench_sobol_units(1024, 60)
    if args.only in (None, "3"):
        bench_asem(args.n)
    if args.large or args.only == "4":
        bench_village_defaults(500_000, 64)
        bench_large()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
