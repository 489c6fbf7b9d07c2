"""Tests of methods/normalise.py (and the rank helper of methods/_stats.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.stats as st  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp
from pymcdm.normalizations import minmax_normalization  # type: ignore[import-untyped]

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import normalise as nz

nan = np.nan
X = np.array(
    [
        [1.0, 10.0],
        [3.0, nan],
        [2.0, 30.0],
        [5.0, 20.0],
        [nan, 10.0],
    ]
)
BEN = np.array([1.0, 1.0])
MIX = np.array([1.0, -1.0])


def _ro(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.setflags(write=False)
    return a


# --------------------------------------------------------------------------- hand examples


def test_minmax_hand_and_cost() -> None:
    out = nz.minmax(_ro(X), MIX)
    np.testing.assert_allclose(out[:, 0], [0, 50, 25, 100, nan])
    np.testing.assert_allclose(out[:, 1], [100, nan, 0, 50, 100])  # (max - x)/(max - min)
    out = nz.minmax(X, BEN, lower=1, upper=10)
    np.testing.assert_allclose(out[:, 1], [1, nan, 10, 5.5, 1])


def test_minmax_matches_pymcdm() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 4))
    d = np.array([1.0, -1.0, 1.0, -1.0])
    out = nz.minmax(x, d, lower=0, upper=1)
    for j in range(4):
        np.testing.assert_allclose(out[:, j], minmax_normalization(x[:, j], cost=d[j] < 0))


def test_zscore() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(5, 3, size=(20, 3))
    out = nz.zscore(x, np.array([1.0, -1.0, 1.0]), mean=10, sd=2)
    exp = st.zscore(x, axis=0, ddof=1)
    exp[:, 1] *= -1
    np.testing.assert_allclose(out, 10 + 2 * exp)
    out = nz.zscore(X, BEN)
    np.testing.assert_allclose(out[:, 0], (X[:, 0] - 2.75) / np.std([1, 3, 2, 5], ddof=1))


def test_scaled_rank_borda_percentile() -> None:
    np.testing.assert_allclose(nz.scaled(X, BEN, lower=0, upper=50)[:, 1], [20, nan, 60, 40, 20])
    np.testing.assert_allclose(
        nz.scaled(X, MIX, lower=-50, upper=0, scale_factor=1)[:, 1], [0.8, nan, 0.4, 0.6, 0.8]
    )
    np.testing.assert_array_equal(nz.rank(X, MIX)[:, 1], [3, nan, 1, 2, 3])  # ties "min"
    np.testing.assert_array_equal(nz.borda(X, BEN)[:, 0], [0, 2, 1, 3, nan])
    np.testing.assert_allclose(nz.percentile(X, MIX)[:, 1], [2 / 3, nan, 0, 1 / 3, 2 / 3])


def test_rank_matches_scipy_min_ties() -> None:
    rng = np.random.default_rng(2)
    x = rng.integers(0, 6, size=(3, 40, 5)).astype(float)
    x[rng.random(x.shape) < 0.2] = nan
    r = nz.rank(x, np.ones(5))
    for i in range(3):
        for j in range(5):
            col = x[i, :, j]
            ok = ~np.isnan(col)
            np.testing.assert_array_equal(r[i, ok, j], st.rankdata(col[ok], method="min"))
            assert np.isnan(r[i, ~ok, j]).all()


def test_fracmax_dist2max() -> None:
    np.testing.assert_allclose(nz.fracmax(X, BEN)[:, 0], [0.2, 0.6, 0.4, 1.0, nan])
    with pytest.raises(MethodError, match=r"\[1\]"):
        nz.fracmax(X, MIX)
    np.testing.assert_allclose(nz.dist2max(X, MIX), nz.minmax(X, MIX) / 100)


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


def test_range_shift_and_efficacy() -> None:
    out = nz.range_shift(X, MIX)
    np.testing.assert_allclose(out[:, 1], [1.0001, nan, 0.0001, 0.5001, 1.0001])
    sq = nz.range_shift(X, MIX, variant="squeeze")
    np.testing.assert_allclose(sq[:, 1], [0.9999, nan, 0.0001, 0.5, 0.9999])
    ef = nz.efficacy(X, MIX)
    np.testing.assert_allclose(ef[:, 0], [60, 80, 70, 100, nan])
    np.testing.assert_allclose(ef[:, 1], [100, nan, 60, 80, 100])
    np.testing.assert_allclose(nz.efficacy(X, BEN, base=0, span=1)[:, 0], [0, 0.5, 0.25, 1, nan])


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


def test_none_applies_direction() -> None:
    np.testing.assert_array_equal(nz.none(X, MIX), X * MIX)


# --------------------------------------------------------------------------- degenerate columns

RANGE_METHODS = ["minmax", "zscore", "percentile", "dist2max", "range_shift", "efficacy"]
CENTRES = {
    "minmax": 50.0,
    "zscore": 0.0,
    "percentile": 0.5,
    "dist2max": 0.5,
    "range_shift": 0.5001,
    "efficacy": 80.0,
}


@pytest.mark.parametrize("name", RANGE_METHODS)
@pytest.mark.parametrize("col", [[7.0, 7.0, nan, 7.0], [nan, 3.0, nan, nan], [nan] * 4])
def test_zero_variance_policy(name: str, col: list[float]) -> None:
    x = np.c_[[1.0, 2.0, 3.0, 4.0], col]
    f = nz.REGISTRY.get(name).func
    with pytest.raises(MethodError, match=r"column\(s\) \[1\].*zero_variance"):
        f(x, BEN)
    c = f(x, BEN, zero_variance="constant")
    ok = ~np.isnan(x[:, 1])
    np.testing.assert_allclose(c[ok, 1], CENTRES[name])
    assert np.isnan(c[~ok, 1]).all()
    np.testing.assert_allclose(c[:, 0], f(x[:, :1], BEN[:1]).ravel())
    assert np.isnan(f(x, BEN, zero_variance="nan")[:, 1]).all()


def test_zero_variance_error_names_column_in_replicates() -> None:
    x = np.stack([np.c_[[1.0, 2.0], [1.0, 2.0]], np.c_[[1.0, 2.0], [5.0, 5.0]]])
    with pytest.raises(MethodError, match=r"\[1\]"):
        nz.minmax(x, BEN)


def test_bad_direction() -> None:
    with pytest.raises(MethodError):
        nz.minmax(X, np.array([1.0, 0.0]))
    with pytest.raises(MethodError):
        nz.minmax(X, np.array([1.0]))
    with pytest.raises(MethodError):
        nz.minmax(np.ones(3), np.array([1.0]))


# --------------------------------------------------------------------------- registry / replicates


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
    assert out.shape == x.shape and out.dtype == np.float64
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


# --------------------------------------------------------------------------- properties

finite = hs.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
cols = hnp.arrays(np.float64, hs.integers(3, 12), elements=finite)


def _nonconstant(c: np.ndarray) -> bool:
    return bool(np.ptp(c) > 1e-6 * max(1.0, float(np.abs(c).max())))


@settings(max_examples=60, deadline=None)
@given(c=cols, a=hs.floats(1e-3, 1e3), b=hs.floats(-1e3, 1e3), d=hs.sampled_from([1.0, -1.0]))
def test_minmax_invariant_to_positive_affine(c: np.ndarray, a: float, b: float, d: float) -> None:
    if not _nonconstant(c):
        return
    y1 = nz.minmax(c[:, None], np.array([d]))
    y2 = nz.minmax((a * c + b)[:, None], np.array([d]))
    np.testing.assert_allclose(y1, y2, atol=1e-6)


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
        assert ys.min() >= lo_b - tol and ys.max() <= hi_b + tol


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


def test_naming_rule_and_deprecated_percentile_rank() -> None:
    for info in nz.REGISTRY:
        assert info.func.__name__ == info.name
        assert getattr(nz, info.name) is info.func
    with pytest.warns(DeprecationWarning, match="use xiangcun_eval.methods.normalise.percentile"):
        old = nz.percentile_rank
    assert old is nz.percentile
    assert "percentile_rank" not in nz.__all__
