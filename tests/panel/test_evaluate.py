"""evaluate_panel: references, bases, invariance to the other years, errors."""

from __future__ import annotations

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data, small_framework
from xiangcun_eval.framework.model import Framework
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.panel import PanelError, evaluate_panel


def _year(d: UnitData, year: int, factor: float = 1.0, seed: int = 0) -> UnitData:
    rng = np.random.default_rng(seed)
    v = np.clip(d.values * factor * rng.uniform(0.95, 1.05, d.values.shape), 0, 100)
    return UnitData(framework=d.framework, units=d.units, names=d.names, values=v,
                    groups=d.groups, year=year, kind=d.kind)


def _gp_framework() -> Framework:
    fw = small_framework()
    nodes = tuple(n.model_copy(update={"goalposts": (0.0, 100.0)}) if n.code.startswith("x")
                  else n for n in fw.nodes)
    return Framework(**{**fw.model_dump(exclude={"nodes"}), "nodes": nodes})


@pytest.fixture
def years() -> dict[int, UnitData]:
    d = small_data(n=40, missing=0.05)
    return {2021: _year(d, 2021, 0.8, 1), 2022: _year(d, 2022, 0.9, 2),
            2023: _year(d, 2023, 1.0, 3)}


@pytest.mark.parametrize("m", [
    xe.Methodology(),
    xe.Methodology(weights=xe.WeightSpec(method="entropy"),
                   impute=xe.ImputeSpec(method="mean"), treat=xe.TreatSpec(method="winsorise")),
])
def test_fixed_base_reference_ignores_other_years(years: dict[int, UnitData],
                                                  m: xe.Methodology) -> None:
    full = evaluate_panel(years, m, reference="base", base_year=2021)
    part = evaluate_panel({2021: years[2021], 2023: years[2023]}, m, reference="base",
                          base_year=2021)
    for lev in range(3):
        assert np.array_equal(full[2023].level_scores[lev], part[2023].level_scores[lev],
                              equal_nan=True)
    assert not np.allclose(full[2023].index, xe.evaluate(years[2023], m).index)


def test_goalposts_reference_depends_on_the_year_only(years: dict[int, UnitData]) -> None:
    fw = _gp_framework()
    ys = {y: UnitData(framework=fw, units=d.units, names=d.names, values=d.values,
                      groups=d.groups, year=y) for y, d in years.items()}
    full = evaluate_panel(ys, reference="goalposts")
    alone = evaluate_panel({2023: ys[2023]}, reference="goalposts")
    assert np.array_equal(full[2023].index, alone[2023].index, equal_nan=True)
    m = xe.Methodology(normalise=xe.NormaliseSpec(method="goalposts"))
    assert np.array_equal(full[2023].index, xe.evaluate(ys[2023], m).index, equal_nan=True)


def test_goalposts_reference_needs_goalposts(years: dict[int, UnitData]) -> None:
    with pytest.raises(PanelError, match="goalposts"):
        evaluate_panel(years, reference="goalposts")


def test_per_year_is_plain_evaluate(years: dict[int, UnitData]) -> None:
    p = evaluate_panel(years, reference="per_year")
    for y in years:
        assert np.array_equal(p[y].index, xe.evaluate(years[y]).index, equal_nan=True)


def test_base_reference_base_year_is_its_min_max(years: dict[int, UnitData]) -> None:
    p = evaluate_panel(years, reference="base")
    np.testing.assert_allclose(p[2021].index, xe.evaluate(years[2021]).index, atol=1e-10)
    assert np.nanmean(p[2023].index) > np.nanmean(p[2021].index) + 5  # progress shows


def test_pooled_reference_in_range_and_moves_with_years(years: dict[int, UnitData]) -> None:
    p = evaluate_panel(years, reference="pooled")
    lo = min(np.nanmin(p[y].level_scores[0]) for y in years)
    hi = max(np.nanmax(p[y].level_scores[0]) for y in years)
    assert lo == pytest.approx(0.0, abs=1e-12)
    assert hi == pytest.approx(100.0, abs=1e-12)
    q = evaluate_panel({2022: years[2022], 2023: years[2023]}, reference="pooled")
    assert not np.array_equal(p[2023].index, q[2023].index, equal_nan=True)


def test_weights_basis(years: dict[int, UnitData]) -> None:
    m = xe.Methodology(weights=xe.WeightSpec(method="entropy"))
    base = evaluate_panel(years, m, reference="base")
    w = [base[y].weights[0] for y in years]
    np.testing.assert_allclose(w[0], w[2], rtol=1e-15)
    per = evaluate_panel(years, m, reference="pooled", weights_basis="per_year")
    assert not np.allclose(per[2021].weights[0], per[2023].weights[0])
    pooled = evaluate_panel(years, m, reference="pooled")
    np.testing.assert_allclose(pooled[2021].weights[0], pooled[2023].weights[0], rtol=1e-15)


