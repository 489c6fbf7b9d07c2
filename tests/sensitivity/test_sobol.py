"""sensitivity(): known answers on a toy index, the COINr vignette run on ASEM."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import asem
from spaces import COINR
from xiangcun_eval.framework import Framework, Group, Indicator
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.methodology import (
    ImputeSpec,
    Methodology,
)
from xiangcun_eval.methods.rank import rank_desc
from xiangcun_eval.sensitivity.estimators import sobol_indices
from xiangcun_eval.sensitivity.sobol import SensitivityResult, sensitivity
from xiangcun_eval.sensitivity.space import (
    ImputeAlternatives,
    UncertaintySpace,
    WeightNoise,
)


def toy(n_units: int = 120, seed: int = 0) -> UnitData:
    """Index = weighted mean of two groups of indicators; no missing values."""
    nodes = [
        Group(code="IDX", name_zh="指数", name_en="index", level=3),
        Group(code="A", name_zh="甲", name_en="A", level=2, parent="IDX"),
        Group(code="B", name_zh="乙", name_en="B", level=2, parent="IDX"),
    ] + [Indicator(code=f"x{j}", name_zh=f"指标{j}", name_en=f"x{j}", level=1,
                   parent="A" if j < 3 else "B") for j in range(5)]
    fw = Framework(code="toy", name_zh="玩具", name_en="toy", nodes=tuple(nodes))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_units, 5)) * [1, 2, 3, 1, 1] + rng.normal(size=(n_units, 1))
    return UnitData(framework=fw, units=tuple(f"u{i}" for i in range(n_units)),
                    names=tuple(f"单元{i}" for i in range(n_units)), values=x)


def test_factor_without_effect_has_zero_indices() -> None:
    data = toy()
    sp = UncertaintySpace(factors=[
        WeightNoise(levels=(1,), noise=0.5, name="w"),
        # no missing values: mean and median imputation give identical data
        ImputeAlternatives(alternatives=(ImputeSpec(method="mean"), ImputeSpec(method="median")),
                           name="impute"),
    ])
    res = sensitivity(data, Methodology(), sp, n=512, seed=1, n_boot=200)
    s = res.summary
    assert s.total_of("impute") == 0.0  # exactly: y(AB_impute) == y(A)
    assert abs(s.first_of("impute")) < 0.05
    assert s.first_of("w") == pytest.approx(1.0, abs=0.1)
    assert s.total_of("w") == pytest.approx(1.0, abs=0.1)  # the only factor with an effect
    assert res.rank.total.shape == (2, 120)
    assert np.all(np.nan_to_num(res.rank.total[1]) == 0.0)
    assert s.first_conf is not None and s.first_conf.shape == (2, 2)


def test_additive_two_factors_known_split() -> None:
    """Two independent weight factors on different groups, level-2 weights fixed:
    per-unit score variance splits additively (S1 ≈ ST, sum ≈ 1)."""
    data = toy(60)
    sp = UncertaintySpace(factors=[
        WeightNoise(levels=(1,), noise=0.4, per="group"),
    ])
    res = sensitivity(data, Methodology(), sp, n=1024, seed=3, n_boot=0)
    assert res.factor_names == ("weights L1 ±0.4:A", "weights L1 ±0.4:B")
    s1, st = res.score.first, res.score.total
    ok = np.isfinite(st).all(axis=0)
    # the index is additive in the two groups' sub-scores: no interaction
    np.testing.assert_allclose(st[:, ok].sum(axis=0), 1.0, atol=0.05)
    np.testing.assert_allclose(s1[:, ok], st[:, ok], atol=0.08)


def test_coinr_vignette_sensitivity() -> None:
    data, m = asem()
    res = sensitivity(data, m, COINR, n=256, seed=2023, n_boot=300)
    assert isinstance(res, SensitivityResult)
    assert res.n_runs == 256 * 5
    s = res.summary
    assert s.first.shape == (3,) and s.total.shape == (3,)
    assert np.all(s.total > 0) and np.all(s.total < 1.3)
    # COINr's vignette finds the aggregation choice the most influential
    assert int(np.argmax(s.total)) == 2
    assert res.rank.first.shape == (3, 51) and res.score.total.shape == (3, 51)
    assert s.first_conf is not None
    assert np.all(s.first_conf[0] <= s.first_conf[1])
    t = res.table()
    assert t.columns[:3] == ("因素 factor", "一阶指数 S1", "总效应指数 ST")
    assert len(res.unit_table("score")) == 51
    st = res.rank_stats
    assert np.all(st["q5"] <= st["median"]) and np.all(st["median"] <= st["q95"])



@pytest.mark.filterwarnings("ignore:All-NaN slice:RuntimeWarning")  # the unit without data
@pytest.mark.parametrize("with_nan", [False, True])
def test_outputs_are_those_of_their_definitions_bit_for_bit(with_nan: bool) -> None:
    """Ranks kept as integers (float32 inside), the shift summed in integers and the
    rank statistics from sorted ranks: every number is the one the float64
    definitions give (rank_desc, nanmean, quantile / nanquantile, the estimators)."""
    data = toy(90, seed=4)
    if with_nan:
        x = data.values.copy()
        x[3] = np.nan  # no score at all: NaN rank in every run
        x[7, :3] = np.nan  # group A missing: still scored
        data = UnitData(framework=data.framework, units=data.units, names=data.names, values=x)
    sp = UncertaintySpace(factors=[
        WeightNoise(levels=(1, 2), noise=0.5, name="w"),
        ImputeAlternatives(alternatives=(ImputeSpec(method="none"), ImputeSpec(method="mean")),
                           name="impute"),
    ])
    res = sensitivity(data, Methodology(impute=ImputeSpec(method="none")), sp, n=64, seed=2,
                      keep_outputs=True, n_boot_units=20)
    assert res.scores is not None and res.ranks is not None and res.summary_output is not None
    assert res.ranks.dtype == np.float64
    ranks = rank_desc(res.scores)
    assert np.isnan(ranks).any() == with_nan
    assert res.ranks.tobytes() == ranks.tobytes()
    nominal = res.rank_stats["nominal"]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        shift = np.nanmean(np.abs(ranks - nominal), axis=-1)
        ab = ranks[:2].reshape(2 * 64, -1)
        q = np.nanquantile(ab, [0.5, 0.05, 0.95], axis=0)
        mean = np.nanmean(ab, axis=0)
        rk = sobol_indices(ranks[0], ranks[1], ranks[2:], n_boot=20,
                           seed=np.random.SeedSequence(2, spawn_key=(0xB007,)),
                           factor_names=res.factor_names)
    assert res.summary_output.tobytes() == shift.tobytes()
    for key, want in (("mean", mean), ("median", q[0]), ("q5", q[1]), ("q95", q[2])):
        assert res.rank_stats[key].tobytes() == want.tobytes(), key
    for name in ("first", "total", "first_conf", "total_conf"):
        assert getattr(res.rank, name).tobytes() == getattr(rk, name).tobytes(), name


def test_in_place_and_returned_chunks_give_the_same_bits() -> None:
    """Serial and thread-pool chunks write their scores in place; process-pool
    chunks return them: every output identical, for any chunk size."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from xiangcun_eval.sensitivity.execution import RunOptions

    data, m = asem()
    kw: dict[str, object] = dict(n=128, seed=5, n_boot=30, n_boot_units=10, keep_outputs=True)
    ref = sensitivity(data, m, COINR, **kw)  # type: ignore[arg-type]
    with ThreadPoolExecutor(2) as tex, ProcessPoolExecutor(2) as pex:
        others = [sensitivity(data, m, COINR, run=RunOptions(executor=ex, chunk_size=64),
                              **kw)  # type: ignore[arg-type]
                  for ex in (None, tex, pex)]
    for o in others:
        assert o.scores is not None and ref.scores is not None
        assert o.scores.tobytes() == ref.scores.tobytes()
        assert o.ranks is not None and ref.ranks is not None
        assert o.ranks.tobytes() == ref.ranks.tobytes()
        for fam in ("summary", "rank", "score"):
            for name in ("first", "total", "first_conf"):
                got, want = getattr(getattr(o, fam), name), getattr(getattr(ref, fam), name)
                assert got.tobytes() == want.tobytes(), (fam, name)
        for k, v in ref.rank_stats.items():
            assert o.rank_stats[k].tobytes() == v.tobytes(), k
