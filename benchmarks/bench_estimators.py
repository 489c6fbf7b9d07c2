"""Benchmark: per-unit Sobol' indices for many outputs at once vs SALib in a loop.

Setting: 2,850 outputs (one per county), N = 1,024 base samples, d = 6
factors, so N(d + 2) = 8,192 runs per output.  Outputs are synthetic but
county-like: a weighted sum of the factors with county-specific weights, an
interaction and a rank-like nonlinearity.

Compared, in one process and on identical outputs:

* with bootstrap (100 resamples, normal-approximation conf as SALib):
  ours, one call ``sobol_indices(yA, yB, yAB, n_boot=100, ...)`` vs SALib
  ``sobol.analyze(..., calc_second_order=False, num_resamples=100)`` called
  once per output;
* without bootstrap: ours ``n_boot=0`` vs SALib's estimator functions
  ``sobol.first_order`` / ``sobol.total_order`` per output and factor
  (``analyze`` itself always bootstraps, so this is SALib's cheapest path).

Prints wall times (best of 3 for ours, one run for SALib; tracemalloc off),
speed-ups, peak traced memory (tracemalloc, separate run) and the
largest absolute difference of S1/ST between the two.

Run:  .venv/bin/python benchmarks/bench_estimators.py [--outputs 2850] [--n 1024]
"""

from __future__ import annotations

import os

# Both sides single-threaded (SALib's per-output arrays are too small to use
# BLAS threads anyway).  Multi-threaded OpenBLAS also degrades badly on a
# machine shared with other jobs.  Override by setting the variable yourself.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from SALib.analyze import sobol as salib_sobol  # type: ignore[import-untyped, unused-ignore]

from xiangcun_eval.sensitivity.design import saltelli_design, split_outputs
from xiangcun_eval.sensitivity.estimators import sobol_indices

T = TypeVar("T")
F = NDArray[np.float64]


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """Best wall time of ``repeat`` runs (tracemalloc off: it slows allocations)."""
    best = float("inf")
    out = fn()
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak memory traced by tracemalloc (numpy buffers included) during ``fn``."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def make_outputs(n: int, d: int, m: int, seed: int) -> tuple[F, F, F]:
    des = saltelli_design(n, d, seed=seed)
    x = des.stacked()  # (N(d+2), d)
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.ones(d), size=m).T  # (d, m) county-specific sensitivities
    base = rng.normal(size=m)
    y = base + x @ w + 0.5 * (x[:, :1] * x[:, 1:2]) * rng.uniform(size=m)
    y = np.tanh(y - y.mean(axis=0))  # rank-like saturation
    return split_outputs(y, n, d)


def salib_loop(ya: F, yb: F, yab: F, n_boot: int, seed: int) -> tuple[F, F]:
    d = yab.shape[0]
    problem: dict[str, Any] = {
        "num_vars": d,
        "names": [f"x{i}" for i in range(d)],
        "bounds": [[0.0, 1.0]] * d,
    }
    m = ya.shape[1]
    # SALib's calc_second_order=False row order, per sample k: [a_k, ab_1k..ab_dk, b_k]
    ys = np.concatenate([ya[:, None, :], np.moveaxis(yab, 0, 1), yb[:, None, :]], axis=1)
    ys = ys.reshape(-1, m)
    s1 = np.empty((d, m))
    st = np.empty((d, m))
    for j in range(m):
        res = salib_sobol.analyze(
            problem, ys[:, j], calc_second_order=False, num_resamples=n_boot, seed=seed
        )
        s1[:, j] = res["S1"]
        st[:, j] = res["ST"]
    return s1, st


def salib_estimators_loop(ya: F, yb: F, yab: F) -> tuple[F, F]:
    d, _, m = yab.shape
    s1 = np.empty((d, m))
    st = np.empty((d, m))
    for j in range(m):
        # SALib's own normalisation step, then its estimator functions
        allv = np.concatenate([ya[:, j], yb[:, j], yab[:, :, j].ravel()])
        mu, sd = allv.mean(), allv.std()
        a, b, ab = (ya[:, j] - mu) / sd, (yb[:, j] - mu) / sd, (yab[:, :, j] - mu) / sd
        for i in range(d):
            s1[i, j] = salib_sobol.first_order(a, ab[i], b)
            st[i, j] = salib_sobol.total_order(a, ab[i], b)
    return s1, st


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--outputs", type=int, default=2850)
    p.add_argument("--n", type=int, default=1024)
    p.add_argument("--d", type=int, default=6)
    p.add_argument("--boot", type=int, default=100)
    p.add_argument("--seed", type=int, default=20261130)
    args = p.parse_args()
    ya, yb, yab = make_outputs(args.n, args.d, args.outputs, args.seed)
    print(
        f"outputs={args.outputs}  N={args.n}  d={args.d}  runs/output={args.n * (args.d + 2)}"
        f"  bootstrap resamples={args.boot}"
        f"  OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}"
    )
    warnings.simplefilter("ignore")

    def ours_boot() -> Any:
        return sobol_indices(ya, yb, yab, n_boot=args.boot, seed=args.seed, ci_method="normal")

    ours_nb, t_ours_nb = timed(lambda: sobol_indices(ya, yb, yab), repeat=3)
    (s1_nb, st_nb), t_sa_nb = timed(lambda: salib_estimators_loop(ya, yb, yab))
    ours_b, t_ours_b = timed(ours_boot, repeat=3)
    (s1_b, st_b), t_sa_b = timed(lambda: salib_loop(ya, yb, yab, args.boot, args.seed))

    # memory: SALib's peak does not grow with the loop (each call frees), so
    # it is traced on the first 50 outputs to keep the run short
    k = min(50, args.outputs)
    m_ours_nb = peak_mib(lambda: sobol_indices(ya, yb, yab))
    m_ours_b = peak_mib(ours_boot)
    m_sa_nb = peak_mib(lambda: salib_estimators_loop(ya[:, :k], yb[:, :k], yab[..., :k]))
    m_sa_b = peak_mib(lambda: salib_loop(ya[:, :k], yb[:, :k], yab[..., :k], args.boot, args.seed))
    inputs_mib = (ya.nbytes + yb.nbytes + yab.nbytes) / 2**20
    print(f"input outputs arrays: {inputs_mib:.1f} MiB (not counted in the peaks)")

    def row(label: str, t_o: float, m_o: float, t_s: float, m_s: float) -> None:
        print(
            f"{label:<22} ours {t_o:8.3f} s  peak {m_o:8.1f} MiB | SALib loop {t_s:8.3f} s  "
            f"peak {m_s:8.1f} MiB | speed-up {t_s / t_o:7.1f}x"
        )

    row("without bootstrap", t_ours_nb, m_ours_nb, t_sa_nb, m_sa_nb)
    row(f"bootstrap ({args.boot})", t_ours_b, m_ours_b, t_sa_b, m_sa_b)
    diff = max(
        np.abs(ours_b.first - s1_b).max(),
        np.abs(ours_b.total - st_b).max(),
        np.abs(ours_nb.first - s1_nb).max(),
        np.abs(ours_nb.total - st_nb).max(),
    )
    print(f"max |ours - SALib| over S1 and ST: {diff:.2e}")


if __name__ == "__main__":
    main()
