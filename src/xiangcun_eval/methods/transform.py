"""Transformation kernels (变换): per-indicator transforms before normalisation.

Published composite indices often score a transformed indicator: the UNDP
Human Development Index scores ``ln(GNI per capita)`` between goalposts
``ln(100)`` and ``ln(75,000)``; skewed counts and amounts are taken in logs
or square roots.  A transform is a pure, element-wise function ``f(x,
**params)`` over an array of any shape (a leading replicate axis included);
NaN stays NaN.  The pipeline applies the methodology's transform to the
values *and* to the indicator's goalposts and target, which are given on the
raw scale, so that ``goalposts`` normalisation of ``ln(x)`` runs between
``ln(L)`` and ``ln(U)``.

Kernels (``x`` the raw value):

* ``none``: ``x``;
* ``ln``: ``ln x`` (``x > 0``); ``log10``: ``log10 x`` (``x > 0``);
* ``log1p``: ``ln(1 + x)`` (``x > -1``; COINr's ``log_CT`` uses ``ln(x - min + 1)``);
* ``signed_log``: ``sign(x) ln(1 + |x|)`` (any ``x``; symmetric, 0 -> 0);
* ``sqrt``: ``sqrt x`` (``x >= 0``);
* ``boxcox``: ``(x^λ - 1)/λ`` for ``λ != 0`` and ``ln x`` for ``λ = 0``
  (``x > 0``; Box & Cox 1964; the same as :func:`scipy.stats.boxcox` with a
  given ``lmbda``).  λ is a parameter, never estimated from the data, so the
  transform is the same for every year and replicate.

A value outside a kernel's domain raises
:class:`~xiangcun_eval.errors.MethodError` naming the columns and the fix
(``log1p``/``signed_log``, or capping at goalposts first), never a silent
NaN or ``-inf``.  "Cap at goalposts" (``TransformSpec(cap=True)`` or the
method ``cap``) clips the raw values to the indicator's goalposts before the
kernel: the HDI caps income at 75,000 and expected schooling at 18 years.

References
----------
UNDP, *Human Development Report*, Technical notes (HDI: goalposts, log of
income, arithmetic education sub-index, geometric mean).
Box, G. E. P. & Cox, D. R. (1964). An analysis of transformations. *JRSS B*
26(2), 211-252.
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 5
(transformations before normalisation); COINr ``Treat`` (``log_CT``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ._registry import Params, Registry

__all__ = ["REGISTRY", "boxcox", "cap", "ln", "log1p", "log10", "none", "signed_log", "sqrt"]

F64 = NDArray[np.float64]

REGISTRY = Registry("transform")


def _domain(x: F64, bad: NDArray[np.bool_], name: str, need: str) -> None:
    """Raise when any available value is outside the kernel's domain."""
    bad = bad & ~np.isnan(x)
    if bad.any():
        cols = [int(j) for j in np.flatnonzero(bad.reshape(-1, x.shape[-1]).any(axis=0))]
        n = int(bad.sum())
        raise MethodError(
            f"{name} 变换要求 {need}；第 {cols} 列有 {n} 个值不满足 / the {name} transform needs "
            f"{need}; column(s) {cols} have {n} value(s) outside it. Fix: use 'log1p' or "
            "'signed_log', cap at goalposts first (cap = true), or correct the values",
            columns=cols,
        )


def _as(x: ArrayLike) -> F64:
    return np.asarray(x, dtype=np.float64)


@REGISTRY.register("none", label_zh="不变换", label_en="none")
def none(x: ArrayLike) -> F64:
    """Identity: ``f(x) = x`` (a copy)."""
    return np.array(x, dtype=np.float64)


@REGISTRY.register("ln", label_zh="自然对数", label_en="natural log")
def ln(x: ArrayLike) -> F64:
    """Natural logarithm ``ln x``, defined for ``x > 0`` (UNDP HDI income)."""
    a = _as(x)
    _domain(a, ~(a > 0), "ln", "x > 0")
    return np.log(a)


@REGISTRY.register("log10", label_zh="常用对数", label_en="log10")
def log10(x: ArrayLike) -> F64:
    """Base-10 logarithm ``log10 x``, defined for ``x > 0``."""
    a = _as(x)
    _domain(a, ~(a > 0), "log10", "x > 0")
    return np.log10(a)


@REGISTRY.register("log1p", label_zh="对数(1+x)", label_en="log(1 + x)")
def log1p(x: ArrayLike) -> F64:
    """``ln(1 + x)``, defined for ``x > -1`` (keeps zeros at zero)."""
    a = _as(x)
    _domain(a, ~(a > -1), "log1p", "x > -1")
    return np.log1p(a)


@REGISTRY.register("signed_log", label_zh="符号对数", label_en="signed log")
def signed_log(x: ArrayLike) -> F64:
    """``sign(x) · ln(1 + |x|)``: defined everywhere, odd, 0 -> 0."""
    a = _as(x)
    out: F64 = np.sign(a) * np.log1p(np.abs(a))
    return out


@REGISTRY.register("sqrt", label_zh="平方根", label_en="square root")
def sqrt(x: ArrayLike) -> F64:
    """Square root ``sqrt x``, defined for ``x >= 0``."""
    a = _as(x)
    _domain(a, ~(a >= 0), "sqrt", "x >= 0")
    return np.sqrt(a)


class BoxCoxParams(Params):
    lmbda: float
    """λ, given (not estimated): 1 = shift only, 0.5 ~ square root, 0 = ln."""


@REGISTRY.register("boxcox", params=BoxCoxParams, label_zh="Box-Cox 变换", label_en="Box-Cox")
def boxcox(x: ArrayLike, *, lmbda: float) -> F64:
    r"""Box-Cox transform with a given λ, defined for ``x > 0``.

    .. math:: f(x) = (x^\lambda - 1)/\lambda \ (\lambda \ne 0), \quad \ln x \ (\lambda = 0)

    Equals :func:`scipy.stats.boxcox` ``(x, lmbda=λ)`` (tested).
    """
    a = _as(x)
    _domain(a, ~(a > 0), "boxcox", "x > 0")
    if lmbda == 0.0:
        return np.log(a)
    out: F64 = np.expm1(lmbda * np.log(a)) / lmbda
    return out


@REGISTRY.register("cap", label_zh="截至门槛值", label_en="cap at goalposts")
def cap(x: ArrayLike) -> F64:
    """Identity kernel: the method name for "cap at goalposts" alone.

    The pipeline clips to the goalposts before it.
    """
    return np.array(x, dtype=np.float64)
