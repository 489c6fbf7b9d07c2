"""Tests of methods/weights/frontier.py: benefit-of-the-doubt per-unit weights."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_bod_frontier_and_hand_example() -> None:
    x = np.array([[1.0, 0.2], [0.2, 1.0], [0.5, 0.5], [0.4, 0.4]])
    r = W.benefit_of_doubt(x)
    # unit 2: max .5(w1 + w2) s.t. w1 + .2w2 <= 1, .2w1 + w2 <= 1 -> w1 = w2 = 5/6
    assert np.allclose(r.scores, [1.0, 1.0, 5 / 6, 2 / 3])
    assert np.allclose((r.weights * x).sum(1), r.scores)
    assert r.weights.shape == (4, 2)
    assert np.all(r.weights >= -1e-12)
    # every unit that is best on some indicator scores 1
    y = _rng(4).uniform(0, 1, (15, 4))
    s = W.benefit_of_doubt(y).scores
    assert np.allclose(s[np.unique(np.argmax(y, axis=0))], 1.0)
    assert np.all((s >= 0) & (s <= 1))


def test_bod_pie_share_constraint_hand_example() -> None:
    # unit 0 with shares >= 0.3: S = 1 / (0.2 + 4.8·0.3) (see docs/methods-weights.md)
    x = np.array([[1.0, 0.2], [0.2, 1.0], [0.5, 0.5]])
    r = W.benefit_of_doubt(x, lower_share=0.3)
    assert r.scores[0] == pytest.approx(1 / 1.64, rel=1e-8)
    share = r.weights[0] * x[0] / r.scores[0]
    assert share.min() >= 0.3 - 1e-9


def test_bod_scale_invariance_and_errors() -> None:
    y = _rng(6).uniform(0.1, 1, (12, 3))
    s = W.benefit_of_doubt(y, lower_share=0.1, upper_share=0.6).scores
    s2 = W.benefit_of_doubt(y * [10, 0.01, 3], lower_share=0.1, upper_share=0.6).scores
    assert np.allclose(s, s2, atol=1e-8)
    assert W.bod_weights(y).shape == (12, 3)
    with pytest.raises(MethodError, match="missing"):
        W.benefit_of_doubt(np.array([[1.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(MethodError, match="non-negative"):
        W.benefit_of_doubt(np.array([[1.0, -1.0], [1.0, 2.0]]))
    with pytest.raises(MethodError, match="infeasible"):
        W.benefit_of_doubt(y, lower_share=0.5)
