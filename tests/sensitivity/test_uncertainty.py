"""Uncertainty analysis: COINr-equivalent ASEM run, statistics, streaming vs kept
replicates, memory budget, progress and interruption."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from helpers import asem
from xiangcun_eval.errors import MethodError
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import (
    AggregateSpec,
    GradingSpec,
    NormaliseSpec,
)
from xiangcun_eval.sensitivity.api import (
    AnalysisInterrupted,
    MemoryBudgetError,
    UncertaintyResult,
    uncertainty,
)
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.space import (
    AggregateAlternatives,
    NormaliseAlternatives,
    UncertaintySpace,
    WeightNoise,
)

# COINr's sensitivity vignette: weights ±25 % at levels 2-3, min-max [1, 100] vs
# z-score (10, 2), arithmetic vs geometric mean.
COINR = UncertaintySpace(name="COINr vignette", factors=[
    WeightNoise(levels=(2, 3), noise=0.25),
    NormaliseAlternatives(alternatives=(
        NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
        NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0}))),
    AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                        AggregateSpec(method="geometric"))),
])


@pytest.fixture(scope="module")
def ua() -> UncertaintyResult:
    data, m = asem()
    return uncertainty(data, m, COINR, n=1000, seed=2023)


def test_coinr_equivalent_run(ua: UncertaintyResult) -> None:
    data, m = asem()
    nominal = evaluate(data, m)
    assert ua.n_done == 1000 and not ua.partial
    np.testing.assert_array_equal(ua.nominal_rank, nominal.rank)
    lo, hi = ua.rank_quantiles.T  # (n_units, 2): units first
    assert lo.shape == (51,) and np.all(lo <= ua.rank_median) and np.all(ua.rank_median <= hi)
    assert np.all((lo >= 1) & (hi <= 51))
    # rank intervals per country, as COINr's plot_uncertainty: the width varies
    width = hi - lo
    assert width.max() > 5 and width.min() < width.max()
    assert ua.rank_resolution == 1.0  # 51 units: exact quantiles
    # the top of the ranking is stable (DEU first in COINr's example too)
    assert ua.units[int(np.nanargmin(ua.rank_median))] in {"DEU", "NLD", "CHE", "DNK"}
    t = ua.table()
    assert "名义排名 nominal rank" in t.columns and len(t) == 51
    assert ua.shift_summary()["mean"] > 0


def test_probabilities(ua: UncertaintyResult) -> None:
    np.testing.assert_allclose(ua.grade_prob.sum(axis=1), 1.0)
    assert ua.top_prob.shape == (51, 1)  # units first
    np.testing.assert_allclose(ua.top_prob.sum(), 10.0)  # ten places per replicate
    assert ua.replicate_shift.shape == (1000,)
    np.testing.assert_allclose(np.nanmean(ua.replicate_shift), ua.mean_abs_shift.mean())


def test_streaming_matches_kept_replicates() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=256, seed=9, quantiles=(0.05, 0.25, 0.95), top_k=(5, 10))
    s = uncertainty(data, m, COINR, **kw)
    k = uncertainty(data, m, COINR, keep_replicates=True, **kw)
    assert k.ranks is not None and k.scores is not None and k.ranks.shape == (256, 51)
    np.testing.assert_array_equal(s.rank_quantiles, k.rank_quantiles)
    np.testing.assert_array_equal(s.rank_median, k.rank_median)
    np.testing.assert_allclose(s.rank_mean, k.rank_mean, rtol=1e-13)
    np.testing.assert_allclose(s.score_mean, k.score_mean, rtol=1e-12)
    np.testing.assert_allclose(s.score_sd, k.score_sd, rtol=1e-9)
    np.testing.assert_allclose(s.grade_prob, k.grade_prob)
    np.testing.assert_allclose(s.top_prob, k.top_prob)
    np.testing.assert_allclose(s.mean_abs_shift, k.mean_abs_shift)
    np.testing.assert_array_equal(s.replicate_shift, k.replicate_shift)
    # score quantiles from histograms: within the stated resolution
    assert s.score_clipped == 0
    assert np.abs(s.score_quantiles - k.score_quantiles).max() <= 1.01 * s.score_resolution


def test_binned_rank_quantiles_within_resolution() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=256, seed=9)
    b = uncertainty(data, m, COINR, rank_bins=10, **kw)
    k = uncertainty(data, m, COINR, keep_replicates=True, **kw)
    assert b.rank_resolution == pytest.approx(5.1)
    # 51 ranks in 10 bins of 5 or 6 ranks: centres within (6 − 1)/2 of any member
    assert b.rank_quantile_error == 2.5 and k.rank_quantile_error == 0.0
    assert np.abs(b.rank_quantiles - k.rank_quantiles).max() <= b.rank_quantile_error
    assert np.abs(b.rank_median - k.rank_median).max() <= b.rank_quantile_error
    for bins in (3, 7, 16, 50):
        r = uncertainty(data, m, COINR, rank_bins=bins, **kw)
        assert np.abs(r.rank_quantiles - k.rank_quantiles).max() <= r.rank_quantile_error


def test_default_budget_from_machine_and_estimate_recorded(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from xiangcun_eval.sensitivity import execution

    data, m = asem()
    monkeypatch.setattr(execution, "available_memory", lambda: 6 << 30)
    assert execution.machine_budget() == 3 << 30
    r = uncertainty(data, m, COINR, n=64, seed=1)
    assert r.memory_budget == 3 << 30 and 0 < r.memory_estimate <= r.memory_budget
    # the default resolution does not follow the machine: same numbers on a small machine
    monkeypatch.setattr(execution, "available_memory", lambda: 300 << 20)
    small = uncertainty(data, m, COINR, n=64, seed=1)
    assert small.memory_budget == 256 << 20
    assert small.rank_quantiles.tobytes() == r.rank_quantiles.tobytes()
    assert small.score_quantiles.tobytes() == r.score_quantiles.tobytes()
    monkeypatch.setattr(execution, "available_memory", lambda: None)
    assert execution.machine_budget() == execution.DEFAULT_BUDGET
    assert execution.available_memory is not None


def test_quantile_grading() -> None:
    data, m = asem()
    mq = m.replace(grading=GradingSpec(kind="quantiles", thresholds=(0.75, 0.5, 0.25),
                                        labels_zh=("甲", "乙", "丙", "丁"),
                                        labels_en=("A", "B", "C", "D")))
    s = uncertainty(data, mq, COINR, n=128, seed=1)
    k = uncertainty(data, mq, COINR, n=128, seed=1, keep_replicates=True)
    np.testing.assert_allclose(s.grade_prob, k.grade_prob)
    # a quarter of the units per band, in every replicate
    np.testing.assert_allclose(s.grade_prob.sum(axis=0), [13, 12, 13, 13], atol=1)


def test_memory_budget_refused_with_estimate() -> None:
    data, m = asem()
    with pytest.raises(MemoryBudgetError, match="MiB") as exc:
        uncertainty(data, m, COINR, n=100_000, seed=1, keep_replicates=True,
                    run=RunOptions(memory_budget=50 * 2**20))
    assert "keep_replicates=False" in str(exc.value)
    # streaming: the same n fits (memory independent of n)
    with pytest.raises(MemoryBudgetError, match="too small"):
        uncertainty(data, m, COINR, n=100, seed=1, run=RunOptions(memory_budget=10_000))


def test_progress_and_interrupt() -> None:
    data, m = asem()
    seen: list[tuple[int, int]] = []
    uncertainty(data, m, COINR, n=300, seed=1,
                run=RunOptions(chunk_size=64, progress=lambda d, t: seen.append((d, t))))
    assert seen == [(64, 300), (128, 300), (192, 300), (256, 300), (300, 300)]

    def stop(done: int, total: int) -> None:
        if done >= 128:
            raise KeyboardInterrupt

    with pytest.raises(AnalysisInterrupted) as exc:
        uncertainty(data, m, COINR, n=640, seed=1, run=RunOptions(chunk_size=64, progress=stop))
    e = exc.value
    assert e.done == 128 and e.total == 640
    assert "中断" in str(e) and "interrupted" in str(e)
    part = e.partial
    assert isinstance(part, UncertaintyResult) and part.partial and part.n_done == 128
    full = uncertainty(data, m, COINR, n=128, seed=1)
    np.testing.assert_array_equal(part.rank_quantiles, full.rank_quantiles)
    assert "PARTIAL" in part.table().title


def test_interrupt_thread_pool_cancels_pending() -> None:
    from concurrent.futures import ThreadPoolExecutor

    data, m = asem()

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with ThreadPoolExecutor(2) as ex, pytest.raises(AnalysisInterrupted) as exc:
        uncertainty(data, m, COINR, n=64 * 20, seed=1,
                    run=RunOptions(chunk_size=64, executor=ex, progress=stop))
    assert exc.value.done < 64 * 20


def test_sobol_sampling_and_seed() -> None:
    data, m = asem()
    a = uncertainty(data, m, COINR, n=128, seed=1, sampling="sobol")
    b = uncertainty(data, m, COINR, n=128, seed=1, sampling="sobol")
    c = uncertainty(data, m, COINR, n=128, seed=2, sampling="sobol")
    assert a.score_mean.tobytes() == b.score_mean.tobytes()
    assert a.score_mean.tobytes() != c.score_mean.tobytes()
    with pytest.raises(MethodError, match="seed"):
        uncertainty(data, m, COINR, n=10, seed=-1)


@pytest.mark.parametrize("top_k", [-1, [0], [10, -3], "10", [True]])
def test_top_k_must_be_positive_integers(top_k: object) -> None:
    from pathlib import Path

    import xiangcun_eval as xe

    demo = Path(__file__).resolve().parents[2] / "examples" / "data" / "demo_counties_2023.csv"
    data = xe.read_submissions(demo, "dvd-2023")
    space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=[2], noise=0.2)])
    with pytest.raises(xe.OptionError, match="top_k"):
        xe.uncertainty(data, xe.Methodology(), space, n=8, seed=1, top_k=top_k)  # type: ignore[arg-type]
