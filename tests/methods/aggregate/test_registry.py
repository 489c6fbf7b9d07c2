"""Tests of methods/aggregate/registry.py: the registered aggregations and the
properties every registered kernel shares (replicate axes, unit order, purity)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from aggregate_cases import G, call, data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag

nan = np.nan
REPLICATING = [m.name for m in ag.REGISTRY if m.replicates]


def test_registry_names_and_flags() -> None:
    assert set(ag.REGISTRY.names()) == {
        "arithmetic", "geometric", "harmonic", "genmean", "topsis", "mpi", "ampi", "copeland",
        "bod",
    }
    assert not ag.REGISTRY.get("bod").replicates
    assert all(ag.REGISTRY.get(n).replicates for n in ag.REGISTRY.names() if n != "bod")
    assert ag.REGISTRY.validate("genmean", {"p": 2}) == ag.GenMeanParams(p=2.0)
    with pytest.raises(MethodError):
        ag.REGISTRY.validate("geometric", {"nonpositive": "skip"})
    with pytest.raises(MethodError):
        ag.REGISTRY.validate("ampi", {"lower": [0.0]})
    with pytest.raises(MethodError):
        ag.REGISTRY.validate("topsis", {"scale": 0})


@pytest.mark.parametrize("name", REPLICATING)
def test_replicate_axes_equal_stacked_slices(name: str) -> None:
    rng = np.random.default_rng(11)
    x3 = data(40, 5, seed=5, missing=0.1)[None] + rng.random((3, 40, 5))
    w2 = rng.random((3, 5)) + 0.1
    kw: dict[str, Any] = {"p": 2.0} if name == "genmean" else {}
    # x (R, n, k) with w (R, k)
    out = call(name, x3, w2, **kw)
    ref = np.stack([call(name, x3[r], w2[r], **kw) for r in range(3)])
    np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-13)
    assert out.shape == (3, 40, G)
    # x (n, k) with w (R, k): the uncertainty engine's weight noise
    out = call(name, x3[0], w2, **kw)
    ref = np.stack([call(name, x3[0], w2[r], **kw) for r in range(3)])
    np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-13)
    # x broadcast_to (R, n, k) (stride 0) with w (R, k) and with w (k,)
    xb = np.broadcast_to(x3[0], (3, 40, 5))
    np.testing.assert_allclose(call(name, xb, w2, **kw), ref, rtol=1e-13, atol=1e-13)
    out = call(name, xb, w2[0], **kw)
    assert out.shape == (3, 40, G)
    assert out.flags.writeable
    np.testing.assert_allclose(out, np.stack([call(name, x3[0], w2[0], **kw)] * 3),
                               rtol=1e-13, atol=1e-13)
    # x (R, n, k) with w (k,) ; and two leading axes
    out = call(name, x3, w2[0], **kw)
    ref = np.stack([call(name, x3[r], w2[0], **kw) for r in range(3)])
    np.testing.assert_allclose(out, ref, rtol=1e-13, atol=1e-13)
    x4 = np.stack([x3, x3[::-1]])
    out = call(name, x4, w2, **kw)
    assert out.shape == (2, 3, 40, G)
    np.testing.assert_allclose(out[1, 0], call(name, x3[2], w2[0], **kw), rtol=1e-13,
                               atol=1e-13)


@pytest.mark.parametrize("name", sorted(ag.REGISTRY.names()))
def test_unit_order_invariance(name: str) -> None:
    x = data(25, 5, seed=6, missing=0.15)
    w = np.array([1.0, 2.0, 1.0, 0.5, 1.5])
    perm = np.random.default_rng(1).permutation(25)
    a = call(name, x, w)
    b = call(name, x[perm], w)
    np.testing.assert_allclose(a[perm], b, rtol=1e-10, atol=1e-10)


def test_pure_inputs_untouched() -> None:
    x = data(20, 5, missing=0.2)
    w = np.ones(5)
    x0, w0 = x.copy(), w.copy()
    for name in ag.REGISTRY.names():
        call(name, x, w)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(w, w0)


@settings(max_examples=25, deadline=None)
@given(
    x=hnp.arrays(np.float64, (7, 5), elements=hs.one_of(hs.floats(0.5, 100.0), hs.just(nan))),
    w=hnp.arrays(np.float64, (3, 5), elements=hs.floats(0.05, 5.0)),
    perm=hs.permutations(list(range(7))),
)
def test_property_order_invariance_and_replicates(x: np.ndarray, w: np.ndarray,
                                                  perm: list[int]) -> None:
    p = np.array(perm)
    x3 = np.stack([x, x[::-1], x * 1.5])
    for name in ag.REGISTRY.names():
        a = call(name, x, w[0])
        np.testing.assert_allclose(call(name, x[p], w[0]), a[p], rtol=1e-9, atol=1e-9,
                                   err_msg=name)
        if name == "bod":
            continue
        out = call(name, x3, w)
        ref = np.stack([call(name, x3[r], w[r]) for r in range(3)])
        np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12, err_msg=name)
        out = call(name, x, w)
        ref = np.stack([call(name, x, w[r]) for r in range(3)])
        np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12, err_msg=name)
