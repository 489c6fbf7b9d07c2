r"""Regional disparity (区域差异).

Gini, Dagum's Gini decomposition, Theil indices with their decomposition,
coefficient of variation.

Every function takes index scores (or any non-negative values) as an array,
or an :class:`~xiangcun_eval.results.Evaluation` (``code=`` picks a node,
default the index), and group labels or a grouping column (``by="region"``).
Units with a missing score (or, for the decompositions, without a group) are
left out and counted in the result (``n_dropped``).

Pairwise absolute differences are never formed: with the values of each
group sorted once, ``Σ_i Σ_r max(a_i − b_r, 0)`` is
``Σ_i (a_i·k_i − B_{k_i})`` where ``k_i`` is the number of ``b`` below
``a_i`` (one ``searchsorted``) and ``B`` the prefix sums of sorted ``b``; so
each pair of groups costs ``O((n_j + n_h) log n_h)``, and the within-group
sums use ``Σ_i Σ_r |y_i − y_r| = 2 Σ_i (2i − n − 1) y_(i)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ..results import Evaluation
from ..table import Table
from ._common import as_groups, as_scores, finite_subset

__all__ = [
    "CV",
    "DagumGini",
    "Theil",
    "coefficient_of_variation",
    "dagum_gini",
    "gini",
    "theil",
]

F64 = NDArray[np.float64]
Groups = str | Sequence[Any] | NDArray[Any]


def _check_nonneg(x: F64, what: str, *, positive: bool = False) -> None:
    if x.size == 0:
        raise MethodError(f"{what}: 没有可用的得分 / no available scores")
    bad = np.flatnonzero(x <= 0) if positive else np.flatnonzero(x < 0)
    if bad.size:
        need = "正值 / positive" if positive else "非负值 / non-negative"
        raise MethodError(
            f"{what} 需要{need} values; {bad.size} value(s) violate this (first: {x[bad[0]]!r}). "
            "Use scores on a non-negative scale (e.g. min-max 0-100)"
        )
    if not x.sum() > 0:
        raise MethodError(f"{what}: 得分均值为 0 / the mean score is 0, the index is undefined")


def _sum_abs_within(sorted_y: F64) -> float:
    """``Σ_i Σ_r |y_i − y_r|`` of one sorted sample."""
    n = sorted_y.size
    coef = 2.0 * np.arange(1, n + 1) - n - 1.0
    return float(2.0 * np.dot(coef, sorted_y))


def _sum_pos_diff(a: F64, b_sorted: F64, b_cum: F64) -> float:
    """Sum of positive differences ``Σ_i Σ_r max(a_i − b_r, 0)``.

    ``b`` is sorted and ``b_cum`` holds its prefix sums (with a leading 0).
    """
    k = np.searchsorted(b_sorted, a, side="left")
    return float(np.dot(a, k) - b_cum[k].sum())


def gini(scores: Evaluation | ArrayLike, *, code: str | None = None) -> float:
    r"""Gini coefficient of non-negative values.

    .. math:: G = \frac{\sum_i \sum_r |y_i - y_r|}{2 n^2 \mu}

    (the population form, as PySAL ``inequality.gini.Gini`` and Dagum 1997),
    computed from the sorted values as ``Σ_i (2i − n − 1) y_(i) / (n² μ)``.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income
    inequality ratio. *Empirical Economics* 22(4), 515-531.
    """
    x, _ = as_scores(scores, code)
    x = x[np.isfinite(x)]
    _check_nonneg(x, "Gini")
    s = np.sort(x)
    n = s.size
    return _sum_abs_within(s) / (2.0 * n * n * float(s.mean()))


@dataclass(frozen=True, eq=False)
class DagumGini:
    """Dagum (1997) decomposition ``G = G_w + G_nb + G_t``.

    Attributes
    ----------
    labels
        Group labels, in the order of the arrays (ascending label).
    n, mean
        Units and mean score per group.
    total
        Overall Gini ``G``.
    within, net_between, transvariation
        ``G_w``, ``G_nb``, ``G_t`` (they sum to ``total``).
    group_gini
        Within-group Gini ``G_jj`` per group.
    between
        ``(k, k)`` matrix of between-group Gini ``G_jh`` (diagonal = ``G_jj``).
    relative_economic_affluence
        ``(k, k)`` matrix ``D_jh`` (diagonal 0; symmetric).
    n_dropped
        Units left out (missing score or group).
    """

    labels: tuple[str, ...]
    n: NDArray[np.int64]
    mean: F64
    total: float
    within: float
    net_between: float
    transvariation: float
    group_gini: F64
    between: F64
    relative_economic_affluence: F64
    n_dropped: int

    @property
    def contributions(self) -> F64:
        """Shares of ``G`` from within, net between and transvariation."""
        out: F64 = np.array([self.within, self.net_between, self.transvariation]) / self.total
        return out

    def table(self) -> Table:
        """One row per component: value and share of the total."""
        share = self.contributions
        return Table.from_columns(
            {
                "成分 component": ["总体 total G", "组内 within G_w", "组间净值 net between G_nb",
                                  "超变密度 transvariation G_t"],
                "值 value": [self.total, self.within, self.net_between, self.transvariation],
                "贡献率 share": [1.0, *share.tolist()],
            },
            title="Dagum 基尼系数分解 / Dagum Gini decomposition",
        )

    def groups_table(self) -> Table:
        """One row per group: units, mean score, within-group Gini."""
        return Table.from_columns(
            {"分组 group": self.labels, "单位数 n": self.n, "均值 mean": self.mean,
             "组内基尼 G_jj": self.group_gini},
            title="组内差异 / within-group Gini",
        )

    def between_table(self) -> Table:
        """Return the pairwise between-group Gini matrix ``G_jh`` (diagonal ``G_jj``)."""
        cols: dict[str, Any] = {"分组 group": self.labels}
        for h, lab in enumerate(self.labels):
            cols[lab] = self.between[:, h]
        return Table.from_columns(cols, title="组间基尼系数 / between-group Gini G_jh")


def dagum_gini(
    scores: Evaluation | ArrayLike, by: Groups, *, code: str | None = None
) -> DagumGini:
    r"""Dagum's decomposition of the Gini coefficient by groups (区域差异来源).

    With ``k`` groups, ``n_j`` units and mean ``μ_j`` in group ``j``,
    ``p_j = n_j / n`` and ``s_j = n_j μ_j / (n μ)``:

    .. math::
        G_{jj} = \frac{\sum_i \sum_r |y_{ji} - y_{jr}|}{2 n_j^2 \mu_j}, \qquad
        G_{jh} = \frac{\sum_i \sum_r |y_{ji} - y_{hr}|}{n_j n_h (\mu_j + \mu_h)},

        G_w = \sum_j G_{jj} p_j s_j, \quad
        G_{nb} = \sum_{j > h} G_{jh} (p_j s_h + p_h s_j) D_{jh}, \quad
        G_t = \sum_{j > h} G_{jh} (p_j s_h + p_h s_j) (1 - D_{jh}),

        D_{jh} = \frac{d_{jh} - p_{jh}}{d_{jh} + p_{jh}}, \quad
        d_{jh} = \frac{\sum_i \sum_r \max(y_{ji} - y_{hr}, 0)}{n_j n_h}, \quad
        p_{jh} = \frac{\sum_i \sum_r \max(y_{hr} - y_{ji}, 0)}{n_j n_h},

    where in ``D_jh`` group ``j`` is the one with the higher mean (so
    ``0 <= D_jh <= 1``; ``D_jh = 0`` when both groups have all values equal).
    ``G = G_w + G_nb + G_t`` holds exactly.

    Parameters
    ----------
    scores
        Non-negative values per unit, or an Evaluation (``code`` selects the node).
    by
        Grouping column of the evaluation (``"region"``, ``"province"``) or
        one label per unit.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income
    inequality ratio. *Empirical Economics* 22(4), 515-531.
    doi:10.1007/BF01205777
    """
    x, _ = as_scores(scores, code)
    g, labels = as_groups(scores, by, x.size)
    keep, dropped = finite_subset(x, g)
    x, g = x[keep], g[keep]
    _check_nonneg(x, "Dagum Gini")
    present = np.unique(g)
    if present.size < 2:
        raise MethodError(
            "Dagum 分解至少需要两个有数据的分组 / the Dagum decomposition needs at least two "
            f"groups with data; found {present.size}"
        )
    labels = tuple(labels[i] for i in present)
    g = np.searchsorted(present, g)
    k = len(labels)
    order = np.lexsort((x, g))
    xs, gs = x[order], g[order]
    bounds = np.searchsorted(gs, np.arange(k + 1))
    parts = [xs[bounds[j]:bounds[j + 1]] for j in range(k)]
    cums = [np.concatenate(([0.0], np.cumsum(p))) for p in parts]
    n_j = np.array([p.size for p in parts], dtype=np.int64)
    sums = np.array([c[-1] for c in cums])
    mu_j = sums / n_j
    n, mu = float(n_j.sum()), float(sums.sum() / n_j.sum())
    p_j = n_j / n
    s_j = n_j * mu_j / (n * mu)

    gjj = np.array([_sum_abs_within(p) for p in parts]) / (2.0 * n_j.astype(float) ** 2 * mu_j)
    between = np.diag(gjj)
    dmat = np.zeros((k, k))
    gw = float(np.sum(gjj * p_j * s_j))
    gnb = gt = 0.0
    for j in range(k):
        for h in range(j):
            # d: mean positive difference of the higher-mean group over the other
            hi, lo = (j, h) if mu_j[j] >= mu_j[h] else (h, j)
            pos = _sum_pos_diff(parts[hi], parts[lo], cums[lo])
            nn = float(n_j[j] * n_j[h])
            net = sums[hi] * n_j[lo] - sums[lo] * n_j[hi]  # Σ_i Σ_r (y_hi − y_lo)
            # Σ (y_lo − y_hi)⁺ >= 0; as a difference of two sums it can come out a
            # few ulps below 0 when the groups do not overlap (then D_jh > 1)
            neg = max(pos - net, 0.0)
            total_abs = pos + neg
            gjh = total_abs / (nn * (mu_j[j] + mu_j[h]))
            djh = (pos - neg) / (pos + neg) if pos + neg > 0 else 0.0
            between[j, h] = between[h, j] = gjh
            dmat[j, h] = dmat[h, j] = djh
            wgt = gjh * (p_j[j] * s_j[h] + p_j[h] * s_j[j])
            gnb += wgt * djh
            gt += wgt * (1.0 - djh)
    total = gini(x)
    return DagumGini(labels=labels, n=n_j, mean=mu_j, total=total, within=gw,
                     net_between=gnb, transvariation=gt, group_gini=gjj, between=between,
                     relative_economic_affluence=dmat, n_dropped=dropped)


@dataclass(frozen=True, eq=False)
class Theil:
    """Theil T (GE(1)) and Theil L (mean log deviation, GE(0)).

    With the within/between decomposition when groups are given.

    Attributes
    ----------
    t, l
        Overall indices.
    labels, n, mean
        Groups (empty without groups).
    group_t, group_l
        Index within each group.
    t_within, t_between, l_within, l_between
        Decomposition (NaN without groups); ``t = t_within + t_between``.
    n_dropped
        Units left out.
    """

    t: float
    l: float  # noqa: E741
    labels: tuple[str, ...]
    n: NDArray[np.int64]
    mean: F64
    group_t: F64
    group_l: F64
    t_within: float
    t_between: float
    l_within: float
    l_between: float
    n_dropped: int

    def table(self) -> Table:
        """Overall, within and between parts of both indices, with shares."""
        def share(v: float, tot: float) -> float:
            return v / tot if tot > 0 else float("nan")

        return Table.from_columns(
            {
                "指数 index": ["Theil T", "Theil L"],
                "总体 total": [self.t, self.l],
                "组内 within": [self.t_within, self.l_within],
                "组间 between": [self.t_between, self.l_between],
                "组间贡献率 between share": [share(self.t_between, self.t),
                                          share(self.l_between, self.l)],
            },
            title="泰尔指数及其分解 / Theil indices and decomposition",
        )

    def groups_table(self) -> Table:
        """Return one row per group: units, mean score, Theil T and Theil L within the group."""
        return Table.from_columns(
            {"分组 group": self.labels, "单位数 n": self.n, "均值 mean": self.mean,
             "Theil T": self.group_t, "Theil L": self.group_l},
            title="组内泰尔指数 / within-group Theil indices",
        )


def _theil_tl(y: F64) -> tuple[float, float]:
    mu = float(y.mean())
    r = y / mu
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.mean(np.where(r > 0, r * np.log(r), 0.0)))
        lv = float(np.mean(-np.log(r))) if np.all(r > 0) else float("nan")
    return t, lv


def theil(
    scores: Evaluation | ArrayLike, by: Groups | None = None, *, code: str | None = None
) -> Theil:
    r"""Theil T and Theil L, decomposed into within- and between-group parts.

    .. math::
        T = \frac{1}{n}\sum_i \frac{y_i}{\mu}\ln\frac{y_i}{\mu}, \qquad
        L = \frac{1}{n}\sum_i \ln\frac{\mu}{y_i},

        T = \sum_g s_g T_g + \sum_g s_g \ln\frac{\mu_g}{\mu}, \qquad
        L = \sum_g p_g L_g + \sum_g p_g \ln\frac{\mu}{\mu_g},

    with ``p_g = n_g / n`` and ``s_g = n_g μ_g / (n μ)``.  ``T`` accepts zeros
    (``0 ln 0 = 0``); ``L`` needs positive values and is NaN otherwise.  ``T``
    and its decomposition equal PySAL ``inequality.theil.Theil``/``TheilD``.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. *Econometrica* 48(3), 613-625.
    """
    x, _ = as_scores(scores, code)
    if by is None:
        keep = np.isfinite(x)
        dropped = int(keep.size - keep.sum())
        x = x[keep]
        _check_nonneg(x, "Theil")
        t, lv = _theil_tl(x)
        nan = float("nan")
        return Theil(t=t, l=lv, labels=(), n=np.zeros(0, np.int64), mean=np.zeros(0),
                     group_t=np.zeros(0), group_l=np.zeros(0), t_within=nan, t_between=nan,
                     l_within=nan, l_between=nan, n_dropped=dropped)
    g, labels = as_groups(scores, by, x.size)
    keep, dropped = finite_subset(x, g)
    x, g = x[keep], g[keep]
    _check_nonneg(x, "Theil")
    present = np.unique(g)
    labels = tuple(labels[i] for i in present)
    g = np.searchsorted(present, g)
    k = len(labels)
    n_g = np.bincount(g, minlength=k)
    mu_g = np.bincount(g, weights=x, minlength=k) / n_g
    mu = float(x.mean())
    r = x / mu_g[g]  # each unit relative to its group mean
    with np.errstate(divide="ignore", invalid="ignore"):
        t_g = np.bincount(g, weights=np.where(r > 0, r * np.log(r), 0.0), minlength=k) / n_g
        l_g = np.bincount(g, weights=-np.log(r), minlength=k) / n_g if np.all(x > 0) \
            else np.full(k, np.nan)
        p_g = n_g / x.size
        s_g = n_g * mu_g / (x.size * mu)
        t_between = float(np.sum(np.where(s_g > 0, s_g * np.log(mu_g / mu), 0.0)))
        l_between = float(np.sum(p_g * np.log(mu / mu_g))) if np.all(mu_g > 0) else float("nan")
    t, lv = _theil_tl(x)
    return Theil(t=t, l=lv, labels=labels, n=n_g.astype(np.int64), mean=mu_g, group_t=t_g,
                 group_l=l_g, t_within=float(np.sum(s_g * t_g)), t_between=t_between,
                 l_within=float(np.sum(p_g * l_g)), l_between=l_between, n_dropped=dropped)


@dataclass(frozen=True, eq=False)
class CV:
    """Coefficient of variation overall and per group."""

    total: float
    labels: tuple[str, ...]
    n: NDArray[np.int64]
    group_cv: F64
    ddof: int
    n_dropped: int

    def table(self) -> Table:
        """Return the CV of all units (first row) and of each group, with the number of units."""
        return Table.from_columns(
            {"分组 group": ["总体 all", *self.labels],
             "单位数 n": [int(self.n.sum()) if self.n.size else None, *self.n.tolist()],
             "变异系数 CV": [self.total, *self.group_cv.tolist()]},
            title=f"变异系数 / coefficient of variation (ddof={self.ddof})",
        )


def coefficient_of_variation(
    scores: Evaluation | ArrayLike, by: Groups | None = None, *, ddof: int = 1,
    code: str | None = None,
) -> CV:
    r"""Coefficient of variation ``CV = s / \bar y`` (变异系数), overall and per group.

    ``s`` is the standard deviation with ``ddof`` (default 1: the sample
    standard deviation, as R ``sd`` and Excel ``STDEV.S``; ``ddof=0`` for the
    population form).

    References
    ----------
    Everitt, B. S., Skrondal, A. (2010). *The Cambridge Dictionary of
    Statistics*, 4th ed., "coefficient of variation".
    """
    if ddof not in (0, 1):
        raise MethodError("ddof 须为 0 或 1 / ddof must be 0 or 1")
    x, _ = as_scores(scores, code)

    def cv(v: F64) -> float:
        if v.size <= ddof:
            return float("nan")
        m = float(v.mean())
        return float(v.std(ddof=ddof) / m) if m != 0 else float("nan")

    if by is None:
        keep = np.isfinite(x)
        if not keep.any():
            raise MethodError("变异系数: 没有可用的得分 / coefficient of variation: no scores")
        return CV(total=cv(x[keep]), labels=(), n=np.zeros(0, np.int64), group_cv=np.zeros(0),
                  ddof=ddof, n_dropped=int((~keep).sum()))
    g, labels = as_groups(scores, by, x.size)
    keep, dropped = finite_subset(x, g)
    x, g = x[keep], g[keep]
    if x.size == 0:
        raise MethodError("变异系数: 没有可用的得分 / coefficient of variation: no scores")
    present = np.unique(g)
    labels = tuple(labels[i] for i in present)
    g = np.searchsorted(present, g)
    k = len(labels)
    n_g = np.bincount(g, minlength=k)
    m_g = np.bincount(g, weights=x, minlength=k) / n_g
    ss = np.bincount(g, weights=(x - m_g[g]) ** 2, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(ss / (n_g - ddof))
        gcv = np.where((n_g > ddof) & (m_g != 0), sd / m_g, np.nan)
    return CV(total=cv(x), labels=labels, n=n_g.astype(np.int64), group_cv=gcv, ddof=ddof,
              n_dropped=dropped)
