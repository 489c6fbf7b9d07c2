"""Tests for sensitivity/design.py: Saltelli design, uniform samples, mappings."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangcun_eval.errors import MethodError
from xiangcun_eval.sensitivity.design import (
    SaltelliDesign,
    saltelli_design,
    saltelli_design_rows,
    split_outputs,
    to_continuous,
    to_discrete,
    uniform_sample,
    uniform_sample_rows,
)


def test_blocks_follow_the_definition() -> None:
    n, d = 32, 4
    des = saltelli_design(n, d, seed=11)
    assert des.A.shape == (n, d) and des.B.shape == (n, d) and des.AB.shape == (d, n, d)
    for i in range(d):
        expected = des.A.copy()
        expected[:, i] = des.B[:, i]
        assert np.array_equal(des.AB[i], expected)
    # A and B are the two halves of one 2d-dimensional Sobol' sequence
    from scipy.stats import qmc  # type: ignore[import-untyped, unused-ignore]

    base = qmc.Sobol(d=2 * d, scramble=True, rng=11).random(n)
    assert np.array_equal(des.A, base[:, :d]) and np.array_equal(des.B, base[:, d:])


def test_stacked_order_and_split_roundtrip() -> None:
    n, d = 16, 3
    des = saltelli_design(n, d, seed=3)
    runs = des.stacked()
    assert runs.shape == (n * (d + 2), d) == (des.n_runs, d)
    assert np.array_equal(runs[:n], des.A)
    assert np.array_equal(runs[n : 2 * n], des.B)
    for i in range(d):
        assert np.array_equal(runs[(2 + i) * n : (3 + i) * n], des.AB[i])
    # split works on outputs with trailing axes
    y = np.stack([runs.sum(axis=1), runs[:, 0]], axis=-1)  # (N(d+2), 2)
    ya, yb, yab = split_outputs(y, n, d)
    assert ya.shape == (n, 2) and yb.shape == (n, 2) and yab.shape == (d, n, 2)
    assert np.array_equal(ya[:, 0], des.A.sum(axis=1))
    assert np.array_equal(yab[2][:, 1], des.AB[2][:, 0])
    with pytest.raises(MethodError, match="N\\(d\\+2\\)"):
        split_outputs(y[:-1], n, d)


def test_design_is_immutable() -> None:
    des = saltelli_design(8, 2, seed=0)
    with pytest.raises(ValueError):
        des.A[0, 0] = 1.0
    with pytest.raises(AttributeError):
        des.A = des.B  # type: ignore[misc]


def test_seed_kinds_and_reproducibility() -> None:
    a = saltelli_design(16, 2, seed=5)
    b = saltelli_design(16, 2, seed=np.random.SeedSequence(5))
    c = saltelli_design(16, 2, seed=5)
    assert np.array_equal(a.A, c.A)
    assert b.A.shape == (16, 2)
    gen = np.random.default_rng(5)
    g1 = saltelli_design(16, 2, seed=gen)
    g2 = saltelli_design(16, 2, seed=gen)  # generator is consumed
    assert not np.array_equal(g1.A, g2.A)
    with pytest.raises(MethodError, match="seed"):
        saltelli_design(16, 2, seed="5")  # type: ignore[arg-type]
    with pytest.raises(MethodError, match="Generator"):
        saltelli_design_rows(0, 4, 2, seed=gen)  # type: ignore[arg-type]


def test_non_power_of_two_warns() -> None:
    with pytest.warns(UserWarning, match="power of 2"):
        saltelli_design(10, 2, seed=0)
    with pytest.warns(UserWarning, match="power of 2"):
        uniform_sample(10, 2, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        saltelli_design(16, 2, seed=0)
        uniform_sample(10, 2, seed=0, method="random")


@pytest.mark.parametrize("splits", [[64], [1, 63], [7, 23, 1, 33], [32, 32], [5] * 12 + [4]])
def test_saltelli_rows_chunk_invariant(splits: list[int]) -> None:
    full = saltelli_design(64, 5, seed=123)
    bounds = np.concatenate([[0], np.cumsum(splits)])
    parts = [
        saltelli_design_rows(int(s), int(e), 5, seed=123) for s, e in itertools.pairwise(bounds)
    ]
    joined = SaltelliDesign.concat(parts)
    assert np.array_equal(joined.A, full.A)
    assert np.array_equal(joined.B, full.B)
    assert np.array_equal(joined.AB, full.AB)
    assert np.array_equal(joined.stacked(), full.stacked())


def test_concat_rejects_gaps() -> None:
    p1 = saltelli_design_rows(0, 4, 2, seed=1)
    p2 = saltelli_design_rows(5, 8, 2, seed=1)
    with pytest.raises(MethodError, match="contiguous"):
        SaltelliDesign.concat([p1, p2])


@settings(max_examples=25, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=100), max_size=6),
    method=st.sampled_from(["sobol", "random"]),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_uniform_rows_chunk_invariant(cuts: list[int], method: str, seed: int) -> None:
    n, d = 100, 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        full = uniform_sample(n, d, seed=seed, method=method)  # type: ignore[arg-type]
    bounds = sorted({0, n, *cuts})
    chunks = [
        uniform_sample_rows(s, e, d, seed=seed, method=method)  # type: ignore[arg-type]
        for s, e in itertools.pairwise(bounds)
    ]
    assert np.array_equal(np.concatenate(chunks), full)


def test_uniform_sample_properties() -> None:
    u = uniform_sample(1024, 4, seed=9)
    assert u.shape == (1024, 4) and u.min() >= 0 and u.max() < 1
    # Sobol' balance: each half of every axis holds exactly half the points
    assert np.all((u < 0.5).sum(axis=0) == 512)
    r = uniform_sample(1000, 2, seed=9, method="random")
    assert np.array_equal(r, np.random.Generator(np.random.PCG64(9)).random((1000, 2)))
    with pytest.raises(MethodError, match="unknown sampling method"):
        uniform_sample(8, 2, seed=0, method="lhs")  # type: ignore[arg-type]


def test_to_discrete_fixed_equal_bins() -> None:
    u = np.array([0.0, 0.2499, 0.25, 0.5, 0.74, 0.75, 0.999999, 1.0])
    assert to_discrete(u, 4).tolist() == [0, 0, 1, 2, 2, 3, 3, 3]
    # bins do not depend on the observed range (unlike COINr's cut())
    narrow = np.array([0.40, 0.45, 0.49])
    assert to_discrete(narrow, 2).tolist() == [0, 0, 0]
    assert to_discrete(narrow, 1).tolist() == [0, 0, 0]
    # equal probabilities on a balanced Sobol' sample
    s = uniform_sample(4096, 1, seed=4)[:, 0]
    counts = np.bincount(to_discrete(s, 4), minlength=4)
    assert counts.tolist() == [1024] * 4
    with pytest.raises(MethodError, match=r"\[0, 1\]"):
        to_discrete([0.5, 1.5], 3)
    with pytest.raises(MethodError):
        to_discrete([0.5], 0)


def test_to_continuous() -> None:
    u = np.array([[0.0, 0.5], [1.0, 0.25]])
    out = to_continuous(u, [1.0, -2.0], [3.0, 2.0])
    assert np.allclose(out, [[1.0, 0.0], [3.0, -1.0]])
    with pytest.raises(MethodError, match="low <= high"):
        to_continuous(u, 2.0, 1.0)


def test_one_seed_check_for_every_entry_point() -> None:
    from xiangcun_eval.sensitivity.design import check_seed
    from xiangcun_eval.sensitivity.estimators import sobol_indices
    from xiangcun_eval.sensitivity.execution import check_seed as api_check

    ss, gen = np.random.SeedSequence(3), np.random.default_rng(3)
    assert check_seed(np.int64(4)) == 4 and type(check_seed(np.int64(4))) is int
    assert check_seed(ss, accept="reproducible") is ss
    assert check_seed(gen, accept="any") is gen
    for accept in ("int", "reproducible", "any"):
        for bad in (-1, True, 1.0, "3", None):
            with pytest.raises(MethodError, match="seed must be a non-negative int"):
                check_seed(bad, accept=accept)  # type: ignore[arg-type]
    with pytest.raises(MethodError, match="not a Generator"):
        check_seed(gen, accept="reproducible")
    with pytest.raises(MethodError, match="not a SeedSequence"):
        api_check(ss)
    y = np.random.default_rng(0).random((3, 8))
    with pytest.raises(MethodError, match="seed must be"):
        sobol_indices(y[0], y[1], y[2:], n_boot=10, seed=-2)


def test_sobol_rows_from_a_reused_engine_equal_a_fresh_engine() -> None:
    """Scrambled engines are kept per (dimension, seed) and reset for the next
    range: ranges drawn in any order, interleaved with other sequences, are the
    rows of a freshly built engine bit for bit."""
    from xiangcun_eval.sensitivity import design

    for seed, d in ((11, 7), (np.random.SeedSequence(5, spawn_key=(3,)), 5)):
        design._ENGINES.clear()
        fresh = uniform_sample_rows(0, 64, d, seed=seed)  # built now
        assert len(design._ENGINES) == 1
        for start, stop in ((32, 64), (0, 16), (16, 32), (0, 64), (48, 56)):
            uniform_sample_rows(0, 8, 3, seed=99)  # another sequence in between
            got = uniform_sample_rows(start, stop, d, seed=seed)
            assert got.tobytes() == fresh[start:stop].tobytes()
        assert len(design._ENGINES) == 2
