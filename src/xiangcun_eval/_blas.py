"""BLAS threads during Monte Carlo runs.

The engine's matrix products are small (a chunk of replicates × a few
dozen children × a few dozen groups): a multi-threaded BLAS gains nothing
on them and, when its threads compete with the executor's threads or with
other programs for the cores, spins and slows the run down several times
(measured on a 2-core machine under load ≈ 2.5: uncertainty analysis of
2,850 counties, n = 2,000, 3.0 s serial with OpenBLAS's default 2 threads
against 1.0 s with one; 0.9–1.25 s against 0.6 s on a 2-thread pool).
Parallelism comes from the executor; the engine therefore runs with one
BLAS thread unless told otherwise (:class:`~xiangcun_eval.RunOptions`
``blas_threads``).  The thread count never changes a result: each output
element of a product is computed by one thread with the same kernel (the
executor tests compare runs bit for bit).

The limit is set with ``threadpoolctl`` (the library scikit-learn uses for
the same purpose) and restored when the run ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["blas_limit", "blas_thread_counts", "call_with_blas_limit"]


@contextlib.contextmanager
def blas_limit(threads: int | None) -> Iterator[None]:
    """Limit every loaded BLAS library to ``threads`` threads inside the block.

    ``None`` leaves them as they are.  The previous settings are restored on
    exit, also when the block raises.
    """
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped, unused-ignore]

    with threadpool_limits(limits=int(threads), user_api="blas"):
        yield


def blas_thread_counts() -> list[int]:
    """Return the thread count of each loaded BLAS library (for tests and reports)."""
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped, unused-ignore]

    return [int(i["num_threads"]) for i in threadpool_info() if i.get("user_api") == "blas"]


def call_with_blas_limit(threads: int | None, fn: Callable[[Any, Any], Any], ctx: Any,
                         task: Any) -> Any:
    """Call ``fn(ctx, task)`` under :func:`blas_limit`.

    Module level, hence picklable: for process pools, whose workers are
    separate processes.
    """
    with blas_limit(threads):
        return fn(ctx, task)
