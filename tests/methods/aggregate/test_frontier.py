"""Tests of methods/aggregate/frontier.py: benefit-of-the-doubt aggregation
(reference: unpruned scipy linprog per unit)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog  # type: ignore[import-untyped, unused-ignore]

from aggregate_cases import MEM, G, data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag
from xiangcun_eval.methods.aggregate import frontier

nan = np.nan


def test_bod_hand_example() -> None:
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.4, 0.4], [0.0, 0.0]])
    out = ag.bod(x, np.ones(2), np.zeros(2, dtype=np.intp), 1)
    np.testing.assert_allclose(out[:, 0], [1.0, 1.0, 1.0, 0.8, 0.0], atol=1e-9)


def test_bod_matches_unpruned_lp_and_missing() -> None:
    x = data(25, 5, seed=14, lo=0.0, hi=1.0)
    x[3, 1] = nan
    x[7, 3:] = nan
    out = ag.bod(x, np.ones(5), MEM, G)
    y = np.nan_to_num(x)
    for i in range(25):
        for grp in range(G):
            av = np.equal(MEM, grp) & ~np.isnan(x[i])
            if not av.any():
                assert np.isnan(out[i, grp])
                continue
            res = linprog(-y[i, av], A_ub=y[:, av], b_ub=np.ones(25), bounds=(0, None),
                          method="highs")
            assert out[i, grp] == pytest.approx(-res.fun, abs=1e-8)
    assert np.nanmax(out) == pytest.approx(1.0)


def test_bod_rejects_negative_and_replicates() -> None:
    x = data(5, 5, lo=0.0, hi=1.0)
    with pytest.raises(MethodError, match="replicates"):
        ag.bod(np.stack([x, x]), np.ones(5), MEM, G)
    x[1, 2] = -0.1
    with pytest.raises(MethodError, match="non-negative"):
        ag.bod(x, np.ones(5), MEM, G)


def test_bod_batches_independent(monkeypatch: pytest.MonkeyPatch) -> None:
    x = data(23, 5, seed=15, lo=0.0, hi=1.0, missing=0.1)
    a = ag.bod(x, np.ones(5), MEM, G)
    monkeypatch.setattr(frontier, "_BOD_BATCH", 4)
    np.testing.assert_allclose(ag.bod(x, np.ones(5), MEM, G), a, atol=1e-9)
