"""Aggregation through the tree: level by level from the normalised indicators.

:func:`aggregate_tree` accepts weights with a leading replicate axis, so the
uncertainty engine turns weight noise into one batched product per level.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..methods import aggregate as _aggregate
from .plan import LevelPlan

__all__ = ["aggregate_level", "aggregate_tree", "name_positions"]

F64 = NDArray[np.float64]


_UNIT_ROW = re.compile(r"unit \(row\) (\d+)")
_CHILD_GROUP = re.compile(r"child column (\d+) \(group (\d+)\)")
_GROUP = re.compile(r"(of|for) group (\d+)")
_GROUP_ZH = re.compile(r"第 (\d+) 组")


def name_positions(message: str, plan: LevelPlan, units: Sequence[str] | None = None) -> str:
    """Rewrite a kernel's message with positions replaced by codes.

    Kernels know columns only by position (``unit (row) 3, child column 68
    (group 25)``, see ``methods.aggregate.groups._locate``); here the plan
    knows the child and group codes and the caller the unit codes, so the
    user reads ``unit 410102, child T25_x (group T25)``.
    """
    def pick(seq: Sequence[str], i: str) -> str | None:
        k = int(i)
        return seq[k] if 0 <= k < len(seq) else None

    def child(m: re.Match[str]) -> str:
        c, g = pick(plan.child_codes, m.group(1)), pick(plan.codes, m.group(2))
        return f"child {c} (group {g})" if c and g else m.group(0)

    def unit(m: re.Match[str]) -> str:
        u = pick(units, m.group(1)) if units is not None else None
        return f"unit {u}" if u else m.group(0)

    def group(m: re.Match[str]) -> str:
        g = pick(plan.codes, m.group(2))
        return f"{m.group(1)} group {g}" if g else m.group(0)

    def group_zh(m: re.Match[str]) -> str:
        g = pick(plan.codes, m.group(1))
        return f"{g} 组" if g else m.group(0)

    out = _CHILD_GROUP.sub(child, message)
    out = _UNIT_ROW.sub(unit, out)
    out = _GROUP.sub(group, out)
    return _GROUP_ZH.sub(group_zh, out)


def aggregate_level(plan: LevelPlan, x: F64, w: F64, *,
                    units: Sequence[str] | None = None) -> F64:
    """Aggregate the children ``x`` into groups.

    ``x`` (..., n_units, n_children) with weights ``w`` ((..., n_children) or
    (n_children,)) into (..., n_units, n_groups).

    ``units`` (codes of the rows) lets error messages name the unit.
    """
    n_groups = len(plan.codes)
    params = plan.aggregate_spec.resolved_params()
    try:
        out: F64 = plan.aggregator.func(x, w, plan.membership, n_groups, **params)
    except MethodError as exc:
        msg = name_positions(str(exc), plan, units)
        raise MethodError(f"{msg} [aggregating level {plan.level}]") from None
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
