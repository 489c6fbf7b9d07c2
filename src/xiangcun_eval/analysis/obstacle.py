r"""Obstacle degree model (障碍度模型): which indicators hold a unit back.

For unit ``u`` and indicator ``j`` with factor contribution ``F_j`` (the
indicator's effective weight in the index: the product of the
within-group weights along its lineage) and deviation
``I_uj = 1 − x'_uj`` (``x'`` the normalised value on ``[0, 1]``):

.. math::
    O_{uj} = \frac{F_j I_{uj}}{\sum_k F_k I_{uk}} \times 100\%, \qquad
    O_{ug} = \sum_{j \in g} O_{uj},

the share of the unit's weighted shortfall due to ``j`` (and to group ``g``).
Missing normalised values contribute nothing (their ``O`` is NaN), so a
unit's obstacle degrees over its available indicators sum to 100 %; a unit
at the top of every indicator (no shortfall) gets NaN.

References
----------
The factor-contribution × deviation-degree obstacle model is used throughout
Chinese regional-evaluation studies under the name 障碍度模型, without one
canonical source; the formula above is the one implemented (and tested
against a loop over units and indicators).  It pairs with the composite
indicator's weights as in OECD/JRC (2008), *Handbook on Constructing
Composite Indicators*, §6 (decomposition of an index into contributions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ..results import Evaluation
from ..table import Table
from ._common import Scale, as_groups, unit_scale

__all__ = ["Obstacles", "obstacle_degree", "obstacle_kernel"]

F64 = NDArray[np.float64]


def obstacle_kernel(x: ArrayLike, weights: ArrayLike) -> F64:
    """Obstacle degrees ``O_uj`` (in [0, 1], rows sum to 1).

    From normalised values ``x`` on ``[0, 1]`` ``(..., n_units, n_ind)`` and
    factor weights ``(n_ind,)``.
    """
    xa = np.asarray(x, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != xa.shape[-1:]:
        raise MethodError(f"权重数与指标数不符 / {w.size} weights for {xa.shape[-1]} indicators")
    if np.any((xa < 0) | (xa > 1)):
        raise MethodError("标准化值须在 [0, 1] / normalised values must lie in [0, 1]")
    if np.any(w < 0) or not np.isfinite(w).all():
        raise MethodError("权重须为非负有限数 / weights must be non-negative and finite")
    fi = w * (1.0 - xa)
    tot = np.nansum(fi, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F64 = np.where(tot > 0, fi / tot, np.nan)
    return out


@dataclass(frozen=True, eq=False)
class Obstacles:
    """Obstacle degrees per unit and indicator, and per group."""

    units: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    degree: F64
    """``(n_units, n_indicators)`` obstacle degree in [0, 1]."""
    group_codes: tuple[str, ...]
    group_degree: F64
    """``(n_units, n_groups)`` obstacle degree of the groups at ``group_level``."""
    group_level: int
    unit_groups: dict[str, tuple[str, ...]]

    def top(self, n: int = 5) -> tuple[NDArray[np.intp], F64]:
        """Return indices and degrees of each unit's ``n`` largest obstacles, ``(n_units, n)``."""
        if not 1 <= n <= len(self.codes):
            raise MethodError(f"n 须在 1..{len(self.codes)} / n must be in 1..{len(self.codes)}")
        d = np.nan_to_num(self.degree, nan=-1.0)
        idx = np.argsort(-d, axis=1, kind="stable")[:, :n]
        return idx, np.take_along_axis(self.degree, idx, axis=1)

    def top_table(self, n: int = 5) -> Table:
        """Each unit's ``n`` main obstacles: code and degree, rank 1 first."""
        idx, val = self.top(n)
        codes = np.asarray(self.codes)
        cols: dict[str, object] = {"代码 code": self.units}
        for r in range(n):
            cols[f"障碍因子{r + 1} obstacle {r + 1}"] = codes[idx[:, r]].tolist()
            cols[f"障碍度{r + 1} degree {r + 1}"] = val[:, r]
        return Table.from_columns(cols, title=f"主要障碍因子 / top-{n} obstacles per unit")  # type: ignore[arg-type]

    def frequency(self, by: str, n: int = 5) -> Table:
        """How often each indicator is among the ``n`` main obstacles, per group.

        Groups are those of the unit column ``by`` (e.g. ``"province"``): one row
        per group and indicator that occurs, most frequent first.
        """
        if by not in self.unit_groups:
            raise MethodError(
                f"没有分组列 {by!r} / no grouping column {by!r}; available: "
                f"{sorted(self.unit_groups)}"
            )
        g, labels = as_groups(np.zeros(0), self.unit_groups[by], len(self.units))
        idx, _ = self.top(n)
        k = len(self.codes)
        valid = (g[:, None] >= 0) & ~np.isnan(np.take_along_axis(self.degree, idx, axis=1))
        flat = (g[:, None] * k + idx)[valid]
        counts = np.bincount(flat, minlength=len(labels) * k).reshape(len(labels), k)
        units_per = np.bincount(g[g >= 0], minlength=len(labels))
        gi, ji = np.nonzero(counts)
        order = np.lexsort((ji, -counts[gi, ji], gi))
        gi, ji = gi[order], ji[order]
        return Table.from_columns(
            {f"分组 {by}": [labels[i] for i in gi], "代码 code": [self.codes[j] for j in ji],
             "名称 name": [self.names[j] for j in ji], "频次 count": counts[gi, ji],
             "占比 share of units": counts[gi, ji] / units_per[gi]},
            title=f"障碍因子频次 / frequency among the top-{n} obstacles by {by}",
        )

    def table(self, groups: bool = True) -> Table:
        """Obstacle degree per unit.

        One column per group (``groups=True``) or per indicator.
        """
        cols: dict[str, object] = {"代码 code": self.units}
        codes, vals = (self.group_codes, self.group_degree) if groups else (self.codes, self.degree)
        for j, c in enumerate(codes):
            cols[c] = vals[:, j]
        what = f"第{self.group_level}级分组 level-{self.group_level} groups" if groups else \
            "指标 indicators"
        return Table.from_columns(cols, title=f"障碍度 / obstacle degree ({what})")  # type: ignore[arg-type]


