"""``_blas``: BLAS thread limits around Monte Carlo runs, restored afterwards,
never changing a result."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import asem
from spaces import COINR
from xiangcun_eval._blas import blas_limit, blas_thread_counts, call_with_blas_limit
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.uncertainty import uncertainty


def _fail_inside_limit(seen: list[list[int]]) -> None:
    with blas_limit(1):
        seen.append(blas_thread_counts())
        raise RuntimeError("boom")


def test_limit_is_set_and_restored_even_on_error() -> None:
    with blas_limit(2):
        outer = blas_thread_counts()
        seen: list[list[int]] = []
        with pytest.raises(RuntimeError, match="boom"):
            _fail_inside_limit(seen)
        assert set(seen[0]) == {1}
        assert blas_thread_counts() == outer
        with blas_limit(None):
            assert blas_thread_counts() == outer


def test_call_with_blas_limit() -> None:
    def probe(ctx: int, task: int) -> tuple[int, list[int]]:
        return ctx + task, blas_thread_counts()

    with blas_limit(2):
        total, counts = call_with_blas_limit(1, probe, 1, 2)
    assert total == 3
    assert set(counts) == {1}


def test_blas_threads_never_change_a_result() -> None:
    data, m = asem()
    with blas_limit(2):
        one = uncertainty(data, m, COINR, n=256, seed=5, run=RunOptions(chunk_size=64))
        free = uncertainty(data, m, COINR, n=256, seed=5,
                           run=RunOptions(chunk_size=64, blas_threads=None))
    for name in ("score_quantiles", "rank_quantiles", "rank_mean", "score_mean", "rank_sd"):
        np.testing.assert_array_equal(getattr(one, name), getattr(free, name))
