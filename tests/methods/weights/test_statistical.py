"""Tests of methods/weights/statistical.py: entropy, CRITIC, CV and SD weights.

References: pymcdm 1.4 (entropy, CRITIC, SD), hand-worked cases, hypothesis
properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from weights_cases import nonconstant, positive_data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _positive(n: int = 12, m: int = 5, seed: int = 0) -> np.ndarray:
    return _rng(seed).uniform(1.0, 10.0, (n, m))


def test_entropy_raw_matches_pymcdm() -> None:
    pw = pytest.importorskip("pymcdm.weights")
    for seed in range(5):
        x = _positive(15, 6, seed)
        assert np.allclose(W.entropy_weights(x), pw.entropy_weights(x), rtol=1e-12, atol=1e-14)


def test_entropy_shifted_matches_pymcdm_on_shifted_data() -> None:
    """shifted_minmax = pymcdm's entropy (sum normalisation) applied to z + 0.0001."""
    pw = pytest.importorskip("pymcdm.weights")
    x = _positive(10, 4, 7)
    d = np.array([1, -1, 1, -1])
    lo, hi = x.min(0), x.max(0)
    z = np.where(d > 0, (x - lo) / (hi - lo), (hi - x) / (hi - lo)) + 1e-4
    got = W.entropy_weights(x, convention="shifted_minmax", direction=d)
    assert np.allclose(got, pw.entropy_weights(z), rtol=1e-12)
    zb = 1e-4 + 0.9998 * (z - 1e-4)
    got_b = W.entropy_weights(x, convention="bounded_minmax", direction=d)
    assert np.allclose(got_b, pw.entropy_weights(zb), rtol=1e-12)


def test_entropy_hand_example_binary_entropy() -> None:
    # two units: column shares (1/4, 3/4), (1/2, 1/2), (0, 1)
    x = np.array([[1.0, 2.0, 0.0], [3.0, 2.0, 5.0]])
    h = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    d = np.array([1 - h, 0.0, 1.0])  # 0·ln0 = 0 -> e = 0 for (0, 1)
    assert np.allclose(W.entropy_weights(x), d / d.sum(), rtol=1e-12)


def test_entropy_near_constant_column_conventions_differ() -> None:
    """indicator-systems note §5: a near-constant column gets ~0 weight on raw
    data and a large weight after min-max stretching."""
    rng = _rng(1)
    x = np.column_stack(
        [rng.lognormal(0, 1, 10) for _ in range(4)] + [1000 + rng.uniform(0, 0.01, 10)]
    )
    raw = W.entropy_weights(x)
    shifted = W.entropy_weights(x, convention="shifted_minmax")
    assert raw[4] < 1e-9
    assert shifted[4] > 0.09  # 9.8 % here; other data give 15 % or more
    bounded = W.entropy_weights(x, convention="bounded_minmax")
    assert bounded[4] == pytest.approx(shifted[4], rel=1e-6)


def test_entropy_direction_and_constant_columns() -> None:
    x = _positive(8, 3, 2)
    # a cost column behaves like the negated benefit column
    a = W.entropy_weights(x, convention="shifted_minmax", direction=[1, -1, 1])
    b = W.entropy_weights(x * [1, -1, 1], convention="shifted_minmax")
    assert np.allclose(a, b)
    xc = x.copy()
    xc[:, 1] = 4.0
    for conv in ("raw", "shifted_minmax", "bounded_minmax"):
        w = W.entropy_weights(xc, convention=conv)  # type: ignore[arg-type, unused-ignore]
        assert w[1] == 0.0
        assert w.sum() == pytest.approx(1.0)
    with pytest.raises(MethodError, match="sum to zero"):
        W.entropy_weights(np.full((4, 2), 3.0))


def test_entropy_missing_values_columnwise_and_replicates() -> None:
    x = _positive(9, 3, 5)
    xm = x.copy()
    xm[0, 0] = np.nan
    xm[4, 2] = np.nan
    got = W.entropy_weights(xm)
    # each column on its own available values: compare column by column
    e = []
    for j in range(3):
        c = xm[~np.isnan(xm[:, j]), j]
        p = c / c.sum()
        e.append(1 + (p * np.log(p)).sum() / math.log(c.size))
    assert np.allclose(got, np.array(e) / sum(e))
    stack = np.stack([x, 2 * x[::-1], x**2])
    reps = W.entropy_weights(stack, convention="shifted_minmax")
    for r in range(3):
        assert np.allclose(reps[r], W.entropy_weights(stack[r], convention="shifted_minmax"))


