"""Tests of methods/weights/effective.py: effective weights of a hierarchy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W

DATA = Path(__file__).resolve().parents[2] / "data" / "asem"


def test_effective_weights_hand_tree() -> None:
    w0 = np.array([1.0, 1.0, 2.0, 1.0])  # indicators
    p0 = np.array([0, 0, 0, 1])  # -> 2 pillars
    w1 = np.array([1.0, 3.0])
    p1 = np.array([0, 0])  # -> index
    e0, e1, e2 = W.effective_weights([w0, w1, [1.0]], [p0, p1])
    assert np.allclose(e2, [1.0])
    assert np.allclose(e1, [0.25, 0.75])
    assert np.allclose(e0, [0.0625, 0.0625, 0.125, 0.75])
    with pytest.raises(MethodError, match="without children"):
        W.effective_weights([w0, [1.0, 1.0, 1.0]], [p0])
    with pytest.raises(MethodError, match="out of range"):
        W.effective_weights([w0, w1], [np.array([0, 0, 0, 2])])
    with pytest.raises(MethodError, match="weight 0"):
        W.effective_weights([[0.0, 0.0, 0.0, 1.0], w1], [p0])


def test_effective_weights_asem() -> None:
    pd = pytest.importorskip("pandas")
    meta = pd.read_csv(DATA / "iMeta.csv")
    meta = meta[meta["Type"].isin(["Indicator", "Aggregate"])]
    levels = sorted(meta["Level"].unique())
    nodes = [meta[meta["Level"] == lev].reset_index(drop=True) for lev in levels]
    weights = [n["Weight"].to_numpy(float) for n in nodes]
    memb = []
    for lev in range(len(nodes) - 1):
        pos = {c: i for i, c in enumerate(nodes[lev + 1]["iCode"])}
        memb.append(np.array([pos[p] for p in nodes[lev]["Parent"]], dtype=np.intp))
    eff = W.effective_weights(weights, memb)
    for e in eff:
        assert e.sum() == pytest.approx(1.0)
    # an indicator's effective weight = product of its normalised weights
    i = 0
    par = memb[0][i]
    siblings = weights[0][memb[0] == par]
    expected = weights[0][i] / siblings.sum() * eff[1][par]
    assert eff[0][i] == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data())
def test_property_effective_weights_sum_to_one(sizes: list[int], data: st.DataObject) -> None:
    # build a random tree bottom-up: level l has sum(children counts) nodes
    counts = [1]
    for s in sizes:
        counts.append(s * counts[-1])
    counts = counts[::-1]  # counts[0] = indicators, counts[-1] = 1 (index)
    memb = []
    for lev in range(len(counts) - 1):
        n_par = counts[lev + 1]
        k = counts[lev] // n_par
        memb.append(np.repeat(np.arange(n_par), k).astype(np.intp))
    wts = [
        np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=c, max_size=c))) for c in counts
    ]
    for e in W.effective_weights(wts, memb):
        assert e.sum() == pytest.approx(1.0)
        assert np.all(e >= 0)
