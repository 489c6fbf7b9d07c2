"""Evaluation (results.py): accessor names and their deprecated aliases."""

from __future__ import annotations

import pytest

from helpers import small_data
from xiangcun_eval.evaluate import evaluate


def test_table_accessors_renamed_with_deprecated_aliases() -> None:
    ev = evaluate(small_data())
    unit = ev.units[0]
    for old, new, args in (("scores", "score_table", ()),
                           ("effective_weights", "effective_weight_table", ()),
                           ("attainment", "attainment_table", ()),
                           ("contributions", "contribution_table", (unit,))):
        with pytest.warns(DeprecationWarning, match=f"Evaluation.{new}"):
            got = getattr(ev, old)(*args)
        assert got.render() == getattr(ev, new)(*args).render()
    with pytest.warns(DeprecationWarning, match=r"Evaluation\.scores\(\) is deprecated"):
        assert ev.scores(2, ranks=True).render() == ev.score_table(2, ranks=True).render()
