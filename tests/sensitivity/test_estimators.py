"""Tests for sensitivity/estimators.py against analytic indices, SALib and scipy."""

from __future__ import annotations

import warnings
from statistics import NormalDist

import numpy as np
import pytest
from numpy.typing import NDArray

from xiangcun_eval.errors import MethodError
from xiangcun_eval.sensitivity.design import saltelli_design, split_outputs, to_continuous
from xiangcun_eval.sensitivity.estimators import (
    bootstrap_counts,
    first_order,
    sobol_indices,
    total_order,
)
from xiangcun_eval.sensitivity.testfunctions import (
    g_function,
    g_function_indices,
    ishigami,
    ishigami_indices,
)

F = NDArray[np.float64]
N14 = 2**14


@pytest.fixture(scope="module")
def ishigami_runs() -> tuple[F, F, F]:
    des = saltelli_design(N14, 3, seed=2024)
    y = ishigami(to_continuous(des.stacked(), -np.pi, np.pi))
    return split_outputs(y, N14, 3)


def _multi_outputs(n: int = 256, d: int = 4, m: int = 7, seed: int = 1) -> tuple[F, F, F]:
    """Several differently shaped outputs of one design, shape (..., m)."""
    des = saltelli_design(n, d, seed=seed)
    x = des.stacked()
    coef = np.random.default_rng(seed).normal(size=(d, m))
    y = x @ coef + np.sin(3 * x[:, :1]) * x[:, 1:2] * np.arange(m) + 10.0 * np.arange(m)
    return split_outputs(y, n, d)


def _salib_Y(ya: F, yb: F, yab: F) -> F:
    """Outputs in SALib's calc_second_order=False row order: per sample k,
    [a_k, ab_1k, ..., ab_dk, b_k]."""
    return np.concatenate([ya[:, None], yab.T, yb[:, None]], axis=1).ravel()


# --------------------------------------------------------------------------- analytic


def test_ishigami_analytic(ishigami_runs: tuple[F, F, F]) -> None:
    res = sobol_indices(*ishigami_runs, factor_names=["x1", "x2", "x3"])
    s1, st = ishigami_indices()
    assert np.max(np.abs(res.first - s1)) < 0.01
    assert np.max(np.abs(res.total - st)) < 0.01
    assert abs(res.first_of("x3")) < 0.01 and res.total_of("x3") == res.total[2]


def test_g_function_analytic() -> None:
    a = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0])
    des = saltelli_design(N14, a.size, seed=7)
    y = g_function(des.stacked(), a)
    res = sobol_indices(*split_outputs(y, N14, a.size))
    s1, st = g_function_indices(a)
    assert np.max(np.abs(res.first - s1)) < 0.01
    assert np.max(np.abs(res.total - st)) < 0.01


def test_analytic_values() -> None:
    s1, st = ishigami_indices()
    assert np.allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4)
    assert np.allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-4)
    g1, gt = g_function_indices([0.0, 0.0])
    # two equal factors: V_i = 1/3, V = 16/9 - 1 = 7/9
    assert np.allclose(g1, [3 / 7, 3 / 7]) and np.allclose(gt, [4 / 7, 4 / 7])


# --------------------------------------------------------------------------- SALib / scipy


