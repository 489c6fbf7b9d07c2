"""one_at_a_time() and leave_one_out()."""

from __future__ import annotations

import numpy as np

from helpers import asem
from spaces import COINR
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import (
    NormaliseSpec,
)
from xiangcun_eval.sensitivity.oat import leave_one_out, one_at_a_time
from xiangcun_eval.sensitivity.space import (
    Exclusion,
    UncertaintySpace,
    WeightDirichlet,
)


def test_one_at_a_time() -> None:
    data, m = asem()
    sp = UncertaintySpace(factors=[
        *COINR.factors, Exclusion(candidates=("Physical", "LPI")),
        WeightDirichlet(levels=(1,), concentration=10.0)])
    m1 = m.replace(normalise=NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}))
    oat = one_at_a_time(data, m1, sp)
    assert len(oat.settings) == 20 + 2 + 2 + 3
    assert oat.skipped == ("weights L1 Dir(c=10) (Dirichlet)",)
    # the nominal settings reproduce the nominal ranks
    i = oat.settings.index("aggregate = arithmetic")
    assert oat.mean_abs_shift[i] == 0.0
    j = oat.settings.index("leave 1 out = -LPI")
    ev = evaluate(data, m1.replace(weight_overrides={"LPI": 0.0}))
    np.testing.assert_array_equal(oat.ranks[j], ev.rank)
    assert "单因素" in oat.table().title


def test_leave_one_out_matches_evaluate() -> None:
    data, m = asem()
    loo = leave_one_out(data, m, level=2)
    assert loo.codes == data.framework.level_codes(2)
    for k in (0, 5):
        ev = evaluate(data, m.replace(weight_overrides={loo.codes[k]: 0.0}))
        np.testing.assert_allclose(loo.scores[k], ev.index, atol=1e-10)
        np.testing.assert_array_equal(loo.ranks[k], ev.rank)
    np.testing.assert_allclose(loo.mean_abs_shift, np.abs(loo.rank_diff).mean(axis=1))
    one = leave_one_out(data, m, level=1, codes=["LPI"])
    assert one.ranks.shape == (1, 51)

