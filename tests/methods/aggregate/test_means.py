"""Tests of methods/aggregate/means.py: weighted arithmetic, geometric, harmonic
and generalised means (references: scipy.stats, COINr, hand examples)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import scipy.stats as st  # type: ignore[import-untyped, unused-ignore]
from hypothesis import assume, given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from aggregate_cases import MEM, G, call, data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag

nan = np.nan
FAST = settings(max_examples=40, deadline=None)


def naive_wmean(x: np.ndarray, w: np.ndarray, mem: np.ndarray, g: int,
                f: Any = lambda v: v, finv: Any = lambda v: v) -> np.ndarray:
    """Loop reference: weighted mean of f(x) over available children, then finv."""
    out = np.full((x.shape[0], g), nan)
    for i in range(x.shape[0]):
        for grp in range(g):
            cols = [j for j in range(x.shape[1]) if mem[j] == grp and not math.isnan(x[i, j])]
            ws = sum(w[j] for j in cols)
            if cols and ws > 0:
                out[i, grp] = finv(sum(w[j] * f(x[i, j]) for j in cols) / ws)
    return out


def test_arithmetic_hand_example_and_missing() -> None:
    x = np.array([[1.0, 2.0, nan, 4.0, nan],
                  [nan, nan, nan, 1.0, 3.0],
                  [3.0, 3.0, 3.0, nan, nan]])
    w = np.array([1.0, 1.0, 2.0, 1.0, 3.0])
    out = ag.arithmetic(x, w, MEM, G)
    np.testing.assert_allclose(out, [[1.5, 4.0], [nan, 2.5], [3.0, nan]])


def test_arithmetic_matches_loop_reference_large_missing() -> None:
    x = data(200, 5, missing=0.3)
    w = np.array([0.2, 0.0, 1.0, 3.0, 0.5])
    np.testing.assert_allclose(ag.arithmetic(x, w, MEM, G), naive_wmean(x, w, MEM, G),
                               rtol=1e-13)


@pytest.mark.parametrize("n_missing_rows", [0, 3, 60, 400])
def test_arithmetic_both_missing_paths(n_missing_rows: int) -> None:
    # < 1/4 of rows with a missing value: rows fixed up by gather; more: contiguous chunks
    x = data(400, 5, seed=2)
    rng = np.random.default_rng(3)
    rows = rng.choice(400, n_missing_rows, replace=False)
    x[rows, rng.integers(0, 5, n_missing_rows)] = nan
    x[rows[:1], :3] = nan
    w = np.array([0.0, 1.0, 2.0, 3.0, 0.5])
    np.testing.assert_allclose(ag.arithmetic(x, w, MEM, G), naive_wmean(x, w, MEM, G),
                               rtol=1e-13)
    if n_missing_rows:
        y = x.copy()
        y[rows[-1], 2] = -np.inf
        with pytest.raises(MethodError, match="inf"):
            ag.arithmetic(y, w, MEM, G)


def test_arithmetic_negative_values_allowed() -> None:
    x = np.array([[-1.0, 1.0, 3.0, -2.0, 0.0]])
    np.testing.assert_allclose(ag.arithmetic(x, np.ones(5), MEM, G), [[1.0, -1.0]])


def test_zero_weight_only_available_gives_nan() -> None:
    x = np.array([[nan, nan, 5.0, 1.0, 1.0]])
    w = np.array([1.0, 1.0, 0.0, 1.0, 1.0])
    assert np.isnan(ag.arithmetic(x, w, MEM, G)[0, 0])


@FAST
@given(
    x=hnp.arrays(np.float64, (6, 5), elements=hs.one_of(
        hs.floats(0.5, 100.0), hs.just(nan))),
    w=hnp.arrays(np.float64, 5, elements=hs.floats(0.01, 10.0)),
    c=hs.floats(1e-3, 1e3),
)
def test_weight_scale_invariance_and_renormalisation(x: np.ndarray, w: np.ndarray,
                                                     c: float) -> None:
    for name in ("arithmetic", "geometric", "harmonic", "genmean", "mpi", "topsis"):
        a = call(name, x, w)
        b = call(name, x, c * w)
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=name)
    # renormalisation: a missing child's weight is irrelevant
    a = ag.arithmetic(x, w, MEM, G)
    w2 = w.copy()
    w2[np.isnan(x).all(axis=0)] = 7.0
    np.testing.assert_allclose(a, ag.arithmetic(x, w2, MEM, G), rtol=1e-12)
    np.testing.assert_allclose(a, naive_wmean(x, w, MEM, G), rtol=1e-12)


def test_geometric_vs_scipy_gmean_weighted() -> None:
    x = data(50, 5, seed=3)
    w = np.array([1.0, 2.0, 0.5, 3.0, 1.0])
    out = ag.geometric(x, w, MEM, G)
    for grp in range(G):
        cols = np.equal(MEM, grp)
        ref = st.gmean(x[:, cols], axis=1, weights=np.broadcast_to(w[cols], x[:, cols].shape))
        np.testing.assert_allclose(out[:, grp], ref, rtol=1e-12)


def test_harmonic_and_genmean_vs_scipy() -> None:
    x = data(50, 5, seed=4)
    w = np.array([1.0, 2.0, 0.5, 3.0, 1.0])
    h = ag.harmonic(x, w, MEM, G)
    for grp in range(G):
        cols = np.equal(MEM, grp)
        wb = np.broadcast_to(w[cols], x[:, cols].shape)
        np.testing.assert_allclose(h[:, grp], st.hmean(x[:, cols], axis=1, weights=wb),
                                   rtol=1e-12)
        for p in (-2.0, 0.5, 2.0, 3.0):
            ref = st.pmean(x[:, cols], p, axis=1, weights=wb)
            np.testing.assert_allclose(ag.genmean(x, w, MEM, G, p=p)[:, grp], ref, rtol=1e-12)
    np.testing.assert_allclose(ag.genmean(x, w, MEM, G, p=-1.0), h, rtol=1e-12)
    np.testing.assert_array_equal(ag.genmean(x, w, MEM, G, p=1.0), ag.arithmetic(x, w, MEM, G))
    np.testing.assert_array_equal(ag.genmean(x, w, MEM, G, p=0.0), ag.geometric(x, w, MEM, G))
    np.testing.assert_allclose(ag.genmean(x, w, MEM, G, p=1e-9), ag.geometric(x, w, MEM, G),
                               rtol=1e-6)


def test_genmean_skips_missing_unlike_coinr() -> None:
    x = np.array([[4.0, nan, 1.0, 2.0, 2.0]])
    out = ag.genmean(x, np.ones(5), MEM, G, p=2.0)
    np.testing.assert_allclose(out, [[math.sqrt((16 + 1) / 2), 2.0]])


def test_geometric_error_message_names_location() -> None:
    x = data(5, 5)
    x[3, 4] = 0.0
    x[4, 4] = -1.0
    with pytest.raises(MethodError) as e:
        ag.geometric(x, np.ones(5), MEM, G)
    msg = str(e.value)
    assert "2 value(s)" in msg
    assert "unit (row) 3" in msg
    assert "column 4" in msg
    assert "group 1" in msg
    assert "[1, 100]" in msg
    assert "几何" in msg
    with pytest.raises(MethodError, match="harmonic"):
        ag.harmonic(x, np.ones(5), MEM, G)
    with pytest.raises(MethodError, match="p < 0"):
        ag.genmean(x, np.ones(5), MEM, G, p=-1.0)
    out = ag.geometric(x, np.ones(5), MEM, G, nonpositive="nan")
    assert np.isnan(out[3:, 1]).all()
    assert np.isfinite(out[:, 0]).all()
    assert np.isfinite(out[:3, 1]).all()
    # p > 0 accepts zero but not negative
    ok = ag.genmean(np.abs(np.nan_to_num(x)), np.ones(5), MEM, G, p=2.0)
    assert np.isfinite(ok).all()
    with pytest.raises(MethodError, match="p > 0"):
        ag.genmean(x, np.ones(5), MEM, G, p=2.0)
    with pytest.raises(MethodError, match="overflow"):
        ag.genmean(data(5, 5), np.ones(5), MEM, G, p=400.0)
    with pytest.raises(MethodError, match="overflow"):
        ag.genmean(data(5, 5, lo=1e-3, hi=1e-2), np.ones(5), MEM, G, p=-400.0)


COMPENSATORY: list[tuple[str, dict[str, Any]]] = [
    ("arithmetic", {}),
    ("geometric", {}),
    ("harmonic", {}),
    ("genmean", {"p": 0.5}),
    ("genmean", {"p": 3.0}),
]


@FAST
@given(
    x=hnp.arrays(np.float64, (4, 5), elements=hs.one_of(hs.floats(0.1, 100.0), hs.just(nan))),
    w=hnp.arrays(np.float64, 5, elements=hs.floats(0.0, 10.0)),
    unit=hs.integers(0, 3),
    col=hs.integers(0, 4),
    delta=hs.floats(0.0, 50.0),
)
def test_compensatory_means_monotone(x: np.ndarray, w: np.ndarray, unit: int, col: int,
                                     delta: float) -> None:
    assume(w[MEM == 0].sum() > 0 and w[MEM == 1].sum() > 0)
    assume(not math.isnan(x[unit, col]))
    y = x.copy()
    y[unit, col] += delta
    for name, kw in COMPENSATORY:
        a = call(name, x, w, **kw)
        b = call(name, y, w, **kw)
        g = MEM[col]
        if not math.isnan(a[unit, g]):
            assert b[unit, g] >= a[unit, g] * (1 - 1e-12), name
        np.testing.assert_array_equal(np.delete(a, unit, 0), np.delete(b, unit, 0))
