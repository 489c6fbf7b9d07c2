"""Correlation-ratio main effect (Paruolo et al. 2013; Kelley 1935)."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.sensitivity.main_effect import correlation_ratio_main_effect


def test_correlation_ratio_linear_model() -> None:
    rng = np.random.default_rng(3)
    n = 2**14
    x = np.column_stack(
        [rng.uniform(0, 1, n), rng.normal(0, 2, n), rng.uniform(-1, 3, n), rng.exponential(1.0, n)]
    )
    b = np.array([2.0, 0.5, -1.0, 0.3])
    var_x = np.array([1 / 12, 4.0, 16 / 12, 1.0])
    expected = b**2 * var_x / np.sum(b**2 * var_x)
    y = x @ b
    eff = correlation_ratio_main_effect(x, y)
    assert eff.shape == (4,)
    np.testing.assert_allclose(eff, expected, atol=0.01)
    # vectorised over outputs: second output with noise added; equals per-output calls
    y2 = np.column_stack([y, y + rng.normal(0, 1.0, n)])
    eff2 = correlation_ratio_main_effect(x, y2)
    assert eff2.shape == (4, 2)
    np.testing.assert_allclose(eff2[:, 0], eff, atol=1e-12)
    np.testing.assert_allclose(eff2[:, 1], correlation_ratio_main_effect(x, y2[:, 1]), atol=1e-12)
    np.testing.assert_allclose(eff2[:, 1], b**2 * var_x / (np.sum(b**2 * var_x) + 1.0), atol=0.01)


def test_correlation_ratio_bias_correction() -> None:
    # y independent of x: eta^2 ~ (G-1)/N biased up, epsilon^2 ~ 0
    rng = np.random.default_rng(8)
    n = 2000
    x = rng.uniform(size=n)
    y = rng.normal(size=(n, 200))
    raw = correlation_ratio_main_effect(x, y, n_bins=40, bias_correction=False)
    corr = correlation_ratio_main_effect(x, y, n_bins=40)
    assert abs(raw.mean() - 39 / n) < 0.003
    assert abs(corr.mean()) < 0.002


def test_correlation_ratio_discrete_and_edge_cases() -> None:
    rng = np.random.default_rng(1)
    g = rng.integers(0, 3, size=3000).astype(float)
    y = np.array([0.0, 1.0, 5.0])[g.astype(int)]
    eff = correlation_ratio_main_effect(g, y, method="discrete", bias_correction=False)
    assert abs(float(eff) - 1.0) < 1e-12
    const = correlation_ratio_main_effect(g, np.full((3000, 2), 3.0), method="discrete")
    assert np.all(np.isnan(const))
    with pytest.raises(MethodError, match="non-finite"):
        correlation_ratio_main_effect(np.r_[g[:-1], np.nan], y)
    with pytest.raises(MethodError, match="same number of units"):
        correlation_ratio_main_effect(g, y[:-1])
    with pytest.raises(MethodError, match="n_bins"):
        correlation_ratio_main_effect(g, y, n_bins=1)



def test_correlation_ratio_closed_form_exact() -> None:
    # groups x = 0, 1, 2 with y = (1, 3), (2, 4), (6, 8): group means 2, 3, 7, grand mean 4;
    # SS_b = 2·(4 + 1 + 9) = 28, SS_t = 9 + 1 + 4 + 0 + 4 + 16 = 34, SS_w = 6, G = 3, N = 6:
    # η² = 28/34 = 14/17, Kelley ε² = (SS_b − (G − 1)·SS_w/(N − G))/SS_t = (28 − 4)/34 = 12/17
    x = np.array([0.0, 0.0, 1.0, 1.0, 2.0, 2.0])
    y = np.array([1.0, 3.0, 2.0, 4.0, 6.0, 8.0])
    raw = correlation_ratio_main_effect(x, y, method="discrete", bias_correction=False)
    corr = correlation_ratio_main_effect(x, y, method="discrete")
    assert float(raw) == pytest.approx(14 / 17, abs=1e-15)
    assert float(corr) == pytest.approx(12 / 17, abs=1e-15)
    # quantile bins: 3 equal-frequency bins of the same x give the same groups
    assert float(correlation_ratio_main_effect(x, y, n_bins=3)) == pytest.approx(12 / 17,
                                                                                 abs=1e-15)
    # every group a single unit: no correction possible
    with pytest.raises(MethodError, match="every group has one unit"):
        correlation_ratio_main_effect(np.arange(6.0), y, method="discrete")
