"""Input handling shared by the analyses: scores, groups, the missing-value rule, scaling."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import demo_evaluation
from xiangcun_eval.analysis._common import as_groups, as_scores, finite_subset, unit_scale
from xiangcun_eval.errors import MethodError


@pytest.fixture(scope="module")
def ev():  # type: ignore[no-untyped-def]
    return demo_evaluation()


def test_as_scores_from_an_array_labels_units_by_position() -> None:
    x, units = as_scores([3, 1.5, np.nan])
    assert x.dtype == np.float64
    np.testing.assert_array_equal(x, [3.0, 1.5, np.nan])
    assert units == ("0", "1", "2")


def test_as_scores_from_an_evaluation(ev) -> None:  # type: ignore[no-untyped-def]
    x, units = as_scores(ev)
    np.testing.assert_array_equal(x, ev.score(ev.framework.root.code))
    assert units == ev.units
    child = ev.framework.indicator_codes[0]
    np.testing.assert_array_equal(as_scores(ev, child)[0], ev.score(child))


def test_as_scores_errors(ev) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MethodError, match="no node 'nope'"):
        as_scores(ev, "nope")
    with pytest.raises(MethodError, match="applies to an Evaluation only"):
        as_scores([1.0, 2.0], "x")
    with pytest.raises(MethodError, match=r"one-dimensional.*\(2, 2\)"):
        as_scores(np.ones((2, 2)))


def test_as_groups_from_labels_sorted_and_blank_is_no_group() -> None:
    codes, labels = as_groups([1.0] * 5, ["b", "a", "", "b", "c"], 5)
    assert labels == ("a", "b", "c")
    assert codes.tolist() == [1, 0, -1, 1, 2]
    codes, labels = as_groups(None, np.array([2, 1, 2]), 3)  # type: ignore[arg-type]
    assert labels == ("1", "2")
    assert codes.tolist() == [1, 0, 1]


def test_as_groups_from_a_column(ev) -> None:  # type: ignore[no-untyped-def]
    codes, labels = as_groups(ev, "region", len(ev.units))
    exp_codes, exp_labels = ev.data.group_codes("region")
    assert labels == exp_labels
    np.testing.assert_array_equal(codes, exp_codes)


def test_as_groups_errors(ev) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MethodError, match="needs an Evaluation"):
        as_groups([1.0, 2.0], "region", 2)
    with pytest.raises(MethodError, match="no grouping column 'nope'"):
        as_groups(ev, "nope", len(ev.units))
    with pytest.raises(MethodError, match="2 group labels for 3 units"):
        as_groups([1.0, 2.0, 3.0], ["a", "b"], 3)


def test_finite_subset_drops_missing_and_ungrouped() -> None:
    x = np.array([1.0, np.nan, 3.0, 4.0, np.inf])
    keep, dropped = finite_subset(x)
    assert keep.tolist() == [True, False, True, True, False]
    assert dropped == 2
    keep, dropped = finite_subset(x, np.array([0, 0, -1, 1, 0]))
    assert keep.tolist() == [True, False, False, True, False]
    assert dropped == 3


def test_unit_scale_explicit_bounds_and_range() -> None:
    x = np.array([0.0, 25.0, 100.0])
    np.testing.assert_allclose(unit_scale(x, (0.0, 100.0), None, "t"), [0.0, 0.25, 1.0])
    np.testing.assert_allclose(unit_scale(x, "range", None, "t"), [0.0, 0.25, 1.0])
    m = np.array([[1.0, 10.0], [3.0, np.nan], [2.0, 30.0]])
    np.testing.assert_allclose(
        unit_scale(m, "range", None, "t"), [[0.0, 0.0], [1.0, np.nan], [0.5, 1.0]])
    # within the 1e-9 tolerance: clipped to the bound
    assert unit_scale(np.array([100.0 + 1e-8]), (0.0, 100.0), None, "t")[0] == 1.0


def test_unit_scale_auto_uses_the_evaluation_bounds(ev) -> None:  # type: ignore[no-untyped-def]
    x = np.asarray(ev.score(ev.framework.root.code))
    np.testing.assert_allclose(unit_scale(x, "auto", ev, "t"), x / 100.0)


@pytest.mark.parametrize(
    ("x", "scale", "match"),
    [
        (np.array([1.0, 2.0]), "auto", "with plain arrays give"),
        (np.array([2.0, 2.0]), "range", "constant column"),
        (np.array([1.0, 2.0]), (5.0, 5.0), "upper must exceed lower"),
        (np.array([1.0, 2.0]), (3.0, 1.0), "upper must exceed lower"),
        (np.array([1.0, 101.0]), (0.0, 100.0), r"outside \[0, 1\]"),
        (np.array([-1.0, 50.0]), (0.0, 100.0), r"outside \[0, 1\]"),
        (np.array([1.0, 2.0]), "zscore", "unknown scale 'zscore'"),
    ],
)
def test_unit_scale_errors(x, scale, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MethodError, match=f"^what: .*{match}"):
        unit_scale(x, scale, None, "what")
