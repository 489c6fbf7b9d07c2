"""Quantiles of many lanes at once, equal to ``np.quantile`` bit for bit.

Used by the bootstrap percentiles of :mod:`~xiangcun_eval.sensitivity.estimators`
and the rank statistics of :func:`~xiangcun_eval.sensitivity` (one sort of
contiguous lanes instead of numpy's partition of strided ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = ["quantiles_along", "sorted_quantiles"]

FloatArray: TypeAlias = NDArray[np.float64]
OutArray: TypeAlias = NDArray[np.floating | np.integer]


def sorted_quantiles(s: OutArray, qs: Sequence[float]) -> FloatArray:
    """Quantiles ``qs`` of every lane of ``s``, sorted along its last axis.

    Lanes are sorted as by ``np.sort`` (NaN last); lanes with NaN or with
    both 0.0 and -0.0 are not handled here (see :func:`quantiles_along`).  numpy's default rule
    ("linear", Hyndman & Fan type 7) with numpy's own arithmetic, so the
    values are those of ``np.quantile`` bit for bit (tested): position
    ``h = (n − 1) q``, ``a = s[⌊h⌋]``, ``b = s[⌊h⌋ + 1]``, ``γ = h − ⌊h⌋`` and
    ``a + (b − a) γ``, or ``b − (b − a)(1 − γ)`` when
    ``γ ≥ 0.5``.  Shape ``(len(qs), *s.shape[:-1])``.

    References
    ----------
    Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical packages.
    *The American Statistician* 50(4), 361-365 (definition 7).
    """
    n = s.shape[-1]
    q = np.asarray(qs, dtype=np.float64)
    h = (n - 1) * q
    lo = np.floor(h)
    hi = lo + 1
    top = h >= n - 1
    lo[top] = -1
    hi[top] = -1
    lo_i, hi_i = lo.astype(np.intp), hi.astype(np.intp)
    gamma = (h - lo_i).reshape(q.shape + (1,) * (s.ndim - 1))
    a = np.moveaxis(s[..., lo_i], -1, 0).astype(np.float64)
    b = np.moveaxis(s[..., hi_i], -1, 0).astype(np.float64)
    diff = b - a
    out: FloatArray = np.add(a, diff * gamma)
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    return out


def quantiles_along(x: FloatArray, qs: Sequence[float], axis: int) -> FloatArray:
    """``np.quantile(x, qs, axis=axis)``, bit for bit, by sorting contiguous lanes.

    One sort of a contiguous copy (:func:`sorted_quantiles`) instead of
    numpy's partition of strided lanes; lanes holding NaN or -0.0 are left
    to ``np.quantile``.
    """
    lanes = np.moveaxis(x, axis, -1)
    srt = np.array(lanes, order="C")  # a contiguous copy, sorted in place
    srt.sort(axis=-1)
    out = sorted_quantiles(srt, qs)
    # which of two equal values (0.0 and -0.0) lands where is the sort's business:
    # lanes with a -0.0, like lanes with NaN, are left to np.quantile itself
    other = np.isnan(srt[..., -1]) | ((srt == 0) & np.signbit(srt)).any(axis=-1)
    if other.any():
        out[:, other] = np.quantile(lanes[other], qs, axis=-1)
    return out
