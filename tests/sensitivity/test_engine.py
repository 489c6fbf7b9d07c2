"""Engine: replicate-by-replicate equality with evaluate(), bitwise identity
across chunk sizes and executors, the per-row randomness scheme."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from helpers import asem
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import (
    AggregateSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
)
from xiangcun_eval.sensitivity.api import replay, sensitivity, uncertainty
from xiangcun_eval.sensitivity.engine import philox_rows
from xiangcun_eval.sensitivity.space import (
    AggregateAlternatives,
    DataNoise,
    Exclusion,
    ImputeAlternatives,
    NormaliseAlternatives,
    ParameterRange,
    UncertaintySpace,
    WeightDirichlet,
    WeightNoise,
    WeightSets,
)

NORM = NormaliseAlternatives(alternatives=(
    NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
    NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0})))
AGG = AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                          AggregateSpec(method="geometric")))
COINR = UncertaintySpace(factors=[WeightNoise(levels=(2, 3), noise=0.25), NORM, AGG])
RICH = UncertaintySpace(factors=[
    WeightNoise(levels=(2, 3), noise=0.25),
    WeightDirichlet(levels=(1,), concentration=40.0, per="group"),
    WeightSets(sets=({"Conn": 1.0, "Sust": 1.0}, {"Conn": 3.0, "Sust": 1.0})),
    NORM, AGG,
    ImputeAlternatives(alternatives=(ImputeSpec(method="group_mean", group_by="EurAsia_group"),
                                     ImputeSpec(method="mean"))),
    Exclusion(candidates=("Physical", "Social", "LPI"), k=1),
    ParameterRange(path="treat.params.winmax", low=2, high=5, integer=True),
])


def _check_replay(space: UncertaintySpace, rows: list[int], n: int = 300,
                  m: Methodology | None = None, **kw: Any) -> None:
    data, m0 = asem()
    m = m0 if m is None else m
    res = uncertainty(data, m, space, n=n, seed=11, keep_replicates=True, **kw)
    assert res.scores is not None and res.ranks is not None
    for i, (mi, di) in zip(rows, replay(data, m, space, seed=11, rows=rows, **kw), strict=True):
        ev = evaluate(di, mi)
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
        ev = evaluate(di, mi)
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
        ev = evaluate(di, mi)
        np.testing.assert_allclose(ev.index, flat_s[i], rtol=0, atol=1e-10)
        np.testing.assert_array_equal(ev.rank, flat_r[i])


def test_saltelli_blocks_share_columns() -> None:
    data, m = asem()
    res = sensitivity(data, m, COINR, n=8, seed=2, n_boot=0, keep_outputs=True)
    assert res.scores is not None
    # AB_i differs from A only through factor i: with aggregation moved, AB_3 rows whose
    # aggregation choice equals A's are identical to A.
    assert res.scores.shape == (5, 8, data.n_units)


def test_philox_rows_chunk_invariant() -> None:
    key = np.asarray(np.random.SeedSequence(9).generate_state(2, np.uint64), dtype=np.uint64)
    full = philox_rows(key, 0, 50, 7)
    parts = np.vstack([philox_rows(key, a, b, 7) for a, b in ((0, 3), (3, 4), (4, 33), (33, 50))])
    assert np.array_equal(full, parts)
    assert full.min() >= 0 and full.max() < 1


def _fields(r: Any) -> dict[str, Any]:
    keys = ("score_mean", "score_sd", "score_median", "rank_mean", "rank_sd", "rank_median",
            "rank_quantiles", "score_quantiles", "grade_prob", "top_prob", "mean_abs_shift",
            "replicate_shift")
    return {k: getattr(r, k) for k in keys}


def _assert_bitwise(a: Any, b: Any) -> None:
    for k, v in _fields(a).items():
        w = _fields(b)[k]
        assert np.array_equal(v, w, equal_nan=True), k
        assert v.tobytes() == w.tobytes(), k


def test_bitwise_identity_chunks_and_executors() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=400, seed=4)
    ref = uncertainty(data, m, RICH, **kw)
    _assert_bitwise(ref, uncertainty(data, m, RICH, chunk_size=64, **kw))
    _assert_bitwise(ref, uncertainty(data, m, RICH, chunk_size=192, **kw))
    with ThreadPoolExecutor(3) as ex:
        _assert_bitwise(ref, uncertainty(data, m, RICH, executor=ex, chunk_size=128, **kw))
    with ProcessPoolExecutor(2) as ex:
        _assert_bitwise(ref, uncertainty(data, m, RICH, executor=ex, chunk_size=64, **kw))
    keep = uncertainty(data, m, RICH, keep_replicates=True, **kw)
    keep2 = uncertainty(data, m, RICH, keep_replicates=True, chunk_size=64, **kw)
    assert keep.scores is not None and keep2.scores is not None
    assert keep.scores.tobytes() == keep2.scores.tobytes()
    # the streamed means agree with the exact ones to rounding, quantiles exactly
    np.testing.assert_allclose(ref.score_mean, keep.score_mean, rtol=1e-12)
    np.testing.assert_array_equal(ref.rank_quantiles, keep.rank_quantiles)
    np.testing.assert_array_equal(ref.rank_median, keep.rank_median)
    np.testing.assert_allclose(ref.grade_prob, keep.grade_prob)
    np.testing.assert_allclose(ref.rank_sd, keep.rank_sd, rtol=1e-12)


def test_sensitivity_bitwise_identity() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=64, seed=8, n_boot=50)
    a = sensitivity(data, m, COINR, **kw)
    with ThreadPoolExecutor(2) as ex:
        b = sensitivity(data, m, COINR, executor=ex, chunk_size=64, **kw)
    c = sensitivity(data, m, COINR, chunk_size=64, **kw)
    for other in (b, c):
        assert a.summary.first.tobytes() == other.summary.first.tobytes()
        assert a.rank.total.tobytes() == other.rank.total.tobytes()
        assert a.summary_output is not None and other.summary_output is not None
        assert a.summary_output.tobytes() == other.summary_output.tobytes()


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


@pytest.mark.parametrize("bad", ["minmax0"])
def test_invalid_combination_reported_before_running(bad: str) -> None:
    data, m = asem()
    sp = UncertaintySpace(factors=[
        NormaliseAlternatives(alternatives=(
            NormaliseSpec(method="minmax", params={"lower": 0.0, "upper": 100.0}),
            NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}))),
        AGG])
    calls: list[int] = []
    with pytest.raises(Exception) as exc:
        uncertainty(data, m, sp, n=100, seed=1, progress=lambda d, t: calls.append(d))
    msg = str(exc.value)
    assert "无效的方法组合" in msg and "invalid method combination" in msg
    assert "lower=0.0" in msg and "geometric" in msg
    assert "lower=1.0" not in msg.split("Fix")[0]  # the valid one is not blamed
    assert calls == []  # nothing ran


def test_fast_path_equals_level_by_level_aggregation() -> None:
    """The linear fast path (one product for all levels) against aggregate_tree,
    on data with missing values (no imputation) for both means."""
    from xiangcun_eval.sensitivity import engine as eng

    data, m = asem()
    m = m.replace(impute=ImputeSpec(method="none"), normalise=NORM.alternatives[0])
    nominal = evaluate(data, m)
    assert np.isnan(nominal.level_scores[0]).any()
    kw: dict[str, Any] = dict(seed=3, sampling="random", nominal_index=nominal.index,
                              nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0])
    fast = eng.build_context(data, m, COINR, **kw)
    slow = eng.build_context(data, m, COINR, fast=False, **kw)
    assert all(c.fast is not None for c in fast.combos.values())
    fps = [c.fast for c in fast.combos.values() if c.fast is not None]
    assert any(fp.partial for fp in fps)  # missing children corrected
    u = eng.ua_rows(fast, 0, 200)
    a, _ = eng.compute_rows(fast, u)
    b, _ = eng.compute_rows(slow, u)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-10)
    from xiangcun_eval.methods.rank import rank_desc

    np.testing.assert_array_equal(rank_desc(a), rank_desc(b))


def test_fast_path_with_groups_without_data() -> None:
    """Units with a whole pillar missing: renormalisation above level 2."""
    from xiangcun_eval.sensitivity import engine as eng

    data, m = asem()
    vals = np.array(data.values)
    fw = data.framework
    pillar = [fw.indicator_codes.index(c) for c in fw.children(fw.level_codes(2)[0])]
    vals[np.ix_([0, 3, 7], pillar)] = np.nan
    sust = [j for j, c in enumerate(fw.indicator_codes) if fw.ancestor(c, 3) == "Sust"]
    vals[np.ix_([9], sust)] = np.nan  # a whole sub-index
    d2 = data.with_values(vals)
    m = m.replace(impute=ImputeSpec(method="none"), normalise=NORM.alternatives[0])
    nominal = evaluate(d2, m)
    kw: dict[str, Any] = dict(seed=3, sampling="random", nominal_index=nominal.index,
                              nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0])
    fast = eng.build_context(d2, m, COINR, **kw)
    slow = eng.build_context(d2, m, COINR, fast=False, **kw)
    fps = [c.fast for c in fast.combos.values() if c.fast is not None]
    assert fps and all(len(fp.patterns) >= 3 for fp in fps)
    u = eng.ua_rows(fast, 0, 130)
    a, _ = eng.compute_rows(fast, u)
    b, _ = eng.compute_rows(slow, u)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-10)


def test_grades_match_kernel_and_ranks_match_scipy() -> None:
    from scipy.stats import rankdata

    from xiangcun_eval.methodology import GradingSpec
    from xiangcun_eval.methods.rank import grade, rank_desc
    from xiangcun_eval.sensitivity.engine import grades_of

    rng = np.random.default_rng(0)
    x = rng.integers(0, 12, size=(50, 40)).astype(float) * 10.0  # many ties, on thresholds
    x[rng.random(x.shape) < 0.1] = np.nan
    r = rank_desc(x, axis=-1)
    for row, rr in zip(x, r, strict=True):
        ok = ~np.isnan(row)
        np.testing.assert_array_equal(rr[ok], rankdata(-row[ok], method="min"))
        assert np.isnan(rr[~ok]).all()
    spec = GradingSpec()
    np.testing.assert_array_equal(grades_of(x, spec), grade(x, np.asarray(spec.thresholds)))
