"""Shared NaN-aware column statistics for the method kernels.

All functions work along the *units* axis (axis ``-2``) of arrays shaped
``(..., n_units, n_cols)`` and return arrays shaped ``(..., 1, n_cols)``
(``keepdims``) so that they broadcast straight back against the data.  NaN
means missing and is ignored; a column with no available value gives NaN
without a ``RuntimeWarning``.  Inputs are never modified.

The skewness and kurtosis are the bias-corrected sample estimators ``G1`` and
``G2`` used by COINr (copied there from ``e1071::skewness/kurtosis(type = 2)``),
Excel ``SKEW``/``KURT``, pandas ``Series.skew()/.kurt()`` and
``scipy.stats.skew/kurtosis(bias=False)``.

References
----------
Joanes, D. N. and Gill, C. A. (1998). Comparing measures of sample skewness
and kurtosis. *Journal of the Royal Statistical Society D* 47(1), 183-189.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._packed_rank import packed_ranks

__all__ = [
    "as_data",
    "nan_count",
    "nan_kurt",
    "nan_max",
    "nan_mean",
    "nan_median",
    "nan_min",
    "nan_skew",
    "nan_std",
    "rank_min",
]

FloatArray = NDArray[np.float64]

_AX = -2


def as_data(x: ArrayLike, *, min_ndim: int = 2) -> FloatArray:
    """``x`` as a float64 array with at least ``min_ndim`` dimensions.

    No copy is made when ``x`` is already float64; raises ``MethodError`` otherwise.
    """
    from ..errors import MethodError

    a = np.asarray(x, dtype=np.float64)
    if a.ndim < min_ndim:
        raise MethodError(
            f"数据维数不足 / data must have at least {min_ndim} dimensions "
            f"(..., n_units, n_cols); got shape {a.shape}. Reshape a single column "
            "with x[:, None]."
        )
    return a


def nan_count(x: FloatArray) -> NDArray[np.intp]:
    """Count available (non-NaN) values per column, shape ``(..., 1, n_cols)``."""
    n: NDArray[np.intp] = np.sum(~np.isnan(x), axis=_AX, keepdims=True, dtype=np.intp)
    return n


def nan_min(x: FloatArray) -> FloatArray:
    """Column minimum ignoring NaN; NaN for an all-missing column.

    ``np.fmin.reduce`` skips NaN without the temporary copies ``np.nanmin``
    makes (one pass over the data).
    """
    m: FloatArray = np.fmin.reduce(x, axis=_AX, keepdims=True)
    return m


def nan_max(x: FloatArray) -> FloatArray:
    """Column maximum ignoring NaN; NaN for an all-missing column (one pass, no copy)."""
    m: FloatArray = np.fmax.reduce(x, axis=_AX, keepdims=True)
    return m


def nan_mean(x: FloatArray) -> FloatArray:
    """Column mean ignoring NaN; NaN for an all-missing column."""
    ok = ~np.isnan(x)
    n = np.sum(ok, axis=_AX, keepdims=True)
    s = np.sum(np.where(ok, x, 0.0), axis=_AX, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def nan_std(x: FloatArray, ddof: int = 1) -> FloatArray:
    """Column standard deviation ignoring NaN (``ddof=1``: sample sd, as R's ``sd``).

    NaN when fewer than ``ddof + 1`` values are available.
    """
    ok = ~np.isnan(x)
    n = np.sum(ok, axis=_AX, keepdims=True)
    d = np.where(ok, x - nan_mean(x), 0.0)
    ss = np.sum(d * d, axis=_AX, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > ddof, np.sqrt(ss / np.maximum(n - ddof, 1)), np.nan)


def nan_median(x: FloatArray) -> FloatArray:
    """Column median ignoring NaN; NaN for an all-missing column."""
    ok = ~np.isnan(x)
    n = np.sum(ok, axis=_AX, keepdims=True)
    s = np.sort(x, axis=_AX)  # NaN sorted last
    lo = np.clip((n - 1) // 2, 0, None)
    hi = np.clip(n // 2, 0, None)
    a = np.take_along_axis(s, lo, axis=_AX)
    b = np.take_along_axis(s, hi, axis=_AX)
    return np.where(n > 0, 0.5 * (a + b), np.nan)


def _moments(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    ok = ~np.isnan(x)
    n = np.sum(ok, axis=_AX, keepdims=True).astype(np.float64)
    d = np.where(ok, x - nan_mean(x), 0.0)
    d2 = d * d
    m2 = np.sum(d2, axis=_AX, keepdims=True)
    m3 = np.sum(d2 * d, axis=_AX, keepdims=True)
    m4 = np.sum(d2 * d2, axis=_AX, keepdims=True)
    return n, m2, m3, m4


def nan_skew(x: FloatArray) -> FloatArray:
    r"""Bias-corrected sample skewness ``G1`` per column.

    .. math::
        g_1 = \frac{\sqrt{n}\,\sum d^3}{(\sum d^2)^{3/2}}, \qquad
        G_1 = g_1 \frac{\sqrt{n(n-1)}}{n-2}, \qquad d = x - \bar x,

    over the available values.  NaN when ``n < 3`` or the column is constant.
    Same as COINr ``skew()``, e1071 type 2, Excel ``SKEW``, pandas ``.skew()``.
    """
    n, m2, m3, _ = _moments(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = np.sqrt(n) * m3 / m2**1.5
        out = g1 * np.sqrt(n * (n - 1.0)) / (n - 2.0)
    return np.where((n >= 3) & (m2 > 0), out, np.nan)


def nan_kurt(x: FloatArray) -> FloatArray:
    r"""Bias-corrected sample excess kurtosis ``G2`` per column.

    .. math::
        r = \frac{n \sum d^4}{(\sum d^2)^2}, \qquad
        G_2 = \frac{\big((n+1)(r-3) + 6\big)(n-1)}{(n-2)(n-3)},

    over the available values.  NaN when ``n < 4`` or the column is constant.
    Same as COINr ``kurt()``, e1071 type 2, Excel ``KURT``, pandas ``.kurt()``.
    """
    n, m2, _, m4 = _moments(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * m4 / (m2 * m2)
        out = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    return np.where((n >= 4) & (m2 > 0), out, np.nan)


def rank_min(x: FloatArray, axis: int = _AX) -> FloatArray:
    """Ascending ranks along ``axis`` (default the units axis), ties ``"min"``.

    As R ``rank(ties.method = "min")``; NaN kept as NaN; rank 1 = smallest.

    The one ranking kernel of the library (descending ranks are
    ``rank_min(-x)``; the uncertainty engine's streamed ranks use the same
    packed-key sort).  Vectorised, no loop over columns or replicates: one
    integer sort of packed keys per row
    (:func:`~xiangcun_eval.methods._packed_rank.packed_ranks`, exact; the
    argsort formulation :func:`_rank_min_argsort` gives the same ranks, bit
    for bit, and serves the degenerate shapes).
    """
    a = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    n = a.shape[-1]
    if a.size == 0 or n == 1:
        return np.moveaxis(_rank_min_argsort(a), -1, axis)
    a2 = a.reshape(-1, n)
    out = packed_ranks(a2, descending=False).astype(np.float64)
    out[np.isnan(a2)] = np.nan
    return np.moveaxis(out.reshape(a.shape), -1, axis)


def _rank_min_argsort(a: FloatArray) -> FloatArray:
    """:func:`rank_min` along the last axis by one argsort.

    The sort need not be stable: tied values share the smallest rank of their run
    whatever their order, so the result is the same as with a stable sort.
    """
    order = np.argsort(a, axis=-1)  # NaN last
    s = np.take_along_axis(a, order, axis=-1)
    n = a.shape[-1]
    new = np.ones(s.shape, dtype=bool)
    if n > 1:
        np.not_equal(s[..., 1:], s[..., :-1], out=new[..., 1:])
    start = np.where(new, np.arange(1, n + 1, dtype=np.float64), 0.0)
    np.maximum.accumulate(start, axis=-1, out=start)
    start[np.isnan(s)] = np.nan
    out = np.empty_like(start)
    np.put_along_axis(out, order, start, axis=-1)
    return out
