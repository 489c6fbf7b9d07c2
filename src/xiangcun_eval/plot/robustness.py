"""Charts of robustness results and of the framework (``plot`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import chart, new_axes, short

if TYPE_CHECKING:
    from ..results import Evaluation
    from ..sensitivity.api import SensitivityResult

__all__ = ["framework_tree", "sobol_chart"]


@chart
def sobol_chart(sa: SensitivityResult, *, ax: Any = None) -> Any:
    """First-order (S1) and total (ST) Sobol' indices of each factor.

    For the mean absolute rank change, as paired bars with their bootstrap
    intervals.
    """
    s = sa.summary
    d = len(sa.factor_names)
    fig, ax = new_axes(ax, (8.0, max(3.0, 0.6 * d + 1.5)))
    y = np.arange(d)
    h = 0.38
    for off, val, conf, colour, label in (
        (-h / 2, s.first, s.first_conf, "#4575B4", "一阶 S1 / first order"),
        (h / 2, s.total, s.total_conf, "#D73027", "总效应 ST / total"),
    ):
        err = None
        if conf is not None:
            err = np.abs(np.vstack([val - conf[0], conf[1] - val]))
        ax.barh(y + off, val, h, xerr=err, color=colour, label=label, capsize=3,
                error_kw={"lw": 1})
    ax.set_yticks(y, list(sa.factor_names), fontsize=9)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("Sobol' 指数 / index")
    ax.set_title(f"敏感性分析: 平均排名变动 / sensitivity of mean |Δrank| (N = {sa.n_base})")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return fig


@chart
def framework_tree(ev: Evaluation, *, ax: Any = None, label_levels: int = 1) -> Any:
    """Draw the framework as a sunburst, angles proportional to effective weights.

    The index is in the centre, one ring per level outwards, each node's angle
    proportional to its effective weight in the index (the weights actually
    used).  Nodes of the ``label_levels`` innermost rings are labelled with their
    name and effective weight.
    """
    fw = ev.framework
    eff = ev._effective()
    top = fw.max_level
    fig, ax = new_axes(ax, (8.0, 8.0), polar=True)
    cmap = _cmap()
    areas = fw.level_codes(top - 1) if top > 1 else ()
    area_colour = {c: cmap(k % 20) for k, c in enumerate(areas)}
    ax.bar([0], [1.0], width=2 * np.pi, bottom=0, color="#F0F0F0", edgecolor="white")
    ax.text(0, 0, f"{short(fw.root.name_zh, 8)}", ha="center", va="center", fontsize=10)
    for ring, lev in enumerate(range(top - 1, 0, -1), start=1):
        codes = fw.level_codes(lev)
        # order children under their parents so that rings nest
        key = [tuple(fw.level_codes(a).index(fw.ancestor(c, a)) for a in range(top - 1, lev, -1))
               for c in codes]
        order = sorted(range(len(codes)), key=lambda j: (key[j], j))
        w = np.array([eff[lev - 1][j] for j in order])
        theta = 2 * np.pi * np.concatenate([[0.0], np.cumsum(w)[:-1]])
        cols = [area_colour.get(fw.ancestor(codes[j], top - 1), "#CCCCCC") for j in order]
        ax.bar(theta, np.full(len(order), 1.0), width=2 * np.pi * w, bottom=ring, align="edge",
               color=cols, edgecolor="white", lw=0.5, alpha=1.0 - 0.18 * (ring - 1))
        if ring <= label_levels:
            for t, wj, j in zip(theta, w, order, strict=True):
                mid = t + np.pi * wj
                deg = np.degrees(mid)
                rot = deg - 180 if 90 < deg < 270 else deg
                ax.text(mid, ring + 0.5, f"{short(fw[codes[j]].name_zh, 7)}\n{wj:.1%}",
                        ha="center", va="center", fontsize=7, rotation=rot,
                        rotation_mode="anchor")
    ax.set_axis_off()
    ax.set_title(f"{fw.name_zh}: 有效权重 / effective weights", pad=12)
    return fig


def _cmap() -> Any:
    import matplotlib

    return matplotlib.colormaps["tab20"]
