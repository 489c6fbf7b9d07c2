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

import ctypes
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from ..methods import rank as _rank
from .context import (
    BLOCK,
    Combo,
    DataState,
    EngineContext,
    MemoryBudgetError,
    build_context,
    combo_of,
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
    SUB_BYTES,
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

F64 = NDArray[np.float64]

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
    "combo_of",
    "compile_space",
    "compute_rows",
    "context_bytes",
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
    "streamed_task_bytes",
    "trim_heap",
    "ua_index",
    "ua_rows",
    "unit_hist",
]


def run_chunk(ctx: EngineContext, task: tuple[str, int, int]) -> RowsResult | StreamPartial:
    """One task: ``("ua", start, stop)`` replicate rows.

    (The base rows of a Saltelli design run as
    :func:`~xiangcun_eval.sensitivity.sobol.sa_chunk`.)
    """
    _, start, stop = task
    large = 8 * ctx.n_units * (stop - start) >= _TRIM_BYTES
    if large:
        trim_heap()  # what the previous task (and the transfer of its result) left
    u = ua_rows(ctx, start, stop)
    index = ua_index(ctx, u, np.arange(start, stop, dtype=np.int64))
    if large:
        trim_heap()  # the temporaries of the combinations, before counting
    if ctx.keep:
        return RowsResult(start, stop, index, _rank.rank_desc(index))
    part = stream_rows(ctx, start, stop, index)
    if large:
        del index
        trim_heap()
    return part


def ua_index(ctx: EngineContext, u: F64, slots: NDArray[np.int64]) -> F64:
    """Index scores ``(R, n_units)`` of uncertainty rows: :func:`compute_rows`, one
    combination at a time when the context is compact (each combination's fast
    plan rebuilt from its :class:`~xiangcun_eval.sensitivity.context.Level1Store`
    for its rows, then dropped; :func:`compute_rows` treats the rows of each
    combination on their own, so the scores are the same bit for bit)."""
    if not ctx.compact:
        index, _ = compute_rows(ctx, u, slots=slots)
        return index
    atoms = ctx.atoms_of("pre") + ctx.atoms_of("plans")
    npre = len(ctx.atoms_of("pre"))
    keys = np.column_stack([atom_values(ctx.space, a, u) for a in atoms]) if atoms \
        else np.zeros((u.shape[0], 0))
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    keys_of = [(tuple(float(v) for v in uniq[c, :npre]), tuple(float(v) for v in uniq[c, npre:]))
               for c in range(uniq.shape[0])]
    # the largest rebuilt plans first, while few rows of ``out`` are written (its
    # pages become resident only as rows are written)
    order = sorted(range(len(keys_of)), key=lambda c: -_rebuild_cost(ctx, keys_of[c]))
    out = np.empty((u.shape[0], ctx.n_units))
    for c in order:
        rows = np.flatnonzero(inv == c)
        key = keys_of[c]
        sub = ctx
        if key not in ctx.combos and key in ctx.compact:
            combo = combo_of(ctx, key)
            assert combo is not None
            sub = replace(ctx, combos={key: combo}, stores={}, compact={})
            del combo
        out[rows] = compute_rows(sub, u[rows], slots=slots[rows])[0]
        del sub
        if out.nbytes >= _TRIM_BYTES:
            trim_heap()  # the rebuilt plan and the products' temporaries
    return out


_TRIM_BYTES = 64 << 20


def trim_heap() -> None:
    """Give the C heap's free memory back to the system (glibc ``malloc_trim(0)``;
    nothing elsewhere).

    Arrays under glibc's mmap threshold (32 MiB at most) come from the heap;
    after a village-scale chunk the freed ones leave holes that stay resident
    (measured: 250 MB per worker after a chunk of 500,000 units).  Called
    between the phases of large chunks only.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _rebuild_cost(ctx: EngineContext, key: tuple[tuple[float, ...], tuple[float, ...]]) -> int:
    """2: a compact combination whose plan needs ``ln t``; 1: another compact one; 0: eager."""
    lazy = ctx.compact.get(key)
    if key in ctx.combos or lazy is None:
        return 0
    return 2 if {p.aggregate_spec.method for p in lazy.plans} == {"geometric"} else 1


def bytes_per_row(ctx: EngineContext) -> int:
    """Rough working memory of one replicate row inside a chunk (bytes)."""
    nu = ctx.n_units
    combos = [*ctx.combos.values(), *ctx.compact.values()]
    any_combo = combos[0]
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


def context_bytes(ctx: EngineContext) -> int:
    """Bytes of the arrays a worker holds for the context (each array once)."""
    seen: set[int] = set()

    def walk(o: object) -> int:
        if id(o) in seen:
            return 0
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            return int(o.nbytes)
        if isinstance(o, dict):
            return sum(walk(v) for v in o.values())
        if isinstance(o, tuple | list):
            return sum(walk(v) for v in o)
        fields = getattr(o, "__dataclass_fields__", None)
        return sum(walk(getattr(o, f)) for f in fields) if fields else 0

    return walk(ctx)


def streamed_task_bytes(ctx: EngineContext, rows: int) -> int:
    """Working memory of one uncertainty chunk task of ``rows`` rows with streamed
    accumulators (:func:`run_chunk` → :func:`ua_index`, :func:`stream_rows`):
    the index and about as much again for the scores of one combination at a
    time, plus the larger of a rebuilt fast plan (compact contexts) and the
    temporaries of one sub-batch of ranking and counting."""
    nu = ctx.n_units
    # eager contexts: bytes_per_row less the ranks and counts, which go by sub-batch
    per_row = 8 * nu * 2 if ctx.compact else bytes_per_row(ctx) - 8 * nu * 11
    plan = 0
    for st in ctx.stores.values():
        t = sum(p.t0t.nbytes for p in st.base.patterns)
        part = sum(2 * 8 * cols.size * units.size for _, cols, units, _, _, _ in st.base.partial)
        plan = max(plan, t + part)
    sub = 12 * min(SUB_BYTES, 8 * nu * rows)
    return per_row * rows + max(plan, sub)
