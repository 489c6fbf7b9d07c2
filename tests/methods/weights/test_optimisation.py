"""Tests of methods/weights/optimisation.py: COINr-style optimised weights."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.methods import weights as W


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_optimise_balance_improves_balance() -> None:
    rng = _rng(8)
    f = rng.normal(size=(60, 1))
    c = np.column_stack(
        [f[:, 0] + rng.normal(0, s, 60) for s in (0.2, 0.6, 1.5)] + [rng.normal(size=60)]
    )
    start = W.optimise_balance(c, maxiter=1)
    res = W.optimise_balance(c, reltol=1e-6, maxiter=2000)
    assert res.weights.sum() == pytest.approx(1.0)
    assert np.all(res.weights >= 0)
    assert res.objective < start.objective
    cr_n = res.correlations / res.correlations.sum()
    assert np.abs(cr_n - 0.25).max() < 0.05
    assert res.n_eval <= 2000  # log(mse) keeps falling: tight reltol hits maxiter
    # COINr defaults (reltol 0.1, maxiter 500) converge quickly here
    d = W.optimise_balance(c)
    assert d.converged
    assert d.n_eval <= 500
    assert isinstance(d.message, str)
    info = W.optimise_balance(c, optype="infomax", reltol=1e-6, maxiter=2000)
    eq = W.optimise_balance(c, optype="infomax", maxiter=1)
    assert info.correlations.sum() >= eq.correlations.sum() - 1e-12
    sp = W.optimise_balance(c, cortype="spearman", target=[2, 1, 1, 1])
    assert np.allclose(sp.target, [0.4, 0.2, 0.2, 0.2])
    g = W.optimise_balance(
        np.abs(c) + 1, aggregate=lambda x, w: np.exp(np.log(x) @ w / w.sum()), maxiter=100
    )
    assert g.weights.sum() == pytest.approx(1.0)
