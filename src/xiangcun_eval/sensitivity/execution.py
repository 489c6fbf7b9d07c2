"""Execution settings and helpers shared by the analysis entry points.

Argument coercion (methodology and space given as objects or TOML), the
checks of ``n`` and ``seed``, and the chunk size derived from a memory
budget, used by :func:`~xiangcun_eval.uncertainty`,
:func:`~xiangcun_eval.sensitivity` and :func:`~xiangcun_eval.replay`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MethodError
from ..methodology import Methodology
from .context import BLOCK, EngineContext, MemoryBudgetError
from .design import check_seed as _check_seed
from .engine import bytes_per_row
from .executors import ProgressFn, n_workers
from .space import UncertaintySpace

__all__ = [
    "DEFAULT_BUDGET",
    "ProgressFn",
    "as_methodology",
    "as_space",
    "check_n",
    "check_seed",
    "chunk_rows",
    "mib",
]

DEFAULT_BUDGET = 1 << 30
"""Default memory budget: 1 GiB."""


def as_methodology(m: Methodology | str | Path | None) -> Methodology:
    """``None`` → the default methodology; a path or TOML text → loaded."""
    if m is None:
        return Methodology()
    if isinstance(m, str | Path):
        return Methodology.from_toml(m)
    return m


def as_space(s: UncertaintySpace | str | Path) -> UncertaintySpace:
    """An :class:`UncertaintySpace`, or one loaded from a TOML path / text."""
    if isinstance(s, UncertaintySpace):
        return s
    return UncertaintySpace.from_toml(s)


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


def chunk_rows(ctx: EngineContext, executor: Any, budget: int, fixed: int, chunk_size: int | None,
               rows_per_unit: int) -> int:
    """Rows (base rows for SA) per chunk: from the budget unless given; a multiple of BLOCK."""
    per_row = bytes_per_row(ctx) * rows_per_unit
    inflight = 1 if executor is None else 2 * n_workers(executor)
    if chunk_size is not None:
        c = check_n(chunk_size, "chunk_size")
        return max(BLOCK, -(-c // BLOCK) * BLOCK)
    avail = budget - fixed
    c = avail // max(1, inflight * per_row)
    # cache-friendly: about 24 MiB per (rows × units) float array (measured best on
    # 2,850 units; larger chunks only add memory traffic)
    c_cache = max(BLOCK, (24 * 2**20 // (8 * ctx.n_units * rows_per_unit)) // BLOCK * BLOCK)
    if c < BLOCK:
        need = fixed + inflight * per_row * BLOCK
        raise MemoryBudgetError(
            f"内存预算不足 / the memory budget ({mib(budget)}) is too small: one chunk of {BLOCK} "
            f"replicates × {inflight} in flight needs about {mib(need)} "
            f"({mib(per_row)} per replicate, {mib(fixed)} for results); raise memory_budget")
    return int(min(c // BLOCK * BLOCK, c_cache, 1 << 16))

