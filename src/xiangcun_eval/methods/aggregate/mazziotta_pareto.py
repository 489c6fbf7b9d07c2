"""Mazziotta-Pareto indices (MPI, AMPI).

Non-compensatory means penalised by the unit's imbalance across children.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import model_validator

from ...errors import MethodError
from .._registry import Params
from .groups import FloatArray, IntArray, _finish, _prepare, _wmean
from .registry import REGISTRY


class MPIParams(Params):
    """Parameters of :func:`mpi`."""

    penalty: Literal["negative", "positive"] = "negative"


class AMPIParams(Params):
    """Parameters of :func:`ampi`.

    ``reference``: ``"mean"`` / ``"median"`` of the available values of each
    child, or one value per child (in ``x``'s units).  ``lower``/``upper``:
    the goalposts ``Inf``/``Sup`` per child (default: observed min/max).
    """

    penalty: Literal["negative", "positive"] = "negative"
    reference: Literal["mean", "median"] | tuple[float, ...] = "mean"
    lower: tuple[float, ...] | None = None
    upper: tuple[float, ...] | None = None

    @model_validator(mode="after")
    def _both_goalposts(self) -> AMPIParams:
        if (self.lower is None) != (self.upper is None):
            raise ValueError("give both lower and upper goalposts, or neither")
        return self


def _mp_combine(
    z: FloatArray, wa: FloatArray, b: FloatArray, mem: IntArray, penalty: str
) -> FloatArray:
    """Penalised mean ``M ± S·cv`` of each group.

    With weighted mean ``M`` and weighted population sd ``S`` of ``z`` over each
    group's available children (``z`` centred on 100).
    """
    if penalty not in ("negative", "positive"):
        raise MethodError(
            f"未知的惩罚方向 {penalty!r} / unknown penalty {penalty!r}; use 'negative' "
            "(positive phenomenon, e.g. development) or 'positive' (negative phenomenon)"
        )
    u = z - 100.0  # centring keeps the variance free of cancellation
    mu = _wmean(u, wa, b)
    mu2 = _wmean(u * u, wa, b)
    var = np.maximum(mu2 - mu * mu, 0.0)
    m = 100.0 + mu
    with np.errstate(divide="ignore", invalid="ignore"):
        pen = var / m  # S * cv = S^2 / M
    sign = -1.0 if penalty == "negative" else 1.0
    out: FloatArray = m + sign * pen
    return out


@REGISTRY.register(
    "mpi", params=MPIParams, label_zh="Mazziotta-Pareto 指数", label_en="Mazziotta-Pareto index"
)
def mpi(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    penalty: Literal["negative", "positive"] = "negative",
) -> FloatArray:
    r"""Mazziotta-Pareto Index (MPI) per group, weighted.

    1. Standardise each child over the available units:
       :math:`z_{ij} = 100 + 10 (x_{ij} - M_j) / S_j` with :math:`M_j` the mean
       and :math:`S_j = \sqrt{\sum_i (x_{ij} - M_j)^2 / n_j}` the *population*
       standard deviation (De Muro, Mazziotta & Pareto 2011; the R package
       ``Indicator`` rescales R's sample ``sd`` to the population one).  A
       constant column (``S_j = 0``) gives ``z = 100``.
    2. Per unit and group, over the available children, the weighted mean
       :math:`M_{z,i} = \sum w_j z_{ij} / \sum w_j`, the weighted population
       sd :math:`S_{z,i} = \sqrt{\sum w_j (z_{ij} - M_{z,i})^2 / \sum w_j}` and
       :math:`cv_i = S_{z,i} / M_{z,i}`.
    3. :math:`MPI^{\pm}_i = M_{z,i} \pm S_{z,i}\, cv_i`; ``penalty="negative"``
       (default) for a positive phenomenon such as development (unbalanced
       units are penalised downwards), ``"positive"`` for a negative one.

    Weights: the original MPI is unweighted; we use the weighted mean and
    weighted standard deviation of Mazziotta & Pareto (2022), which reduce
    to the original for equal weights.  Compind's ``ci_mpi`` divides the
    unit-level variance by ``m - 1`` instead of ``m``; we follow the paper.
    The standardisation makes the index relative to the units evaluated
    together (the 'static' index).

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    penalty : {"negative", "positive"}
        Sign of the penalty.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    De Muro, P., Mazziotta, M. and Pareto, A. (2011). Composite indices of
    development and poverty: an application to MDGs. *Social Indicators
    Research* 104, 1-18.  Mazziotta, M. and Pareto, A. (2016). On a
    generalized non-compensatory composite index for measuring socio-economic
    phenomena. *Social Indicators Research* 127, 983-1003.  Mazziotta, M. and
    Pareto, A. (2022). Weighting in composite indices construction: the case
    of the Mazziotta-Pareto Index. *Rivista Italiana di Economia Demografia
    e Statistica* (RIEDS).
    """
    xs, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    miss = np.isnan(xs)
    cnt = np.sum(~miss, axis=-2, keepdims=True)
    x0 = np.where(miss, 0.0, xs)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = x0.sum(axis=-2, keepdims=True) / cnt
        dev = np.where(miss, 0.0, xs - mean)
        sd = np.sqrt((dev * dev).sum(axis=-2, keepdims=True) / cnt)
        z = np.where(sd > 0, 100.0 + 10.0 * dev / sd, 100.0)
    z = np.where(miss, np.nan, z)
    return _finish(_mp_combine(z, wa, b, mem, penalty), shape)


def _per_column(v: Sequence[float] | None, k: int, name: str) -> FloatArray | None:
    if v is None:
        return None
    a = np.asarray(v, dtype=np.float64)
    if a.shape != (k,) or not np.isfinite(a).all():
        raise MethodError(
            f"AMPI 参数 {name} 须为 {k} 个有限数 / AMPI {name} must be {k} finite values (one per "
            f"child column), got {v!r}"
        )
    return a


@REGISTRY.register(
    "ampi", params=AMPIParams, label_zh="调整 Mazziotta-Pareto 指数",
    label_en="adjusted Mazziotta-Pareto index",
)
def ampi(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    penalty: Literal["negative", "positive"] = "negative",
    reference: Literal["mean", "median"] | Sequence[float] = "mean",
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
) -> FloatArray:
    r"""Aggregate by the Adjusted Mazziotta-Pareto Index (AMPI) per group, weighted.

    1. Rescale each child with goalposts (Mazziotta & Pareto 2016, eq. for
       AMPI):

       .. math:: r_{ij} = 70 + 60 \frac{x_{ij} - \mathrm{Min}_j}
                 {\mathrm{Max}_j - \mathrm{Min}_j},
                 \quad \mathrm{Min}_j = \mathrm{Ref}_j - \Delta_j,\;
                 \mathrm{Max}_j = \mathrm{Ref}_j + \Delta_j,\;
                 \Delta_j = (\mathrm{Sup}_j - \mathrm{Inf}_j) / 2,

       i.e. :math:`r_{ij} = 100 + 60 (x_{ij} - \mathrm{Ref}_j) / (\mathrm{Sup}_j
       - \mathrm{Inf}_j)`: the reference value maps to 100 and values range
       over roughly (70, 130).  ``Inf``/``Sup`` default to the observed
       min/max of the available values (in the paper: over all units and all
       periods -- pass ``lower``/``upper`` to fix them across periods);
       ``Ref`` is ``reference``: ``"mean"`` (default), ``"median"`` or one
       value per child (e.g. a base-year mean).  ``Sup = Inf`` gives 100.
    2. :math:`AMPI^{\pm}_i = M_{r,i} \pm S_{r,i}\, cv_{r,i}` with the weighted
       mean / weighted population sd of :func:`mpi`.

    Matches Compind's ``ci_amp`` (goalposts ``gp`` = reference) for one
    period and equal weights.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    penalty : {"negative", "positive"}
        Sign of the penalty.
    reference : "mean", "median" or sequence of float
        ``Ref_j``, mapped to 100.
    lower, upper : sequence of float, optional
        Goalposts ``Inf_j``, ``Sup_j`` (both or neither).

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    Mazziotta, M. and Pareto, A. (2016). On a generalized non-compensatory
    composite index for measuring socio-economic phenomena. *Social
    Indicators Research* 127, 983-1003.  Mazziotta, M. and Pareto, A. (2018).
    Measuring well-being over time: the adjusted Mazziotta-Pareto index
    versus other non-compensatory indices. *Social Indicators Research* 136,
    967-976.
    """
    xs, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    k = xs.shape[-1]
    lo = _per_column(lower, k, "lower")
    hi = _per_column(upper, k, "upper")
    if (lo is None) != (hi is None):
        raise MethodError("AMPI 需同时给出 lower 与 upper / give both lower and upper, or neither")
    if lo is None or hi is None:
        lo_a = np.fmin.reduce(xs, axis=-2, keepdims=True)
        hi_a = np.fmax.reduce(xs, axis=-2, keepdims=True)
    else:
        if (hi < lo).any():
            j = int(np.flatnonzero(hi < lo)[0])
            raise MethodError(
                f"AMPI 上界小于下界 / AMPI upper < lower goalpost at child column {j}"
            )
        lo_a, hi_a = lo, hi
    miss = np.isnan(xs)
    # Distances from the lower goalpost: the mean reference is taken over
    # them (Ref - Inf), so a column whose values lie a few ulps apart gets
    # exact distances and an exact, order-independent mean; with the mean of
    # the raw values, its last bit -- which depends on the order of the
    # units -- moved such a column's rescaled values by up to 30 points.
    with np.errstate(invalid="ignore"):
        dist = xs - lo_a
    if isinstance(reference, str):
        if reference == "mean":
            cnt = np.sum(~miss, axis=-2, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                ref_d = np.where(miss, 0.0, dist).sum(axis=-2, keepdims=True) / cnt
        elif reference == "median":
            ref_d = _nan_median_units(xs) - lo_a
        else:
            raise MethodError(
                f"未知的 AMPI 参考值 {reference!r} / unknown AMPI reference {reference!r}; use "
                "'mean', 'median' or one value per child column"
            )
    else:
        ref_c = _per_column(reference, k, "reference")
        assert ref_c is not None
        ref_d = ref_c - lo_a
    span = hi_a - lo_a
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(span > 0, 100.0 + 60.0 * (dist - ref_d) / span, 100.0)
    r = np.where(miss, np.nan, r)
    return _finish(_mp_combine(r, wa, b, mem, penalty), shape)


def _nan_median_units(x: FloatArray) -> FloatArray:
    """Median over the units axis ignoring NaN, without warnings."""
    s = np.sort(x, axis=-2)  # NaN last
    n = np.sum(~np.isnan(x), axis=-2, keepdims=True)
    lo_i = np.maximum((n - 1) // 2, 0)
    hi_i = np.maximum(n // 2, 0)
    a = np.take_along_axis(s, lo_i, axis=-2)
    c = np.take_along_axis(s, hi_i, axis=-2)
    out: FloatArray = np.where(n > 0, (a + c) / 2.0, np.nan)
    return out
