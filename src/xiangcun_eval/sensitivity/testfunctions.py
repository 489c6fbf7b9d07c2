"""Analytic test functions for sensitivity analysis, with exact indices.

Used to check estimators: the Monte Carlo indices must converge to the
analytic values below.  All functions are vectorised over leading axes.

References
----------
Ishigami, T., Homma, T. (1990). An importance quantification technique in
uncertainty analysis for computer models. *Proc. ISUMA '90*, 398-403.
doi:10.1109/ISUMA.1990.151285

Sobol', I. M. (1993). Sensitivity estimates for nonlinear mathematical models.
*Math. Modeling Comput. Experiment* 1(4), 407-414.

Saltelli, A., Sobol', I. M. (1995). About the use of rank transformation in
sensitivity analysis of model output. *Reliab. Eng. Syst. Saf.* 50, 225-239
(the G-function and its indices).
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError

__all__ = [
    "ISHIGAMI_BOUNDS",
    "g_function",
    "g_function_indices",
    "ishigami",
    "ishigami_indices",
]

FloatArray: TypeAlias = NDArray[np.float64]

ISHIGAMI_BOUNDS: tuple[float, float] = (-np.pi, np.pi)
"""Each Ishigami input is uniform on ``(−π, π)``."""


def _last_axis(x: ArrayLike, d: int | None, name: str) -> FloatArray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim < 1 or (d is not None and arr.shape[-1] != d):
        want = f"(..., {d})" if d is not None else "(..., d)"
        raise MethodError(
            f"{name} 输入形状应为 {want} / {name} needs x of shape {want}, got {arr.shape}"
        )
    return arr


def ishigami(x: ArrayLike, a: float = 7.0, b: float = 0.1) -> FloatArray:
    """Ishigami function ``sin x1 + a sin² x2 + b x3⁴ sin x1``.

    Parameters
    ----------
    x : array_like, shape (..., 3)
        Inputs, each uniform on ``(−π, π)`` (map unit-cube samples with
        ``to_continuous(u, -np.pi, np.pi)``).
    a, b : float
        Constants (default 7 and 0.1, as in most of the literature).

    Returns
    -------
    ndarray, shape (...)
    """
    arr = _last_axis(x, 3, "ishigami")
    x1, x2, x3 = arr[..., 0], arr[..., 1], arr[..., 2]
    out: FloatArray = np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)
    return out


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[FloatArray, FloatArray]:
    """Exact first-order and total indices of :func:`ishigami`.

    .. math::
        V_1 = \\tfrac12 (1 + b\\pi^4/5)^2,\\ V_2 = a^2/8,\\
        V_{13} = b^2\\pi^8 (1/18 - 1/50),\\
        V = \\tfrac12 + a^2/8 + b\\pi^4/5 + b^2\\pi^8/18

    ``S = (V_1, V_2, 0)/V`` and ``S_T = (V_1 + V_{13}, V_2, V_{13})/V``.

    Returns
    -------
    first, total : ndarray, shape (3,)
    """
    pi4 = np.pi**4
    v1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2
    v2 = a * a / 8.0
    v13 = b * b * pi4 * pi4 * (1.0 / 18.0 - 1.0 / 50.0)
    v = 0.5 + a * a / 8.0 + b * pi4 / 5.0 + b * b * pi4 * pi4 / 18.0
    first = np.array([v1, v2, 0.0]) / v
    total = np.array([v1 + v13, v2, v13]) / v
    return first, total


def _check_a(a: ArrayLike) -> FloatArray:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0 or np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise MethodError(
            "G 函数参数 a 须为非负有限的一维数组 / G-function needs a 1-D array of finite "
            f"a_i >= 0, got {arr!r}"
        )
    return arr


def g_function(x: ArrayLike, a: ArrayLike) -> FloatArray:
    """Sobol' G-function ``Π_i (|4x_i − 2| + a_i) / (1 + a_i)``.

    Parameters
    ----------
    x : array_like, shape (..., d)
        Inputs uniform on ``[0, 1)``.
    a : array_like, shape (d,)
        Non-negative constants; small ``a_i`` = important factor.

    Returns
    -------
    ndarray, shape (...)
    """
    a_ = _check_a(a)
    arr = _last_axis(x, a_.size, "g_function")
    out: FloatArray = np.prod((np.abs(4.0 * arr - 2.0) + a_) / (1.0 + a_), axis=-1)
    return out


def g_function_indices(a: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Exact first-order and total indices of :func:`g_function`.

    .. math::
        V_i = \\frac{1}{3(1 + a_i)^2},\\quad V = \\prod_j (1 + V_j) - 1,\\quad
        S_i = V_i / V,\\quad S_{Ti} = V_i \\prod_{j \\ne i} (1 + V_j) / V

    Returns
    -------
    first, total : ndarray, shape (d,)
    """
    a_ = _check_a(a)
    vi = 1.0 / (3.0 * (1.0 + a_) ** 2)
    prod = np.prod(1.0 + vi)
    v = prod - 1.0
    first: FloatArray = vi / v
    total: FloatArray = vi * (prod / (1.0 + vi)) / v
    return first, total
