"""Tests of methods/weights/pairwise.py: AHP priorities and consistency.

References: ahpy 2.1, Saaty (1990) EJOR house example."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W

SAATY_HOUSE = np.array(
    [
        [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
        [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
        [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
        [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
        [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
        [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
        [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
        [4, 7, 5, 8, 6, 6, 2, 1],
    ]
)


def test_ahp_saaty_house_example() -> None:
    r = W.ahp(SAATY_HOUSE, allow_inconsistent=True)
    assert np.allclose(
        np.round(r.weights, 3), [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    )
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.ri == 1.41
    assert not r.consistent
    with pytest.raises(MethodError, match="CR"):
        W.ahp(SAATY_HOUSE)


@pytest.mark.parametrize(("table", "ahpy_ri"), [("saaty2005", "saaty"), ("donegan_dodd", "dd")])
def test_ahp_matches_ahpy(table: str, ahpy_ri: str) -> None:
    ahpy = pytest.importorskip("ahpy")
    a = np.array([[1, 3, 5, 4], [1 / 3, 1, 2, 3], [1 / 5, 1 / 2, 1, 1], [1 / 4, 1 / 3, 1, 1]])
    names = "abcd"
    comp = {(names[i], names[j]): a[i, j] for i in range(4) for j in range(i + 1, 4)}
    ref = ahpy.Compare("g", comp, precision=10, random_index=ahpy_ri)
    r = W.ahp(a, ri_table=table)  # type: ignore[arg-type]
    assert np.allclose(r.weights, [ref.local_weights[k] for k in names], atol=1e-9)
    assert r.cr == pytest.approx(ref.consistency_ratio, abs=1e-9)


def test_ahp_tables_consistent_matrix_and_validation() -> None:
    assert W.RANDOM_INDEX["saaty"][:10] == (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
    assert W.RANDOM_INDEX["xu"][2:6] == (0.52, 0.89, 1.12, 1.26)
    assert all(len(t) == 15 for t in W.RANDOM_INDEX.values())
    v = np.array([0.5, 0.3, 0.2])
    a = v[:, None] / v[None, :]
    r = W.ahp(a)
    assert np.allclose(r.weights, v)
    assert r.cr == pytest.approx(0, abs=1e-12)
    assert W.ahp(np.array([[1, 3], [1 / 3, 1]])).cr == 0.0
    assert np.allclose(W.ahp_weights(np.zeros((5, 3)), matrix=a), v)
    # 0.333 for 1/3 is accepted as reciprocal
    W.ahp(np.array([[1, 3, 1], [0.333, 1, 0.333], [1, 3, 1]]))
    with pytest.raises(MethodError, match="reciprocal"):
        W.ahp(np.array([[1, 3], [0.5, 1]]))
    with pytest.raises(MethodError, match="square"):
        W.ahp(np.ones((2, 3)))
    with pytest.raises(MethodError, match="diagonal"):
        W.ahp(np.array([[2, 1], [1, 1]]))
    with pytest.raises(MethodError, match="positive"):
        W.ahp(np.array([[1, -1], [-1, 1]]))
    with pytest.raises(MethodError, match="15"):
        W.ahp(np.ones((16, 16)))
    with pytest.raises(MethodError, match="does not match"):
        W.ahp_weights(np.zeros((5, 4)), matrix=a)
    with pytest.raises(MethodError, match="matrix"):
        W.ahp_weights(np.zeros((5, 3)))
    # settings without a matrix validate (the pipeline reads matrices from files)
    W.REGISTRY.validate("ahp", {"ri_table": "xu", "allow_inconsistent": True})
