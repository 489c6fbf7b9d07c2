"""Tests of methods/aggregate/outranking.py: Copeland scores (reference: COINr
outtrankMatrix loop)."""

from __future__ import annotations

import numpy as np
import pytest

from aggregate_cases import MEM, G, data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag
from xiangcun_eval.methods.aggregate import outranking

nan = np.nan


def coinr_copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Loop transcription of COINr outrankMatrix + a_copeland for complete data."""
    n = x.shape[0]
    w = w / w.sum()
    orm = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i < j:
                orm[i, j] = w[x[i] > x[j]].sum() + w[x[i] == x[j]].sum() / 2
            elif i > j:
                orm[i, j] = 1 - orm[j, i]
    t = np.where(orm > 0.5, 1.0, np.where(orm < 0.5, -1.0, 0.0))
    np.fill_diagonal(t, 0.0)
    out: np.ndarray = t.sum(axis=1)
    return out


def test_copeland_hand_example() -> None:
    # 3 units, 3 equally weighted indicators
    x = np.array([[3.0, 1.0, 2.0],
                  [2.0, 2.0, 2.0],
                  [1.0, 3.0, 1.0]])
    # A vs B: A>B on 1, <B on 1, = on 1 -> M=1/3+1/6=0.5 -> 0
    # A vs C: A>C on 1,3, <C on 2 -> 2/3 -> A +1, C -1
    # B vs C: B>C on 1,3 -> B +1, C -1
    out = ag.copeland(x, np.ones(3), np.zeros(3, dtype=np.intp), 1)
    np.testing.assert_array_equal(out[:, 0], [1.0, 1.0, -2.0])


def test_copeland_matches_coinr_loop_with_ties() -> None:
    rng = np.random.default_rng(12)
    x = rng.integers(0, 4, size=(30, 5)).astype(float)  # many ties
    # binary-exact normalised weights, so COINr's float comparisons with 0.5 are exact too
    for w in (np.array([1.0, 1.0, 2.0, 3.0, 1.0]), np.ones(5), np.array([1.0, 3, 4, 1, 1])):
        out = ag.copeland(x, w, MEM, G)
        for grp in range(G):
            cols = np.equal(MEM, grp)
            np.testing.assert_array_equal(out[:, grp], coinr_copeland(x[:, cols], w[cols]))


def test_copeland_exact_tie_despite_float_weights() -> None:
    # weights 0.1, 0.2, 0.3 normalise to 1/6, 1/3, 1/2 -- the units below tie exactly
    # (1/6 + 1/3 = 1/2), although 0.3 / (0.1 + 0.2 + 0.3) < 0.5 in floating point
    x = np.array([[0.0, 0.0, 2.0], [1.0, 1.0, 0.0]])
    out = ag.copeland(x, np.array([0.1, 0.2, 0.3]), np.zeros(3, dtype=np.intp), 1)
    np.testing.assert_array_equal(out[:, 0], [0.0, 0.0])
    assert 0.3 / (0.1 + 0.2 + 0.3) < 0.5  # the float quirk a naive M == 0.5 test would hit


def test_copeland_missing_pairs_symmetric_and_limit() -> None:
    x = np.array([[1.0, nan, 3.0], [2.0, 5.0, nan], [nan, nan, nan], [0.0, 0.0, 0.0]])
    out = ag.copeland(x, np.ones(3), np.zeros(3, dtype=np.intp), 1)[:, 0]
    # 0 vs 1: common child 0 only -> 1 wins; 0 vs 3: children 0,2 -> 0 wins;
    # 1 vs 3: children 0,1 -> 1 wins; unit 2 has nothing -> NaN, ties with everyone
    np.testing.assert_array_equal(out, [0.0, 2.0, nan, -2.0])
    rev = ag.copeland(x[::-1], np.ones(3), np.zeros(3, dtype=np.intp), 1)[::-1, 0]
    np.testing.assert_array_equal(rev, out)
    with pytest.raises(MethodError, match="max_units"):
        ag.copeland(data(30, 5), np.ones(5), MEM, G, max_units=20)


def test_copeland_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    x = data(50, 5, seed=13, missing=0.1)
    a = ag.copeland(x, np.ones(5), MEM, G)
    monkeypatch.setattr(outranking, "_COPELAND_CHUNK_ELEMENTS", 7)
    np.testing.assert_array_equal(ag.copeland(x, np.ones(5), MEM, G), a)
