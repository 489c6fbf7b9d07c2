r"""Common references for a panel.

What every year is normalised, imputed, treated and weighted against.

Normalisation reference (``reference=``)
----------------------------------------
``"goalposts"``
    The framework's fixed goalposts ``(L, U)`` for every year:
    :math:`y = \mathrm{clip}((x - L)/(U - L), 0, 1)\cdot 100` (benefit; cost
    reversed).  Scores are comparable across years *and* independent of which
    units or years are present; values beyond a goalpost are capped.  Needs
    goalposts on every indicator.  (UNDP HDI technical notes; OECD/JRC
    Handbook 2008, §5.)
``"base"``
    Min-max with the base year's minimum and maximum:
    :math:`y_t = (x_t - \min x_{b})/(\max x_{b} - \min x_{b})\cdot u`.
    Progress since the base year shows directly (scores above ``u`` or
    below 0 are possible and kept: the scale is open); later years never
    change earlier scores.  A base year with an unusual spread distorts
    every year.
``"pooled"``
    Min-max with the minimum and maximum over all years of the panel.
    Every score lies in ``[0, u]`` and years are comparable, but adding a
    year can change every earlier score (the reference moves).  The
    OECD/JRC Handbook's suggestion for min-max over time.
``"per_year"``
    Each year's own min-max (what a single-year evaluation does): ranks
    within a year are right, levels are not comparable across years —
    progress common to all units is invisible.

Bases of imputation, treatment and data-driven weights
-------------------------------------------------------
``"per_year"``: each year on its own data (imputation uses only that
year's values — the common choice); ``"base"``: statistics of the base
year (imputation fills a year's missing values with the base year's
statistics; treatment winsorises at the base year's limits; weights are the
base year's); ``"pooled"``: statistics of all years stacked (weights then
reflect the whole period; adding a year changes them).  Weights that vary
by year make a change of the index partly a change of the weights: the
defaults are the base year's weights for the ``base`` and ``goalposts``
references, the pooled weights for ``pooled``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..framework.model import Framework
from ..inputs.data import UnitData
from ..methodology import ImputeSpec, Methodology, NormaliseSpec, TreatSpec, WeightSpec
from ..pipeline import preprocess
from .crosswalk import PanelError

__all__ = ["Basis", "Reference", "prepare", "reference_setup", "stack"]

F64 = NDArray[np.float64]
Reference = Literal["goalposts", "base", "pooled", "per_year"]
Basis = Literal["per_year", "base", "pooled"]


def stack(data: Sequence[UnitData], labels: Sequence[int]) -> UnitData:
    """Several years' data as one :class:`UnitData` (units ``"k:year:code"``)."""
    keys = sorted({k for d in data for k in d.groups})
    dens = sorted(set.intersection(*(set(d.denominators) for d in data))) if data else []
    return UnitData(
        framework=data[0].framework,
        units=tuple(f"{k}:{y}:{u}" for k, (d, y) in enumerate(zip(data, labels, strict=True))
                    for u in d.units),
        names=tuple(n for d in data for n in d.names),
        values=np.vstack([d.values for d in data]),
        groups={k: tuple(g for d in data for g in d.groups.get(k, ("",) * d.n_units))
                for k in keys},
        kind=data[0].kind,
        denominators={k: np.concatenate([d.denominators[k] for d in data]) for k in dens},
    )


def _stage_only(m: Methodology, stage: Literal["impute", "treat"]) -> Methodology:
    """``m`` reduced to denominate + impute (or + treat), normalisation 'none'."""
    ch: dict[str, Any] = {
        "normalise": NormaliseSpec(method="none"), "normalise_by_indicator": {},
    }
    if stage == "impute":
        ch.update(treat=TreatSpec(), treat_by_indicator={})
    else:
        ch.update(denominate=False, impute=ImputeSpec(), impute_by_indicator={})
    return m.replace(**ch)


