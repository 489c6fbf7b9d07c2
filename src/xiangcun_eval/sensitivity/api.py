"""Uncertainty and sensitivity analysis of an evaluation (不确定性与敏感性分析).

Public entry points:

* :func:`uncertainty` — Monte Carlo uncertainty analysis: per unit the
  nominal rank, mean / median / quantiles of rank and score, grade and
  top-k probabilities, mean absolute rank shift; for the whole set the
  distribution of rank shifts (:class:`UncertaintyResult`).
* :func:`sensitivity` — variance-based global sensitivity analysis on a
  Saltelli design: first-order (Saltelli 2010) and total (Jansen 1999) Sobol'
  indices with bootstrap intervals of every factor, for COINr's summary
  output (mean absolute rank change against the nominal ranks) and for every
  unit's rank and score (:class:`SensitivityResult`).
* :func:`one_at_a_time` — each factor moved alone (:class:`OATResult`).
* :func:`leave_one_out` — each indicator or group removed in turn (COINr's
  ``remove_elements``; :class:`LeaveOneOutResult`).
* :func:`replay` — the methodology (and data) of any replicate, to check it
  with :func:`~xiangcun_eval.evaluate`.

See ``docs/uncertainty.md`` for the user guide, and
:mod:`xiangcun_eval.sensitivity.engine` for the computation and the
randomness scheme.

References
----------
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity
analysis techniques as tools for the quality assessment of composite
indicators. *J. R. Stat. Soc. A* 168(2), 307-323.

Saltelli, A. et al. (2010). *Comput. Phys. Commun.* 181, 259-270.

Jansen, M. J. W. (1999). *Comput. Phys. Commun.* 117, 35-43.

OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 7.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..evaluate import aggregate_tree, evaluate, level_plans, normalise_within, preprocess
from ..inputs.data import UnitData
from ..methodology import Methodology
from ..methods import rank as _rank
from ..results import Evaluation
from ..table import Table
from . import engine as _eng
from .engine import BLOCK, EngineContext, MemoryBudgetError, RowsResult, StreamPartial
from .estimators import SobolIndices, sobol_indices
from .executors import AnalysisInterrupted, n_workers, run_tasks
from .space import ParameterRange, UncertaintySpace, WeightDirichlet, WeightNoise

__all__ = [
    "AnalysisInterrupted",
    "LeaveOneOutResult",
    "MemoryBudgetError",
    "OATResult",
    "SensitivityResult",
    "UncertaintyResult",
    "leave_one_out",
    "one_at_a_time",
    "replay",
    "sensitivity",
    "uncertainty",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
ProgressFn = Callable[[int, int], None]

DEFAULT_BUDGET = 1 << 30
"""Default memory budget: 1 GiB."""


# --------------------------------------------------------------------------- helpers
def _as_methodology(m: Methodology | str | Path | None) -> Methodology:
    if m is None:
        return Methodology()
    if isinstance(m, str | Path):
        return Methodology.from_toml(m)
    return m


def _as_space(s: UncertaintySpace | str | Path) -> UncertaintySpace:
    if isinstance(s, UncertaintySpace):
        return s
    return UncertaintySpace.from_toml(s)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise MethodError(
            f"seed 须为非负整数 / seed must be a non-negative int (for reproducible chunked runs), "
            f"got {seed!r}")
    return int(seed)


def _check_n(n: object, name: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or int(n) < 1:
        raise MethodError(f"{name} 须为正整数 / {name} must be a positive int, got {n!r}")
    return int(n)


def _mib(b: float) -> str:
    return f"{b / 2**20:,.1f} MiB"


def _chunk_rows(ctx: EngineContext, executor: Any, budget: int, fixed: int, chunk_size: int | None,
                rows_per_unit: int) -> int:
    """Rows (base rows for SA) per chunk: from the budget unless given; a multiple of BLOCK."""
    per_row = _eng.bytes_per_row(ctx) * rows_per_unit
    inflight = 1 if executor is None else 2 * n_workers(executor)
    if chunk_size is not None:
        c = _check_n(chunk_size, "chunk_size")
        return max(BLOCK, -(-c // BLOCK) * BLOCK)
    avail = budget - fixed
    c = avail // max(1, inflight * per_row)
    # cache-friendly: about 24 MiB per (rows × units) float array (measured best on
    # 2,850 units; larger chunks only add memory traffic)
    c_cache = max(BLOCK, (24 * 2**20 // (8 * ctx.n_units * rows_per_unit)) // BLOCK * BLOCK)
    if c < BLOCK:
        need = fixed + inflight * per_row * BLOCK
        raise MemoryBudgetError(
            f"内存预算不足 / the memory budget ({_mib(budget)}) is too small: one chunk of {BLOCK} "
            f"replicates × {inflight} in flight needs about {_mib(need)} "
            f"({_mib(per_row)} per replicate, {_mib(fixed)} for results); raise memory_budget")
    return int(min(c // BLOCK * BLOCK, c_cache, 1 << 16))


def _hist_quantiles(hist: NDArray[Any], qs: Sequence[float],
                    value: Callable[[NDArray[np.intp]], F64]) -> F64:
    """Type-7 quantiles (R's default, COINr) per row of a histogram ``(n_units, bins)``;
    ``value(k)`` = representative value of bin ``k`` (its rank, or its centre)."""
    rows, bins = hist.shape
    cum = np.cumsum(hist, axis=1, dtype=np.int64)
    n = cum[:, -1].copy() if bins else np.zeros(rows, dtype=np.int64)
    out = np.full((len(qs), rows), np.nan)
    ok = n > 0
    # first bin with cum > v, per row, by one binary search over all rows: row r's
    # counts shifted by r·(max n + 1) make the flattened array non-decreasing
    stride = int(n.max(initial=0)) + 1
    base = np.arange(rows, dtype=np.int64) * stride
    flat = (cum + base[:, None]).ravel()
    first = np.arange(rows, dtype=np.int64) * bins

    def first_above(v: NDArray[np.int64]) -> NDArray[np.intp]:
        k = np.searchsorted(flat, base + v, side="right") - first
        k[k >= bins] = 0  # no bin above v: argmax of all-False
        res: NDArray[np.intp] = k.astype(np.intp)
        return res

    for i, q in enumerate(qs):
        pos = (n - 1) * q
        lo = np.floor(pos).astype(np.int64)
        frac = pos - lo
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        k1 = first_above(lo)
        k2 = first_above(hi)
        v1, v2 = value(k1), value(k2)
        out[i] = np.where(ok, v1 + frac * (v2 - v1), np.nan)
    return out


def _qname(q: float) -> str:
    return f"q{q * 100:g}"


# --------------------------------------------------------------------------- UA result
@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Uncertainty analysis of the ranks and scores of every unit.

    Arrays are per unit (``n_units``) unless stated.  Ranks: 1 = best.

    Attributes
    ----------
    units, names
        Unit codes and names.
    nominal_score, nominal_rank
        Index score and rank of the nominal evaluation.
    score_mean, score_sd, rank_mean, rank_sd, rank_median, score_median
        Over the replicates in which the unit has a score.
    quantiles
        The probabilities of ``rank_quantiles`` / ``score_quantiles`` rows.
    rank_quantiles, score_quantiles
        ``(len(quantiles), n_units)``, type 7 (R's default, as COINr).
        Exact when replicates are kept or ``n_units <= rank_resolution``
        bins; otherwise from per-unit histograms with the stated resolution.
    rank_resolution, score_resolution
        Width of a histogram bin (1.0 = exact for ranks; 0.0 = exact for
        scores, i.e. replicates kept).
    grade_labels, grade_prob
        Grade labels (bilingual) and ``(n_units, n_grades)`` probabilities.
    top_k, top_prob
        ``top_prob[i]`` = probability of rank ``<= top_k[i]`` (``(len(top_k), n_units)``).
    mean_abs_shift
        Mean ``|rank − nominal rank|`` per unit.
    replicate_shift
        ``(n_done,)``: mean ``|rank − nominal rank|`` over units, per replicate
        (the distribution of rank shifts for the whole set; COINr's SA target).
    scores, ranks
        ``(n_done, n_units)`` raw replicates when ``keep_replicates=True``.
    n, n_done, partial
        Replicates requested and completed; ``partial`` when interrupted.
    factor_names, space, methodology, seed, sampling, elapsed, score_clipped
        What produced the result; ``score_clipped`` counts scores outside the
        histogram range (then the score quantiles are clipped there).
    """

    units: tuple[str, ...]
    names: tuple[str, ...]
    nominal_score: F64
    nominal_rank: F64
    score_mean: F64
    score_sd: F64
    score_median: F64
    rank_mean: F64
    rank_sd: F64
    rank_median: F64
    quantiles: tuple[float, ...]
    rank_quantiles: F64
    score_quantiles: F64
    rank_resolution: float
    score_resolution: float
    grade_labels: tuple[str, ...]
    grade_prob: F64
    top_k: tuple[int, ...]
    top_prob: F64
    mean_abs_shift: F64
    replicate_shift: F64
    n: int
    n_done: int
    factor_names: tuple[str, ...]
    space: UncertaintySpace
    methodology: Methodology
    seed: int
    sampling: str
    elapsed: float = 0.0
    score_clipped: int = 0
    partial: bool = False
    scores: F64 | None = field(default=None, repr=False)
    ranks: F64 | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"UncertaintyResult(units={len(self.units)}, n={self.n_done}/{self.n}, "
                f"factors={list(self.factor_names)}, partial={self.partial})")

    def table(self, *, order_by: Literal["nominal", "median"] = "nominal") -> Table:
        """Per-unit table (bilingual headers), ordered by nominal or median rank."""
        key = self.nominal_rank if order_by == "nominal" else self.rank_median
        order = np.lexsort((np.arange(key.size), np.where(np.isnan(key), np.inf, key)))
        cols: dict[str, Any] = {
            "代码 code": [self.units[i] for i in order],
            "名称 name": [self.names[i] for i in order],
            "名义排名 nominal rank": self.nominal_rank[order],
            "排名中位数 median rank": self.rank_median[order],
            "排名均值 mean rank": self.rank_mean[order],
        }
        for q, row in zip(self.quantiles, self.rank_quantiles, strict=True):
            cols[f"排名{q * 100:g}%分位 rank {_qname(q)}"] = row[order]
        cols["平均排名变动 mean |Δrank|"] = self.mean_abs_shift[order]
        cols["名义得分 nominal score"] = self.nominal_score[order]
        cols["得分均值 mean score"] = self.score_mean[order]
        for q, row in zip(self.quantiles, self.score_quantiles, strict=True):
            cols[f"得分{q * 100:g}%分位 score {_qname(q)}"] = row[order]
        for k, row in zip(self.top_k, self.top_prob, strict=True):
            cols[f"前{k}名概率 P(top {k})"] = row[order]
        for g, lab in enumerate(self.grade_labels):
            cols[f"P({lab})"] = self.grade_prob[order, g]
        flag = "（部分结果 / PARTIAL）" if self.partial else ""
        return Table.from_columns(
            cols, title=f"不确定性分析 / uncertainty analysis: {self.n_done} replicates{flag}")

    def shift_summary(self) -> dict[str, float]:
        """Distribution of the per-replicate mean absolute rank shift."""
        x = self.replicate_shift[np.isfinite(self.replicate_shift)]
        if x.size == 0:
            return {"mean": math.nan, "median": math.nan, "q5": math.nan, "q95": math.nan,
                    "max": math.nan}
        q5, med, q95 = np.quantile(x, [0.05, 0.5, 0.95])
        return {"mean": float(x.mean()), "median": float(med), "q5": float(q5), "q95": float(q95),
                "max": float(x.max())}


