"""Target attainment (attainment.py): counts, gaps and direction by hand."""

from __future__ import annotations

import numpy as np

from helpers import small_data
from xiangcun_eval import Methodology, evaluate
from xiangcun_eval.attainment import attainment_matrix, attainment_table


def test_attainment_by_hand() -> None:
    d = small_data(n=12, seed=3)
    ev = evaluate(d, Methodology())
    t = attainment_table(ev)
    assert t.column("代码 code") == ("x1",)  # only x1 carries a target (60, benefit)
    x = ev.preprocessed.denominated[:, 0]
    assert t.column("达到数 n reaching") == (int((x >= 60).sum()),)
    assert t.column("平均差距 mean gap")[0] == float(np.mean(60 - x))
    codes, values, gaps, reached = attainment_matrix(ev)
    assert codes == ("x1",)
    np.testing.assert_array_equal(values[:, 0], x)
    np.testing.assert_array_equal(gaps[:, 0], 60 - x)
    np.testing.assert_array_equal(reached[:, 0], x >= 60)
    # the Evaluation methods are these functions
    assert ev.attainment_table() == t
    assert attainment_matrix(ev, "benchmark")[0] == ()
