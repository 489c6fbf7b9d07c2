"""Large result arrays: huge-page placement and hand-over without a copy."""

from __future__ import annotations

import mmap

import numpy as np
import pytest

from xiangcun_eval.inputs import _buffers
from xiangcun_eval.inputs._buffers import HUGE_MIN, empty_array, hand_over, take_over


def test_small_arrays_are_plain_numpy() -> None:
    a = empty_array((10, 3))
    assert a.shape == (10, 3)
    assert a.dtype == np.float64
    assert a.flags.owndata


def test_large_arrays_hold_what_is_written() -> None:
    rows = HUGE_MIN // (8 * 4) + 1
    a = empty_array((rows, 4))
    a[:] = np.arange(rows * 4, dtype=np.float64).reshape(rows, 4)
    assert a.shape == (rows, 4)
    assert a.flags.c_contiguous
    assert a.flags.writeable
    assert a[-1, -1] == rows * 4 - 1
    if hasattr(mmap, "MADV_HUGEPAGE"):
        assert isinstance(a.base, mmap.mmap)


def test_without_huge_pages_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(_buffers.mmap, "MADV_HUGEPAGE", raising=False)
    a = empty_array((HUGE_MIN // 8 + 1,))
    assert a.flags.owndata


def test_hand_over_keeps_the_memory_and_makes_it_read_only() -> None:
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    kept = take_over(hand_over(a))
    assert kept is not None
    assert type(kept) is np.ndarray
    assert np.shares_memory(kept, a)
    assert not kept.flags.writeable
    assert take_over(a) is None  # not handed over: the caller copies
    assert take_over(hand_over(a).astype(np.float32)) is None
    assert take_over([1.0]) is None


def test_unit_data_copies_unless_handed_over() -> None:
    from xiangcun_eval.framework.registry import load_framework
    from xiangcun_eval.inputs.data import UnitData

    fw = load_framework("dvd-2023")
    k = len(fw.indicator_codes)
    vals = np.ones((2, k))
    copied = UnitData(framework=fw, units=("a", "b"), names=("a", "b"), values=vals)
    assert not np.shares_memory(copied.values, vals)
    kept = UnitData(framework=fw, units=("a", "b"), names=("a", "b"), values=hand_over(vals))
    assert np.shares_memory(kept.values, vals)
    assert type(kept.values) is np.ndarray
    assert not kept.values.flags.writeable
