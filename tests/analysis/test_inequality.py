"""Gini, Dagum decomposition, Theil, CV: against PySAL ``inequality`` and
brute-force double loops written from the published formulas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xiangcun_eval as xe
from helpers import peer, small_data
from xiangcun_eval.analysis.inequality import (
    coefficient_of_variation,
    dagum_gini,
    gini,
    theil,
)


def _sample(n: int = 90, k: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    g = rng.integers(0, k, n)
    x = rng.gamma(2.0, 10.0, n) + 5.0 * g
    x[:7] = np.round(x[:7])  # a few ties
    x[7] = x[8]
    return x, np.array([f"G{v}" for v in g])


def dagum_brute(x: np.ndarray, g: np.ndarray) -> dict[str, float]:
    """Dagum (1997) by the double-loop definitions (O(n^2), Python loops)."""
    labs = sorted(set(g.tolist()))
    groups = [x[g == lab] for lab in labs]
    n, mu = x.size, x.mean()
    tot = sum(abs(a - b) for a in x for b in x) / (2 * n * n * mu)
    p = [len(v) / n for v in groups]
    s = [len(v) * v.mean() / (n * mu) for v in groups]
    gw = 0.0
    for j, v in enumerate(groups):
        gjj = sum(abs(a - b) for a in v for b in v) / (2 * len(v) ** 2 * v.mean())
        gw += gjj * p[j] * s[j]
    gnb = gt = 0.0
    for j in range(len(groups)):
        for h in range(j):
            a, b = groups[j], groups[h]
            if a.mean() < b.mean():
                a, b = b, a
            gjh = sum(abs(u - v) for u in a for v in b) / (len(a) * len(b) * (a.mean() + b.mean()))
            d = sum(max(u - v, 0.0) for u in a for v in b) / (len(a) * len(b))
            pp = sum(max(v - u, 0.0) for u in a for v in b) / (len(a) * len(b))
            djh = (d - pp) / (d + pp)
            wgt = gjh * (p[j] * s[h] + p[h] * s[j])
            gnb += wgt * djh
            gt += wgt * (1 - djh)
    return {"total": tot, "within": gw, "net_between": gnb, "transvariation": gt}


def test_dagum_matches_double_loop() -> None:
    x, g = _sample()
    res = dagum_gini(x, g)
    ref = dagum_brute(x, g)
    for key, val in ref.items():
        assert getattr(res, key) == pytest.approx(val, abs=1e-12), key
    assert res.within + res.net_between + res.transvariation == pytest.approx(res.total, abs=1e-14)
    assert res.contributions.sum() == pytest.approx(1.0)
    # between matrix symmetric, diagonal = within-group Gini
    np.testing.assert_allclose(res.between, res.between.T)
    np.testing.assert_allclose(np.diag(res.between), res.group_gini)
    assert list(res.labels) == ["G0", "G1", "G2", "G3"]
    assert len(res.table()) == 4
    assert len(res.between_table()) == 4
    assert len(res.groups_table()) == 4


def test_gini_matches_pysal_and_brute_force() -> None:
    ineq = peer("inequality")
    x, _ = _sample(200, seed=3)
    brute = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert gini(x) == pytest.approx(brute, abs=1e-14)
    assert gini(x) == pytest.approx(ineq.gini.Gini(x).g, abs=1e-12)


def test_theil_matches_pysal() -> None:
    ineq = peer("inequality")
    x, g = _sample(150, seed=5)
    res = theil(x, g)
    assert res.t == pytest.approx(float(ineq.theil.Theil(x).T), abs=1e-12)
    td = ineq.theil.TheilD(x, g)
    assert res.t_between == pytest.approx(float(np.ravel(td.bg)[0]), abs=1e-12)
    assert res.t_within == pytest.approx(float(np.ravel(td.wg)[0]), abs=1e-12)
    # Theil L by its definition, decomposition exact
    assert res.l == pytest.approx(float(np.mean(np.log(x.mean() / x))), abs=1e-14)
    assert res.l_within + res.l_between == pytest.approx(res.l, abs=1e-14)
    assert res.t_within + res.t_between == pytest.approx(res.t, abs=1e-14)
    for j, lab in enumerate(res.labels):
        v = x[g == lab]
        assert res.group_t[j] == pytest.approx(np.mean(v / v.mean() * np.log(v / v.mean())))
    assert len(res.table()) == 2
    assert len(res.groups_table()) == len(res.labels)


def test_theil_zeros_and_no_groups() -> None:
    res = theil(np.array([0.0, 1.0, 2.0, 3.0]))
    assert np.isfinite(res.t)
    assert np.isnan(res.l)
    assert np.isnan(res.t_within)


def test_cv_sample_and_population() -> None:
    x, g = _sample(60, seed=2)
    res = coefficient_of_variation(x, g)
    assert res.total == pytest.approx(np.std(x, ddof=1) / np.mean(x))
    assert coefficient_of_variation(x, ddof=0).total == pytest.approx(np.std(x) / np.mean(x))
    for j, lab in enumerate(res.labels):
        v = x[g == lab]
        assert res.group_cv[j] == pytest.approx(np.std(v, ddof=1) / v.mean())
    assert len(res.table()) == len(res.labels) + 1


def test_evaluation_input_and_missing_scores() -> None:
    data = small_data(n=40, missing=0.0)
    ev = xe.evaluate(data)
    res = dagum_gini(ev, "region")
    assert res.n_dropped == 0
    assert set(res.labels) == {"东部", "中部", "西部", "东北"}
    x = np.asarray(ev.index)
    ref = dagum_brute(x, np.asarray(data.groups["region"]))
    assert res.total == pytest.approx(ref["total"], abs=1e-12)
    y = x.copy()
    y[3] = np.nan
    assert dagum_gini(y, data.groups["region"]).n_dropped == 1
    assert gini(ev, code="A") == pytest.approx(gini(np.asarray(ev.score("A"))))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.01, 1000.0))
def test_dagum_identity_and_scale_invariance(seed: int, c: float) -> None:
    x, g = _sample(40, k=3, seed=seed)
    a, b = dagum_gini(x, g), dagum_gini(c * x, g)
    assert a.within + a.net_between + a.transvariation == pytest.approx(a.total, rel=1e-12)
    assert b.total == pytest.approx(a.total, rel=1e-9)
    assert b.net_between == pytest.approx(a.net_between, rel=1e-9, abs=1e-12)
    assert 0 <= a.total < 1
    assert np.all((a.relative_economic_affluence >= 0)
                                       & (a.relative_economic_affluence <= 1))


@pytest.mark.parametrize(
    "call",
    [
        lambda: gini(np.array([1.0, -2.0, 3.0])),
        lambda: gini(np.array([0.0, 0.0])),
        lambda: gini(np.array([np.nan])),
        lambda: gini(np.ones((2, 2))),
        lambda: dagum_gini(np.array([1.0, 2.0, 3.0]), ["a", "a", "a"]),
        lambda: dagum_gini(np.array([1.0, 2.0, 3.0]), ["a", "b"]),
        lambda: dagum_gini(np.array([1.0, 2.0, 3.0]), "region"),
        lambda: theil(np.array([1.0, -1.0])),
        lambda: coefficient_of_variation(np.array([1.0, 2.0]), ddof=2),
        lambda: coefficient_of_variation(np.array([np.nan])),
    ],
)
def test_bad_input(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(xe.MethodError):
        call()


def test_bad_grouping_column_and_code() -> None:
    ev = xe.evaluate(small_data(n=20))
    with pytest.raises(xe.MethodError, match="no grouping column"):
        dagum_gini(ev, "county_type")
    with pytest.raises(xe.MethodError, match="no node"):
        gini(ev, code="nope")
    with pytest.raises(xe.MethodError, match="Evaluation only"):
        gini(np.ones(3), code="A")


def test_dagum_affluence_of_groups_that_do_not_overlap_is_exactly_one() -> None:
    # hypothesis (seed 5014): the transvariation of two separate groups came out
    # a few ulps below zero as a difference of sums, and D_jh just above 1
    x, g = _sample(40, k=3, seed=5014)
    d = dagum_gini(x, g).relative_economic_affluence
    assert d.max() <= 1.0
    assert d.min() >= 0.0
    sep = dagum_gini(np.array([1.0, 2.0, 3.0, 10.1, 10.2, 10.3]), ["a"] * 3 + ["b"] * 3)
    assert sep.relative_economic_affluence[0, 1] == 1.0
    assert sep.transvariation == 0.0
