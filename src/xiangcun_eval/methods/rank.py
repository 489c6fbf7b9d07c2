"""Ranks and grade bands (排名与等级).

* :func:`rank_desc` -- rank 1 = best (highest score), ties get the minimum
  rank (``"min"``, like R's ``rank(-x, ties.method = "min")``, COINr's
  convention, pandas ``rank(ascending=False, method="min")``); NaN stays NaN
  and is not counted, so the ranks of the available units are ``1..n_avail``.
* :func:`rank_within` -- the same within groups (e.g. provinces 省份).
* :func:`grade` -- grade codes from decreasing thresholds; default the PKU
  county digital-village index bands 高/较高/中等/较低/低 at 80/60/40/20.
  Boundary convention: a score *equal* to a threshold belongs to the higher
  band (``score >= 80`` is 高, ``60 <= score < 80`` is 较高, ...,
  ``score < 20`` is 低).  :func:`grade_by_quantile` uses quantiles of the
  observed scores as thresholds.

All functions are vectorised over leading axes (sorting based, no Python
loops over rows) and never modify their inputs.

Axis rule (``docs/architecture.md``): arrays with a units axis are shaped
``(*leading, n_units, *per_unit)``.  These functions take *one value per
unit* — an index, or one replicate's scores, ``(..., n_units)`` — so the
units are the last axis, the default ``axis=-1``; for a matrix of level
scores ``(..., n_units, n_groups)`` (a per-unit axis last) pass ``axis=-2``.

References
----------
北京大学新农村发展研究院 and 阿里研究院, 县域数字乡村指数 (2018 edition): index
on 0-100 with bands 高 >= 80, 较高 60-80, 中等 40-60, 较低 20-40, 低 < 20.
COINr 1.1.14 ``rank()`` usage (``ties.method = "min"``, NAs kept), see
reference/coinr-methods.md §14.11.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ._stats import rank_min

__all__ = [
    "PKU_LABELS",
    "PKU_LABELS_EN",
    "PKU_LABELS_ZH",
    "PKU_THRESHOLDS",
    "grade",
    "grade_by_quantile",
    "grade_labels",
    "quantile_thresholds",
    "rank_desc",
    "rank_within",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

PKU_THRESHOLDS: tuple[float, ...] = (80.0, 60.0, 40.0, 20.0)
"""Lower bounds of the PKU bands 高, 较高, 中等, 较低 (below 20: 低)."""
PKU_LABELS_ZH: tuple[str, ...] = ("高", "较高", "中等", "较低", "低")
PKU_LABELS_EN: tuple[str, ...] = ("high", "upper-middle", "middle", "lower-middle", "low")
PKU_LABELS: tuple[str, ...] = tuple(
    f"{zh} / {en}" for zh, en in zip(PKU_LABELS_ZH, PKU_LABELS_EN, strict=True)
)


def _runs_start(newrun: NDArray[np.bool_]) -> IntArray:
    """Index of the start of the run each position belongs to (last axis)."""
    n = newrun.shape[-1]
    pos = np.where(newrun, np.arange(n, dtype=np.intp), 0)
    out: IntArray = np.maximum.accumulate(pos, axis=-1)
    return out


def rank_desc(scores: ArrayLike, axis: int = -1) -> FloatArray:
    """Descending ranks along ``axis``: 1 = highest score, ties "min", NaN kept.

    Parameters
    ----------
    scores
        Float array; NaN = missing.
    axis
        The axis holding the units (``-2`` for a ``(..., n_units, n_nodes)``
        score array).

    Returns
    -------
    float64 array of the same shape: ranks ``1..n_available`` (ties share
    the smallest rank of the tie, the next rank is skipped), NaN where the
    score is NaN.

    Examples
    --------
    >>> rank_desc([3.0, 5.0, 3.0, float("nan"), 1.0]).tolist()
    [2.0, 1.0, 2.0, nan, 4.0]
    """
    a = np.asarray(scores, dtype=np.float64)
    if a.ndim == 0 or a.shape[axis] == 0:
        return a.copy()
    return rank_min(-a, axis=axis)  # NaN stays NaN and sorts last


def rank_within(
    scores: ArrayLike, groups: ArrayLike, n_groups: int, axis: int = -1
) -> FloatArray:
    """Descending ranks within groups (e.g. 省内排名), ties "min", NaN kept.

    Parameters
    ----------
    scores
        Float array; NaN = missing.
    groups
        intp ``(n_units,)``: group code of each unit along ``axis``,
        ``0 <= code < n_groups``, ``-1`` = no group (rank NaN).
    n_groups
        Number of groups.
    axis
        The units axis of ``scores``.

    Returns
    -------
    float64 array of the same shape: the rank of each unit among the units
    of its group with available scores.
    """
    a = np.moveaxis(np.asarray(scores, dtype=np.float64), axis, -1)
    g = np.asarray(groups)
    n = a.shape[-1]
    if g.ndim != 1 or g.size != n or not (np.issubdtype(g.dtype, np.integer) or n == 0):
        raise MethodError(
            f"分组代码须为长度 {n} 的整数数组 / groups must be an integer array of length {n} "
            f"(one code per unit); got dtype {g.dtype}, shape {g.shape}"
        )
    g = g.astype(np.intp, copy=False)
    if ((g < -1) | (g >= n_groups)).any():
        bad = int(np.flatnonzero((g < -1) | (g >= n_groups))[0])
        raise MethodError(
            f"分组代码越界 / group code {int(g[bad])} of unit {bad} is outside "
            f"[-1, {n_groups}); -1 means 'no group'"
        )
    if n == 0:
        return np.moveaxis(a.copy(), -1, axis)
    ungrouped = g < 0
    neg = np.where(ungrouped, np.nan, -a)
    gk = np.broadcast_to(np.where(ungrouped, n_groups, g), a.shape)
    # by group, then by -score (NaN last): the order ``np.lexsort((neg, gk))``
    # gives, as two stable sorts (a radix sort for the small group codes)
    by_score = np.argsort(neg, axis=-1, kind="stable")
    small = np.int16 if n_groups < np.iinfo(np.int16).max else np.intp
    by_group = np.argsort(np.take_along_axis(gk, by_score, axis=-1).astype(small), axis=-1,
                          kind="stable")
    order = np.take_along_axis(by_score, by_group, axis=-1)
    s = np.take_along_axis(neg, order, axis=-1)
    gs = np.take_along_axis(gk, order, axis=-1)
    newgroup = np.ones(s.shape, dtype=bool)
    newgroup[..., 1:] = gs[..., 1:] != gs[..., :-1]
    newrun = newgroup.copy()
    newrun[..., 1:] |= s[..., 1:] != s[..., :-1]
    r = (_runs_start(newrun) - _runs_start(newgroup) + 1).astype(np.float64)
    r[np.isnan(s)] = np.nan
    out = np.empty_like(r)
    np.put_along_axis(out, order, r, axis=-1)
    return np.moveaxis(out, -1, axis)


def _check_thresholds(t: FloatArray) -> None:
    if t.ndim < 1 or t.shape[-1] == 0 or not np.isfinite(t).all():
        raise MethodError(
            f"等级阈值须为非空有限数组 / grade thresholds must be a non-empty finite array, "
            f"got {t.tolist()}"
        )
    if (np.diff(t, axis=-1) >= 0).any():
        raise MethodError(
            f"等级阈值须严格递减 / grade thresholds must be strictly decreasing "
            f"(highest band first), got {t.tolist()}"
        )


def grade(scores: ArrayLike, thresholds: ArrayLike = PKU_THRESHOLDS) -> IntArray:
    """Grade codes from strictly decreasing thresholds.

    ``code = #{k : score < thresholds[k]}``: 0 for ``score >= thresholds[0]``
    (the best band), ``len(thresholds)`` below the last threshold; ``-1`` for
    a NaN score.  With the default PKU thresholds ``(80, 60, 40, 20)``, codes
    0..4 index :data:`PKU_LABELS_ZH` 高/较高/中等/较低/低 (score 80 is 高, 79.99
    is 较高).  ``thresholds`` may carry leading axes ``(..., m)`` matching
    the leading axes of ``scores`` ``(..., n)`` (one set per row).

    Examples
    --------
    >>> grade([85.0, 80.0, 79.9, 20.0, 5.0, float("nan")]).tolist()
    [0, 0, 1, 3, 4, -1]
    """
    s = np.asarray(scores, dtype=np.float64)
    t = np.asarray(thresholds, dtype=np.float64)
    _check_thresholds(t)
    if t.ndim > 1:
        codes: IntArray = np.sum(s[..., None] < t[..., None, :], axis=-1, dtype=np.intp)
    else:  # one pass per threshold: no (..., n, k) temporary
        codes = np.zeros(s.shape, dtype=np.intp)
        for v in t.tolist():
            codes += s < v
    codes[np.isnan(s)] = -1
    return codes


def quantile_thresholds(
    scores: ArrayLike, probs: Sequence[float] = (0.8, 0.6, 0.4, 0.2), axis: int = -1
) -> FloatArray:
    """Thresholds at the given quantiles of the available scores along ``axis``.

    ``probs`` strictly decreasing in ``(0, 1)``; quantiles by numpy's default
    linear interpolation (R type 7).  Returns ``(..., len(probs))`` (the
    units axis replaced by the thresholds); NaN where no score is available.
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 1 or p.size == 0 or ((p <= 0) | (p >= 1)).any() or (np.diff(p) >= 0).any():
        raise MethodError(
            f"分位数须严格递减且在 (0, 1) 内 / quantile probabilities must be strictly "
            f"decreasing within (0, 1), got {list(probs)}"
        )
    a = np.moveaxis(np.asarray(scores, dtype=np.float64), axis, -1)
    s = np.sort(a, axis=-1)  # NaN last
    n = np.sum(~np.isnan(a), axis=-1, keepdims=True)
    h = (n - 1) * p  # (..., m) linear interpolation positions
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    lo = np.maximum(lo, 0)
    frac = h - np.floor(h)
    vlo = np.take_along_axis(s, lo, axis=-1)
    vhi = np.take_along_axis(s, hi, axis=-1)
    out: FloatArray = np.where(n > 0, vlo + frac * (vhi - vlo), np.nan)
    return out


