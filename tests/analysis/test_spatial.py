"""Moran's I and LISA against PySAL esda (1e-12) and a brute-force loop."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import peer, small_data
from xiangcun_eval.analysis.spatial import (
    SpatialWeights,
    _draw_ids,
    _lisa_from_draws,
    local_moran,
    moran,
)


def _grid(side: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    ij = np.array([(i, j) for i in range(side) for j in range(side)], dtype=float)
    y = ij[:, 0] + 0.5 * ij[:, 1] + rng.normal(scale=2.0, size=len(ij))
    return ij, y, [f"C{k:03d}" for k in range(len(ij))]


def _esda_weights(xy: np.ndarray, threshold: float):  # type: ignore[no-untyped-def]
    libpysal = peer("libpysal")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return libpysal.weights.DistanceBand(xy, threshold, binary=True, silence_warnings=True)


@pytest.mark.parametrize("threshold", [1.0, 1.5, 2.3])
def test_global_moran_matches_esda(threshold: float) -> None:
    esda = peer("esda")
    xy, y, units = _grid()
    w = SpatialWeights.distance_band(xy, threshold, units)
    ours = moran(y, w, permutations=0)
    ref = esda.Moran(y, _esda_weights(xy, threshold), permutations=0)
    for a, b in [("I", "I"), ("expected", "EI"), ("var_normal", "VI_norm"),
                 ("var_random", "VI_rand"), ("z_normal", "z_norm"), ("z_random", "z_rand"),
                 ("p_normal", "p_norm"), ("p_random", "p_rand")]:
        assert getattr(ours, a) == pytest.approx(float(getattr(ref, b)), rel=1e-12, abs=1e-12), a


def test_local_moran_matches_esda() -> None:
    esda = peer("esda")
    xy, y, units = _grid(10, seed=4)
    w = SpatialWeights.distance_band(xy, 1.5, units)
    ours = local_moran(y, w, permutations=999, seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran_Local(y, _esda_weights(xy, 1.5), permutations=999, seed=7)
    np.testing.assert_allclose(ours.Is, ref.Is, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.quadrant, ref.q)
    # permutation p-values: same null, different random streams
    assert np.mean(np.abs(ours.p_sim - ref.p_sim)) < 0.02
    assert np.mean((ours.p_sim < 0.05) == (ref.p_sim < 0.05)) > 0.9


def test_lisa_permutations_equal_brute_force() -> None:
    xy, y, units = _grid(8, seed=2)
    w = SpatialWeights.distance_band(xy, 1.5, units).row_standardised()
    n = y.size
    rids = _draw_ids(np.random.default_rng(1), 40, n - 1, int(np.diff(w.indptr).max()))
    _, sim = _lisa_from_draws(y, w, rids)
    z = (y - y.mean()) / y.std()
    for i in range(n):
        nb = slice(w.indptr[i], w.indptr[i + 1])
        others = np.delete(np.arange(n), i)
        for p in range(rids.shape[0]):
            ids = others[rids[p, : w.indptr[i + 1] - w.indptr[i]]]
            assert sim[p, i] == pytest.approx((n - 1) * z[i] * (w.data[nb] @ z[ids]) / (z @ z),
                                              abs=1e-12)
    assert np.all(np.sort(rids, axis=1)[:, 1:] != np.sort(rids, axis=1)[:, :-1])  # no repeats


def test_global_permutation_p_value_detects_pattern() -> None:
    xy, y, units = _grid()
    w = SpatialWeights.distance_band(xy, 1.0, units)
    res = moran(y, w, permutations=499, seed=3)
    assert res.p_sim == pytest.approx(1 / 500)
    noise = np.random.default_rng(9).normal(size=y.size)
    assert moran(noise, w, permutations=499, seed=3).p_sim > 0.01
    assert moran(y, w, permutations=99, seed=1).p_sim == moran(y, w, permutations=99, seed=1).p_sim
    assert len(res.table()) == 9


def test_adjacency_list_and_evaluation_alignment() -> None:
    data = small_data(n=12)
    ev = xe.evaluate(data)
    units = list(ev.units)
    ring = {u: [units[(k - 1) % 12], units[(k + 1) % 12]] for k, u in enumerate(units)}
    w = SpatialWeights.from_adjacency(dict(reversed(list(ring.items()))))
    a = moran(ev, w, permutations=0)
    b = moran(np.asarray(ev.index), SpatialWeights.from_adjacency(ring), permutations=0)
    assert abs(a.I - b.I) < 1e-14
    lm = local_moran(ev, w, permutations=99, seed=0)
    assert lm.units == ev.units
    assert len(lm.table()) == 12
    assert len(lm.counts()) == 5
    assert sum(lm.counts().column("单位数 n")) == 12


@pytest.mark.parametrize(
    "build",
    [
        lambda: SpatialWeights.from_adjacency({"a": ["b"], "b": ["zz"]}),
        lambda: SpatialWeights.from_adjacency({"a": ["a"]}),
        lambda: SpatialWeights.distance_band(np.zeros((3, 2)), 0.0, ["a", "b", "c"]),
        lambda: SpatialWeights.distance_band(np.zeros((2, 2)), 1.0, ["a", "b", "c"]),
    ],
)
def test_bad_weights(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(xe.MethodError):
        build()


def test_bad_scores() -> None:
    xy, y, units = _grid(4)
    w = SpatialWeights.distance_band(xy, 1.0, units)
    with pytest.raises(xe.MethodError, match="islands"):
        moran(y, SpatialWeights.distance_band(xy * 10, 1.0, units))
    y2 = y.copy()
    y2[0] = np.nan
    with pytest.raises(xe.MethodError, match="C000"):
        moran(y2, w)
    with pytest.raises(xe.MethodError, match="constant"):
        moran(np.ones(y.size), w)
    with pytest.raises(xe.MethodError):
        moran(y[:-1], w)
    with pytest.raises(xe.MethodError):
        local_moran(y, w, permutations=0)
    with pytest.raises(xe.MethodError):
        local_moran(y, w, alpha=1.5)
    ev = xe.evaluate(small_data(n=8))
    with pytest.raises(xe.MethodError, match="missing from the weights"):
        moran(ev, w)


def test_lisa_fast_path_equals_general_weights_path() -> None:
    from xiangcun_eval.analysis.spatial import _lisa_sims

    xy, y, units = _grid(9, seed=6)
    w = SpatialWeights.distance_band(xy, 1.5, units).row_standardised()
    z = (y - y.mean()) / y.std()
    rids = _draw_ids(np.random.default_rng(2), 30, y.size - 1, int(np.diff(w.indptr).max()))
    fast = _lisa_sims(z, w, rids, float(z @ z))
    w2 = w.copy()
    w2.data = w2.data * (1 + 1e-9)  # rows no longer exactly 1/k: the per-slot path
    general = _lisa_sims(z, w2, rids, float(z @ z)) / (1 + 1e-9)
    np.testing.assert_allclose(fast, general, rtol=0, atol=1e-12)
