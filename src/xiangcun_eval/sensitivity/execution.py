"""Execution settings and helpers shared by the analysis entry points.

:class:`RunOptions` — where and how a run executes (executor, memory budget,
chunk size, progress) — is the one options object of
:func:`~xiangcun_eval.uncertainty` and :func:`~xiangcun_eval.sensitivity`;
none of its settings changes a number.  Also here: argument coercion
(methodology and space given as objects or TOML), the checks of ``n`` and
``seed``, and the chunk size derived from the memory budget.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MethodError
from ..methodology import as_methodology
from .context import BLOCK, EngineContext, MemoryBudgetError
from .design import check_seed as _check_seed
from .engine import bytes_per_row, context_bytes, streamed_task_bytes
from .executors import n_workers, worker_memory
from .progress import ProgressFn
from .space import UncertaintySpace

__all__ = [
    "DEFAULT_BUDGET",
    "MACHINE_SHARE",
    "WORKER_BASE",
    "ProgressFn",
    "RunOptions",
    "as_methodology",
    "as_space",
    "available_memory",
    "check_n",
    "check_seed",
    "chunk_rows",
    "machine_budget",
    "mib",
    "run_options",
    "worker_estimate",
]

DEFAULT_BUDGET = 1 << 30
"""Reference memory budget (1 GiB): fixes the default histogram resolution of
:func:`~xiangcun_eval.uncertainty` (so default results are the same on every
machine) and is the budget when the machine's memory cannot be read."""

MACHINE_SHARE = 0.5
"""Share of the machine's available memory a run may use by default."""


def available_memory() -> int | None:
    """Bytes of memory available to this process now, or None when unknown.

    ``MemAvailable`` of ``/proc/meminfo`` (Linux), else
    ``SC_AVPHYS_PAGES × SC_PAGE_SIZE``; capped by a cgroup v2 limit
    (``memory.max − memory.current``) when one is set (containers).
    """
    avail: int | None = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        avail = None
    if avail is None:
        try:
            avail = int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
        except (OSError, ValueError, AttributeError):
            avail = None
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as fh:
            limit = fh.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as fh:
            current = int(fh.read().strip())
        if limit != "max":
            room = max(0, int(limit) - current)
            avail = room if avail is None else min(avail, room)
    except (OSError, ValueError):
        pass
    return avail if avail is None or avail > 0 else None


def machine_budget() -> int:
    """The default memory budget: half the available memory (at least 256 MiB),
    or :data:`DEFAULT_BUDGET` when the available memory cannot be read."""
    avail = available_memory()
    if avail is None:
        return DEFAULT_BUDGET
    return max(256 << 20, int(avail * MACHINE_SHARE))


