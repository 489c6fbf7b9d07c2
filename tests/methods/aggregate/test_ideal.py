"""Tests of methods/aggregate/ideal.py: TOPSIS (reference: pymcdm 1.4)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest

from aggregate_cases import MEM, G, data
from xiangcun_eval.methods import aggregate as ag

nan = np.nan


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("norm", ["vector", "minmax"])
def test_topsis_matches_pymcdm(norm: Literal["vector", "minmax"]) -> None:
    from pymcdm import normalizations  # type: ignore[import-untyped, unused-ignore]
    from pymcdm.methods import TOPSIS  # type: ignore[import-untyped, unused-ignore]

    fn = {"vector": normalizations.vector_normalization,
          "minmax": normalizations.minmax_normalization}[norm]
    x = data(30, 5, seed=7)
    x[:, 4] = x[:, 3] * 0.5 + 3  # correlated column
    w = np.array([0.2, 0.5, 0.3, 1.0, 3.0])
    out = ag.topsis(x, w, MEM, G, normalisation=norm, scale=100.0)
    for grp in range(G):
        cols = np.equal(MEM, grp)
        wg = w[cols] / w[cols].sum()
        ref = TOPSIS(fn)(x[:, cols], wg, np.ones(int(cols.sum())))
        np.testing.assert_allclose(out[:, grp], 100 * ref, rtol=1e-12, atol=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_topsis_pymcdm_default_and_constant_column() -> None:
    from pymcdm.methods import TOPSIS  # type: ignore[import-untyped, unused-ignore]

    x = data(10, 3, seed=8)
    x[:, 1] = 5.0
    w = np.array([0.5, 0.25, 0.25])
    mem = np.zeros(3, dtype=np.intp)
    ref = TOPSIS()(x, w, np.ones(3))  # pymcdm's default normalisation is min-max
    np.testing.assert_allclose(ag.topsis(x, w, mem, 1, normalisation="minmax")[:, 0], ref,
                               rtol=1e-12)


def test_topsis_missing_and_degenerate() -> None:
    x = np.array([[1.0, 2.0, 3.0, 5.0, 5.0],
                  [2.0, nan, 1.0, 5.0, 5.0],
                  [nan, nan, nan, 5.0, 5.0]])
    out = ag.topsis(x, np.ones(5), MEM, G)
    assert np.isnan(out[2, 0])
    np.testing.assert_allclose(out[:, 1], 0.5)  # constant group: equal to ideal and anti-ideal
    assert ((out[:2, 0] >= 0) & (out[:2, 0] <= 1)).all()
    # dropping the missing child == TOPSIS on the child columns the unit has
    x2 = data(20, 5, seed=9, missing=0.2)
    c = ag.topsis(x2, np.ones(5), MEM, G)
    assert np.nanmin(c) >= 0
    assert np.nanmax(c) <= 1


def test_topsis_missing_child_hand_example() -> None:
    # Three units, three children of one group, weights 1:1:2 (0.25, 0.25, 0.5).
    # Vector normalisation over the available units of each column:
    #   col 0 (3, -, 4) / 5 -> 0.6, -, 0.8;  col 1 (0, 3, 4) / 5 -> 0, 0.6, 0.8;
    #   col 2 (4, 3, 0) / 5 -> 0.8, 0.6, 0.
    # Ideal (0.8, 0.8, 0.8), anti-ideal (0.6, 0, 0); squared weights 1/16, 1/16, 1/4.
    # unit 0: D+^2 = 0.04/16 + 0.64/16 = 0.0425, D-^2 = 0.64/4 = 0.16
    # unit 1 (child 0 missing, dropped): D+^2 = 0.04/16 + 0.04/4 = 0.0125,
    #         D-^2 = 0.36/16 + 0.36/4 = 0.1125 -> C = sqrt(.1125)/(sqrt(.0125)+sqrt(.1125)) = 3/4
    # unit 2: D+^2 = 0.64/4 = 0.16, D-^2 = 0.04/16 + 0.64/16 = 0.0425
    x = np.array([[3.0, 0.0, 4.0], [nan, 3.0, 3.0], [4.0, 4.0, 0.0]])
    w = np.array([1.0, 1.0, 2.0])
    out = ag.topsis(x, w, np.zeros(3, dtype=np.intp), 1)[:, 0]
    a = np.sqrt(0.0425)
    np.testing.assert_allclose(out, [0.4 / (0.4 + a), 0.75, a / (0.4 + a)], rtol=1e-14)
    # weights are normalised within the group: scaling them changes nothing
    np.testing.assert_allclose(ag.topsis(x, 7 * w, np.zeros(3, dtype=np.intp), 1)[:, 0], out,
                               rtol=1e-14)
    # scale multiplies the closeness
    np.testing.assert_allclose(
        ag.topsis(x, w, np.zeros(3, dtype=np.intp), 1, scale=100.0)[:, 0], 100 * out, rtol=1e-14
    )
    # the missing child is dropped, not read as 0: reading it as 0 gives another value
    x0 = np.nan_to_num(x)
    assert ag.topsis(x0, w, np.zeros(3, dtype=np.intp), 1)[1, 0] != pytest.approx(0.75)


def test_topsis_minmax_missing_child_hand_example() -> None:
    # min-max over available units: col 0 (0, -, 10, 5) -> 0, -, 1, 0.5;
    # col 1 (2, 4, 6, 2) -> 0, 0.5, 1, 0; equal weights (1/4 squared each).
    # unit 1 has only child 1 (r = 0.5): D+ = D- = 0.5/2 -> C = 0.5
    # unit 3: D+^2 = (0.25 + 1)/4, D-^2 = 0.25/4 -> C = 0.5/(sqrt(1.25) + 0.5)
    x = np.array([[0.0, 2.0], [nan, 4.0], [10.0, 6.0], [5.0, 2.0]])
    out = ag.topsis(x, np.ones(2), np.zeros(2, dtype=np.intp), 1, normalisation="minmax")[:, 0]
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0, 0.5 / (np.sqrt(1.25) + 0.5)], rtol=1e-14)
