r"""Year-over-year kernels.

Alignment by unit code, growth rates, and the decomposition of an index change
into the contributions of its areas.

Decomposition
-------------
For weighted arithmetic aggregation the index of unit :math:`u` is
:math:`I_u = \sum_a e_{ua} S_{ua}` with the effective weights
:math:`e_{ua} = w_a m_{ua} / \sum_b w_b m_{ub}` (:math:`m` = area available),
so the change between years :math:`s` and :math:`t` splits exactly into

.. math:: \Delta I_u = \sum_a \big(e^t_{ua} S^t_{ua} - e^s_{ua} S^s_{ua}\big),

each term the area's contribution (it includes the effect of a weight
change, if weights differ between the years).  For the weighted geometric
mean, :math:`\ln I_u = \sum_a e_{ua} \ln S_{ua}` and the logarithmic-mean
Divisia index (LMDI-I) splits the change exactly:

.. math:: \Delta I_u = \sum_a L(I^t_u, I^s_u)\,\Delta(e_{ua}\ln S_{ua}),
   \qquad L(x, y) = \frac{x - y}{\ln x - \ln y},\ L(x, x) = x.

References: Ang, B. W. (2004), "Decomposition analysis for policymaking in
energy: which is the preferred method?", *Energy Policy* 32(9); OECD/JRC
Handbook (2008) on the linear aggregation of composite indicators.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError

__all__ = ["align", "contributions", "growth_percent", "log_mean"]

F64 = NDArray[np.float64]


def align(a: Sequence[str], b: Sequence[str]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Positions of the codes common to ``a`` and ``b``, in the order of ``a``."""
    pos_b = {u: j for j, u in enumerate(b)}
    ia = [i for i, u in enumerate(a) if u in pos_b]
    return np.asarray(ia, dtype=np.intp), np.asarray([pos_b[a[i]] for i in ia], dtype=np.intp)


def growth_percent(start: F64, end: F64) -> F64:
    r"""Growth rate in percent, :math:`100\,(x_t / x_s - 1)`.

    NaN where the start value is not positive (a growth rate from 0 or a negative
    score is not defined).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = np.where(start > 0, (end / start - 1.0) * 100.0, np.nan)
    return out


def log_mean(x: F64, y: F64) -> F64:
    """Logarithmic mean ``(x - y) / (ln x - ln y)``, ``x`` where ``x == y``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = np.where(x == y, x, (x - y) / (np.log(x) - np.log(y)))
    return out


def effective(scores: F64, w: F64) -> F64:
    """Effective weights per unit: ``w`` renormalised over available areas."""
    avail = ~np.isnan(scores)
    ew = np.where(avail, w, 0.0)
    tot = ew.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F64 = np.where(tot > 0, ew / tot, np.nan)
    return out


def contributions(
    s_start: F64, s_end: F64, w_start: F64, w_end: F64, i_start: F64, i_end: F64,
    method: str,
) -> F64:
    """Contribution of each area to each unit's index change, ``(n_units, n_areas)``.

    ``s_*`` are area scores ``(n_units, n_areas)`` of the same units in the
    two years, ``w_*`` the area weights, ``i_*`` the index scores, ``method``
    the top-level aggregation (``"arithmetic"`` or ``"geometric"``).  Rows
    sum to ``i_end - i_start`` (up to floating-point rounding); NaN rows for
    units without an index in either year.
    """
    e0, e1 = effective(s_start, w_start), effective(s_end, w_end)
    if method == "arithmetic":
        c = np.nan_to_num(e1 * s_end) - np.nan_to_num(e0 * s_start)
    elif method == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            t1 = np.nan_to_num(e1 * np.log(s_end))
            t0 = np.nan_to_num(e0 * np.log(s_start))
        c = log_mean(i_end, i_start)[:, None] * (t1 - t0)
    else:
        raise MethodError(
            f"指数变化分解只适用于加权算术或几何平均 / decomposing an index change into area "
            f"contributions is defined here for arithmetic and geometric aggregation; the index "
            f"is aggregated with {method!r}"
        )
    bad = np.isnan(i_start) | np.isnan(i_end)
    out: F64 = np.where(bad[:, None], np.nan, c)
    return out
