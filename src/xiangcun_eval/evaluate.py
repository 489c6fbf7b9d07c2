"""The evaluation pipeline: validated data + methodology -> :class:`Evaluation`.

Stages, in order (each one a pure array kernel from :mod:`xiangcun_eval.methods`):

1. denominate (optional): ``x / denominator`` for indicators that name one;
2. impute: per indicator spec, groups from a unit column;
3. treat: outlier treatment per indicator spec, with a report;
4. normalise: directions applied, per indicator spec;
5. weights: level by level, from the framework / a weight set / overrides,
   or computed from the data (entropy, CRITIC, AHP ...);
6. aggregate: level by level; weights renormalised over available children;
   optional minimum data availability;
7. rank (1 = best, ties "min", missing stays missing), within groups, grade.

The functions :func:`preprocess`, :func:`level_plans` and :func:`aggregate_tree`
are the building blocks the uncertainty engine reuses: preprocessing is done
once per discrete alternative, and :func:`aggregate_tree` accepts weights with
a leading replicate axis, so weight noise becomes one matrix product per level.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import MethodError
from .framework.model import Framework
from .inputs.data import UnitData
from .methodology import AggregateSpec, Methodology, WeightSpec, _Spec
from .methods import aggregate as _aggregate
from .methods import impute as _impute
from .methods import normalise as _normalise
from .methods import treat as _treat
from .methods import weights as _weights
from .methods._registry import MethodInfo
from .results import Evaluation

__all__ = [
    "LevelPlan",
    "Preprocessed",
    "aggregate_tree",
    "evaluate",
    "level_plans",
    "preprocess",
]

F64 = NDArray[np.float64]


# --------------------------------------------------------------------------- preprocessing
@dataclass(frozen=True)
class Preprocessed:
    """Indicator data after each preprocessing stage (all ``(n_units, n_ind)``)."""

    raw: F64
    denominated: F64
    imputed: F64
    imputed_mask: NDArray[np.bool_]
    treated: F64
    treatment: tuple[Any, ...]
    normalised: F64
    direction: F64


def _context(framework: Framework) -> dict[str, Any]:
    """Framework-derived arrays a kernel may declare in ``needs``."""
    col_groups = (
        framework.membership(2)
        if framework.max_level >= 2
        else np.zeros(len(framework.indicator_codes), dtype=np.intp)
    )
    return {
        "direction": framework.indicator_array("direction"),
        "target": framework.indicator_array("target"),
        "goal_lower": framework.indicator_array("goal_lower"),
        "goal_upper": framework.indicator_array("goal_upper"),
        "lower_bound": framework.indicator_array("lower_bound"),
        "upper_bound": framework.indicator_array("upper_bound"),
        "col_groups": col_groups,
    }


def _spec_groups(codes: Sequence[str], spec_for: Any) -> list[tuple[_Spec, NDArray[np.intp]]]:
    """Columns grouped by identical spec, in first-appearance order."""
    specs = [spec_for(c) for c in codes]
    if all(s is specs[0] for s in specs):  # no per-indicator override: one group
        return [(specs[0], np.arange(len(codes), dtype=np.intp))]
    groups: dict[str, tuple[_Spec, list[int]]] = {}
    for j, spec in enumerate(specs):
        key = spec.model_dump_json()
        groups.setdefault(key, (spec, []))[1].append(j)
    return [(s, np.asarray(cols, dtype=np.intp)) for s, cols in groups.values()]


def _needs_kwargs(
    info: MethodInfo,
    ctx: Mapping[str, Any],
    cols: NDArray[np.intp],
    skip: frozenset[str] = frozenset(),
    codes: Sequence[str] = (),
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for need in info.needs - skip:
        if need not in ctx:
            raise MethodError(
                f"方法 {info.name!r} 需要 {need!r} / method {info.name!r} needs {need!r}, "
                "which this data or framework does not provide"
            )
        val = ctx[need]
        if isinstance(val, np.ndarray) and need in _PER_COLUMN:
            val = val[cols]
            if need in ("target", "goal_lower", "goal_upper") and np.isnan(val).any():
                missing = [codes[j] for j in cols[np.isnan(val)]] if codes else \
                    cols[np.isnan(val)].tolist()
                raise MethodError(
                    f"方法 {info.name!r} 需要每个指标的 {need} / method {info.name!r} needs "
                    f"{need!r} for every indicator it is applied to; missing for "
                    f"{len(missing)} indicator(s): {', '.join(map(str, missing))}. Set it in the "
                    "framework or apply another method to those indicators "
                    "(normalise_by_indicator)"
                )
        out[need] = val
    return out


_PER_COLUMN = frozenset(
    {"direction", "target", "goal_lower", "goal_upper", "lower_bound", "upper_bound", "col_groups"}
)


def preprocess(data: UnitData, methodology: Methodology) -> Preprocessed:
    """Denominate, impute, treat and normalise the indicator values.

    Returns every intermediate array; nothing of ``data`` is modified.
    """
    fw = data.framework
    codes = fw.indicator_codes
    _check_codes(fw, methodology)
    ctx = _context(fw)
    raw = data.values  # read-only; every stage below writes to a new array only if it acts

    # 1. denominate
    x = raw
    if methodology.denominate:
        x = raw.copy()
        for j, ind in enumerate(fw.indicators):
            if ind.denominator is None:
                continue
            if ind.denominator not in data.denominators:
                raise MethodError(
                    f"指标 {ind.code!r} 的分母 {ind.denominator!r} 不在数据中 / denominator "
                    f"{ind.denominator!r} of {ind.code!r} is not a column of the data; "
                    f"available: {sorted(data.denominators)}"
                )
            x[:, j] = raw[:, j] / data.denominators[ind.denominator]
    denominated = x

    # 2. impute
    imputed = denominated
    for spec, cols in _spec_groups(codes, methodology.impute_for):
        if spec.method == "none":
            continue
        if imputed is denominated:
            imputed = denominated.copy()
        info = _impute.REGISTRY.get(spec.method)
        kw = _needs_kwargs(info, ctx, cols, skip=frozenset({"groups"}))
        if "col_groups" in kw:
            kw["col_groups"] = np.asarray(kw["col_groups"], dtype=np.intp)
        if "groups" in info.needs:
            key = getattr(spec, "group_by", None)
            if key is None:
                raise MethodError(
                    f"插补方法 {spec.method!r} 需要分组列 / imputation {spec.method!r} needs "
                    f"group_by (a unit column such as 'province'); available: {sorted(data.groups)}"
                )
            kw["groups"] = data.group_codes(key)[0]
        imputed[:, cols] = info.func(denominated[:, cols], **kw, **spec.resolved_params())
    imputed_mask = (
        np.isnan(denominated) & ~np.isnan(imputed)
        if imputed is not denominated
        else np.zeros(denominated.shape, dtype=bool)
    )

    # 3. treat
    treated = imputed
    records: list[Any] = []
    for spec, cols in _spec_groups(codes, methodology.treat_for):
        if spec.method == "none":
            continue
        if treated is imputed:
            treated = imputed.copy()
        info = _treat.REGISTRY.get(spec.method)
        res = info.func(
            imputed[:, cols], **_needs_kwargs(info, ctx, cols), **spec.resolved_params()
        )
        treated[:, cols] = res.values
        for rec in res.records:
            records.append(_relabel_record(rec, cols))

    # 4. normalise
    direction = ctx["direction"]
    groups = _spec_groups(codes, methodology.normalise_for)
    if len(groups) == 1:  # one spec for every column: no gather/scatter copies
        spec, cols = groups[0]
        info = _normalise.REGISTRY.get(spec.method)
        kw = _needs_kwargs(info, ctx, cols, skip=frozenset({"direction"}), codes=codes)
        normalised = _call_with_codes(
            info, treated, direction, kw, spec.resolved_params(), list(codes)
        )
    else:
        normalised = np.empty_like(treated)
        for spec, cols in groups:
            info = _normalise.REGISTRY.get(spec.method)
            kw = _needs_kwargs(info, ctx, cols, skip=frozenset({"direction"}), codes=codes)
            normalised[:, cols] = _call_with_codes(
                info,
                treated[:, cols],
                direction[cols],
                kw,
                spec.resolved_params(),
                [codes[j] for j in cols],
            )
    return Preprocessed(
        raw=raw,
        denominated=denominated,
        imputed=imputed,
        imputed_mask=imputed_mask,
        treated=treated,
        treatment=tuple(records),
        normalised=normalised,
        direction=direction,
    )


def _call_with_codes(
    info: MethodInfo,
    x: F64,
    direction: F64,
    kw: dict[str, Any],
    params: dict[str, Any],
    codes: list[str],
) -> F64:
    """Call a normaliser; on error, name indicator codes instead of column positions."""
    try:
        out: F64 = info.func(x, direction, **kw, **params)
    except MethodError as exc:
        named = [codes[j] for j in exc.columns if 0 <= j < len(codes)] if exc.columns else codes
        raise MethodError(
            f"{exc} [指标 indicators: {', '.join(named)}]", columns=exc.columns
        ) from None
    return out


def _relabel_record(rec: Any, cols: NDArray[np.intp]) -> Any:
    """Map a treatment record's column index (local to the call) to the
    framework's indicator column."""
    return dataclasses.replace(rec, col=int(cols[rec.col]))


