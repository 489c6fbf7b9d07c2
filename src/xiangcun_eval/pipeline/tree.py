"""Aggregation through the tree: level by level from the normalised indicators.

:func:`aggregate_tree` accepts weights with a leading replicate axis, so the
uncertainty engine turns weight noise into one batched product per level.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..methods import aggregate as _aggregate
from .plan import LevelPlan

__all__ = ["aggregate_level", "aggregate_tree"]

F64 = NDArray[np.float64]


def aggregate_level(plan: LevelPlan, x: F64, w: F64) -> F64:
    """Aggregate the children ``x`` (..., n_units, n_children) with weights
    ``w`` ((..., n_children) or (n_children,)) into (..., n_units, n_groups)."""
    n_groups = len(plan.codes)
    params = plan.aggregate_spec.resolved_params()
    try:
        out: F64 = plan.aggregator.func(x, w, plan.membership, n_groups, **params)
    except MethodError as exc:
        raise MethodError(f"{exc} [aggregating level {plan.level}]") from None
    thr = plan.aggregate_spec.min_availability
    if thr is not None:
        avail = _aggregate.availability(x, plan.membership, n_groups)
        out = np.where(avail >= thr, out, np.nan)
    return out


def aggregate_tree(level1: F64, plans: Sequence[LevelPlan], weights: Sequence[F64]) -> list[F64]:
    """Scores of every level from the normalised indicators.

    ``weights[k]`` are the children weights of ``plans[k]`` (within-group
    normalisation not required), shape ``(n_children,)`` or with a leading
    replicate axis ``(R, n_children)``; ``level1`` may also carry replicate
    axes.  Returns ``[level1, level2, ..., index]``.
    """
    out = [level1]
    x = level1
    for plan, w in zip(plans, weights, strict=True):
        if w.ndim > 1 and x.ndim == 2:
            # replicate weights on shared data: broadcast data to (R, n_units, n_children)
            x = np.broadcast_to(x, (*w.shape[:-1], *x.shape))
        x = aggregate_level(plan, x, w)
        out.append(x)
    return out
