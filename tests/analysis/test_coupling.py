"""Coupling coordination: hand-computed worked examples and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.analysis.coupling import coupling_coordination


def test_two_system_worked_example() -> None:
    # U1 = 0.6, U2 = 0.4: C = 2*sqrt(0.24)/1.0 = 0.979796, T = 0.5, D = 0.699854
    res = coupling_coordination(np.array([[0.6, 0.4], [0.9, 0.95], [0.05, 0.0]]), scale=(0, 1))
    assert res.c[0] == pytest.approx(2 * np.sqrt(0.24), abs=1e-15)
    assert res.t[0] == pytest.approx(0.5)
    assert res.d[0] == pytest.approx(np.sqrt(2 * np.sqrt(0.24) * 0.5), abs=1e-15)
    assert res.labels10[0].startswith("初级协调")
    assert res.labels4[0].startswith("高度协调")
    assert res.lag_labels[0].startswith("U2 滞后型")
    assert res.lag_labels[1].startswith("同步型")
    assert res.c[2] == 0.0
    assert res.labels10[2].startswith("极度失调")


def test_n_system_form_and_weights() -> None:
    u = np.array([[0.2, 0.5, 0.8], [0.3, 0.3, 0.3]])
    res = coupling_coordination(u, ["a", "b", "c"], weights=[0.5, 0.3, 0.2], scale=(0, 1))
    gm, am = (0.2 * 0.5 * 0.8) ** (1 / 3), 0.5
    assert res.c[0] == pytest.approx(gm / am, abs=1e-15)
    assert res.t[0] == pytest.approx(0.5 * 0.2 + 0.3 * 0.5 + 0.2 * 0.8)
    assert res.c[1] == pytest.approx(1.0)
    assert res.lag_labels[0].startswith("a 滞后型")
    counts = res.class_counts(4)
    assert sum(counts.column("单位数 n")) == 2


def test_evaluation_scale_auto() -> None:
    ev = xe.evaluate(small_data(n=30))
    res = coupling_coordination(ev, ["A", "B"])
    np.testing.assert_allclose(res.u[:, 0], np.asarray(ev.score("A")) / 100.0)
    assert len(res.table()) == 30
    rng = coupling_coordination(ev, ["A", "B"], scale="range")
    assert np.nanmin(rng.u) == 0.0
    assert np.nanmax(rng.u) == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=6))
def test_bounds(u: list[float]) -> None:
    res = coupling_coordination(np.array([u]), scale=(0, 1))
    if sum(u) > 0:
        assert -1e-12 <= res.c[0] <= 1 + 1e-12
        assert 0 <= res.d[0] <= 1 + 1e-12
    else:
        assert np.isnan(res.c[0])
        assert res.labels10[0] == "—"
        assert res.lag_labels[0] == "—"


@pytest.mark.parametrize(
    "kw",
    [
        {"scores": np.ones((3, 1)) * 0.5, "scale": (0, 1)},
        {"scores": np.ones(3), "scale": (0, 1)},
        {"scores": np.full((2, 2), 50.0), "scale": (0, 1)},
        {"scores": np.full((2, 2), 0.5), "scale": "auto"},
        {"scores": np.full((2, 2), 0.5), "scale": (1, 0)},
        {"scores": np.full((2, 2), 0.5), "scale": (0, 1), "weights": [1, -1]},
        {"scores": np.full((2, 2), 0.5), "scale": (0, 1), "systems": ["a"]},
        {"scores": np.full((2, 2), 0.5), "scale": (0, 1), "systems": ["a", "a"]},
        {"scores": np.full((2, 2), 0.5), "scale": (0, 1), "tolerance": 2.0},
    ],
)
def test_bad_input(kw: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(xe.MethodError):
        coupling_coordination(**kw)


def test_bad_evaluation_input() -> None:
    ev = xe.evaluate(small_data(n=10))
    with pytest.raises(xe.MethodError, match="subsystem"):
        coupling_coordination(ev)
    with pytest.raises(xe.MethodError, match="no such nodes"):
        coupling_coordination(ev, ["A", "Z"])
    ez = xe.evaluate(small_data(n=10), xe.Methodology(
        normalise=xe.NormaliseSpec(method="zscore"),
        grading=xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2))))
    with pytest.raises(xe.MethodError, match="min-max"):
        coupling_coordination(ez, ["A", "B"])
