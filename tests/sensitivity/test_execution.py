"""Shared execution helpers: argument checks and the budget-derived chunk size."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import asem
from spaces import COINR
from xiangcun_eval.errors import MethodError
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import Methodology
from xiangcun_eval.sensitivity import engine as eng
from xiangcun_eval.sensitivity.execution import (
    as_methodology,
    as_space,
    check_n,
    check_seed,
    chunk_rows,
)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3", None])
def test_check_seed_rejects(bad: object) -> None:
    with pytest.raises(MethodError, match="seed"):
        check_seed(bad)


def test_check_seed_and_n_accept_numpy_ints() -> None:
    assert check_seed(np.int64(3)) == 3 and check_seed(0) == 0
    assert check_n(np.int32(5)) == 5
    with pytest.raises(MethodError, match="chunk_size"):
        check_n(0, "chunk_size")


def test_coercions() -> None:
    assert as_methodology(None) == Methodology()
    assert as_space(COINR) is COINR


def test_chunk_rows_multiple_of_block_and_budget_error() -> None:
    data, m = asem()
    nominal = evaluate(data, m)
    ctx = eng.build_context(data, m, COINR, seed=1, sampling="random",
                            nominal_index=nominal.index, nominal_rank=nominal.rank,
                            nominal_level1=nominal.level_scores[0])
    assert chunk_rows(ctx, None, 1 << 30, 0, 100, 1) == 2 * eng.BLOCK  # rounded up
    c = chunk_rows(ctx, None, 1 << 30, 0, None, 1)
    assert c % eng.BLOCK == 0 and c >= eng.BLOCK
    with pytest.raises(eng.MemoryBudgetError, match="memory budget"):
        chunk_rows(ctx, None, 1000, 0, None, 1)
