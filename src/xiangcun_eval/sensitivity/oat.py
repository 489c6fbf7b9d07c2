"""One-at-a-time variants and leave-one-out (COINr ``remove_elements``):
:func:`one_at_a_time`, :func:`leave_one_out` and their results.

Both are small batched computations on the nominal preprocessing: every
variant's weights are stacked on a leading replicate axis and aggregated in
one :func:`~xiangcun_eval.pipeline.aggregate_tree` call (alternatives of
preprocessing or aggregation run :func:`~xiangcun_eval.evaluate` once each).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..evaluate import evaluate
from ..inputs.data import UnitData
from ..methodology import Methodology
from ..methods import rank as _rank
from ..pipeline import aggregate_tree, level_plans, normalise_within, preprocess
from ..table import Table
from . import factors as _fac
from .execution import as_methodology, as_space
from .space import ParameterRange, UncertaintySpace, WeightDirichlet, WeightNoise

__all__ = ["LeaveOneOutResult", "OATResult", "leave_one_out", "one_at_a_time"]

F64 = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class OATResult:
    """One-at-a-time variants: each factor moved alone from the nominal methodology.

    ``settings[i]`` describes variant ``i``; ``ranks[i]`` its ranks
    ``(n_units,)``; ``mean_abs_shift[i]`` and ``max_abs_shift[i]`` its rank
    shifts against the nominal ranks.
    """

    units: tuple[str, ...]
    factors: tuple[str, ...]
    settings: tuple[str, ...]
    ranks: F64
    scores: F64
    nominal_rank: F64
    mean_abs_shift: F64
    max_abs_shift: F64
    skipped: tuple[str, ...] = ()

    def table(self) -> Table:
        cols: dict[str, Any] = {
            "因素 factor": self.factors, "设定 setting": self.settings,
            "平均排名变动 mean |Δrank|": self.mean_abs_shift,
            "最大排名变动 max |Δrank|": self.max_abs_shift,
        }
        return Table.from_columns(cols, title="单因素敏感性 / one-at-a-time rank shifts")


def _shifts(ranks: F64, nominal: F64) -> tuple[F64, F64]:
    d = np.abs(ranks - nominal)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(d, axis=-1), np.nanmax(d, axis=-1)


def one_at_a_time(
    data: UnitData, methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path,
) -> OATResult:
    """Rank shifts when each factor is moved alone (others nominal).

    Discrete factors: every alternative; parameters: ``low``, ``high`` (or
    every value when quantised); weight noise: each weight in turn at
    ``w(1 − a)`` and ``w(1 + a)``; leave-out: every subset.  Dirichlet
    weights and data noise have no one-at-a-time analogue and are listed in
    ``skipped``.
    """
    m = as_methodology(methodology)
    sp = as_space(space)
    nominal = evaluate(data, m)
    fw = data.framework
    sp.check(fw, m)
    atoms = _fac.compile_space(sp, fw)
    pre = preprocess(data, m)
    plans = level_plans(fw, m)
    wnom = [w for w in nominal.weights]
    factors: list[str] = []
    settings: list[str] = []
    idx_rows: list[F64] = []
    skipped: list[str] = []
    for a in atoms:
        f = sp.factors[a.factor]
        if a.role in ("pre", "plans"):
            if isinstance(f, ParameterRange) and a.n_alt is None:
                values = [f.low, f.high]
            elif isinstance(f, ParameterRange):
                values = [f.value_of(k) for k in range(a.n_alt or 0)]
            else:
                values = [float(k) for k in range(a.n_alt or 0)]
            for v in values:
                mv = _fac.apply_setting(m, sp, a, v)
                ev = evaluate(data, mv, check_scale=False)
                factors.append(a.name)
                settings.append(_fac.describe_setting(sp, a, v))
                idx_rows.append(np.asarray(ev.index))
        elif a.role == "mask":
            for j in range(a.n_alt or 0):
                ws = [normalise_within(w[None, :] * a.masks[li][j], p.membership, len(p.codes))
                      for li, (w, p) in enumerate(zip(wnom, plans, strict=True))]
                idx_rows.append(aggregate_tree(pre.normalised, plans, ws)[-1][0, :, 0])
                factors.append(a.name)
                settings.append(_fac.describe_setting(sp, a, float(j)))
        elif a.role == "weights" and isinstance(f, WeightNoise):
            for li, cols, _off in a.targets:
                plan = plans[li]
                r = 2 * cols.size
                w = np.array(np.broadcast_to(wnom[li], (r, wnom[li].size)))
                k = np.arange(cols.size)
                w[2 * k, cols] *= 1 - f.noise
                w[2 * k + 1, cols] *= 1 + f.noise
                ws = [np.broadcast_to(x, (r, x.size)) for x in wnom]
                ws[li] = normalise_within(w, plan.membership, len(plan.codes))
                idx_rows.append(aggregate_tree(pre.normalised, plans, ws)[-1][..., 0])
                for c in cols:
                    for sgn in ("−", "+"):
                        factors.append(a.name)
                        settings.append(f"w[{plan.child_codes[c]}] {sgn}{f.noise:g}")
        else:
            kind = "Dirichlet" if isinstance(f, WeightDirichlet) else "data noise"
            skipped.append(f"{a.name} ({kind})")
    index = (np.vstack([np.atleast_2d(x) for x in idx_rows]) if idx_rows
             else np.zeros((0, data.n_units)))
    ranks = _rank.rank_desc(index, axis=-1)
    mean, mx = _shifts(ranks, np.asarray(nominal.rank))
    return OATResult(units=data.units, factors=tuple(factors), settings=tuple(settings),
                     ranks=ranks, scores=index, nominal_rank=np.asarray(nominal.rank),
                     mean_abs_shift=mean, max_abs_shift=mx, skipped=tuple(skipped))


@dataclass(frozen=True, eq=False)
class LeaveOneOutResult:
    """Ranks with each element removed in turn (COINr ``remove_elements``).

    ``ranks[i]`` / ``scores[i]``: with ``codes[i]`` removed (weight 0);
    ``rank_diff[i] = ranks[i] − nominal``; ``mean_abs_shift[i]`` as COINr's
    ``MeanAbsDiff``.
    """

    units: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    ranks: F64
    scores: F64
    nominal_rank: F64
    mean_abs_shift: F64
    max_abs_shift: F64

    @property
    def rank_diff(self) -> F64:
        out: F64 = self.ranks - self.nominal_rank
        return out

    def table(self) -> Table:
        cols: dict[str, Any] = {
            "代码 code": self.codes, "名称 name": self.names,
            "平均排名变动 mean |Δrank|": self.mean_abs_shift,
            "最大排名变动 max |Δrank|": self.max_abs_shift,
        }
        return Table.from_columns(cols, title="逐一剔除 / leave-one-out rank shifts")


def leave_one_out(
    data: UnitData, methodology: Methodology | str | Path | None = None, *,
    level: int = 1, codes: Sequence[str] | None = None,
) -> LeaveOneOutResult:
    """Remove each indicator (``level=1``) or group (``level >= 2``), in turn.

    Removal sets the element's weight to 0 (so the other children of its
    group share its weight, renormalised), as COINr's ``remove_elements``;
    all removals are computed in one batched aggregation.
    """
    m = as_methodology(methodology)
    fw = data.framework
    if not 1 <= level < fw.max_level:
        raise MethodError(
            f"层级须在 1..{fw.max_level - 1} / level must be in 1..{fw.max_level - 1}")
    level_codes = fw.level_codes(level)
    chosen = tuple(codes) if codes is not None else level_codes
    unknown = [c for c in chosen if c not in level_codes]
    if unknown:
        raise MethodError(f"第 {level} 层没有这些代码 / codes not at level {level}: {unknown}")
    nominal = evaluate(data, m)
    pre = nominal.preprocessed
    plans = nominal.plans
    li = level - 1
    r = len(chosen)
    ws = [np.broadcast_to(np.asarray(w), (r, w.size)) for w in nominal.weights]
    w = np.array(ws[li])
    for k, c in enumerate(chosen):
        w[k, level_codes.index(c)] = 0.0
    ws[li] = normalise_within(w, plans[li].membership, len(plans[li].codes))
    with np.errstate(invalid="ignore", divide="ignore"):
        index = aggregate_tree(pre.normalised, plans, ws)[-1][..., 0]
    ranks = _rank.rank_desc(index, axis=-1)
    mean, mx = _shifts(ranks, np.asarray(nominal.rank))
    return LeaveOneOutResult(units=data.units, codes=chosen,
                             names=tuple(fw[c].label for c in chosen),
                             ranks=ranks, scores=index, nominal_rank=np.asarray(nominal.rank),
                             mean_abs_shift=mean, max_abs_shift=mx)

