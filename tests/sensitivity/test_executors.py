"""``run_tasks`` / ``n_workers`` / ``AnalysisInterrupted`` on the serial and futures paths
(the Dask path is exercised in test_dask.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from xiangcun_eval.errors import XiangcunError
from xiangcun_eval.sensitivity.executors import AnalysisInterrupted, n_workers, run_tasks


def _chunk(ctx: int, task: tuple[int, int]) -> list[int]:
    start, stop = task
    return [ctx * i for i in range(start, stop)]


TASKS = [(0, 3), (3, 5), (5, 10), (10, 11)]
SIZES = [3, 2, 5, 1]


def _collect(executor: Any = None) -> tuple[dict[int, list[int]], list[tuple[int, int]]]:
    got: dict[int, list[int]] = {}
    prog: list[tuple[int, int]] = []
    run_tasks(_chunk, 10, TASKS, SIZES, got.__setitem__, executor=executor,
              progress=lambda d, t: prog.append((d, t)))
    return got, prog


def test_serial_runs_in_order_with_cumulative_progress() -> None:
    order: list[int] = []
    run_tasks(_chunk, 2, TASKS, SIZES, lambda i, r: order.append(i))
    assert order == [0, 1, 2, 3]
    got, prog = _collect()
    assert got == {0: [0, 10, 20], 1: [30, 40], 2: [50, 60, 70, 80, 90], 3: [100]}
    assert prog == [(3, 11), (5, 11), (10, 11), (11, 11)]


@pytest.mark.parametrize("workers", [1, 3])
def test_thread_pool_gives_the_same_results(workers: int) -> None:
    serial, _ = _collect()
    with ThreadPoolExecutor(workers) as ex:
        got, prog = _collect(ex)
    assert got == serial
    assert [d for d, _ in prog][-1] == 11
    assert all(t == 11 for _, t in prog)
    assert [d for d, _ in prog] == sorted(d for d, _ in prog)


def test_no_tasks_is_a_no_op() -> None:
    calls: list[Any] = []
    run_tasks(_chunk, 1, [], [], lambda i, r: calls.append(i),
              progress=lambda d, t: calls.append(d))
    assert calls == []


def test_n_workers() -> None:
    assert n_workers(None) == 1
    with ThreadPoolExecutor(3) as ex:
        assert n_workers(ex) == 3
    assert n_workers(object()) == 1  # unknown object: no _max_workers


def test_bad_executor_is_rejected_before_running() -> None:
    calls: list[int] = []
    with pytest.raises(TypeError, match="executor must be None"):
        run_tasks(_chunk, 1, TASKS, SIZES, lambda i, r: calls.append(i), executor=object())
    assert calls == []


def test_keyboard_interrupt_from_progress_records_rows_done() -> None:
    def progress(done: int, total: int) -> None:
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(AnalysisInterrupted) as info:
        run_tasks(_chunk, 1, TASKS, SIZES, lambda i, r: None, progress=progress)
    err = info.value
    assert (err.done, err.total, err.partial) == (5, 11, None)
    assert isinstance(err, XiangcunError)
    assert "5/11" in str(err)
    assert "5 of 11" in str(err)
    assert ".partial" not in str(err)


def test_keyboard_interrupt_on_a_pool_cancels_the_rest() -> None:
    seen: list[int] = []

    def on_result(i: int, r: Any) -> None:
        seen.append(i)
        raise KeyboardInterrupt

    with ThreadPoolExecutor(1) as ex, pytest.raises(AnalysisInterrupted) as info:
        run_tasks(_chunk, 1, TASKS, SIZES, on_result, executor=ex)
    assert len(seen) == 1
    assert info.value.done == 0  # interrupted before the first chunk was counted
    assert info.value.total == 11


def test_interrupted_message_mentions_a_partial_result() -> None:
    err = AnalysisInterrupted(3, 8, partial="p")
    assert err.partial == "p"
    assert "3 of 8" in str(err)
    assert ".partial" in str(err)
    assert str(err).index("分析被中断") < str(err).index("analysis interrupted")


def test_task_errors_propagate_unchanged() -> None:
    def boom(ctx: Any, task: Any) -> None:
        raise ValueError("bad chunk")

    with pytest.raises(ValueError, match="bad chunk"):
        run_tasks(boom, None, [1], [1], lambda i, r: None)
    with ThreadPoolExecutor(2) as ex, pytest.raises(ValueError, match="bad chunk"):
        run_tasks(boom, None, [1, 2, 3], [1, 1, 1], lambda i, r: None, executor=ex)


def _blas_seen(ctx: int, task: tuple[int, int]) -> list[int]:
    from xiangcun_eval._blas import blas_thread_counts

    return blas_thread_counts()


def test_tasks_run_with_the_requested_blas_threads() -> None:
    from xiangcun_eval._blas import blas_limit, blas_thread_counts

    with blas_limit(2):  # as a default multi-threaded BLAS on a 2-core machine
        before = blas_thread_counts()
        seen: dict[int, list[int]] = {}
        run_tasks(_blas_seen, 0, TASKS, SIZES, seen.__setitem__)
        assert all(c == [1] * len(before) for c in seen.values())
        with ThreadPoolExecutor(2) as ex:
            run_tasks(_blas_seen, 0, TASKS, SIZES, seen.__setitem__, executor=ex)
        assert all(c == [1] * len(before) for c in seen.values())
        assert blas_thread_counts() == before  # restored after the run
        run_tasks(_blas_seen, 0, TASKS, SIZES, seen.__setitem__, blas_threads=None)
        assert all(c == before for c in seen.values())
    assert before  # numpy links a BLAS: the test saw at least one library


def test_process_pool_tasks_are_limited_in_their_worker() -> None:
    from concurrent.futures import ProcessPoolExecutor

    seen: dict[int, list[int]] = {}
    with ProcessPoolExecutor(1) as ex:
        run_tasks(_blas_seen, 0, TASKS[:1], SIZES[:1], seen.__setitem__, executor=ex)
        assert seen[0]
        assert set(seen[0]) == {1}
