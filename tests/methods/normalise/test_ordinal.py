"""Tests of methods/normalise/ordinal.py: rank, Borda, percentile
(reference: scipy.stats.rankdata 'min')."""

from __future__ import annotations

import numpy as np
import scipy.stats as st  # type: ignore[import-untyped]

from normalise_cases import BEN, MIX, X
from xiangcun_eval.methods import normalise as nz

nan = np.nan


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
