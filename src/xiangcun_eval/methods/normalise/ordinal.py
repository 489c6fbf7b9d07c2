"""Ordinal normalisations: rank, Borda score and percentile rank."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._registry import Params
from .._stats import nan_count, rank_min
from ._common import FloatArray, ZeroVariance, ZVParams, _apply_policy, _degenerate, _prep
from .registry import REGISTRY


class RankParams(Params):
    """Rank methods: ties "min", NaN kept."""


class PercentileParams(ZVParams):
    """Parameters of :func:`percentile` (only the zero-variance policy)."""


@REGISTRY.register("rank", params=RankParams, label_zh="排序", label_en="rank")
def rank(x: ArrayLike, direction: ArrayLike) -> FloatArray:
    """Rank of ``x · d`` ascending (1 = worst), ties "min", NaN kept.

    Reference: COINr ``n_rank`` (``ties.method = "min"``).
    """
    a, d = _prep(x, direction)
    return rank_min(a * d)


@REGISTRY.register("borda", params=RankParams, label_zh="Borda 计分", label_en="Borda score")
def borda(x: ArrayLike, direction: ArrayLike) -> FloatArray:
    """Borda score ``rank(x · d) - 1`` (0 = worst), ties "min", NaN kept.

    Reference: COINr ``n_borda``.
    """
    return rank(x, direction) - 1.0


@REGISTRY.register(
    "percentile", params=PercentileParams, label_zh="百分位排序", label_en="percentile rank"
)
def percentile(
    x: ArrayLike, direction: ArrayLike, *, zero_variance: ZeroVariance = "error"
) -> FloatArray:
    r"""Percentile rank ``(rank(x') - 1)/(n_{avail} - 1)`` in ``[0, 1]``.

    Ties "min", NaN kept.  Deliberate difference from COINr ``n_prank``: a
    column with fewer than 2 values (0/0) or all values tied (COINr gives all
    0) follows ``zero_variance`` (centre 0.5).

    Reference: COINr ``n_prank``.
    """
    a, d = _prep(x, direction)
    xd = a * d
    bad, _, _ = _degenerate(xd, zero_variance, "百分位/percentile")
    n = nan_count(xd).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (rank_min(xd) - 1.0) / np.where(bad, 1.0, n - 1.0)
    return _apply_policy(z, xd, bad, zero_variance, 0.5)