@dataclass(frozen=True)
class RunOptions:
    """Execution settings of :func:`~xiangcun_eval.uncertainty` and
    :func:`~xiangcun_eval.sensitivity` (运行设置).  Results never depend on them:
    any executor, worker count and chunk size gives bitwise-identical numbers.

    Parameters
    ----------
    executor
        None (this process), any ``concurrent.futures.Executor``, or a
        ``dask.distributed.Client`` (extra ``dask``).
    memory_budget
        Bytes a run may use; the chunk size is derived from it and a run that
        would need more is refused with an estimate
        (:class:`~xiangcun_eval.MemoryBudgetError`).  ``None`` (default): half
        the machine's available memory (:func:`machine_budget`), read when the
        run starts; the estimate is recorded in the result
        (``memory_estimate``, ``memory_budget``) and printed by the CLI.  The
        default histogram resolution of :func:`~xiangcun_eval.uncertainty`
        does not depend on the machine: it follows :data:`DEFAULT_BUDGET`
        unless a budget is given.
    chunk_size
        Replicates (sensitivity: base rows) per chunk, rounded up to a
        multiple of 64; overrides the budget-derived size.
    progress
        ``True``: a tqdm bar (the notebook widget in Jupyter) with rate and
        time left; a callable ``progress(done, total)`` called after each
        chunk (for programs); ``False``/``None``: nothing.  A
        KeyboardInterrupt (Ctrl-C, or raised by the callback) cancels pending
        chunks and raises :class:`~xiangcun_eval.AnalysisInterrupted`.
    blas_threads
        BLAS threads while the run lasts (default 1; restored afterwards).
        The engine's products are small, so parallelism comes from the
        executor; a multi-threaded BLAS competing for the cores made a
        2,850-county run 3× slower on a loaded 2-core machine
        (:mod:`xiangcun_eval._blas`).  ``None`` leaves BLAS as it is.
        Results do not depend on it.

    Examples
    --------
    >>> from xiangcun_eval import RunOptions
    >>> RunOptions(chunk_size=512, progress=True).chunk_size
    512
    """

    executor: Any = None
    memory_budget: int | None = None
    chunk_size: int | None = None
    progress: bool | ProgressFn | None = None
    blas_threads: int | None = 1

    def __post_init__(self) -> None:
        if self.blas_threads is not None:
            check_n(self.blas_threads, "blas_threads")
        if self.memory_budget is not None:
            check_n(self.memory_budget, "memory_budget")
        if self.chunk_size is not None:
            check_n(self.chunk_size, "chunk_size")
        if not (self.progress is None or isinstance(self.progress, bool)
                or callable(self.progress)):
            raise MethodError(
                "progress 须为 True/False 或函数 progress(done, total) / progress must be True, "
                f"False, None or a callable progress(done, total), got {self.progress!r}")

    @property
    def budget(self) -> int:
        """The memory budget in bytes (from the machine when not set)."""
        return machine_budget() if self.memory_budget is None else int(self.memory_budget)

    @property
    def resolution_budget(self) -> int:
        """The budget that sizes default histograms: the given one, else
        :data:`DEFAULT_BUDGET` (machine-independent results)."""
        return DEFAULT_BUDGET if self.memory_budget is None else int(self.memory_budget)


_LEGACY = ("executor", "memory_budget", "chunk_size", "progress")


def run_options(run: RunOptions | None, legacy: Mapping[str, Any], caller: str) -> RunOptions:
    """``run``, or a :class:`RunOptions` built from the keywords used before 0.2
    (``executor=``, ``memory_budget=``, ``chunk_size=``, ``progress=``) with a
    DeprecationWarning; any other keyword is a TypeError, as Python's own."""
    unknown = sorted(set(legacy) - set(_LEGACY))
    if unknown:
        raise TypeError(f"{caller}() got unexpected keyword argument(s): {', '.join(unknown)}")
    if not legacy:
        return RunOptions() if run is None else run
    if run is not None:
        raise TypeError(f"{caller}(): pass the execution settings either as run=RunOptions(...) "
                        f"or as the deprecated keywords {sorted(legacy)}, not both")
    warnings.warn(
        f"{caller}(..., {'=, '.join(legacy)}=) 已弃用 / is deprecated: pass "
        f"run=RunOptions({', '.join(f'{k}=...' for k in legacy)}) (the keywords go in 0.3)",
        DeprecationWarning, stacklevel=3)
    return RunOptions(**dict(legacy))


def as_space(s: UncertaintySpace | str | Path) -> UncertaintySpace:
    """An :class:`UncertaintySpace`, or one read from a TOML file.

    See :meth:`UncertaintySpace.coerce`.
    """
    return UncertaintySpace.coerce(s)


def check_seed(seed: object) -> int:
    """A non-negative int seed: :func:`~xiangcun_eval.sensitivity.design.check_seed`
    with ``accept="int"``."""
    out = _check_seed(seed, accept="int")
    assert isinstance(out, int)
    return out


