"""Tests of methods/weights/combination.py: combined subjective/objective weights."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _positive(n: int = 12, m: int = 5, seed: int = 0) -> np.ndarray:
    return _rng(seed).uniform(1.0, 10.0, (n, m))


def test_combine_weights() -> None:
    ws, wo = np.array([0.5, 0.3, 0.2]), np.array([1.0, 1.0, 2.0])
    assert np.allclose(W.combine_weights(ws, wo, alpha=0.4), 0.4 * ws + 0.6 * wo / 4)
    m = ws * wo / 4
    assert np.allclose(W.combine_weights(ws, wo, rule="multiplicative"), m / m.sum())
    with pytest.raises(MethodError, match="length"):
        W.combine_weights(ws, wo[:2])
    with pytest.raises(MethodError, match="alpha"):
        W.combine_weights(ws, wo, alpha=2)
    x = _positive(10, 3)
    a = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    got = W.combined_weights(
        x,
        subjective={"name": "ahp", "params": {"matrix": a.tolist()}},
        objective={"name": "entropy", "params": {"convention": "shifted_minmax"}},
        direction=[1, -1, 1],
    )
    ref = 0.5 * W.ahp(a).weights + 0.5 * W.entropy_weights(
        x, convention="shifted_minmax", direction=[1, -1, 1]
    )
    assert np.allclose(got, ref)
    with pytest.raises(MethodError, match="cannot be a component"):
        W.combined_weights(x, subjective={"name": "bod"}, objective={"name": "equal"})
