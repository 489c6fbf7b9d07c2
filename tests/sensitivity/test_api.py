"""sensitivity.api re-exports the entry points from their modules (import paths kept)."""

from __future__ import annotations

import xiangcun_eval as xe
from xiangcun_eval.sensitivity import api, engine, estimators, main_effect, oat, replay, sobol
from xiangcun_eval.sensitivity import uncertainty as ua


def test_reexports_are_the_same_objects() -> None:
    assert api.uncertainty is ua.uncertainty is xe.uncertainty
    assert api.sensitivity is sobol.sensitivity is xe.sensitivity
    assert api.one_at_a_time is oat.one_at_a_time and api.leave_one_out is oat.leave_one_out
    assert api.replay is replay.replay
    assert api.MemoryBudgetError is engine.MemoryBudgetError is xe.MemoryBudgetError
    assert estimators.correlation_ratio_main_effect is main_effect.correlation_ratio_main_effect
    for name in api.__all__:
        assert getattr(api, name) is getattr(xe, name)
