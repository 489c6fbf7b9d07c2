"""Tests of methods/normalise/reference.py: distance to a reference unit or a
target, goalposts, ratio to target."""

from __future__ import annotations

import numpy as np
import pytest

from normalise_cases import BEN, MIX, X
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import normalise as nz

nan = np.nan


def test_dist2ref() -> None:
    out = nz.dist2ref(X, BEN, ref=2)
    # 1 - (x_r - x)/(x_r - min): col 0 ref 2, min 1
    np.testing.assert_allclose(out[:, 0], [0, 2, 1, 4, nan])
    np.testing.assert_allclose(nz.dist2ref(X, BEN, ref=2, cap=True)[:, 0], [0, 1, 1, 1, nan])
    with pytest.raises(MethodError, match="row 1"):
        nz.dist2ref(X, BEN, ref=1)  # missing in column 1
    with pytest.raises(MethodError, match="worst"):
        nz.dist2ref(X, BEN, ref=0)  # ref is the minimum of column 0
    out = nz.dist2ref(X, BEN, ref=0, zero_variance="nan")
    assert np.isnan(out).all()
    with pytest.raises(MethodError):
        nz.dist2ref(X, BEN, ref=9)


def test_dist2targ_with_direction_and_cap() -> None:
    t = np.array([4.0, 15.0])
    out = nz.dist2targ(X, MIX, target=t)
    np.testing.assert_allclose(out[:, 0], [0, 2 / 3, 1 / 3, 4 / 3, nan])  # (x - min)/(t - min)
    np.testing.assert_allclose(out[:, 1], [4 / 3, nan, 0, 2 / 3, 4 / 3])  # (max - x)/(max - t)
    capped = nz.dist2targ(X, MIX, target=t, cap=True)
    np.testing.assert_allclose(capped[:, 1], [1, nan, 0, 2 / 3, 1])
    with pytest.raises(MethodError, match="target"):
        nz.dist2targ(X, MIX, target=np.array([4.0, 40.0]))  # cost target worse than worst
    with pytest.raises(MethodError):
        nz.dist2targ(X, MIX)
    with pytest.raises(MethodError):
        nz.dist2targ(X, MIX, target=np.array([4.0, nan]))


def test_goalposts_swap_for_cost() -> None:
    lo = np.array([0.0, 10.0])
    hi = np.array([4.0, 30.0])
    out = nz.goalposts(X, MIX, goal_lower=lo, goal_upper=hi)
    np.testing.assert_allclose(out[:, 0], [25, 75, 50, 100, nan])  # 5 truncated to 4
    np.testing.assert_allclose(out[:, 1], [100, nan, 0, 50, 100])  # (U - x)/(U - L)
    raw = nz.goalposts(X, MIX, goal_lower=lo, goal_upper=hi, scale=1, truncate=False)
    assert raw[3, 0] == pytest.approx(1.25)
    with pytest.raises(MethodError):
        nz.goalposts(X, MIX, goal_lower=hi, goal_upper=lo)


def test_target_ratio() -> None:
    t = np.array([4.0, 20.0])
    out = nz.target_ratio(X, MIX, target=t)
    np.testing.assert_allclose(out[:, 0], [0.25, 0.75, 0.5, 1.0, nan])
    np.testing.assert_allclose(out[:, 1], [1.0, nan, 2 / 3, 1.0, 1.0])  # t/x, capped
    out = nz.target_ratio(X, MIX, target=t, cap=False, scale=100)
    np.testing.assert_allclose(out[:, 0], [25, 75, 50, 125, nan])
    np.testing.assert_allclose(out[:, 1], [200, nan, 200 / 3, 100, 200])
    with pytest.raises(MethodError):
        nz.target_ratio(np.array([[0.0], [1.0]]), np.array([-1.0]), target=np.array([1.0]))
    with pytest.raises(MethodError):
        nz.target_ratio(X, MIX, target=np.array([0.0, 1.0]))


def test_goalposts_truncate_both_ends() -> None:
    # benefit column 0 with goalposts [10, 20]: 5 -> below L -> 0, 25 -> 100;
    # cost column 1 with goalposts [10, 20]: 25 (worse than U) -> 0, 5 -> 100
    x = np.array([[5.0, 25.0], [25.0, 5.0], [12.5, 12.5]])
    lo = np.array([10.0, 10.0])
    hi = np.array([20.0, 20.0])
    out = nz.goalposts(x, MIX, goal_lower=lo, goal_upper=hi)
    np.testing.assert_array_equal(out, [[0.0, 0.0], [100.0, 100.0], [25.0, 75.0]])
    raw = nz.goalposts(x, MIX, goal_lower=lo, goal_upper=hi, scale=1.0, truncate=False)
    np.testing.assert_array_equal(raw, [[-0.5, -0.5], [1.5, 1.5], [0.25, 0.75]])
