"""Packed-key ranking: the fast path of the one ranking kernel equals the argsort path."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xiangcun_eval.methods._packed_rank import packed_ranks
from xiangcun_eval.methods._stats import _rank_min_argsort, rank_min

VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 1.0, -1.0, 5e-324, np.nextafter(1.0, 2.0)]))


@settings(max_examples=150, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 30)), elements=VALUES))
def test_rank_min_equals_argsort_kernel(x: np.ndarray) -> None:  # type: ignore[type-arg]
    got = rank_min(x, axis=-1)
    want = _rank_min_argsort(x)
    assert got.tobytes() == want.tobytes()
    assert rank_min(x.T, axis=0).tobytes() == want.T.copy().tobytes()


def test_packed_ranks_exact_with_ties_nan_and_inf() -> None:
    x = np.array([[3.0, -1.0, 2.5, -0.0],     # distinct
                  [1.0, 2.0, 1.0, 0.0],       # tie
                  [np.nan, 2.0, -5.0, np.inf],  # NaN last
                  [np.nan, np.nan, 1.0, 1.0]])  # two NaN, a tie
    r = packed_ranks(x, descending=False)
    np.testing.assert_array_equal(r[0], [4, 1, 3, 2])
    np.testing.assert_array_equal(r[1], [2, 4, 2, 1])
    np.testing.assert_array_equal(r[2, 1:], [2, 1, 3])
    np.testing.assert_array_equal(r[3, 2:], [1, 1])
    rd = packed_ranks(x, descending=True)
    np.testing.assert_array_equal(rd[0], [1, 4, 2, 3])
    np.testing.assert_array_equal(rd[1], [2, 1, 2, 4])
    np.testing.assert_array_equal(rd[2, 1:], [2, 3, 1])
    # input untouched
    assert x[0, 3] == 0.0
    assert np.signbit(x[0, 3])


def test_zeros_tie_and_values_closer_than_the_kept_bits() -> None:
    x = np.array([[0.0, -0.0, 1.0]])
    np.testing.assert_array_equal(packed_ranks(x, descending=True), [[2, 2, 1]])
    np.testing.assert_array_equal(rank_min(x, axis=-1), [[1.0, 1.0, 3.0]])
    rng = np.random.default_rng(2)
    y = rng.normal(size=(20, 1000))
    y[:, 1] = np.nextafter(y[:, 0], np.inf)  # one ulp apart: same high key bits
    y[:, 2] = y[:, 0]  # and an exact tie in the same run
    np.testing.assert_array_equal(rank_min(y, axis=-1), _rank_min_argsort(y))
    big = rng.normal(size=(2, 200_000))  # 18 column bits: runs in every row
    np.testing.assert_array_equal(rank_min(big, axis=-1), _rank_min_argsort(big))
