"""Correlation, reliability and PCA kernels against pandas (pairwise-complete,
as R), scipy, factor_analyzer (KMO, Bartlett) and the textbook formulas."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import xiangcun_eval as xe
from helpers import peer
from xiangcun_eval.analysis.coherence import (
    bartlett_sphericity,
    corr_pvalues,
    corr_with_pvalues,
    cronbach_alpha,
    kmo,
    pairwise_corr,
    pairwise_cov,
    pca,
)


def _data(n: int = 70, k: int = 6, missing: float = 0.1, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k))
    x[:, 1] += x[:, 0]
    x[:, 2] -= 0.5 * x[:, 0]
    if k > 4:
        x[:6, 3] = 1.0  # ties
        x[10:15, 4] = 2.0
    if missing:
        x[rng.random(x.shape) < missing] = np.nan
    return x


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_pairwise_correlations_equal_pandas(method: str) -> None:
    pd = peer("pandas")
    x = _data()
    r, n = pairwise_corr(x, method=method)  # type: ignore[arg-type]
    ref = pd.DataFrame(x).corr(method=method).to_numpy()
    np.testing.assert_allclose(r, ref, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(n, (~np.isnan(x)).T.astype(float) @ (~np.isnan(x)).astype(float))
    y = _data(k=3, seed=5)
    r2, _ = pairwise_corr(x, y, method=method)  # type: ignore[arg-type]
    both = pd.concat([pd.DataFrame(x), pd.DataFrame(y, columns=[10, 11, 12])], axis=1)
    np.testing.assert_allclose(r2, both.corr(method=method).to_numpy()[:6, 6:], atol=1e-12)


def test_complete_data_fast_path() -> None:
    x = _data(missing=0.0)
    r, _ = pairwise_corr(x, method="spearman")
    ref = np.corrcoef(np.column_stack([stats.rankdata(c) for c in x.T]), rowvar=False)
    np.testing.assert_allclose(r, ref, atol=1e-13)
    rp, n = pairwise_corr(x)  # complete data: one matrix product
    np.testing.assert_allclose(rp, np.corrcoef(x, rowvar=False), atol=1e-14)
    assert (n == x.shape[0]).all()
    const = x.copy()
    const[:, 1] = 2.0
    assert np.isnan(pairwise_corr(const)[0][1]).all()


def test_pvalues_equal_scipy() -> None:
    x = _data()
    for method, fn in (("pearson", stats.pearsonr), ("spearman", stats.spearmanr),
                       ("kendall", stats.kendalltau)):
        r, n = pairwise_corr(x, method=method)  # type: ignore[arg-type]
        p = corr_pvalues(r, n, method, x)  # type: ignore[arg-type]
        ok = ~np.isnan(x[:, 0]) & ~np.isnan(x[:, 2])
        assert p[0, 2] == pytest.approx(fn(x[ok, 0], x[ok, 2]).pvalue, rel=1e-9), method
    with pytest.raises(xe.MethodError):
        corr_pvalues(r, n, "kendall")
    for method in ("pearson", "spearman", "kendall"):
        r1, n1 = pairwise_corr(x, method=method)  # type: ignore[arg-type]
        r2, _, p2 = corr_with_pvalues(x, method=method)  # type: ignore[arg-type]
        np.testing.assert_array_equal(r1, r2)
        np.testing.assert_allclose(p2, corr_pvalues(r1, n1, method, x), atol=1e-15)  # type: ignore[arg-type]


def test_cronbach_coinr_formula_and_pairwise_cov() -> None:
    pd = peer("pandas")
    x = _data()
    c = pd.DataFrame(x).cov().to_numpy()  # pairwise complete, ddof 1 (as R)
    np.testing.assert_allclose(pairwise_cov(x), c, atol=1e-13)
    k = x.shape[1]
    sig_ij = (c.sum() - np.trace(c)) / (k * k - k)  # COINr test-correlations.R
    assert cronbach_alpha(x) == pytest.approx(k * k * sig_ij / c.sum(), abs=1e-13)
    assert cronbach_alpha(x) == pytest.approx(k / (k - 1) * (1 - np.trace(c) / c.sum()))
    with pytest.raises(xe.MethodError):
        cronbach_alpha(x[:, :1])


def test_pca_equals_prcomp_definition() -> None:
    x = _data(missing=0.05)
    res = pca(x)
    xc = x[~np.isnan(x).any(axis=1)]
    z = (xc - xc.mean(0)) / xc.std(0, ddof=1)
    _, s, vt = np.linalg.svd(z, full_matrices=False)  # prcomp(center, scale)
    np.testing.assert_allclose(res.eigenvalues, s**2 / (xc.shape[0] - 1), atol=1e-12)
    np.testing.assert_allclose(np.abs(res.loadings), np.abs(vt.T), atol=1e-10)
    assert np.all(res.loadings.sum(axis=0) > 0)  # sign convention
    assert res.explained.sum() == pytest.approx(1.0)
    assert res.n_used + res.n_dropped == x.shape[0]


def test_kmo_and_bartlett_equal_factor_analyzer() -> None:
    fa = peer("factor_analyzer.factor_analyzer")
    pd = peer("pandas")
    x = _data(n=120, missing=0.0, seed=3)
    msa_ref, kmo_ref = fa.calculate_kmo(pd.DataFrame(x))
    k, msa = kmo(x)
    assert k == pytest.approx(kmo_ref, abs=1e-12)
    np.testing.assert_allclose(msa, msa_ref, atol=1e-12)
    chi2, df, p = bartlett_sphericity(x)
    chi2_ref, p_ref = fa.calculate_bartlett_sphericity(pd.DataFrame(x))
    assert chi2 == pytest.approx(chi2_ref, rel=1e-12)
    assert p == pytest.approx(p_ref, abs=1e-15)
    assert df == 15


def test_bad_input() -> None:
    x = _data()
    with pytest.raises(xe.MethodError):
        pairwise_corr(x, method="pearsn")  # type: ignore[arg-type]
    with pytest.raises(xe.MethodError):
        pca(x[:, :1])
    with pytest.raises(xe.MethodError, match="3 units"):
        pca(np.full((5, 3), np.nan))
    const = _data(missing=0.0)
    const[:, 2] = 1.0
    with pytest.raises(xe.MethodError, match="constant"):
        pca(const)
