"""Charts of an evaluation (``plot`` extra).

Each function returns the matplotlib ``Figure``; those drawing one axes
take ``ax=`` to draw into an existing one (its figure is returned).
Labels are Chinese (English beside) and render with the font of
:mod:`xiangcun_eval.plot.fonts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..export.frames import grade_names, level_name, rank_order
from ._base import chart, grade_colours, new_axes, short

if TYPE_CHECKING:
    from ..results import Evaluation
    from ..sensitivity.api import UncertaintyResult

__all__ = [
    "correlation_heatmap",
    "grade_composition",
    "profile_chart",
    "ranking_chart",
    "score_distribution",
]

F64 = NDArray[np.float64]


def _select(ev: Evaluation, top: int | None, province: str | None) -> NDArray[np.intp]:
    order = rank_order(ev)
    if province is not None:
        prov = np.asarray(ev.data.groups.get("province", ()), dtype=str)
        if prov.size == 0:
            raise ValueError("数据没有省份列 / the data has no province column")
        order = order[np.char.startswith(prov[order], province)]
        if order.size == 0:
            raise ValueError(f"没有省份为 {province!r} 的单位 / no unit in province {province!r}")
    order = order[~np.isnan(ev.rank[order])]
    return order[:top] if top is not None else order


@chart
def ranking_chart(ev: Evaluation, *, top: int | None = 20, province: str | None = None,
                  uncertainty: UncertaintyResult | None = None, ax: Any = None) -> Any:
    """Ranking of the first ``top`` units (optionally of one province).

    Without ``uncertainty``: horizontal bars of the index score, coloured by
    grade.  With an :class:`~xiangcun_eval.sensitivity.api.UncertaintyResult`:
    each unit's nominal rank (dot), median rank (bar) and its rank interval
    between the result's outer quantiles (line), e.g. 5 %–95 %.
    """
    idx = _select(ev, top, province)
    n = idx.size
    fig, ax = new_axes(ax, (8.0, max(2.5, 0.28 * n + 1.2)))
    labels = [f"{ev.data.names[i]}" for i in idx]
    y = np.arange(n)
    colours = grade_colours(len(grade_names(ev)))
    where = f"{province} " if province else ""
    if uncertainty is None:
        c = [colours[g] if g >= 0 else "#999999" for g in ev.grade_codes[idx]]
        ax.barh(y, ev.index[idx], color=c)
        for yi, v in zip(y, ev.index[idx], strict=True):
            ax.text(v, yi, f" {v:.1f}", va="center", fontsize=8)
        ax.set_xlabel("综合得分 / index score")
        ax.set_title(f"{where}排名前 {n} 位 / top {n} by index score")
        handles = [_patch(colours[k], f"{z} {e}") for k, (z, e) in
                   enumerate(zip(grade_names(ev), grade_names(ev, "en"), strict=True))]
        ax.legend(handles=handles, fontsize=8, loc="upper center", ncol=len(handles),
                  bbox_to_anchor=(0.5, -0.08 - 1.0 / max(n, 4) / 2))
    else:
        pos = {u: k for k, u in enumerate(uncertainty.units)}
        k = np.array([pos.get(ev.units[i], -1) for i in idx])
        if np.any(k < 0):
            raise ValueError("不确定性结果与评价的单位不一致 / the uncertainty result does not "
                             "cover these units")
        q = uncertainty.rank_quantiles  # (n_units, n_quantiles)
        lo, hi = q[k, 0], q[k, -1]
        med = uncertainty.rank_median[k]
        nominal = ev.rank[idx]
        ax.hlines(y, lo, hi, color="#4575B4", lw=3, alpha=0.6,
                  label=f"{uncertainty.quantiles[0]:.0%}–{uncertainty.quantiles[-1]:.0%} 排名区间"
                        " / rank interval")
        ax.plot(med, y, "|", color="#08306B", ms=12, mew=2, label="排名中位数 / median rank")
        ax.plot(nominal, y, "o", color="#D73027", ms=5, label="名义排名 / nominal rank")
        ax.set_xlabel("排名 (1 = 最好) / rank (1 = best)")
        ax.set_title(f"{where}排名及不确定性区间 / ranks with uncertainty intervals "
                     f"(n = {uncertainty.n_done})")
        ax.legend(fontsize=8, loc="upper center", ncol=3,
                  bbox_to_anchor=(0.5, -0.08 - 1.0 / max(n, 4) / 2))
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    return fig


def _patch(colour: Any, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(color=colour, label=label)


@chart
def profile_chart(ev: Evaluation, unit: str, *, kind: Literal["radar", "bars"] = "radar",
                  level: int | None = None, ax: Any = None) -> Any:
    """One unit's scores across the nodes of ``level`` against its province and all.

    ``level`` defaults to the level below the index (e.g. the 10 areas); the means
    of the unit's province and of all units are drawn alongside; a radar (``ax``
    must then be polar) or grouped bars.
    """
    fw = ev.framework
    lev = fw.max_level - 1 if level is None else level
    i = ev.data.unit_index(unit)
    codes = fw.level_codes(lev)
    s = ev.level_scores[lev - 1]
    series = [(f"{ev.data.names[i]}", s[i], "#D73027")]
    prov = ev.data.groups.get("province")
    if prov is not None:
        mask = np.asarray(prov) == prov[i]
        series.append((f"{prov[i]}均值 / province mean", np.nanmean(s[mask], axis=0), "#4575B4"))
    series.append(("全部均值 / all-unit mean", np.nanmean(s, axis=0), "#7F7F7F"))
    names = [short(fw[c].name_zh, 8) for c in codes]
    title = f"{ev.data.names[i]} ({unit}) {level_name(ev, lev)}得分画像 / profile"
    if kind == "radar":
        fig, ax = new_axes(ax, (7.0, 7.0), polar=True)
        ang = np.linspace(0, 2 * np.pi, len(codes), endpoint=False)
        for label, v, col in series:
            vv = np.concatenate([v, v[:1]])
            aa = np.concatenate([ang, ang[:1]])
            ax.plot(aa, vv, color=col, lw=2 if col == "#D73027" else 1.2, label=label)
            if col == "#D73027":
                ax.fill(aa, vv, color=col, alpha=0.15)
        ax.set_xticks(ang, names, fontsize=8)
        ax.set_title(title, pad=18)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3)
    else:
        fig, ax = new_axes(ax, (9.0, 4.5))
        x = np.arange(len(codes))
        wdt = 0.8 / len(series)
        for k, (label, v, col) in enumerate(series):
            ax.bar(x + (k - (len(series) - 1) / 2) * wdt, v, wdt, color=col, label=label)
        ax.set_xticks(x, names, rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("得分 / score")
        ax.set_title(title)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    return fig


@chart
def score_distribution(ev: Evaluation, *, by: str = "region", code: str | None = None,
                       bw_method: Literal["silverman", "scott"] = "silverman",
                       ax: Any = None) -> Any:
    """Kernel density of a node's scores (default the index).

    For all units and each group of ``by``, as computed by
    :func:`xiangcun_eval.analysis.density.kernel_density` (Gaussian kernel,
    Silverman's or Scott's bandwidth).
    """
    from ..analysis.density import kernel_density

    fw = ev.framework
    node = code or fw.root.code
    dens = kernel_density(ev, by, code=node, bw_method=bw_method)
    fig, ax = new_axes(ax, (8.0, 4.5))
    for k, (lab, d, n) in enumerate(zip(dens.labels, dens.density, dens.n, strict=True)):
        style = {"color": "black", "ls": "--", "lw": 1.2} if k == 0 else {"lw": 1.8}
        ax.plot(dens.grid, d, label=f"{lab} (n = {n})", **style)
    ax.set_xlabel(f"{fw[node].name_zh} 得分 / score")
    ax.set_ylabel("密度 / density")
    zh = {"region": "地区", "province": "省份"}.get(by, by)
    ax.set_title(f"按{zh}的得分分布 / score distribution by {by}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


@chart
def correlation_heatmap(ev: Evaluation, *, level: int = 1, group_level: int | None = None,
                        ax: Any = None) -> Any:
    """Spearman rank correlations between the nodes of ``level``.

    ``level`` defaults to the normalised indicators; nodes are ordered by their
    ancestor at ``group_level`` (default: the level below the index, e.g. the
    areas), with a box around each group's block (units with a missing value are
    left out).
    """
    from matplotlib.patches import Rectangle
    from scipy.stats import spearmanr  # type: ignore[import-untyped, unused-ignore]

    fw = ev.framework
    codes = list(fw.level_codes(level))
    x = ev.level_scores[level - 1]
    gl = (fw.max_level - 1 if fw.max_level - 1 > level else level + 1) \
        if group_level is None else group_level
    parents = [fw.ancestor(c, gl) if level < gl <= fw.max_level else "" for c in codes]
    order = sorted(range(len(codes)), key=lambda j: (parents[j], j))
    x = x[:, order]
    codes = [codes[j] for j in order]
    parents = [parents[j] for j in order]
    keep = np.all(~np.isnan(x), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # constant column: NaN, drawn blank
        rho = spearmanr(x[keep]).statistic if x.shape[1] > 1 else np.ones((1, 1))
    rho = np.atleast_2d(rho)
    k = len(codes)
    fig, ax = new_axes(ax, (max(6.0, 0.14 * k + 3), max(5.0, 0.14 * k + 2)))
    im = ax.imshow(rho, cmap="RdBu_r", vmin=-1, vmax=1)
    fig.colorbar(im, ax=ax, shrink=0.8, label="Spearman ρ")
    fs = 8 if k <= 30 else 5
    ax.set_xticks(range(k), codes, rotation=90, fontsize=fs)
    ax.set_yticks(range(k), codes, fontsize=fs)
    start = 0
    for j in range(1, k + 1):
        if j == k or parents[j] != parents[start]:
            ax.add_patch(Rectangle((start - 0.5, start - 0.5), j - start, j - start,
                                   fill=False, ec="black", lw=1.2))
            start = j
    ax.set_title(f"{level_name(ev, level)}相关系数 (按上级分组框出) / correlations, "
                 "boxed by group")
    return fig


@chart
def grade_composition(ev: Evaluation, *, by: str = "province", ax: Any = None) -> Any:
    """Share of units in each grade band per group.

    Stacked horizontal bars, groups ordered by their share in the best band.
    """
    gcodes, labels = ev.data.group_codes(by)
    names = grade_names(ev)
    ng = len(names)
    counts = np.zeros((len(labels), ng + 1))
    np.add.at(counts, (gcodes[gcodes >= 0], np.where(ev.grade_codes < 0, ng, ev.grade_codes)
                       [gcodes >= 0]), 1)
    share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    order = np.lexsort(tuple(-share[:, k] for k in reversed(range(ng))))
    fig, ax = new_axes(ax, (8.0, max(3.0, 0.32 * len(labels) + 1.5)))
    left = np.zeros(len(labels))
    cols = [*grade_colours(ng), "#BBBBBB"]
    en = grade_names(ev, "en")
    for k in range(ng + 1):
        if k == ng and not counts[:, ng].any():
            break
        lab = f"{names[k]} {en[k]}" if k < ng else "无得分 no score"
        ax.barh(np.arange(len(labels)), share[order, k], left=left[order], color=cols[k],
                label=lab)
        left = left + share[:, k]
    ax.set_yticks(np.arange(len(labels)),
                  [f"{labels[g]} ({int(counts[g].sum())})" for g in order], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_percent())
    zh = {"region": "地区", "province": "省份"}.get(by, by)
    ax.set_title(f"各{zh}等级构成 / grade composition by {by}")
    ax.legend(fontsize=8, ncol=min(ng + 1, 6), loc="upper center", bbox_to_anchor=(0.5, -0.06))
    return fig


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0)