def test_entropy_errors() -> None:
    with pytest.raises(MethodError, match="non-negative"):
        W.entropy_weights(np.array([[1.0, -1.0], [2.0, 3.0]]))
    with pytest.raises(MethodError, match="fewer than 2"):
        W.entropy_weights(np.array([[1.0, np.nan], [2.0, np.nan], [3.0, 1.0]]))
    with pytest.raises(MethodError, match="direction"):
        W.entropy_weights(_positive(4, 2), convention="shifted_minmax", direction=[1, 0])
    with pytest.raises(MethodError, match="inf"):
        W.entropy_weights(np.array([[1.0, np.inf], [2.0, 3.0]]))


def test_critic_matches_pymcdm() -> None:
    pw = pytest.importorskip("pymcdm.weights")
    for seed in range(5):
        x = _positive(15, 5, seed)
        assert np.allclose(W.critic_weights(x), pw.critic_weights(x), rtol=1e-12)
        # pymcdm min-max normalises every column as benefit = reverse_cost=False
        d = np.array([1, -1, 1, -1, 1])
        assert np.allclose(
            W.critic_weights(x, direction=d, reverse_cost=False), pw.critic_weights(x), rtol=1e-12
        )
        # reversing = pymcdm on the negated cost columns
        assert np.allclose(W.critic_weights(x, direction=d), pw.critic_weights(x * d), rtol=1e-12)


def test_critic_reverse_cost_matters_and_ddof_does_not() -> None:
    x = _positive(15, 4, 11)
    d = np.array([1, -1, 1, 1])
    assert not np.allclose(
        W.critic_weights(x, direction=d), W.critic_weights(x, direction=d, reverse_cost=False)
    )
    assert np.allclose(W.critic_weights(x, ddof=0), W.critic_weights(x, ddof=1))


def test_critic_constant_and_complete_cases() -> None:
    x = _positive(10, 3, 1)
    x[:, 2] = 5.0
    with pytest.raises(MethodError, match="constant"):
        W.critic_weights(x)
    w = W.critic_weights(x, constant="zero")
    assert w[2] == 0.0
    assert np.allclose(w[:2], W.critic_weights(x[:, :2]))
    with pytest.raises(MethodError, match="perfectly"):
        W.critic_weights(np.column_stack([np.arange(5.0), 2 * np.arange(5.0) + 1]))
    xm = _positive(10, 3, 2)
    xm[3, 1] = np.nan
    assert np.allclose(W.critic_weights(xm), W.critic_weights(np.delete(xm, 3, axis=0)))


def test_cv_hand_and_errors() -> None:
    x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]])
    cv = np.array([2.0 / 3.0, np.std([10, 10, 40], ddof=1) / 20.0])
    assert np.allclose(W.cv_weights(x), cv / cv.sum())
    with pytest.raises(MethodError, match="mean"):
        W.cv_weights(np.array([[-1.0, 1.0], [1.0, 2.0]]))


def test_sd_matches_pymcdm() -> None:
    pw = pytest.importorskip("pymcdm.weights")
    x = _positive(12, 4, 9)
    assert np.allclose(W.sd_weights(x, normalise=False), pw.standard_deviation_weights(x))
    z = (x - x.min(0)) / (x.max(0) - x.min(0))
    assert np.allclose(W.sd_weights(x), pw.standard_deviation_weights(z))


@settings(max_examples=40, deadline=None)
@given(positive_data, st.integers(0, 2**32 - 1))
def test_property_entropy_critic_unit_order_invariant(x: np.ndarray, seed: int) -> None:
    assume(nonconstant(x))
    perm = np.random.default_rng(seed).permutation(x.shape[0])
    assert np.allclose(W.entropy_weights(x[perm]), W.entropy_weights(x))
    assert np.allclose(
        W.entropy_weights(x[perm], convention="shifted_minmax"),
        W.entropy_weights(x, convention="shifted_minmax"),
    )
    assert np.allclose(
        W.critic_weights(x[perm], constant="zero"), W.critic_weights(x, constant="zero")
    )


@settings(max_examples=40, deadline=None)
@given(positive_data, st.floats(0.01, 1000.0))
def test_property_cv_scale_invariant(x: np.ndarray, c: float) -> None:
    assume(nonconstant(x))
    y = x.copy()
    y[:, 0] *= c
    assert np.allclose(W.cv_weights(y), W.cv_weights(x))


def test_cv_uses_the_absolute_mean() -> None:
    # column 0 all negative: s = 1, |mean| = 2, CV = 0.5; column 1: s = 1, mean 4, CV = 0.25
    x = np.array([[-1.0, 3.0], [-2.0, 4.0], [-3.0, 5.0]])
    np.testing.assert_allclose(W.cv_weights(x), [2 / 3, 1 / 3], rtol=1e-15)
