"""Tests of methods/normalise/scaling.py: none, min-max, z-score, fraction of
max, distance to max, shifted min-max, efficacy (reference: pymcdm, COINr)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp
from pymcdm.normalizations import minmax_normalization  # type: ignore[import-untyped]

from normalise_cases import BEN, MIX, X
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import normalise as nz

nan = np.nan


def _ro(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.setflags(write=False)
    return a


def test_minmax_hand_and_cost() -> None:
    out = nz.minmax(_ro(X), MIX)
    np.testing.assert_allclose(out[:, 0], [0, 50, 25, 100, nan])
    np.testing.assert_allclose(out[:, 1], [100, nan, 0, 50, 100])  # (max - x)/(max - min)
    out = nz.minmax(X, BEN, lower=1, upper=10)
    np.testing.assert_allclose(out[:, 1], [1, nan, 10, 5.5, 1])


def test_minmax_matches_pymcdm() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 4))
    d = np.array([1.0, -1.0, 1.0, -1.0])
    out = nz.minmax(x, d, lower=0, upper=1)
    for j in range(4):
        np.testing.assert_allclose(out[:, j], minmax_normalization(x[:, j], cost=d[j] < 0))


def test_zscore() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(5, 3, size=(20, 3))
    out = nz.zscore(x, np.array([1.0, -1.0, 1.0]), mean=10, sd=2)
    exp = st.zscore(x, axis=0, ddof=1)
    exp[:, 1] *= -1
    np.testing.assert_allclose(out, 10 + 2 * exp)
    out = nz.zscore(X, BEN)
    np.testing.assert_allclose(out[:, 0], (X[:, 0] - 2.75) / np.std([1, 3, 2, 5], ddof=1))


def test_fracmax_dist2max() -> None:
    np.testing.assert_allclose(nz.fracmax(X, BEN)[:, 0], [0.2, 0.6, 0.4, 1.0, nan])
    with pytest.raises(MethodError, match=r"\[1\]"):
        nz.fracmax(X, MIX)
    np.testing.assert_allclose(nz.dist2max(X, MIX), nz.minmax(X, MIX) / 100)


def test_range_shift_and_efficacy() -> None:
    out = nz.range_shift(X, MIX)
    np.testing.assert_allclose(out[:, 1], [1.0001, nan, 0.0001, 0.5001, 1.0001])
    sq = nz.range_shift(X, MIX, variant="squeeze")
    np.testing.assert_allclose(sq[:, 1], [0.9999, nan, 0.0001, 0.5, 0.9999])
    ef = nz.efficacy(X, MIX)
    np.testing.assert_allclose(ef[:, 0], [60, 80, 70, 100, nan])
    np.testing.assert_allclose(ef[:, 1], [100, nan, 60, 80, 100])
    np.testing.assert_allclose(nz.efficacy(X, BEN, base=0, span=1)[:, 0], [0, 0.5, 0.25, 1, nan])


def test_none_applies_direction() -> None:
    np.testing.assert_array_equal(nz.none(X, MIX), X * MIX)


finite = hs.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
cols = hnp.arrays(np.float64, hs.integers(3, 12), elements=finite)


def _nonconstant(c: np.ndarray) -> bool:
    return bool(np.ptp(c) > 1e-6 * max(1.0, float(np.abs(c).max())))


@settings(max_examples=60, deadline=None)
@given(c=cols, a=hs.floats(1e-3, 1e3), b=hs.floats(-1e3, 1e3), d=hs.sampled_from([1.0, -1.0]))
def test_minmax_invariant_to_positive_affine(c: np.ndarray, a: float, b: float, d: float) -> None:
    if not _nonconstant(c):
        return
    y1 = nz.minmax(c[:, None], np.array([d]))
    y2 = nz.minmax((a * c + b)[:, None], np.array([d]))
    np.testing.assert_allclose(y1, y2, atol=1e-6)


def test_zscore_constant_column_maps_to_the_chosen_mean() -> None:
    # zero_variance="constant" maps a constant column to the centre of the
    # output, which for a z-score is its mean parameter (here 50)
    x = np.array([[1.0, 4.0], [2.0, 4.0], [6.0, np.nan]])
    z = nz.zscore(x, np.ones(2), mean=50.0, sd=10.0, zero_variance="constant")
    np.testing.assert_array_equal(z[:2, 1], [50.0, 50.0])
    assert np.isnan(z[2, 1])
    # column 0: mean 3, sample sd sqrt(7) -> 50 + 10 (x - 3) / sqrt(7)
    np.testing.assert_allclose(z[:, 0], 50.0 + 10.0 * (x[:, 0] - 3.0) / np.sqrt(7.0), rtol=1e-15)