def _impute_specs(m: Methodology, fw: Framework) -> list[ImputeSpec]:
    return [m.impute_for(c) for c in fw.indicator_codes]


def prepare(
    data: Mapping[int, UnitData], m: Methodology, *, impute: Basis, treat: Basis, base: int,
) -> dict[int, F64]:
    """Denominated, imputed and treated values of every year, each stage on its basis.

    Only called when some basis is not ``per_year``.
    """
    years = sorted(data)
    # --- imputation
    m_imp = _stage_only(m, "impute")
    if impute == "per_year":
        imputed = {y: preprocess(data[y], m_imp).imputed for y in years}
    elif impute == "pooled":
        st = preprocess(stack([data[y] for y in years], years), m_imp).imputed
        bounds = np.cumsum([0] + [data[y].n_units for y in years])
        imputed = {y: st[bounds[k]:bounds[k + 1]] for k, y in enumerate(years)}
    else:
        row_based = sorted({s.method for s in _impute_specs(m, data[base].framework)}
                           & {"row_mean"})
        if row_based:
            raise PanelError(
                f"插补方法 {row_based} 只用单位自身的数值, 没有基期统计量 / imputation {row_based} "
                "uses only the unit's own values; there is no base-year statistic to apply: use "
                "impute_basis='per_year'"
            )
        m_den = m_imp.replace(impute=ImputeSpec(), impute_by_indicator={})
        imputed = {}
        for y in years:
            d = data[y]
            own = preprocess(d, m_den).denominated
            # base rows, then this year's units with every value missing: the kernels fill
            # those rows with the base year's statistics (by group for group methods)
            blank = d.with_values(np.full(d.values.shape, np.nan))
            fill = preprocess(stack([data[base], blank], [base, y]), m_imp).imputed
            imputed[y] = np.where(np.isnan(own), fill[data[base].n_units:], own)
    # --- treatment
    m_tr = _stage_only(m, "treat")
    if treat == "per_year":
        return {y: preprocess(data[y].with_values(imputed[y]), m_tr).treated for y in years}
    if treat == "pooled":
        st_d = stack([data[y].with_values(imputed[y]) for y in years], years)
        tr = preprocess(st_d, m_tr).treated
        bounds = np.cumsum([0] + [data[y].n_units for y in years])
        return {y: tr[bounds[k]:bounds[k + 1]] for k, y in enumerate(years)}
    pre_b = preprocess(data[base].with_values(imputed[base]), m_tr)
    logs = [data[base].framework.indicator_codes[r.col] for r in pre_b.treatment
            if getattr(r, "log_applied", None)]
    if logs:
        raise PanelError(
            f"基期对 {logs} 做了对数变换, 无法用于其他年份 / the base-year treatment log-"
            f"transformed {logs}; applying a transform fitted on one year to another is not "
            "defined here: use treat_basis='pooled' (one treatment of all years) or 'per_year'"
        )
    changed = ~np.all((pre_b.treated == imputed[base]) | np.isnan(imputed[base]), axis=0)
    with np.errstate(all="ignore"):
        lo = np.where(changed, np.nanmin(pre_b.treated, axis=0), -np.inf)
        hi = np.where(changed, np.nanmax(pre_b.treated, axis=0), np.inf)
    return {y: (pre_b.treated if y == base else np.clip(imputed[y], lo, hi)) for y in years}