def test_impute_bases(years: dict[int, UnitData]) -> None:
    m = xe.Methodology(impute=xe.ImputeSpec(method="mean"))
    d23 = years[2023]
    miss = np.isnan(d23.values)
    assert miss.any()
    base = evaluate_panel(years, m, reference="base", impute_basis="base")
    filled = base[2023].data.values
    b_mean = np.nanmean(years[2021].values, axis=0)
    np.testing.assert_allclose(filled[miss], np.broadcast_to(b_mean, d23.values.shape)[miss])
    pooled = evaluate_panel(years, m, reference="base", impute_basis="pooled")
    p_mean = np.nanmean(np.vstack([years[y].values for y in years]), axis=0)
    np.testing.assert_allclose(pooled[2023].data.values[miss],
                               np.broadcast_to(p_mean, d23.values.shape)[miss])
    per = evaluate_panel(years, m, reference="base", treat_basis="per_year")
    assert np.isnan(per[2023].data.values).any()  # per year: the pipeline imputes
    assert not np.isnan(per[2023].preprocessed.imputed).any()


def test_row_mean_has_no_base_statistic(years: dict[int, UnitData]) -> None:
    m = xe.Methodology(impute=xe.ImputeSpec(method="row_mean"))
    with pytest.raises(PanelError, match="row_mean"):
        evaluate_panel(years, m, reference="base", impute_basis="base")


def test_treat_base_clips_to_base_limits(years: dict[int, UnitData]) -> None:
    d = years[2021]
    v = np.array(d.values)
    v[0, 0] = 99.0  # an outlier in the base year, far from the rest
    v[1:, 0] = np.linspace(20, 40, v.shape[0] - 1)
    ys = dict(years)
    ys[2021] = d.with_values(v)
    m = xe.Methodology(treat=xe.TreatSpec(method="winsorise"))
    p = evaluate_panel(ys, m, reference="base")
    assert p.treat_basis == "base"
    top = np.nanmax(p[2021].data.values[:, 0])
    assert top < 99.0
    assert np.nanmax(p[2023].data.values[:, 0]) <= top


def test_errors(years: dict[int, UnitData]) -> None:
    with pytest.raises(PanelError, match="unknown reference"):
        evaluate_panel(years, reference="median")  # type: ignore[arg-type]
    with pytest.raises(PanelError, match="base year 2019"):
        evaluate_panel(years, reference="base", base_year=2019)
    with pytest.raises(PanelError, match="no years"):
        evaluate_panel({}, reference="base")
    with pytest.raises(PanelError, match="impute_basis"):
        evaluate_panel(years, reference="base", impute_basis="yearly")  # type: ignore[arg-type]
    m = xe.Methodology(normalise=xe.NormaliseSpec(method="zscore"))
    with pytest.raises(PanelError, match="zscore"):
        evaluate_panel(years, m, reference="base")
    m = xe.Methodology(normalise_by_indicator={"x1": xe.NormaliseSpec(method="rank")})
    with pytest.raises(PanelError, match="normalise_by_indicator"):
        evaluate_panel(years, m, reference="pooled")
    with pytest.raises(PanelError, match="key 2022 holds data of 2021"):
        evaluate_panel({2022: years[2021], 2023: years[2023]}, reference="base")
    other = small_data(n=40, fw=_gp_framework())
    with pytest.raises(PanelError, match="different frameworks"):
        evaluate_panel({2021: years[2021], 2023: other}, reference="base")


def test_constant_indicator_in_base_year(years: dict[int, UnitData]) -> None:
    v = np.array(years[2021].values)
    v[:, 2] = 5.0
    ys = dict(years)
    ys[2021] = years[2021].with_values(v)
    with pytest.raises(PanelError, match="x3"):
        evaluate_panel(ys, reference="base")


def test_unmatched_units(years: dict[int, UnitData]) -> None:
    ys = dict(years)
    ys[2023] = years[2023].subset(list(years[2023].units[1:]))
    with pytest.raises(PanelError, match=r"U000.*2021.*2023"):
        evaluate_panel(ys, reference="base")
    p = evaluate_panel(ys, reference="base", unmatched=["U000"])
    assert p.entering_leaving().column("变动 event") == ("退出 leaving",)
    assert evaluate_panel(ys, reference="base", unmatched="allow").gaps


def test_methodology_from_toml(years: dict[int, UnitData], tmp_path: object) -> None:
    from pathlib import Path

    p = Path(str(tmp_path)) / "m.toml"
    xe.Methodology(name="t").to_toml(p)
    assert evaluate_panel(years, p, reference="base").methodology.name == "t"
