"""TOPSIS: relative closeness to the ideal solution (逼近理想解, Hwang & Yoon 1981)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from .groups import FloatArray, _finish, _prepare
from .registry import REGISTRY


class TopsisParams(Params):
    """Parameters of :func:`topsis`."""

    normalisation: Literal["vector", "minmax"] = "vector"
    scale: float = Field(default=1.0, gt=0, allow_inf_nan=False)


@REGISTRY.register("topsis", params=TopsisParams, label_zh="TOPSIS 逼近理想解", label_en="TOPSIS")
def topsis(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    normalisation: Literal["vector", "minmax"] = "vector",
    scale: float = 1.0,
) -> FloatArray:
    r"""TOPSIS relative closeness per group (Hwang & Yoon 1981).

    For the children of group ``g`` (all treated as benefit criteria: the
    normalisation stage has already applied direction):

    1. column normalisation over the available units,
       ``"vector"``: :math:`r_{ij} = x_{ij} / \sqrt{\sum_i x_{ij}^2}` (Hwang &
       Yoon; a zero column gives 0), ``"minmax"``:
       :math:`r_{ij} = (x_{ij} - \min_i x_{ij}) / (\max_i - \min_i)`
       (pymcdm's default; a constant column gives 1, as pymcdm);
    2. weighted matrix :math:`v_{ij} = \tilde w_j r_{ij}`, with :math:`\tilde w`
       the weights normalised to sum 1 within the group;
    3. ideal / anti-ideal :math:`v_j^{\pm} = \max_i / \min_i v_{ij}` from the
       data;
    4. :math:`D_i^{\pm} = \sqrt{\sum_{j \in g} (v_{ij} - v_j^{\pm})^2}` and the
       closeness :math:`C_i = D_i^- / (D_i^+ + D_i^-) \in [0, 1]`, times
       ``scale`` (e.g. 100).

    Equals ``pymcdm.methods.TOPSIS(normalization_function)(x_g, w_g, ones)``
    for complete data.  Missing values are skipped in the column statistics
    and dropped from the unit's distances (``C`` is invariant to a common
    scaling of the weights, so this is the same as renormalising the unit's
    weights over its available children).  A unit equal to both the ideal
    and the anti-ideal on all its available children (``D+ = D- = 0``, e.g.
    all children constant) gets ``0.5 * scale``; a unit without available
    children (or with only zero-weight ones) gets NaN.

    Because the ideal points come from the data, the closeness of a unit
    depends on the other units (adding or removing a county can change
    every score).  Distances are computed as
    :math:`\sum_j \tilde w_j^2 (r_{ij} - r_j^{\pm})^2`, i.e. two matrix
    products per level, with no ``(R, n, k)`` temporary for replicate
    weights.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    normalisation : {"vector", "minmax"}
        Column normalisation.
    scale : float
        Multiplier of the closeness (e.g. 100).

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    Hwang, C. L. and Yoon, K. (1981). *Multiple Attribute Decision Making:
    Methods and Applications*, Springer, pp. 58-191.  pymcdm 1.4
    ``methods.TOPSIS`` (Kizielewicz, Shekhovtsov and Sałabun 2023, SoftwareX
    22, 101368).
    """
    xs, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    miss = np.isnan(xs)
    if normalisation == "vector":
        norm = np.sqrt(np.sum(np.where(miss, 0.0, xs) ** 2, axis=-2, keepdims=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(norm > 0, xs / norm, 0.0)
        r = np.where(miss, np.nan, r)
    elif normalisation == "minmax":
        lo = np.fmin.reduce(xs, axis=-2, keepdims=True)
        hi = np.fmax.reduce(xs, axis=-2, keepdims=True)
        rng = hi - lo
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(rng > 0, (xs - lo) / rng, 1.0)
        r = np.where(miss, np.nan, r)
    else:
        raise MethodError(
            f"未知的 TOPSIS 标准化 {normalisation!r} / unknown TOPSIS normalisation "
            f"{normalisation!r}; use 'vector' or 'minmax'"
        )
    rmax = np.fmax.reduce(r, axis=-2, keepdims=True)
    rmin = np.fmin.reduce(r, axis=-2, keepdims=True)
    dplus2 = np.where(miss, 0.0, (r - rmax) ** 2)
    dminus2 = np.where(miss, 0.0, (r - rmin) ** 2)
    wn = wa / (wa @ b)[..., mem]  # normalised within group
    w2b = (wn * wn)[..., :, None] * b
    dp = np.sqrt(np.matmul(dplus2, w2b))
    dm = np.sqrt(np.matmul(dminus2, w2b))
    has = np.matmul((~miss).astype(np.float64), wa[..., :, None] * b) > 0
    tot = dp + dm
    c = np.full(tot.shape, 0.5)
    np.divide(dm, tot, out=c, where=tot > 0)
    c = np.where(has, c * scale, np.nan)
    return _finish(c, shape)