@pytest.mark.parametrize("which", ["ishigami", "multi"])
def test_equals_salib_exactly(which: str, ishigami_runs: tuple[F, F, F]) -> None:
    from SALib.analyze import sobol as salib_sobol  # type: ignore[import-untyped, unused-ignore]

    if which == "ishigami":
        ya, yb, yab = (arr[:1024] if arr.ndim == 1 else arr[:, :1024] for arr in ishigami_runs)
        ya, yb, yab = ya[:, None], yb[:, None], yab[:, :, None]
    else:
        ya, yb, yab = _multi_outputs()
    d = yab.shape[0]
    problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0, 1]] * d}
    res = sobol_indices(ya, yb, yab, n_boot=50, seed=99, ci_method="normal")
    z = NormalDist().inv_cdf(0.975)
    assert res.first_se is not None and res.total_se is not None and res.first_conf is not None
    for j in range(ya.shape[1]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sa = salib_sobol.analyze(
                problem,
                _salib_Y(ya[:, j], yb[:, j], yab[:, :, j]),
                calc_second_order=False,
                num_resamples=50,
                seed=99,
            )
        np.testing.assert_allclose(res.first[:, j], sa["S1"], rtol=0, atol=1e-12)
        np.testing.assert_allclose(res.total[:, j], sa["ST"], rtol=0, atol=1e-12)
        # same resamples (same seed, same draw) -> same SALib-style conf
        np.testing.assert_allclose(z * res.first_se[:, j], sa["S1_conf"], rtol=0, atol=1e-12)
        np.testing.assert_allclose(z * res.total_se[:, j], sa["ST_conf"], rtol=0, atol=1e-12)
        np.testing.assert_allclose(
            res.first_conf[1, :, j] - res.first[:, j], sa["S1_conf"], rtol=0, atol=1e-12
        )


def test_equals_scipy_with_center_ab() -> None:
    from scipy.stats import sobol_indices as scipy_sobol  # type: ignore[import-untyped, unused-ignore]

    ya, yb, yab = _multi_outputs(m=3)
    res = sobol_indices(ya, yb, yab, center="ab")
    sp = scipy_sobol(
        func={"f_A": ya.T, "f_B": yb.T, "f_AB": np.moveaxis(yab, -1, 1)}, n=ya.shape[0]
    )
    np.testing.assert_allclose(res.first, np.asarray(sp.first_order).T, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.total, np.asarray(sp.total_order).T, rtol=0, atol=1e-12)


def test_coinr_mode_matches_hand_formula() -> None:
    ya, yb, yab = _multi_outputs(m=2)
    res = sobol_indices(ya, yb, yab, ddof=1, center="none")
    for j in range(2):
        a, b, ab = ya[:, j], yb[:, j], yab[:, :, j]
        v = np.var(np.r_[a, b], ddof=1)
        np.testing.assert_allclose(res.first[:, j], np.mean(b * (ab - a), axis=1) / v, atol=1e-12)
        np.testing.assert_allclose(
            res.total[:, j], np.sum((a - ab) ** 2, axis=1) / (2 * len(a) * v), atol=1e-12
        )
    assert res.ddof == 1 and res.center == "none"
    # centring never changes S_T; ddof=1 scales both by (2N-1)/2N
    r0 = sobol_indices(ya, yb, yab, center="none")
    np.testing.assert_allclose(r0.total * (2 * 256 - 1) / (2 * 256), res.total, rtol=1e-12)
    np.testing.assert_allclose(sobol_indices(ya, yb, yab).total, r0.total, rtol=1e-12)


# --------------------------------------------------------------------------- vectorisation


def test_vectorised_equals_loop() -> None:
    ya, yb, yab = _multi_outputs(m=9)
    full = sobol_indices(ya, yb, yab, n_boot=40, seed=5)
    # tiny chunks force the chunked bootstrap path
    chunked = sobol_indices(ya, yb, yab, n_boot=40, seed=5, max_chunk_bytes=1)
    assert full.first_conf is not None and chunked.first_conf is not None
    np.testing.assert_allclose(full.first_conf, chunked.first_conf, rtol=0, atol=1e-13)
    for j in range(9):
        one = sobol_indices(ya[:, j], yb[:, j], yab[:, :, j], n_boot=40, seed=5)
        assert one.first.shape == (4,) and one.first_conf is not None
        np.testing.assert_allclose(full.first[:, j], one.first, rtol=0, atol=1e-14)
        np.testing.assert_allclose(full.total[:, j], one.total, rtol=0, atol=1e-14)
        np.testing.assert_allclose(full.first_conf[:, :, j], one.first_conf, rtol=0, atol=1e-13)
    # arbitrary output shapes: (N, 3, 3) -> (d, 3, 3)
    r = sobol_indices(
        ya[:, :9].reshape(-1, 3, 3), yb[:, :9].reshape(-1, 3, 3), yab[..., :9].reshape(4, -1, 3, 3)
    )
    np.testing.assert_allclose(r.first.reshape(4, 9), full.first, atol=1e-14)
    assert r.variance.shape == (3, 3) and r.constant.shape == (3, 3)


def test_kernels_match_wrapper() -> None:
    ya, yb, yab = _multi_outputs(m=2)
    res = sobol_indices(ya, yb, yab)
    np.testing.assert_array_equal(first_order(ya, yb, yab), res.first)
    np.testing.assert_array_equal(total_order(ya, yb, yab), res.total)


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_matches_fancy_indexing_reference() -> None:
    ya, yb, yab = _multi_outputs(m=3)
    n = ya.shape[0]
    idx = np.random.default_rng(0).integers(n, size=(30, n))
    res = sobol_indices(ya, yb, yab, resample_index=idx, confidence=0.9)
    assert res.n_boot == 30 and res.ci_method == "percentile" and res.confidence == 0.9
    # reference: explicit resampling, SALib's "centre once, then resample" convention
    c = np.concatenate([ya, yb, yab.reshape(-1, 3)]).mean(axis=0)
    reps = []
    for r in idx:
        a, b, ab = ya[r], yb[r], yab[:, r]
        v = np.var(np.r_[a, b], axis=0)
        reps.append(np.mean((b - c) * (ab - a), axis=1) / v)
    reps_arr = np.array(reps)
    assert res.first_conf is not None and res.first_se is not None
    np.testing.assert_allclose(res.first_se, reps_arr.std(axis=0, ddof=1), atol=1e-12)
    np.testing.assert_allclose(
        res.first_conf, np.quantile(reps_arr, [0.05, 0.95], axis=0), atol=1e-12
    )


def test_bootstrap_deterministic_under_seed() -> None:
    ya, yb, yab = _multi_outputs(m=2)
    r1 = sobol_indices(ya, yb, yab, n_boot=50, seed=42)
    r2 = sobol_indices(ya, yb, yab, n_boot=50, seed=42)
    r3 = sobol_indices(ya, yb, yab, n_boot=50, seed=43)
    assert r1.first_conf is not None and r2.first_conf is not None and r3.first_conf is not None
    np.testing.assert_array_equal(r1.first_conf, r2.first_conf)
    np.testing.assert_array_equal(r1.total_conf, r2.total_conf)
    assert not np.array_equal(r1.first_conf, r3.first_conf)
    lo, hi = r1.first_conf
    assert np.all(lo <= hi)


def test_bootstrap_counts() -> None:
    idx = np.array([[0, 0, 2], [1, 2, 2]])
    assert bootstrap_counts(idx, 3).tolist() == [[2, 0, 1], [0, 1, 2]]
    with pytest.raises(MethodError, match="resample"):
        bootstrap_counts(np.array([[0, 3, 1]]), 3)


# --------------------------------------------------------------------------- edge cases


def test_constant_outputs_give_nan_and_flag_without_warnings() -> None:
    ya, yb, yab = _multi_outputs(m=3)
    ya, yb, yab = ya.copy(), yb.copy(), yab.copy()
    ya[:, 1] = yb[:, 1] = 5.0  # rank never changes on A and B
    yab[:, :, 1] = 5.0
    ya[:, 2] = yb[:, 2] = yab[:, :, 2] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = sobol_indices(ya, yb, yab, n_boot=20, seed=1)
    assert res.constant.tolist() == [False, True, True]
    assert np.all(np.isnan(res.first[:, 1:])) and np.all(np.isnan(res.total[:, 1:]))
    assert res.first_conf is not None and np.all(np.isnan(res.first_conf[..., 1:]))
    assert np.all(np.isfinite(res.first[:, 0])) and np.all(np.isfinite(res.first_conf[..., 0]))


def test_nan_output_stays_local() -> None:
    ya, yb, yab = _multi_outputs(m=2)
    ya = ya.copy()
    ya[3, 1] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = sobol_indices(ya, yb, yab)
    assert np.all(np.isnan(res.first[:, 1])) and np.all(np.isfinite(res.first[:, 0]))
    assert not res.constant[1]


def test_validation_messages() -> None:
    ya, yb, yab = _multi_outputs(m=2)
    with pytest.raises(MethodError, match="yAB must have shape"):
        sobol_indices(ya, yb, yab[:, :-1])
    with pytest.raises(MethodError, match="same shape"):
        sobol_indices(ya, yb[:, :1], yab)
    with pytest.raises(MethodError, match="factor names"):
        sobol_indices(ya, yb, yab, factor_names=["a"])
    with pytest.raises(MethodError, match="ddof"):
        sobol_indices(ya, yb, yab, ddof=2)
    with pytest.raises(MethodError, match="center"):
        sobol_indices(ya, yb, yab, center="mean")  # type: ignore[arg-type]
    with pytest.raises(MethodError, match="confidence"):
        sobol_indices(ya, yb, yab, n_boot=10, confidence=1.5)
    with pytest.raises(MethodError, match="n_boot"):
        sobol_indices(ya, yb, yab, n_boot=1)


# --------------------------------------------------------------------------- exact hand values
# yA, yB, yAB (d = 1) small integers: every statistic below is a fraction worked out by hand
# from the formulas (V = var([yA; yB]), S1 = mean(yB (yAB − yA)) / V, ST = mean((yA − yAB)²)/(2V)).
HAND_A = np.array([1.0, 2.0, 3.0, 4.0])
HAND_B = np.array([2.0, 0.0, 1.0, 5.0])
HAND_AB = np.array([[1.0, 3.0, 3.0, 2.0]])
HAND_IDX = np.array([[0, 0, 1, 2], [3, 3, 2, 1]])  # two bootstrap resamples of the 4 rows


@pytest.mark.parametrize(("ddof", "var", "s1", "st"), [
    (0, 39 / 16, -40 / 39, 10 / 39),
    (1, 39 / 14, -35 / 39, 35 / 156),
])
def test_point_estimates_exact(ddof: int, var: float, s1: float, st: float) -> None:
    r = sobol_indices(HAND_A, HAND_B, HAND_AB, ddof=ddof, center="none")
    assert r.variance == pytest.approx(var, abs=1e-15)
    assert r.first[0] == pytest.approx(s1, abs=1e-15)
    assert r.total[0] == pytest.approx(st, abs=1e-15)


def test_bootstrap_ddof1_replicates_and_normal_interval_bounds_exact() -> None:
    # resample 1 (rows 0,0,1,2): V = 12/7 (ddof 1), S1 = 0, ST = 7/48;
    # resample 2 (rows 3,3,2,1): V = 24/7,          S1 = −35/24, ST = 21/64
    r = sobol_indices(HAND_A, HAND_B, HAND_AB, ddof=1, center="none", resample_index=HAND_IDX,
                      ci_method="normal", confidence=0.90)
    z = 1.6448536269514722  # Φ⁻¹(0.95)
    se1 = (35 / 24) / np.sqrt(2.0)  # std (ddof 1) of {0, −35/24}
    set_ = (21 / 64 - 7 / 48) / np.sqrt(2.0)
    assert r.first_se is not None and r.total_se is not None
    assert r.first_se[0] == pytest.approx(se1, rel=1e-14)
    assert r.total_se[0] == pytest.approx(set_, rel=1e-14)
    assert r.first_conf is not None and r.total_conf is not None
    np.testing.assert_allclose(r.first_conf[:, 0], [-35 / 39 - z * se1, -35 / 39 + z * se1],
                               rtol=1e-14)
    np.testing.assert_allclose(r.total_conf[:, 0], [35 / 156 - z * set_, 35 / 156 + z * set_],
                               rtol=1e-14)
    assert r.n_boot == 2 and r.ci_method == "normal" and r.confidence == 0.90


def test_bootstrap_percentile_bounds_exact_and_ddof_changes_them() -> None:
    # confidence 0.5: the 25 % and 75 % type-7 quantiles of the two replicates
    r1 = sobol_indices(HAND_A, HAND_B, HAND_AB, ddof=1, center="none",
                       resample_index=HAND_IDX, confidence=0.5)
    assert r1.first_conf is not None and r1.total_conf is not None
    np.testing.assert_allclose(r1.first_conf[:, 0], [-35 / 32, -35 / 96], rtol=1e-14)
    gap = 21 / 64 - 7 / 48
    np.testing.assert_allclose(r1.total_conf[:, 0], [7 / 48 + 0.25 * gap, 7 / 48 + 0.75 * gap],
                               rtol=1e-14)
    # ddof 0: replicates (0, 1/6) and (−5/3, 3/8)
    r0 = sobol_indices(HAND_A, HAND_B, HAND_AB, ddof=0, center="none",
                       resample_index=HAND_IDX, confidence=0.5)
    assert r0.first_conf is not None and r0.total_conf is not None
    np.testing.assert_allclose(r0.first_conf[:, 0], [-5 / 4, -5 / 12], rtol=1e-14)
    np.testing.assert_allclose(r0.total_conf[:, 0], [1 / 6 + 0.25 * (3 / 8 - 1 / 6),
                                                     1 / 6 + 0.75 * (3 / 8 - 1 / 6)], rtol=1e-14)


# --------------------------------------------------------------------------- exact dtypes


@pytest.mark.parametrize("dtype", [np.float32, np.int16, np.int32])
def test_exact_dtypes_give_the_float64_bits(dtype: type) -> None:
    """float32 / integer outputs (ranks) are turned into float64 per block of
    columns: every number is that of the float64 input, for any block size."""
    rng = np.random.default_rng(5)
    ya, yb, yab = (rng.integers(1, 300, size=s).astype(dtype) for s in
                   ((64, 40), (64, 40), (3, 64, 40)))
    ya[:, 3] = yb[:, 3] = yab[:, :, 3] = 7  # a constant output
    ref = sobol_indices(ya.astype(np.float64), yb.astype(np.float64), yab.astype(np.float64),
                        n_boot=20, seed=1)
    for chunk in (2**20, 64 * 1024):  # one block; several blocks of columns
        got = sobol_indices(ya, yb, yab, n_boot=20, seed=1, max_chunk_bytes=chunk)
        for name in ("first", "total", "variance", "first_conf", "total_conf", "first_se",
                     "total_se"):
            assert getattr(got, name).tobytes() == getattr(ref, name).tobytes(), name
        assert np.array_equal(got.constant, ref.constant)
