"""Normalisations against a reference.

A reference unit, targets, goalposts and the ratio to a target.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from .._stats import nan_min
from ._common import FloatArray, ZeroVariance, ZVParams, _apply_policy, _colparam, _cols, _prep
from .registry import REGISTRY


class Dist2RefParams(ZVParams):
    """Parameters of :func:`dist2ref`: the reference unit's row ``ref`` and ``cap``."""

    ref: int = Field(ge=0, description="row index of the reference unit")
    cap: bool = False


class Dist2TargParams(Params):
    """Parameters of :func:`dist2targ`: ``cap`` at the target."""

    cap: bool = False


class GoalpostsParams(Params):
    """Parameters of :func:`goalposts`: output ``scale`` and whether to ``truncate``."""

    scale: float = Field(100.0, gt=0)
    truncate: bool = True


class TargetRatioParams(Params):
    """Parameters of :func:`target_ratio`: ``cap`` at 1 and output ``scale``."""

    cap: bool = True
    scale: float = Field(1.0, gt=0)


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
            columns=cols,
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
            columns=cols,
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
            columns=cols,
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
    r"""Goalposts: ``y = clip((x - L)/(U - L), 0, 1) · scale`` for benefit.

    For cost: ``clip((U - x)/(U - L), 0, 1) · scale``.

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
    r"""Ratio to target (达标率): benefit ``x/t``, cost ``t/x``.

    Capped at 1 when ``cap``, times ``scale`` (e.g. 100).

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
