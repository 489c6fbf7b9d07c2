"""Packed-key ranking: exact ranks of many rows by one integer sort per row.

The fast path of the library's one ranking kernel
(:func:`~xiangcun_eval.methods._stats.rank_min`, hence
:func:`~xiangcun_eval.methods.rank.rank_desc` and :func:`~xiangcun_eval.evaluate`),
and of the uncertainty engine's streamed ranks
(:func:`~xiangcun_eval.sensitivity.ranking.desc_ranks_i32`).

Method
------
Each float64 value is mapped to a 64-bit unsigned key whose integer order is
the float order: the bit pattern with the sign bit flipped for ``x >= 0`` and
every bit flipped for ``x < 0`` (``-0.0`` is first turned into ``+0.0`` so the
two zeros tie); for descending ranks the key is inverted.  NaN gets the
largest key (last).  The lowest ``b`` bits of the key (``b`` = bits of
``n − 1``) are replaced by the column index.  One ``sort`` of these keys per
row gives the columns in rank order, and the ranks are the inverse
permutation (``put_along_axis``) — no ``argsort`` of floats and no tie scan.

Exactness
---------
Overwriting the low bits can merge values that differ only there, and equal
values need ties "min".  Both show up as *runs* of adjacent sorted keys
among the non-NaN values whose high bits are equal
(``(k[i+1] ^ k[i]) <= low mask``).  The positions of a run are right as a
set; within it the elements are re-ordered by their full values (one
``lexsort`` over all run elements of all rows, vectorised) and take the rank
of the first element of their tie.  So every rank equals the argsort
kernel's (ties "min") bit for bit, whatever the data (tested by property
tests).  A row's ranks depend on that row alone, hence are the same however
rows are batched or chunked.  With ``n`` values per row the keys keep
``64 − b`` bits: for 2,850 counties runs are almost never seen; for 500,000
villages a few per row, fixed at negligible cost.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["packed_ranks"]

F64 = NDArray[np.float64]


def packed_ranks(a: F64, *, descending: bool) -> NDArray[np.signedinteger]:
    """Ranks ``1..n`` (1 = smallest, or largest when ``descending``; ties
    "min") along the last axis of ``a`` ``(..., n)``, returned as ``(m, n)``
    with ``m`` = the rows of ``a`` in C order (``a`` need not be contiguous).

    int32 (int64 when ``n >= 2**31``); the rank stored at a NaN is
    meaningless (the caller masks it; NaN sorts last).  ``a`` is not modified.
    """
    n = a.shape[-1]
    m = a.size // n if n else 0
    bits = max(1, (n - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    # a contiguous copy; -0.0 -> +0.0 (they tie)
    key = np.add(a, 0.0).reshape(m, n).view(np.uint64)
    flip = key.view(np.int64) >> 63  # -1 for negative values, 0 otherwise
    flip |= np.int64(-(2**63))
    srt = flip.view(np.uint64)
    np.bitwise_xor(key, srt, out=srt)  # ascending integer image of the float
    del key
    if descending:
        np.invert(srt, out=srt)
    nan = np.isnan(a).reshape(m, n)
    has_nan = bool(nan.any())
    if has_nan:
        srt[nan] = np.uint64(0xFFFFFFFFFFFFFFFF)  # last, whatever the direction
    srt &= ~low
    srt |= np.arange(n, dtype=np.uint64)
    srt.sort(axis=1)
    near = (srt[:, 1:] ^ srt[:, :-1]) <= low  # equal high bits: a run
    if has_nan:  # only pairs of non-NaN values count
        n_ok = n - np.count_nonzero(nan, axis=1)
        near &= np.arange(n - 1)[None, :] < (n_ok - 1)[:, None]
    dtype = np.int32 if n < 2**31 else np.int64
    ranks = np.empty((m, n), dtype=dtype)
    srt &= low
    flat = srt.view(np.int64)  # the columns in rank order ...
    flat += np.arange(0, m * n, n, dtype=np.int64)[:, None]  # ... as flat positions
    # the inverse permutation: one scatter through a flat index (put_along_axis
    # builds a two-array fancy index and is about twice as slow)
    ranks.reshape(-1)[flat] = np.arange(1, n + 1, dtype=dtype)
    if near.any():
        flat -= np.arange(0, m * n, n, dtype=np.int64)[:, None]
        _fix_runs(a.reshape(m, n), flat, near, ranks, descending)
    return ranks


def _fix_runs(a: F64, cols: NDArray[np.int64], near: NDArray[np.bool_],
              ranks: NDArray[np.signedinteger], descending: bool) -> None:
    """Exact ranks (ties "min") inside the runs of equal high key bits, in place."""
    m, n = a.shape
    inrun = np.zeros((m, n), dtype=bool)
    inrun[:, 1:] |= near
    inrun[:, :-1] |= near
    rr, pp = np.nonzero(inrun)  # by row, then by sorted position
    prev = np.zeros(rr.size, dtype=bool)
    has_prev = pp > 0
    prev[has_prev] = near[rr[has_prev], pp[has_prev] - 1]
    starts = ~prev
    run_id = np.cumsum(starts) - 1
    run_pos = pp[starts][run_id]  # sorted position where the element's run begins
    cc = cols[rr, pp]
    v = a[rr, cc]
    if descending:
        v = -v
    order = np.lexsort((v, run_id))
    vs, rid = v[order], run_id[order]
    k = np.arange(rid.size)
    new_run = np.ones(rid.size, dtype=bool)
    new_run[1:] = rid[1:] != rid[:-1]
    new_tie = new_run.copy()
    new_tie[1:] |= vs[1:] != vs[:-1]
    first_of_tie = np.maximum.accumulate(np.where(new_tie, k, 0))
    first_of_run = np.maximum.accumulate(np.where(new_run, k, 0))
    ranks[rr[order], cc[order]] = run_pos[order] + 1 + (first_of_tie - first_of_run)
