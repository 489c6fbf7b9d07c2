"""effective_importance(): effective importance against nominal weights."""

from __future__ import annotations

import numpy as np

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
    assert "主效应 main effect S_i" in t.columns and len(t) == 49
    # Paruolo et al.: the ranking of importance differs from the ranking of weights
    assert np.isfinite(imp.main_effect).sum() == 49

