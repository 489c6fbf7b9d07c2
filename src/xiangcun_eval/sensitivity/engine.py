"""The replicate engine behind :func:`~xiangcun_eval.uncertainty` and
:func:`~xiangcun_eval.sensitivity`.

How a replicate is computed
---------------------------
Every replicate (row) ``r`` is a function of one uniform vector
``u_r ∈ [0, 1)^D`` only, ``D`` = total dimension of the factors of the
:class:`~xiangcun_eval.sensitivity.space.UncertaintySpace`:

1. discrete factors pick an alternative ``min(floor(u·k), k − 1)``
   (impute / treat / normalise / aggregate specs, weight sets, leave-out
   subsets, quantised parameters); continuous parameters take
   ``low + u·(high − low)``;
2. the *discrete combination* of the row (its preprocessing key and its
   aggregation/weights key) selects a precomputed :class:`Combo`: the
   normalised level-1 matrix (:func:`~xiangcun_eval.pipeline.preprocess`
   once per preprocessing key), the level plans
   (:func:`~xiangcun_eval.pipeline.level_plans`) and the nominal weights of
   every level (:func:`~xiangcun_eval.pipeline.resolve_weights`, so data-driven
   weights are those of the combination);
3. weights: nominal → Dirichlet (inverse-CDF, ``scipy.special.gammaincinv``)
   → multiplicative noise ``1 + a(2u − 1)`` → leave-out mask → normalised
   within groups; shape ``(R, n_children)`` per level;
4. all rows of one combination are aggregated together by
   :func:`~xiangcun_eval.pipeline.aggregate_tree` (one batched matrix product
   per level), ranks by :func:`~xiangcun_eval.methods.rank.rank_desc` along the
   unit axis (ties "min", NaN kept, exactly as :func:`~xiangcun_eval.evaluate`).

The only Python loops are over the distinct combinations present in a chunk,
over chunks, and over fixed blocks of ``BLOCK`` rows when combining
floating-point accumulators.  Data noise and continuous (un-quantised)
preprocessing parameters are the exception: each such row needs its own
preprocessing pass (a loop over those rows).

Where it lives
--------------
* :mod:`.factors` — the space compiled into atoms (Sobol' factors);
* :mod:`.context` — :class:`EngineContext`, :func:`build_context` (every
  discrete combination precomputed and checked before running);
* :mod:`.uniforms` — the randomness scheme (Philox rows, Sobol' rows, the
  Saltelli design by base rows);
* :mod:`.rows` — rows → weights → index scores (:func:`compute_rows`);
* :mod:`.fastpath` — the linear fast path (effective-weight products);
* :mod:`.ranking` — packed-key ranking;
* :mod:`.streaming` — per-chunk accumulators and streamed histograms;
* this module — one chunk task of uncertainty analysis (:func:`run_chunk`;
  sensitivity analysis: :func:`~xiangcun_eval.sensitivity.sobol.sa_chunk`)
  and the memory estimate.

Floating-point accumulators are summed per block of ``BLOCK`` rows and the
blocks combined in row order; counts are exact integers; matrix products are
taken in fixed blocks of global row positions (:mod:`.fastpath`).  Chunk
boundaries are multiples of ``BLOCK``.  Hence results are bitwise identical
for any executor, worker count and chunk size.
"""

from __future__ import annotations

import numpy as np

from ..methods import rank as _rank
from .context import (
    BLOCK,
    Combo,
    DataState,
    EngineContext,
    MemoryBudgetError,
    build_context,
    nominal_chain,
)
from .factors import Atom, apply_setting, atom_values, compile_space, describe_setting
from .fastpath import (
    GEMM_ROWS,
    FastPattern,
    FastPlan,
    fast_index,
    fast_plan,
    gemm_rows,
    normalise_rows,
    row_blocks,
)
from .ranking import desc_ranks_i32
from .rows import compute_rows, replicate_settings, row_weights
from .streaming import (
    RowsResult,
    StreamPartial,
    finite_ok,
    grades_of,
    rank_bin_of,
    stream,
    stream_finite,
    stream_rows,
    unit_hist,
)
from .uniforms import philox_rows, sa_rows, ua_rows

__all__ = [
    "BLOCK",
    "GEMM_ROWS",
    "Atom",
    "Combo",
    "DataState",
    "EngineContext",
    "FastPattern",
    "FastPlan",
    "MemoryBudgetError",
    "RowsResult",
    "StreamPartial",
    "apply_setting",
    "atom_values",
    "build_context",
    "bytes_per_row",
    "compile_space",
    "compute_rows",
    "desc_ranks_i32",
    "describe_setting",
    "fast_index",
    "fast_plan",
    "finite_ok",
    "gemm_rows",
    "grades_of",
    "nominal_chain",
    "normalise_rows",
    "philox_rows",
    "rank_bin_of",
    "replicate_settings",
    "row_blocks",
    "row_weights",
    "run_chunk",
    "sa_rows",
    "stream",
    "stream_finite",
    "stream_rows",
    "ua_rows",
    "unit_hist",
]


def run_chunk(ctx: EngineContext, task: tuple[str, int, int]) -> RowsResult | StreamPartial:
    """One task: ``("ua", start, stop)`` replicate rows.

    (The base rows of a Saltelli design run as
    :func:`~xiangcun_eval.sensitivity.sobol.sa_chunk`.)
    """
    _, start, stop = task
    u = ua_rows(ctx, start, stop)
    index, _ = compute_rows(ctx, u, slots=np.arange(start, stop, dtype=np.int64))
    if ctx.keep:
        return RowsResult(start, stop, index, _rank.rank_desc(index))
    return stream_rows(ctx, start, stop, index)


def bytes_per_row(ctx: EngineContext) -> int:
    """Rough working memory of one replicate row inside a chunk (bytes)."""
    nu = ctx.n_units
    any_combo = next(iter(ctx.combos.values()))
    per = 0
    if all(c.fast is not None for c in ctx.combos.values()):
        per += 8 * nu * 6  # fast path: a few (R, n_units) arrays
    else:
        for plan in any_combo.plans:
            per += 8 * nu * (len(plan.codes) * 4 + 2)
    per += 8 * nu * 12  # index, ranks, argsort, deviations, histogram bins
    if ctx.atoms_of("data"):
        per += 8 * nu * any_combo.level1.shape[1] * 6
    return per
