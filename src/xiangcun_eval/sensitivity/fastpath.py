r"""The linear fast path: a replicate's index as effective-weight products.

Method
------
When every level of a combination aggregates with the same weighted mean —
arithmetic (``t = x``, ``φ = identity``) or geometric (``t = ln x``,
``φ = exp``) — and no level sets ``min_availability``, level-by-level
aggregation collapses into one weighted sum per unit.  For replicate ``r``
and unit ``u``

.. math::
    I_{ru} = \phi\Big(\sum_g E^{(p)}_{rg}\,
             \frac{\sum_{j\in g} w_{rj}\, t_{uj}\, a_{uj}}{\sum_{j\in g} w_{rj}\, a_{uj}}\Big)

with ``g`` the level-2 groups, ``j`` their indicators, ``a`` the
availability (0/1) and ``E^{(p)}_{rg}`` the *effective weight* of group
``g``: the product of the normalised weights on the path from ``g`` to the
root, after removing the groups that have no data for the unit's *pattern*
``p`` and renormalising their siblings (exactly what
:func:`~xiangcun_eval.pipeline.aggregate_tree` does when it renormalises over
available children).  Units are grouped by pattern (which nodes of levels
``>= 2`` have no data) when the plan is built (:func:`fast_plan`), so the
effective weights are computed once per pattern for all replicates.

Per pattern the index is one matrix product ``(R × k)·(k × n_p)`` of the
level-1 weights times the effective weights divided by the *complete-group*
denominator, against ``t`` with missing values set to 0.  For the (unit,
group) pairs where some but not all children are missing the denominator is
wrong; a correction ``E·(num/den) − E·(1/tot)·num`` per such group fixes
them (``num``, ``den`` = products of the group's weights with ``t·a`` and
``a``).  The result equals level-by-level aggregation to rounding (tested
against :func:`~xiangcun_eval.pipeline.aggregate_tree` with whole pillars
and sub-indices missing); ranks are computed from these scores.

Invariants (bitwise identity)
-----------------------------
A BLAS product's rounding can depend on how many rows the call has and on
where a row sits among them (measured with OpenBLAS).  Every matrix product
here is therefore taken in blocks of exactly the rows with equal
``slot // GEMM_ROWS``, ``slot`` being the row's *global* replicate position
(:func:`gemm_rows`).  Chunks are multiples of ``BLOCK`` (a multiple of
``GEMM_ROWS``) and keep global positions, so each block — its rows, their
order and their number — is the same however the replicates are chunked
and on whichever executor they run; the Saltelli design gives each of its
``d + 2`` blocks its own slot range (``block << 40``).  Group sums of
weights are formed left to right (:func:`normalise_rows`, ``rowwise=True`` of
:func:`~xiangcun_eval.methods._groups.group_sums`), never by a
matrix product, for the same reason.  Any change here must keep
``tests/sensitivity/test_engine.py`` (identity across chunk sizes and
executors) and ``tests/test_fingerprint.py`` green.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..methods._groups import group_sums, normalise_within
from ..pipeline import LevelPlan

__all__ = [
    "GEMM_ROWS",
    "FastPattern",
    "FastPlan",
    "fast_index",
    "fast_plan",
    "gemm_rows",
    "normalise_rows",
    "row_blocks",
]

F64 = NDArray[np.float64]


GEMM_ROWS = 64
"""Rows per matrix product in the fast path: every product has exactly this
many rows (the last block is zero-padded), so a row's result never depends on
how rows are grouped into chunks."""


@dataclass(frozen=True)
class FastPattern:
    """Units sharing one pattern of groups without data (levels >= 2)."""

    units: NDArray[np.intp]
    missing: tuple[NDArray[np.bool_], ...]
    """``missing[li - 1]``: children of ``plans[li]`` (li >= 1) without data."""
    root_missing: bool
    t0t: F64
    """(k, n_pattern_units): ``t`` with missing values set to 0, transposed."""


@dataclass(frozen=True)
class FastPlan:
    """Precomputed data of the linear fast path of a combination.

    When every level uses the same weighted mean, arithmetic or geometric
    (``t = x`` or ``t = ln x``) and no level has ``min_availability``, the
    index of unit ``u`` in replicate ``r`` is

    .. math::
        I_{ru} = \\phi\\Big(\\sum_g E^{(p)}_{rg}\\,
                 \frac{\\sum_{j\\in g} w_{rj} t_{uj} a_{uj}}{\\sum_{j \\in g} w_{rj} a_{uj}}\\Big)

    with ``a`` the availability, ``φ`` the identity or ``exp``, and
    ``E^{(p)}_{rg}`` the product of the normalised weights above level-2 group
    ``g`` after removing the groups without data of the unit's pattern ``p``
    (what level-by-level aggregation does when it renormalises over available
    children).  Per pattern: one matrix product ``(R × k)·(k × n_p)`` with the
    complete-group denominators folded into the weights, plus a correction
    for the (unit, group) pairs with some children missing.  Equal to
    level-by-level aggregation to rounding (tested).
    """

    geometric: bool
    patterns: tuple[FastPattern, ...]
    inverse: NDArray[np.intp]
    """Unit order: column ``u`` of the result is column ``inverse[u]`` of the
    pattern-ordered product (patterns are contiguous blocks of columns)."""
    partial: tuple[tuple[int, NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], F64, F64], ...]
    """Per level-2 group with some (not all) children missing for some units:
    (group, children, their columns in pattern order, their pattern index,
    t0 (children × units), availability (children × units))."""
    order: NDArray[np.intp]
    """The units in pattern order (``order[inverse[u]] == u``)."""
    partial_major: tuple[tuple[int, NDArray[np.intp]], ...]
    """Per entry of ``partial``: the pattern most of its units have, and the
    positions (in the entry) of the units with another pattern."""


def fast_plan(level1: F64, plans: Sequence[LevelPlan]) -> FastPlan | None:
    methods = {p.aggregate_spec.method for p in plans}
    if len(methods) != 1 or not methods <= {"arithmetic", "geometric"}:
        return None
    if any(p.aggregate_spec.min_availability is not None for p in plans):
        return None
    geometric = methods == {"geometric"}
    avail = ~np.isnan(level1)
    if geometric and not np.all(level1[avail] > 0):
        return None
    if not np.all(np.isfinite(level1[avail])):
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = np.where(avail, np.log(np.where(avail, level1, 1.0)) if geometric else level1, 0.0)
    # which nodes of levels 2..max have no data, per unit
    have = avail
    miss_levels = []
    for plan in plans:
        b = np.zeros((plan.membership.size, len(plan.codes)))
        b[np.arange(plan.membership.size), plan.membership] = 1.0
        have = (have.astype(np.float64) @ b) > 0
        miss_levels.append(~have)
    key = np.concatenate(miss_levels, axis=1)
    uniq, inv = _unique_rows(key)
    mem = plans[0].membership
    patterns = []
    for p in range(uniq.shape[0]):
        units = np.flatnonzero(inv == p)
        missing = tuple(ml[units[0]] for ml in miss_levels[:-1])  # children of plans[1:]
        root_missing = bool(miss_levels[-1][units[0], 0])
        patterns.append(FastPattern(units, missing, root_missing,
                                    np.ascontiguousarray(t0[units].T)))
    order = np.concatenate([p.units for p in patterns])
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    partial = []
    for g in range(len(plans[0].codes)):
        cols = np.flatnonzero(mem == g)
        a = avail[:, cols]
        units = np.flatnonzero(~a.all(axis=1) & a.any(axis=1))
        if units.size:
            partial.append((g, cols, position[units], inv[units].astype(np.intp),
                            np.ascontiguousarray(t0[np.ix_(units, cols)].T),
                            np.ascontiguousarray(a[units].T.astype(np.float64))))
    major = []
    for _, _, _, pids, _, _ in partial:
        p0 = int(np.bincount(pids).argmax())
        major.append((p0, np.flatnonzero(pids != p0)))
    return FastPlan(geometric, tuple(patterns), position, tuple(partial), order, tuple(major))


def _unique_rows(key: NDArray[np.bool_]) -> tuple[NDArray[np.bool_], NDArray[np.intp]]:
    """``np.unique(key, axis=0, return_inverse=True)`` of a boolean matrix: the
    same rows in the same (lexicographic) order, by one integer ``unique`` of
    the rows packed big-endian into 64-bit codes (when they fit)."""
    if key.shape[1] > 64 or key.shape[0] == 0:
        uniq, inv = np.unique(key, axis=0, return_inverse=True)
        return uniq, inv.reshape(-1)
    packed = np.packbits(key, axis=1)  # column 0 = most significant bit
    words = np.zeros((key.shape[0], 8), dtype=np.uint8)
    words[:, : packed.shape[1]] = packed
    codes = words.view(">u8").ravel()
    _, first, inv = np.unique(codes, return_index=True, return_inverse=True)
    return key[first], inv.reshape(-1).astype(np.intp, copy=False)


def row_blocks(slots: NDArray[np.int64]) -> list[tuple[int, int]]:
    """``(start, stop)`` of the runs of rows with equal ``slots // GEMM_ROWS``."""
    blk = slots // GEMM_ROWS
    cuts = (np.flatnonzero(np.diff(blk)) + 1).tolist()
    edges = [0, *cuts, int(slots.size)]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1) if edges[i + 1] > edges[i]]


