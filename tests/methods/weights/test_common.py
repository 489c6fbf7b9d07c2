"""Tests of methods/weights/_common.py: the input checks and helpers every
weighting kernel uses (exact expected values, one error test per bad input)."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods.weights import _common as C


def test_data_accepts_2d_and_replicates_only_when_asked() -> None:
    a = C._data([[1, 2], [3, 4]])
    assert a.dtype == np.float64
    assert a.shape == (2, 2)
    assert C._data(np.ones((3, 2, 2)), replicates=True).shape == (3, 2, 2)
    with pytest.raises(MethodError, match=r"2-D array .* got shape \(3, 2, 2\)"):
        C._data(np.ones((3, 2, 2)))
    with pytest.raises(MethodError, match="2-D"):
        C._data([1.0, 2.0])


@pytest.mark.parametrize(
    ("x", "kw", "match"),
    [
        ([["a", "b"], ["c", "d"]], {}, "not numeric"),
        (np.ones((3, 0)), {}, "no columns"),
        (np.ones((1, 2)), {}, "at least 2 units are needed; got 1"),
        (np.ones((2, 2)), {"min_units": 3}, "at least 3 units"),
        ([[1.0, np.inf], [2.0, 3.0], [1.0, -np.inf]], {}, r"±inf in column\(s\) \[1\]"),
    ],
)
def test_data_errors(x: object, kw: dict[str, int], match: str) -> None:
    with pytest.raises(MethodError, match=match):
        C._data(x, **kw)  # type: ignore[arg-type]


def test_data_allows_nan_and_zero_units_when_asked() -> None:
    assert np.isnan(C._data([[np.nan, 1.0], [2.0, 3.0]])[0, 0])
    assert C._data(np.ones((0, 3)), min_units=0).shape == (0, 3)


def test_cols_any_replicate() -> None:
    m = np.zeros((2, 4), dtype=bool)
    m[1, 3] = True
    m[0, 1] = True
    assert C._cols(m) == [1, 3]


def test_complete_cases() -> None:
    x = np.array([[1.0, 2.0], [np.nan, 1.0], [3.0, 4.0], [5.0, np.nan]])
    np.testing.assert_array_equal(C._complete_cases(x, 2, "M"), [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(MethodError, match=r"only 2 complete cases .* M needs at least 3"):
        C._complete_cases(x, 3, "M")


def test_normalise_sum() -> None:
    np.testing.assert_array_equal(C._normalise_sum(np.array([1.0, 3.0]), "w"), [0.25, 0.75])
    np.testing.assert_array_equal(
        C._normalise_sum(np.array([[1.0, 1.0], [0.0, 2.0]]), "w"), [[0.5, 0.5], [0.0, 1.0]]
    )
    for bad in ([0.0, 0.0], [1.0, np.nan], [-1.0, 0.5]):
        with pytest.raises(MethodError, match=r"w: .*sum to zero or are not finite"):
            C._normalise_sum(np.array(bad), "w")


def test_count_available() -> None:
    x = np.array([[1.0, np.nan], [2.0, 3.0], [np.nan, np.nan]])
    with pytest.raises(MethodError, match=r"m: .*column\(s\) \[1\] have fewer than 2"):
        C._count_available(x, 2, "m")
    np.testing.assert_array_equal(C._count_available(x, 1, "m"), [2.0, 1.0])


def test_minmax_direction_constant_and_nan() -> None:
    x = np.array([[1.0, 5.0, 2.0], [3.0, 5.0, np.nan], [2.0, 5.0, 4.0]])
    z, const = C._minmax(x, np.array([1.0, 1.0, -1.0]))
    np.testing.assert_array_equal(z[:, 0], [0.0, 1.0, 0.5])
    np.testing.assert_array_equal(z[:, 1], [0.0, 0.0, 0.0])  # constant column -> 0
    np.testing.assert_array_equal(z[[0, 2], 2], [1.0, 0.0])  # cost: (max - x)/(max - min)
    assert np.isnan(z[1, 2])
    np.testing.assert_array_equal(const, [False, True, False])
    z0, _ = C._minmax(x, None)
    np.testing.assert_array_equal(z0[[0, 2], 2], [0.0, 1.0])


def test_explicit_vector_list_mapping_and_errors() -> None:
    np.testing.assert_array_equal(C._explicit_vector([1, 3], 2, None), [0.25, 0.75])
    np.testing.assert_array_equal(
        C._explicit_vector({"b": 3.0, "a": 1.0}, 2, ["a", "b"]), [0.25, 0.75]
    )
    with pytest.raises(MethodError, match="need the column codes"):
        C._explicit_vector({"a": 1.0}, 1, None)
    with pytest.raises(MethodError, match="1 codes for 2 columns"):
        C._explicit_vector({"a": 1.0}, 2, ["a"])
    with pytest.raises(MethodError, match=r"missing \['b'\], unknown \['c'\]"):
        C._explicit_vector({"a": 1.0, "c": 2.0}, 2, ["a", "b"])
    with pytest.raises(MethodError, match="3 weights for 2 columns"):
        C._explicit_vector([1, 2, 3], 2, None)
    with pytest.raises(MethodError, match=r"finite and non-negative: column\(s\) \[1\]"):
        C._explicit_vector([1.0, -1.0], 2, None)
    with pytest.raises(MethodError, match="sum to zero"):
        C._explicit_vector([0.0, 0.0], 2, None)
