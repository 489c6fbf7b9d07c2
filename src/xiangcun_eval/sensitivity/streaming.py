"""Streaming accumulators of uncertainty-analysis chunks.

Without ``keep_replicates`` a chunk of ``m`` replicate rows is reduced, on the
worker, to per-unit accumulators (:class:`StreamPartial`) whose size does not
depend on ``m``; the parent merges them in row order.

* Sums of score deviations from the nominal score (``Σ d``, ``Σ d²``) are
  floating point: they are summed per block of ``BLOCK`` rows and the blocks
  are shipped separately and added in row order by the parent, so the
  result does not depend on where chunk boundaries fall.
* Everything else is an exact integer count: rank sums and squares, grade
  and top-k counts, and the *streamed histograms* of ranks and scores per
  unit.  A histogram ``(n_units, bins)`` is counted by one ``bincount`` over
  bin codes offset by ``unit · bins``, by slabs of units whose histograms fit
  in cache (:func:`unit_hist`); rank bins are exact (one per rank) when
  ``rank_bins >= n_units``, otherwise rank ``r`` falls in bin
  ``⌊(r − 1)·bins / n⌋``.  Score bins cover ``[score_lo, score_hi]`` fixed
  by the context before the run.  Quantiles are read from the merged
  histograms (:mod:`.uncertainty`).

Integer sums are associative, block sums are combined in a fixed order, so
the merged accumulators are bitwise identical for any executor, worker
count and chunk size.  :func:`stream_finite` is the mask-free variant for
chunks where every score and nominal rank is available and the grading has
fixed, strictly decreasing thresholds (same results, bit for bit; tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..methodology import GradingSpec
from ..methods import rank as _rank
from .context import BLOCK, EngineContext
from .ranking import desc_ranks_i32

__all__ = [
    "SUB_BYTES",
    "RowsResult",
    "StreamPartial",
    "finite_ok",
    "grades_of",
    "rank_bin_of",
    "stream",
    "stream_finite",
    "stream_rows",
    "unit_hist",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

SUB_BYTES = 16 << 20
"""Bytes of one ``(rows, n_units)`` float array of a sub-batch in :func:`stream_rows`:
a chunk's rows are ranked and counted this many at a time, so the
temporaries of ranking and counting stay small at village scale."""


@dataclass(frozen=True)
class RowsResult:
    """Raw outputs of a chunk: index scores and ranks ``(m, n_units)`` (SA:
    ``(d + 2, m, n_units)``)."""

    start: int
    stop: int
    scores: F64
    ranks: F64


@dataclass(frozen=True)
class StreamPartial:
    """Streaming accumulators of one chunk of uncertainty-analysis rows."""

    start: int
    stop: int
    s1: F64
    """(n_blocks, n_units): per block Σ (score − nominal score) over available scores."""
    s2: F64
    """(n_blocks, n_units): per block Σ (score − nominal score)²."""
    n_score: I64
    rank_sum: I64
    rank_sq: I64
    n_rank: I64
    shift_sum: I64
    n_shift: I64
    grade_counts: I64
    top_counts: I64
    rank_hist: NDArray[np.integer[Any]]
    score_hist: NDArray[np.integer[Any]]
    score_clipped: int
    row_shift: F64


def grades_of(index: F64, spec: GradingSpec) -> NDArray[np.intp]:
    """Grade codes of ``(R, n_units)`` index scores, row by row (as
    :func:`~xiangcun_eval.results.grade_scores` on each row)."""
    thr = np.asarray(spec.thresholds, dtype=np.float64)
    if spec.kind == "quantiles":
        with np.errstate(all="ignore"):
            t = np.nanquantile(index, thr, axis=-1).T  # (R, k)
        ok: NDArray[np.bool_] = np.asarray(np.isfinite(t).all(axis=-1))
        t = np.where(ok[:, None], t, np.arange(thr.size, 0, -1, dtype=np.float64)[None, :])
        codes = _rank.grade(index, t)
        codes[~ok] = -1
        return codes
    return _rank.grade(index, thr)


def rank_bin_of(ranks: F64, n_units: int, bins: int) -> NDArray[np.intp]:
    """Histogram bin of integer ranks ``1..n_units`` (exact when bins >= n_units)."""
    r0 = ranks.astype(np.intp) - 1
    if bins >= n_units:
        return r0
    out: NDArray[np.intp] = (r0 * bins) // n_units
    return out

def unit_hist(bins_of: NDArray[np.integer[Any]], bins: int,
               dtype: type[np.integer[Any]]) -> NDArray[np.integer[Any]]:
    """Per-column histograms ``(n_units, bins)`` of bin indices ``(R, n_units)``
    (each in ``0..bins-1``), counted by slabs of units whose bins fit in cache."""
    nu = bins_of.shape[1]
    step = max(16, 2**21 // (8 * bins))
    offs = np.arange(step, dtype=np.intp) * bins
    out = np.empty((nu, bins), dtype=dtype)
    for a in range(0, nu, step):
        b = min(a + step, nu)
        c = bins_of[:, a:b].astype(np.intp)
        c += offs[: b - a]
        out[a:b] = np.bincount(c.ravel(), minlength=(b - a) * bins).reshape(b - a, bins)
    return out


def stream_finite(ctx: EngineContext, start: int, stop: int, index: F64,
                   ri: NDArray[np.int32]) -> StreamPartial:
    """:func:`stream` when every score and every nominal rank is available and
    the grading uses fixed, strictly decreasing thresholds (same results, bit for
    bit, without the masks)."""
    nu = ctx.n_units
    m = index.shape[0]
    dev = np.subtract(index, ctx.nominal_index)
    nb = -(-m // BLOCK)
    s1 = np.empty((nb, nu))
    s2 = np.empty((nb, nu))
    for b in range(nb):
        d = dev[b * BLOCK : (b + 1) * BLOCK]
        s1[b] = d.sum(axis=0)
        s2[b] = (d * d).sum(axis=0)
    del dev
    nom_i = ctx.nominal_rank.astype(np.int32)
    shift = np.subtract(ri, nom_i)
    np.abs(shift, out=shift)
    row_shift = shift.sum(axis=1, dtype=np.int64) / np.full(m, nu, dtype=np.int64)
    shift_sum = shift.sum(axis=0, dtype=np.int64)
    rank_sum = ri.sum(axis=0, dtype=np.int64)
    if nu <= 46_340:  # squares of the ranks fit in int32
        np.square(ri, out=shift)
        rank_sq = shift.sum(axis=0, dtype=np.int64)
    else:
        rank_sq = np.square(ri, dtype=np.int64).sum(axis=0)
    del shift
    # grade counts: code = #{k : score < t_k}, thresholds strictly decreasing, so
    # #{code >= c} = #{score < t_(c-1)}
    thr = np.asarray(ctx.grading.thresholds, dtype=np.float64)
    ng = thr.size + 2
    below = np.empty((thr.size + 1, nu), dtype=np.int64)
    below[0] = m
    for k, v in enumerate(thr.tolist()):
        below[k + 1] = np.count_nonzero(index < v, axis=0)
    grade_counts = np.zeros((nu, ng), dtype=np.int64)
    grade_counts[:, 1:-1] = (below[:-1] - below[1:]).T
    grade_counts[:, -1] = below[-1]
    top = np.stack([np.count_nonzero(ri <= k, axis=0) for k in ctx.top_k]).astype(np.int64) \
        if ctx.top_k else np.zeros((0, nu), dtype=np.int64)
    rb = ctx.rank_bins
    hist_t: type[np.integer[Any]] = np.uint16 if m < 2**16 else np.int32
    rbin = np.subtract(ri, 1, dtype=np.int64 if nu * rb >= 2**31 else np.int32)
    if rb < nu:
        rbin *= rb
        rbin //= nu
    rank_hist = unit_hist(rbin, rb, hist_t)
    del rbin
    sb = ctx.score_bins
    span = ctx.score_hi - ctx.score_lo
    span = np.where(span > 0, span, 1.0)
    pos = np.subtract(index, ctx.score_lo)
    pos *= sb / span
    np.floor(pos, out=pos)
    out_of_range = (pos < 0) | (pos > sb)
    clipped = int(np.count_nonzero(out_of_range))
    del out_of_range
    np.clip(pos, 0, sb - 1, out=pos)
    sbin = pos.astype(np.int32)
    del pos
    score_hist = unit_hist(sbin, sb, hist_t)
    full = np.full(nu, m, dtype=np.int64)
    return StreamPartial(
        start=start, stop=stop, s1=s1, s2=s2, n_score=full, rank_sum=rank_sum, rank_sq=rank_sq,
        n_rank=full.copy(), shift_sum=shift_sum, n_shift=full.copy(), grade_counts=grade_counts,
        top_counts=top, rank_hist=rank_hist, score_hist=score_hist,
        score_clipped=clipped, row_shift=row_shift,
    )


def finite_ok(ctx: EngineContext, index: F64) -> bool:
    """Can :func:`stream_finite` serve these rows?"""
    if ctx.grading.kind == "quantiles" or not 1 < ctx.n_units < 2**31:
        return False
    thr = np.asarray(ctx.grading.thresholds, dtype=np.float64)
    if thr.ndim != 1 or (thr.size > 1 and not bool(np.all(np.diff(thr) < 0))):
        return False
    if np.isnan(ctx.nominal_rank).any():
        return False
    return bool(np.isfinite(index).all())


def stream(ctx: EngineContext, start: int, stop: int, index: F64, ranks: F64) -> StreamPartial:
    nu = ctx.n_units
    m = index.shape[0]
    valid_s = np.isfinite(index)
    all_s = bool(valid_s.all())
    dev = index - ctx.nominal_index
    if not all_s:
        dev[~valid_s] = 0.0
    nb = -(-m // BLOCK)
    s1 = np.empty((nb, nu))
    s2 = np.empty((nb, nu))
    sq = dev * dev
    for b in range(nb):
        s1[b] = dev[b * BLOCK : (b + 1) * BLOCK].sum(axis=0)
        s2[b] = sq[b * BLOCK : (b + 1) * BLOCK].sum(axis=0)
    del sq
    valid_r = ~np.isnan(ranks)
    all_r = bool(valid_r.all())
    ri = (ranks if all_r else np.where(valid_r, ranks, 0.0)).astype(np.int32)
    nom = ctx.nominal_rank
    nom_ok = ~np.isnan(nom)
    both = valid_r & nom_ok
    shift = np.abs(ri - np.where(nom_ok, nom, 0).astype(np.int32))
    if not (all_r and nom_ok.all()):
        shift[~both] = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        row_shift = shift.sum(axis=1, dtype=np.int64) / both.sum(axis=1)
    ng = len(ctx.grading.thresholds) + 2  # code -1 .. k
    offs = np.arange(nu, dtype=np.intp)
    g = grades_of(index, ctx.grading)
    g += 1
    g += offs * ng
    grade_counts = np.bincount(g.ravel(), minlength=nu * ng).reshape(nu, ng)
    del g
    top = np.stack([((ri <= k) & valid_r).sum(axis=0) for k in ctx.top_k]).astype(np.int64) \
        if ctx.top_k else np.zeros((0, nu), dtype=np.int64)
    rb = ctx.rank_bins
    rbin = rank_bin_of(np.where(valid_r, ranks, 1.0) if not all_r else ranks, nu, rb)
    rbin += offs * rb
    flat = rbin.ravel() if all_r else rbin[valid_r]
    # counts <= rows per chunk: small partials to ship
    hist_t: type[np.integer[Any]] = np.uint16 if m < 2**16 else np.int32
    rank_hist = np.bincount(flat, minlength=nu * rb).reshape(nu, rb).astype(hist_t)
    del rbin, flat
    sb = ctx.score_bins
    span = ctx.score_hi - ctx.score_lo
    span = np.where(span > 0, span, 1.0)
    with np.errstate(invalid="ignore"):
        pos = np.floor((index - ctx.score_lo) * (sb / span))
    out_of_range = (pos < 0) | (pos > sb)
    clipped = int(out_of_range[valid_s].sum()) if out_of_range.any() else 0
    if not all_s:
        pos[~valid_s] = 0
    np.clip(pos, 0, sb - 1, out=pos)
    sbin = pos.astype(np.intp)
    sbin += offs * sb
    score_hist = np.bincount(sbin.ravel() if all_s else sbin[valid_s],
                             minlength=nu * sb).reshape(nu, sb)
    return StreamPartial(
        start=start, stop=stop, s1=s1, s2=s2, n_score=valid_s.sum(axis=0).astype(np.int64),
        rank_sum=ri.sum(axis=0, dtype=np.int64),
        rank_sq=np.square(ri, dtype=np.int64).sum(axis=0),
        n_rank=valid_r.sum(axis=0).astype(np.int64),
        shift_sum=shift.sum(axis=0, dtype=np.int64), n_shift=both.sum(axis=0).astype(np.int64),
        grade_counts=grade_counts.astype(np.int64), top_counts=top,
        rank_hist=rank_hist, score_hist=score_hist.astype(hist_t), score_clipped=clipped,
        row_shift=row_shift,
    )



_COUNTS = ("n_score", "rank_sum", "rank_sq", "n_rank", "shift_sum", "n_shift", "grade_counts",
           "top_counts", "rank_hist", "score_hist")


def stream_rows(ctx: EngineContext, start: int, stop: int, index: F64,
                sub_bytes: int | None = None) -> StreamPartial:
    """Reduce a chunk's index rows ``(m, n_units)`` to its accumulators by
    sub-batches of rows (``sub_bytes``, default :data:`SUB_BYTES`); ``index``
    is overwritten (it becomes the squared deviations).

    Ranks, counts and histograms are per row, so they are computed on
    sub-batches of about ``sub_bytes`` per ``(rows, n_units)`` float array and
    summed (exact integers).  The floating-point sums ``s1``, ``s2`` are then
    formed over the whole chunk in place, block by block of ``BLOCK`` rows, by
    the same operations as :func:`stream` and :func:`stream_finite` (deviation
    ``index − nominal``, missing scores set to 0, square, sum over rows).
    The same values as :func:`stream` / :func:`stream_finite` on the whole
    chunk, bit for bit (tested); integer sums in the narrowest exact dtype
    (counts uint16 below 65,536 rows, rank sums int32 when they fit), so the
    shipped partial is smaller. Temporaries of a sub-batch instead of the chunk:
    at 500,000 units a chunk of 64 rows needed about 2 GB more than its index.
    """
    m, nu = index.shape
    finite = finite_ok(ctx, index)
    step = max(1, int(SUB_BYTES if sub_bytes is None else sub_bytes) // max(1, 8 * nu))
    # the chunk's sums in the narrowest exact dtypes (they are shipped to the client):
    # counts <= m, rank and |Δrank| sums <= m·n_units, squared ranks in int64
    hist_t: type[np.integer[Any]] = np.uint16 if m < 2**16 else np.int32
    sum_t: type[np.integer[Any]] = np.int32 if m * nu < 2**31 else np.int64
    dtypes = dict.fromkeys(_COUNTS, hist_t) | {"rank_sum": sum_t, "shift_sum": sum_t,
                                                "rank_sq": np.int64}
    counts: dict[str, NDArray[Any]] = {}
    shifts: list[F64] = []
    clipped = 0
    whole: StreamPartial | None = None
    for a in range(0, m, step):
        b = min(a + step, m)
        x = index[a:b]
        if finite:
            part = stream_finite(ctx, start + a, start + b, x, desc_ranks_i32(x))
        else:
            part = stream(ctx, start + a, start + b, x, _rank.rank_desc(x))
        if a == 0 and b == m:
            whole = part
            break
        for k in _COUNTS:  # summed as they come: one partial alive at a time
            v = getattr(part, k)
            if k in counts:
                np.add(counts[k], v, out=counts[k], casting="unsafe")  # within the bounds
            else:
                counts[k] = v.astype(dtypes[k])
        clipped += part.score_clipped
        shifts.append(part.row_shift)
        del part
    if whole is not None:
        return whole
    row_shift = np.concatenate(shifts)
    # s1, s2 over the whole chunk, in place: dev = index − nominal (0 where the
    # score is missing), then its square; one sum over the rows of each block
    valid = None if finite else np.isfinite(index)
    np.subtract(index, ctx.nominal_index, out=index)
    if valid is not None and not valid.all():
        index[~valid] = 0.0
    del valid
    nb = -(-m // BLOCK)
    s1 = np.empty((nb, nu))
    s2 = np.empty((nb, nu))
    for blk in range(nb):
        s1[blk] = index[blk * BLOCK : (blk + 1) * BLOCK].sum(axis=0)
    np.multiply(index, index, out=index)
    for blk in range(nb):
        s2[blk] = index[blk * BLOCK : (blk + 1) * BLOCK].sum(axis=0)
    return StreamPartial(start=start, stop=stop, s1=s1, s2=s2, score_clipped=clipped,
                         row_shift=row_shift, **counts)