def reference_framework(fw: Framework, lo: F64, hi: F64, what: str) -> Framework:
    """``fw`` with goalposts ``(lo, hi)`` per indicator.

    Bounds are dropped (the goalposts may be in treated units); the title states
    the reference.
    """
    bad = [c for c, a, b in zip(fw.indicator_codes, lo, hi, strict=True) if not b > a]
    if bad:
        raise PanelError(
            f"参照期内这些指标没有变化或没有数据, 无法做最小-最大标准化 / these indicators are "
            f"constant or empty over the reference ({what}), so min-max has no range: "
            f"{', '.join(bad[:20])}. Use another reference or remove them"
        )
    pos = {c: j for j, c in enumerate(fw.indicator_codes)}
    nodes = tuple(
        n.model_copy(update={"goalposts": (float(lo[pos[n.code]]), float(hi[pos[n.code]])),
                             "lower_bound": None, "upper_bound": None})
        if n.code in pos else n for n in fw.nodes
    )
    return Framework(**{
        **fw.model_dump(exclude={"nodes", "name_en", "description"}), "nodes": nodes,
        "name_en": f"{fw.name_en} (panel reference: {what})",
        "description": f"{fw.description} [面板参照 / panel reference: {what}]".strip(),
    })


def reference_setup(
    fw: Framework, m: Methodology, reference: Reference, treated: Mapping[int, F64], base: int,
) -> tuple[Framework, Methodology]:
    """Return the framework and methodology every year is evaluated with."""
    if reference == "per_year":
        return fw, m
    if m.normalise_by_indicator:
        raise PanelError(
            "面板参照取代标准化设定, 不能再按指标设定标准化 / a panel reference replaces the "
            "normalisation, so normalise_by_indicator cannot be used with it; use "
            "reference='per_year' or drop the per-indicator normalisation"
        )
    spec = m.normalise
    params = spec.resolved_params()
    if reference == "goalposts":
        if spec.method == "goalposts":
            return fw, m
        scale = params.get("upper", 100.0) if spec.method == "minmax" else 100.0
        missing = [i.code for i in fw.indicators if i.goalposts is None]
        if missing:
            raise PanelError(
                f"{len(missing)} 个指标没有 goalposts / {len(missing)} indicator(s) of "
                f"{fw.code!r} have no goalposts: {', '.join(missing[:20])}. Set them in the "
                "framework or use reference='base' or 'pooled'"
            )
        return fw, m.replace(normalise=NormaliseSpec(method="goalposts",
                                                     params={"scale": scale}))
    if spec.method != "minmax" or params["lower"] != 0.0:
        raise PanelError(
            f"参照 {reference!r} 是最小-最大标准化, 需要 minmax (lower = 0) / reference "
            f"{reference!r} is a min-max with a fixed range; the methodology normalises with "
            f"{spec.method!r} {params}: use minmax with lower = 0 (upper sets the scale)"
        )
    if reference == "base":
        ref, what = treated[base], f"base year {base} min/max"
    else:
        ref, what = np.vstack([treated[y] for y in sorted(treated)]), \
            f"pooled min/max {min(treated)}-{max(treated)}"
    with np.errstate(all="ignore"):
        empty = np.isnan(ref).all(axis=0)
        lo = np.where(empty, np.nan, np.nanmin(np.where(np.isnan(ref), np.inf, ref), axis=0))
        hi = np.where(empty, np.nan, np.nanmax(np.where(np.isnan(ref), -np.inf, ref), axis=0))
    fw_ref = reference_framework(fw, lo, hi, what)
    return fw_ref, m.replace(normalise=NormaliseSpec(
        method="goalposts", params={"scale": params["upper"], "truncate": False}))


def data_driven(m: Methodology, fw: Framework) -> bool:
    """Tell whether some level's weights are computed from the data."""
    return any(m.weights_for(lev).method not in ("framework", "equal", "explicit", "ahp")
               for lev in range(2, fw.max_level + 1))


def fixed_weights(m: Methodology, weights: Sequence[F64], child_codes: Sequence[Sequence[str]]
                  ) -> Methodology:
    """``m`` with the given per-level weights fixed (framework weights overridden)."""
    over = {c: float(w) for ws, cs in zip(weights, child_codes, strict=True)
            for c, w in zip(cs, ws.tolist(), strict=True)}
    return m.replace(weights=WeightSpec(), weights_by_level={}, weight_set=None,
                     weight_overrides=over)