def check_n(n: object, name: str = "n") -> int:
    """A positive int."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or int(n) < 1:
        raise MethodError(f"{name} 须为正整数 / {name} must be a positive int, got {n!r}")
    return int(n)


def mib(b: float) -> str:
    """Bytes as ``"1,024.0 MiB"``."""
    return f"{b / 2**20:,.1f} MiB"


WORKER_BASE = 160 << 20
"""Memory of a Dask worker process before any task (interpreter, numpy, scipy,
distributed; about 95 MiB measured idle, with room for its bookkeeping)."""


def chunk_rows(ctx: EngineContext, executor: Any, budget: int, fixed: int, chunk_size: int | None,
               rows_per_unit: int, *, streamed: bool = False) -> tuple[int, int]:
    """Rows (base rows for SA) per chunk — from the budget unless given; a
    multiple of BLOCK — and the run's memory estimate in bytes (results plus
    the chunks in flight).

    ``streamed`` (uncertainty chunks reduced to accumulators on the worker):
    the task's memory is :func:`~xiangcun_eval.sensitivity.engine.streamed_task_bytes`,
    and on a Dask cluster the chunk is also sized so that a worker's estimate
    (:func:`worker_estimate`) stays within the workers' ``memory_limit``.
    """
    def task(c: int) -> int:
        if streamed:
            return streamed_task_bytes(ctx, c)
        return bytes_per_row(ctx) * rows_per_unit * c

    inflight = 1 if executor is None else 2 * n_workers(executor)
    if chunk_size is not None:
        c = check_n(chunk_size, "chunk_size")
        c = max(BLOCK, -(-c // BLOCK) * BLOCK)
        return c, fixed + inflight * task(c)
    per_row = max(1, task(2 * BLOCK) - task(BLOCK)) // BLOCK
    avail = budget - fixed - inflight * (task(BLOCK) - per_row * BLOCK)
    c = avail // max(1, inflight * per_row)
    # cache-friendly: about 24 MiB per (rows × units) float array (measured best on
    # 2,850 units; larger chunks only add memory traffic)
    c_cache = max(BLOCK, (24 * 2**20 // (8 * ctx.n_units * rows_per_unit)) // BLOCK * BLOCK)
    if c < BLOCK:
        need = fixed + inflight * task(BLOCK)
        raise MemoryBudgetError(
            f"内存预算不足 / the memory budget ({mib(budget)}) is too small: one chunk of {BLOCK} "
            f"replicates × {inflight} in flight needs about {mib(need)} "
            f"({mib(per_row * rows_per_unit)} per replicate, {mib(fixed)} for results); "
            "raise memory_budget")
    c = int(min(c // BLOCK * BLOCK, c_cache, 1 << 16))
    limit = worker_memory(executor) if streamed else None
    if limit is not None:
        mem, threads = limit
        while c > BLOCK and worker_estimate(ctx, executor, c) > mem:
            c -= BLOCK
        need = worker_estimate(ctx, executor, c)
        if need > mem:
            warnings.warn(
                f"Dask 工作进程内存可能不足 / a Dask worker may need about {mib(need)} (context "
                f"{mib(context_bytes(ctx))}, {threads} × one chunk of {c} replicates), more than "
                f"its memory_limit {mib(mem)}: give the workers more memory or fewer threads",
                ResourceWarning, stacklevel=3)
    return c, fixed + inflight * task(c)


def worker_estimate(ctx: EngineContext, executor: Any, chunk: int) -> int:
    """Memory estimate of one Dask worker running uncertainty chunks of ``chunk``
    rows: :data:`WORKER_BASE`, the context (scattered once) and one task per
    worker thread (:func:`~xiangcun_eval.sensitivity.engine.streamed_task_bytes`);
    0 when ``executor`` is not a Dask client with a memory limit."""
    limit = worker_memory(executor)
    if limit is None:
        return 0
    return WORKER_BASE + context_bytes(ctx) + limit[1] * streamed_task_bytes(ctx, chunk)