def _check_codes(fw: Framework, m: Methodology) -> None:
    problems = []
    for attr in ("impute_by_indicator", "treat_by_indicator", "normalise_by_indicator"):
        for code in getattr(m, attr):
            if code not in fw.indicator_codes:
                problems.append(f"{attr}: {code!r}")
    for code in m.weight_overrides:
        if code not in fw:
            problems.append(f"weight_overrides: {code!r}")
    for level in list(m.weights_by_level) + list(m.aggregate_by_level):
        if not 2 <= level <= fw.max_level:
            problems.append(f"level {level} (framework levels 2..{fw.max_level})")
    if problems:
        raise MethodError(
            f"方法设定引用了框架 {fw.code!r} 中不存在的代码或层级 / the methodology names codes or "
            f"levels the framework does not have: {'; '.join(problems)}"
        )


# --------------------------------------------------------------------------- levels
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
    """Resolve, for each level 2..max, the children, membership, base weights
    (framework -> weight set -> overrides) and aggregation method."""
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
    from .framework.registry import weights_path
    from .framework.weightsets import WeightSet

    return WeightSet.from_toml(weights_path(name_or_path)).apply(fw)


def normalise_within(w: F64, membership: NDArray[np.intp], n_groups: int) -> F64:
    """Weights divided by their group's sum (a group with zero total stays 0).

    ``w`` may carry leading replicate axes: ``(..., n_children)``.
    """
    onehot = np.zeros((membership.size, n_groups))
    onehot[np.arange(membership.size), membership] = 1.0
    denom = (w @ onehot)[..., membership]
    safe = np.where(denom > 0, denom, 1.0)
    out: F64 = np.where(denom > 0, w / safe, 0.0)
    return out


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
    from .framework.registry import weights_path
    from .framework.weightsets import AHPMatrices

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
        res = _weights.ahp(matrix, **params)
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


