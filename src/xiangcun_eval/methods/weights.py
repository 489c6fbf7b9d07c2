"""Weighting kernels (权重方法).

Every data-driven kernel takes a 2-D float array ``x`` of shape
``(n_units, n_cols)`` -- the units and the columns (indicators or child
aggregates) of *one* aggregation group -- and returns weights of shape
``(n_cols,)`` that sum to 1.  Kernels marked ``replicates=True`` in
:data:`REGISTRY` also accept leading replicate axes ``(..., n_units, n_cols)``
and then return ``(..., n_cols)``.  Exceptions, stated in their docstrings:
benefit of the doubt returns per-unit weights ``(n_units, n_cols)``, COINr's
PC1 weights are raw (unnormalised) loadings.

Missing values (NaN) -- each kernel states its policy:

* column-wise available data: ``entropy``, ``cv``, ``sd`` (each column uses
  its own non-missing values; at least 2 per column);
* complete cases (rows without any NaN): ``critic``, ``pca_oecd``,
  ``pca_coinr``, :func:`optimise_balance` (correlations);
* not allowed (impute first): ``bod``.

Degenerate (constant) columns never produce silent numbers: either the
method defines their weight (entropy, sd: weight 0, because a constant column
carries no information) or a :class:`~xiangcun_eval.errors.MethodError`
names the column.

Besides the registered data kernels this module provides
:func:`ahp` (pairwise-comparison matrices), :func:`combine_weights`,
:func:`optimise_balance`, :func:`effective_weights`, :func:`varimax`,
:func:`factor_analysis_weights` and :func:`benefit_of_doubt`, which return
small result objects with diagnostics.

See ``docs/methods-weights.md`` for the conventions and the references each
method was checked against.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ..errors import MethodError
from ._registry import Params, Registry

__all__ = [
    "RANDOM_INDEX",
    "REGISTRY",
    "AHPParams",
    "AHPResult",
    "BoDParams",
    "BoDResult",
    "CRITICParams",
    "CVParams",
    "CombinedParams",
    "EntropyParams",
    "ExplicitParams",
    "FactorAnalysisResult",
    "MethodSpec",
    "OptimisedParams",
    "OptimisedWeights",
    "PCACoinrParams",
    "PCAOecdParams",
    "SDParams",
    "ahp",
    "ahp_weights",
    "benefit_of_doubt",
    "bod_weights",
    "coefficient_of_variation",
    "combine_weights",
    "combined",
    "critic",
    "effective_weights",
    "entropy",
    "equal",
    "explicit",
    "factor_analysis_weights",
    "optimise_balance",
    "optimised",
    "pca_coinr",
    "pca_oecd",
    "retain_factors",
    "standard_deviation",
    "varimax",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

REGISTRY = Registry("weights")

_TINY = 1e-300


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


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


def _direction(direction: npt.ArrayLike | None, n_cols: int) -> FloatArray:
    if direction is None:
        return np.ones(n_cols)
    d = np.asarray(direction, dtype=np.float64).reshape(-1)
    if d.shape != (n_cols,):
        raise MethodError(
            f"方向数组长度应为 {n_cols} / direction must have length {n_cols} "
            f"(one entry per column); got shape {np.shape(direction)}"
        )
    bad = [i for i, v in enumerate(d) if v not in (1.0, -1.0)]
    if bad:
        raise MethodError(
            f"方向只能为 1 (正向) 或 -1 (负向) / direction must be 1 (benefit) or -1 (cost); "
            f"bad column(s) {bad}"
        )
    return d


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


# --------------------------------------------------------------------------
# equal / explicit
# --------------------------------------------------------------------------


@REGISTRY.register("equal", label_zh="等权重", label_en="equal weights")
def equal(x: npt.ArrayLike) -> FloatArray:
    """Equal weights within the group.

    .. math:: w_j = 1 / m

    for the ``m`` columns of ``x``.  Missing values are irrelevant (the
    aggregation step renormalises over available children).
    """
    a = _data(x, replicates=True, min_units=0)
    m = a.shape[-1]
    return np.full((*a.shape[:-2], m), 1.0 / m)


class ExplicitParams(Params):
    """Given weights: a list (one per column, in column order) or a mapping
    indicator code -> weight (needs the column ``codes``)."""

    weights: tuple[float, ...] | dict[str, float]


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


@REGISTRY.register(
    "explicit",
    params=ExplicitParams,
    label_zh="给定权重",
    label_en="explicit weights",
    needs=frozenset({"codes"}),
)
def explicit(
    x: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | Mapping[str, float],
    codes: Sequence[str] | None = None,
) -> FloatArray:
    """Weights given by the analyst, validated and normalised.

    .. math:: w_j = v_j / \\sum_k v_k, \\qquad v_j \\ge 0

    Parameters
    ----------
    x
        Data of the group ``(..., n_units, n_cols)``; only its shape is used.
    weights
        One non-negative weight per column (column order), or a mapping
        ``code -> weight`` that must cover exactly ``codes``.
    codes
        Column codes (needed for a mapping).

    Raises
    ------
    MethodError
        Wrong length, missing / unknown codes, negative or non-finite weights,
        all weights zero.
    """
    a = _data(x, replicates=True, min_units=0)
    w = _explicit_vector(weights, a.shape[-1], codes)
    return _f64(np.broadcast_to(w, a.shape[:-2] + w.shape).copy())


# --------------------------------------------------------------------------
# entropy
# --------------------------------------------------------------------------

EntropyConvention = Literal["raw", "shifted_minmax", "bounded_minmax"]


class EntropyParams(Params):
    """``convention``: ``"raw"`` (p = x/Σx on raw non-negative data),
    ``"shifted_minmax"`` (极差标准化 + shift, default shift 0.0001) or
    ``"bounded_minmax"`` (min-max mapped into [shift, 1 − shift])."""

    convention: EntropyConvention = "raw"
    shift: float = Field(default=1e-4, ge=0.0, lt=0.5)


@REGISTRY.register(
    "entropy",
    params=EntropyParams,
    label_zh="熵权法",
    label_en="entropy weights",
    needs=frozenset({"direction"}),
)
def entropy(
    x: npt.ArrayLike,
    *,
    convention: EntropyConvention = "raw",
    direction: npt.ArrayLike | None = None,
    shift: float = 1e-4,
) -> FloatArray:
    """Entropy weights (熵权法), in the two conventions found in the literature.

    Step 1, column shares ``p_ij`` (per column ``j``, over its ``n_j``
    available units):

    * ``"raw"`` (international convention, e.g. Zeleny 1982; pymcdm
      ``entropy_weights``): ``p_ij = x_ij / Σ_i x_ij`` on the raw data, which
      must be non-negative.  ``direction`` is ignored.
    * ``"shifted_minmax"`` (common in Chinese studies): 极差标准化
      ``z_ij = (x_ij − min_j) / (max_j − min_j)`` for benefit columns,
      ``(max_j − x_ij) / (max_j − min_j)`` for cost columns
      (``direction == -1``), then ``z_ij + shift`` (shift 0.0001 so that
      ``ln`` is defined), ``p_ij = z_ij / Σ_i z_ij``.
    * ``"bounded_minmax"``: as above but ``z`` is mapped into
      ``[shift, 1 − shift]`` (``[0.0001, 0.9999]``):
      ``shift + (1 − 2·shift)·z_ij``.

    Step 2, entropy, divergence and weights:

    .. math::

        e_j = -\\frac{1}{\\ln n_j}\\sum_i p_{ij}\\ln p_{ij},\\quad
        d_j = 1 - e_j,\\quad w_j = d_j / \\sum_k d_k

    with ``0 · ln 0 = 0``.

    The conventions differ sharply on near-constant columns: on raw data
    such a column has ``p_ij ≈ 1/n`` and weight ≈ 0; min-max stretches the
    same column to the full [0, 1] range and it can get a large weight.

    Parameters
    ----------
    x
        ``(..., n_units, n_cols)``; NaN = missing, handled column-wise (each
        column uses its own available values; ``n_j`` is their count, >= 2).
    convention
        ``"raw"``, ``"shifted_minmax"`` or ``"bounded_minmax"``.
    direction
        1 / -1 per column (min-max conventions only); default all benefit.
    shift
        The shift of the min-max conventions (default 0.0001).

    Returns
    -------
    ndarray
        ``(..., n_cols)`` weights summing to 1.

    Notes
    -----
    Degenerate columns: a constant column has ``e_j = 1`` and weight 0 in
    every convention (min-max maps it to ``z = 0``, i.e. to the constant
    ``shift``).  ``"raw"`` raises :class:`MethodError` on negative values and
    on a column summing to 0.  If every column is constant the weights are
    undefined and :class:`MethodError` is raised.

    pymcdm (1.4) requires strictly positive data and sets the entropy of a
    column containing a 0 to 0 (maximal weight) instead of using
    ``0 · ln 0 = 0``; on strictly positive data ``"raw"`` agrees with it.

    References
    ----------
    Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill.
    Shannon, C. E. (1948). A mathematical theory of communication.
    """
    a = _data(x, replicates=True)
    m = a.shape[-1]
    n = _count_available(a, 2, "entropy")
    if convention == "raw":
        neg = np.asarray((np.nan_to_num(a, nan=0.0) < 0).any(axis=-2), dtype=np.bool_)
        if neg.any():
            raise MethodError(
                f"熵权法 (raw) 要求数据非负: 列 {_cols(neg)} 含负值 / entropy "
                f"(raw) needs non-negative data; column(s) {_cols(neg)} have "
                "negative values: use convention='shifted_minmax' or normalise first"
            )
        z = a
    elif convention in ("shifted_minmax", "bounded_minmax"):
        d = _direction(direction, m)
        z, _ = _minmax(a, d)
        z = z + shift if convention == "shifted_minmax" else shift + (1.0 - 2.0 * shift) * z
    else:
        raise MethodError(
            f"未知的熵权法约定 {convention!r} / unknown entropy convention {convention!r}; "
            "use 'raw', 'shifted_minmax' or 'bounded_minmax'"
        )
    total = np.nansum(z, axis=-2, keepdims=True)
    zero = total[..., 0, :] <= 0
    if zero.any():
        raise MethodError(
            f"熵权法: 列 {_cols(zero)} 之和为 0, 比重无定义 / entropy: column(s) "
            f"{_cols(zero)} sum to 0, shares p = x/Σx are undefined"
        )
    p = np.where(np.isnan(z), 0.0, z / total)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=-2) / np.log(n)
    dj = np.clip(1.0 - e, 0.0, None)
    return _normalise_sum(_f64(dj), "entropy")


# --------------------------------------------------------------------------
# CRITIC, CV, SD
# --------------------------------------------------------------------------


class CRITICParams(Params):
    """``reverse_cost``: reverse cost columns in the min-max step (so their
    correlations with benefit columns change sign); ``ddof`` of σ;
    ``constant``: ``"raise"`` or ``"zero"`` (constant column gets weight 0)."""

    reverse_cost: bool = True
    ddof: Literal[0, 1] = 1
    constant: Literal["raise", "zero"] = "raise"


@REGISTRY.register(
    "critic",
    params=CRITICParams,
    label_zh="CRITIC 法",
    label_en="CRITIC",
    replicates=False,
    needs=frozenset({"direction"}),
)
def critic(
    x: npt.ArrayLike,
    *,
    direction: npt.ArrayLike | None = None,
    reverse_cost: bool = True,
    ddof: int = 1,
    constant: Literal["raise", "zero"] = "raise",
) -> FloatArray:
    """CRITIC weights (Criteria Importance Through Intercriteria Correlation).

    1. Min-max normalise each column over the complete cases,
       ``z_ij = (x_ij − min_j)/(max_j − min_j)``; with ``reverse_cost`` cost
       columns (``direction == -1``) become ``(max_j − x_ij)/(max_j − min_j)``
       as in Diakoulaki et al. (value functions from worst to best).
    2. ``σ_j`` = standard deviation of ``z_j`` (``ddof=1``, sample sd, as
       pymcdm ``critic_weights``; ``ddof=0`` population sd).
    3. ``r_jk`` = Pearson correlation of ``z_j`` and ``z_k``.
    4. .. math:: C_j = σ_j \\sum_k (1 - r_{jk}), \\qquad w_j = C_j / \\sum_k C_k

    Reversal leaves ``σ_j`` unchanged but flips the sign of the correlations
    between a cost and a benefit column, so it changes the weights.
    ``reverse_cost=False`` (or no cost columns) reproduces pymcdm, which
    min-max normalises every column as a benefit column.

    Parameters
    ----------
    x
        ``(n_units, n_cols)``; rows with any NaN are dropped (complete cases;
        at least 3 are needed).
    direction
        1 / -1 per column.
    reverse_cost, ddof
        See above.
    constant
        A column constant over the complete cases has σ = 0 and undefined
        correlations: ``"raise"`` (default) raises :class:`MethodError`;
        ``"zero"`` gives it weight 0 and computes the others without it.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining
    objective weights in multiple criteria problems: the CRITIC method.
    *Computers & Operations Research* 22(7), 763-770.
    """
    a = _data(x)
    m = a.shape[1]
    d = _direction(direction, m)
    cc = _complete_cases(a, 3, "CRITIC")
    z, const = _minmax(cc, d if reverse_cost else None)
    if const.any():
        if constant == "raise":
            raise MethodError(
                f"CRITIC: 列 {_cols(const)} 为常数, 相关系数无定义 / column(s) "
                f"{_cols(const)} are constant over the complete cases, correlations are "
                "undefined: drop them or pass constant='zero'"
            )
        if const.all():
            raise MethodError("CRITIC: 所有列均为常数 / every column is constant")
    keep = ~const
    zk = z[:, keep]
    sd = zk.std(axis=0, ddof=ddof)
    if zk.shape[1] == 1:
        c = sd.copy()
    else:
        r = np.corrcoef(zk, rowvar=False)
        conflict = (1.0 - r).sum(axis=0)
        # rounding: perfectly correlated columns give 1 - r ~ 1e-16, not 0
        c = sd * np.where(conflict <= 1e-12 * zk.shape[1], 0.0, conflict)
    if not c.sum() > 0:
        raise MethodError(
            "CRITIC: 所有列两两完全相关, 信息量 C_j 全为 0 / every pair of columns is perfectly "
            "correlated, so every C_j is 0 and the weights are undefined"
        )
    out = np.zeros(m)
    out[keep] = c
    return _normalise_sum(out, "CRITIC")


class CVParams(Params):
    ddof: Literal[0, 1] = 1


@REGISTRY.register(
    "cv", params=CVParams, label_zh="变异系数法", label_en="coefficient of variation"
)
def coefficient_of_variation(x: npt.ArrayLike, *, ddof: int = 1) -> FloatArray:
    """Coefficient-of-variation weights (变异系数法).

    .. math:: v_j = s_j / |\\bar x_j|, \\qquad w_j = v_j / \\sum_k v_k

    ``s_j`` with ``ddof`` (default 1, sample sd).  Computed on the data as
    given (CV is meaningful for ratio-scale, positive data: raw values, not
    z-scores).  Invariant to rescaling any column by a positive constant.

    Missing values: column-wise available data (>= 2 per column).
    A column with mean 0 raises :class:`MethodError`; a constant column gets
    weight 0.

    References
    ----------
    Objective weighting by relative dispersion (变异系数法), common in Chinese
    county and regional evaluation studies.
    """
    a = _data(x, replicates=True)
    _count_available(a, 2, "cv")
    mean = np.nanmean(a, axis=-2)
    sd = np.nanstd(a, axis=-2, ddof=ddof)
    scale = np.nanmax(np.abs(a), axis=-2)
    zero = np.abs(mean) <= 1e-12 * np.where(scale > 0, scale, 1.0)
    if zero.any():
        raise MethodError(
            f"变异系数法: 列 {_cols(zero)} 均值为 0 / cv: column(s) {_cols(zero)} have mean "
            "0, the coefficient of variation is undefined: use raw positive data"
        )
    return _normalise_sum(_f64(sd / np.abs(mean)), "cv")


class SDParams(Params):
    normalise: bool = True
    ddof: Literal[0, 1] = 1


@REGISTRY.register(
    "sd", params=SDParams, label_zh="标准差法", label_en="standard deviation weights"
)
def standard_deviation(x: npt.ArrayLike, *, normalise: bool = True, ddof: int = 1) -> FloatArray:
    """Standard-deviation weights (标准差法).

    .. math:: w_j = s_j / \\sum_k s_k

    With ``normalise=True`` (default) ``s_j`` is the sd of the min-max
    normalised column (scale-free; direction does not matter because
    reversal keeps the sd); with ``normalise=False`` it is the sd of the data
    as given, which is what pymcdm 1.4 ``standard_deviation_weights`` does.
    ``ddof=1`` (sample sd) as pymcdm.

    Missing values: column-wise available data (>= 2 per column).  A
    constant column gets weight 0; all constant -> :class:`MethodError`.

    References
    ----------
    pymcdm ``weights.standard_deviation_weights`` (Kizielewicz, Shekhovtsov,
    Sałabun, pymcdm: the universal library for MCDM in Python, SoftwareX 2023).
    """
    a = _data(x, replicates=True)
    _count_available(a, 2, "sd")
    z = _minmax(a, None)[0] if normalise else a
    sd = np.nanstd(z, axis=-2, ddof=ddof)
    return _normalise_sum(_f64(sd), "sd")


# --------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------

#: Random-index tables (RI for n = 1 ... 15).
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    # Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill; n = 11..15 from
    # the extended Oak Ridge/Wharton simulations reproduced in the same book.
    "saaty": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
              1.51, 1.48, 1.56, 1.57, 1.59),
    # Table used in Chinese AHP textbooks (1000 random matrices per order),
    # e.g. 许树柏《实用决策方法: 层次分析法原理》, 天津大学出版社 1988.
    "xu": (0.0, 0.0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49,
           1.52, 1.54, 1.56, 1.58, 1.59),
    # Saaty (2005/2006), Theory and Applications of the Analytic Network
    # Process, RWS, p. 31 (ahpy random_index='saaty').
    "saaty2005": (0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49,
                  1.52, 1.54, 1.56, 1.58, 1.59),
    # Donegan, H. A., Dodd, F. J. (1991). A note on Saaty's random indexes.
    # Math. Comput. Modelling 15(10), 135-137 (ahpy default random_index='dd').
    "donegan_dodd": (0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171,
                     1.3733, 1.4055, 1.4213, 1.4497, 1.4643, 1.4822, 1.4969),
}  # fmt: skip

RITable = Literal["saaty", "xu", "saaty2005", "donegan_dodd"]


@dataclass(frozen=True)
class AHPResult:
    """Result of :func:`ahp`.

    Attributes
    ----------
    weights
        Normalised principal (Perron) eigenvector, ``(n,)``, sums to 1.
    lambda_max
        Principal eigenvalue λmax.
    ci
        Consistency index ``(λmax − n)/(n − 1)`` (0 for n <= 2).
    cr
        Consistency ratio ``CI/RI`` (0 for n <= 2).
    ri
        Random index used.
    consistent
        ``cr <= threshold``.
    ri_table
        Name of the random-index table.
    """

    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    ri: float
    consistent: bool
    ri_table: str


def _check_pairwise(a: FloatArray, tol: float) -> None:
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise MethodError(
            f"判断矩阵必须为方阵 / the pairwise comparison matrix must be square; got shape "
            f"{a.shape}"
        )
    n = a.shape[0]
    if not 1 <= n <= 15:
        raise MethodError(
            f"判断矩阵阶数应在 1 到 15 之间 / the matrix order must be between 1 and 15 "
            f"(random indices are tabulated up to 15); got {n}: split the group"
        )
    if not np.isfinite(a).all() or (a <= 0).any():
        i, j = (int(v) for v in np.argwhere(~np.isfinite(a) | (a <= 0))[0])
        raise MethodError(
            f"判断矩阵元素必须为正数: 第 {i + 1} 行第 {j + 1} 列 / entries must be positive "
            f"and finite: entry ({i + 1}, {j + 1}) is {a[i, j]}"
        )
    diag = np.abs(np.diag(a) - 1.0) > tol
    if diag.any():
        i = int(np.nonzero(diag)[0][0])
        raise MethodError(
            f"判断矩阵对角线必须为 1: 第 {i + 1} 个 / the diagonal must be 1: entry "
            f"({i + 1}, {i + 1}) is {a[i, i]}"
        )
    prod = a * a.T
    bad = np.argwhere(np.abs(prod - 1.0) > tol)
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise MethodError(
            f"判断矩阵不满足互反性 a_ji = 1/a_ij: ({i + 1},{j + 1}) = {a[i, j]}, "
            f"({j + 1},{i + 1}) = {a[j, i]} / the matrix is not reciprocal "
            f"(a_ji must equal 1/a_ij within {tol}): fix entry ({j + 1}, {i + 1})"
        )


def ahp(
    matrix: npt.ArrayLike,
    *,
    ri_table: RITable = "saaty",
    allow_inconsistent: bool = False,
    threshold: float = 0.1,
    reciprocal_tol: float = 0.01,
) -> AHPResult:
    """Analytic hierarchy process (层次分析法) priorities from a pairwise matrix.

    The weights are the principal right eigenvector of the positive
    reciprocal matrix ``A`` (Perron vector, computed with
    :func:`scipy.linalg.eig`, real part, normalised to sum 1), ``λmax`` its
    eigenvalue, and

    .. math::

        CI = \\frac{λ_{max} - n}{n - 1}, \\qquad CR = CI / RI_n

    with ``RI_n`` from the table ``ri_table`` (see :data:`RANDOM_INDEX`):
    ``"saaty"`` (Saaty 1980), ``"xu"`` (the table of Chinese textbooks, e.g.
    许树柏 1988: 0.52, 0.89, 1.12, 1.26, ...), ``"saaty2005"`` and
    ``"donegan_dodd"`` (Donegan & Dodd 1991, ahpy's default).  For ``n <= 2``
    a reciprocal matrix is always consistent: ``CI = CR = 0``.

    Parameters
    ----------
    matrix
        ``(n, n)``, positive, ``a_ii = 1``, ``a_ji = 1/a_ij`` (within
        ``reciprocal_tol`` on ``a_ij·a_ji``, so 0.333 for 1/3 is accepted),
        ``n <= 15``.
    ri_table
        Random-index table.
    allow_inconsistent
        Return weights even when ``CR > threshold`` (``consistent=False``).
    threshold
        Consistency threshold (Saaty: 0.1).

    Raises
    ------
    MethodError
        Invalid matrix, or ``CR > threshold`` without ``allow_inconsistent``.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Saaty, T. L. (1990). How to make a decision: the analytic hierarchy
    process. *European Journal of Operational Research* 48, 9-26.
    """
    a = np.asarray(matrix, dtype=np.float64)
    _check_pairwise(a, reciprocal_tol)
    if ri_table not in RANDOM_INDEX:
        raise MethodError(
            f"未知的随机一致性指标表 {ri_table!r} / unknown random-index table "
            f"{ri_table!r}; available: {', '.join(RANDOM_INDEX)}"
        )
    n = a.shape[0]
    from scipy import linalg  # type: ignore[import-untyped, unused-ignore]
    vals, vecs = linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    v = np.real(vecs[:, k])
    v = v / v.sum()
    if (v <= 0).any():  # pragma: no cover - Perron vector of a positive matrix
        raise MethodError("AHP: 主特征向量不为正 / the principal eigenvector is not positive")
    ri = RANDOM_INDEX[ri_table][n - 1]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = (lam - n) / (n - 1)
        cr = ci / ri
    consistent = cr <= threshold
    if not consistent and not allow_inconsistent:
        raise MethodError(
            f"判断矩阵一致性检验未通过: CR = {cr:.4f} > {threshold} (λmax = {lam:.4f}, "
            f"CI = {ci:.4f}, RI = {ri}, 表 {ri_table}) / the pairwise matrix is "
            f"inconsistent: CR = {cr:.4f} > {threshold}; revise the judgements or pass "
            "allow_inconsistent=True"
        )
    return AHPResult(_f64(v), lam, float(ci), float(cr), float(ri), bool(consistent), ri_table)


class AHPParams(Params):
    """The pairwise comparison matrix of the group's columns (optional here:
    the pipeline may read matrices from a file and pass only the test
    settings) and the consistency test."""

    matrix: tuple[tuple[float, ...], ...] | None = None
    ri_table: RITable = "saaty"
    allow_inconsistent: bool = False
    threshold: float = Field(default=0.1, gt=0)


@REGISTRY.register("ahp", params=AHPParams, label_zh="层次分析法", label_en="AHP", replicates=False)
def ahp_weights(
    x: npt.ArrayLike,
    *,
    matrix: npt.ArrayLike | None = None,
    ri_table: RITable = "saaty",
    allow_inconsistent: bool = False,
    threshold: float = 0.1,
) -> FloatArray:
    """AHP weights of the group's columns (see :func:`ahp`); ``x`` only fixes
    the number of columns, which must equal the matrix order."""
    a = _data(x, min_units=0)
    if matrix is None:
        raise MethodError(
            "AHP 权重需要判断矩阵 / AHP weights need the pairwise comparison matrix "
            "(params matrix = [[...], ...] or a matrices file)"
        )
    res = ahp(matrix, ri_table=ri_table, allow_inconsistent=allow_inconsistent, threshold=threshold)
    if res.weights.size != a.shape[1]:
        raise MethodError(
            f"判断矩阵阶数 {res.weights.size} 与列数 {a.shape[1]} 不符 / matrix order "
            f"{res.weights.size} does not match the {a.shape[1]} columns of the group"
        )
    return res.weights


# --------------------------------------------------------------------------
# PCA / factor analysis
# --------------------------------------------------------------------------


def varimax(
    loadings: npt.ArrayLike, *, normalize: bool = True, eps: float = 1e-5, maxiter: int = 1000
) -> tuple[FloatArray, FloatArray]:
    """Varimax rotation (Kaiser 1958) of a loading matrix.

    Maximises the sum over factors of the variance of the squared loadings.
    Algorithm as R ``stats::varimax``: optional Kaiser normalisation (rows
    scaled to unit communality), then iterate ``B = Lᵀ(Z³ − Z·diag(ΣZ²)/p)``,
    ``T = UVᵀ`` from the SVD of ``B``, until the criterion ``Σ s`` grows by
    less than the relative ``eps``.

    Returns
    -------
    rotated, rotation
        ``rotated = loadings @ rotation`` (rows rescaled back), ``rotation``
        orthogonal ``(k, k)``.

    References
    ----------
    Kaiser, H. F. (1958). The varimax criterion for analytic rotation in
    factor analysis. *Psychometrika* 23, 187-200.
    """
    lo = np.array(loadings, dtype=np.float64)
    p, k = lo.shape
    if k < 2:
        return lo, np.eye(k)
    sc = np.sqrt((lo**2).sum(axis=1))
    if normalize:
        lo = lo / np.where(sc > 0, sc, 1.0)[:, None]
    t = np.eye(k)
    d = 0.0
    for _ in range(maxiter):
        z = lo @ t
        b = lo.T @ (z**3 - z @ np.diag((z**2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        t = u @ vt
        dpast, d = d, float(s.sum())
        if d < dpast * (1 + eps):
            break
    z = lo @ t
    if normalize:
        z = z * sc[:, None]
    return _f64(z), _f64(t)


def retain_factors(
    eigenvalues: npt.ArrayLike,
    *,
    min_eigenvalue: float | None = None,
    min_variance_share: float | None = 0.10,
    min_cumulative: float | None = 0.60,
) -> int:
    """Number of leading factors to retain (OECD/JRC Handbook 2008, step 2).

    The Handbook lists three criteria: eigenvalue > 1, individual share of
    variance > 10 %, cumulative share > 60 %.  Its own TAI example (Table 16:
    eigenvalues 3.3, 1.7, 1.0, 0.9, ... = 41.9, 21.8, 12.3, 11.1 % of the
    variance) retains four factors, two of which have eigenvalues below 1.
    The default therefore follows the example: keep the leading factors whose
    share exceeds ``min_variance_share`` (and whose eigenvalue exceeds
    ``min_eigenvalue`` when given, e.g. 1.0 for the Kaiser criterion); if
    their cumulative share is below ``min_cumulative``, add further factors
    until it is reached.  At least one factor is kept.
    """
    ev = np.sort(np.asarray(eigenvalues, dtype=np.float64))[::-1]
    share = ev / ev.sum()
    ok = np.ones(ev.size, dtype=bool)
    if min_eigenvalue is not None:
        ok &= ev > min_eigenvalue
    if min_variance_share is not None:
        ok &= share > min_variance_share
    k = int(np.argmin(ok)) if not ok.all() else ev.size
    k = max(k, 1)
    if min_cumulative is not None:
        cum = np.cumsum(share)
        while k < ev.size and cum[k - 1] < min_cumulative - 1e-12:
            k += 1
    return k


@dataclass(frozen=True)
class FactorAnalysisResult:
    """Result of :func:`factor_analysis_weights`.

    Attributes
    ----------
    weights
        Indicator weights ``(n_cols,)``, sum 1.
    eigenvalues, variance_share
        All eigenvalues of the correlation matrix (descending) and their
        shares of the total variance.
    n_factors
        Number of retained factors.
    loadings, rotated_loadings
        ``(n_cols, n_factors)`` before / after varimax.
    scaled_squared_loadings
        Squared rotated loadings scaled to unit sum per factor.
    factor_of
        Retained factor each indicator is assigned to (largest squared
        rotated loading).
    factor_weights
        Weight of each intermediate composite (factor): its rotated explained
        variance over the total of the retained factors.
    n_used
        Number of complete cases used.
    """

    weights: FloatArray
    eigenvalues: FloatArray
    variance_share: FloatArray
    n_factors: int
    loadings: FloatArray
    rotated_loadings: FloatArray
    scaled_squared_loadings: FloatArray
    factor_of: IntArray
    factor_weights: FloatArray
    n_used: int


def _correlation(x: FloatArray, method: str) -> FloatArray:
    sd = x.std(axis=0)
    const = sd == 0
    if const.any():
        raise MethodError(
            f"{method}: 列 {_cols(const)} 在完整观测上为常数 / column(s) {_cols(const)} are "
            "constant over the complete cases: correlations are undefined, drop them"
        )
    return _f64(np.atleast_2d(np.corrcoef(x, rowvar=False)))


def factor_analysis_weights(
    x: npt.ArrayLike,
    *,
    min_eigenvalue: float | None = None,
    min_variance_share: float | None = 0.10,
    min_cumulative: float | None = 0.60,
    rotation: Literal["varimax", "none"] = "varimax",
    assign_by: Literal["loading", "scaled"] = "loading",
) -> FactorAnalysisResult:
    """PCA / factor-analysis weights, OECD/JRC Handbook (2008) §6.1 procedure.

    1. Complete cases; standardise; correlation matrix ``R``.
    2. Principal components of ``R`` (eigenvalues ``λ_1 >= ... >= λ_m``);
       retain ``K`` factors with :func:`retain_factors`.
    3. Loadings ``L = V_K · diag(√λ_K)``; rotate with :func:`varimax`
       (``rotation="varimax"``, default; skipped when ``K == 1``).
    4. Squared rotated loadings scaled to unity sum per factor:
       ``q_jk = L_jk² / Σ_i L_ik²``.
    5. Each indicator is assigned to the factor with its largest squared
       loading ``L_jk²`` (``assign_by="loading"``, default: "indicators with
       the highest factor loadings are grouped") or with its largest scaled
       value ``q_jk`` (``assign_by="scaled"``); the intermediate composite of
       factor ``k`` gets weight ``φ_k = Σ_i L_ik² / Σ_{l<=K} Σ_i L_il²``
       (explained variance of the rotated factor over the retained total,
       the Handbook's "Expl./Tot").
    6. Indicator weight ``w_j = φ_{k(j)} · q_{j,k(j)}``, normalised to sum 1.

    Raises
    ------
    MethodError
        Fewer than 3 complete cases, fewer than 2 columns, constant columns.

    References
    ----------
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators:
    Methodology and User Guide*, OECD, Section 6.1 (TAI example, Tables
    16-17), and Step 4 of Part 1.
    """
    a = _data(x)
    if a.shape[1] < 2:
        raise MethodError("PCA 权重至少需要 2 列 / PCA weights need at least 2 columns")
    cc = _complete_cases(a, 3, "PCA")
    r = _correlation(cc, "PCA")
    ev, vec = np.linalg.eigh(r)
    order = np.argsort(ev)[::-1]
    ev = np.clip(ev[order], 0.0, None)
    vec = vec[:, order]
    share = ev / ev.sum()
    k = retain_factors(
        ev,
        min_eigenvalue=min_eigenvalue,
        min_variance_share=min_variance_share,
        min_cumulative=min_cumulative,
    )
    lo = vec[:, :k] * np.sqrt(ev[:k])
    rot = varimax(lo)[0] if rotation == "varimax" and k > 1 else lo
    sq = rot**2
    expl = sq.sum(axis=0)
    q = sq / expl
    factor_of = np.argmax(sq if assign_by == "loading" else q, axis=1).astype(np.intp)
    phi = expl / expl.sum()
    w = phi[factor_of] * q[np.arange(a.shape[1]), factor_of]
    return FactorAnalysisResult(
        weights=_normalise_sum(_f64(w), "PCA"),
        eigenvalues=_f64(ev),
        variance_share=_f64(share),
        n_factors=k,
        loadings=_f64(lo),
        rotated_loadings=_f64(rot),
        scaled_squared_loadings=_f64(q),
        factor_of=factor_of,
        factor_weights=_f64(phi),
        n_used=int(cc.shape[0]),
    )


class PCAOecdParams(Params):
    min_eigenvalue: float | None = None
    min_variance_share: float | None = Field(default=0.10, ge=0, lt=1)
    min_cumulative: float | None = Field(default=0.60, ge=0, le=1)
    rotation: Literal["varimax", "none"] = "varimax"
    assign_by: Literal["loading", "scaled"] = "loading"


@REGISTRY.register(
    "pca_oecd",
    params=PCAOecdParams,
    label_zh="主成分/因子分析赋权 (OECD 手册)",
    label_en="PCA / factor-analysis weights (OECD/JRC Handbook)",
    replicates=False,
)
def pca_oecd(
    x: npt.ArrayLike,
    *,
    min_eigenvalue: float | None = None,
    min_variance_share: float | None = 0.10,
    min_cumulative: float | None = 0.60,
    rotation: Literal["varimax", "none"] = "varimax",
    assign_by: Literal["loading", "scaled"] = "loading",
) -> FloatArray:
    """Weights of :func:`factor_analysis_weights` (OECD/JRC Handbook 2008)."""
    return factor_analysis_weights(
        x,
        min_eigenvalue=min_eigenvalue,
        min_variance_share=min_variance_share,
        min_cumulative=min_cumulative,
        rotation=rotation,
        assign_by=assign_by,
    ).weights


class PCACoinrParams(Params):
    sign: Literal["positive_sum", "as_computed"] = "positive_sum"
    normalise: bool = False


@REGISTRY.register(
    "pca_coinr",
    params=PCACoinrParams,
    label_zh="第一主成分载荷权重 (COINr)",
    label_en="PC1 loading weights (COINr get_PCA)",
    replicates=False,
)
def pca_coinr(
    x: npt.ArrayLike,
    *,
    sign: Literal["positive_sum", "as_computed"] = "positive_sum",
    normalise: bool = False,
) -> FloatArray:
    """COINr ``get_PCA`` weights: raw loadings of the first principal component.

    As ``stats::prcomp(x, center = TRUE, scale. = TRUE)$rotation[, 1]`` on the
    complete cases: the unit-length eigenvector of the correlation matrix
    belonging to its largest eigenvalue -- unsquared, not normalised to sum
    1, possibly with negative entries.  Computed here from the SVD of the
    standardised data (as prcomp).

    Sign: an eigenvector's sign is arbitrary, and numpy's LAPACK path need
    not give R's sign.  ``sign="positive_sum"`` (default) flips the vector so
    that its entries sum to a positive number; ``"as_computed"`` keeps the
    sign returned by :func:`numpy.linalg.svd`.  ``normalise=True`` divides by
    the sum (sum 1; only sensible when all loadings share a sign).

    Missing values: complete cases (COINr drops rows with any NA, with a
    warning).  Constant columns raise :class:`MethodError`.

    References
    ----------
    Becker, W. et al. COINr: composite indicator construction and analysis
    in R, ``get_PCA``; OECD/JRC (2008) Handbook §6.1.
    """
    a = _data(x)
    cc = _complete_cases(a, 3, "PCA (COINr)")
    _correlation(cc, "PCA (COINr)")
    zs = (cc - cc.mean(axis=0)) / cc.std(axis=0, ddof=1)
    vt = np.linalg.svd(zs, full_matrices=False)[2]
    v = _f64(vt[0])
    if sign == "positive_sum" and v.sum() < 0:
        v = -v
    if normalise:
        v = _normalise_sum(v, "PCA (COINr)")
    return v


# --------------------------------------------------------------------------
# benefit of the doubt
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class BoDResult:
    """Result of :func:`benefit_of_doubt`.

    Attributes
    ----------
    weights
        ``(n_units, n_cols)``: row ``i`` is unit ``i``'s most favourable
        weights (in the units of the data: ``score_i = Σ_j w_ij x_ij``).
    scores
        ``(n_units,)`` in [0, 1]; 1 = on the frontier.
    """

    weights: FloatArray
    scores: FloatArray


def _share_bounds(
    v: float | Sequence[float] | None, m: int, default: float, what: str
) -> FloatArray:
    if v is None:
        return np.full(m, default)
    b = np.broadcast_to(np.asarray(v, dtype=np.float64), (m,)).copy()
    if not np.isfinite(b).all() or (b < 0).any() or (b > 1).any():
        raise MethodError(
            f"BoD: {what} 权重份额必须在 [0, 1] 内 / {what} shares must lie in [0, 1]"
        )
    return _f64(b)


def benefit_of_doubt(
    x: npt.ArrayLike,
    *,
    lower_share: float | Sequence[float] | None = None,
    upper_share: float | Sequence[float] | None = None,
) -> BoDResult:
    """Benefit-of-the-doubt weights (BoD, DEA with unit inputs).

    For every unit ``i`` solve the linear programme

    .. math::

        \\max_{w}\\ \\sum_j w_j x_{ij}\\quad\\text{s.t.}\\quad
        \\sum_j w_j x_{kj} \\le 1\\ \\forall k,\\qquad w \\ge 0

    optionally with pie-share constraints on the share of indicator ``j`` in
    unit ``i``'s own score,
    ``L_j ≤ w_j x_ij / Σ_k w_k x_ik ≤ U_j``, written linearly as
    ``w_j x_ij − L_j Σ_k w_k x_ik ≥ 0`` and ``w_j x_ij − U_j Σ_k w_k x_ik ≤ 0``.
    Scores are invariant to rescaling any column by a positive factor (the
    weights absorb it).  A unit that is best on some indicator scores 1
    (without share constraints).

    Solved with :func:`scipy.optimize.linprog` (HiGHS), one LP per unit --
    a Python loop over units, an accepted exception to the no-loop rule
    because each unit has its own programme.

    Parameters
    ----------
    x
        ``(n_units, n_cols)``, non-negative, higher = better (normalise with
        direction first), no NaN (impute first).
    lower_share, upper_share
        Scalar or ``(n_cols,)`` bounds on the pie shares, in [0, 1].  Note:
        with ``lower_share > 0`` a unit with ``x_ij = 0`` can only satisfy
        the constraint with score 0.

    Raises
    ------
    MethodError
        NaN or negative data; infeasible bounds (``ΣL > 1``, ``ΣU < 1``,
        ``L > U``); a linear programme that does not solve.

    References
    ----------
    Cherchye, L., Moesen, W., Rogge, N., Van Puyenbroeck, T. (2007). An
    introduction to 'benefit of the doubt' composite indicators. *Social
    Indicators Research* 82, 111-145.  OECD/JRC (2008) Handbook §6.
    """
    from scipy import optimize  # type: ignore[import-untyped, unused-ignore]

    a = _data(x, min_units=1)
    n, m = a.shape
    if np.isnan(a).any():
        raise MethodError(
            f"BoD 不接受缺失值: 列 {_cols(np.isnan(a))} / benefit of the doubt does not "
            f"accept missing values (column(s) {_cols(np.isnan(a))}): impute first"
        )
    if (a < 0).any():
        raise MethodError(
            f"BoD 要求数据非负: 列 {_cols(a < 0)} / benefit of the doubt needs non-negative "
            f"data; column(s) {_cols(a < 0)} have negative values: normalise first"
        )
    lo = _share_bounds(lower_share, m, 0.0, "lower")
    hi = _share_bounds(upper_share, m, 1.0, "upper")
    if (lo > hi).any() or lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
        raise MethodError(
            "BoD: 权重份额约束不可行 (需 L ≤ U, ΣL ≤ 1 ≤ ΣU) / infeasible pie-share bounds: "
            "need lower <= upper, sum(lower) <= 1 <= sum(upper)"
        )
    use_shares = lower_share is not None or upper_share is not None
    weights = np.zeros((n, m))
    eye = np.eye(m)
    for i in range(n):
        xi = a[i]
        a_ub = a
        b_ub = np.ones(n)
        if use_shares:
            low_rows = lo[:, None] * xi[None, :] - eye * xi[None, :]
            up_rows = eye * xi[None, :] - hi[:, None] * xi[None, :]
            a_ub = np.vstack([a, low_rows, up_rows])
            b_ub = np.concatenate([b_ub, np.zeros(2 * m)])
        res = optimize.linprog(-xi, A_ub=a_ub, b_ub=b_ub, bounds=[(0.0, None)] * m, method="highs")
        if res.status != 0:
            raise MethodError(
                f"BoD: 第 {i} 个单位的线性规划求解失败 / the linear programme of unit {i} "
                f"failed (status {res.status}: {res.message})"
            )
        weights[i] = res.x
    scores = np.clip((weights * a).sum(axis=1), 0.0, 1.0)
    return BoDResult(_f64(weights), _f64(scores))


class BoDParams(Params):
    lower_share: float | tuple[float, ...] | None = None
    upper_share: float | tuple[float, ...] | None = None


@REGISTRY.register(
    "bod",
    params=BoDParams,
    label_zh="有利权重 (BoD)",
    label_en="benefit of the doubt (per-unit weights)",
    replicates=False,
)
def bod_weights(
    x: npt.ArrayLike,
    *,
    lower_share: float | Sequence[float] | None = None,
    upper_share: float | Sequence[float] | None = None,
) -> FloatArray:
    """Per-unit BoD weights ``(n_units, n_cols)`` (see :func:`benefit_of_doubt`).

    Unlike the other kernels the result has one row per unit; the BoD score
    of unit ``i`` is ``Σ_j w_ij x_ij``.
    """
    return benefit_of_doubt(x, lower_share=lower_share, upper_share=upper_share).weights


# --------------------------------------------------------------------------
# combined weights
# --------------------------------------------------------------------------


def combine_weights(
    subjective: npt.ArrayLike,
    objective: npt.ArrayLike,
    *,
    rule: Literal["linear", "multiplicative"] = "linear",
    alpha: float = 0.5,
) -> FloatArray:
    """Combine subjective and objective weights (主客观组合赋权).

    Both vectors are first normalised to sum 1.

    * ``"linear"``: ``w = α·w_s + (1 − α)·w_o``, ``0 <= α <= 1``.
    * ``"multiplicative"``: ``w_j = w_sj·w_oj / Σ_k w_sk·w_ok``.

    Raises :class:`MethodError` on different lengths, negative weights, or a
    zero product in every column (multiplicative).
    """
    ws = np.asarray(subjective, dtype=np.float64).reshape(-1)
    wo = np.asarray(objective, dtype=np.float64).reshape(-1)
    if ws.shape != wo.shape:
        raise MethodError(
            f"组合赋权的两组权重长度不同 ({ws.size} vs {wo.size}) / subjective and objective "
            "weights differ in length"
        )
    ws = _explicit_vector(ws, ws.size, None)
    wo = _explicit_vector(wo, wo.size, None)
    if rule == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise MethodError(f"alpha 必须在 [0, 1] 内 / alpha must lie in [0, 1]; got {alpha}")
        return _f64(alpha * ws + (1.0 - alpha) * wo)
    if rule == "multiplicative":
        return _normalise_sum(_f64(ws * wo), "combined (multiplicative)")
    raise MethodError(
        f"未知的组合规则 {rule!r} / unknown combination rule {rule!r}; use 'linear' or "
        "'multiplicative'"
    )


class MethodSpec(Params):
    """A weights method by registry name with its parameters."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class CombinedParams(Params):
    subjective: MethodSpec
    objective: MethodSpec
    rule: Literal["linear", "multiplicative"] = "linear"
    alpha: float = Field(default=0.5, ge=0.0, le=1.0)


def _run_spec(
    spec: MethodSpec | Mapping[str, Any], x: FloatArray, extra: Mapping[str, Any]
) -> FloatArray:
    s = spec if isinstance(spec, MethodSpec) else MethodSpec.model_validate(dict(spec))
    if s.name in ("combined", "bod"):
        raise MethodError(
            f"组合赋权不能嵌套 {s.name!r} / {s.name!r} cannot be a component of combined weights"
        )
    info = REGISTRY.get(s.name)
    p = REGISTRY.validate(s.name, s.params).model_dump()
    kw = {k: v for k, v in extra.items() if k in info.needs and v is not None}
    w = np.asarray(info.func(x, **p, **kw), dtype=np.float64)
    if w.shape != (x.shape[1],):
        raise MethodError(
            f"组合赋权: 方法 {s.name!r} 未返回每列一个权重 / method {s.name!r} did not return "
            "one weight per column"
        )
    return w


@REGISTRY.register(
    "combined",
    params=CombinedParams,
    label_zh="组合赋权",
    label_en="combined subjective/objective weights",
    replicates=False,
    needs=frozenset({"direction", "codes"}),
)
def combined(
    x: npt.ArrayLike,
    *,
    subjective: MethodSpec | Mapping[str, Any],
    objective: MethodSpec | Mapping[str, Any],
    rule: Literal["linear", "multiplicative"] = "linear",
    alpha: float = 0.5,
    direction: npt.ArrayLike | None = None,
    codes: Sequence[str] | None = None,
) -> FloatArray:
    """Run two registered weight methods on ``x`` and :func:`combine_weights`
    them (e.g. subjective ``ahp`` with objective ``entropy``)."""
    a = _data(x)
    extra = {"direction": direction, "codes": codes}
    return combine_weights(
        _run_spec(subjective, a, extra), _run_spec(objective, a, extra), rule=rule, alpha=alpha
    )


# --------------------------------------------------------------------------
# optimised weights (COINr get_opt_weights)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class OptimisedWeights:
    """Result of :func:`optimise_balance`.

    Attributes
    ----------
    weights
        ``(n_comp,)``, sum 1.
    correlations
        Correlation of each component with the index at ``weights``.
    target
        Normalised target importance (balance) -- ``nan`` for infomax.
    objective
        Final objective value.
    converged
        Whether Nelder-Mead met its tolerance before ``maxiter`` evaluations.
    n_iter, n_eval
        Iterations and function evaluations.
    message
        Optimiser message.
    """

    weights: FloatArray
    correlations: FloatArray
    target: FloatArray
    objective: float
    converged: bool
    n_iter: int
    n_eval: int
    message: str


def _weighted_mean(c: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted arithmetic mean over available columns (renormalised)."""
    avail = ~np.isnan(c)
    num = np.where(avail, c, 0.0) @ w
    den = avail.astype(np.float64) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return _f64(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))


def _correlations(c: FloatArray, y: FloatArray, cortype: str) -> FloatArray:
    ok = np.isfinite(y) & ~np.isnan(c).any(axis=1)
    cc, yy = c[ok], y[ok]
    if cc.shape[0] < 3:
        return np.full(c.shape[1], np.nan)
    if cortype == "spearman":
        from scipy import stats  # type: ignore[import-untyped, unused-ignore]
        cc = np.apply_along_axis(stats.rankdata, 0, cc)
        yy = _f64(stats.rankdata(yy))
    cc = cc - cc.mean(axis=0)
    yy = yy - yy.mean()
    den = np.sqrt((cc**2).sum(axis=0) * (yy**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return _f64(np.where(den > 0, (cc * yy[:, None]).sum(axis=0) / den, np.nan))


def optimise_balance(
    components: npt.ArrayLike,
    *,
    aggregate: Callable[[FloatArray, FloatArray], FloatArray] | None = None,
    target: npt.ArrayLike | None = None,
    cortype: Literal["pearson", "spearman"] = "pearson",
    optype: Literal["balance", "infomax"] = "balance",
    start: npt.ArrayLike | None = None,
    reltol: float = 0.1,
    maxiter: int = 500,
) -> OptimisedWeights:
    """Optimise the weights of one level (COINr ``get_opt_weights``).

    The index is ``y = aggregate(components, w)`` (default: weighted
    arithmetic mean over each unit's available components); ``cr_n`` is the
    correlation (``cortype``, complete cases) of component ``n`` with ``y``.

    * ``optype="balance"``: make the components' correlations with the index
      proportional to a target importance,

      .. math::

          \\min_w\\ \\log\\Big(\\frac{1}{N}\\sum_n
          (t_n/\\textstyle\\sum t - cr_n/\\sum cr)^2\\Big)

      with target ``t`` (default equal), starting at ``w = t``.  The mean
      square is floored at 1e-300 so a perfect balance stays finite.
    * ``optype="infomax"``: maximise ``Σ_n cr_n`` (minimise ``−Σ cr``),
      starting at ``start`` (default equal weights).

    Weights are parametrised as ``w = |θ| / Σ|θ|`` (non-negative, sum 1).
    Optimiser: :func:`scipy.optimize.minimize` Nelder-Mead, set up like R's
    ``optim`` defaults that COINr uses: initial simplex ``θ0 + 0.1·max|θ0|·e_j``,
    stop when the spread of the simplex values is at most
    ``reltol·(|f(θ0)| + reltol)`` (R's ``reltol`` test; COINr default 0.1 --
    a loose tolerance) or after ``maxiter`` function evaluations (R's
    ``maxit`` counts evaluations for Nelder-Mead; COINr default 500).
    Results are close to, not identical with, R's (different NM variants).

    Parameters
    ----------
    components
        ``(n_units, n_comp)``, the children of the level (NaN allowed).
    aggregate
        ``f(components, w) -> (n_units,)`` index; default weighted mean.
    target, cortype, optype, start, reltol, maxiter
        See above.

    References
    ----------
    Becker, W., Saisana, M., Paruolo, P., Vandecasteele, I. (2017). Weights
    and importance in composite indicators: closing the gap. *Ecological
    Indicators* 80, 12-22.  COINr ``get_opt_weights``.
    """
    c = _data(components, min_units=3)
    m = c.shape[1]
    agg = aggregate or _weighted_mean
    t = np.full(m, 1.0 / m) if target is None else _explicit_vector(target, m, None)
    if optype == "balance":
        x0 = t.copy()
    elif optype == "infomax":
        x0 = np.full(m, 1.0 / m) if start is None else _explicit_vector(start, m, None)
    else:
        raise MethodError(f"未知的优化类型 {optype!r} / unknown optype {optype!r}")
    if start is not None and optype == "balance":
        x0 = _explicit_vector(start, m, None)

    def weights_of(theta: FloatArray) -> FloatArray | None:
        v = np.abs(theta)
        s = v.sum()
        return _f64(v / s) if s > 0 and np.isfinite(s) else None

    def cors(w: FloatArray) -> FloatArray:
        y = np.asarray(agg(c, w), dtype=np.float64).reshape(-1)
        if y.shape != (c.shape[0],):
            raise MethodError(
                "aggregate 必须为每个单位返回一个值 / aggregate must return one value per unit"
            )
        return _correlations(c, y, cortype)

    def objective(theta: FloatArray) -> float:
        w = weights_of(theta)
        if w is None:
            return math.inf
        cr = cors(w)
        if not np.isfinite(cr).all():
            return math.inf
        if optype == "infomax":
            return -float(cr.sum())
        s = cr.sum()
        if s == 0:
            return math.inf
        mse = float(np.mean((t - cr / s) ** 2))
        return math.log(max(mse, _TINY))

    f0 = objective(x0)
    if not math.isfinite(f0):
        raise MethodError(
            "优化起点处相关系数无定义 / correlations are undefined at the starting weights "
            "(constant components or too few complete cases?)"
        )
    step = 0.1 * float(np.max(np.abs(x0))) or 0.1
    simplex = np.vstack([x0, x0 + step * np.eye(m)])
    from scipy import optimize  # type: ignore[import-untyped, unused-ignore]
    res = optimize.minimize(
        objective,
        x0,
        method="Nelder-Mead",
        options={
            "initial_simplex": simplex,
            "maxfev": maxiter,
            "maxiter": maxiter,
            "fatol": reltol * (abs(f0) + reltol),
            "xatol": math.inf,
        },
    )
    w = weights_of(_f64(res.x))
    if w is None:  # pragma: no cover - objective is inf there, NM never ends on it
        raise MethodError("优化失败 / optimisation failed: all weights zero")
    return OptimisedWeights(
        weights=w,
        correlations=cors(w),
        target=t if optype == "balance" else np.full(m, np.nan),
        objective=float(res.fun),
        converged=bool(res.success),
        n_iter=int(res.nit),
        n_eval=int(res.nfev),
        message=str(res.message),
    )


class OptimisedParams(Params):
    optype: Literal["balance", "infomax"] = "balance"
    target: tuple[float, ...] | None = None
    cortype: Literal["pearson", "spearman"] = "pearson"
    reltol: float = Field(default=0.1, gt=0)
    maxiter: int = Field(default=500, ge=1)


@REGISTRY.register(
    "optimised",
    params=OptimisedParams,
    label_zh="相关性平衡优化权重",
    label_en="optimised weights (balance / infomax)",
    replicates=False,
)
def optimised(
    x: npt.ArrayLike,
    *,
    optype: Literal["balance", "infomax"] = "balance",
    target: Sequence[float] | None = None,
    cortype: Literal["pearson", "spearman"] = "pearson",
    reltol: float = 0.1,
    maxiter: int = 500,
) -> FloatArray:
    """Weights of :func:`optimise_balance` for the columns of one group, the
    index being their weighted arithmetic mean."""
    return optimise_balance(
        x, target=target, cortype=cortype, optype=optype, reltol=reltol, maxiter=maxiter
    ).weights


# --------------------------------------------------------------------------
# effective weights
# --------------------------------------------------------------------------


def effective_weights(
    level_weights: Sequence[npt.ArrayLike], memberships: Sequence[npt.ArrayLike]
) -> list[FloatArray]:
    """Effective weights of every node in a hierarchy (COINr ``get_eff_weights``).

    The effective weight of a node is the product of its within-group
    normalised weights along its lineage up to the top level:

    .. math:: e_i = \\frac{w_i}{\\sum_{k \\in g(i)} w_k}\\; e_{parent(i)}

    where ``g(i)`` are the siblings of ``i`` (same parent, ``i`` included)
    and the top level is normalised to sum 1 (a single index node gets 1).
    Every level's effective weights sum to 1.

    Parameters
    ----------
    level_weights
        ``[w_0, w_1, ..., w_L]``: node weights per level, level 0 =
        indicators, level ``L`` = top (e.g. the index, one node).
        Non-negative and finite.
    memberships
        ``[p_0, ..., p_{L-1}]``: ``p_l`` is an intp array of length
        ``len(w_l)`` giving each node's parent index in level ``l + 1``.

    Returns
    -------
    list of ndarray
        Effective weights, aligned with ``level_weights``.

    Raises
    ------
    MethodError
        Length mismatch, parent index out of range, a parent without
        children, negative weights, or a group whose weights are all 0.
    """
    ws = [np.asarray(w, dtype=np.float64).reshape(-1) for w in level_weights]
    if not ws:
        raise MethodError("至少需要一层权重 / at least one level of weights is needed")
    if len(memberships) != len(ws) - 1:
        raise MethodError(
            f"隶属关系应有 {len(ws) - 1} 层 / memberships must have one array per level "
            f"below the top ({len(ws) - 1}); got {len(memberships)}"
        )
    for lev, w in enumerate(ws):
        if w.size == 0 or not np.isfinite(w).all() or (w < 0).any():
            raise MethodError(
                f"第 {lev} 层权重须为非空的非负有限数 / level {lev} weights must be a "
                "non-empty array of finite non-negative numbers"
            )
    eff: list[FloatArray] = [np.zeros(0)] * len(ws)
    eff[-1] = _normalise_sum(ws[-1], f"effective weights (level {len(ws) - 1})")
    for lev in range(len(ws) - 2, -1, -1):
        raw = np.asarray(memberships[lev])
        if raw.shape != ws[lev].shape or not np.issubdtype(raw.dtype, np.integer):
            raise MethodError(
                f"第 {lev} 层隶属关系应为长度 {ws[lev].size} 的整数数组 / membership of level "
                f"{lev} must be an integer array of length {ws[lev].size}"
            )
        p = raw.astype(np.intp)
        n_par = ws[lev + 1].size
        if ((p < 0) | (p >= n_par)).any():
            raise MethodError(
                f"第 {lev} 层父节点编号越界 / level {lev}: parent index out of range [0, {n_par})"
            )
        counts = np.bincount(p, minlength=n_par)
        if (counts == 0).any():
            raise MethodError(
                f"第 {lev + 1} 层节点 {[int(i) for i in np.nonzero(counts == 0)[0]]} 没有子节点 / "
                f"level {lev + 1} node(s) without children"
            )
        tot = np.bincount(p, weights=ws[lev], minlength=n_par)
        if (tot <= 0).any():
            bad = [int(i) for i in np.nonzero(tot <= 0)[0]]
            raise MethodError(
                f"第 {lev + 1} 层节点 {bad} 的子节点权重全为 0 / level {lev + 1} node(s) "
                f"{bad} whose children all have weight 0"
            )
        eff[lev] = _f64(ws[lev] / tot[p] * eff[lev + 1][p])
    return eff
