"""replay(): every replicate, replayed with evaluate(), gives the engine's numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers import asem
from spaces import AGG, COINR, NORM, RICH
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import (
    Methodology,
    NormaliseSpec,
)
from xiangcun_eval.sensitivity.replay import replay
from xiangcun_eval.sensitivity.sobol import sensitivity
from xiangcun_eval.sensitivity.space import (
    DataNoise,
    ParameterRange,
    UncertaintySpace,
    WeightDirichlet,
    WeightNoise,
)
from xiangcun_eval.sensitivity.uncertainty import uncertainty


def _check_replay(space: UncertaintySpace, rows: list[int], n: int = 300,
                  m: Methodology | None = None, **kw: Any) -> None:
    data, m0 = asem()
    m = m0 if m is None else m
    res = uncertainty(data, m, space, n=n, seed=11, keep_replicates=True, **kw)
    assert res.scores is not None and res.ranks is not None
    for i, (mi, di) in zip(rows, replay(data, m, space, seed=11, rows=rows, **kw), strict=True):
        ev = evaluate(di, mi, check_scale=False)
        np.testing.assert_allclose(ev.index, res.scores[i], rtol=0, atol=1e-10)
        np.testing.assert_array_equal(ev.rank, res.ranks[i])


def test_replicates_equal_evaluate_coinr_space() -> None:
    _check_replay(COINR, [0, 1, 7, 63, 64, 150, 299])


def test_replicates_equal_evaluate_rich_space() -> None:
    _check_replay(RICH, [0, 3, 64, 130, 299])


def test_replicates_equal_evaluate_sobol_and_continuous() -> None:
    sp = UncertaintySpace(factors=[
        NORM, ParameterRange(path="normalise_by_indicator.LPI.params.upper", low=50, high=150),
        WeightNoise(levels=(1,), noise=0.3)])
    data, m = asem()
    m = m.replace(normalise_by_indicator={
        "LPI": NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0})})
    res = uncertainty(data, m, sp, n=16, seed=3, keep_replicates=True, sampling="sobol")
    assert res.scores is not None and res.ranks is not None
    rows = [0, 5, 15]
    for i, (mi, di) in zip(rows, replay(data, m, sp, seed=3, rows=rows, sampling="sobol"),
                           strict=True):
        ev = evaluate(di, mi, check_scale=False)
        np.testing.assert_allclose(ev.index, res.scores[i], rtol=0, atol=1e-10)
        np.testing.assert_array_equal(ev.rank, res.ranks[i])
        assert 50 <= mi.normalise_by_indicator["LPI"].params["upper"] <= 150


def test_replicates_equal_evaluate_data_noise() -> None:
    sp = UncertaintySpace(factors=[DataNoise(relative=0.05, by_indicator={"LPI": 0.2}), AGG])
    m = asem()[1].replace(normalise=NORM.alternatives[0])
    _check_replay(sp, [0, 9], n=10, m=m)


def test_sensitivity_rows_equal_evaluate() -> None:
    data, m = asem()
    n = 16
    res = sensitivity(data, m, COINR, n=n, seed=5, n_boot=0, keep_outputs=True)
    assert res.scores is not None and res.ranks is not None
    rows = [0, n + 3, 2 * n + 5, 4 * n + 15]  # A, B, AB_1, AB_3
    reps = replay(data, m, COINR, seed=5, rows=rows, analysis="sensitivity", n=n)
    flat_s = res.scores.reshape(-1, data.n_units)
    flat_r = res.ranks.reshape(-1, data.n_units)
    for i, (mi, di) in zip(rows, reps, strict=True):
        ev = evaluate(di, mi, check_scale=False)
        np.testing.assert_allclose(ev.index, flat_s[i], rtol=0, atol=1e-10)
        np.testing.assert_array_equal(ev.rank, flat_r[i])


def test_dirichlet_mean_is_nominal() -> None:
    data, m = asem()
    sp = UncertaintySpace(factors=[WeightDirichlet(levels=(2,), concentration=200.0)])
    reps = replay(data, m, sp, seed=1, rows=list(range(200)))
    fw = data.framework
    pillars = fw.level_codes(2)
    w = np.array([[mi.weight_overrides[c] for c in pillars] for mi, _ in reps])
    nominal = evaluate(data, m).weights[1]  # weights of the level-2 nodes
    np.testing.assert_allclose(w.mean(axis=0), nominal, atol=0.02)
    assert w.std(axis=0).max() > 0.005

