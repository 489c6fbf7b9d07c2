"""Shared inputs of the aggregation kernel tests (tests/methods/aggregate/)."""

from __future__ import annotations

from typing import Any

import numpy as np

from xiangcun_eval.methods import aggregate as ag

MEM = np.array([0, 0, 0, 1, 1], dtype=np.intp)
"""Membership of five children in two groups: (0, 0, 0, 1, 1)."""
G = 2


def data(n: int = 30, k: int = 5, seed: int = 0, missing: float = 0.0, lo: float = 1.0,
         hi: float = 100.0) -> np.ndarray:
    """Seeded uniform data on ``[lo, hi)`` with a share ``missing`` of NaN."""
    rng = np.random.default_rng(seed)
    x = lo + (hi - lo) * rng.random((n, k))
    if missing:
        x[rng.random((n, k)) < missing] = np.nan
    return x


def call(name: str, x: Any, w: Any, mem: Any = MEM, g: int = G, **kw: Any) -> np.ndarray:
    """Run the registered aggregation kernel ``name``."""
    out: np.ndarray = ag.REGISTRY.get(name).func(x, w, mem, g, **kw)
    return out
