"""Objective weights from the dispersion of the data.

Entropy (熵权法), CRITIC, coefficient of variation (变异系数法) and standard
deviation (标准差法).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ...errors import MethodError
from .._checks import check_direction
from .._registry import Params
from ._common import (
    FloatArray,
    _cols,
    _complete_cases,
    _count_available,
    _data,
    _f64,
    _minmax,
    _normalise_sum,
)
from .registry import REGISTRY

EntropyConvention = Literal["raw", "shifted_minmax", "bounded_minmax"]


class EntropyParams(Params):
    """Entropy options; ``convention`` is how the shares p are formed.

    ``"raw"`` (p = x/Σx on raw non-negative data), ``"shifted_minmax"``
    (极差标准化 + shift, default shift 0.0001) or ``"bounded_minmax"`` (min-max
    mapped into [shift, 1 − shift]).
    """

    convention: EntropyConvention = "raw"
    shift: float = Field(default=1e-4, ge=0.0, lt=0.5)


@REGISTRY.register(
    "entropy",
    params=EntropyParams,
    label_zh="熵权法",
    label_en="entropy weights",
    needs=frozenset({"direction"}),
)
def entropy_weights(
    x: npt.ArrayLike,
    *,
    convention: EntropyConvention = "raw",
    direction: npt.ArrayLike | None = None,
    shift: float = 1e-4,
) -> FloatArray:
    r"""Entropy weights (熵权法), in the two conventions found in the literature.

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

        e_j = -\frac{1}{\ln n_j}\sum_i p_{ij}\ln p_{ij},\quad
        d_j = 1 - e_j,\quad w_j = d_j / \sum_k d_k

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
        d = check_direction(direction, m, default_benefit=True)
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


class CRITICParams(Params):
    """CRITIC options.

    ``reverse_cost``: reverse cost columns in the min-max step (so their
    correlations with benefit columns change sign); ``ddof`` of σ;
    ``constant``: ``"raise"`` or ``"zero"`` (constant column gets weight 0).
    """

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
def critic_weights(
    x: npt.ArrayLike,
    *,
    direction: npt.ArrayLike | None = None,
    reverse_cost: bool = True,
    ddof: int = 1,
    constant: Literal["raise", "zero"] = "raise",
) -> FloatArray:
    r"""CRITIC weights (Criteria Importance Through Intercriteria Correlation).

    1. Min-max normalise each column over the complete cases,
       ``z_ij = (x_ij − min_j)/(max_j − min_j)``; with ``reverse_cost`` cost
       columns (``direction == -1``) become ``(max_j − x_ij)/(max_j − min_j)``
       as in Diakoulaki et al. (value functions from worst to best).
    2. ``σ_j`` = standard deviation of ``z_j`` (``ddof=1``, sample sd, as
       pymcdm ``critic_weights``; ``ddof=0`` population sd).
    3. ``r_jk`` = Pearson correlation of ``z_j`` and ``z_k``.
    4. .. math:: C_j = σ_j \sum_k (1 - r_{jk}), \qquad w_j = C_j / \sum_k C_k

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
    d = check_direction(direction, m, default_benefit=True)
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
    """Parameters of :func:`cv_weights`: ``ddof`` of the standard deviation."""

    ddof: Literal[0, 1] = 1


@REGISTRY.register(
    "cv", params=CVParams, label_zh="变异系数法", label_en="coefficient of variation"
)
def cv_weights(x: npt.ArrayLike, *, ddof: int = 1) -> FloatArray:
    r"""Coefficient-of-variation weights (变异系数法).

    .. math:: v_j = s_j / |\bar x_j|, \qquad w_j = v_j / \sum_k v_k

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
    """Parameters of :func:`sd_weights`: ``normalise`` (min-max first) and ``ddof``."""

    normalise: bool = True
    ddof: Literal[0, 1] = 1


@REGISTRY.register(
    "sd", params=SDParams, label_zh="标准差法", label_en="standard deviation weights"
)
def sd_weights(x: npt.ArrayLike, *, normalise: bool = True, ddof: int = 1) -> FloatArray:
    r"""Standard-deviation weights (标准差法).

    .. math:: w_j = s_j / \sum_k s_k

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
