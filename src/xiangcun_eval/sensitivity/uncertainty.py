"""Monte Carlo uncertainty analysis (不确定性分析): :func:`uncertainty` and
:class:`UncertaintyResult`.

Chunks of replicates run on the engine (:mod:`.engine`); their streamed
accumulators (:mod:`.streaming`) are merged here in row order and turned
into per-unit statistics; quantiles come from the merged histograms
(:func:`hist_quantiles`) or, with ``keep_replicates``, from the raw
replicates.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError, OptionError
from ..evaluate import evaluate
from ..inputs.data import UnitData
from ..methodology import Methodology
from ..pipeline.scale import grading_note_for_space
from ..results import Evaluation
from ..table import Table
from . import engine as _eng
from .context import EngineContext, MemoryBudgetError
from .execution import (
    RunOptions,
    as_methodology,
    as_space,
    check_n,
    check_seed,
    chunk_rows,
    mib,
    run_options,
    worker_estimate,
)
from .executors import AnalysisInterrupted, run_tasks
from .progress import TqdmProgress, progress_callback
from .space import UncertaintySpace
from .streaming import RowsResult, StreamPartial

__all__ = ["UncertaintyResult", "hist_quantiles", "uncertainty"]

F64 = NDArray[np.float64]


def hist_quantiles(hist: NDArray[Any], qs: Sequence[float],
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


def _rank_bin_edges(k: NDArray[np.integer[Any]], n_units: int, bins: int
                    ) -> tuple[F64, F64]:
    """First and last rank of bin ``k``: rank ``r`` is in bin ``⌊(r − 1)·bins / n⌋``
    (:func:`~xiangcun_eval.sensitivity.streaming.rank_bin_of`), so bin ``k``
    holds ``⌈k·n/bins⌉ + 1 .. ⌈(k + 1)·n/bins⌉`` (exact integer arithmetic)."""
    kk = np.asarray(k, dtype=np.int64)
    lo = -((-kk * n_units) // bins) + 1
    hi = -((-(kk + 1) * n_units) // bins)
    return lo.astype(np.float64), hi.astype(np.float64)


def _rank_bin_error(n_units: int, bins: int) -> float:
    """Half the widest bin of ranks ``1..n_units`` in ``bins`` bins (0 when exact)."""
    if bins >= n_units:
        return 0.0
    lo, hi = _rank_bin_edges(np.arange(bins), n_units, bins)
    return float((hi - lo).max() / 2)


def _units_first(a: F64) -> F64:
    """``(k, n_units)`` → ``(n_units, k)``, C-contiguous (the axis rule)."""
    out: F64 = np.ascontiguousarray(np.asarray(a, dtype=np.float64).T)
    return out


def _qname(q: float) -> str:
    return f"q{q * 100:g}"


# --------------------------------------------------------------------------- UA result
@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Uncertainty analysis of the ranks and scores of every unit.

    Arrays are per unit (``n_units``) unless stated.  Ranks: 1 = best.
    Shapes follow the library's axis rule (``docs/architecture.md``):
    ``(*leading, n_units, *per_unit)`` — units on axis 0 of every per-unit
    statistic, with what is measured per unit (quantile, grade, top-k
    cut-off) on the last axis; the raw replicates are ``(n_done, n_units)``.

    Attributes
    ----------
    units, names
        Unit codes and names.
    nominal_score, nominal_rank
        Index score and rank of the nominal evaluation.
    score_mean, score_sd, rank_mean, rank_sd, rank_median, score_median
        Over the replicates in which the unit has a score.
    quantiles
        The probabilities of the ``rank_quantiles`` / ``score_quantiles`` columns.
    rank_quantiles, score_quantiles
        ``(n_units, len(quantiles))``, type 7 (R's default, as COINr).
        Exact when replicates are kept or ``n_units <= rank_resolution``
        bins; otherwise from per-unit histograms with the stated resolution.
    rank_resolution, score_resolution
        Width of a histogram bin (1.0 = exact for ranks; 0.0 = exact for
        scores, i.e. replicates kept).
    rank_quantile_error
        Bound on ``|binned − exact|`` of every rank quantile and median: 0 when
        exact, else half the widest rank bin, ``(max ranks per bin − 1) / 2``
        (each order statistic is replaced by its bin's centre, and the type-7
        interpolation of two values each within the bound stays within it).
    memory_estimate, memory_budget
        The run's memory estimate and the budget it was checked against
        (bytes; the default budget is half the machine's available memory).
    worker_memory_estimate
        On a Dask cluster whose workers have a ``memory_limit``: the estimate
        of one worker (context scattered once, one chunk per worker thread),
        which sized the chunks to fit the limit; else 0.
    grade_labels, grade_prob
        Grade labels (bilingual) and ``(n_units, n_grades)`` probabilities.
    top_k, top_prob
        ``top_prob[:, i]`` = probability of rank ``<= top_k[i]``
        (``(n_units, len(top_k))``).
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
    rank_quantile_error: float = 0.0
    memory_estimate: int = 0
    memory_budget: int = 0
    worker_memory_estimate: int = 0
    grade_note: str = ""
    """Non-empty when some replicates put the index on another scale than the
    grade bands' (:func:`xiangcun_eval.pipeline.scale.grading_note_for_space`):
    the table then leaves out the grade probabilities and says why."""
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
        for q, row in zip(self.quantiles, self.rank_quantiles.T, strict=True):
            cols[f"排名{q * 100:g}%分位 rank {_qname(q)}"] = row[order]
        cols["平均排名变动 mean |Δrank|"] = self.mean_abs_shift[order]
        cols["名义得分 nominal score"] = self.nominal_score[order]
        cols["得分均值 mean score"] = self.score_mean[order]
        for q, row in zip(self.quantiles, self.score_quantiles.T, strict=True):
            cols[f"得分{q * 100:g}%分位 score {_qname(q)}"] = row[order]
        for k, row in zip(self.top_k, self.top_prob.T, strict=True):
            cols[f"前{k}名概率 P(top {k})"] = row[order]
        if not self.grade_note:
            for g, lab in enumerate(self.grade_labels):
                cols[f"P({lab})"] = self.grade_prob[order, g]
        flag = "（部分结果 / PARTIAL）" if self.partial else ""
        note = f" — {self.grade_note}" if self.grade_note else ""
        return Table.from_columns(
            cols,
            title=f"不确定性分析 / uncertainty analysis: {self.n_done} replicates{flag}{note}",
        )

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



def _check_top_k(top_k: object) -> tuple[int, ...]:
    """``top_k`` as a tuple of positive ints (one int is accepted as a 1-tuple)."""
    items = [top_k] if isinstance(top_k, int | np.integer) and not isinstance(top_k, bool) \
        else top_k
    try:
        ks = list(items)  # type: ignore[call-overload]
    except TypeError:
        ks = [top_k]
    if not all(isinstance(k, int | np.integer) and not isinstance(k, bool) and k >= 1
               for k in ks):
        raise OptionError(f"top_k 须为正整数(或其列表),而不是 {top_k!r} / top_k must be positive "
                          f"integers (e.g. (10,)), not {top_k!r}")
    return tuple(int(k) for k in ks)

def uncertainty(
    data: UnitData,
    methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path,
    *,
    n: int,
    seed: int,
    sampling: Literal["random", "sobol"] = "random",
    quantiles: Sequence[float] = (0.05, 0.95),
    top_k: Sequence[int] = (10,),
    keep_replicates: bool = False,
    rank_bins: int | None = None,
    score_bins: int = 256,
    run: RunOptions | None = None,
    **deprecated: Any,
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
    sampling
        ``"random"`` (Philox, counter-based; default) or ``"sobol"``
        (scrambled Sobol' points; use a power of 2 for ``n``).
    quantiles, top_k
        Quantile probabilities (default 5 % and 95 %) and top-k cut-offs.
    keep_replicates
        Keep the raw ``(n, n_units)`` score and rank arrays (exact quantiles);
        refused when they do not fit in the memory budget.
    rank_bins, score_bins
        Histogram bins per unit for streamed quantiles.  ``rank_bins=None``:
        one bin per rank (exact) when it fits in an eighth of the budget.
    run
        Execution settings (:class:`~xiangcun_eval.RunOptions`: executor,
        memory budget, chunk size, progress); none changes a number.  A
        KeyboardInterrupt (Ctrl-C, or raised by a progress callback) cancels
        pending chunks and raises :class:`AnalysisInterrupted` whose
        ``partial`` holds the result over the leading replicates that
        completed (flagged ``partial=True``).
    **deprecated
        ``executor=``, ``memory_budget=``, ``chunk_size=``, ``progress=`` as
        before 0.2 (DeprecationWarning; use ``run=RunOptions(...)``).

    Returns
    -------
    UncertaintyResult

    Raises
    ------
    MethodError
        Invalid space, or invalid method combinations (before running).
    MemoryBudgetError
        ``keep_replicates`` or one chunk would exceed the memory budget.
    """
    t0 = time.perf_counter()
    settings = run_options(run, deprecated, "uncertainty")
    memory_budget = settings.budget
    res_budget = settings.resolution_budget
    m = as_methodology(methodology)
    sp = as_space(space)
    n = check_n(n)
    seed = check_seed(seed)
    qs = tuple(float(q) for q in quantiles)
    if any(not 0.0 <= q <= 1.0 for q in qs):
        raise MethodError(f"分位数须在 [0, 1] / quantiles must lie in [0, 1]: {qs}")
    if sampling not in ("random", "sobol"):
        raise MethodError(f"sampling 须为 'random' 或 'sobol' / unknown sampling {sampling!r}")
    top_k = _check_top_k(top_k)
    nominal = evaluate(data, m)
    nu = data.n_units
    if rank_bins is None:
        rank_bins = nu if nu * nu * 16 <= res_budget // 8 else max(
            16, min(nu, res_budget // 8 // (16 * nu)))
    rank_bins = max(1, min(int(rank_bins), nu))
    score_bins = max(2, min(int(score_bins), max(16, res_budget // 8 // (16 * nu))))
    fixed = _ua_fixed_bytes(nu, rank_bins, score_bins, n, keep_replicates)
    if keep_replicates and fixed > memory_budget:
        raise MemoryBudgetError(
            f"保留全部重复需要约 {mib(fixed)}，超过内存预算 {mib(memory_budget)} / keeping the "
            f"raw replicates needs about {mib(fixed)} ({n} × {nu} scores and ranks), more than "
            f"memory_budget = {mib(memory_budget)}: raise the budget or use keep_replicates=False "
            "(streaming accumulators, memory independent of n)")
    ctx = _eng.build_context(
        data, m, sp, seed=seed, sampling=sampling, nominal_index=nominal.index,
        nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0], top_k=top_k,
        rank_bins=rank_bins, score_bins=score_bins, keep=keep_replicates, compact=None)
    chunk, estimate = chunk_rows(ctx, settings.executor, memory_budget, fixed,
                                 settings.chunk_size, 1, streamed=not keep_replicates)
    per_worker = 0 if keep_replicates else worker_estimate(ctx, settings.executor, chunk)
    tasks = [("ua", s, min(s + chunk, n)) for s in range(0, n, chunk)]
    sizes = [t[2] - t[1] for t in tasks]
    acc = _UAAccumulator(ctx, n, keep_replicates)
    bar = progress_callback(settings.progress, f"不确定性分析 / uncertainty (≈{mib(estimate)}"
                            + (f", {mib(per_worker)} per worker" if per_worker else "") + ")")
    try:
        run_tasks(_eng.run_chunk, ctx, tasks, sizes, acc.add, executor=settings.executor,
                  progress=bar, blas_threads=settings.blas_threads)
    except AnalysisInterrupted as exc:
        partial = acc.result(
            nominal, qs, time.perf_counter() - t0, partial=True,
            memory=(estimate, memory_budget, per_worker)) if acc.n_done > 0 else None
        raise AnalysisInterrupted(exc.done, exc.total, partial) from None
    finally:
        if isinstance(bar, TqdmProgress):
            bar.close()
    return acc.result(nominal, qs, time.perf_counter() - t0, partial=False,
                      memory=(estimate, memory_budget, per_worker))


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
               partial: bool, memory: tuple[int, int, int] = (0, 0, 0)) -> UncertaintyResult:
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
                    rank_quantiles=_units_first(rq[1:]), score_quantiles=_units_first(sq[1:]),
                    rank_resolution=1.0,
                    score_resolution=0.0, grade_prob=gp, top_prob=_units_first(top),
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
                    lo, hi = _rank_bin_edges(k, nu, rb)
                    out: F64 = (lo + hi) / 2
                    return out

                span = ctx.score_hi - ctx.score_lo
                units = np.arange(nu)

                def score_val(k: NDArray[np.intp]) -> F64:
                    out: F64 = ctx.score_lo[units] + (k + 0.5) * span[units] / ctx.score_bins
                    return out

                pq = [0.5, *qs]
                rq = hist_quantiles(it["rank_hist"], pq, rank_val)
                sq = hist_quantiles(it["score_hist"], pq, score_val)
                fields = dict(
                    score_mean=ctx.nominal_index + mean_dev, score_sd=np.sqrt(np.maximum(var, 0)),
                    score_median=sq[0], rank_mean=rs / nr, rank_sd=np.sqrt(np.maximum(rvar, 0)),
                    rank_median=rq[0], rank_quantiles=_units_first(rq[1:]),
                    score_quantiles=_units_first(sq[1:]),
                    rank_resolution=float(1.0 if rb >= nu else width),
                    rank_quantile_error=_rank_bin_error(nu, rb),
                    score_resolution=float(np.nanmax(span) / ctx.score_bins) if nu else 0.0,
                    grade_prob=it["grade_counts"][:, 1:] / max(nd, 1),
                    top_prob=_units_first(it["top_counts"] / max(nd, 1)),
                    mean_abs_shift=it["shift_sum"] / it["n_shift"], score_clipped=self.clipped)
        return UncertaintyResult(
            units=nominal.units, names=nominal.data.names,
            nominal_score=np.asarray(nominal.index), nominal_rank=np.asarray(nominal.rank),
            quantiles=qs, grade_labels=labels, top_k=ctx.top_k,
            replicate_shift=self.row_shift[:nd].copy(), n=self.n, n_done=nd,
            factor_names=tuple(a.name for a in ctx.atoms), space=ctx.space,
            methodology=ctx.base, seed=ctx.seed, sampling=ctx.sampling, elapsed=elapsed,
            partial=partial, grade_note=grading_note_for_space(
                nominal.data.framework, ctx.base, ctx.space.factors),
            memory_estimate=memory[0], memory_budget=memory[1],
            worker_memory_estimate=memory[2], **fields)