def grade_by_quantile(
    scores: ArrayLike, probs: Sequence[float] = (0.8, 0.6, 0.4, 0.2), axis: int = -1
) -> IntArray:
    """Grade codes with :func:`quantile_thresholds` as thresholds.

    With the default ``probs`` the top band is the scores at or above the
    80th percentile (about the top 20 %), then 60-80 %, ... (same boundary
    convention as :func:`grade`: a score equal to a threshold takes the
    higher band).  Ties at a threshold can make bands unequal in size.
    Codes ``-1`` for NaN scores.
    """
    s = np.asarray(scores, dtype=np.float64)
    t = quantile_thresholds(s, probs, axis=axis)
    sm = np.moveaxis(s, axis, -1)
    ok = ~np.isnan(t).any(axis=-1)
    if ok.all():
        return np.moveaxis(grade(sm, t), -1, axis)
    codes = np.full(sm.shape, -1, dtype=np.intp)
    if sm.ndim > 1 and ok.any():
        codes[ok] = grade(sm[ok], t[ok])
    return np.moveaxis(codes, -1, axis)


def grade_labels(
    codes: ArrayLike, labels: Sequence[str] = PKU_LABELS, missing: str = "—"
) -> NDArray[np.str_]:
    """Labels of grade codes (``missing`` for code -1).

    ``labels[k]`` is the label of code ``k``: give ``len(thresholds) + 1``
    labels, best band first (default :data:`PKU_LABELS`, bilingual
    "高 / high" ...; :data:`PKU_LABELS_ZH` / :data:`PKU_LABELS_EN` for one
    language).
    """
    c = np.asarray(codes)
    lab = np.asarray([*labels, missing])
    if c.size and (c.max() >= len(labels) or c.min() < -1):
        raise MethodError(
            f"等级代码超出标签范围 / grade codes outside 0..{len(labels) - 1} (or -1): give one "
            "label per band (len(thresholds) + 1)"
        )
    out: NDArray[np.str_] = lab[np.where(c < 0, len(labels), c)]
    return out
