"""Charts of the follow-up analyses (``plot`` extra).

They are drawn with the library's chart plumbing (:mod:`xiangcun_eval.plot._base`:
CJK font, the caller's ``ax=`` or a new pyplot-free figure).  Each function takes a
result object and returns the matplotlib ``Figure``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..plot._base import chart, new_axes, short
from .coupling import LEVELS_4, LEVELS_10, Coupling
from .density import Density
from .inequality import DagumGini
from .obstacle import Obstacles

__all__ = ["coupling_chart", "dagum_chart", "density_chart", "obstacle_chart"]


@chart
def density_chart(density: Density, *, ax: Any = None) -> Any:
    """Kernel density curves of every group on the common grid."""
    fig, ax = new_axes(ax, (8.0, 4.5))
    for lab, d, n in zip(density.labels, density.density, density.n.tolist(), strict=True):
        ax.plot(density.grid, d, lw=2.2 if lab == "全部 all" else 1.6,
                ls="--" if lab == "全部 all" else "-", label=f"{lab} (n = {n})")
    ax.set_xlabel("得分 / score")
    ax.set_ylabel("密度 / density")
    ax.set_title(f"核密度 / kernel density ({density.bw_method})")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


@chart
def dagum_chart(dagum: DagumGini, *, ax: Any = None) -> Any:
    """Heat map of the between-group Gini matrix (diagonal: within-group Gini).

    The decomposition shares are given in the title.
    """
    k = len(dagum.labels)
    fig, ax = new_axes(ax, (max(5.5, 0.35 * k + 3), max(4.5, 0.35 * k + 2)))
    im = ax.imshow(dagum.between, cmap="YlOrRd")
    fig.colorbar(im, ax=ax, shrink=0.8, label="G_jh")
    fs = 8 if k <= 12 else 6
    labels = [short(lab, 6) for lab in dagum.labels]
    ax.set_xticks(range(k), labels, rotation=90, fontsize=fs)
    ax.set_yticks(range(k), labels, fontsize=fs)
    w, nb, t = (100 * dagum.contributions).tolist()
    ax.set_title(f"组间基尼系数 / between-group Gini (G = {dagum.total:.3f}; 组内 within "
                 f"{w:.0f}%, 组间 between {nb:.0f}%, 超变 transvariation {t:.0f}%)", fontsize=9)
    return fig


@chart
def coupling_chart(coupling: Coupling, *, scheme: int = 10, ax: Any = None) -> Any:
    """Draw a bar chart of the number of units in each coordination class (10 or 4 levels)."""
    levels, codes = (LEVELS_10, coupling.class10) if scheme == 10 else (LEVELS_4, coupling.class4)
    counts = np.bincount(codes[codes >= 0], minlength=len(levels))
    fig, ax = new_axes(ax, (8.0, 4.0))
    names = [lab.split(" / ")[0] for _, lab in levels]
    from .._optional import require

    cmap = require("matplotlib", extra="plot", feature="charts / 图表").colormaps["RdYlGn"]
    colours = [cmap(i / max(len(levels) - 1, 1)) for i in range(len(levels))]
    ax.bar(range(len(levels)), counts, color=colours)
    ax.set_xticks(range(len(levels)), names, rotation=30, fontsize=8)
    ax.set_ylabel("单位数 / units")
    ax.set_title(f"耦合协调等级 / coordination classes ({scheme} levels)")
    ax.grid(axis="y", alpha=0.3)
    return fig


@chart
def obstacle_chart(obstacles: Obstacles, *, by: str | None = None, ax: Any = None) -> Any:
    """Mean obstacle degree of each group (at ``group_level``).

    Overall or, with ``by`` (a unit column such as ``"province"``), stacked per
    group of units.
    """
    from .._optional import require

    mpl = require("matplotlib", extra="plot", feature="charts / 图表")
    d = obstacles.group_degree
    codes = obstacles.group_codes
    if by is None:
        rows, means = ["全部 all"], np.nanmean(d, axis=0)[None, :]
    else:
        col = np.asarray(obstacles.unit_groups[by])
        rows = sorted(set(col.tolist()))
        means = np.vstack([np.nanmean(d[col == r], axis=0) for r in rows])
    fig, ax = new_axes(ax, (9.0, max(3.0, 0.3 * len(rows) + 2)))
    cmap = mpl.colormaps["tab20"]
    left = np.zeros(len(rows))
    for j, c in enumerate(codes):
        ax.barh(range(len(rows)), 100 * means[:, j], left=left, color=cmap(j % 20), label=c)
        left += 100 * np.nan_to_num(means[:, j])
    ax.set_yticks(range(len(rows)), [short(r, 8) for r in rows], fontsize=8)
    ax.set_xlabel("平均障碍度 / mean obstacle degree (%)")
    ax.set_title("障碍度构成 / composition of the obstacle degree")
    ax.legend(fontsize=6, ncol=max(1, len(codes) // 10), loc="upper left",
              bbox_to_anchor=(1.0, 1.0))
    return fig
