"""Tests of methods/rank.py."""

from __future__ import annotations

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
import pytest
import scipy.stats as st  # type: ignore[import-untyped, unused-ignore]
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import rank as rk

nan = np.nan
FAST = settings(max_examples=60, deadline=None)

# few distinct values -> many ties; NaN mixed in
SCORES = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=8),
    elements=hs.one_of(hs.sampled_from([0.0, 1.0, 2.5, -3.0, 100.0]), hs.just(nan),
                       hs.floats(-1e6, 1e6)),
)


def _scipy_rows(a: np.ndarray) -> np.ndarray:
    flat = a.reshape(-1, a.shape[-1])
    out = np.array([st.rankdata(-r, method="min", nan_policy="omit") for r in flat])
    return out.reshape(a.shape)


@FAST
@given(a=SCORES)
def test_rank_desc_matches_scipy_and_pandas(a: np.ndarray) -> None:
    r = rk.rank_desc(a)
    np.testing.assert_array_equal(r, _scipy_rows(a))
    flat = a.reshape(-1, a.shape[-1])
    pd_r = np.array([pd.Series(row).rank(ascending=False, method="min").to_numpy()
                     for row in flat]).reshape(a.shape)
    np.testing.assert_array_equal(r, pd_r)
    if a.ndim >= 2:
        np.testing.assert_array_equal(rk.rank_desc(a, axis=-2),
                                      np.swapaxes(rk.rank_desc(np.swapaxes(a, -1, -2)), -1, -2))
        np.testing.assert_array_equal(rk.rank_desc(a, axis=0),
                                      np.moveaxis(rk.rank_desc(np.moveaxis(a, 0, -1)), -1, 0))


@FAST
@given(a=hnp.arrays(np.float64, hs.integers(1, 30),
                    elements=hs.one_of(hs.integers(-5, 5).map(float), hs.just(nan))))
def test_ranks_agree_with_scores(a: np.ndarray) -> None:
    r = rk.rank_desc(a)
    ok = ~np.isnan(a)
    assert np.array_equal(np.isnan(r), ~ok)
    s, q = a[ok], r[ok]
    higher = s[:, None] > s[None, :]
    assert (q[:, None] < q[None, :])[higher].all()
    assert (q[:, None] == q[None, :])[s[:, None] == s[None, :]].all()
    if ok.any():
        assert q.min() == 1.0
        assert q.max() <= ok.sum()


def test_rank_desc_examples() -> None:
    np.testing.assert_array_equal(rk.rank_desc([3.0, 5.0, 3.0, nan, 1.0]),
                                  [2.0, 1.0, 2.0, nan, 4.0])
    np.testing.assert_array_equal(rk.rank_desc([nan, nan]), [nan, nan])
    np.testing.assert_array_equal(rk.rank_desc([-0.0, 0.0, np.inf]), [2.0, 2.0, 1.0])
    assert rk.rank_desc(np.empty((2, 0))).shape == (2, 0)
    a = np.array([1.0, 2.0])
    rk.rank_desc(a)
    np.testing.assert_array_equal(a, [1.0, 2.0])


@FAST
@given(
    data=hs.data(),
    n=hs.integers(1, 25),
    n_groups=hs.integers(1, 4),
)
def test_rank_within_matches_pandas_groupby(data: hs.DataObject, n: int, n_groups: int) -> None:
    a = data.draw(hnp.arrays(np.float64, (3, n), elements=hs.one_of(
        hs.integers(0, 4).map(float), hs.just(nan))))
    groups = data.draw(hnp.arrays(np.intp, n, elements=hs.integers(-1, n_groups - 1)))
    r = rk.rank_within(a, groups, n_groups)
    for row in range(3):
        df = pd.DataFrame({"s": a[row], "g": np.where(groups < 0, np.nan, groups)})
        ref = df.groupby("g")["s"].rank(ascending=False, method="min").to_numpy()
        np.testing.assert_array_equal(r[row], ref)
    np.testing.assert_array_equal(rk.rank_within(a.T, groups, n_groups, axis=0), r.T)
    if n_groups == 1 and (groups == 0).all():
        np.testing.assert_array_equal(r, rk.rank_desc(a))


def test_rank_within_validation() -> None:
    with pytest.raises(MethodError, match="length"):
        rk.rank_within([1.0, 2.0], [0], 1)
    with pytest.raises(MethodError, match="outside"):
        rk.rank_within([1.0, 2.0], [0, 2], 2)
    with pytest.raises(MethodError, match="integer"):
        rk.rank_within([1.0, 2.0], [0.0, 1.0], 2)


def test_grade_pku_boundaries() -> None:
    s = np.array([100.0, 80.0, 79.999, 60.0, 40.0, 39.9, 20.0, 19.99, 0.0, -5.0, nan])
    codes = rk.grade(s)
    np.testing.assert_array_equal(codes, [0, 0, 1, 1, 2, 3, 3, 4, 4, 4, -1])
    assert codes.dtype == np.intp
    labels = rk.grade_labels(codes)
    assert labels[0] == "高 / high"
    assert labels[2] == "较高 / upper-middle"
    assert labels[-1] == "—"
    zh = list(rk.grade_labels(codes[:5], rk.PKU_LABELS_ZH))
    assert zh == ["高", "高", "较高", "较高", "中等"]
    assert rk.grade_labels(codes[[7]], rk.PKU_LABELS_EN)[0] == "low"


