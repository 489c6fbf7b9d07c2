"""Archive codecs: BLOB round trips (exact bytes, NaN kept)."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xiangcun_eval.archive import codec


@given(arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(1, 5)),
              elements=st.floats(allow_nan=True, allow_infinity=True)))
def test_rows_roundtrip_bitwise(a: np.ndarray) -> None:
    back = codec.decode_matrix(codec.encode_rows(a), a.shape[1])
    assert back.shape == a.shape
    assert back.tobytes() == a.tobytes()


def test_results_roundtrip() -> None:
    arrs = [np.arange(6.0).reshape(2, 3), np.array([np.nan, 1.0]), np.array([0, -1])]
    blob, shapes = codec.encode_results(arrs)
    back = codec.decode_results(blob, shapes)
    assert json.loads(shapes) == [[2, 3], [2], [2]]
    for a, b in zip(arrs, back, strict=True):
        np.testing.assert_array_equal(a, b)
    assert codec.results_digest(blob) == codec.results_digest(bytes(blob))


def test_groups_shared_encoding() -> None:
    out = codec.encode_groups({"region": ("东部", "东部"), "province": ("浙江", "浙江")}, 2)
    assert out == ['{"province": "浙江", "region": "东部"}'] * 2
    assert codec.encode_groups({}, 3) == ["{}"] * 3


def test_ids_roundtrip() -> None:
    assert codec.decode_ids(codec.encode_ids([5, 1, 9])).tolist() == [5, 1, 9]
