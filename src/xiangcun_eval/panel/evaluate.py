"""Panel evaluation: several years on common references, :func:`evaluate_panel`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..evaluate import evaluate
from ..inputs.data import UnitData
from ..methodology import Methodology, NormaliseSpec
from ..pipeline import preprocess
from .crosswalk import Crosswalk, PanelError, Unmatched, check_matched
from .reference import (
    Basis,
    Reference,
    data_driven,
    fixed_weights,
    prepare,
    reference_setup,
    stack,
)
from .result import PanelEvaluation

__all__ = ["evaluate_panel"]

_DEFAULT_WEIGHTS: dict[str, Basis] = {
    "goalposts": "base", "base": "base", "pooled": "pooled", "per_year": "per_year",
}
_DEFAULT_TREAT = _DEFAULT_WEIGHTS


def evaluate_panel(
    data: Mapping[int, UnitData],
    methodology: Methodology | str | Path | None = None,
    *,
    reference: Reference,
    base_year: int | None = None,
    impute_basis: Basis = "per_year",
    treat_basis: Basis | None = None,
    weights_basis: Basis | None = None,
    crosswalk: Crosswalk | Mapping[str, str] | None = None,
    unmatched: Unmatched = "error",
) -> PanelEvaluation:
    """Evaluate several years on common references.

    Parameters
    ----------
    data
        Year -> validated data of that year (same framework every year).
    methodology
        As for :func:`~xiangcun_eval.evaluate` (default methodology if ``None``).
    reference
        ``"goalposts"`` (the framework's fixed goalposts), ``"base"`` (the
        base year's min/max), ``"pooled"`` (min/max over all years) or
        ``"per_year"`` (each year's own min/max: levels not comparable).  See
        :mod:`xiangcun_eval.panel.reference` for the trade-offs.
    base_year
        The base year (default: the first year).
    impute_basis, treat_basis, weights_basis
        ``"per_year"``, ``"base"`` or ``"pooled"``.  Defaults: imputation per
        year; treatment and data-driven weights on the reference's basis
        (base year for ``goalposts`` and ``base``, pooled for ``pooled``).
    crosswalk
        Unit-code mapping ``old -> new`` (:class:`Crosswalk` or a dict).
    unmatched
        ``"error"`` (default): a unit present in one year and missing in
        another raises :class:`PanelError` naming both years; ``"allow"``: it
        enters or leaves the panel; or the collection of codes allowed to.

    Returns
    -------
    PanelEvaluation
        One :class:`~xiangcun_eval.Evaluation` per year plus the year-over-year
        accessors.

    Notes
    -----
    With a fixed reference (``goalposts``, or ``base`` with base-year or
    per-year treatment and weights) a year's scores depend only on that
    year's data and the base year's: adding or removing other years changes
    nothing (tested).  When any of imputation or treatment is not per year,
    the per-year evaluations receive the prepared (denominated, imputed,
    treated) values with those stages switched off; the inputs stay in
    :attr:`PanelEvaluation.inputs`.
    """
    if methodology is None:
        m = Methodology()
    elif isinstance(methodology, str | Path):
        m = Methodology.from_toml(methodology)
    else:
        m = methodology
    if not data:
        raise PanelError("面板没有数据 / the panel has no years")
    years = sorted(int(y) for y in data)
    if reference not in _DEFAULT_WEIGHTS:
        raise PanelError(
            f"未知参照 {reference!r} / unknown reference {reference!r}: one of "
            f"{sorted(_DEFAULT_WEIGHTS)}"
        )
    base = years[0] if base_year is None else int(base_year)
    treat_b: Basis = treat_basis or _DEFAULT_TREAT[reference]
    weights_b: Basis = weights_basis or _DEFAULT_WEIGHTS[reference]
    _check_years(data, years, base, {"impute_basis": impute_basis, "treat_basis": treat_b,
                                     "weights_basis": weights_b})
    cw = crosswalk if isinstance(crosswalk, Crosswalk) else Crosswalk(dict(crosswalk or {}))
    mapped: dict[int, UnitData] = {}
    renamed: dict[int, dict[str, str]] = {}
    for y in years:
        mapped[y], renamed[y] = cw.apply(data[y], y)
    gaps = check_matched(mapped, unmatched)
    fw = mapped[base].framework

    # preparation (stages not per year) and the reference
    prepared = impute_basis != "per_year" or treat_b != "per_year"
    if prepared:
        values = prepare(mapped, m, impute=impute_basis, treat=treat_b, base=base)
        m_year = m.replace(denominate=False, impute=type(m.impute)(), impute_by_indicator={},
                           treat=type(m.treat)(), treat_by_indicator={})
    else:
        values = {y: mapped[y].values for y in years}
        m_year = m
    if reference in ("base", "pooled") and not prepared:
        m_nn = m.replace(normalise=NormaliseSpec(method="none"), normalise_by_indicator={})
        treated = {y: preprocess(mapped[y], m_nn).treated for y in years}
    else:
        treated = values
    fw_ref, m_year = reference_setup(fw, m_year, reference, treated, base)

    def year_data(y: int) -> UnitData:
        d = mapped[y]
        return UnitData(
            framework=fw_ref, units=d.units, names=d.names, values=values[y], groups=d.groups,
            year=y, kind=d.kind, notes=d.notes, sources=d.sources,
            denominators={} if prepared else d.denominators,
        )

    yd = {y: year_data(y) for y in years}
    if weights_b != "per_year" and data_driven(m_year, fw_ref):
        if weights_b == "base":
            ref_ev = evaluate(yd[base], m_year)
        else:
            ref_ev = evaluate(stack([yd[y] for y in years], years), m_year)
        m_year = fixed_weights(m_year, ref_ev.weights, [p.child_codes for p in ref_ev.plans])
    evaluations = {y: evaluate(yd[y], m_year) for y in years}
    return PanelEvaluation(
        years=tuple(years), evaluations=evaluations, inputs=mapped, methodology=m,
        reference=reference, base_year=base, impute_basis=impute_basis, treat_basis=treat_b,
        weights_basis=weights_b, renamed=renamed, gaps=tuple(gaps),
    )


def _check_years(data: Mapping[int, UnitData], years: list[int], base: int,
                 bases: Mapping[str, str]) -> None:
    """Raise :class:`PanelError` unless the years and bases make a panel.

    The base year must be a year of the panel, every basis ``per_year``,
    ``base`` or ``pooled``, each year's data of that year (or undated), and
    the framework the same every year.
    """
    if base not in years:
        raise PanelError(f"基期 {base} 不在面板中 / base year {base} is not a year of the "
                         f"panel {years}")
    for name, b in bases.items():
        if b not in ("per_year", "base", "pooled"):
            raise PanelError(f"{name} 须为 per_year/base/pooled / {name} must be 'per_year', "
                             f"'base' or 'pooled', not {b!r}")
    wrong = [(y, data[y].year) for y in years if data[y].year not in (None, y)]
    if wrong:
        raise PanelError(
            "数据的年份与面板中的年份不符 / the data's year differs from its key in the panel: "
            + ", ".join(f"key {y} holds data of {dy}" for y, dy in wrong)
        )
    digests = {data[y].framework.digest() for y in years}
    if len(digests) > 1:
        raise PanelError(
            "各年的指标体系不同 / the years use different frameworks "
            f"({sorted({data[y].framework.code for y in years})}): a panel needs one framework; "
            "read every year with the same one"
        )
