"""Variance-based global sensitivity analysis (全局敏感性分析) of an evaluation:
:func:`sensitivity` and :class:`SensitivityResult`.

The ``N(d + 2)`` rows of a Saltelli design run on the engine
(:mod:`.engine`, base rows per chunk); the estimators are those of
:mod:`.estimators` (Saltelli 2010 first order, Jansen 1999 total), applied
to COINr's summary output and to every unit's rank and score at once.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..evaluate import evaluate
from ..inputs.data import UnitData
from ..methodology import Methodology
from ..methods._packed_rank import packed_ranks
from ..table import Table
from . import engine as _eng
from .context import EngineContext, MemoryBudgetError
from .estimators import sobol_indices
from .execution import (
    RunOptions,
    as_methodology,
    as_space,
    check_n,
    check_seed,
    chunk_rows,
    mib,
    run_options,
)
from .executors import run_tasks
from .indices import SobolIndices
from .progress import TqdmProgress, progress_callback
from .quantiles import sorted_quantiles
from .rows import compute_rows
from .space import UncertaintySpace
from .uniforms import sa_rows

__all__ = ["SaChunk", "SensitivityResult", "sa_chunk", "sensitivity"]

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
I32 = NDArray[np.int32]


@dataclass(frozen=True)
class SaChunk:
    """Outputs of the Saltelli-design runs of base rows ``[start, stop)``."""

    start: int
    stop: int
    scores: F64 | None
    """``(d + 2, m, n_units)`` index scores, blocks ``[A, B, AB_1..]`` (None when
    written in place, see :func:`sa_chunk`)."""
    ranks: I32
    """``(d + 2, m, n_units)`` ranks (1 = best, ties "min"); 0 where the score is NaN."""
    has_nan: bool
    """Whether some score is NaN (then some rank is 0)."""
    shift: F64
    """``(d + 2, m)`` COINr's target of every run: mean over units of
    ``|rank − nominal rank|`` (units where either is NaN left out)."""


def sa_chunk(ctx: EngineContext, task: tuple[str, int, int],
             scores_out: F64 | None = None) -> SaChunk:
    """One task ``("sa", start, stop)``: the ``(d + 2)·m`` runs of base rows
    ``[start, stop)`` — their scores, ranks and mean absolute rank shift.

    ``scores_out``: the ``(d + 2, N, n_units)`` score array of the whole run,
    when the task runs in the caller's process (serially or on a thread pool):
    the scores are then written into ``scores_out[:, start:stop]`` directly,
    not returned and copied.

    Ranks are the packed-key ranks of :func:`~xiangcun_eval.methods.rank.rank_desc`
    kept as integers.  The shift is summed in integers (exact, so the value is
    the float64 ``nanmean`` of ``|rank − nominal|`` bit for bit, whatever the
    order of summation) and divided once by the number of units counted.
    """
    _, start, stop = task
    u = sa_rows(ctx, start, stop)
    d2 = ctx.n_factors + 2
    m = stop - start
    base = np.arange(start, stop, dtype=np.int64)
    slots = np.concatenate([(np.int64(b) << 40) + base for b in range(d2)])
    dest = None if scores_out is None else scores_out[:, start:stop]
    index, _ = compute_rows(ctx, u, slots=slots, out=dest)
    ranks: I32 = packed_ranks(index, descending=True).astype(np.int32, copy=False)
    nan = np.isnan(index).reshape(ranks.shape)
    has_nan = bool(nan.any())
    if has_nan:
        ranks[nan] = 0
    nominal = ctx.nominal_rank
    nom_ok = ~np.isnan(nominal)
    dev = ranks - np.where(nom_ok, nominal, 0.0).astype(np.int32)
    np.abs(dev, out=dev)
    count: Any = ctx.n_units
    if has_nan or not nom_ok.all():
        ok = nom_ok & ~nan
        dev *= ok
        count = np.count_nonzero(ok, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift: F64 = dev.sum(axis=1, dtype=np.int64) / count
    shape = (d2, m, ctx.n_units)
    return SaChunk(start, stop, None if dest is not None else index.reshape(shape),
                   ranks.reshape(shape), has_nan, shift.reshape(d2, m))


def _rank_stats(ab: F32, any_nan: bool, nominal: F64) -> dict[str, F64]:
    """COINr's ``RankStats`` of the ``A`` and ``B`` runs ``ab`` ``(2N, n_units)``:
    the float64 values ``nanmean`` and ``quantile`` (or ``nanquantile``) give.

    Ranks are whole numbers, so sums in float64 are exact in any order; the
    5/50/95 % quantiles come from one sort per unit of contiguous float32 ranks
    (:func:`~xiangcun_eval.sensitivity.quantiles.sorted_quantiles`, numpy's
    rule and arithmetic).
    """
    qs = [0.5, 0.05, 0.95]
    if any_nan:
        ok = ~np.isnan(ab)
        mean = np.where(ok, ab, 0.0).sum(axis=0, dtype=np.float64) / np.count_nonzero(ok, axis=0)
        q = np.nanquantile(ab.astype(np.float64), qs, axis=0)
    else:
        mean = ab.sum(axis=0, dtype=np.float64) / ab.shape[0]
        srt = np.array(ab.T, order="C")
        srt.sort(axis=-1)
        q = sorted_quantiles(srt, qs)
    return {"nominal": np.asarray(nominal), "mean": mean, "median": q[0], "q5": q[1],
            "q95": q[2]}


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Variance-based sensitivity analysis (Sobol' indices) of every factor.

    Attributes
    ----------
    factor_names
        One per factor (axis 0 of every index array).
    summary
        Indices of COINr's target: the mean absolute rank change against the
        nominal ranks (:class:`~xiangcun_eval.sensitivity.estimators.SobolIndices`,
        ``first``/``total`` of shape ``(d,)``, with bootstrap intervals).
    rank, score
        Indices of every unit's rank and score, ``(d, n_units)``.
    rank_stats
        COINr's ``RankStats`` from the ``A`` and ``B`` runs: ``nominal``,
        ``mean``, ``median``, ``q5``, ``q95`` per unit.
    n_base, n_runs
        ``N`` and ``N(d + 2)``.
    scores, ranks
        ``(d + 2, N, n_units)`` outputs in Saltelli block order ``[A, B, AB_1..]``
        when ``keep_outputs=True``.
    """

    units: tuple[str, ...]
    names: tuple[str, ...]
    factor_names: tuple[str, ...]
    summary: SobolIndices
    rank: SobolIndices
    score: SobolIndices
    rank_stats: dict[str, F64]
    n_base: int
    n_runs: int
    space: UncertaintySpace
    methodology: Methodology
    seed: int
    elapsed: float = 0.0
    summary_output: F64 | None = field(default=None, repr=False)
    scores: F64 | None = field(default=None, repr=False)
    ranks: F64 | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"SensitivityResult(factors={list(self.factor_names)}, N={self.n_base}, "
                f"runs={self.n_runs}, units={len(self.units)})")

    def table(self) -> Table:
        """Sobol' indices of the mean absolute rank change, one row per factor."""
        s = self.summary
        cols: dict[str, Any] = {
            "因素 factor": self.factor_names, "一阶指数 S1": s.first, "总效应指数 ST": s.total,
            "交互作用 ST−S1": s.total - s.first}
        if s.first_conf is not None and s.total_conf is not None:
            cols["S1 下限 low"], cols["S1 上限 high"] = s.first_conf[0], s.first_conf[1]
            cols["ST 下限 low"], cols["ST 上限 high"] = s.total_conf[0], s.total_conf[1]
        return Table.from_columns(
            cols, title=f"敏感性分析（平均排名变动）/ sensitivity of the mean |Δrank| "
                        f"(N = {self.n_base}, {self.n_runs} runs)")

    def unit_table(self, output: Literal["rank", "score"] = "rank") -> Table:
        """Per-unit first-order and total indices of each factor for ``output``."""
        s = self.rank if output == "rank" else self.score
        cols: dict[str, Any] = {"代码 code": self.units, "名称 name": self.names,
                                          "名义排名 nominal rank": self.rank_stats["nominal"]}
        for i, f in enumerate(self.factor_names):
            cols[f"S1 {f}"] = s.first[i]
            cols[f"ST {f}"] = s.total[i]
        what = "排名 rank" if output == "rank" else "得分 score"
        return Table.from_columns(
            cols, title=f"各单元敏感性指数 / per-unit Sobol' indices ({what})")


