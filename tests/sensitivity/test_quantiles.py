"""Tests for sensitivity/quantiles.py: sorted-lane quantiles equal ``np.quantile`` bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from xiangcun_eval.sensitivity import estimators
from xiangcun_eval.sensitivity.quantiles import quantiles_along, sorted_quantiles

F = NDArray[np.float64]


_LANES = hnp.arrays(
    np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=7),
    elements=st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.integers(-5, 5).map(float),
                       st.sampled_from([np.inf, -np.inf, np.nan, 0.0, -0.0])))


@settings(max_examples=300, deadline=None)
@given(x=_LANES, data=st.data())
def test_quantiles_along_equals_numpy_quantile_bit_for_bit(x: F, data: st.DataObject) -> None:
    axis = data.draw(st.integers(0, x.ndim - 1))
    qs = data.draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4))
    with np.errstate(invalid="ignore"):
        want = np.quantile(x, qs, axis=axis)
        got = quantiles_along(x, qs, axis=axis)
    assert got.shape == want.shape
    # bit for bit, the sign of zeros included: lanes holding -0.0 (where which of
    # the tied 0.0 / -0.0 comes first is the algorithm's business) go to np.quantile
    assert got.tobytes() == want.tobytes()


def test_quantiles_along_with_signed_zeros() -> None:
    x = np.array([[-0.0, 0.0, -0.0, 1.0], [0.0, -0.0, 0.0, -1.0], [0.0, 0.0, -1.0, 2.0],
                  [0.0, -0.0, -0.0, -0.0], [-1.0, 0.0, -0.0, 3.0]])
    for q in ([0.5], [0.25, 0.875], [0.0, 1.0]):
        assert quantiles_along(x, q, axis=1).tobytes() == np.quantile(x, q, axis=1).tobytes()


def test_sorted_quantiles_of_integers_and_float32_equal_float64_quantiles() -> None:
    rng = np.random.default_rng(2)
    x = rng.integers(1, 2851, size=(2048, 30))
    qs = [0.5, 0.05, 0.95]
    want = np.quantile(x.astype(np.float64), qs, axis=0)
    for dt in (np.int16, np.float32):
        srt = np.sort(x.T.astype(dt), axis=-1)
        assert sorted_quantiles(srt, qs).tobytes() == want.tobytes()
    # type 7 by hand: n = 5, q = 0.3 -> h = 1.2 -> 2 + 0.2 (4 - 2)
    assert sorted_quantiles(np.array([[1.0, 2.0, 4.0, 8.0, 16.0]]), [0.3])[0, 0] == \
        pytest.approx(2.4)


def test_estimators_re_export_the_quantile_helpers() -> None:
    assert estimators.quantiles_along is quantiles_along
    assert estimators.sorted_quantiles is sorted_quantiles
