"""Packed-key ranking: exact descending ranks of many score rows by one integer sort.

Method
------
Each float64 score is mapped to a 64-bit unsigned key whose integer order is
the *reverse* of the float order (flip all bits of non-negative floats'
sign-adjusted image: ``k = ~(bits ^ (sign ? all ones : sign bit))``; ``-0.0``
is first turned into ``+0.0`` so they tie).  The lowest ``b`` bits of the key
(``b`` = bits of ``n − 1``) are replaced by the unit's column index.  One
``sort`` per row of these keys gives the units in rank order, and the ranks
are the inverse permutation (``put_along_axis``) — no ``argsort`` and no
tie handling in the common case.

Exactness
---------
Overwriting the low bits can merge scores that differ only there, and equal
scores need ties "min".  Both show up as adjacent sorted keys with equal
high bits (``(k[i+1] ^ k[i]) <= low mask``).  Such rows — and only those —
are recomputed by :func:`~xiangcun_eval.methods.rank.rank_desc`, so every
rank equals the library kernel's (ties "min", 1 = best) bit for bit.  The
result depends on each row alone, hence is identical across chunkings and
executors.  Rows must be all finite (callers check; NaN rows go to
``rank_desc``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..methods import rank as _rank

__all__ = ["desc_ranks_i32"]

F64 = NDArray[np.float64]


def desc_ranks_i32(index: F64) -> NDArray[np.int32]:
    """Descending ranks ``1..n`` (ties "min") of all-finite ``index`` rows, as int32.

    Same values as :func:`~xiangcun_eval.methods.rank.rank_desc` (ties "min"
    do not depend on how tied values were ordered).  Each score becomes a
    64-bit key: an order-reversing integer image of the float with its lowest
    ``bits`` bits replaced by the unit's column (``bits`` = bits of
    ``n - 1``); one integer sort per row gives the order, and the ranks are
    the inverse permutation.  Two keys of a row sharing their high bits (equal
    scores, or scores too close to be told apart by the kept bits) send that
    row to the library kernel, so every rank is exact.
    """
    m, nu = index.shape
    bits = max(1, (nu - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    key = np.add(index, 0.0).view(np.uint64)  # -0.0 -> +0.0 (they tie)
    mask = key.view(np.int64) >> 63  # -1 for negative scores
    mask |= np.int64(-(2**63))
    umask = mask.view(np.uint64)
    np.bitwise_xor(key, umask, out=umask)  # ascending integer image of the float
    np.invert(umask, out=umask)  # descending
    umask &= ~low
    umask |= np.arange(nu, dtype=np.uint64)
    del key
    umask.sort(axis=1)
    srt = umask
    near = (srt[:, 1:] ^ srt[:, :-1]) <= low  # equal high bits
    ri = np.empty((m, nu), dtype=np.int32)
    srt &= low
    np.put_along_axis(ri, srt.view(np.int64), np.arange(1, nu + 1, dtype=np.int32)[None, :],
                      axis=1)
    bad = np.flatnonzero(near.any(axis=1))
    if bad.size:
        ri[bad] = _rank.rank_desc(index[bad]).astype(np.int32)
    return ri

