"""Tests for explain.py: a unit's effective weights, contributions and profile."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_data
from xiangcun_eval import explain
from xiangcun_eval.evaluate import evaluate


def test_effective_weights_renormalise_over_available_indicators() -> None:
    d = small_data(n=30, missing=0.15, seed=2)
    ev = evaluate(d)
    z = ev.level_scores[0]
    for i, unit in enumerate(d.units[:10]):
        eff = explain.unit_effective_weights(ev, unit)
        avail = ~np.isnan(z[i])
        assert np.all(eff[~avail] == 0.0)
        if not np.isnan(ev.index[i]):
            assert eff.sum() == pytest.approx(1.0, abs=1e-12)  # arithmetic means: weights sum to 1
            assert float(eff @ np.nan_to_num(z[i])) == pytest.approx(ev.index[i], abs=1e-9)


def test_methods_are_these_functions() -> None:
    d = small_data(n=20, missing=0.1, seed=3)
    ev = evaluate(d)
    u = d.units[4]
    assert ev.contribution_table(u).render(12) == explain.contribution_table(ev, u).render(12)
    assert ev.profile(u, 2).render(12) == explain.profile(ev, u, 2).render(12)
    prof = explain.profile(ev, u, 2)
    kinds = prof.column("类别 kind")
    assert kinds.count("优势 strength") == 2
    assert kinds.count("短板 weakness") == 2
    with pytest.raises(KeyError, match="nope"):
        explain.contribution_table(ev, "nope")
    with pytest.raises(KeyError, match="nope"):
        explain.unit_effective_weights(ev, "nope")
