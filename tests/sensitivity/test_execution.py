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
    c, est = chunk_rows(ctx, None, 1 << 30, 0, 100, 1)
    assert c == 2 * eng.BLOCK  # rounded up
    assert est == eng.bytes_per_row(ctx) * c
    c, est = chunk_rows(ctx, None, 1 << 30, 1000, None, 1)
    assert c % eng.BLOCK == 0 and c >= eng.BLOCK and 1000 < est <= 1 << 30
    with pytest.raises(eng.MemoryBudgetError, match="memory budget"):
        chunk_rows(ctx, None, 1000, 0, None, 1)


def test_run_options_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    from xiangcun_eval.sensitivity import execution
    from xiangcun_eval.sensitivity.execution import (
        DEFAULT_BUDGET,
        RunOptions,
        available_memory,
    )

    # the machine's available memory changes between two reads: pin it
    monkeypatch.setattr(execution, "available_memory", lambda: 6 << 30)
    assert RunOptions().budget == 3 << 30  # half of it
    monkeypatch.setattr(execution, "available_memory", lambda: 100 << 20)
    assert RunOptions().budget == 256 << 20  # at least 256 MiB
    monkeypatch.setattr(execution, "available_memory", lambda: None)
    assert RunOptions().budget == DEFAULT_BUDGET  # unknown: the fixed default
    monkeypatch.undo()
    assert RunOptions().resolution_budget == DEFAULT_BUDGET
    avail = available_memory()
    assert avail is None or avail > 0  # Linux: MemAvailable
    assert RunOptions(memory_budget=2**20).budget == 2**20
    with pytest.raises(MethodError, match="memory_budget"):
        RunOptions(memory_budget=0)
    with pytest.raises(MethodError, match="chunk_size"):
        RunOptions(chunk_size=-5)
    with pytest.raises(MethodError, match="progress must be"):
        RunOptions(progress="bar")  # type: ignore[arg-type]
    with pytest.raises(MethodError, match="blas_threads"):
        RunOptions(blas_threads=0)
    assert RunOptions().blas_threads == 1
    assert RunOptions(blas_threads=None).blas_threads is None


def test_old_keywords_warn_and_give_the_same_numbers() -> None:
    from xiangcun_eval.sensitivity.execution import RunOptions
    from xiangcun_eval.sensitivity.sobol import sensitivity
    from xiangcun_eval.sensitivity.uncertainty import uncertainty

    data, m = asem()
    seen: list[int] = []
    new = uncertainty(data, m, COINR, n=200, seed=3, run=RunOptions(chunk_size=64))
    with pytest.warns(DeprecationWarning, match="run=RunOptions"):
        old = uncertainty(data, m, COINR, n=200, seed=3, chunk_size=64, memory_budget=1 << 30,
                          progress=lambda d, t: seen.append(d), executor=None)
    assert old.rank_quantiles.tobytes() == new.rank_quantiles.tobytes()
    assert old.score_mean.tobytes() == new.score_mean.tobytes()
    assert seen == [64, 128, 192, 200]
    with pytest.warns(DeprecationWarning, match="run=RunOptions"):
        s_old = sensitivity(data, m, COINR, n=16, seed=3, n_boot=0, chunk_size=64)
    s_new = sensitivity(data, m, COINR, n=16, seed=3, n_boot=0)
    assert s_old.rank.first.tobytes() == s_new.rank.first.tobytes()
    with pytest.raises(TypeError, match="not both"):
        uncertainty(data, m, COINR, n=10, seed=1, run=RunOptions(), chunk_size=64)
    with pytest.raises(TypeError, match="unexpected keyword"):
        uncertainty(data, m, COINR, n=10, seed=1, chunksize=64)


def test_streamed_chunks_fit_the_dask_workers_memory_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunk shrinks (by BLOCK) until one worker's estimate fits its memory_limit;
    when even BLOCK rows do not fit, a ResourceWarning says so and BLOCK is used."""
    from xiangcun_eval.sensitivity import execution

    data, m = asem()
    nominal = evaluate(data, m)
    ctx = eng.build_context(data, m, COINR, seed=1, sampling="random",
                            nominal_index=nominal.index, nominal_rank=nominal.rank,
                            nominal_level1=nominal.level_scores[0], rank_bins=51, score_bins=64)
    ex = object()  # stands for a Dask client: worker_memory is patched
    free, _ = chunk_rows(ctx, None, 1 << 30, 0, None, 1, streamed=True)
    assert free > 2 * eng.BLOCK
    base = execution.WORKER_BASE + eng.context_bytes(ctx)
    need = base + 2 * eng.streamed_task_bytes(ctx, 2 * eng.BLOCK)
    monkeypatch.setattr(execution, "worker_memory", lambda e: (need, 2))
    c, _ = chunk_rows(ctx, ex, 1 << 30, 0, None, 1, streamed=True)
    assert c == 2 * eng.BLOCK
    assert execution.worker_estimate(ctx, ex, c) == need
    monkeypatch.setattr(execution, "worker_memory", lambda e: (base, 2))
    with pytest.warns(ResourceWarning, match="memory_limit"):
        c, _ = chunk_rows(ctx, ex, 1 << 30, 0, None, 1, streamed=True)
    assert c == eng.BLOCK
    monkeypatch.setattr(execution, "worker_memory", lambda e: None)
    assert execution.worker_estimate(ctx, ex, 64) == 0
