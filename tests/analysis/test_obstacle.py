"""Obstacle degree against a brute-force loop over units and indicators."""

from __future__ import annotations

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.analysis.obstacle import obstacle_degree, obstacle_kernel


def test_matches_brute_force() -> None:
    data = small_data(n=25, missing=0.05, seed=3)
    ev = xe.evaluate(data)
    res = obstacle_degree(ev)
    z = np.asarray(ev.level_scores[0])
    x = (z - np.nanmin(z, axis=0)) / (np.nanmax(z, axis=0) - np.nanmin(z, axis=0))
    eff = ev.effective_weight_table()
    w = {c: v for c, v in zip(eff.column("代码 code"), eff.column("有效权重 effective weight"),
                               strict=True)}
    codes = ev.framework.indicator_codes
    for u in range(z.shape[0]):
        fi = [w[c] * (1 - x[u, j]) for j, c in enumerate(codes)]
        tot = np.nansum(fi)
        for j in range(len(codes)):
            exp = np.nan if np.isnan(fi[j]) else fi[j] / tot
            assert res.degree[u, j] == pytest.approx(exp, abs=1e-14, nan_ok=True)
        assert np.nansum(res.degree[u]) == pytest.approx(1.0)
        assert res.group_degree[u].sum() == pytest.approx(1.0)
        assert res.group_degree[u, 0] == pytest.approx(np.nansum(res.degree[u, :3]))


def test_top_and_frequency() -> None:
    ev = xe.evaluate(small_data(n=40))
    res = obstacle_degree(ev, scale="auto")
    idx, val = res.top(2)
    assert idx.shape == (40, 2)
    assert np.all(val[:, 0] >= val[:, 1])
    assert np.all(val[:, 0] == np.nanmax(res.degree, axis=1))
    freq = res.frequency("province", n=2)
    assert sum(freq.column("频次 count")) == 80
    assert len(res.top_table(2)) == 40
    assert len(res.table()) == 40
    assert len(res.table(False)) == 40


def test_kernel_replicate_axis() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((3, 10, 4))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    out = obstacle_kernel(x, w)
    for r in range(3):
        np.testing.assert_array_equal(out[r], obstacle_kernel(x[r], w))
    assert np.isnan(obstacle_kernel(np.ones((1, 4)), w)).all()  # no shortfall: undefined


@pytest.mark.parametrize(
    "call",
    [
        lambda: obstacle_kernel(np.full((2, 2), 2.0), [0.5, 0.5]),
        lambda: obstacle_kernel(np.full((2, 2), 0.5), [0.5]),
        lambda: obstacle_kernel(np.full((2, 2), 0.5), [0.5, -0.5]),
        lambda: obstacle_degree(np.zeros((2, 2))),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(xe.MethodError):
        call()


def test_bad_options() -> None:
    ev = xe.evaluate(small_data(n=10))
    res = obstacle_degree(ev)
    with pytest.raises(xe.MethodError):
        obstacle_degree(ev, group_level=9)
    with pytest.raises(xe.MethodError):
        res.top(0)
    with pytest.raises(xe.MethodError, match="no grouping column"):
        res.frequency("county_type")
