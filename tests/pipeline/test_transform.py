"""The transform stage: a published index (the UNDP HDI) computed from raw components.

HDI (UNDP Human Development Report, Technical note 1): health index
(LE - 20)/(85 - 20); education index = arithmetic mean of MYS/15 and EYS/18
(EYS capped at 18); income index (ln GNIpc - ln 100)/(ln 75,000 - ln 100),
GNIpc capped at 75,000; HDI = geometric mean of the three.  The example
countries below are invented; the expected values are computed here with
``math`` from those formulas, independently of the library.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data, small_framework
from xiangcun_eval.framework import Framework, Group, Indicator
from xiangcun_eval.inputs import UnitData
from xiangcun_eval.pipeline import preprocess

# life expectancy, expected years of schooling, mean years of schooling, GNI per capita (PPP $)
COUNTRIES = {
    "AAA": (82.0, 18.5, 12.5, 80_000.0),   # EYS and GNI above their caps
    "BBB": (70.0, 13.0, 8.0, 12_000.0),
    "CCC": (55.0, 9.0, 3.5, 900.0),
    "DDD": (64.3, 11.2, 6.1, 4_350.0),
}


def hdi_reference(le: float, eys: float, mys: float, gni: float) -> float:
    health = (le - 20) / (85 - 20)
    education = (min(eys, 18) / 18 + mys / 15) / 2
    income = (math.log(min(gni, 75_000)) - math.log(100)) / (math.log(75_000) - math.log(100))
    return float((health * education * income) ** (1 / 3))


def hdi_framework() -> Framework:
    def ind(code: str, parent: str, lo: float, hi: float) -> Indicator:
        return Indicator(code=code, name_zh=code, name_en=code, level=1, parent=parent,
                         goalposts=(lo, hi), lower_bound=0.0)

    return Framework(code="hdi", name_zh="人类发展指数", name_en="Human Development Index", nodes=(
        Group(code="HDI", name_zh="人类发展指数", name_en="HDI", level=3),
        Group(code="HEALTH", name_zh="健康", name_en="Health", level=2, parent="HDI"),
        Group(code="EDU", name_zh="教育", name_en="Education", level=2, parent="HDI"),
        Group(code="INC", name_zh="收入", name_en="Income", level=2, parent="HDI"),
        ind("LE", "HEALTH", 20.0, 85.0), ind("EYS", "EDU", 0.0, 18.0),
        ind("MYS", "EDU", 0.0, 15.0), ind("GNI", "INC", 100.0, 75_000.0),
    ))


def hdi_data() -> UnitData:
    fw = hdi_framework()
    codes = tuple(COUNTRIES)
    return UnitData(framework=fw, units=codes, names=codes,
                    values=np.array([COUNTRIES[c] for c in codes]), groups={}, year=2023)


HDI = xe.Methodology(
    name="UNDP HDI",
    transform_by_indicator={"GNI": xe.TransformSpec(method="ln", cap=True)},
    normalise=xe.NormaliseSpec(method="goalposts", params={"scale": 1.0}),
    aggregate_by_level={2: xe.AggregateSpec(method="arithmetic"),
                        3: xe.AggregateSpec(method="geometric")},
    grading=xe.GradingSpec(thresholds=(0.8, 0.7, 0.55),
                           labels_zh=("极高", "高", "中", "低"),
                           labels_en=("very high", "high", "medium", "low")),
)


def test_hdi_from_raw_gni_matches_the_technical_notes() -> None:
    ev = xe.evaluate(hdi_data(), HDI)
    expected = [hdi_reference(*COUNTRIES[c]) for c in COUNTRIES]
    np.testing.assert_allclose(ev.index, expected, rtol=1e-14)
    # the income sub-index is ln-scaled between ln(100) and ln(75,000), capped
    inc = ev.level_scores[1][:, 2]
    assert inc[0] == 1.0  # 80,000 capped at 75,000
    assert inc[2] == pytest.approx(math.log(9) / math.log(750), rel=1e-14)
    # UNDP groups on the [0, 1] scale are accepted by the grading guard
    assert ev.grade_labels()[0].startswith("极高")
    # the methodology round-trips through TOML with its transform
    assert xe.Methodology.from_toml_text(HDI.to_toml()) == HDI


def test_goalposts_and_target_are_transformed_with_the_values() -> None:
    pre = preprocess(hdi_data(), HDI)
    assert pre.transformed[1, 3] == math.log(12_000)
    assert pre.transformed[0, 3] == math.log(75_000)  # capped before the log
    np.testing.assert_array_equal(pre.treated, hdi_data().values)  # earlier stages untouched
    # the same result with the cap done by the goalposts' truncation instead
    m2 = HDI.replace(transform_by_indicator={"GNI": xe.TransformSpec(method="ln")})
    np.testing.assert_allclose(xe.evaluate(hdi_data(), m2).index,
                               xe.evaluate(hdi_data(), HDI).index, rtol=1e-15)
    # without the transform the income index is linear in GNI: different numbers
    m3 = HDI.replace(transform_by_indicator={})
    assert not np.allclose(xe.evaluate(hdi_data(), m3).index, xe.evaluate(hdi_data(), HDI).index)


def test_cap_alone_and_target_transform() -> None:
    fw = small_framework()  # x1 has target 60
    nodes = tuple(n.model_copy(update={"goalposts": (10.0, 90.0)}) if n.code.startswith("x")
                  else n for n in fw.nodes)
    fw = type(fw)(**{**fw.model_dump(exclude={"nodes"}), "nodes": nodes})
    d = small_data(fw=fw)
    m = xe.Methodology(transform=xe.TransformSpec(method="cap"))
    pre = preprocess(d, m)
    assert pre.transformed.min() >= 10.0
    assert pre.transformed.max() <= 90.0
    m_log = xe.Methodology(transform_by_indicator={"x1": xe.TransformSpec(method="ln")},
                           normalise_by_indicator={"x1": xe.NormaliseSpec(method="target_ratio")})
    from xiangcun_eval.pipeline.preprocess import _context
    from xiangcun_eval.pipeline.transform import transform_values

    _, ctx = transform_values(fw, m_log, d.values, _context(fw))
    assert ctx["target"][0] == math.log(60.0)
    assert ctx["goal_lower"][0] == math.log(10.0)
    assert ctx["goal_upper"][1] == 90.0  # untransformed columns keep raw values


def test_transform_errors() -> None:
    d = hdi_data()
    bad = d.values.copy()
    bad[2, 3] = 0.0
    no_cap = HDI.replace(transform_by_indicator={"GNI": xe.TransformSpec(method="ln")})
    with pytest.raises(xe.MethodError, match=r"x > 0.*GNI"):  # ln of a non-positive value
        xe.evaluate(d.with_values(bad), no_cap)
    # a lower goalpost of 0 is outside ln's domain: named, with the fix
    m = HDI.replace(transform_by_indicator={"EYS": xe.TransformSpec(method="ln")})
    with pytest.raises(xe.MethodError, match=r"goal_lower of EYS.*log1p"):
        xe.evaluate(d, m)
    # capping needs goalposts
    fw = small_framework()
    with pytest.raises(xe.MethodError, match="needs goalposts"):
        xe.evaluate(small_data(fw=fw), xe.Methodology(transform=xe.TransformSpec(method="cap")))
    with pytest.raises(xe.MethodError, match="transform_by_indicator"):
        xe.evaluate(d, HDI.replace(transform_by_indicator={"nope": xe.TransformSpec(
            method="ln")}))
    with pytest.raises(xe.MethodError, match="unknown transform method"):
        xe.TransformSpec(method="log2")


def test_no_transform_changes_nothing_and_keeps_the_digest() -> None:
    m = xe.Methodology()
    assert "transform" not in m.to_dict()
    d = small_data()
    pre = preprocess(d, m)
    assert pre.transformed is pre.treated


def test_uncertainty_engine_runs_the_transform_stage() -> None:
    """Replicates go through the same preprocess(): the engine supports the stage;
    a replay of a replicate equals evaluate() on its methodology."""
    d = hdi_data()
    space = xe.UncertaintySpace(factors=[xe.AggregateAlternatives(
        alternatives=(xe.AggregateSpec(method="geometric"), xe.AggregateSpec(method="arithmetic")),
        levels=(3,))])
    ua = xe.uncertainty(d, HDI, space, n=8, seed=3, keep_replicates=True)
    np.testing.assert_allclose(ua.nominal_score, xe.evaluate(d, HDI).index, rtol=0)
    for i, (m_r, d_r) in enumerate(xe.replay(d, HDI, space, rows=range(8), seed=3)):
        ev = xe.evaluate(d_r, m_r, check_scale=False)
        np.testing.assert_allclose(ua.scores[i], ev.index, rtol=1e-12)  # type: ignore[index]
        assert m_r.transform_by_indicator == HDI.transform_by_indicator


def test_dvd_goalposts_example_methodology() -> None:
    """examples/methodologies/dvd-goalposts.toml: fixed goalposts (with log1p for skewed
    per-capita amounts) give scores that do not depend on the other counties."""
    from pathlib import Path

    root = Path(__file__).parents[2]
    m = xe.Methodology.from_toml(root / "examples" / "methodologies" / "dvd-goalposts.toml")
    demo = xe.read_submissions(root / "examples" / "data" / "demo_counties_2023.csv",
                               "dvd-2023")
    ev = xe.evaluate(demo, m)
    assert np.nanmin(ev.index) >= 0
    assert np.nanmax(ev.index) <= 100
    half = demo.subset(np.arange(len(demo)) < 150)
    ev_half = xe.evaluate(half, m)
    np.testing.assert_allclose(ev_half.index, ev.index[:150], rtol=1e-12)  # no min/max pooling
    pre = preprocess(demo, m)
    j = demo.framework.indicator_codes.index("T10_online_retail_per_capita")
    np.testing.assert_allclose(pre.transformed[:, j], np.log1p(pre.treated[:, j]), rtol=1e-15)
