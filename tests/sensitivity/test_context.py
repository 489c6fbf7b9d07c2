"""The engine context: every discrete combination checked before running."""

from __future__ import annotations

import pytest

from helpers import asem
from spaces import AGG, COINR
from xiangcun_eval.errors import MethodError
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import NormaliseSpec
from xiangcun_eval.sensitivity.context import build_context
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.space import NormaliseAlternatives, ParameterRange, UncertaintySpace
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
