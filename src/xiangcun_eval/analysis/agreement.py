r"""Rank agreement between methodologies (不同方法排名的一致性).

Given two or more evaluations of the same units (different methodologies,
weights, years), aligned by unit code (units missing from any evaluation, or
with a missing index, are left out and counted):

* Spearman's ``ρ`` and Kendall's ``τ_b`` matrices of the index scores
  (``scipy.stats.spearmanr`` / ``kendalltau``, ties handled as R's
  ``cor(method = "spearman" | "kendall")``);
* mean absolute rank shift ``(1/n) Σ_u |r_u^{(a)} − r_u^{(b)}|`` per pair;
* share of units whose grade differs between ``a`` and ``b`` (grade codes
  compared band by band: meaningful when the evaluations use the same
  grading bands).

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems.
*Biometrika* 33(3), 239-251.
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity
analysis techniques as tools for the quality assessment of composite
indicators. *J. R. Stat. Soc. A* 168(2), 307-323 (rank shifts between
methodologies).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..methods import rank as _rank
from ..results import Evaluation
from ..table import Table

__all__ = ["RankAgreement", "rank_agreement"]

F64 = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class RankAgreement:
    """Pairwise agreement matrices, ``(k, k)`` each, in the order of ``names``."""

    names: tuple[str, ...]
    units: tuple[str, ...]
    ranks: F64
    """``(n_units, k)`` ranks (re-ranked on the common units)."""
    spearman: F64
    kendall: F64
    mean_abs_shift: F64
    grade_change: F64
    n_dropped: int

    def matrix(self, what: str = "spearman") -> Table:
        """One agreement measure as a labelled square table.

        ``measure`` is one of ``"spearman"``, ``"kendall"``, ``"mean_abs_shift"``,
        ``"grade_change"``.
        """
        titles = {
            "spearman": "Spearman 秩相关 / Spearman's rho",
            "kendall": "Kendall 秩相关 / Kendall's tau-b",
            "mean_abs_shift": "平均绝对排名变化 / mean absolute rank shift",
            "grade_change": "等级变化的单位比例 / share of units changing grade",
        }
        if what not in titles:
            raise MethodError(f"未知矩阵 {what!r} / unknown matrix {what!r}; use {list(titles)}")
        m = getattr(self, what)
        cols: dict[str, Any] = {"方法 methodology": self.names}
        for j, nm in enumerate(self.names):
            cols[nm] = m[:, j]
        return Table.from_columns(cols, title=titles[what])

    def table(self) -> Table:
        """One row per pair of methodologies with all four measures."""
        a, b = np.triu_indices(len(self.names), k=1)
        return Table.from_columns(
            {"A": [self.names[i] for i in a], "B": [self.names[j] for j in b],
             "Spearman ρ": self.spearman[a, b], "Kendall τ_b": self.kendall[a, b],
             "平均绝对排名变化 mean |Δrank|": self.mean_abs_shift[a, b],
             "等级变化比例 grade changed": self.grade_change[a, b]},
            title=f"排名一致性 / rank agreement ({len(self.units)} units)",
        )


def rank_agreement(
    evaluations: Mapping[str, Evaluation] | Sequence[Evaluation],
) -> RankAgreement:
    """Agreement of the index rankings of several evaluations.

    ``evaluations``: a mapping name -> Evaluation, or a sequence (named by
    their methodology names, numbered when repeated).
    """
    if isinstance(evaluations, Mapping):
        items = list(evaluations.items())
    else:
        items = []
        for k, ev in enumerate(evaluations):
            nm = getattr(getattr(ev, "methodology", None), "name", "") or f"#{k + 1}"
            items.append((nm if nm not in dict(items) else f"{nm} #{k + 1}", ev))
    if len(items) < 2:
        raise MethodError("至少需要两个评价结果 / give at least two evaluations to compare")
    bad = [nm for nm, ev in items if not isinstance(ev, Evaluation)]
    if bad:
        raise MethodError(f"这些不是 Evaluation / not Evaluation objects: {bad}")
    from scipy import stats  # type: ignore[import-untyped, unused-ignore]

    names = tuple(nm for nm, _ in items)
    evs = [ev for _, ev in items]
    common = np.asarray(evs[0].units)
    for ev in evs[1:]:
        common = common[np.isin(common, np.asarray(ev.units))]
    cols_s, cols_g = [], []
    for ev in evs:
        u = np.asarray(ev.units)
        order = np.argsort(u)
        pos = order[np.searchsorted(u, common, sorter=order)]
        cols_s.append(np.asarray(ev.index)[pos])
        cols_g.append(np.asarray(ev.grade_codes)[pos])
    s = np.column_stack(cols_s)
    gcodes = np.column_stack(cols_g)
    ok = np.isfinite(s).all(axis=1)
    all_units = set().union(*(set(ev.units) for ev in evs))
    dropped = len(all_units) - int(ok.sum())
    s, gcodes, units = s[ok], gcodes[ok], tuple(common[ok].tolist())
    if s.shape[0] < 3:
        raise MethodError(
            f"共同单位不足 3 个 / fewer than 3 units are scored in every evaluation ({s.shape[0]})"
        )
    ranks = np.swapaxes(_rank.rank_desc(s.T, axis=-1), 0, 1)
    k = len(names)
    avg = np.column_stack([stats.rankdata(s[:, j]) for j in range(k)])  # average ranks
    rho = np.corrcoef(avg, rowvar=False)
    tau = np.eye(k)
    shift = np.zeros((k, k))
    change = np.zeros((k, k))
    for i in range(k):  # pairs of methodologies (a handful)
        for j in range(i + 1, k):
            tau[i, j] = tau[j, i] = float(stats.kendalltau(s[:, i], s[:, j]).statistic)
            shift[i, j] = shift[j, i] = float(np.mean(np.abs(ranks[:, i] - ranks[:, j])))
            change[i, j] = change[j, i] = float(np.mean(gcodes[:, i] != gcodes[:, j]))
    return RankAgreement(names=names, units=units, ranks=ranks, spearman=rho,
                         kendall=tau, mean_abs_shift=shift, grade_change=change,
                         n_dropped=dropped)
