"""Tests of methods/aggregate/mazziotta_pareto.py: MPI and AMPI (hand-computed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aggregate_cases import MEM, G, data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag

nan = np.nan


def _pstdev(v: list[float]) -> float:
    m = sum(v) / len(v)
    return math.sqrt(sum((a - m) ** 2 for a in v) / len(v))


def test_mpi_hand_computed() -> None:
    x = np.array([[10.0, 200.0, 3.0],
                  [20.0, 100.0, 4.0],
                  [30.0, 300.0, 8.0],
                  [40.0, 400.0, 1.0]])
    mem = np.zeros(3, dtype=np.intp)
    cols = [list(x[:, j]) for j in range(3)]
    z = [[100 + 10 * (x[i, j] - sum(cols[j]) / 4) / _pstdev(cols[j]) for j in range(3)]
         for i in range(4)]
    expect_neg, expect_pos = [], []
    for zi in z:
        m = sum(zi) / 3
        s = _pstdev(zi)
        expect_neg.append(m - s * s / m)
        expect_pos.append(m + s * (s / m))
    np.testing.assert_allclose(ag.mpi(x, np.ones(3), mem, 1)[:, 0], expect_neg, rtol=1e-13)
    np.testing.assert_allclose(ag.mpi(x, np.ones(3), mem, 1, penalty="positive")[:, 0],
                               expect_pos, rtol=1e-13)
    # penalty = 0 for a perfectly balanced unit: z all equal
    bal = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    out = ag.mpi(bal, np.ones(2), np.zeros(2, dtype=np.intp), 1)
    np.testing.assert_allclose(out[:, 0], 100 + 10 * np.array([-1, 0, 1]) * math.sqrt(1.5),
                               rtol=1e-13)


def test_mpi_weighted_matches_weighted_moments_and_missing() -> None:
    x = data(15, 5, seed=10, missing=0.2)
    w = np.array([1.0, 2.0, 3.0, 1.0, 4.0])
    out = ag.mpi(x, w, MEM, G)
    mu = np.nanmean(x, axis=0)
    sd = np.nanstd(x, axis=0)
    z = 100 + 10 * (x - mu) / sd
    for i in range(15):
        for grp in range(G):
            av = np.equal(MEM, grp) & ~np.isnan(z[i])
            if not av.any():
                assert np.isnan(out[i, grp])
                continue
            m = np.average(z[i, av], weights=w[av])
            v = np.average((z[i, av] - m) ** 2, weights=w[av])
            assert out[i, grp] == pytest.approx(m - v / m, rel=1e-12)


def test_ampi_hand_computed() -> None:
    x = np.array([[10.0, 5.0], [20.0, 15.0], [40.0, 10.0]])
    mem = np.zeros(2, dtype=np.intp)
    ref = (20.0, 10.0)
    lower, upper = (0.0, 0.0), (50.0, 20.0)
    out = ag.ampi(x, np.ones(2), mem, 1, reference=ref, lower=lower, upper=upper)
    expect = []
    for i in range(3):
        r = []
        for j in range(2):
            delta = (upper[j] - lower[j]) / 2
            mn, mx = ref[j] - delta, ref[j] + delta
            r.append((x[i, j] - mn) / (mx - mn) * 60 + 70)
        m = sum(r) / 2
        s = _pstdev(r)
        expect.append(m - s * (s / m))
    np.testing.assert_allclose(out[:, 0], expect, rtol=1e-13)
    assert out[0, 0] < 100.0 < out[2, 0]
    # a unit at the reference on every child scores exactly 100
    np.testing.assert_allclose(
        ag.ampi(np.array([[20.0, 10.0]]), np.ones(2), mem, 1, reference=ref, lower=lower,
                upper=upper), [[100.0]])
    # default goalposts: observed min/max, reference = mean
    d = ag.ampi(x, np.ones(2), mem, 1)
    mean = x.mean(axis=0)
    rr = 100 + 60 * (x - mean) / (x.max(axis=0) - x.min(axis=0))
    m = rr.mean(axis=1)
    np.testing.assert_allclose(d[:, 0], m - rr.var(axis=1) / m, rtol=1e-13)
    med = ag.ampi(x, np.ones(2), mem, 1, reference="median")
    rr = 100 + 60 * (x - np.median(x, axis=0)) / (x.max(axis=0) - x.min(axis=0))
    m = rr.mean(axis=1)
    np.testing.assert_allclose(med[:, 0], m - rr.var(axis=1) / m, rtol=1e-13)
    with pytest.raises(MethodError, match="reference"):
        ag.ampi(x, np.ones(2), mem, 1, reference=(1.0,))


def test_mpi_constant_child_hand_example() -> None:
    # child 0 = (1, 2, 3, 6): mean 3, deviations d = (-2, -1, 0, 3), population
    # sd S = sqrt(14 / 4); z0 = 100 + 10 d / S.  Child 1 is constant -> z1 = 100.
    d = np.array([-2.0, -1.0, 0.0, 3.0])
    t = 10.0 * d / np.sqrt(3.5)  # z0 - 100
    x = np.column_stack([d + 3.0, np.full(4, 5.0)])
    mem = np.zeros(2, dtype=np.intp)
    # equal weights: M = 100 + t/2, S_z^2 = (t/2)^2, MPI -/+ = M -/+ S_z^2 / M
    m = 100.0 + t / 2
    s2 = (t / 2) ** 2
    np.testing.assert_allclose(ag.mpi(x, np.ones(2), mem, 1)[:, 0], m - s2 / m, rtol=1e-14)
    np.testing.assert_allclose(
        ag.mpi(x, np.ones(2), mem, 1, penalty="positive")[:, 0], m + s2 / m, rtol=1e-14
    )
    # weights 3:1: M = 100 + 3t/4, weighted population variance = 3/16 t^2
    m3 = 100.0 + 0.75 * t
    v3 = 3.0 / 16.0 * t**2
    np.testing.assert_allclose(
        ag.mpi(x, np.array([3.0, 1.0]), mem, 1)[:, 0], m3 - v3 / m3, rtol=1e-14
    )
    # the unit at the mean (d = 0) has no imbalance: exactly 100
    assert ag.mpi(x, np.ones(2), mem, 1)[2, 0] == 100.0
    # a group of constant children only: every unit 100
    np.testing.assert_array_equal(
        ag.mpi(np.full((3, 2), 7.0), np.ones(2), mem, 1)[:, 0], [100.0, 100.0, 100.0]
    )


def test_ampi_constant_child_hand_example() -> None:
    # child 0 = (1, 2, 3, 6): reference = mean 3, goalposts min 1, max 6 -> span 5,
    # r0 = 100 + 60 (x - 3) / 5 = 100 + 12 d; child 1 constant -> r1 = 100.
    # Equal weights: M = 100 + 6 d, S^2 = (6 d)^2, AMPI- = M - S^2 / M.
    d = np.array([-2.0, -1.0, 0.0, 3.0])
    x = np.column_stack([d + 3.0, np.full(4, 5.0)])
    m = 100.0 + 6.0 * d
    out = ag.ampi(x, np.ones(2), np.zeros(2, dtype=np.intp), 1)[:, 0]
    np.testing.assert_allclose(out, m - (6.0 * d) ** 2 / m, rtol=1e-14)


def test_ampi_column_a_few_ulps_wide_does_not_depend_on_unit_order() -> None:
    # hypothesis found it: values 0-2 ulps apart; the sum of the raw values
    # (3.5 or 3.5 + 1 ulp of 3.5) changed with the order of the units, which
    # moved every rescaled value of the column by up to 30 points
    ulp = np.nextafter(0.5, 1.0) - 0.5
    x = np.full((7, 5), 0.5)
    x[:, 0] += np.array([2, 1, 1, 0, 0, 0, 0]) * ulp
    mem = np.zeros(5, dtype=np.intp)
    w = np.ones(5)
    orders = {float(np.sum(x[np.random.default_rng(s).permutation(7), 0])) for s in range(50)}
    assert len(orders) == 2  # the raw sum does depend on the order
    a = ag.ampi(x, w, mem, 1)
    for seed in range(50):
        p = np.random.default_rng(seed).permutation(7)
        assert ag.ampi(x[p], w, mem, 1).tobytes() == a[p].tobytes()
    # exact distances 2, 1, 1, 0... ulps, mean 4/7 ulp, span 2 ulps:
    # r = 100 + 60 (d - 4/7) / 2 for the first column, 100 for the others
    r = 100.0 + 30.0 * (np.array([2, 1, 1, 0, 0, 0, 0]) - 4 / 7)
    m = (r + 4 * 100.0) / 5
    sd = np.sqrt(((r - m) ** 2 + 4 * (100.0 - m) ** 2) / 5)
    np.testing.assert_allclose(a[:, 0], m - sd * sd / m, rtol=1e-12)