def sensitivity(
    data: UnitData,
    methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path,
    *,
    n: int,
    seed: int,
    n_boot: int = 1000,
    n_boot_units: int = 0,
    confidence: float = 0.95,
    ddof: int = 0,
    center: Literal["all", "ab", "none"] = "all",
    keep_outputs: bool = False,
    run: RunOptions | None = None,
    **deprecated: Any,
) -> SensitivityResult:
    """Global sensitivity analysis (全局敏感性分析): Sobol' indices of every factor.

    Runs the ``N(d + 2)`` rows of a Saltelli (2010) design built from a
    scrambled Sobol' sequence (``d`` = number of factors; a factor with
    several uniforms, e.g. weight noise, moves as a group) and estimates

    .. math::
        S_i = \\frac{\\overline{y_B (y_{AB_i} - y_A)}}{V},\\qquad
        S_{Ti} = \\frac{\\overline{(y_A - y_{AB_i})^2}}{2V},\\qquad
        V = \\operatorname{var}[y_A; y_B]

    (Saltelli et al. 2010; Jansen 1999) for (a) ``y`` = mean over units of
    ``|rank − nominal rank|`` (COINr's target), with ``n_boot`` bootstrap
    resamples, and (b) every unit's rank and score at once (``n_boot_units``
    resamples, default none).

    Parameters
    ----------
    n
        Base sample size ``N`` (a power of 2; a warning otherwise).
    ddof, center
        Estimator options (see :func:`~xiangcun_eval.sensitivity.estimators.sobol_indices`);
        COINr uses ``ddof=1, center="none"``.
    keep_outputs
        Keep the raw outputs ``(d + 2, N, n_units)``.
    run
        Execution settings (:class:`~xiangcun_eval.RunOptions`: executor,
        memory budget, chunk size, progress); none changes a number.
    **deprecated
        ``executor=``, ``memory_budget=``, ``chunk_size=``, ``progress=`` as
        before 0.2 (DeprecationWarning; use ``run=RunOptions(...)``).
    Others
        As :func:`uncertainty`.

    Returns
    -------
    SensitivityResult
    """
    t0 = time.perf_counter()
    settings = run_options(run, deprecated, "sensitivity")
    memory_budget = settings.budget
    m = as_methodology(methodology)
    sp = as_space(space)
    n = check_n(n)
    seed = check_seed(seed)
    if n & (n - 1):
        warnings.warn(
            f"N = {n} 不是 2 的幂 / N = {n} is not a power of 2: Sobol' points lose their balance",
            UserWarning, stacklevel=2)
    nominal = evaluate(data, m)
    nu = data.n_units
    ctx = _eng.build_context(
        data, m, sp, seed=seed, sampling="sobol", nominal_index=nominal.index,
        nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0], keep=True)
    d = ctx.n_factors
    fixed = n * (d + 2) * nu * 16 * 2
    if fixed > memory_budget:
        raise MemoryBudgetError(
            f"敏感性分析输出需要约 {mib(fixed)}，超过内存预算 {mib(memory_budget)} / the "
            f"sensitivity outputs ({n}·{d + 2} runs × {nu} units, scores and ranks, plus estimator "
            f"work space) need about {mib(fixed)}, more than memory_budget = "
            f"{mib(memory_budget)}: lower N or raise the budget")
    chunk, _estimate = chunk_rows(ctx, settings.executor, memory_budget, fixed,
                                  settings.chunk_size, d + 2)
    tasks = [("sa", s, min(s + chunk, n)) for s in range(0, n, chunk)]
    sizes = [(t[2] - t[1]) * (d + 2) for t in tasks]
    scores = np.empty((d + 2, n, nu))
    # ranks are whole numbers <= n_units: float32 holds them exactly (below 2**24), in
    # half the memory; the estimators turn them into float64 block by block
    ranks = np.empty((d + 2, n, nu), dtype=np.float32 if nu < 2**24 else np.float64)
    y = np.empty((d + 2, n))  # COINr's target, per run: mean |rank − nominal rank|
    any_nan = [False, False]  # some NaN rank at all; in the A or B runs

    def put(i: int, r: SaChunk) -> None:
        if r.scores is not None:
            scores[:, r.start : r.stop] = r.scores
        rk = ranks[:, r.start : r.stop]
        rk[...] = r.ranks
        if r.has_nan:
            rk[r.ranks == 0] = np.nan
            any_nan[0] = True
            any_nan[1] = any_nan[1] or bool((r.ranks[:2] == 0).any())
        y[:, r.start : r.stop] = r.shift

    bar = progress_callback(settings.progress, "敏感性分析 / sensitivity", unit="run")
    try:
        # in this process (serial, threads) the chunks write their scores in place;
        # process pools and Dask send them back
        in_place = settings.executor is None or isinstance(settings.executor,
                                                           cf.ThreadPoolExecutor)
        task_fn = functools.partial(sa_chunk, scores_out=scores) if in_place else sa_chunk
        run_tasks(task_fn, ctx, tasks, sizes, put, executor=settings.executor, progress=bar,
                  blas_threads=settings.blas_threads)
    finally:
        if isinstance(bar, TqdmProgress):
            bar.close()
    names = tuple(a.name for a in ctx.atoms)
    boot_seed = np.random.SeedSequence(seed, spawn_key=(0xB007,))
    opts: dict[str, Any] = dict(factor_names=names, ddof=ddof, center=center,
                                confidence=confidence)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        summ = sobol_indices(y[0], y[1], y[2:], n_boot=n_boot, seed=boot_seed, **opts)
        rk = sobol_indices(ranks[0], ranks[1], ranks[2:], n_boot=n_boot_units, seed=boot_seed,
                           **opts)
        sc = sobol_indices(scores[0], scores[1], scores[2:], n_boot=n_boot_units, seed=boot_seed,
                           **opts)
        stats = _rank_stats(ranks[:2].reshape(2 * n, nu), any_nan[1], nominal.rank)
    return SensitivityResult(
        units=nominal.units, names=nominal.data.names, factor_names=names, summary=summ, rank=rk,
        score=sc, rank_stats=stats, n_base=n, n_runs=n * (d + 2), space=sp, methodology=m,
        seed=seed, elapsed=time.perf_counter() - t0, summary_output=y,
        scores=scores if keep_outputs else None,
        ranks=ranks.astype(np.float64) if keep_outputs else None)

