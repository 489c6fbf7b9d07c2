"""Level plans and weights: how each level is built from the level below.

:func:`level_plans` resolves, for every level 2..max, the children, their
membership, the base weights (framework -> weight set -> overrides) and the
aggregation method; :func:`resolve_weights` turns a plan's weight spec into
the children's weights (from the framework, an AHP file, or computed from
the data), normalised within each group by
:func:`~xiangcun_eval.methods._groups.normalise_within` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..framework.model import Framework
from ..framework.registry import weights_path
from ..framework.weightsets import AHPMatrices, WeightSet
from ..methodology import AggregateSpec, Methodology, WeightSpec
from ..methods import aggregate as _aggregate
from ..methods import weights as _weights
from ..methods._groups import normalise_within
from ..methods._registry import MethodInfo

__all__ = ["LevelPlan", "level_plans", "normalise_within", "resolve_weights"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class LevelPlan:
    """How one level is built from the level below."""

    level: int
    codes: tuple[str, ...]
    child_codes: tuple[str, ...]
    membership: NDArray[np.intp]
    base_weights: F64
    weight_spec: WeightSpec
    aggregate_spec: AggregateSpec
    aggregator: MethodInfo = field(repr=False)


def level_plans(framework: Framework, methodology: Methodology) -> tuple[LevelPlan, ...]:
    """Resolve, for each level 2..max, the children, weights and aggregation.

    Children, membership, base weights (framework -> weight set -> overrides) and
    aggregation method.
    """
    fw = framework
    if methodology.weight_set is not None:
        fw = _apply_weight_set(fw, methodology.weight_set)
    if methodology.weight_overrides:
        fw = fw.with_weights(methodology.weight_overrides)
    plans = []
    for level in range(2, fw.max_level + 1):
        spec = methodology.aggregate_for(level)
        plans.append(
            LevelPlan(
                level=level,
                codes=fw.level_codes(level),
                child_codes=fw.level_codes(level - 1),
                membership=fw.membership(level),
                base_weights=fw.node_weights(level - 1),
                weight_spec=methodology.weights_for(level),
                aggregate_spec=spec,
                aggregator=_aggregate.REGISTRY.get(spec.method),
            )
        )
    return tuple(plans)


def _apply_weight_set(fw: Framework, name_or_path: str) -> Framework:
    return WeightSet.from_toml(weights_path(name_or_path)).apply(fw)


def resolve_weights(
    plan: LevelPlan, child_scores: F64, treated: F64 | None, direction: F64 | None
) -> F64:
    """Weights of the children of ``plan.level``, normalised within each group.

    ``child_scores`` is the (n_units, n_children) data entering the
    aggregation; ``treated`` and ``direction`` are used when the weight spec
    says ``on = "raw"`` (level 2 only).
    """
    spec = plan.weight_spec
    n_groups = len(plan.codes)
    if spec.method == "framework":
        w = plan.base_weights.copy()
    elif spec.method == "ahp" and spec.file is not None:
        w = _ahp_weights(plan, spec)
    else:
        info = _weights.REGISTRY.get(spec.method)
        if spec.on == "raw":
            if plan.level != 2 or treated is None:
                raise MethodError(
                    "on = 'raw' 只适用于第 2 级 / weights on raw data are only defined at level 2"
                )
            source = treated
        else:
            source = child_scores
        params = spec.resolved_params()
        if spec.method == "ahp" and n_groups > 1:
            raise MethodError(
                f"第 {plan.level} 级有 {n_groups} 个分组, 单个判断矩阵不够 / "
                f"level {plan.level} has "
                f"{n_groups} groups: give one pairwise matrix per group in a file (file = ...)"
            )
        w = np.zeros(len(plan.child_codes))
        for g in range(n_groups):
            cols = np.flatnonzero(plan.membership == g)
            if cols.size == 1:  # a lone child carries its group whatever the method
                w[cols] = 1.0
                continue
            kw: dict[str, Any] = {}
            if "codes" in info.needs:
                kw["codes"] = [plan.child_codes[c] for c in cols]
            if "direction" in info.needs:
                kw["direction"] = (
                    direction[cols]
                    if (direction is not None and spec.on == "raw")
                    else np.ones(cols.size)
                )
            try:
                w[cols] = np.asarray(info.func(source[:, cols], **kw, **params), dtype=np.float64)
            except MethodError as exc:
                raise MethodError(
                    f"{exc} [level {plan.level}, group {plan.codes[g]!r}: "
                    f"{', '.join(plan.child_codes[c] for c in cols)}]"
                ) from None
    return normalise_within(w, plan.membership, n_groups)


def _ahp_weights(plan: LevelPlan, spec: WeightSpec) -> F64:
    assert spec.file is not None
    mats = AHPMatrices.from_toml(weights_path(spec.file))
    params = {k: v for k, v in spec.params.items() if k != "matrix"}
    w = np.zeros(len(plan.child_codes))
    missing = []
    for g, group in enumerate(plan.codes):
        cols = np.flatnonzero(plan.membership == g)
        if cols.size == 1:
            w[cols] = 1.0
            continue
        if group not in mats.groups:
            missing.append(group)
            continue
        order, matrix = mats.matrix(group)
        try:
            res = _weights.ahp(matrix, **params)
        except MethodError as exc:
            raise MethodError(
                f"{exc} [AHP 文件 / file {spec.file}, 分组 / group {group!r}: "
                f"{', '.join(order)}]") from None
        if set(order) != {plan.child_codes[c] for c in cols}:
            raise MethodError(
                f"AHP 矩阵 {group!r} 的代码与框架下级不符 / "
                f"the matrix for {group!r} in {spec.file} "
                f"lists {list(order)}, but its children are "
                f"{[plan.child_codes[c] for c in cols]}"
            )
        pos = {c: k for k, c in enumerate(order)}
        for c in cols:
            w[c] = res.weights[pos[plan.child_codes[c]]]
    if missing:
        raise MethodError(
            f"AHP 文件 {spec.file} 缺少分组 / AHP file {spec.file} has no matrix for group(s) "
            f"{missing} at level {plan.level}"
        )
    return w
