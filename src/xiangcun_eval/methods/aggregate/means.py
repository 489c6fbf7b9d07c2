"""Weighted means per group (加权平均).

Arithmetic, geometric, harmonic and generalised (power) means, all over each
unit's available children (OECD/JRC 2008 Handbook, section 6; COINr ``a_amean``,
``a_gmean``, ``a_hmean``, ``a_genmean``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field

from ...errors import MethodError
from .._registry import NoParams, Params
from .groups import FloatArray, _any_in_group, _finish, _invalid, _locate, _prepare, _wmean
from .registry import REGISTRY


class _PositivePolicy(Params):
    nonpositive: Literal["error", "nan"] = "error"
    """What to do with a value ``<= 0``: ``"error"`` raises
    :class:`~xiangcun_eval.errors.MethodError` naming group, unit and count;
    ``"nan"`` gives the unit NaN for that group."""


class GeometricParams(_PositivePolicy):
    """Parameters of :func:`geometric`."""


class HarmonicParams(_PositivePolicy):
    """Parameters of :func:`harmonic`."""


class GenMeanParams(_PositivePolicy):
    """Parameters of :func:`genmean`: the power ``p`` (finite)."""

    p: float = Field(default=1.0, allow_inf_nan=False)


@REGISTRY.register(
    "arithmetic", params=NoParams, label_zh="加权算术平均", label_en="weighted arithmetic mean"
)
def arithmetic(
    x: ArrayLike, w: ArrayLike, membership: ArrayLike, n_groups: int
) -> FloatArray:
    r"""Weighted arithmetic mean per group (COINr ``a_amean``).

    .. math:: y_{ig} = \frac{\sum_{j \in g} w_j x_{ij} a_{ij}}{\sum_{j \in g} w_j a_{ij}}

    with :math:`a_{ij} = 1` if :math:`x_{ij}` is available; NaN when the
    denominator is 0.  Fully compensatory (OECD 2008, section 6.1).

    Parameters
    ----------
    x : array_like, shape (..., n_units, n_children)
        Children scores, NaN = missing.
    w : array_like, shape (n_children,) or (..., n_children)
        Non-negative relative weights; leading axes broadcast against those
        of ``x``.
    membership : array_like of int, shape (n_children,)
        Group of each child.
    n_groups : int
        Number of groups.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook on Constructing Composite Indicators, eq. 6.1.
    """
    xa, wa, _, b, shape = _prepare(x, w, membership, n_groups, check_inf=False)
    return _finish(_wmean(xa, wa, b, check_inf=True), shape)


def _quasi_mean(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    f: Callable[[FloatArray], FloatArray],
    f_inv: Callable[[FloatArray], FloatArray],
    *,
    strict: bool,
    nonpositive: Literal["error", "nan"],
    name: tuple[str, str],
    p: float | None = None,
) -> FloatArray:
    r"""Weighted quasi-arithmetic mean ``f⁻¹(Σ w f(x) / Σ w)`` per group.

    Over available children: the geometric (``f = ln``), harmonic (``f = 1/x``)
    and power (``f = x^p``) means share it.  Values outside the domain
    (``<= 0`` when ``strict``, ``< 0`` otherwise) follow ``nonpositive``; an
    infinite ``f(x)`` (overflow of ``x^p``) is an error.
    """
    xa, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    bad = xa <= 0 if strict else xa < 0
    need = "positive values (> 0)" if strict else "non-negative values (>= 0)"
    if p is not None:
        need += " for p < 0" if p < 0 else " for p > 0"
    _invalid(bad, mem, nonpositive, name[0], name[1], need)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = f(np.where(bad, 1.0, xa) if bad.any() else xa)
        if np.isinf(t).any():
            raise MethodError(
                f"{name[0]}溢出 / {name[1]} overflows: the transformed value is infinite for "
                f"{_locate(np.isinf(t), mem)}" + ("" if p is None else f" with p={p}")
                + "; rescale the children (e.g. to [1, 100])"
                + ("" if p is None else " or use a smaller |p|")
            )
        out = f_inv(_wmean(t, wa, b))
    if nonpositive == "nan":
        out = np.where(_any_in_group(bad, b), np.nan, out)
    return _finish(out, shape)


@REGISTRY.register(
    "geometric", params=GeometricParams, label_zh="加权几何平均", label_en="weighted geometric mean"
)
def geometric(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    nonpositive: Literal["error", "nan"] = "error",
) -> FloatArray:
    r"""Weighted geometric mean per group (COINr ``a_gmean``).

    .. math:: y_{ig} = \exp\Big(\frac{\sum_{j \in g} w_j a_{ij} \ln x_{ij}}
              {\sum_{j \in g} w_j a_{ij}}\Big)

    over available children.  Defined for positive values only: with
    ``nonpositive="error"`` (default, as COINr) any available value ``<= 0``
    raises :class:`~xiangcun_eval.errors.MethodError` naming unit, column,
    group and count (min-max [0, 100] data must be rescaled, e.g. to
    [1, 100]); with ``"nan"`` the unit gets NaN for that group (the value is
    *not* skipped, which would silently raise the score).  Partially
    compensatory (OECD 2008, section 6.2).

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    nonpositive : {"error", "nan"}
        Policy for available values ``<= 0``.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook, section 6.2; COINr ``a_gmean``.
    """
    return _quasi_mean(x, w, membership, n_groups, np.log, np.exp, strict=True,
                       nonpositive=nonpositive, name=("几何平均", "geometric mean"))


@REGISTRY.register(
    "harmonic", params=HarmonicParams, label_zh="加权调和平均", label_en="weighted harmonic mean"
)
def harmonic(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    nonpositive: Literal["error", "nan"] = "error",
) -> FloatArray:
    r"""Weighted harmonic mean per group (COINr ``a_hmean``).

    .. math:: y_{ig} = \frac{\sum_{j \in g} w_j a_{ij}}{\sum_{j \in g} w_j a_{ij} / x_{ij}}

    over available children.  DIFFERENCE from COINr: COINr rejects only
    zeros; we reject every value ``<= 0`` because with negative values
    ``1/x`` changes sign and the mean is no longer monotone (nor bounded by
    the children).  ``nonpositive`` as in :func:`geometric`.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    nonpositive : {"error", "nan"}
        Policy for available values ``<= 0``.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook, section 6; COINr ``a_hmean``.
    """
    return _quasi_mean(x, w, membership, n_groups, np.reciprocal, np.reciprocal, strict=True,
                       nonpositive=nonpositive, name=("调和平均", "harmonic mean"))


@REGISTRY.register(
    "genmean", params=GenMeanParams, label_zh="加权广义平均", label_en="weighted generalised mean"
)
def genmean(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    p: float = 1.0,
    nonpositive: Literal["error", "nan"] = "error",
) -> FloatArray:
    r"""Weighted generalised (power) mean per group (COINr ``a_genmean``).

    .. math:: y_{ig} = \Big(\frac{\sum_{j \in g} w_j a_{ij} x_{ij}^p}
              {\sum_{j \in g} w_j a_{ij}}\Big)^{1/p}

    ``p = 1`` is :func:`arithmetic` (computed exactly so, negative values
    allowed), ``p = 0`` the limit :func:`geometric`, ``p = -1`` the harmonic
    mean.  Domain: ``p < 0`` needs every available value ``> 0``; ``p > 0``
    (``p != 1``) needs values ``>= 0`` (``x**p`` is undefined or not monotone
    for negative ``x``); violations follow ``nonpositive`` as in
    :func:`geometric`.

    DELIBERATE DIFFERENCE from COINr: COINr's ``a_genmean`` sums without
    ``na.rm`` so any missing child gives NA (quirk 14.1); here missing
    children are skipped and the weights renormalised over the available
    ones, like every other mean.  COINr errors for ``p = 0``; we use the
    geometric mean (the limit).

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    p : float
        The power (finite).
    nonpositive : {"error", "nan"}
        Policy for values outside the domain.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook, section 6; COINr ``a_genmean``.
    """
    if not math.isfinite(p):
        raise MethodError(f"广义平均的幂 p 须为有限数 / genmean power p must be finite, got {p}")
    if p == 1.0:
        return arithmetic(x, w, membership, n_groups)
    if p == 0.0:
        return geometric(x, w, membership, n_groups, nonpositive=nonpositive)
    return _quasi_mean(x, w, membership, n_groups, lambda v: np.power(v, p),
                       lambda v: np.power(v, 1.0 / p), strict=p < 0, nonpositive=nonpositive,
                       name=("广义平均", "generalised mean"), p=p)