def obstacle_degree(
    evaluation: Evaluation, *, scale: Scale = "range", group_level: int = 2
) -> Obstacles:
    """Obstacle degree of every indicator (and group) for every unit.

    Parameters
    ----------
    evaluation
        A nominal evaluation: its normalised indicators and effective weights
        are used.
    scale
        How normalised values map to ``[0, 1]``: ``"range"`` (default:
        ``(x − min)/(max − min)`` per indicator over the units — the usual
        极差标准化 whatever the normalisation), ``"auto"`` (the min-max bounds
        of the methodology), or ``(lower, upper)``.
    group_level
        Level whose groups are reported (2 = the level above the indicators).
    """
    if not isinstance(evaluation, Evaluation):
        raise MethodError(
            "obstacle_degree 需要 Evaluation / obstacle_degree takes an Evaluation; for arrays "
            "use obstacle_kernel(x, weights)"
        )
    fw = evaluation.framework
    if not 2 <= group_level <= fw.max_level:
        raise MethodError(
            f"group_level 须在 2..{fw.max_level} / group_level must be in 2..{fw.max_level}"
        )
    z = np.asarray(evaluation.level_scores[0])
    x = unit_scale(z, scale, evaluation, "障碍度 / obstacle degree")
    eff = np.ones(1)
    for plan, w in zip(reversed(evaluation.plans), reversed(evaluation.weights), strict=True):
        eff = np.asarray(w) * eff[plan.membership]
    o = obstacle_kernel(x, eff)
    gcodes = fw.level_codes(group_level)
    member = np.array([gcodes.index(fw.ancestor(c, group_level)) for c in fw.indicator_codes])
    onehot = np.zeros((member.size, len(gcodes)))
    onehot[np.arange(member.size), member] = 1.0
    go = np.nan_to_num(o) @ onehot
    go[np.isnan(o).all(axis=1)] = np.nan
    return Obstacles(units=evaluation.units, codes=fw.indicator_codes,
                     names=tuple(i.label for i in fw.indicators), degree=o, group_codes=gcodes,
                     group_degree=go, group_level=group_level,
                     unit_groups=dict(evaluation.data.groups))
