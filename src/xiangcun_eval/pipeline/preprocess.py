"""Preprocessing: denominate, impute, treat and normalise the indicator values.

The first four stages of the pipeline, each a pure array kernel from
:mod:`xiangcun_eval.methods` applied to groups of columns sharing one spec.
:func:`preprocess` returns every intermediate array (:class:`Preprocessed`);
the uncertainty engine calls it once per discrete preprocessing alternative.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..framework.model import Framework
from ..inputs.data import UnitData
from ..methodology import Methodology, _Spec
from ..methods import impute as _impute
from ..methods import normalise as _normalise
from ..methods import treat as _treat
from ..methods._registry import MethodInfo
from .transform import transform_values

__all__ = ["Preprocessed", "check_codes", "preprocess"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Preprocessed:
    """Indicator data after each preprocessing stage (all ``(n_units, n_ind)``)."""

    raw: F64
    denominated: F64
    imputed: F64
    imputed_mask: NDArray[np.bool_]
    treated: F64
    treatment: tuple[Any, ...]
    transformed: F64
    """Values after the transform stage (``treated`` itself when nothing is
    transformed); normalisation starts from here."""
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
    """Denominate, impute, treat, transform and normalise the indicator values.

    Returns every intermediate array; nothing of ``data`` is modified.
    """
    fw = data.framework
    codes = fw.indicator_codes
    check_codes(fw, methodology)
    ctx = _context(fw)
    raw = data.values  # read-only; every stage below writes to a new array only if it acts

    # 1.-3. denominate, impute (never where not applicable), treat
    denominated = _denominate_stage(data, raw) if methodology.denominate else raw
    imputed = _impute_stage(data, methodology, ctx, denominated)
    imputed = _keep_not_applicable(fw, denominated, imputed)
    imputed_mask = (
        np.isnan(denominated) & ~np.isnan(imputed)
        if imputed is not denominated
        else np.zeros(denominated.shape, dtype=bool)
    )
    treated, records = _treat_stage(codes, methodology, ctx, imputed)

    # 4. transform (values and raw-scale goalposts/targets alike)
    transformed, ctx = transform_values(fw, methodology, treated, ctx)

    # 5. normalise
    direction = ctx["direction"]
    groups = _spec_groups(codes, methodology.normalise_for)
    policy = [ind.zero_variance for ind in fw.indicators]
    if len(groups) == 1:  # one spec for every column: no gather/scatter copies
        spec, cols = groups[0]
        info = _normalise.REGISTRY.get(spec.method)
        kw = _needs_kwargs(info, ctx, cols, skip=frozenset({"direction"}), codes=codes)
        normalised = _normalise_with_policy(
            info, transformed, direction, kw, spec, list(codes), policy
        )
    else:
        normalised = np.empty_like(transformed)
        for spec, cols in groups:
            info = _normalise.REGISTRY.get(spec.method)
            kw = _needs_kwargs(info, ctx, cols, skip=frozenset({"direction"}), codes=codes)
            normalised[:, cols] = _normalise_with_policy(
                info,
                transformed[:, cols],
                direction[cols],
                kw,
                spec,
                [codes[j] for j in cols],
                [policy[j] for j in cols],
            )
    return Preprocessed(
        raw=raw,
        denominated=denominated,
        imputed=imputed,
        imputed_mask=imputed_mask,
        treated=treated,
        treatment=tuple(records),
        transformed=transformed,
        normalised=normalised,
        direction=direction,
    )


def _denominate_stage(data: UnitData, raw: F64) -> F64:
    """Stage 1: divide every indicator that has a denominator by it (a new array).

    A denominator that is not a column of the data raises :class:`MethodError`.
    """
    fw = data.framework
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
    return x


def _impute_stage(data: UnitData, methodology: Methodology, ctx: Mapping[str, Any],
                  denominated: F64) -> F64:
    """Stage 2: impute each group of columns with its method.

    Returns ``denominated`` itself when no column is imputed, else a new array.
    Group methods read their groups from the unit column ``group_by``.
    """
    imputed = denominated
    for spec, cols in _spec_groups(data.framework.indicator_codes, methodology.impute_for):
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
    return imputed


def _treat_stage(codes: tuple[str, ...], methodology: Methodology, ctx: Mapping[str, Any],
                 imputed: F64) -> tuple[F64, list[Any]]:
    """Stage 3: treat outliers of each group of columns with its method.

    Returns the treated values (``imputed`` itself when nothing is treated) and
    the treatment records, relabelled to the framework's indicator columns.
    """
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
    return treated, records


def _keep_not_applicable(fw: Framework, before: F64, imputed: F64) -> F64:
    """Keep blank the cells of indicators with an applicability rule.

    Such cells mean "not applicable": imputation never fills them
    (docs/frameworks.md).
    """
    cols = [j for j, ind in enumerate(fw.indicators) if ind.applicability]
    if imputed is before or not cols:
        return imputed
    sub = before[:, cols]
    imputed[:, cols] = np.where(np.isnan(sub), np.nan, imputed[:, cols])
    return imputed


def _normalise_with_policy(
    info: MethodInfo,
    x: F64,
    direction: F64,
    kw: dict[str, Any],
    spec: _Spec,
    codes: list[str],
    policy: Sequence[str | None],
) -> F64:
    """Normalise, applying the framework's per-indicator ``zero_variance`` policy.

    The policy applies to columns that are constant (or have < 2 values) when the
    method takes ``zero_variance`` and the methodology leaves it unset.

    Such columns are normalised on their own with the policy; every other
    column comes from one call over the full array (with a non-degenerate
    stand-in for the policy columns), so its numbers are bit for bit those of
    a run without the policy.
    """
    params = spec.resolved_params()
    use = "zero_variance" in info.params.model_fields and "zero_variance" not in spec.params
    cols = [j for j, p in enumerate(policy) if p is not None] if use else []
    if cols:
        xd = x[:, cols]
        # max − min over available values (NaN for an all-missing column): a
        # column is degenerate unless it is > 0, which also needs >= 2 values
        spread = np.fmax.reduce(xd, axis=0) - np.fmin.reduce(xd, axis=0)
        cols = [j for k, j in enumerate(cols) if not spread[k] > 0]
    if not cols:
        return _call_with_codes(info, x, direction, kw, params, codes)
    stand_in = x.copy()
    stand_in[:, cols] = np.arange(x.shape[0], dtype=np.float64)[:, None]
    out = _call_with_codes(info, stand_in, direction, kw, params, codes)
    for value in sorted({str(policy[j]) for j in cols}):
        sel = np.asarray([j for j in cols if policy[j] == value], dtype=np.intp)
        sub_kw = {k: (v[sel] if isinstance(v, np.ndarray) and k in _PER_COLUMN else v)
                  for k, v in kw.items()}
        out[:, sel] = _call_with_codes(
            info, x[:, sel], direction[sel], sub_kw, {**params, "zero_variance": value},
            [codes[j] for j in sel],
        )
    return out


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
    """Map a treatment record's column index to the framework's indicator column.

    The record's index is local to the call.
    """
    return dataclasses.replace(rec, col=int(cols[rec.col]))


def check_codes(fw: Framework, m: Methodology) -> None:
    """Raise one :class:`MethodError` listing every code or level ``m`` names that ``fw`` lacks."""
    problems = []
    for attr in ("impute_by_indicator", "treat_by_indicator", "transform_by_indicator",
                 "normalise_by_indicator"):
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
