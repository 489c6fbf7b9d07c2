"""Year-over-year kernels: the decomposition sums to the change (property
tests), growth rates, alignment."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods.aggregate import arithmetic, geometric
from xiangcun_eval.panel.changes import align, contributions, growth_percent, log_mean

scores = arrays(np.float64, (6, 4), elements=st.floats(1.0, 100.0))
weights = arrays(np.float64, (4,), elements=st.floats(0.1, 5.0))


@settings(max_examples=60, deadline=None)
@given(scores, scores, weights, weights, st.integers(0, 2**32 - 1))
@pytest.mark.parametrize(("method", "agg"), [("arithmetic", arithmetic), ("geometric", geometric)])
def test_contributions_sum_to_the_change(method: str, agg: object, s0: np.ndarray,
                                         s1: np.ndarray, w0: np.ndarray, w1: np.ndarray,
                                         seed: int) -> None:
    rng = np.random.default_rng(seed)
    s0, s1 = s0.copy(), s1.copy()
    s0[rng.random(s0.shape) < 0.15] = np.nan  # missing areas: weights renormalised
    s1[rng.random(s1.shape) < 0.15] = np.nan
    memb = np.zeros(4, dtype=np.intp)
    i0 = agg(s0, w0, memb, 1)[:, 0]  # type: ignore[operator]
    i1 = agg(s1, w1, memb, 1)[:, 0]  # type: ignore[operator]
    c = contributions(s0, s1, w0, w1, i0, i1, method)
    ok = ~(np.isnan(i0) | np.isnan(i1))
    np.testing.assert_allclose(c[ok].sum(axis=1), (i1 - i0)[ok], rtol=1e-10, atol=1e-10)
    assert np.isnan(c[~ok]).all()


def test_unchanged_area_contributes_exactly_zero() -> None:
    s0 = np.array([[50.0, 20.0], [30.0, 40.0]])
    s1 = s0.copy()
    s1[:, 1] += 10
    w = np.array([2.0, 1.0])
    i0 = (s0 * w).sum(1) / 3
    i1 = (s1 * w).sum(1) / 3
    c = contributions(s0, s1, w, w, i0, i1, "arithmetic")
    assert np.all(c[:, 0] == 0.0)
    np.testing.assert_allclose(c[:, 1], 10 / 3)


def test_other_aggregations_are_refused() -> None:
    z = np.ones((2, 2))
    with pytest.raises(MethodError, match="topsis"):
        contributions(z, z, np.ones(2), np.ones(2), np.ones(2), np.ones(2), "topsis")


def test_growth_percent() -> None:
    g = growth_percent(np.array([50.0, 0.0, -1.0, np.nan]), np.array([60.0, 5.0, 1.0, 1.0]))
    assert g[0] == pytest.approx(20.0)
    assert np.isnan(g[1:]).all()  # undefined from 0, a negative score or a missing one


def test_log_mean() -> None:
    assert log_mean(np.array([2.0]), np.array([2.0]))[0] == 2.0
    assert log_mean(np.array([np.e]), np.array([1.0]))[0] == pytest.approx(np.e - 1)


def test_align() -> None:
    ia, ib = align(["a", "b", "c"], ["c", "x", "a"])
    assert ia.tolist() == [0, 2]
    assert ib.tolist() == [2, 0]
