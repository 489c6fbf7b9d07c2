"""The engine context: every discrete combination checked before running."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from helpers import asem
from spaces import AGG, COINR
from xiangcun_eval.errors import MethodError
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.methodology import Methodology, NormaliseSpec
from xiangcun_eval.sensitivity.context import build_context
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.space import (
    NormaliseAlternatives,
    ParameterRange,
    UncertaintySpace,
    WeightNoise,
)
from xiangcun_eval.sensitivity.uncertainty import uncertainty


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
        uncertainty(data, m, sp, n=100, seed=1,
                    run=RunOptions(progress=lambda d, t: calls.append(d)))
    msg = str(exc.value)
    assert "无效的方法组合" in msg and "invalid method combination" in msg
    assert "lower=0.0" in msg and "geometric" in msg
    assert "lower=1.0" not in msg.split("Fix")[0]  # the valid one is not blamed
    assert calls == []  # nothing ran



def test_too_many_combinations_refused() -> None:
    data, m = asem()
    sp = UncertaintySpace(factors=[
        ParameterRange(path="treat.params.winmax", low=1, high=200, integer=True),
        ParameterRange(path="treat.params.skew_thresh", low=1.0, high=4.0, steps=150),
    ])
    nominal = evaluate(data, m)
    with pytest.raises(MethodError, match="too many discrete combinations"):
        build_context(data, m, sp, seed=1, sampling="random", nominal_index=nominal.index,
                      nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0])


def test_context_is_picklable_and_holds_every_combination() -> None:
    import pickle

    data, m = asem()
    nominal = evaluate(data, m)
    ctx = build_context(data, m, COINR, seed=1, sampling="random", nominal_index=nominal.index,
                        nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0])
    assert len(ctx.combos) == 4  # 2 normalisations x 2 means
    assert ctx.n_factors == 3 and ctx.n_units == data.n_units  # one atom per factor
    back = pickle.loads(pickle.dumps(ctx))
    assert back.combos.keys() == ctx.combos.keys()


# --------------------------------------------------------------------------- compact contexts
def _gappy() -> tuple[Any, Methodology]:
    """ASEM with 8 % more values missing, no imputation (partly missing groups), and a
    unit without any indicator of one level-2 group (a second missingness pattern)."""
    from helpers import asem_data

    d = asem_data()
    x = np.array(d.values, dtype=np.float64)
    rng = np.random.default_rng(3)
    x[rng.random(x.shape) < 0.08] = np.nan
    x[0, d.framework.membership(2) == 0] = np.nan
    data = UnitData(framework=d.framework, units=d.units, names=d.names, values=x,
                    groups=dict(d.groups))
    return data, Methodology(normalise=NormaliseSpec(method="minmax",
                                                     params={"lower": 1.0, "upper": 100.0}))


GAPPY_SPACE = UncertaintySpace(factors=[
    WeightNoise(levels=(1, 2, 3), noise=0.25),
    NormaliseAlternatives(alternatives=(
        NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
        NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 50.0}),
        NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0}))),
    AGG])


def _ctx(data: Any, m: Methodology, compact: bool | None) -> Any:
    nominal = evaluate(data, m)
    return build_context(data, m, GAPPY_SPACE, seed=5, sampling="random",
                         nominal_index=nominal.index, nominal_rank=nominal.rank,
                         nominal_level1=nominal.level_scores[0], rank_bins=data.n_units,
                         score_bins=64, compact=compact)


def test_compact_store_rebuilds_every_fast_plan_byte_for_byte() -> None:
    from xiangcun_eval.sensitivity.context import _same_plan, combo_of

    data, m = _gappy()
    eager, compact = _ctx(data, m, False), _ctx(data, m, True)
    assert not eager.compact and not eager.stores
    assert len(compact.stores) == 3  # one per normalisation
    assert len(compact.compact) >= 4  # both means of the min-max keys (z-score geometric: eager)
    assert set(compact.compact).isdisjoint(compact.combos)
    assert set(compact.compact) | set(compact.combos) == set(eager.combos)
    plans = [eager.combos[k].fast for k in compact.compact]
    assert any(p is not None and len(p.patterns) > 1 for p in plans)  # two patterns
    assert all(p is not None and p.partial for p in plans)  # partly missing groups
    for key in compact.compact:
        got, ref = combo_of(compact, key), eager.combos[key]
        assert got is not None and got.fast is not None and ref.fast is not None
        assert _same_plan(got.fast, ref.fast), key
    assert combo_of(compact, ((9.0,), (9.0,))) is None
    # auto: small data stays eager
    assert not _ctx(data, m, None).compact


def test_compact_context_gives_the_same_bits_on_every_executor(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from xiangcun_eval.sensitivity import context, streaming

    data, m = _gappy()
    kw: dict[str, Any] = dict(n=320, seed=5)
    ref = uncertainty(data, m, GAPPY_SPACE, run=RunOptions(chunk_size=64), **kw)
    monkeypatch.setattr(context, "COMPACT_BYTES", 0)  # compact however small
    monkeypatch.setattr(streaming, "SUB_BYTES", 8 * data.n_units * 5)  # 5-row sub-batches
    got = [uncertainty(data, m, GAPPY_SPACE, run=RunOptions(chunk_size=c), **kw)
           for c in (64, 192)]
    with ProcessPoolExecutor(2) as ex:
        got.append(uncertainty(data, m, GAPPY_SPACE,
                               run=RunOptions(executor=ex, chunk_size=128), **kw))
    for r in got:
        for k in ("score_mean", "score_sd", "score_median", "rank_mean", "rank_sd",
                  "rank_quantiles", "score_quantiles", "grade_prob", "top_prob",
                  "mean_abs_shift", "replicate_shift"):
            assert np.asarray(getattr(r, k)).tobytes() == np.asarray(getattr(ref, k)).tobytes(), k


def test_precomputed_context_ships_no_raw_values_names_or_groups() -> None:
    """Every combination precomputed: the workers get neither the raw values nor the
    unit names and groups (Python strings: ~100 MB at 500,000 units); the unit codes
    stay, so a rebuild from this state would fail loudly, not run on no units."""
    data, m = _gappy()
    ctx = _ctx(data, m, True)
    assert ctx.data.values.shape == (0, data.values.shape[1])
    assert ctx.data.names == () and ctx.data.groups == {} and ctx.data.denominators == {}
    assert ctx.data.units == data.units
    with pytest.raises(ValueError):  # the shapes do not match: refused, not silent
        ctx.data.build()
    lazy = build_context(data, m, UncertaintySpace(factors=[
        ParameterRange(path="normalise.params.upper", low=50.0, high=100.0)]), seed=1,
        sampling="random", nominal_index=evaluate(data, m).index,
        nominal_rank=evaluate(data, m).rank, nominal_level1=evaluate(data, m).level_scores[0])
    assert lazy.data.names == data.names and lazy.data.values.shape == data.values.shape
