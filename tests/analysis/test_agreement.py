"""Rank agreement against scipy and direct computation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.analysis.agreement import rank_agreement


def test_matrices() -> None:
    data = small_data(n=50, seed=2)
    quantiles = xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2))
    a = xe.evaluate(data)
    b = xe.evaluate(data, xe.Methodology(name="geo", aggregate=xe.AggregateSpec(method="geometric"),
                                         normalise=xe.NormaliseSpec(method="minmax",
                                                                    params={"lower": 1})))
    c = xe.evaluate(data, xe.Methodology(name="z", normalise=xe.NormaliseSpec(method="zscore"),
                                         grading=quantiles))
    res = rank_agreement({"a": a, "b": b, "c": c})
    xa, xb = np.asarray(a.index), np.asarray(b.index)
    assert res.spearman[0, 1] == pytest.approx(stats.spearmanr(xa, xb).statistic, abs=1e-14)
    assert res.kendall[0, 1] == pytest.approx(stats.kendalltau(xa, xb).statistic, abs=1e-14)
    assert res.mean_abs_shift[0, 1] == pytest.approx(np.mean(np.abs(a.rank - b.rank)))
    assert res.grade_change[0, 1] == pytest.approx(np.mean(a.grade_codes != b.grade_codes))
    np.testing.assert_allclose(np.diag(res.spearman), 1.0)
    assert len(res.table()) == 3
    assert len(res.matrix("kendall")) == 3
    seq = rank_agreement([a, b])
    assert seq.names == ("default", "geo")


def test_alignment_by_unit_code() -> None:
    data = small_data(n=30)
    a = xe.evaluate(data)
    sub = xe.evaluate(data.subset(list(reversed(data.units[5:]))))
    res = rank_agreement({"all": a, "sub": sub})
    assert len(res.units) == 25
    assert res.n_dropped == 5


def test_bad_input() -> None:
    ev = xe.evaluate(small_data(n=10))
    with pytest.raises(xe.MethodError):
        rank_agreement([ev])
    with pytest.raises(xe.MethodError):
        rank_agreement({"a": ev, "b": "x"})  # type: ignore[dict-item]
    with pytest.raises(xe.MethodError):
        rank_agreement({"a": ev, "b": ev}).matrix("pearson")
    other = xe.evaluate(small_data(n=10).subset(["U000", "U001"]))
    with pytest.raises(xe.MethodError, match="fewer than 3"):
        rank_agreement({"a": ev, "b": other})
