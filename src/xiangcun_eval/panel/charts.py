"""Panel charts (``plot`` extra).

Score trajectories, a rank bump chart and a transition heat map, drawn with the
outputs package's chart plumbing (:mod:`xiangcun_eval.plot._base`: CJK font, new
figure or the caller's axes).  Each returns the matplotlib ``Figure``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..plot._base import chart, new_axes, short
from .markov import Transitions
from .result import PanelEvaluation

__all__ = ["bump_chart", "trajectory_chart", "transition_heatmap"]


def _pick(panel: PanelEvaluation, units: Sequence[str] | None, top: int) -> list[str]:
    if units is not None:
        return list(units)
    last = panel[panel.years[-1]]
    order = np.argsort(np.where(np.isnan(last.rank), np.inf, last.rank), kind="stable")
    return [last.units[i] for i in order[:top]]


def _series(panel: PanelEvaluation, unit: str, code: str | None, ranks: bool) -> list[float]:
    out = []
    for y in panel.years:
        ev = panel[y]
        node = ev.framework.root.code if code is None else code
        if unit in ev.units:
            i = ev.units.index(unit)
            out.append(float((ev.ranks(node) if ranks else ev.score(node))[i]))
        else:
            out.append(float("nan"))
    return out


def _name(panel: PanelEvaluation, unit: str) -> str:
    for y in reversed(panel.years):
        ev = panel[y]
        if unit in ev.units:
            return short(ev.data.names[ev.units.index(unit)])
    return unit


@chart
def trajectory_chart(panel: PanelEvaluation, *, units: Sequence[str] | None = None,
                     code: str | None = None, top: int = 10, ax: Any = None) -> Any:
    """Score of ``code`` (default the index) by year for ``units``.

    ``units`` defaults to the ``top`` units of the last year; the mean of all
    units is drawn dashed.
    """
    fig, ax = new_axes(ax, (8.0, 4.8))
    years = list(panel.years)
    for u in _pick(panel, units, top):
        ax.plot(years, _series(panel, u, code, False), marker="o", lw=1.2, label=_name(panel, u))
    node = code
    mean = [float(np.nanmean(panel[y].score(node) if node else panel[y].index)) for y in years]
    ax.plot(years, mean, ls="--", color="black", lw=2, label="平均 mean")
    ax.set_xticks(years)
    ax.set_xlabel("年份 / year")
    ax.set_ylabel(f"得分 / score ({code or panel[years[0]].framework.root.code})")
    ax.set_title(f"得分轨迹 / score trajectories (reference: {panel.reference})")
    ax.legend(fontsize=7, ncol=2, loc="best")
    return fig


@chart
def bump_chart(panel: PanelEvaluation, *, units: Sequence[str] | None = None, top: int = 10,
               ax: Any = None) -> Any:
    """Index rank by year (1 at the top) of ``units``.

    ``units`` defaults to the ``top`` units of the last year.
    """
    fig, ax = new_axes(ax, (8.0, 4.8))
    years = list(panel.years)
    for u in _pick(panel, units, top):
        r = _series(panel, u, None, True)
        ax.plot(years, r, marker="o", lw=1.5)
        last = next((v for v in reversed(r) if not np.isnan(v)), None)
        if last is not None:
            ax.annotate(_name(panel, u), (years[-1], last), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=7)
    ax.invert_yaxis()
    ax.set_xticks(years)
    ax.set_xlabel("年份 / year")
    ax.set_ylabel("排名 / rank")
    ax.set_title("排名变化 / rank bump chart")
    return fig


@chart
def transition_heatmap(transitions: Transitions, *, ax: Any = None) -> Any:
    """Transition probabilities as a heat map, with counts in the cells."""
    fig, ax = new_axes(ax, (6.0, 5.0))
    p = transitions.probabilities
    im = ax.imshow(np.nan_to_num(p), cmap="Blues", vmin=0.0, vmax=1.0)
    k = len(transitions.labels)
    for i in range(k):
        for j in range(k):
            txt = "—" if np.isnan(p[i, j]) else f"{p[i, j]:.2f}\n({transitions.counts[i, j]})"
            ax.text(j, i, txt, ha="center", va="center", fontsize=7,
                    color="white" if np.nan_to_num(p[i, j]) > 0.6 else "black")
    labels = [lab.split(" / ")[0] for lab in transitions.labels]
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    ax.set_xlabel("后一年等级 / grade in the later year")
    ax.set_ylabel("前一年等级 / grade in the earlier year")
    who = f" [{transitions.group}]" if transitions.group else ""
    ax.set_title(f"等级转移概率 / grade transitions{who}")
    fig.colorbar(im, ax=ax, shrink=0.8)
    return fig
