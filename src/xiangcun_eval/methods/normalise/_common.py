"""Shared helpers of the normalisation kernels.  Not public.

Direction and per-column parameter checks, degenerate (zero-variance) columns.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import MethodError
from .._checks import check_direction
from .._registry import Params
from .._stats import as_data, nan_max, nan_min

__all__ = ["check_direction"]  # re-exported by the package (public)

FloatArray = NDArray[np.float64]
ZeroVariance = Literal["error", "constant", "nan"]


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
    """Min, range and the degenerate-column mask (range 0 or < 2 values).

    ``max − min > 0`` needs two distinct available values, so "fewer than 2
    values" is part of ``not (range > 0)`` (an all-missing column has range
    NaN): one test, no count of the available values.
    """
    lo = nan_min(xd)
    hi = nan_max(xd)
    rng = hi - lo
    bad = ~(rng > 0)
    if zero_variance == "error" and bad.any():
        cols = _cols(bad)
        raise MethodError(
            f"第 {cols} 列取值全部相同或可用值少于 2 个，无法进行{method}标准化 / "
            f"column(s) {cols} are constant or have fewer than 2 available values, so "
            f"{method} normalisation is undefined. Fix: drop or fix the indicator, or pass "
            "zero_variance='constant' (map to the centre of the output range) or "
            "zero_variance='nan' (leave the column missing)",
            columns=cols,
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


class ZVParams(Params):
    """Parameters shared by range-based methods."""

    zero_variance: ZeroVariance = "error"


class NoneParams(Params):
    """``none`` has no parameters."""
