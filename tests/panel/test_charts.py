"""Panel charts render with Chinese labels and no missing glyph."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from matplotlib.figure import Figure

from helpers import small_data
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.panel import PanelEvaluation, evaluate_panel
from xiangcun_eval.panel.charts import (
    bump_chart,
    trajectory_chart,
    transition_heatmap,
)


@pytest.fixture(scope="module")
def panel() -> PanelEvaluation:
    d = small_data(n=30)
    rng = np.random.default_rng(0)
    ys = {y: UnitData(framework=d.framework, units=d.units, names=d.names,
                      values=np.clip(d.values * rng.uniform(0.9, 1.1, d.values.shape), 0, 100),
                      groups=d.groups, year=y) for y in (2021, 2022, 2023)}
    return evaluate_panel(ys, reference="pooled")


def _render(fig: Figure, tmp_path: Path) -> None:
    assert isinstance(fig, Figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "c.png", dpi=50)
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_trajectory_chart(panel: PanelEvaluation, tmp_path: Path) -> None:
    fig = trajectory_chart(panel, top=5)
    assert len(fig.axes[0].lines) == 6  # five units and the mean
    _render(fig, tmp_path)
    _render(trajectory_chart(panel, units=["U001"], code="A"), tmp_path)


def test_bump_chart(panel: PanelEvaluation, tmp_path: Path) -> None:
    fig = bump_chart(panel, top=4)
    ax = fig.axes[0]
    assert ax.yaxis_inverted()
    assert len(ax.lines) == 4
    _render(fig, tmp_path)


def test_transition_heatmap(panel: PanelEvaluation, tmp_path: Path) -> None:
    tr = panel.transitions()
    assert not isinstance(tr, dict)
    _render(transition_heatmap(tr), tmp_path)