def gemm_rows(a: F64, b: F64, slots: NDArray[np.int64],
               blocks: Sequence[tuple[int, int]] | None = None) -> F64:
    """``a @ b`` as one product per block of global positions.

    A BLAS product's rounding can depend on where a row sits among the rows
    of the call and on how many rows there are (measured with OpenBLAS).  The
    rows are therefore multiplied in groups of equal ``slots // GEMM_ROWS``:
    ``slots`` are global replicate positions and chunks hold whole blocks, so
    every group (its rows, their order and their number) is the same however
    the replicates are chunked, and the result is bitwise reproducible.
    ``blocks``: :func:`row_blocks` of ``slots``, when already known.
    """
    out = np.empty((a.shape[0], b.shape[1]))
    for i, j in row_blocks(slots) if blocks is None else blocks:
        np.matmul(a[i:j], b, out=out[i:j])
    return out


def fast_index(fp: FastPlan, plans: Sequence[LevelPlan], ws: Sequence[F64],
               slots: NDArray[np.int64]) -> F64:
    """Index ``(R, n_units)`` by the linear fast path (see :class:`FastPlan`);
    ``slots`` = global positions of the rows (increasing), see :func:`gemm_rows`."""
    r = ws[0].shape[0]
    blocks = row_blocks(slots)
    # units x rows, in unit order: the partial-group corrections then update whole
    # (contiguous) rows, and the result is one transposed view
    out_t = np.empty((fp.inverse.size, r))
    mem = plans[0].membership
    w1 = ws[0]
    ng = len(plans[0].codes)
    tot = group_sums(w1, mem, ng, rowwise=True)  # left-to-right group sums
    inv_tot = np.where(tot > 0, 1.0 / np.where(tot > 0, tot, 1.0), 0.0)
    effs: list[F64] = []
    for pat in fp.patterns:
        if pat.root_missing:
            out_t[pat.units] = np.nan
            effs.append(np.zeros((r, ng)))
            continue
        # effective weight of every level-2 group for this pattern
        eff = np.ones((r, 1))
        for li in range(len(plans) - 1, 0, -1):
            plan, w = plans[li], ws[li]
            miss = pat.missing[li - 1]
            if miss.any():
                w = normalise_rows(w * ~miss, plan.membership, len(plan.codes))
            eff = w * eff[:, plan.membership]
        if len(plans) == 1:
            eff = np.ones((r, 1))
        effs.append(eff)
        v = w1 * (eff * inv_tot)[:, mem]
        out_t[pat.units] = gemm_rows(v, pat.t0t, slots, blocks).T
    if fp.partial:
        # (R, ng, patterns): ef[:, g] = the (R, patterns) effective weights of group g
        ef = np.stack([e if e.shape[1] == ng else np.broadcast_to(e, (r, ng)) for e in effs],
                      axis=2)
    order = fp.order
    for (g, cols, upos, pids, tsub, asub), (p0, minor) in zip(fp.partial, fp.partial_major,
                                                             strict=True):
        wc = np.ascontiguousarray(w1[:, cols])
        num = gemm_rows(wc, tsub, slots, blocks)
        den = gemm_rows(wc, asub, slots, blocks)
        # e = the effective weight of group g for each unit's pattern, (R, units): most
        # units share one pattern (a broadcast fill), the others are gathered
        efg = ef[:, g]
        e = np.empty_like(num)
        np.copyto(e, efg[:, p0 : p0 + 1])
        ei = np.empty_like(num)  # e·(1/tot), formed as e then × 1/tot
        efi = efg * inv_tot[:, g : g + 1]
        np.copyto(ei, efi[:, p0 : p0 + 1])
        if minor.size:
            e[:, minor] = efg[:, pids[minor]]
            ei[:, minor] = efi[:, pids[minor]]
        # the pattern product used the complete-group denominator for these units:
        # out += e·(num/den) − (e·(1/tot))·num, the same operations
        np.divide(num, den, out=den)
        den *= e
        ei *= num
        corr_t = np.empty((num.shape[1], r))  # units x rows, like out_t
        np.subtract(den, ei, out=corr_t.T)
        units = order[upos]
        o = np.take(out_t, units, axis=0)
        o += corr_t
        out_t[units] = o
    if fp.geometric:
        np.exp(out_t, out=out_t)
    res: F64 = out_t.T
    return res


def normalise_rows(w: F64, membership: NDArray[np.intp], n_groups: int) -> F64:
    """Weights ``(R, n_children)`` divided by their group's sum, row by row:
    :func:`~xiangcun_eval.methods._groups.normalise_within` with
    ``rowwise=True`` (left-to-right sums, so every row's bits are those it
    would get alone, whatever ``R`` is)."""
    return normalise_within(w, membership, n_groups, rowwise=True)
