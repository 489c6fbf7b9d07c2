"""Copeland outranking scores (级别优先, COINr ``a_copeland``)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from .groups import FloatArray, _finish, _prepare, _squeeze_broadcast
from .registry import REGISTRY

# Rows processed at once by the pairwise comparison: the temporary
# (chunk, n_units, n_children) array holds at most this many elements.
_COPELAND_CHUNK_ELEMENTS = 1 << 22


class CopelandParams(Params):
    """Parameters of :func:`copeland`."""

    max_units: int = Field(default=20_000, ge=2)


@REGISTRY.register(
    "copeland", params=CopelandParams, label_zh="Copeland 级别优先", label_en="Copeland outranking"
)
def copeland(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    max_units: int = 20_000,
) -> FloatArray:
    r"""Copeland score per group from the weighted outranking matrix.

    As COINr ``a_copeland`` / ``outrankMatrix``.

    With weights normalised to sum 1 over the children compared,

    .. math:: M_{ij} = \sum_k w_k [x_{ik} > x_{jk}] + \tfrac12 \sum_k w_k [x_{ik} = x_{jk}],

    :math:`M_{ji} = 1 - M_{ij}`; entries ``> 0.5`` become 1, ``< 0.5`` become
    -1, ``= 0.5`` become 0, the diagonal is 0, and the score of unit ``i``
    is the row sum, an integer in ``[-(n-1), n-1]`` (not a 0-100 score).
    Computed as :math:`\operatorname{sign}\sum_k w_k \operatorname{sign}(x_{ik}
    - x_{jk})` since :math:`M_{ij} - \tfrac12 = \tfrac12 \sum_k w_k
    \operatorname{sign}(x_{ik} - x_{jk})`; sums within ``1e-12`` of 0 count
    as a tie (so float rounding of the weights cannot break a tie).

    Missing values (DECISION, differs from COINr): a pair of units is
    compared over the children available for *both*, with weights
    renormalised over those; a pair with no common child counts as a tie
    (0).  A unit without any available child in the group gets NaN.  COINr
    drops NA comparisons but keeps the weights normalised over all children
    and fills the lower triangle as ``1 - M``, so the missing weight is
    credited to whichever unit comes later in the data -- order dependent.
    Identical to COINr for complete data.

    Complexity :math:`O(n^2 k)` time; the units axis is processed in chunks
    so memory stays bounded (about 32 MB of temporaries).  More than
    ``max_units`` units raises :class:`~xiangcun_eval.errors.MethodError`.
    Leading replicate axes are supported.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    max_units : int
        Refuse more units than this (O(n^2) pairs).

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)
        Copeland scores (integers as float), NaN as described.

    References
    ----------
    Munda, G. and Nardo, M. (2009). Noncompensatory/nonlinear composite
    indicators for ranking countries: a defensible setting. *Applied
    Economics* 41(12), 1513-1523.  OECD/JRC (2008), Handbook, section 6.3.
    COINr ``a_copeland``, ``outrankMatrix``.
    """
    xa, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    n = xa.shape[-2]
    if n > max_units:
        raise MethodError(
            f"Copeland 方法需比较 {n}×{n} 对单位，超过上限 {max_units} / Copeland compares all "
            f"{n}x{n} pairs of units, above the limit max_units={max_units}; use another "
            "aggregation (e.g. 'geometric' for partial compensation or 'mpi' for a "
            "non-compensatory index), or raise max_units if you accept the run time"
        )
    xs = _squeeze_broadcast(xa)
    lead = np.broadcast_shapes(xs.shape[:-2], wa.shape[:-1])
    out = np.empty((*lead, n, b.shape[1]))
    n_lead = int(np.prod(lead, dtype=np.int64)) if lead else 1
    for g in range(b.shape[1]):
        cols = np.flatnonzero(mem == g)
        xg = xs[..., cols]
        wg = wa[..., cols]
        wg = wg / wg.sum(axis=-1, keepdims=True)
        tol = 1e-12
        kg = cols.size
        chunk = max(1, _COPELAND_CHUNK_ELEMENTS // max(1, n_lead * n * kg))
        score = np.empty((*lead, n))
        for s in range(0, n, chunk):
            e = min(n, s + chunk)
            d = xg[..., s:e, None, :] - xg[..., None, :, :]  # (..., c, n, kg)
            both = ~np.isnan(d)
            sg = np.sign(d)
            sg[~both] = 0.0
            tot = np.einsum("...cnk,...k->...cn", sg, wg)
            pair = np.einsum("...cnk,...k->...cn", both.astype(np.float64), wg)
            rel = np.zeros_like(tot)
            np.divide(tot, pair, out=rel, where=pair > 0)
            v = np.where(np.abs(rel) <= tol, 0.0, np.sign(rel))
            score[..., s:e] = v.sum(axis=-1)
        has = np.einsum("...nk,...k->...n", (~np.isnan(xg)).astype(np.float64), wg) > 0
        out[..., g] = np.where(has, score, np.nan)
    return _finish(out, shape)
