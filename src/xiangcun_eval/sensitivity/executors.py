"""Running engine chunks serially, on a ``concurrent.futures`` executor, or on Dask.

Every chunk is a picklable task: a module-level function applied to a
context object (plain data: arrays, pydantic values, dataclasses) and a
``(start, stop)`` row range.  Results are handed back to the caller as they
complete, with their task index, so the caller can combine them in task
order (the engine does, which is what makes results independent of the
executor, of the number of workers and of the completion order).

* ``executor=None``: tasks run one after the other in this process.
* any :class:`concurrent.futures.Executor` (``ThreadPoolExecutor``,
  ``ProcessPoolExecutor``, ...): at most ``2 × max_workers`` tasks are in
  flight at a time, so memory stays proportional to the chunk size.  With a
  process pool the context is pickled with every task.
* a ``dask.distributed.Client`` or its ``get_executor()``: the context is
  scattered to every worker once (``broadcast=True``) and tasks refer to it.

Interruption: a :class:`KeyboardInterrupt` (Ctrl-C, or raised by the
``progress`` callback) cancels every pending task and raises
:class:`AnalysisInterrupted`, which records how many rows were done.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import functools
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from .._blas import blas_limit, call_with_blas_limit
from ..errors import OptionError, XiangcunError
from .progress import ProgressFn

__all__ = ["AnalysisInterrupted", "n_workers", "run_tasks", "worker_memory"]



class AnalysisInterrupted(XiangcunError):
    """The run was interrupted (KeyboardInterrupt); pending chunks were cancelled.

    Attributes
    ----------
    done, total
        Replicates (rows) completed and requested.
    partial
        For uncertainty analysis, an :class:`~xiangcun_eval.UncertaintyResult`
        over the leading replicates that completed (``partial.partial`` is
        True), or None.
    """

    def __init__(self, done: int, total: int, partial: Any = None) -> None:
        self.done = done
        self.total = total
        self.partial = partial
        super().__init__(
            f"分析被中断，已完成 {done}/{total} 次重复，其余已取消 / analysis interrupted after "
            f"{done} of {total} replicates; pending chunks were cancelled"
            + ("; a partial result over the completed leading replicates is in .partial"
               if partial is not None else "")
        )


def _dask_client(executor: Any) -> Any | None:
    """The ``distributed.Client`` behind ``executor``, if any."""
    mod = type(executor).__module__
    if (mod.startswith("distributed") and hasattr(executor, "scatter")
            and hasattr(executor, "submit")):
        return executor
    inner = getattr(executor, "_client", None)
    if inner is not None and mod.startswith("distributed"):
        return inner
    return None


def n_workers(executor: Any) -> int:
    """Number of tasks the executor runs at once (1 for ``None``)."""
    if executor is None:
        return 1
    client = _dask_client(executor)
    if client is not None:
        try:
            info = client.scheduler_info()
            return max(1, sum(int(w.get("nthreads", 1)) for w in info["workers"].values()))
        except Exception:  # pragma: no cover - scheduler not reachable
            return 1
    return max(1, int(getattr(executor, "_max_workers", 1) or 1))


def worker_memory(executor: Any) -> tuple[int, int] | None:
    """Return the smallest worker memory limit (bytes) and the most threads of a worker.

    For a Dask client; None for other executors or when no limit is set.
    """
    client = None if executor is None else _dask_client(executor)
    if client is None:
        return None
    try:
        workers = client.scheduler_info()["workers"].values()
        limits = [int(w.get("memory_limit") or 0) for w in workers]
        threads = max([int(w.get("nthreads", 1)) for w in workers], default=1)
    except Exception:  # pragma: no cover - scheduler not reachable
        return None
    if not limits or min(limits) <= 0:
        return None
    return min(limits), max(1, threads)


def run_tasks(
    fn: Callable[[Any, Any], Any],
    ctx: Any,
    tasks: Sequence[Any],
    sizes: Sequence[int],
    on_result: Callable[[int, Any], None],
    *,
    executor: Any = None,
    progress: ProgressFn | None = None,
    blas_threads: int | None = 1,
) -> None:
    """Run ``fn(ctx, task)`` for every task; call ``on_result(i, result)`` as each completes.

    Parameters
    ----------
    fn
        Module-level function (picklable by reference).
    ctx
        Context shared by all tasks.
    tasks, sizes
        The tasks and the number of replicates each one covers (for progress).
    on_result
        Called in this process, in completion order.
    executor
        None, a ``concurrent.futures.Executor``, or a dask ``Client`` (or its
        ``get_executor()``).
    progress
        ``progress(done, total)`` after each completed task.
    blas_threads
        BLAS threads while the tasks run (:mod:`xiangcun_eval._blas`): set in
        this process (serial runs and thread pools) and, for other
        ``concurrent.futures`` executors, around each task in its worker.
        Dask workers already run one BLAS thread (``distributed``'s nanny
        sets ``OPENBLAS_NUM_THREADS=1``).  ``None``: leave BLAS alone.

    Raises
    ------
    AnalysisInterrupted
        On KeyboardInterrupt (pending tasks cancelled first).
    """
    total = int(sum(sizes))
    state = {"done": 0}

    def finish(i: int, res: Any) -> None:
        on_result(i, res)
        state["done"] += int(sizes[i])
        if progress is not None:
            progress(state["done"], total)

    try:
        with blas_limit(blas_threads):
            _dispatch(fn, ctx, tasks, finish, executor, blas_threads)
    except KeyboardInterrupt:
        raise AnalysisInterrupted(state["done"], total) from None


def _dispatch(fn: Callable[[Any, Any], Any], ctx: Any, tasks: Sequence[Any],
              finish: Callable[[int, Any], None], executor: Any,
              blas_threads: int | None) -> None:
    """Run the tasks on ``executor`` (see :func:`run_tasks`)."""
    if executor is None:
        for i, t in enumerate(tasks):
            finish(i, fn(ctx, t))
        return
    client = _dask_client(executor)
    if client is not None:
        _run_dask(client, fn, ctx, tasks, finish)
    elif isinstance(executor, cf.Executor):
        if not isinstance(executor, cf.ThreadPoolExecutor) and blas_threads is not None:
            # workers in other processes: limit BLAS inside each task
            fn = functools.partial(call_with_blas_limit, blas_threads, fn)
        _run_futures(executor, fn, ctx, tasks, finish)
    else:
        raise OptionError(
            "executor 须为 concurrent.futures.Executor 或 dask Client / executor must be None, "
            f"a concurrent.futures.Executor or a dask.distributed.Client, got {type(executor)}")


def _run_futures(ex: cf.Executor, fn: Callable[[Any, Any], Any], ctx: Any,
                 tasks: Sequence[Any], finish: Callable[[int, Any], None]) -> None:
    limit = 2 * n_workers(ex)
    pending: dict[cf.Future[Any], int] = {}
    nxt = 0
    try:
        while nxt < len(tasks) or pending:
            while nxt < len(tasks) and len(pending) < limit:
                pending[ex.submit(fn, ctx, tasks[nxt])] = nxt
                nxt += 1
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: pending[f]):
                i = pending.pop(fut)
                finish(i, fut.result())
    except BaseException:
        for fut in pending:
            fut.cancel()
        raise


def _run_dask(client: Any, fn: Callable[[Any, Any], Any], ctx: Any, tasks: Sequence[Any],
              finish: Callable[[int, Any], None]) -> None:
    from distributed import as_completed

    token = uuid.uuid4().hex
    ctx_f = client.scatter(ctx, broadcast=True, hash=False)
    limit = 2 * n_workers(client)
    index: dict[Any, int] = {}
    nxt = 0

    def submit(i: int) -> Any:
        f = client.submit(fn, ctx_f, tasks[i], pure=False, key=f"xiangcun-chunk-{token}-{i}")
        index[f.key] = i
        return f

    first = []
    while nxt < len(tasks) and nxt < limit:
        first.append(submit(nxt))
        nxt += 1
    ac = as_completed(first)  # type: ignore[no-untyped-call, unused-ignore]
    try:
        for fut in ac:
            i = index[fut.key]
            res = fut.result()
            fut.release()
            if nxt < len(tasks):
                ac.add(submit(nxt))  # type: ignore[no-untyped-call, unused-ignore]
                nxt += 1
            finish(i, res)
    except BaseException:
        client.cancel(list(ac.futures) if hasattr(ac, "futures") else [])
        raise
    finally:
        with contextlib.suppress(Exception):
            ctx_f.release()
