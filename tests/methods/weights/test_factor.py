"""Tests of methods/weights/factor.py: OECD/JRC PCA / factor-analysis weights,
COINr PC1 loadings, varimax, factor retention (Handbook Table 16)."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _positive(n: int = 12, m: int = 5, seed: int = 0) -> np.ndarray:
    return _rng(seed).uniform(1.0, 10.0, (n, m))


def test_retain_factors_handbook_table16() -> None:
    # OECD/JRC (2008) Table 16, TAI: variance shares 41.9, 21.8, 12.3, 11.1, 6.0, ...
    share = np.array([41.9, 21.8, 12.3, 11.1, 6.0, 3.7, 2.2, 0.9]) / 100
    ev = share * 8
    assert W.retain_factors(ev) == 4  # the Handbook retains four factors
    assert W.retain_factors(ev, min_eigenvalue=1.0) == 2  # Kaiser: 63.7 % >= 60 %
    assert W.retain_factors(ev, min_variance_share=0.5, min_cumulative=0.7) == 3


def test_varimax_properties() -> None:
    rng = _rng(5)
    lo = rng.normal(0, 0.6, (8, 3))
    rot, t = W.varimax(lo)
    assert np.allclose(t.T @ t, np.eye(3), atol=1e-10)
    assert np.allclose((rot**2).sum(1), (lo**2).sum(1))  # communalities kept

    def crit(a: np.ndarray) -> float:
        h = np.sqrt((a**2).sum(1))[:, None]
        b = (a / h) ** 2
        return float(((b - b.mean(0)) ** 2).sum())

    assert crit(rot) >= crit(lo) - 1e-12
    # an already simple structure is left (up to sign / order) unchanged
    simple = np.array([[0.9, 0], [0.8, 0], [0, 0.7], [0, 0.6]])
    r2, _ = W.varimax(simple)
    assert np.allclose(np.sort(np.abs(r2), axis=None), np.sort(np.abs(simple), axis=None))


def test_varimax_two_factors_matches_kaiser_closed_form() -> None:
    """For two factors the varimax angle has Kaiser's (1958) closed form
    tan 4φ = (D − 2AB/p) / (C − (A² − B²)/p) on the row-normalised loadings."""
    lo = _rng(5).normal(0, 0.6, (8, 2))
    h = np.sqrt((lo**2).sum(1))
    ln = lo / h[:, None]
    u, v = ln[:, 0] ** 2 - ln[:, 1] ** 2, 2 * ln[:, 0] * ln[:, 1]
    p = lo.shape[0]
    a, b, c, d = u.sum(), v.sum(), (u**2 - v**2).sum(), 2 * (u * v).sum()
    phi = np.arctan2(d - 2 * a * b / p, c - (a**2 - b**2) / p) / 4
    rot = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    ref = (ln @ rot) * h[:, None]
    got, _ = W.varimax(lo, eps=1e-14)
    # equal up to the order and signs of the factors
    ok = any(np.allclose(np.abs(got[:, perm]), np.abs(ref), atol=1e-8) for perm in ([0, 1], [1, 0]))
    assert ok
    default, _ = W.varimax(lo)  # R's default eps = 1e-5
    assert np.allclose(np.abs(default), np.abs(ref), atol=1e-3)


def _two_factor_data(n: int = 200, seed: int = 0) -> np.ndarray:
    rng = _rng(seed)
    f = rng.normal(size=(n, 2))
    load = np.array([[0.9, 0], [0.8, 0], [0.7, 0.1], [0, 0.9], [0.1, 0.8], [0, 0.6]])
    out: np.ndarray = f @ load.T + rng.normal(0, 0.4, (n, 6))
    return out


def test_factor_analysis_weights_recovers_structure() -> None:
    x = _two_factor_data()
    r = W.factor_analysis(x)
    assert r.n_factors == 2
    assert len(set(r.factor_of[:3].tolist())) == 1
    assert len(set(r.factor_of[3:].tolist())) == 1
    assert r.factor_of[0] != r.factor_of[3]
    assert np.allclose(r.scaled_squared_loadings.sum(0), 1.0)
    assert r.factor_weights.sum() == pytest.approx(1.0)
    # hand recomputation of step 6 from the returned loadings
    sq = r.rotated_loadings**2
    phi = sq.sum(0) / sq.sum()
    w = np.array([phi[k] * sq[j, k] / sq[:, k].sum() for j, k in enumerate(r.factor_of)])
    assert np.allclose(r.weights, w / w.sum())
    sc = W.factor_analysis(x, assign_by="scaled")
    assert np.array_equal(sc.factor_of, np.argmax(sc.scaled_squared_loadings, axis=1))
    # invariant to rescaling / shifting columns and to unit order
    y = x * [1, 10, 0.1, 5, 2, 3] + 7
    assert np.allclose(W.pca_oecd_weights(y), r.weights)
    assert np.allclose(W.pca_oecd_weights(x[::-1]), r.weights)


def test_factor_analysis_one_factor_is_squared_pc1() -> None:
    rng = _rng(2)
    f = rng.normal(size=(100, 1))
    x = f @ np.array([[0.9, 0.8, 0.7]]) + rng.normal(0, 0.3, (100, 3))
    r = W.factor_analysis(x)
    assert r.n_factors == 1
    v = W.pca_coinr_weights(x)
    assert np.allclose(r.weights, v**2 / (v**2).sum())


def test_pca_coinr_pc1_loadings() -> None:
    x = _two_factor_data(seed=3)
    v = W.pca_coinr_weights(x)
    _, vec = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    pc1 = vec[:, -1]
    assert np.allclose(np.abs(v), np.abs(pc1))
    assert np.linalg.norm(v) == pytest.approx(1.0)
    assert v.sum() > 0
    raw = W.pca_coinr_weights(x, sign="as_computed")
    assert np.allclose(np.abs(raw), np.abs(v))
    xm = x.copy()
    xm[0, 2] = np.nan
    assert np.allclose(W.pca_coinr_weights(xm), W.pca_coinr_weights(x[1:]))
    assert W.pca_coinr_weights(x, normalise=True).sum() == pytest.approx(1.0)


def test_pca_errors() -> None:
    x = _positive(10, 3)
    x[:, 1] = 2.0
    with pytest.raises(MethodError, match="constant"):
        W.pca_oecd_weights(x)
    with pytest.raises(MethodError, match="complete cases"):
        W.pca_coinr_weights(np.array([[1.0, np.nan], [2.0, 1.0], [np.nan, 3.0], [4.0, 4.0]]))


def _with_correlation(r: np.ndarray, n: int = 9, seed: int = 5) -> np.ndarray:
    """Data whose sample correlation matrix is ``r`` (to rounding): centred
    orthonormal columns times the Cholesky factor of ``r``."""
    z = np.random.default_rng(seed).normal(size=(n, r.shape[0]))
    z -= z.mean(axis=0)
    q = np.linalg.qr(z)[0]  # orthonormal, still centred (columns span centred vectors)
    return 10.0 + 3.0 * q @ np.linalg.cholesky(r).T


def test_factor_analysis_worked_example_by_hand() -> None:
    # The Handbook (OECD/JRC 2008, sect. 6.1) procedure on a 3-indicator example
    # whose correlation matrix is known exactly:
    #   R = [[1, .6, 0], [.6, 1, 0], [0, 0, 1]]
    # eigenvalues 1.6, 1.0, 0.4 (shares 8/15, 1/3, 2/15), eigenvectors
    # (1, 1, 0)/sqrt2, (0, 0, 1), (1, -1, 0)/sqrt2.  With a 20 % share
    # threshold two factors are kept; loadings = eigenvector * sqrt(eigenvalue):
    # F1 = (sqrt .8, sqrt .8, 0), F2 = (0, 0, 1) -- already a simple structure,
    # so varimax keeps it.  Squared loadings scaled to unit sum per factor:
    # F1 (.5, .5, 0), F2 (0, 0, 1); factor weights 1.6/2.6 and 1/2.6;
    # indicator weights (.8/2.6, .8/2.6, 1/2.6) = (4/13, 4/13, 5/13).
    r = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, 0.0], [0.0, 0.0, 1.0]])
    x = _with_correlation(r)
    np.testing.assert_allclose(np.corrcoef(x, rowvar=False), r, atol=1e-14)
    for rotation in ("varimax", "none"):
        res = W.factor_analysis(x, min_variance_share=0.2, rotation=rotation)  # type: ignore[arg-type]
        np.testing.assert_allclose(res.eigenvalues, [1.6, 1.0, 0.4], rtol=1e-13)
        np.testing.assert_allclose(res.variance_share, [8 / 15, 1 / 3, 2 / 15], rtol=1e-13)
        assert res.n_factors == 2
        assert res.n_used == 9
        lo = np.abs(res.loadings)
        np.testing.assert_allclose(lo, [[np.sqrt(0.8), 0], [np.sqrt(0.8), 0], [0, 1]], atol=1e-12)
        np.testing.assert_allclose(
            res.scaled_squared_loadings, [[0.5, 0], [0.5, 0], [0, 1]], atol=1e-12
        )
        np.testing.assert_array_equal(res.factor_of, [0, 0, 1])
        np.testing.assert_allclose(res.factor_weights, [1.6 / 2.6, 1 / 2.6], rtol=1e-12)
        np.testing.assert_allclose(res.weights, [4 / 13, 4 / 13, 5 / 13], rtol=1e-12)
    np.testing.assert_allclose(W.pca_oecd_weights(x, min_variance_share=0.2),
                               [4 / 13, 4 / 13, 5 / 13], rtol=1e-12)
    # default retention (10 % share) keeps the third factor (13.3 %)
    assert W.factor_analysis(x).n_factors == 3


def test_factor_analysis_loadings_are_scaled_eigenvectors_independently() -> None:
    # Independent route: SVD of the standardised data.  Eigenvalues of the
    # correlation matrix are s^2 / (n - 1); a loading is the correlation of an
    # indicator with a component's scores; shares are eigenvalue / m.
    rng = _rng(11)
    f = rng.normal(size=(40, 2))
    x = np.column_stack([f[:, 0] + 0.3 * rng.normal(size=40),
                         f[:, 0] + 0.5 * rng.normal(size=40),
                         f[:, 1] + 0.4 * rng.normal(size=40),
                         f[:, 1] - 0.2 * f[:, 0] + 0.6 * rng.normal(size=40),
                         rng.normal(size=40)])
    res = W.factor_analysis(x, rotation="none", min_variance_share=0.0, min_cumulative=None)
    zs = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    _, s, vt = np.linalg.svd(zs, full_matrices=False)
    ev = s**2 / (x.shape[0] - 1)
    np.testing.assert_allclose(res.eigenvalues, ev, rtol=1e-12)
    np.testing.assert_allclose(res.variance_share, ev / 5, rtol=1e-12)
    assert res.variance_share.sum() == pytest.approx(1.0, rel=1e-14)
    scores = zs @ vt.T
    corr = np.array([[np.corrcoef(x[:, j], scores[:, k])[0, 1] for k in range(5)]
                     for j in range(5)])
    k = res.n_factors
    assert k == 5  # every factor kept with these thresholds
    np.testing.assert_allclose(np.abs(res.loadings), np.abs(corr[:, :k]), atol=1e-10)
    np.testing.assert_allclose(np.abs(res.loadings), np.abs(vt.T[:, :k]) * np.sqrt(ev[:k]),
                               atol=1e-12)
    # steps 4-6 from these loadings (no rotation), computed here
    sq = corr[:, :k] ** 2
    q = sq / sq.sum(axis=0)
    phi = sq.sum(axis=0) / sq.sum()
    fo = np.argmax(sq, axis=1)
    w = phi[fo] * q[np.arange(5), fo]
    np.testing.assert_allclose(res.weights, w / w.sum(), rtol=1e-9)


def test_retain_factors_share_threshold_is_strict() -> None:
    # shares 0.5, 0.25, 0.25: "share > 25 %" keeps only the first factor
    assert W.retain_factors([2.0, 1.0, 1.0], min_variance_share=0.25, min_cumulative=None) == 1
    assert W.retain_factors([2.0, 1.0, 1.0], min_variance_share=0.2, min_cumulative=None) == 3
    # Kaiser: eigenvalue > 1 strictly
    assert W.retain_factors([2.0, 1.0, 0.5, 0.5], min_eigenvalue=1.0, min_variance_share=None,
                            min_cumulative=None) == 1
    # the cumulative rule adds factors until 60 % is reached: 0.4, +0.2 = 0.6
    assert W.retain_factors([2.0, 1.0, 1.0, 1.0], min_variance_share=0.3,
                            min_cumulative=0.6) == 2
