"""Normalisation kernels (标准化 / 无量纲化).

Signature (docs/architecture.md): ``f(x, direction, **params)`` with ``x`` of
shape ``(..., n_units, n_cols)`` (NaN = missing, leading replicate axes
allowed), ``direction`` a 1-D array of ``+1`` (benefit, 正向) / ``-1`` (cost,
逆向) per column, and framework-derived keyword arrays (``target``,
``goal_lower``, ``goal_upper``) when listed in the method's ``needs``.  Every
kernel returns a new float64 array of the same shape; NaN stays NaN in place.

Direction is applied first, as COINr does: the kernel works on
``x * direction`` so that for every method "higher is better" afterwards.
Target-type parameters given in raw units (``target``, goalposts) are
transformed the same way (as COINr does with ``Target * Direction`` and the
swapped goalposts), so they are always given in the indicator's own units.
The exception is ``target_ratio`` which defines cost handling itself
(``target / x``).

Zero-variance columns (all available values equal) and columns with fewer
than two available values cannot be scaled by a data range.  Methods that
need a range take ``zero_variance``:

* ``"error"`` (default): raise :class:`~xiangcun_eval.errors.MethodError`
  naming the column;
* ``"constant"``: every available value of that column maps to the *centre*
  of the method's output range (min-max: ``(l + u) / 2``; z-score: ``m``;
  efficacy: ``base + span / 2`` ...); missing values stay NaN;
* ``"nan"``: the whole column becomes NaN (aggregation then renormalises
  over the other children).

COINr instead warns and returns NaN for ``n_minmax`` on a constant column.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, section 5 (normalisation), Table 11.
Becker, W. et al. COINr 1.1.14, ``R/normalise.R`` (MIT licence).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, model_validator

from ..errors import MethodError
from ._registry import Params, Registry
from ._stats import (
    as_data,
    nan_count,
    nan_max,
    nan_mean,
    nan_min,
    nan_std,
    rank_min,
)

__all__ = [
    "REGISTRY",
    "ZeroVariance",
    "borda",
    "check_direction",
    "dist2max",
    "dist2ref",
    "dist2targ",
    "efficacy",
    "fracmax",
    "goalposts",
    "minmax",
    "none",
    "percentile_rank",
    "range_shift",
    "rank",
    "scaled",
    "target_ratio",
    "zscore",
]

FloatArray = NDArray[np.float64]
ZeroVariance = Literal["error", "constant", "nan"]

REGISTRY = Registry("normalise")


# --------------------------------------------------------------------------- helpers


def check_direction(direction: ArrayLike, n_cols: int) -> FloatArray:
    """Validate a direction vector: 1-D, length ``n_cols``, values +1 / -1."""
    d = np.asarray(direction, dtype=np.float64)
    if d.ndim != 1 or d.shape[0] != n_cols:
        raise MethodError(
            f"方向向量长度不符 / direction must be a 1-D array of length n_cols={n_cols} "
            f"(one +1/-1 per indicator column); got shape {d.shape}"
        )
    bad = np.flatnonzero((d != 1.0) & (d != -1.0))
    if bad.size:
        raise MethodError(
            f"方向只能取 1 或 -1 / direction must be +1 (benefit, 正向) or -1 (cost, 逆向); "
            f"column(s) {bad.tolist()} have {d[bad].tolist()}"
        )
    return d


def _colparam(a: ArrayLike | None, n_cols: int, name: str) -> FloatArray:
    if a is None:
        raise MethodError(
            f"缺少参数 {name} / this method needs the per-indicator array {name!r} "
            f"(length {n_cols}); set it in the framework (e.g. target values)"
        )
    v = np.asarray(a, dtype=np.float64)
    if v.ndim != 1 or v.shape[0] != n_cols:
        raise MethodError(
            f"{name} 长度不符 / {name} must be a 1-D array of length n_cols={n_cols}; "
            f"got shape {v.shape}"
        )
    bad = np.flatnonzero(~np.isfinite(v))
    if bad.size:
        raise MethodError(
            f"{name} 缺失 / {name} is missing or not finite for column(s) {bad.tolist()}: "
            "give a value for every indicator normalised with this method"
        )
    return v


def _prep(x: ArrayLike, direction: ArrayLike) -> tuple[FloatArray, FloatArray]:
    a = as_data(x)
    d = check_direction(direction, a.shape[-1])
    return a, d


def _cols(mask: NDArray[np.bool_]) -> list[int]:
    """Column indices where ``mask`` (shape (..., 1, n_cols)) is true anywhere."""
    m = mask.reshape(-1, mask.shape[-1]).any(axis=0)
    return [int(j) for j in np.flatnonzero(m)]


def _degenerate(
    xd: FloatArray, zero_variance: ZeroVariance, method: str
) -> tuple[NDArray[np.bool_], FloatArray, FloatArray]:
    """Min, range and the degenerate-column mask (range 0 or < 2 values)."""
    lo = nan_min(xd)
    hi = nan_max(xd)
    rng = hi - lo
    bad = (nan_count(xd) < 2) | ~(rng > 0)
    if zero_variance == "error" and bad.any():
        cols = _cols(bad)
        raise MethodError(
            f"第 {cols} 列取值全部相同或可用值少于 2 个，无法进行{method}标准化 / "
            f"column(s) {cols} are constant or have fewer than 2 available values, so "
            f"{method} normalisation is undefined. Fix: drop or fix the indicator, or pass "
            "zero_variance='constant' (map to the centre of the output range) or "
            "zero_variance='nan' (leave the column missing)",
            columns=cols
        )
    return bad, lo, rng


def _apply_policy(
    z: FloatArray,
    xd: FloatArray,
    bad: NDArray[np.bool_],
    zero_variance: ZeroVariance,
    centre: float,
) -> FloatArray:
    if not bad.any():
        return z
    fill = centre if zero_variance == "constant" else np.nan
    return np.where(bad & ~np.isnan(xd), fill, np.where(bad, np.nan, z))


def _unit01(xd: FloatArray, zero_variance: ZeroVariance, method: str) -> FloatArray:
    """``(xd - min) / (max - min)`` with the degenerate policy (centre 0.5)."""
    bad, lo, rng = _degenerate(xd, zero_variance, method)
    z = np.subtract(xd, lo)  # one new array, then in place: this is the hot path
    with np.errstate(invalid="ignore", divide="ignore"):
        z /= np.where(bad, 1.0, rng)
    return _apply_policy(z, xd, bad, zero_variance, 0.5)


# --------------------------------------------------------------------------- params


class ZVParams(Params):
    """Parameters shared by range-based methods."""

    zero_variance: ZeroVariance = "error"


class NoneParams(Params):
    """``none`` has no parameters."""


class MinMaxParams(ZVParams):
    lower: float = 0.0
    upper: float = 100.0

    @model_validator(mode="after")
    def _order(self) -> MinMaxParams:
        if not self.upper > self.lower:
            raise ValueError("upper must be greater than lower")
        return self


class ZScoreParams(ZVParams):
    mean: float = 0.0
    sd: float = Field(1.0, gt=0)


class ScaledParams(Params):
    lower: float = 0.0
    upper: float = 100.0
    scale_factor: float = 100.0

    @model_validator(mode="after")
    def _order(self) -> ScaledParams:
        if self.upper == self.lower:
            raise ValueError("upper and lower must differ")
        return self


class RankParams(Params):
    """Rank methods: ties "min", NaN kept."""


class PercentileParams(ZVParams):
    pass


class Dist2RefParams(ZVParams):
    ref: int = Field(ge=0, description="row index of the reference unit")
    cap: bool = False


class Dist2TargParams(Params):
    cap: bool = False


class GoalpostsParams(Params):
    scale: float = Field(100.0, gt=0)
    truncate: bool = True


class RangeShiftParams(ZVParams):
    shift: float = Field(0.0001, ge=0, lt=0.5)
    variant: Literal["shift", "squeeze"] = "shift"


class EfficacyParams(ZVParams):
    base: float = 60.0
    span: float = Field(40.0, gt=0)


class TargetRatioParams(Params):
    cap: bool = True
    scale: float = Field(1.0, gt=0)


# --------------------------------------------------------------------------- kernels


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
def percentile_rank(
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
    "dist2ref",
    params=Dist2RefParams,
    label_zh="与参照单元的距离",
    label_en="distance to a reference unit",
)
def dist2ref(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    ref: int,
    cap: bool = False,
    zero_variance: ZeroVariance = "error",
) -> FloatArray:
    r"""Distance to a reference unit ``y = 1 - (x'_r - x')/(x'_r - \min x')``.

    ``ref`` is the row index of the reference unit (``x'_r`` its value in the
    column); the reference scores 1 and the worst unit 0; ``cap=True`` caps
    units better than the reference at 1.  A column where the reference value
    is missing raises ``MethodError``; a column where the reference is the
    worst unit (``x'_r = min``, e.g. a constant column) follows
    ``zero_variance`` (centre 0.5).

    Reference: COINr ``n_dist2ref`` (``iref``, ``cap_max = FALSE``); OECD/JRC
    Handbook (2008) Table 11 "distance to a reference".
    """
    a, d = _prep(x, direction)
    n = a.shape[-2]
    if not 0 <= ref < n:
        raise MethodError(f"参照单元序号越界 / ref={ref} is not a unit row index (0..{n - 1})")
    xd = a * d
    xr = xd[..., ref : ref + 1, :]
    if np.isnan(xr).any():
        cols = _cols(np.isnan(xr))
        raise MethodError(
            f"参照单元在第 {cols} 列缺失 / the reference unit (row {ref}) has no value in "
            f"column(s) {cols}: impute first or choose another reference unit",
            columns=cols
        )
    lo = nan_min(xd)
    den = xr - lo
    bad = ~(den > 0)
    if zero_variance == "error" and bad.any():
        cols = _cols(bad)
        raise MethodError(
            f"第 {cols} 列参照单元为最小值 / in column(s) {cols} the reference unit (row "
            f"{ref}) has the worst value, so distance-to-reference is undefined: choose a "
            "better reference unit, or pass zero_variance='constant' or 'nan'",
            columns=cols
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        z = 1.0 - (xr - xd) / np.where(bad, 1.0, den)
    if cap:
        z = np.minimum(z, 1.0)
    return _apply_policy(z, xd, bad, zero_variance, 0.5)


@REGISTRY.register(
    "dist2targ",
    params=Dist2TargParams,
    label_zh="与目标值的距离",
    label_en="distance to target",
    needs={"target"},
)
def dist2targ(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    target: ArrayLike | None = None,
    cap: bool = False,
) -> FloatArray:
    r"""Distance to target ``y = (x' - \min x')/(t' - \min x')``, ``t' = t · d``.

    Benefit: ``(x - min)/(t - min)``; cost: ``(max - x)/(max - t)`` (COINr
    ``n_dist2targ`` with the iMeta ``Target`` multiplied by Direction).  The
    target ``t`` is given in the indicator's own units.  ``cap=True`` caps at
    1 (units at or beyond target score 1).  A target not better than the
    worst available value (``t' <= min x'``) raises ``MethodError`` (COINr
    only warns when the target is outside the data range and returns negative
    or infinite scores).

    Reference: COINr ``n_dist2targ`` (``cap_max = FALSE``); OECD/JRC Handbook
    (2008) Table 11 "distance to a reference/target".
    """
    a, d = _prep(x, direction)
    t = _colparam(target, a.shape[-1], "target") * d
    xd = a * d
    lo = nan_min(xd)
    den = t - lo
    bad = ~(den > 0)
    if bad.any():
        cols = _cols(bad)
        raise MethodError(
            f"第 {cols} 列目标值不优于最差值 / column(s) {cols}: the target is not better "
            "than the worst available value (or the column is all missing), so distance to "
            "target is undefined; check the target and the indicator's direction",
            columns=cols
        )
    z = (xd - lo) / den
    return np.minimum(z, 1.0) if cap else z


@REGISTRY.register(
    "goalposts",
    params=GoalpostsParams,
    label_zh="目标区间（goalposts）",
    label_en="goalposts",
    needs={"goal_lower", "goal_upper"},
)
def goalposts(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    goal_lower: ArrayLike | None = None,
    goal_upper: ArrayLike | None = None,
    scale: float = 100.0,
    truncate: bool = True,
) -> FloatArray:
    r"""Goalposts: ``y = clip((x - L)/(U - L), 0, 1) · scale`` for benefit,
    ``clip((U - x)/(U - L), 0, 1) · scale`` for cost.

    ``L < U`` are the goalposts in the indicator's own units; for a cost
    column they are swapped and negated, as COINr does, so ``L`` is then the
    "good" end.  ``truncate=False`` skips the clipping.  Default scale 100
    (COINr has no default: ``gposts = c(lower, upper, scale)``).

    Reference: COINr ``n_goalposts`` (``trunc2posts = TRUE``); UNDP HDI
    technical notes (goalpost method).
    """
    a, d = _prep(x, direction)
    n = a.shape[-1]
    lo = _colparam(goal_lower, n, "goal_lower")
    hi = _colparam(goal_upper, n, "goal_upper")
    bad = np.flatnonzero(~(hi > lo))
    if bad.size:
        raise MethodError(
            f"第 {bad.tolist()} 列目标区间有误 / column(s) {bad.tolist()}: goal_lower must be "
            "smaller than goal_upper (give them in the indicator's units; direction decides "
            "which end is good)"
        )
    lo_d = np.where(d > 0, lo, -hi)
    hi_d = np.where(d > 0, hi, -lo)
    z: FloatArray = (a * d - lo_d) / (hi_d - lo_d)
    if truncate:
        z = np.clip(z, 0.0, 1.0)
    return z * scale


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


@REGISTRY.register(
    "target_ratio",
    params=TargetRatioParams,
    label_zh="目标值比例（达标率）",
    label_en="ratio to target",
    needs={"target"},
)
def target_ratio(
    x: ArrayLike,
    direction: ArrayLike,
    *,
    target: ArrayLike | None = None,
    cap: bool = True,
    scale: float = 1.0,
) -> FloatArray:
    r"""Ratio to target (达标率): benefit ``x/t``, cost ``t/x``, capped at 1 when
    ``cap``, times ``scale`` (e.g. 100).

    Cost handling is defined by the method (``t/x``), not by ``x · d``.
    Requires ``t > 0``; benefit columns need ``x >= 0`` and cost columns
    ``x > 0``; otherwise ``MethodError``.

    Reference: 目标值法 / 达标率 as used in Chinese evaluation (MARA county
    informatisation levels are percentages of targets); OECD/JRC Handbook
    (2008) Table 11 "distance to a reference" (ratio form).
    """
    a, d = _prep(x, direction)
    t = _colparam(target, a.shape[-1], "target")
    badt = np.flatnonzero(~(t > 0))
    if badt.size:
        raise MethodError(
            f"第 {badt.tolist()} 列目标值须为正 / column(s) {badt.tolist()}: target must be > 0"
        )
    ben = d > 0
    with np.errstate(invalid="ignore"):
        neg = np.where(ben, a < 0, a <= 0)
    if neg.any():
        cols = sorted({int(j) for j in np.argwhere(neg)[:, -1]})
        raise MethodError(
            f"第 {cols} 列存在非正值 / column(s) {cols}: the ratio to target needs x >= 0 "
            "(benefit) or x > 0 (cost); use 'dist2targ' or 'goalposts' for such data"
        )
    with np.errstate(divide="ignore"):
        z = np.where(ben, a / t, t / a)
    if cap:
        z = np.minimum(z, 1.0)
    return z * scale
