"""Benefit-of-the-doubt (BoD) aggregation.

Each unit's score under its most favourable weights (one linear programme per unit).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ...errors import MethodError
from .._registry import NoParams
from .groups import FloatArray, IntArray, _locate, _prepare
from .registry import REGISTRY

# Elements of the temporary (chunk, n_units, n_children) array of the
# dominance test.
_FRONTIER_CHUNK_ELEMENTS = 1 << 22
# Units whose benefit-of-the-doubt LPs are stacked into one block-diagonal LP.
_BOD_BATCH = 100


def _frontier(y: FloatArray) -> IntArray:
    """Return the indices of units not weakly dominated by another unit.

    Duplicates keep their first copy.  ``y`` is (n, k) without NaN.
    """
    n = y.shape[0]
    keep = np.ones(n, dtype=bool)
    chunk = max(1, _FRONTIER_CHUNK_ELEMENTS // max(1, n * y.shape[1]))
    idx = np.arange(n)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        ge = (y[None, :, :] >= y[s:e, None, :]).all(axis=-1)  # m dominates j: (c, n)
        gt = (y[None, :, :] > y[s:e, None, :]).any(axis=-1)
        eq_earlier = ~gt & (idx[None, :] < idx[s:e, None])
        dom = ge & (gt | eq_earlier)
        keep[s:e] = ~dom.any(axis=-1)
    return np.flatnonzero(keep)


@REGISTRY.register(
    "bod", params=NoParams, label_zh="有利原则 (BoD)", label_en="benefit of the doubt",
    replicates=False,
)
def bod(x: ArrayLike, w: ArrayLike, membership: ArrayLike, n_groups: int) -> FloatArray:
    r"""Benefit-of-the-doubt score per group (one linear programme per unit).

    For unit ``i`` and group ``g``, over the children ``J_i`` of ``g``
    available for ``i``:

    .. math:: \mathrm{BoD}_{ig} = \max_{v \ge 0} \sum_{j \in J_i} v_j x_{ij}
              \quad \text{s.t.} \quad \sum_{j \in J_i} v_j x_{mj} \le 1 \;\; \forall m,

    i.e. each unit gets the weights most favourable to it, subject to no unit
    scoring above 1 with those weights; scores lie in ``[0, 1]`` and at least
    one unit scores 1.  Missing values of other units count as 0 in their
    constraints.  Units weakly dominated by another unit are dropped from
    the constraints first (their constraints are implied), and the LPs of
    up to 100 units are solved as one block-diagonal LP (the blocks are
    independent, so each block's optimum is that unit's optimum), which
    halves the per-LP overhead (about 1.5-3 ms per unit and group).  Needs
    non-negative data (e.g. min-max normalised); a unit with all available
    children 0 scores 0; none available gives NaN.

    ``w`` is validated but not used: BoD chooses the weights itself (no
    weight restrictions are imposed).  2-D ``x`` only (``replicates=False``);
    solved with ``scipy.optimize.linprog(method="highs")``.  The weights
    themselves are the business of the weighting stage
    (``methods.weights``); this kernel only needs the optimal values.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.

    Returns
    -------
    ndarray, shape (n_units, n_groups)
        Scores in [0, 1].

    References
    ----------
    Melyn, W. and Moesen, W. (1991). Towards a synthetic indicator of
    macroeconomic performance: unequal weighting when limited information is
    available. *Public Economics Research Paper* 17, KU Leuven.  Cherchye, L.
    et al. (2007). An introduction to 'benefit of the doubt' composite
    indicators. *Social Indicators Research* 82, 111-145.  OECD/JRC (2008),
    Handbook, section 6.4.
    """
    from scipy import sparse  # type: ignore[import-untyped, unused-ignore]
    from scipy.optimize import linprog  # type: ignore[import-untyped, unused-ignore]

    xa, wa, mem, b, _ = _prepare(x, w, membership, n_groups)
    if xa.ndim != 2 or wa.ndim != 1:
        raise MethodError(
            "BoD 合成不支持重复轴 / 'bod' aggregation takes 2-D x (n_units, n_children) and 1-D "
            f"w; got x {xa.shape}, w {wa.shape} (replicates=False: loop over replicates)"
        )
    neg = xa < 0
    if neg.any():
        raise MethodError(
            f"BoD 要求非负数据 / benefit of the doubt needs non-negative values: "
            f"{_locate(neg, mem)}. Fix: normalise to a non-negative range first (e.g. min-max)."
        )
    n = xa.shape[0]
    out = np.full((n, b.shape[1]), np.nan)
    for g in range(b.shape[1]):
        cols = np.flatnonzero(mem == g)
        xg = xa[:, cols]
        miss = np.isnan(xg)
        y = np.where(miss, 0.0, xg)
        front = sparse.csr_matrix(y[_frontier(y)])
        todo = np.flatnonzero(~miss.all(axis=1) & (y > 0).any(axis=1))
        out[~miss.all(axis=1), g] = 0.0  # all available children 0 -> score 0
        for s in range(0, todo.size, _BOD_BATCH):
            units = todo[s : s + _BOD_BATCH]
            nb = units.size
            # independent LPs stacked block-diagonally; unavailable children fixed at 0
            a_ub = sparse.kron(sparse.identity(nb, format="csr"), front, format="csr")
            upper = np.where(miss[units], 0.0, np.inf).ravel()
            res = linprog(
                -y[units].ravel(), A_ub=a_ub, b_ub=np.ones(a_ub.shape[0]),
                bounds=np.column_stack([np.zeros_like(upper), upper]), method="highs",
            )
            if res.status != 0:
                raise MethodError(
                    f"BoD 线性规划求解失败 / benefit-of-the-doubt LP failed for group {g}, units "
                    f"{int(units[0])}..{int(units[-1])}: {res.message}"
                )
            v = np.asarray(res.x, dtype=np.float64).reshape(nb, cols.size)
            out[units, g] = np.clip((v * y[units]).sum(axis=1), 0.0, 1.0)
    return out
