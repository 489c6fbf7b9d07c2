"""Normalisations by a data range, moments or the maximum.

None (direction only), min-max, z-score, scaled, fraction of max, distance to
max, shifted min-max and the efficacy coefficient (功效系数法).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field, model_validator

from ...errors import MethodError
from .._registry import Params
from .._stats import nan_count, nan_max, nan_mean, nan_std
from ._common import (
    FloatArray,
    NoneParams,
    ZeroVariance,
    ZVParams,
    _apply_policy,
    _cols,
    _degenerate,
    _prep,
    _unit01,
)
from .registry import REGISTRY


class MinMaxParams(ZVParams):
    """Parameters of :func:`minmax`: the output interval ``[lower, upper]``."""

    lower: float = 0.0
    upper: float = 100.0

    @model_validator(mode="after")
    def _order(self) -> MinMaxParams:
        if not self.upper > self.lower:
            raise ValueError("upper must be greater than lower")
        return self


class ZScoreParams(ZVParams):
    """Parameters of :func:`zscore`: the target ``mean`` and ``sd``."""

    mean: float = 0.0
    sd: float = Field(1.0, gt=0)


class ScaledParams(Params):
    """Parameters of :func:`scaled`: fixed bounds ``lower``, ``upper`` and ``scale_factor``."""

    lower: float = 0.0
    upper: float = 100.0
    scale_factor: float = 100.0

    @model_validator(mode="after")
    def _order(self) -> ScaledParams:
        if self.upper == self.lower:
            raise ValueError("upper and lower must differ")
        return self


class RangeShiftParams(ZVParams):
    """Parameters of :func:`range_shift`: the ``shift`` and its ``variant``."""

    shift: float = Field(0.0001, ge=0, lt=0.5)
    variant: Literal["shift", "squeeze"] = "shift"


class EfficacyParams(ZVParams):
    """Parameters of :func:`efficacy`: the ``base`` score and the ``span`` above it."""

    base: float = 60.0
    span: float = Field(40.0, gt=0)


@REGISTRY.register(
    "none", params=NoneParams, label_zh="不标准化（仅调整方向）", label_en="none (direction only)"
)
def none(x: ArrayLike, direction: ArrayLike) -> FloatArray:
    """Only apply the direction: ``x * direction`` (COINr ``f_n = "none"``).

    Reference: COINr ``Normalise`` with ``f_n = "none"``.
    """
    a, d = _prep(x, direction)
    return a * d


@REGISTRY.register(
    "minmax", params=MinMaxParams, label_zh="极差标准化（最小-最大）", label_en="min-max"
)
def minmax(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    lower: float = 0.0,
    upper: float = 100.0,
    zero_variance: ZeroVariance = "error",
) -> FloatArray:
    r"""Min-max to ``[lower, upper]`` (default 0-100).

    .. math:: y = \frac{x' - \min x'}{\max x' - \min x'}(u - l) + l, \quad x' = x\cdot d

    so a cost column (``d = -1``) gives ``(max x - x)/(max x - min x)``.  Min
    and max over the available values of each column (per replicate).
    Constant columns: see ``zero_variance`` (centre ``(l + u)/2``).

    Reference: OECD/JRC Handbook (2008) §5, Table 11 "Min-Max"; COINr ``n_minmax``
    (default ``l_u = c(0, 100)``).
    """
    a, d = _prep(x, direction)
    z = _unit01(a * d, zero_variance, "最小-最大/min-max")
    z *= upper - lower
    if lower != 0.0:  # z >= 0 or NaN, never -0.0: adding 0.0 would change no bit
        z += lower
    return z


@REGISTRY.register("zscore", params=ZScoreParams, label_zh="Z-score 标准化", label_en="z-score")
def zscore(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    mean: float = 0.0,
    sd: float = 1.0,
    zero_variance: ZeroVariance = "error",
) -> FloatArray:
    r"""Standardisation ``y = m + s (x' - \bar{x'}) / \mathrm{sd}(x')``, ``x' = x·d``.

    ``sd`` with ``ddof = 1`` (R's ``sd``), NaN ignored.  Constant columns: see
    ``zero_variance`` (centre = ``m``).

    Reference: OECD/JRC Handbook (2008) §5, Table 11 "Standardisation";
    COINr ``n_zscore`` (``m_sd = c(0, 1)``).
    """
    a, d = _prep(x, direction)
    xd = a * d
    s = nan_std(xd, ddof=1)
    bad = (nan_count(xd) < 2) | ~(s > 0)
    if bad.any():
        _degenerate(xd, zero_variance, "Z-score/z-score")  # raises under "error"
    with np.errstate(invalid="ignore", divide="ignore"):
        z = mean + sd * (xd - nan_mean(xd)) / np.where(bad, 1.0, s)
    return _apply_policy(z, xd, bad, zero_variance, mean)


@REGISTRY.register(
    "scaled", params=ScaledParams, label_zh="固定界限缩放", label_en="scaled with fixed bounds"
)
def scaled(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    lower: float = 0.0,
    upper: float = 100.0,
    scale_factor: float = 100.0,
) -> FloatArray:
    r"""Scaling by fixed (not data-driven) bounds: ``y = (x' - l)/(u - l) · f``.

    As in COINr the bounds apply to ``x' = x · d``: for a cost column give them
    in negated units (e.g. ``lower=-100, upper=0``), or use ``goalposts``
    which takes bounds in the indicator's own units.  Not truncated.

    Reference: COINr ``n_scaled`` (``npara = c(0, 100)``, ``scale_factor = 100``).
    """
    a, d = _prep(x, direction)
    return (a * d - lower) / (upper - lower) * scale_factor


@REGISTRY.register("fracmax", params=NoneParams, label_zh="最大值比例", label_en="fraction of max")
def fracmax(x: ArrayLike, direction: ArrayLike) -> FloatArray:
    r"""Fraction of the maximum ``y = x' / \max x'``, ``x' = x · d``.

    Deliberate difference from COINr ``n_fracmax``: when ``max x' <= 0``
    (always the case for a cost column of positive data) the ratio reverses
    the order or divides by zero, so a ``MethodError`` is raised instead of
    returning reversed scores.  Use ``dist2max``/``minmax`` for cost columns.

    Reference: COINr ``n_fracmax``; OECD/JRC Handbook (2008) Table 11
    ("distance to a reference", ref = leader).
    """
    a, d = _prep(x, direction)
    xd = a * d
    mx = nan_max(xd)
    bad = ~(mx > 0)
    if bad.any():
        cols = _cols(bad)
        raise MethodError(
            f"第 {cols} 列最大值不为正，不能用最大值比例法 / column(s) {cols}: "
            "fraction-of-max needs a positive maximum of x·direction (cost columns of "
            "positive data never have one, and all-missing columns have none); use "
            "'dist2max' or 'minmax' for these columns",
            columns=cols,
        )
    return xd / mx


@REGISTRY.register(
    "dist2max", params=ZVParams, label_zh="与最大值的距离", label_en="distance to max"
)
def dist2max(
    x: ArrayLike, direction: ArrayLike, *, zero_variance: ZeroVariance = "error"
) -> FloatArray:
    r"""Distance to the maximum ``y = 1 - (\max x' - x')/(\max x' - \min x')``.

    Identical to min-max on ``[0, 1]``.  Constant columns: ``zero_variance``
    (centre 0.5).

    Reference: COINr ``n_dist2max``.
    """
    a, d = _prep(x, direction)
    return _unit01(a * d, zero_variance, "与最大值距离/distance-to-max")


@REGISTRY.register(
    "range_shift",
    params=RangeShiftParams,
    label_zh="极差标准化（平移）",
    label_en="min-max shifted (for entropy weights)",
)
def range_shift(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    shift: float = 0.0001,
    variant: Literal["shift", "squeeze"] = "shift",
    zero_variance: ZeroVariance = "error",
) -> FloatArray:
    r"""极差标准化 as used before the entropy method, so that ``ln`` is defined.

    ``variant="shift"`` (default): benefit ``(x - min)/(max - min) + a``,
    cost ``(max - x)/(max - min) + a``, range ``[a, 1 + a]``;
    ``variant="squeeze"``: ``a + (1 - 2a)·z``, range ``[a, 1 - a]`` (e.g.
    ``[0.0001, 0.9999]``).  ``a = shift`` (default 0.0001).  Constant columns:
    ``zero_variance`` (centre of the range).

    Reference: common Chinese practice (e.g. 熵值法 studies of 数字乡村 indices);
    see /work/shared/reference/indicator-systems.md §5.
    """
    a, d = _prep(x, direction)
    z = _unit01(a * d, zero_variance, "极差/range")
    if variant == "shift":
        return z + shift
    return shift + (1.0 - 2.0 * shift) * z


@REGISTRY.register(
    "efficacy", params=EfficacyParams, label_zh="功效系数法", label_en="efficacy coefficient"
)
def efficacy(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    base: float = 60.0,
    span: float = 40.0,
    zero_variance: ZeroVariance = "error",
) -> FloatArray:
    r"""功效系数法 ``y = base + span · (x' - \min x')/(\max x' - \min x')``.

    Defaults 60 + 40·z (range [60, 100]); cost columns reversed via ``x' = x·d``.
    Constant columns: ``zero_variance`` (centre ``base + span/2``).

    Reference: 功效系数法 as in Chinese evaluation texts (e.g. 《企业绩效评价
    标准值》, 财政部); a min-max variant.
    """
    a, d = _prep(x, direction)
    return base + span * _unit01(a * d, zero_variance, "功效系数/efficacy")
