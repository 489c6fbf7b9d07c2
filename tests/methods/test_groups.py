"""Tests of methods/_groups.py: group sums and weights normalised within groups."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.methods._groups import group_sums, normalise_within

MEM = np.array([0, 0, 1, 1, 1, 2], dtype=np.intp)


def test_hand_example_both_orders() -> None:
    w = np.array([1.0, 3.0, 2.0, 2.0, 4.0, 5.0])
    for rowwise in (False, True):
        np.testing.assert_array_equal(group_sums(w, MEM, 3, rowwise=rowwise), [4.0, 8.0, 5.0])
        np.testing.assert_array_equal(
            normalise_within(w, MEM, 3, rowwise=rowwise), [0.25, 0.75, 0.25, 0.25, 0.5, 1.0]
        )


def test_zero_group_stays_zero_and_replicate_axes() -> None:
    w = np.array([[0.0, 0.0, 1.0, 1.0, 2.0, 3.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]])
    out = normalise_within(w, MEM, 3)
    np.testing.assert_array_equal(
        out, [[0.0, 0.0, 0.25, 0.25, 0.5, 1.0], [0.5, 0.5, 0.0, 0.0, 0.0, 0.0]]
    )
    assert out.shape == (2, 6)
    assert normalise_within(np.ones((2, 3, 6)), MEM, 3).shape == (2, 3, 6)


def test_unordered_membership_and_empty_group() -> None:
    mem = np.array([2, 0, 2, 0], dtype=np.intp)
    w = np.array([1.0, 2.0, 3.0, 6.0])
    np.testing.assert_array_equal(group_sums(w, mem, 4), [8.0, 0.0, 4.0, 0.0])
    np.testing.assert_array_equal(normalise_within(w, mem, 4), [0.25, 0.25, 0.75, 0.75])


def test_rowwise_is_bincount_and_independent_of_row_count() -> None:
    rng = np.random.default_rng(3)
    mem = np.sort(rng.integers(0, 4, 37)).astype(np.intp)
    mem[:4] = np.arange(4)
    mem.sort()
    w = rng.random((50, 37))
    full = normalise_within(w, mem, 4, rowwise=True)
    for r in (0, 7, 49):
        np.testing.assert_array_equal(
            group_sums(w[r], mem, 4, rowwise=True), np.bincount(mem, weights=w[r], minlength=4)
        )
        np.testing.assert_array_equal(normalise_within(w[r], mem, 4, rowwise=True), full[r])
    np.testing.assert_array_equal(normalise_within(w[:13], mem, 4, rowwise=True), full[:13])


def test_default_order_is_the_block_matrix_product() -> None:
    rng = np.random.default_rng(4)
    mem = np.repeat(np.arange(3), [5, 9, 2]).astype(np.intp)
    onehot = np.zeros((16, 3))
    onehot[np.arange(16), mem] = 1.0
    w = rng.random((6, 16))
    np.testing.assert_array_equal(group_sums(w, mem, 3), w @ onehot)
    np.testing.assert_array_equal(group_sums(w[0], mem, 3), w[0] @ onehot)
    # the two orders agree to rounding
    np.testing.assert_allclose(
        normalise_within(w, mem, 3), normalise_within(w, mem, 3, rowwise=True), rtol=1e-14
    )


@pytest.mark.parametrize("rowwise", [False, True])
def test_normalised_groups_sum_to_one(rowwise: bool) -> None:
    w = np.random.default_rng(5).random((4, 6)) + 0.1
    out = normalise_within(w, MEM, 3, rowwise=rowwise)
    np.testing.assert_allclose(group_sums(out, MEM, 3), np.ones((4, 3)), rtol=1e-15)
