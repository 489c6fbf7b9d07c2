"""Effective weights of every node of a hierarchy (COINr ``get_eff_weights``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ...errors import MethodError
from .._groups import group_sums
from ._common import FloatArray, _f64, _normalise_sum


def effective_weights(
    level_weights: Sequence[npt.ArrayLike], memberships: Sequence[npt.ArrayLike]
) -> list[FloatArray]:
    r"""Effective weights of every node in a hierarchy (COINr ``get_eff_weights``).

    The effective weight of a node is the product of its within-group
    normalised weights along its lineage up to the top level:

    .. math:: e_i = \frac{w_i}{\sum_{k \in g(i)} w_k}\; e_{parent(i)}

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
        tot = group_sums(ws[lev], p, n_par, rowwise=True)
        if (tot <= 0).any():
            bad = [int(i) for i in np.nonzero(tot <= 0)[0]]
            raise MethodError(
                f"第 {lev + 1} 层节点 {bad} 的子节点权重全为 0 / level {lev + 1} node(s) "
                f"{bad} whose children all have weight 0"
            )
        eff[lev] = _f64(ws[lev] / tot[p] * eff[lev + 1][p])
    return eff