def _ua_fixed_bytes(nu: int, rank_bins: int, score_bins: int, n: int, keep: bool) -> int:
    acc = nu * (rank_bins + score_bins) * 8 + nu * 200 + n * 8
    return acc + (n * nu * 16 if keep else 0)


def uncertainty(
    data: UnitData,
    methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path,
    *,
    n: int,
    seed: int,
    executor: Any = None,
    sampling: Literal["random", "sobol"] = "random",
    quantiles: Sequence[float] = (0.05, 0.95),
    top_k: Sequence[int] = (10,),
    keep_replicates: bool = False,
    memory_budget: int = DEFAULT_BUDGET,
    chunk_size: int | None = None,
    rank_bins: int | None = None,
    score_bins: int = 256,
    progress: ProgressFn | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis (不确定性分析) of ranks and scores.

    Each replicate draws every factor of ``space`` (from one uniform vector
    per replicate, see :mod:`~xiangcun_eval.sensitivity.engine`) and scores
    every unit exactly as :func:`~xiangcun_eval.evaluate` would with that
    methodology and those weights.

    Parameters
    ----------
    data, methodology
        As for :func:`~xiangcun_eval.evaluate`; the methodology is the
        *nominal* one (ranks shifts are measured against it).
    space
        An :class:`UncertaintySpace` or a TOML path / text.
    n
        Number of replicates.
    seed
        Non-negative int; results depend on nothing else (not on the
        executor, the number of workers or the chunk size).
    executor
        None (this process), any ``concurrent.futures.Executor``, or a
        ``dask.distributed.Client`` (extra ``dask``).
    sampling
        ``"random"`` (Philox, counter-based; default) or ``"sobol"``
        (scrambled Sobol' points; use a power of 2 for ``n``).
    quantiles, top_k
        Quantile probabilities (default 5 % and 95 %) and top-k cut-offs.
    keep_replicates
        Keep the raw ``(n, n_units)`` score and rank arrays (exact quantiles);
        refused when they do not fit in ``memory_budget``.
    memory_budget
        Bytes (default 1 GiB); the chunk size is derived from it.
    chunk_size
        Replicates per chunk (rounded up to a multiple of 16); overrides the
        budget-derived size.
    rank_bins, score_bins
        Histogram bins per unit for streamed quantiles.  ``rank_bins=None``:
        one bin per rank (exact) when it fits in an eighth of the budget.
    progress
        ``progress(done, total)`` after each chunk.  A KeyboardInterrupt
        (Ctrl-C, or raised by the callback) cancels pending chunks and raises
        :class:`AnalysisInterrupted` whose ``partial`` holds the result over
        the leading replicates that completed (flagged ``partial=True``).

    Returns
    -------
    UncertaintyResult

    Raises
    ------
    MethodError
        Invalid space, or invalid method combinations (before running).
    MemoryBudgetError
        ``keep_replicates`` or one chunk would exceed ``memory_budget``.
    """
    t0 = time.perf_counter()
    m = _as_methodology(methodology)
    sp = _as_space(space)
    n = _check_n(n)
    seed = _check_seed(seed)
    qs = tuple(float(q) for q in quantiles)
    if any(not 0.0 <= q <= 1.0 for q in qs):
        raise MethodError(f"分位数须在 [0, 1] / quantiles must lie in [0, 1]: {qs}")
    if sampling not in ("random", "sobol"):
        raise MethodError(f"sampling 须为 'random' 或 'sobol' / unknown sampling {sampling!r}")
    nominal = evaluate(data, m)
    nu = data.n_units
    if rank_bins is None:
        rank_bins = nu if nu * nu * 16 <= memory_budget // 8 else max(
            16, min(nu, memory_budget // 8 // (16 * nu)))
    rank_bins = max(1, min(int(rank_bins), nu))
    score_bins = max(2, min(int(score_bins), max(16, memory_budget // 8 // (16 * nu))))
    fixed = _ua_fixed_bytes(nu, rank_bins, score_bins, n, keep_replicates)
    if keep_replicates and fixed > memory_budget:
        raise MemoryBudgetError(
            f"保留全部重复需要约 {_mib(fixed)}，超过内存预算 {_mib(memory_budget)} / keeping the "
            f"raw replicates needs about {_mib(fixed)} ({n} × {nu} scores and ranks), more than "
            f"memory_budget = {_mib(memory_budget)}: raise the budget or use keep_replicates=False "
            "(streaming accumulators, memory independent of n)")
    ctx = _eng.build_context(
        data, m, sp, seed=seed, sampling=sampling, nominal_index=nominal.index,
        nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0], top_k=top_k,
        rank_bins=rank_bins, score_bins=score_bins, keep=keep_replicates)
    chunk = _chunk_rows(ctx, executor, memory_budget, fixed, chunk_size, 1)
    tasks = [("ua", s, min(s + chunk, n)) for s in range(0, n, chunk)]
    sizes = [t[2] - t[1] for t in tasks]
    acc = _UAAccumulator(ctx, n, keep_replicates)
    try:
        run_tasks(_eng.run_chunk, ctx, tasks, sizes, acc.add, executor=executor, progress=progress)
    except AnalysisInterrupted as exc:
        partial = acc.result(nominal, qs, time.perf_counter() - t0, partial=True) \
            if acc.n_done > 0 else None
        raise AnalysisInterrupted(exc.done, exc.total, partial) from None
    return acc.result(nominal, qs, time.perf_counter() - t0, partial=False)


class _UAAccumulator:
    """Combines chunk results in row order (bitwise independent of chunking)."""

    def __init__(self, ctx: EngineContext, n: int, keep: bool) -> None:
        self.ctx, self.n, self.keep = ctx, n, keep
        nu = ctx.n_units
        self.pending: dict[int, Any] = {}
        self.next_start = 0
        self.n_done = 0
        self.row_shift = np.full(n, np.nan)
        if keep:
            self.scores = np.full((n, nu), np.nan)
            self.ranks = np.full((n, nu), np.nan)
            return
        ng = len(ctx.grading.thresholds) + 2
        z = np.zeros(nu, dtype=np.int64)
        self.s1 = np.zeros(nu)
        self.s2 = np.zeros(nu)
        self.ints: dict[str, NDArray[Any]] = {
            k: z.copy()
            for k in ("n_score", "rank_sum", "rank_sq", "n_rank", "shift_sum", "n_shift")}
        self.ints["grade_counts"] = np.zeros((nu, ng), dtype=np.int64)
        self.ints["top_counts"] = np.zeros((len(ctx.top_k), nu), dtype=np.int64)
        self.ints["rank_hist"] = np.zeros((nu, ctx.rank_bins), dtype=np.int64)
        self.ints["score_hist"] = np.zeros((nu, ctx.score_bins), dtype=np.int64)
        self.clipped = 0

    def add(self, i: int, res: RowsResult | StreamPartial) -> None:
        self.pending[res.start] = res
        while self.next_start in self.pending:
            r = self.pending.pop(self.next_start)
            self._merge(r)
            self.next_start = r.stop
            self.n_done = r.stop

    def _merge(self, r: RowsResult | StreamPartial) -> None:
        if isinstance(r, RowsResult):
            self.scores[r.start : r.stop] = r.scores
            self.ranks[r.start : r.stop] = r.ranks
            nom = self.ctx.nominal_rank
            with np.errstate(invalid="ignore"):
                self.row_shift[r.start : r.stop] = np.nanmean(np.abs(r.ranks - nom), axis=1)
            return
        for b in range(r.s1.shape[0]):  # block order: independent of chunking
            self.s1 += r.s1[b]
            self.s2 += r.s2[b]
        for k, arr in self.ints.items():
            arr += getattr(r, k)
        self.clipped += r.score_clipped
        self.row_shift[r.start : r.stop] = r.row_shift

    def result(self, nominal: Evaluation, qs: tuple[float, ...], elapsed: float, *,
               partial: bool) -> UncertaintyResult:
        ctx = self.ctx
        nd = self.n_done
        nu = ctx.n_units
        g = ctx.grading
        labels = tuple(f"{z} / {e}" for z, e in zip(g.labels_zh, g.labels_en, strict=True))
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.keep:
                s, r = self.scores[:nd], self.ranks[:nd]
                pq = [0.5, *qs]
                sq = np.nanquantile(s, pq, axis=0) if nd else np.full((len(pq), nu), np.nan)
                rq = np.nanquantile(r, pq, axis=0) if nd else np.full((len(pq), nu), np.nan)
                codes = _eng.grades_of(s, g)
                gp = np.stack([(codes == k).sum(axis=0) for k in range(len(labels))], axis=1) / nd
                top = np.stack([(r <= k).sum(axis=0) for k in ctx.top_k]) / nd \
                    if ctx.top_k else np.zeros((0, nu))
                shift = np.abs(r - ctx.nominal_rank)
                fields: dict[str, Any] = dict(
                    score_mean=np.nanmean(s, axis=0), score_sd=np.nanstd(s, axis=0, ddof=1),
                    score_median=sq[0], rank_mean=np.nanmean(r, axis=0),
                    rank_sd=np.nanstd(r, axis=0, ddof=1), rank_median=rq[0],
                    rank_quantiles=rq[1:], score_quantiles=sq[1:], rank_resolution=1.0,
                    score_resolution=0.0, grade_prob=gp, top_prob=top,
                    mean_abs_shift=np.nanmean(shift, axis=0), scores=s, ranks=r, score_clipped=0)
            else:
                it = self.ints
                ns = it["n_score"].astype(np.float64)
                mean_dev = self.s1 / ns
                var = (self.s2 - self.s1 * mean_dev) / (ns - 1)
                nr = it["n_rank"].astype(np.float64)
                rs = it["rank_sum"].astype(np.float64)
                rvar = (it["rank_sq"].astype(np.float64) - rs * rs / nr) / (nr - 1)
                rb = ctx.rank_bins
                width = nu / rb

                def rank_val(k: NDArray[np.intp]) -> F64:
                    if rb >= nu:
                        return (k + 1).astype(np.float64)
                    lo = np.floor(k * width) + 1
                    hi = np.floor((k + 1) * width)
                    out: F64 = (lo + hi) / 2
                    return out

                span = ctx.score_hi - ctx.score_lo
                units = np.arange(nu)

                def score_val(k: NDArray[np.intp]) -> F64:
                    out: F64 = ctx.score_lo[units] + (k + 0.5) * span[units] / ctx.score_bins
                    return out

                pq = [0.5, *qs]
                rq = _hist_quantiles(it["rank_hist"], pq, rank_val)
                sq = _hist_quantiles(it["score_hist"], pq, score_val)
                fields = dict(
                    score_mean=ctx.nominal_index + mean_dev, score_sd=np.sqrt(np.maximum(var, 0)),
                    score_median=sq[0], rank_mean=rs / nr, rank_sd=np.sqrt(np.maximum(rvar, 0)),
                    rank_median=rq[0], rank_quantiles=rq[1:], score_quantiles=sq[1:],
                    rank_resolution=float(1.0 if rb >= nu else width),
                    score_resolution=float(np.nanmax(span) / ctx.score_bins) if nu else 0.0,
                    grade_prob=it["grade_counts"][:, 1:] / max(nd, 1),
                    top_prob=it["top_counts"] / max(nd, 1),
                    mean_abs_shift=it["shift_sum"] / it["n_shift"], score_clipped=self.clipped)
        return UncertaintyResult(
            units=nominal.units, names=nominal.data.names,
            nominal_score=np.asarray(nominal.index), nominal_rank=np.asarray(nominal.rank),
            quantiles=qs, grade_labels=labels, top_k=ctx.top_k,
            replicate_shift=self.row_shift[:nd].copy(), n=self.n, n_done=nd,
            factor_names=tuple(a.name for a in ctx.atoms), space=ctx.space,
            methodology=ctx.base, seed=ctx.seed, sampling=ctx.sampling, elapsed=elapsed,
            partial=partial, **fields)


# --------------------------------------------------------------------------- SA result
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
    executor: Any = None,
    n_boot: int = 1000,
    n_boot_units: int = 0,
    confidence: float = 0.95,
    ddof: int = 0,
    center: Literal["all", "ab", "none"] = "all",
    keep_outputs: bool = False,
    memory_budget: int = DEFAULT_BUDGET,
    chunk_size: int | None = None,
    progress: ProgressFn | None = None,
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
    Others
        As :func:`uncertainty`.

    Returns
    -------
    SensitivityResult
    """
    t0 = time.perf_counter()
    m = _as_methodology(methodology)
    sp = _as_space(space)
    n = _check_n(n)
    seed = _check_seed(seed)
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
            f"敏感性分析输出需要约 {_mib(fixed)}，超过内存预算 {_mib(memory_budget)} / the "
            f"sensitivity outputs ({n}·{d + 2} runs × {nu} units, scores and ranks, plus estimator "
            f"work space) need about {_mib(fixed)}, more than memory_budget = "
            f"{_mib(memory_budget)}: lower N or raise the budget")
    chunk = _chunk_rows(ctx, executor, memory_budget, fixed, chunk_size, d + 2)
    tasks = [("sa", s, min(s + chunk, n)) for s in range(0, n, chunk)]
    sizes = [(t[2] - t[1]) * (d + 2) for t in tasks]
    scores = np.empty((d + 2, n, nu))
    ranks = np.empty((d + 2, n, nu))

    def put(i: int, r: Any) -> None:
        scores[:, r.start : r.stop] = r.scores
        ranks[:, r.start : r.stop] = r.ranks

    run_tasks(_eng.run_chunk, ctx, tasks, sizes, put, executor=executor, progress=progress)
    with np.errstate(invalid="ignore"):
        y = np.nanmean(np.abs(ranks - ctx.nominal_rank), axis=-1)  # (d+2, N)
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
        ab = ranks[:2].reshape(2 * n, nu)
        q = np.nanquantile(ab, [0.5, 0.05, 0.95], axis=0)
        stats = {"nominal": np.asarray(nominal.rank), "mean": np.nanmean(ab, axis=0),
                 "median": q[0], "q5": q[1], "q95": q[2]}
    return SensitivityResult(
        units=nominal.units, names=nominal.data.names, factor_names=names, summary=summ, rank=rk,
        score=sc, rank_stats=stats, n_base=n, n_runs=n * (d + 2), space=sp, methodology=m,
        seed=seed, elapsed=time.perf_counter() - t0, summary_output=y,
        scores=scores if keep_outputs else None, ranks=ranks if keep_outputs else None)


# --------------------------------------------------------------------------- OAT / leave-out
@dataclass(frozen=True, eq=False)
class OATResult:
    """One-at-a-time variants: each factor moved alone from the nominal methodology.

    ``settings[i]`` describes variant ``i``; ``ranks[i]`` its ranks
    ``(n_units,)``; ``mean_abs_shift[i]`` and ``max_abs_shift[i]`` its rank
    shifts against the nominal ranks.
    """

    units: tuple[str, ...]
    factors: tuple[str, ...]
    settings: tuple[str, ...]
    ranks: F64
    scores: F64
    nominal_rank: F64
    mean_abs_shift: F64
    max_abs_shift: F64
    skipped: tuple[str, ...] = ()

    def table(self) -> Table:
        cols: dict[str, Any] = {
            "因素 factor": self.factors, "设定 setting": self.settings,
            "平均排名变动 mean |Δrank|": self.mean_abs_shift,
            "最大排名变动 max |Δrank|": self.max_abs_shift,
        }
        return Table.from_columns(cols, title="单因素敏感性 / one-at-a-time rank shifts")


def _shifts(ranks: F64, nominal: F64) -> tuple[F64, F64]:
    d = np.abs(ranks - nominal)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(d, axis=-1), np.nanmax(d, axis=-1)


def one_at_a_time(
    data: UnitData, methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path,
) -> OATResult:
    """Rank shifts when each factor is moved alone (others nominal).

    Discrete factors: every alternative; parameters: ``low``, ``high`` (or
    every value when quantised); weight noise: each weight in turn at
    ``w(1 − a)`` and ``w(1 + a)``; leave-out: every subset.  Dirichlet
    weights and data noise have no one-at-a-time analogue and are listed in
    ``skipped``.
    """
    m = _as_methodology(methodology)
    sp = _as_space(space)
    nominal = evaluate(data, m)
    fw = data.framework
    sp.check(fw, m)
    atoms = _eng.compile_space(sp, fw)
    pre = preprocess(data, m)
    plans = level_plans(fw, m)
    wnom = [w for w in nominal.weights]
    factors: list[str] = []
    settings: list[str] = []
    idx_rows: list[F64] = []
    skipped: list[str] = []
    for a in atoms:
        f = sp.factors[a.factor]
        if a.role in ("pre", "plans"):
            if isinstance(f, ParameterRange) and a.n_alt is None:
                values = [f.low, f.high]
            elif isinstance(f, ParameterRange):
                values = [f.value_of(k) for k in range(a.n_alt or 0)]
            else:
                values = [float(k) for k in range(a.n_alt or 0)]
            for v in values:
                mv = _eng.apply_setting(m, sp, a, v)
                ev = evaluate(data, mv)
                factors.append(a.name)
                settings.append(_eng.describe_setting(sp, a, v))
                idx_rows.append(np.asarray(ev.index))
        elif a.role == "mask":
            for j in range(a.n_alt or 0):
                ws = [normalise_within(w[None, :] * a.masks[li][j], p.membership, len(p.codes))
                      for li, (w, p) in enumerate(zip(wnom, plans, strict=True))]
                idx_rows.append(aggregate_tree(pre.normalised, plans, ws)[-1][0, :, 0])
                factors.append(a.name)
                settings.append(_eng.describe_setting(sp, a, float(j)))
        elif a.role == "weights" and isinstance(f, WeightNoise):
            for li, cols, _off in a.targets:
                plan = plans[li]
                r = 2 * cols.size
                w = np.array(np.broadcast_to(wnom[li], (r, wnom[li].size)))
                k = np.arange(cols.size)
                w[2 * k, cols] *= 1 - f.noise
                w[2 * k + 1, cols] *= 1 + f.noise
                ws = [np.broadcast_to(x, (r, x.size)) for x in wnom]
                ws[li] = normalise_within(w, plan.membership, len(plan.codes))
                idx_rows.append(aggregate_tree(pre.normalised, plans, ws)[-1][..., 0])
                for c in cols:
                    for sgn in ("−", "+"):
                        factors.append(a.name)
                        settings.append(f"w[{plan.child_codes[c]}] {sgn}{f.noise:g}")
        else:
            kind = "Dirichlet" if isinstance(f, WeightDirichlet) else "data noise"
            skipped.append(f"{a.name} ({kind})")
    index = (np.vstack([np.atleast_2d(x) for x in idx_rows]) if idx_rows
             else np.zeros((0, data.n_units)))
    ranks = _rank.rank_desc(index, axis=-1)
    mean, mx = _shifts(ranks, np.asarray(nominal.rank))
    return OATResult(units=data.units, factors=tuple(factors), settings=tuple(settings),
                     ranks=ranks, scores=index, nominal_rank=np.asarray(nominal.rank),
                     mean_abs_shift=mean, max_abs_shift=mx, skipped=tuple(skipped))


@dataclass(frozen=True, eq=False)
class LeaveOneOutResult:
    """Ranks with each element removed in turn (COINr ``remove_elements``).

    ``ranks[i]`` / ``scores[i]``: with ``codes[i]`` removed (weight 0);
    ``rank_diff[i] = ranks[i] − nominal``; ``mean_abs_shift[i]`` as COINr's
    ``MeanAbsDiff``.
    """

    units: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    ranks: F64
    scores: F64
    nominal_rank: F64
    mean_abs_shift: F64
    max_abs_shift: F64

    @property
    def rank_diff(self) -> F64:
        out: F64 = self.ranks - self.nominal_rank
        return out

    def table(self) -> Table:
        cols: dict[str, Any] = {
            "代码 code": self.codes, "名称 name": self.names,
            "平均排名变动 mean |Δrank|": self.mean_abs_shift,
            "最大排名变动 max |Δrank|": self.max_abs_shift,
        }
        return Table.from_columns(cols, title="逐一剔除 / leave-one-out rank shifts")


def leave_one_out(
    data: UnitData, methodology: Methodology | str | Path | None = None, *,
    level: int = 1, codes: Sequence[str] | None = None,
) -> LeaveOneOutResult:
    """Remove each indicator (``level=1``) or group (``level >= 2``), in turn.

    Removal sets the element's weight to 0 (so the other children of its
    group share its weight, renormalised), as COINr's ``remove_elements``;
    all removals are computed in one batched aggregation.
    """
    m = _as_methodology(methodology)
    fw = data.framework
    if not 1 <= level < fw.max_level:
        raise MethodError(
            f"层级须在 1..{fw.max_level - 1} / level must be in 1..{fw.max_level - 1}")
    level_codes = fw.level_codes(level)
    chosen = tuple(codes) if codes is not None else level_codes
    unknown = [c for c in chosen if c not in level_codes]
    if unknown:
        raise MethodError(f"第 {level} 层没有这些代码 / codes not at level {level}: {unknown}")
    nominal = evaluate(data, m)
    pre = nominal.preprocessed
    plans = nominal.plans
    li = level - 1
    r = len(chosen)
    ws = [np.broadcast_to(np.asarray(w), (r, w.size)) for w in nominal.weights]
    w = np.array(ws[li])
    for k, c in enumerate(chosen):
        w[k, level_codes.index(c)] = 0.0
    ws[li] = normalise_within(w, plans[li].membership, len(plans[li].codes))
    with np.errstate(invalid="ignore", divide="ignore"):
        index = aggregate_tree(pre.normalised, plans, ws)[-1][..., 0]
    ranks = _rank.rank_desc(index, axis=-1)
    mean, mx = _shifts(ranks, np.asarray(nominal.rank))
    return LeaveOneOutResult(units=data.units, codes=chosen,
                             names=tuple(fw[c].label for c in chosen),
                             ranks=ranks, scores=index, nominal_rank=np.asarray(nominal.rank),
                             mean_abs_shift=mean, max_abs_shift=mx)


# --------------------------------------------------------------------------- replay
def replay(
    data: UnitData, methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path, *, seed: int, rows: Sequence[int],
    analysis: Literal["uncertainty", "sensitivity"] = "uncertainty",
    sampling: Literal["random", "sobol"] = "random", n: int | None = None,
) -> list[tuple[Methodology, UnitData]]:
    """The methodology and data of replicates ``rows``, for :func:`~xiangcun_eval.evaluate`.

    Each methodology has the replicate's alternatives applied and *all* its
    weights (after noise and leave-out, normalised within groups) as
    ``weight_overrides`` with ``weights = "framework"``; the data carries the
    replicate's measurement noise if any.  ``evaluate(data_r, m_r)`` gives
    the replicate's scores (to rounding) and ranks.

    For ``analysis="sensitivity"`` the rows index the stacked Saltelli runs
    ``[A; B; AB_1; ...]`` of base size ``n``.
    """
    m = _as_methodology(methodology)
    sp = _as_space(space)
    seed = _check_seed(seed)
    nominal = evaluate(data, m)
    ctx = _eng.build_context(
        data, m, sp, seed=seed, sampling="sobol" if analysis == "sensitivity" else sampling,
        nominal_index=nominal.index, nominal_rank=nominal.rank,
        nominal_level1=nominal.level_scores[0], keep=True)
    rows_a = np.asarray(rows, dtype=np.intp)
    if analysis == "sensitivity":
        if n is None:
            raise MethodError("analysis='sensitivity' 需要 n / replay of a sensitivity run needs n")
        d2 = ctx.n_factors + 2
        blk, base = rows_a // n, rows_a % n
        u = np.stack([_eng.sa_rows(ctx, int(b), int(b) + 1)[int(k)] for k, b in
                      zip(blk, base, strict=True)])
    else:
        u = np.stack([_eng.ua_rows(ctx, int(i), int(i) + 1)[0] for i in rows_a])
        d2 = 0
    del d2
    out = []
    for s in _eng.replicate_settings(ctx, u):
        vals = s["values"]
        out.append((s["methodology"], data if vals is None else data.with_values(vals)))
    return out
