"""Explanations of one unit's result: indicator contributions and its profile.

Functions over an :class:`~xiangcun_eval.results.Evaluation` (its methods
``contribution_table`` and ``profile`` call them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .methods._groups import group_sums
from .table import Column, Table

if TYPE_CHECKING:
    from .results import Evaluation

__all__ = ["contribution_table", "profile", "unit_effective_weights"]

F64 = NDArray[np.float64]


def contribution_table(ev: Evaluation, unit: str) -> Table:
    """Each indicator's contribution to one unit's index score.

    With arithmetic aggregation at every level the index equals
    ``Σ_j e_uj · z_uj`` where ``z`` are the normalised values and
    ``e_uj`` the unit's effective weights (weights renormalised over the
    unit's available indicators).  The table gives ``e_uj``, ``z_uj``,
    the contribution ``e_uj · z_uj`` and ``e_uj · (z_uj − mean_j)``: how
    much the indicator raises (+) or lowers (−) the unit's score against
    an average unit.  For other aggregations the same decomposition is a
    first-order attribution with the nominal weights, flagged in the
    title.
    """
    fw = ev.framework
    i = ev.data.unit_index(unit)
    eff = unit_effective_weights(ev, unit)
    z = ev.level_scores[0][i]
    mean = np.nanmean(ev.level_scores[0], axis=0)
    contrib = eff * np.nan_to_num(z)
    rel = eff * (np.nan_to_num(z) - mean)
    exact = all(p.aggregate_spec.method == "arithmetic" for p in ev.plans)
    parent_codes = [fw.ancestor(c, 2) if fw.max_level >= 2 else "" for c in fw.indicator_codes]
    order = np.argsort(-rel, kind="stable")
    cols: dict[str, Column] = {
        "代码 code": [fw.indicator_codes[k] for k in order],
        "名称 name": [fw.indicators[k].name_zh for k in order],
        "所属 group": [parent_codes[k] for k in order],
        "标准化值 normalised": z[order],
        "有效权重 eff. weight": eff[order],
        "贡献 contribution": contrib[order],
        "相对均值 vs mean": rel[order],
    }
    note = "" if exact else " (非算术合成: 一阶近似 / non-arithmetic aggregation: first-order)"
    title = f"{ev.data.names[i]} {unit}: 指标贡献 / contributions to the index{note}"
    return Table.from_columns(cols, title=title)

def unit_effective_weights(ev: Evaluation, unit: str) -> F64:
    r"""Return one unit's effective indicator weights, in indicator order.

    The weight of each child is renormalised over the unit's available
    children of the same group, level by level, and multiplied down the tree:

    .. math:: e_{uj} = \prod_{\ell} \frac{w_{c_\ell}\,[c_\ell \text{ available for } u]}
              {\sum_{k \in g(c_\ell)} w_k\,[k \text{ available for } u]}

    over the nodes :math:`c_\ell` on the path from indicator :math:`j` to the
    index.  With arithmetic means at every level the index is
    :math:`\sum_j e_{uj} z_{uj}` (OECD/JRC Handbook 2008, §6.1, linear
    aggregation); an unavailable indicator gets 0.

    Raises
    ------
    UnknownCodeError
        ``unit`` is not a unit of the evaluation.
    """
    i = ev.data.unit_index(unit)
    eff = np.ones(1)
    for plan, w, lower in zip(
        reversed(ev.plans),
        reversed(ev.weights),
        reversed(ev.level_scores[:-1]),
        strict=True,
    ):
        avail = ~np.isnan(lower[i])
        wa = np.where(avail, w, 0.0)
        tot = group_sums(wa, plan.membership, len(plan.codes), rowwise=True)
        share = np.where(
            tot[plan.membership] > 0,
            wa / np.where(tot[plan.membership] > 0, tot[plan.membership], 1.0),
            0.0,
        )
        eff = share * eff[plan.membership]
    return eff

def profile(ev: Evaluation, unit: str, k: int = 5) -> Table:
    """Strengths and weaknesses (优势与短板) of one unit.

    Its ``k`` best and ``k`` worst indicators by rank among all units, and its
    rank in every group above the indicators.
    """
    fw = ev.framework
    i = ev.data.unit_index(unit)
    r = ev.level_ranks[0][i]
    n_avail = np.sum(~np.isnan(ev.level_scores[0]), axis=0)
    ok = np.flatnonzero(~np.isnan(r))
    best = ok[np.argsort(r[ok], kind="stable")][:k]
    worst = ok[np.argsort(-r[ok], kind="stable")][:k]
    kind, codes, names, ranks, of, vals = [], [], [], [], [], []
    for tag, sel in (("优势 strength", best), ("短板 weakness", worst)):
        for j in sel:
            kind.append(tag)
            codes.append(fw.indicator_codes[j])
            names.append(fw.indicators[j].label)
            ranks.append(r[j])
            of.append(int(n_avail[j]))
            vals.append(ev.preprocessed.raw[i, j])
    for lev in range(fw.max_level, 1, -1):
        for j, c in enumerate(fw.level_codes(lev)):
            kind.append(f"第{lev}级 level {lev}")
            codes.append(c)
            names.append(fw[c].label)
            ranks.append(ev.level_ranks[lev - 1][i, j])
            of.append(int(np.sum(~np.isnan(ev.level_scores[lev - 1][:, j]))))
            vals.append(ev.level_scores[lev - 1][i, j])
    return Table.from_columns(
        {
            "类别 kind": kind,
            "代码 code": codes,
            "名称 name": names,
            "排名 rank": ranks,
            "参评数 of": of,
            "值 value/score": vals,
        },
        title=f"{ev.data.names[i]} {unit}: 画像 / profile",
    )
