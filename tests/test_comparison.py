"""Comparison of two evaluations (comparison.py): alignment and direction."""

from __future__ import annotations

import numpy as np

from helpers import small_data
from xiangcun_eval import Methodology, NormaliseSpec, evaluate
from xiangcun_eval.comparison import compare


def test_compare_changes_and_directions() -> None:
    d = small_data(n=10, seed=5)
    a = evaluate(d, Methodology())
    b = evaluate(d, Methodology(normalise=NormaliseSpec(method="rank")))
    t = compare(a, b)
    assert len(t) == 10
    code = np.asarray(t.column("代码 code"))
    ra = dict(zip(a.units, a.rank.tolist(), strict=True))
    rb = dict(zip(b.units, b.rank.tolist(), strict=True))
    change = np.asarray(t.column("变化 change"), dtype=float)
    np.testing.assert_array_equal(change, [rb[c] - ra[c] for c in code])
    labels = dict(zip(code.tolist(), t.column("方向 direction"), strict=True))
    for c in code.tolist():
        want = "上升 up" if rb[c] < ra[c] else "下降 down" if rb[c] > ra[c] else "不变 same"
        assert labels[c] == want
    # sorted by absolute change, largest first
    assert np.all(np.diff(np.abs(change)) <= 0)
    assert a.compare(b) == t
