"""Province and region aggregates of raw indicators, and headline-target tracking.

Raw indicator values of counties roll up to provinces, regions or the nation
by the rule each indicator declares in its framework (``Indicator.rollup``):

* ``sum`` (counts, amounts): ``Σ_u x_u`` over units with data;
* ``weighted_mean`` (rates and per-capita values): ``Σ_u w_u x_u / Σ_u w_u``
  over units with both ``x`` and ``w``, where ``w`` is the indicator's
  denominator named by ``rollup_weight`` (administrative villages, rural
  households, rural population, agricultural output ...).  This is the ratio of
  the summed numerators to the summed denominators: e.g. a province's
  production informatisation rate weighted by agricultural output, as the
  national figure is computed;
* ``mean`` (stated for yes/no and coded items): the plain mean over units
  (the share of counties with "yes").

An indicator without a declared rule is left out (``NaN``, rule ``—``) unless
``default_rule`` is given: a plain mean is used only where it is stated.
The denominators come from ``weights`` (name -> per-unit values) and the
data's denominator columns; a missing one is an error naming the indicators,
unless ``missing_weights="mean"`` (then those indicators use the plain mean
and say so in their rule).

:func:`target_tracking` compares county values, province roll-ups and the
national roll-up with each indicator's target (and benchmark, labelled
apart).  The national value is reported only where it is complete (every
unit has the value and its weight); otherwise it is missing and marked
``incomplete``, because a sum or weighted mean over part of the country is
not the national figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ..framework.model import RollupRule
from ..inputs.data import UnitData
from ..table import Table

__all__ = ["IndicatorRollup", "indicator_rollup", "target_tracking"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class IndicatorRollup:
    """Raw indicators rolled up to groups.

    Attributes
    ----------
    by
        The grouping column (``"province"``, ``"region"``) or ``"national"``.
    groups
        Group labels (rows).
    codes
        Indicator codes (columns).
    rules
        Rule used per indicator (``"sum"``, ``"weighted_mean:<weight>"``,
        ``"mean"``, ``"mean (no weights)"``, ``"—"`` when none is declared).
    values
        ``(n_groups, n_indicators)`` aggregates (NaN where no unit has data).
    n_units, n_with_data
        Units per group, and units with usable data (value and weight) per
        group and indicator.
    """

    by: str
    groups: tuple[str, ...]
    codes: tuple[str, ...]
    rules: tuple[str, ...]
    values: F64
    n_units: NDArray[np.intp]
    n_with_data: NDArray[np.intp]

    @property
    def complete(self) -> NDArray[np.bool_]:
        """True where every unit of the group contributed (value and weight)."""
        out: NDArray[np.bool_] = self.n_with_data == self.n_units[:, None]
        return out

    def table(self) -> Table:
        """Long table: one row per group and indicator."""
        g, j = np.divmod(np.arange(self.values.size), len(self.codes))
        return Table.from_columns({
            "分组 group": [self.groups[k] for k in g],
            "代码 code": [self.codes[k] for k in j],
            "汇总规则 rule": [self.rules[k] for k in j],
            "汇总值 value": self.values.reshape(-1),
            "单位数 n units": self.n_units[g],
            "有数据 n with data": self.n_with_data.reshape(-1),
        }, title=f"指标汇总 / indicator roll-up by {self.by}")


def _weights_for(data: UnitData, weights: Mapping[str, ArrayLike] | None
                 ) -> dict[str, F64]:
    out: dict[str, F64] = {k: np.asarray(v, dtype=np.float64) for k, v in
                           data.denominators.items()}
    for k, v in (weights or {}).items():
        a = np.asarray(v, dtype=np.float64)
        if a.shape != (len(data),):
            raise MethodError(
                f"汇总权重 {k!r} 长度不符 / roll-up weight {k!r} must have one value per unit "
                f"({len(data)}), got shape {a.shape}")
        if (a < 0).any():
            raise MethodError(f"汇总权重 {k!r} 有负值 / roll-up weight {k!r} has negative values")
        out[k] = a
    return out


def indicator_rollup(
    data: UnitData,
    by: str = "province",
    *,
    weights: Mapping[str, ArrayLike] | None = None,
    missing_weights: Literal["error", "mean"] = "error",
    default_rule: RollupRule | None = None,
) -> IndicatorRollup:
    """Roll raw indicators up to the groups of ``by`` with each indicator's rule.

    Parameters
    ----------
    data
        Validated unit data (raw values, before any imputation).
    by
        A grouping column of the data, or ``"national"`` (one group of all units).
    weights
        Denominators for ``weighted_mean`` rules, by the name the framework's
        ``rollup_weight`` uses, one value per unit (added to the data's own
        denominator columns).
    missing_weights
        ``"error"`` (default): a weighted-mean indicator whose weight is not
        given raises, listing them; ``"mean"``: use the plain mean for those
        and say so in the rule.
    default_rule
        Rule for indicators that declare none (default: leave them out).

    Raises
    ------
    MethodError
        Missing or malformed weights, an unknown grouping column.
    """
    fw = data.framework
    x = np.asarray(data.values, dtype=np.float64)
    n = x.shape[0]
    labels: tuple[str, ...]
    if by == "national":
        gcode, labels = np.zeros(n, dtype=np.intp), ("全国 national",)
    else:
        try:
            gcode, labels = data.group_codes(by)
        except KeyError as exc:
            raise MethodError(str(exc.args[0])) from None
    ng = len(labels)
    inside = gcode >= 0
    gi = np.where(inside, gcode, 0)
    n_units = np.bincount(gi[inside], minlength=ng).astype(np.intp)
    wmap = _weights_for(data, weights)
    missing = sorted({ind.rollup_weight or "" for ind in fw.indicators
                      if ind.rollup == "weighted_mean" and ind.rollup_weight not in wmap})
    if missing and missing_weights == "error":
        users = [ind.code for ind in fw.indicators if ind.rollup_weight in missing]
        raise MethodError(
            f"缺少加权汇总的权重变量 / weighted-mean roll-ups need their weights: {missing} "
            f"(for {len(users)} indicator(s), e.g. {users[:3]}). Pass weights={{name: values}} "
            "(one value per unit) or missing_weights='mean' to use plain means for them")
    values = np.full((ng, len(fw.indicators)), np.nan)
    n_data = np.zeros((ng, len(fw.indicators)), dtype=np.intp)
    rules: list[str] = []
    for j, ind in enumerate(fw.indicators):
        rule = ind.rollup or default_rule
        col = x[:, j]
        w = np.ones(n)
        label: str
        if rule is None:
            rules.append("—")
            continue
        if rule == "weighted_mean":
            key = ind.rollup_weight or ""
            if key in wmap:
                w, label = wmap[key], f"weighted_mean:{key}"
            else:
                label = "mean (no weights)"
        else:
            label = rule
        ok = inside & ~np.isnan(col) & ~np.isnan(w)
        cnt = np.bincount(gi[ok], minlength=ng)
        n_data[:, j] = cnt
        tot: F64
        if rule == "sum":
            tot = np.bincount(gi[ok], weights=col[ok], minlength=ng).astype(np.float64)
        else:
            num = np.bincount(gi[ok], weights=(w * col)[ok], minlength=ng)
            den = np.bincount(gi[ok], weights=w[ok], minlength=ng)
            with np.errstate(invalid="ignore", divide="ignore"):
                tot = num / den
        values[:, j] = np.where(cnt > 0, tot, np.nan)
        rules.append(label)
    return IndicatorRollup(by=by, groups=tuple(labels), codes=fw.indicator_codes,
                           rules=tuple(rules), values=values, n_units=n_units,
                           n_with_data=n_data)


def target_tracking(
    data: UnitData,
    by: str = "province",
    *,
    weights: Mapping[str, ArrayLike] | None = None,
    missing_weights: Literal["error", "mean"] = "error",
) -> Table:
    """Headline-target tracking at county, ``by`` (province) and national level.

    One row per level, unit or group, indicator with a target or benchmark,
    and reference (``目标值 target`` / ``基准值 benchmark: ...``): value, reference
    value, gap (positive = short of it, direction applied) and whether it is
    reached.  Province and national values are the indicator roll-ups
    (:func:`indicator_rollup`); the national row is given only when complete
    (every unit has value and weight), else its value is missing and the
    status says ``incomplete``.
    """
    fw = data.framework
    refs: list[tuple[int, str, float]] = []
    for kind in ("target", "benchmark"):
        for j, ind in enumerate(fw.indicators):
            if kind == "target" and ind.target is not None:
                refs.append((j, "目标值 target", ind.target))
            elif kind == "benchmark" and ind.benchmark is not None:
                refs.append((j, f"基准值 benchmark: {ind.benchmark.label}", ind.benchmark.value))
    prov = indicator_rollup(data, by, weights=weights, missing_weights=missing_weights)
    nat = indicator_rollup(data, "national", weights=weights, missing_weights=missing_weights)
    blocks: list[dict[str, NDArray[np.generic]]] = []
    for j, label, ref in refs:
        d = float(fw.indicators[j].direction)
        nat_ok = bool(nat.complete[0, j])
        v = np.concatenate([data.values[:, j], prov.values[:, j],
                            nat.values[0, j:j + 1] if nat_ok else np.full(1, np.nan)])
        n_c, n_p = len(data.units), len(prov.groups)
        gap = (ref - v) * d
        status = np.where(np.isnan(v), "无数据 no data",
                          np.where(gap <= 0, "达到 reached", "未达到 short")).astype(object)
        if not nat_ok:
            status[-1] = "不完整 incomplete"
        blocks.append({
            "层级 level": np.array(["县 county"] * n_c + [by] * n_p + ["全国 national"],
                                   dtype=object),
            "单位 unit": np.array([*data.units, *prov.groups, nat.groups[0]], dtype=object),
            "代码 code": np.full(v.size, fw.indicators[j].code, dtype=object),
            "参照 reference": np.full(v.size, label, dtype=object),
            "值 value": v,
            "参照值 ref value": np.full(v.size, ref),
            "差距 gap": gap,
            "状态 status": status,
        })
    keys = ("层级 level", "单位 unit", "代码 code", "参照 reference", "值 value",
            "参照值 ref value", "差距 gap", "状态 status")
    cols = {k: (np.concatenate([b[k] for b in blocks]) if blocks else np.zeros(0)) for k in keys}
    return Table.from_columns(cols, title="目标跟踪 / headline-target tracking")
