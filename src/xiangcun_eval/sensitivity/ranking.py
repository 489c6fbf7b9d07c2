"""Streamed ranks of the uncertainty engine: int32 ranks of all-finite score rows.

The engine ranks with the library's one ranking kernel: the packed-key
integer sort of :mod:`xiangcun_eval.methods._packed_rank` (see its docstring
for the method and why it is exact), which :func:`~xiangcun_eval.methods.rank.rank_desc`
and :func:`~xiangcun_eval.evaluate` use too.  Here the ranks stay int32 (the
streaming accumulators count them as integers).  A row's ranks
depend on that row alone, hence are identical across chunkings and executors.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..methods._packed_rank import packed_ranks

__all__ = ["desc_ranks_i32"]

F64 = NDArray[np.float64]


def desc_ranks_i32(index: F64) -> NDArray[np.int32]:
    """Descending ranks ``1..n`` (ties "min") of all-finite ``index`` rows
    ``(m, n)``, ``n < 2**31``, as int32 — the values of
    :func:`~xiangcun_eval.methods.rank.rank_desc`."""
    ri: NDArray[np.int32] = packed_ranks(index, descending=True).astype(np.int32, copy=False)
    return ri