def test_grade_custom_thresholds_and_errors() -> None:
    codes = rk.grade(np.array([[0.9, 0.5], [0.1, nan]]), thresholds=[0.75, 0.5])
    np.testing.assert_array_equal(codes, [[0, 1], [2, -1]])
    with pytest.raises(MethodError, match="decreasing"):
        rk.grade([1.0], thresholds=[20.0, 80.0])
    with pytest.raises(MethodError, match="decreasing"):
        rk.grade([1.0], thresholds=[50.0, 50.0])
    with pytest.raises(MethodError, match="non-empty"):
        rk.grade([1.0], thresholds=[])
    with pytest.raises(MethodError, match="label"):
        rk.grade_labels(np.array([0, 5]), ("a", "b"))


def test_grade_by_quantile() -> None:
    rng = np.random.default_rng(0)
    s = rng.random((3, 101)) * 100
    s[1, :5] = nan
    t = rk.quantile_thresholds(s)
    for row in range(3):
        np.testing.assert_allclose(t[row], np.nanquantile(s[row], [0.8, 0.6, 0.4, 0.2]),
                                   rtol=1e-13)
    codes = rk.grade_by_quantile(s)
    np.testing.assert_array_equal(codes[0], rk.grade(s[0], t[0]))
    counts = np.bincount(codes[0], minlength=5)
    assert counts.tolist() == [21, 20, 20, 20, 20]  # value at a quantile goes up a band
    assert (codes[1, :5] == -1).all()
    np.testing.assert_array_equal(rk.grade_by_quantile(s.T, axis=0), codes.T)
    # an all-missing row gets -1 everywhere
    s[2] = nan
    assert (rk.grade_by_quantile(s)[2] == -1).all()
    assert (rk.grade_by_quantile(np.full(4, nan)) == -1).all()
    with pytest.raises(MethodError, match="quantile"):
        rk.quantile_thresholds(s, (0.2, 0.8))


def test_quantile_thresholds_fractional_positions_hand_example() -> None:
    # N = 7: positions (N - 1) p = 4.8, 3.6, 2.4, 1.2 on the sorted values
    # (1, 2, 4, 8, 16, 32, 64): 16 + .8*16, 8 + .6*8, 4 + .4*4, 2 + .2*2.
    s = np.array([8.0, 64.0, 1.0, 16.0, 4.0, 32.0, 2.0])
    t = rk.quantile_thresholds(s)
    np.testing.assert_allclose(t, [28.8, 12.8, 5.6, 2.4], rtol=1e-15)
    np.testing.assert_allclose(t, np.nanquantile(s, [0.8, 0.6, 0.4, 0.2]), rtol=1e-15)
    np.testing.assert_array_equal(rk.grade_by_quantile(s), [2, 0, 4, 1, 3, 0, 4])


@pytest.mark.parametrize("n", [7, 50])
@pytest.mark.parametrize("probs", [(0.8, 0.6, 0.4, 0.2), (0.9, 0.5, 0.1), (0.75, 0.25)])
def test_quantile_thresholds_match_nanquantile(n: int, probs: tuple[float, ...]) -> None:
    rng = np.random.default_rng(n)
    s = rng.normal(50, 20, (4, n))
    s[1, : n // 3] = nan  # fewer available scores in one row
    s[3, -1] = nan
    t = rk.quantile_thresholds(s, probs)
    assert t.shape == (4, len(probs))
    for row in range(4):
        ref = np.nanquantile(s[row], probs)
        np.testing.assert_allclose(t[row], ref, rtol=1e-14, atol=1e-12)
    # at least one position is fractional, so interpolation is exercised
    avail = (~np.isnan(s)).sum(axis=1)
    assert any(((a - 1) * p) % 1 for a in avail for p in probs)
    np.testing.assert_allclose(rk.quantile_thresholds(s.T, probs, axis=0), t, rtol=1e-15)


def test_grade_by_quantile_2d_with_all_missing_row() -> None:
    rng = np.random.default_rng(3)
    s = rng.random((3, 50)) * 100
    s[1] = nan
    s[2, 7] = nan
    s[0, 41:] = nan  # 41 scores: positions 32, 24, 16, 8 are whole, thresholds are scores
    t = rk.quantile_thresholds(s)
    assert np.isnan(t[1]).all()
    assert np.isfinite(t[[0, 2]]).all()
    codes = rk.grade_by_quantile(s)
    assert (codes[1] == -1).all()
    for row in (0, 2):
        ref = rk.grade(s[row], np.nanquantile(s[row], [0.8, 0.6, 0.4, 0.2]))
        np.testing.assert_array_equal(codes[row], ref)
    assert codes[2, 7] == -1
    # a score equal to a threshold takes the higher band: 41 scores -> 9, 8, 8, 8, 8
    np.testing.assert_array_equal(np.bincount(codes[0, :41], minlength=5), [9, 8, 8, 8, 8])
    srt = np.sort(s[0, :41])
    np.testing.assert_array_equal(t[0], srt[[32, 24, 16, 8]])
    # 49 scores in row 2: positions 38.4, 28.8, 19.2, 9.6 -> bands of 10, 10, 9, 10, 10
    np.testing.assert_array_equal(np.bincount(codes[2][codes[2] >= 0], minlength=5),
                                  [10, 10, 9, 10, 10])
    np.testing.assert_array_equal(rk.grade_by_quantile(s.T, axis=0), codes.T)
