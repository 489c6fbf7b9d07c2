"""Tests of methods/normalise/registry.py: the registered normalisations and
the properties every registered kernel shares (replicate axes, monotonicity,
range, NaN in place)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import normalise as nz

nan = np.nan


def _ro(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.setflags(write=False)
    return a


def _kwargs(name: str, d: np.ndarray) -> dict[str, Any]:
    info = nz.REGISTRY.get(name)
    n_cols = d.size
    kw: dict[str, Any] = {}
    if "target" in info.needs:
        kw["target"] = np.where(d > 0, 10.0, 0.25)  # better than any value in _data
    if "goal_lower" in info.needs:
        kw["goal_lower"] = np.full(n_cols, -1.0)
        kw["goal_upper"] = np.full(n_cols, 2.0)
    if name == "dist2ref":
        kw["ref"] = 0  # _data puts a middling value in row 0
    return kw


def _data(shape: tuple[int, ...], seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 9.0, size=shape)
    x[rng.random(shape) < 0.2] = nan
    x[..., 0, :] = 4.75  # reference row for dist2ref: observed, neither best nor worst
    x[..., 1, :] = 1.0
    x[..., 2, :] = 8.0
    return x


@pytest.mark.parametrize("name", nz.REGISTRY.names())
def test_replicate_axis_equals_stacked_2d(name: str) -> None:
    x = _ro(_data((2, 3, 12, 4)))
    d = np.array([1.0, 1.0, 1.0, 1.0]) if name in ("fracmax",) else np.array([1, -1, 1, -1.0])
    kw = _kwargs(name, d)
    f = nz.REGISTRY.get(name).func
    out = f(x, d, **kw)
    assert out.shape == x.shape
    assert out.dtype == np.float64
    stacked = np.stack([np.stack([f(x[i, j], d, **kw) for j in range(3)]) for i in range(2)])
    np.testing.assert_allclose(out, stacked, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(x))  # NaN preserved in place


def test_registry_params_and_needs() -> None:
    names = set(nz.REGISTRY.names())
    assert names == {
        "none",
        "minmax",
        "zscore",
        "scaled",
        "rank",
        "borda",
        "percentile",
        "fracmax",
        "dist2max",
        "dist2ref",
        "dist2targ",
        "goalposts",
        "range_shift",
        "efficacy",
        "target_ratio",
    }
    assert nz.REGISTRY.get("dist2targ").needs == {"target"}
    assert nz.REGISTRY.get("goalposts").needs == {"goal_lower", "goal_upper"}
    p = nz.REGISTRY.validate("minmax", {})
    assert p.model_dump() == {"zero_variance": "error", "lower": 0.0, "upper": 100.0}
    assert nz.REGISTRY.validate("efficacy", {}).model_dump()["base"] == 60.0
    for bad in ({"lower": 5, "upper": 1}, {"zero_variance": "skip"}):
        with pytest.raises(MethodError):
            nz.REGISTRY.validate("minmax", bad)
    with pytest.raises(MethodError):
        nz.REGISTRY.validate("dist2ref", {})  # ref required
    for info in nz.REGISTRY:
        assert info.replicates
        out = info.func(_data((6, 2)), np.ones(2), **_kwargs(info.name, np.ones(2)))
        assert out.shape == (6, 2)


finite = hs.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
cols = hnp.arrays(np.float64, hs.integers(3, 12), elements=finite)


def _nonconstant(c: np.ndarray) -> bool:
    return bool(np.ptp(c) > 1e-6 * max(1.0, float(np.abs(c).max())))


MONOTONE = ["minmax", "zscore", "rank", "borda", "percentile", "dist2max", "range_shift",
            "efficacy", "goalposts", "scaled", "dist2targ"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    c=cols,
    d=hs.sampled_from([1.0, -1.0]),
    name=hs.sampled_from(MONOTONE),
    holes=hs.lists(hs.booleans(), min_size=12, max_size=12),
)
def test_monotone_range_and_nan(c: np.ndarray, d: float, name: str, holes: list[bool]) -> None:
    if not _nonconstant(c):
        return
    x = c.copy()
    mask = np.array(holes[: x.size])
    if (~mask).sum() >= 2 and _nonconstant(x[~mask]):
        x[mask] = nan
    kw: dict[str, Any] = {}
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    if name == "dist2targ":
        kw["target"] = np.array([hi + 1.0 if d > 0 else lo - 1.0])
    if name == "goalposts":
        kw["goal_lower"] = np.array([lo + 0.25 * (hi - lo)])
        kw["goal_upper"] = np.array([hi - 0.25 * (hi - lo)])
    y = nz.REGISTRY.get(name).func(x[:, None], np.array([d]), **kw)[:, 0]
    assert np.array_equal(np.isnan(y), np.isnan(x))
    ok = ~np.isnan(x)
    xs, ys = x[ok], y[ok]
    order = np.argsort(d * xs, kind="stable")
    dy = np.diff(ys[order])
    assert (dy >= -1e-9 * max(1.0, float(np.abs(ys).max()))).all()
    bounds = {
        "minmax": (0, 100),
        "percentile": (0, 1),
        "dist2max": (0, 1),
        "range_shift": (0.0001, 1.0001),
        "efficacy": (60, 100),
        "goalposts": (0, 100),
        "dist2targ": (0, 1),
        "rank": (1, ok.sum()),
    }
    if name in bounds:
        lo_b, hi_b = bounds[name]
        tol = 1e-9 * max(1.0, abs(hi_b))
        assert ys.min() >= lo_b - tol
        assert ys.max() <= hi_b + tol


@settings(max_examples=30, deadline=None)
@given(
    x=hnp.arrays(np.float64, (2, 7, 3), elements=hs.floats(0.1, 100.0) | hs.just(nan)),
    name=hs.sampled_from(["rank", "percentile", "minmax", "zscore", "target_ratio"]),
)
def test_replicates_property(x: np.ndarray, name: str) -> None:
    d = np.array([1.0, -1.0, 1.0])
    kw = _kwargs(name, d)
    if name not in ("rank", "target_ratio"):
        kw["zero_variance"] = "nan"
    f = nz.REGISTRY.get(name).func
    out = f(x, d, **kw)
    for r in range(2):
        np.testing.assert_allclose(out[r], f(x[r], d, **kw), rtol=0, atol=1e-12)
    assert not (np.isnan(x) & ~np.isnan(out)).any()  # missing stays missing
    if name in ("rank", "target_ratio"):
        assert np.array_equal(np.isnan(out), np.isnan(x))


def test_naming_rule_kernel_is_registry_name() -> None:
    for info in nz.REGISTRY:
        assert info.func.__name__ == info.name
        assert getattr(nz, info.name) is info.func
