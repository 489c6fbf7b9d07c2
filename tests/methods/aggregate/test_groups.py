"""Tests of methods/aggregate/groups.py: input validation shared by every
aggregation, the block matrix and data availability."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate as ag

nan = np.nan
MEM = np.array([0, 0, 0, 1, 1], dtype=np.intp)
G = 2


def data(n: int = 30, k: int = 5, seed: int = 0, missing: float = 0.0, lo: float = 1.0,
         hi: float = 100.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = lo + (hi - lo) * rng.random((n, k))
    if missing:
        x[rng.random((n, k)) < missing] = nan
    return x


def call(name: str, x: Any, w: Any, mem: Any = MEM, g: int = G, **kw: Any) -> np.ndarray:
    out: np.ndarray = ag.REGISTRY.get(name).func(x, w, mem, g, **kw)
    return out


def test_validation_errors() -> None:
    x = data(4, 5)
    with pytest.raises(MethodError, match="membership"):
        ag.arithmetic(x, np.ones(5), np.array([0, 0, 2, 1, 1]), 2)
    with pytest.raises(MethodError, match="no children"):
        ag.arithmetic(x, np.ones(5), MEM, 3)
    with pytest.raises(MethodError, match="non-negative"):
        ag.arithmetic(x, np.array([1.0, -1, 1, 1, 1]), MEM, G)
    with pytest.raises(MethodError, match="group 1"):
        ag.arithmetic(x, np.array([1.0, 1, 1, 0, 0]), MEM, G)
    with pytest.raises(MethodError, match="weights of shape"):
        ag.arithmetic(x, np.ones(4), MEM, G)
    with pytest.raises(MethodError, match="broadcast"):
        ag.arithmetic(np.stack([x] * 3), np.ones((2, 5)), MEM, G)
    with pytest.raises(MethodError, match="shape"):
        ag.arithmetic(x[0], np.ones(5), MEM, G)
    y = x.copy()
    y[2, 1] = np.inf
    for name in ag.REGISTRY.names():
        with pytest.raises(MethodError, match="inf"):
            call(name, y, np.ones(5))
    y[1, 1] = nan  # inf detected also among rows with missing values
    with pytest.raises(MethodError, match="inf"):
        ag.arithmetic(y, np.ones(5), MEM, G)


def test_availability() -> None:
    x = np.array([[1.0, nan, nan, 1.0, nan], [nan, nan, nan, nan, nan]])
    np.testing.assert_allclose(ag.availability(x, MEM, G), [[1 / 3, 0.5], [0.0, 0.0]])
    xb = np.broadcast_to(x, (4, 2, 5))
    assert ag.availability(xb, MEM, G).shape == (4, 2, G)
