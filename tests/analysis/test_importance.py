"""effective_importance(): effective importance against nominal weights."""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from helpers import asem
from xiangcun_eval.analysis.importance import effective_importance
from xiangcun_eval.evaluate import evaluate


def test_effective_importance() -> None:
    data, m = asem()
    ev = evaluate(data, m)
    imp = effective_importance(ev)
    assert imp.main_effect.shape == (49,)
    np.testing.assert_allclose(imp.nominal_weight.sum(), 1.0)
    assert np.all(imp.main_effect[np.isfinite(imp.main_effect)] < 1.0)
    t = imp.table()
    assert "主效应 main effect S_i" in t.columns
    assert len(t) == 49
    assert np.isfinite(imp.main_effect).sum() == 49
    # Paruolo et al.: the ranking of importance differs from the ranking of weights.
    # On ASEM (5 distinct nominal weights) the two are even negatively rank-correlated
    # (Spearman -0.37), and the most important indicator is not the most weighted one.
    rho = spearmanr(imp.main_effect, imp.nominal_weight)[0]
    assert rho < 0.0
    assert np.argmax(imp.main_effect) != np.argmax(imp.nominal_weight)
    # importance is not weight
    assert imp.ratio.max() > 2.0
    assert imp.ratio.min() < 0.5

