"""Packed-key ranking: exact ranks (ties "min") equal to the library kernel."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xiangcun_eval.methods.rank import rank_desc
from xiangcun_eval.sensitivity.ranking import desc_ranks_i32


def test_equals_rank_desc_with_ties_and_near_ties() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 301))
    x[:50] = np.round(x[:50], 1)  # many exact ties
    x[50:60, 1] = np.nextafter(x[50:60, 0], np.inf)  # neighbours one ulp apart
    x[60:70, :3] = -0.0
    x[60:70, 3:6] = 0.0  # -0.0 and +0.0 tie
    x[70:80] *= 1e300
    r = desc_ranks_i32(x)
    assert r.dtype == np.int32
    np.testing.assert_array_equal(r, rank_desc(x).astype(np.int32))


def test_rows_are_independent() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 50))
    full = desc_ranks_i32(x)
    np.testing.assert_array_equal(np.vstack([desc_ranks_i32(x[i:i + 1]) for i in range(64)]), full)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 40)),
                  elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)))
def test_property_equals_rank_desc(x: np.ndarray) -> None:  # type: ignore[type-arg]
    np.testing.assert_array_equal(desc_ranks_i32(x), rank_desc(x).astype(np.int32))