# --------------------------------------------------------------------------- evaluate
def evaluate(data: UnitData, methodology: Methodology | str | Path | None = None) -> Evaluation:
    """Score every unit at every level of its framework.

    Parameters
    ----------
    data
        Validated data (from :func:`~xiangcun_eval.read_submissions` or
        :func:`~xiangcun_eval.read_unit_table`).
    methodology
        A :class:`Methodology`, a path to a methodology TOML file, or
        ``None`` for the default (see :class:`Methodology`).

    Returns
    -------
    Evaluation
        Immutable result with scores, ranks, grades, weights and every
        intermediate data set, recording the methodology, the framework and
        data digests and the library version.

    Examples
    --------
    >>> import xiangcun_eval as xe                                # doctest: +SKIP
    >>> data = xe.read_submissions("demo.csv", "dvd-2023")        # doctest: +SKIP
    >>> ev = xe.evaluate(data)                                    # doctest: +SKIP
    >>> print(ev.ranking(top=10))                                 # doctest: +SKIP
    """
    if methodology is None:
        methodology = Methodology()
    elif isinstance(methodology, str | Path):
        methodology = Methodology.from_toml(methodology)
    if not isinstance(data, UnitData):
        raise TypeError(
            f"evaluate() 需要 UnitData / evaluate() takes UnitData (from read_submissions or "
            f"read_unit_table), got {type(data).__name__}"
        )
    fw = data.framework
    pre = preprocess(data, methodology)
    plans = level_plans(fw, methodology)
    scores: list[F64] = [pre.normalised]
    weights: list[F64] = []
    x = pre.normalised
    for plan in plans:
        w = resolve_weights(plan, x, pre.treated, pre.direction)
        weights.append(w)
        x = aggregate_level(plan, x, w)
        scores.append(x)
    return Evaluation.build(
        data=data, methodology=methodology, pre=pre, plans=plans, weights=weights, scores=scores
    )
