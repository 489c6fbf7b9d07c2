"""The uniform vectors of replicates (the randomness scheme).

* Uncertainty analysis, ``sampling="random"`` (default): a counter-based
  Philox4x64 generator keyed by ``SeedSequence(seed).generate_state(2)``;
  row ``r`` uses doubles ``[r·P, (r + 1)·P)`` of the stream with
  ``P = 4·ceil(D/4)`` (``Philox.advance(r·P/4)``), so any row range is drawn
  without drawing the rows before it (:func:`philox_rows`).
* ``sampling="sobol"`` and sensitivity analysis: rows of one scrambled Sobol'
  sequence from :mod:`~xiangcun_eval.sensitivity.design`
  (``uniform_sample_rows``: fixed scrambling + ``fast_forward``).  The
  Saltelli design takes ``A`` and ``B`` from the first and last ``D`` columns
  of a ``2D``-dimensional sequence; ``AB_i`` takes all the columns of factor
  ``i`` from ``B`` (:func:`sa_rows`).

Every function takes a global row range, so the rows a chunk draws do not
depend on how the run was chunked.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .context import EngineContext
from .design import uniform_sample_rows

__all__ = ["philox_rows", "sa_rows", "ua_rows"]

F64 = NDArray[np.float64]


def philox_rows(key: NDArray[np.uint64], start: int, stop: int, dim: int) -> F64:
    """Rows ``[start, stop)`` of the per-row Philox stream (``P = 4·ceil(dim/4)``
    doubles per row), chunk-invariant."""
    per = 4 * max(1, math.ceil(dim / 4))
    bg = np.random.Philox(key=key)
    if start:
        bg.advance(start * per // 4)
    out: F64 = np.random.Generator(bg).random((stop - start, per))[:, :dim]
    return np.ascontiguousarray(out)


def ua_rows(ctx: EngineContext, start: int, stop: int) -> F64:
    """Uniforms of uncertainty-analysis rows ``[start, stop)``."""
    if ctx.sampling == "sobol":
        return uniform_sample_rows(start, stop, ctx.n_dims, seed=ctx.seed, method="sobol")
    return philox_rows(ctx.philox_key, start, stop, ctx.n_dims)


def sa_rows(ctx: EngineContext, start: int, stop: int) -> F64:
    """Uniforms of the Saltelli design for base rows ``[start, stop)``, stacked
    as ``[A; B; AB_1; ...; AB_d]`` (shape ``((d + 2)·m, D)``)."""
    d2 = uniform_sample_rows(start, stop, 2 * ctx.n_dims, seed=ctx.seed, method="sobol")
    a, b = d2[:, : ctx.n_dims], d2[:, ctx.n_dims :]
    blocks = [a, b]
    for atom in ctx.atoms:
        ab = a.copy()
        sl = slice(atom.col, atom.col + atom.dim)
        ab[:, sl] = b[:, sl]
        blocks.append(ab)
    return np.ascontiguousarray(np.concatenate(blocks, axis=0))


