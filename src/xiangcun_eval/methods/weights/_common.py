"""Shared helpers of the weighting kernels.  Not public.

Input checks, complete cases, column min-max, sums to one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import MethodError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_TINY = 1e-300


def _f64(a: Any) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def _data(x: npt.ArrayLike, *, replicates: bool = False, min_units: int = 2) -> FloatArray:
    """Validate a data array: float, 2-D (or >= 2-D with replicates), no inf."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MethodError(f"数据无法转换为数值数组 / data is not numeric: {exc}") from None
    if a.ndim != 2 and not (replicates and a.ndim > 2):
        raise MethodError(
            f"数据应为二维数组 (单位 × 指标) / data must be a 2-D array (units × columns); "
            f"got shape {a.shape}"
        )
    if a.shape[-1] == 0:
        raise MethodError("数据没有任何列 / data has no columns: nothing to weight")
    if a.shape[-2] < min_units:
        raise MethodError(
            f"至少需要 {min_units} 个评价单位 / at least {min_units} units are needed; "
            f"got {a.shape[-2]}"
        )
    if np.isinf(a).any():
        cols = sorted({int(c) for c in np.nonzero(np.isinf(a))[-1]})
        raise MethodError(
            f"数据含无穷值 (列 {cols}) / data contain ±inf in column(s) {cols}: "
            "fix or treat these values first"
        )
    return a


def _cols(mask: npt.NDArray[np.bool_]) -> list[int]:
    """Column indices where ``mask`` (..., n_cols) is true in any replicate."""
    m = mask.reshape(-1, mask.shape[-1]).any(axis=0)
    return [int(i) for i in np.nonzero(m)[0]]


def _complete_cases(x: FloatArray, min_rows: int, method: str) -> FloatArray:
    keep = ~np.isnan(x).any(axis=1)
    n = int(keep.sum())
    if n < min_rows:
        raise MethodError(
            f"{method}: 完整观测 (无缺失的单位) 只有 {n} 个, 至少需要 {min_rows} 个 / "
            f"only {n} complete cases (units without missing values); {method} needs at "
            f"least {min_rows}: impute first or drop sparse columns"
        )
    return x[keep]


def _normalise_sum(v: FloatArray, what: str) -> FloatArray:
    s = v.sum(axis=-1, keepdims=True)
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise MethodError(
            f"{what}: 权重之和为 0 或无效, 无法归一化 / weights sum to zero or are not "
            "finite, cannot normalise (all columns degenerate?)"
        )
    return _f64(v / s)


def _count_available(x: FloatArray, need: int, method: str) -> FloatArray:
    n = (~np.isnan(x)).sum(axis=-2)
    short = n < need
    if short.any():
        raise MethodError(
            f"{method}: 列 {_cols(short)} 的有效值少于 {need} 个 / column(s) {_cols(short)} "
            f"have fewer than {need} non-missing values"
        )
    return _f64(n)


def _minmax(
    x: FloatArray, direction: FloatArray | None
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Column-wise min-max over available values (axis -2); constant columns -> 0.

    Returns the normalised array and the (..., n_cols) mask of constant columns.
    ``direction`` -1 reverses a column: ``(max - x) / (max - min)``.
    """
    lo = np.nanmin(x, axis=-2, keepdims=True)
    hi = np.nanmax(x, axis=-2, keepdims=True)
    rng = hi - lo
    const = rng == 0
    safe = np.where(const, 1.0, rng)
    z = (x - lo) / safe
    if direction is not None:
        z = np.where(direction < 0, (hi - x) / safe, z)
    z = np.where(const, 0.0, z)
    return _f64(z), np.asarray(const[..., 0, :], dtype=np.bool_)


def _explicit_vector(
    weights: npt.ArrayLike | Mapping[str, float], n_cols: int, codes: Sequence[str] | None
) -> FloatArray:
    if isinstance(weights, Mapping):
        if codes is None:
            raise MethodError(
                "按代码给出的权重需要列代码 / weights given as a mapping need the column codes"
            )
        codes = list(codes)
        if len(codes) != n_cols:
            raise MethodError(
                f"列代码数 {len(codes)} 与列数 {n_cols} 不符 / {len(codes)} codes for "
                f"{n_cols} columns"
            )
        missing = [c for c in codes if c not in weights]
        extra = [k for k in weights if k not in codes]
        if missing or extra:
            raise MethodError(
                f"权重与指标代码不匹配 / weights do not match the column codes: missing "
                f"{missing}, unknown {extra}"
            )
        w = np.array([float(weights[c]) for c in codes])
    else:
        w = np.asarray(weights, dtype=np.float64).reshape(-1)
        if w.shape != (n_cols,):
            raise MethodError(
                f"权重个数 {w.size} 与列数 {n_cols} 不符 / {w.size} weights for {n_cols} columns"
            )
    bad = [int(i) for i in np.nonzero(~np.isfinite(w) | (w < 0))[0]]
    if bad:
        raise MethodError(
            f"权重必须为非负有限数 / weights must be finite and non-negative: column(s) {bad}"
        )
    return _normalise_sum(w, "explicit")
