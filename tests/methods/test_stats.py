"""Tests of methods/_stats.py: NaN-aware column statistics along the units
axis (exact hand values; references scipy.stats and numpy's nan-functions)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st  # type: ignore[import-untyped]

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import _stats as S

nan = np.nan
# column 0: 1, 2, 4, 8, (nan); column 1: all missing; column 2: 3, 3, 3, 3, 3
X = np.array(
    [[1.0, nan, 3.0], [2.0, nan, 3.0], [nan, nan, 3.0], [4.0, nan, 3.0], [8.0, nan, 3.0]]
)


def test_as_data() -> None:
    a = np.ones((2, 2))
    assert S.as_data(a) is a  # no copy for float64
    assert S.as_data([[1, 2]]).dtype == np.float64
    with pytest.raises(MethodError, match=r"at least 2 dimensions .* got shape \(3,\)"):
        S.as_data([1.0, 2.0, 3.0])
    assert S.as_data(np.ones((2, 2, 2)), min_ndim=3).ndim == 3
    with pytest.raises(MethodError, match="at least 3"):
        S.as_data(a, min_ndim=3)


def test_count_min_max_mean_keepdims() -> None:
    np.testing.assert_array_equal(S.nan_count(X), [[4, 0, 5]])
    with np.errstate(all="raise"):  # all-missing column: NaN without a warning
        np.testing.assert_array_equal(S.nan_min(X), [[1.0, nan, 3.0]])
        np.testing.assert_array_equal(S.nan_max(X), [[8.0, nan, 3.0]])
        np.testing.assert_array_equal(S.nan_mean(X), [[3.75, nan, 3.0]])


def test_std_ddof_and_too_few_values() -> None:
    # column 0: deviations -2.75, -1.75, 0.25, 4.25 -> SS = 7.5625 + 3.0625 + 0.0625 + 18.0625
    ss = 28.75
    np.testing.assert_allclose(S.nan_std(X)[0, [0, 2]], [np.sqrt(ss / 3), 0.0], rtol=1e-15)
    np.testing.assert_allclose(S.nan_std(X, ddof=0)[0, 0], np.sqrt(ss / 4), rtol=1e-15)
    one = np.array([[5.0], [nan]])
    assert np.isnan(S.nan_std(one)[0, 0])  # 1 value, ddof 1: undefined
    assert S.nan_std(one, ddof=0)[0, 0] == 0.0
    assert np.isnan(S.nan_std(X)[0, 1])


def test_median_odd_even_missing() -> None:
    np.testing.assert_array_equal(S.nan_median(X), [[3.0, nan, 3.0]])  # (2 + 4) / 2
    odd = np.array([[5.0], [1.0], [nan], [9.0]])
    assert S.nan_median(odd)[0, 0] == 5.0
    even = np.array([[7.0], [1.0], [3.0], [100.0]])
    assert S.nan_median(even)[0, 0] == 5.0  # R median: mean of the central two


def test_skew_kurt_hand_and_scipy() -> None:
    # (1, 2, 4, 8): d = (-2.75, -1.75, 0.25, 4.25), m2 = 28.75,
    # m3 = -20.796875 - 5.359375 + 0.015625 + 76.765625 = 50.625
    # G1 = sqrt(4) * 50.625 / 28.75^1.5 * sqrt(4 * 3) / 2
    g1 = 2 * 50.625 / 28.75**1.5 * np.sqrt(12.0) / 2.0
    np.testing.assert_allclose(S.nan_skew(X)[0, 0], g1, rtol=1e-14)
    col = np.array([1.0, 2.0, 4.0, 8.0])
    np.testing.assert_allclose(S.nan_skew(X)[0, 0], st.skew(col, bias=False), rtol=1e-13)
    np.testing.assert_allclose(S.nan_kurt(X)[0, 0], st.kurtosis(col, bias=False), rtol=1e-13)
    # m4 = 57.19140625 + 9.37890625 + 0.00390625 + 326.25390625 = 392.828125
    r = 4 * 392.828125 / 28.75**2
    g2 = ((5.0 * (r - 3.0) + 6.0) * 3.0) / (2.0 * 1.0)
    np.testing.assert_allclose(S.nan_kurt(X)[0, 0], g2, rtol=1e-13)
    # undefined: constant column, all missing, too few values
    assert np.isnan(S.nan_skew(X)[0, 1:]).all()
    assert np.isnan(S.nan_kurt(X)[0, 1:]).all()
    three = np.array([[1.0], [2.0], [5.0]])
    assert np.isfinite(S.nan_skew(three)[0, 0])
    assert np.isnan(S.nan_kurt(three)[0, 0])
    assert np.isnan(S.nan_skew(three[:2])[0, 0])


def test_rank_min_ties_nan_and_axis() -> None:
    x = np.array([[3.0, 1.0], [1.0, nan], [3.0, 2.0], [2.0, 2.0]])
    np.testing.assert_array_equal(S.rank_min(x), [[3.0, 1.0], [1.0, nan], [3.0, 2.0], [2.0, 2.0]])
    ref = st.rankdata(x[:, 0], method="min")
    np.testing.assert_array_equal(S.rank_min(x)[:, 0], ref)
    np.testing.assert_array_equal(S.rank_min(x.T, axis=-1), S.rank_min(x).T)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 5, (3, 40, 2)).astype(float)
    got = S.rank_min(y)
    for r in range(3):
        for c in range(2):
            np.testing.assert_array_equal(got[r, :, c], st.rankdata(y[r, :, c], method="min"))


def test_inputs_untouched_and_replicates() -> None:
    x = np.random.default_rng(1).normal(size=(2, 6, 3))
    x[0, 1, 1] = nan
    before = x.copy()
    for f in (S.nan_mean, S.nan_std, S.nan_median, S.nan_skew, S.nan_kurt, S.rank_min):
        out = f(x)
        for r in range(2):
            np.testing.assert_array_equal(out[r], f(x[r]))
    np.testing.assert_array_equal(x, before)
