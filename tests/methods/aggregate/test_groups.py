"""Tests of methods/aggregate/groups.py: input validation shared by every
aggregation, the block matrix and data availability."""

from __future__ import annotations

import numpy as np
import pytest

from aggregate_cases import MEM, G, call, data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag

nan = np.nan


def test_validation_errors() -> None:
    x = data(4, 5)
    with pytest.raises(MethodError, match="membership"):
        ag.arithmetic(x, np.ones(5), np.array([0, 0, 2, 1, 1]), 2)
    with pytest.raises(MethodError, match="no children"):
        ag.arithmetic(x, np.ones(5), MEM, 3)
    with pytest.raises(MethodError, match="non-negative"):
        ag.arithmetic(x, np.array([1.0, -1, 1, 1, 1]), MEM, G)
    with pytest.raises(MethodError, match="group 1"):
        ag.arithmetic(x, np.array([1.0, 1, 1, 0, 0]), MEM, G)
    with pytest.raises(MethodError, match="weights of shape"):
        ag.arithmetic(x, np.ones(4), MEM, G)
    with pytest.raises(MethodError, match="broadcast"):
        ag.arithmetic(np.stack([x] * 3), np.ones((2, 5)), MEM, G)
    with pytest.raises(MethodError, match="shape"):
        ag.arithmetic(x[0], np.ones(5), MEM, G)
    y = x.copy()
    y[2, 1] = np.inf
    for name in ag.REGISTRY.names():
        with pytest.raises(MethodError, match="inf"):
            call(name, y, np.ones(5))
    y[1, 1] = nan  # inf detected also among rows with missing values
    with pytest.raises(MethodError, match="inf"):
        ag.arithmetic(y, np.ones(5), MEM, G)


def test_availability() -> None:
    x = np.array([[1.0, nan, nan, 1.0, nan], [nan, nan, nan, nan, nan]])
    np.testing.assert_allclose(ag.availability(x, MEM, G), [[1 / 3, 0.5], [0.0, 0.0]])
    xb = np.broadcast_to(x, (4, 2, 5))
    assert ag.availability(xb, MEM, G).shape == (4, 2, G)


def test_block_matrix_exact_and_errors() -> None:
    mem, b = ag.block_matrix([1, 0, 1, 2], 3)
    assert mem.dtype == np.intp
    np.testing.assert_array_equal(b, [[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(MethodError, match="1-D integer array"):
        ag.block_matrix([0.0, 1.0], 2)
    with pytest.raises(MethodError, match="n_groups must be >= 1"):
        ag.block_matrix([0], 0)
    with pytest.raises(MethodError, match=r"child column 1 has group -1 \(1 bad entries\)"):
        ag.block_matrix([0, -1], 1)
    with pytest.raises(MethodError, match=r"group\(s\) \[1\] have no children"):
        ag.block_matrix([0, 2, 2], 3)


def test_weighted_mean_paths_agree_exactly_with_the_formula() -> None:
    # few rows with a missing value (fix-up path) and many (chunked path)
    from xiangcun_eval.methods.aggregate.groups import _wmean

    rng = np.random.default_rng(4)
    w = np.array([1.0, 2.0, 3.0, 1.0, 4.0])
    _, b = ag.block_matrix(MEM, G)
    for frac in (0.02, 0.6):
        x = rng.uniform(1, 9, (200, 5))
        x[rng.random((200, 5)) < frac] = nan
        x[0, :3] = nan  # a unit without any child in group 0 -> NaN
        got = _wmean(x, w, b)
        avail = ~np.isnan(x)
        x0 = np.where(avail, x, 0.0)
        for g in range(G):
            c = np.equal(MEM, g)
            num = (x0[:, c] * w[c]).sum(axis=1)
            den = (avail[:, c] * w[c]).sum(axis=1)
            ref = np.where(den > 0, num / np.where(den > 0, den, 1), nan)
            np.testing.assert_allclose(got[:, g], ref, rtol=1e-14)
        assert np.isnan(got[0, 0])
        assert np.isfinite(got[0, 1])


def test_availability_counts_unweighted_and_checks_length() -> None:
    x = np.array([[1.0, 2.0, nan, 4.0, 5.0]])
    np.testing.assert_array_equal(ag.availability(x, MEM, G), [[2 / 3, 1.0]])
    with pytest.raises(MethodError, match="membership has 5 entries but x has 4"):
        ag.availability(x[:, :4], MEM, G)
