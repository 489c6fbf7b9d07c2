"""The evaluation pipeline end to end: reference numbers, properties, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

from helpers import small_data, small_framework
from xiangcun_eval import MethodError
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import (
    AggregateSpec,
    GradingSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    TreatSpec,
    WeightSpec,
)


def reference_default(
    x: np.ndarray, direction: np.ndarray, member: np.ndarray, w_ind: np.ndarray, w_grp: np.ndarray
) -> np.ndarray:
    """Straightforward implementation of the default methodology (min-max
    0-100 with directions, weights renormalised over available children,
    arithmetic means), written independently of the library."""
    z = x * direction
    mn, mx = np.nanmin(z, axis=0), np.nanmax(z, axis=0)
    z = (z - mn) / (mx - mn) * 100
    n, _ = z.shape
    groups = np.zeros((n, member.max() + 1))
    for u in range(n):
        for g in range(member.max() + 1):
            cols = np.flatnonzero(member == g)
            ok = cols[~np.isnan(z[u, cols])]
            groups[u, g] = np.sum(w_ind[ok] * z[u, ok]) / np.sum(w_ind[ok]) if ok.size else np.nan
    idx = np.array([np.nansum(w_grp * r) / np.sum(w_grp[~np.isnan(r)]) for r in groups])
    return idx


def test_default_matches_reference_implementation() -> None:
    data = small_data(n=60, missing=0.1, seed=3)
    ev = evaluate(data)
    fw = data.framework
    ref = reference_default(
        np.asarray(data.values),
        fw.indicator_array("direction"),
        fw.membership(2),
        np.ones(5),
        np.array([2.0, 1.0]),
    )
    np.testing.assert_allclose(ev.index, ref, rtol=0, atol=1e-10)
    expected_rank = rankdata(-ref, method="min")
    np.testing.assert_array_equal(ev.rank, expected_rank)


def test_bitwise_deterministic_and_recorded(data) -> None:  # type: ignore[no-untyped-def]
    a, b = evaluate(data), evaluate(data)
    for s, t in zip(a.level_scores, b.level_scores, strict=True):
        assert s.tobytes() == t.tobytes()
    meta = a.metadata()
    assert meta["framework_digest"] == data.framework.digest()
    assert meta["data_digest"] == data.digest()
    assert meta["methodology"] == Methodology().to_dict()
    assert meta["version"]


def test_results_are_read_only(data) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(data)
    with pytest.raises(ValueError, match="read-only"):
        ev.index[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        data.values[0, 0] = 1.0


def test_weights_sum_to_one_within_groups(data) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(data)
    for plan, w in zip(ev.plans, ev.weights, strict=True):
        sums = np.bincount(plan.membership, weights=w)
        np.testing.assert_allclose(sums, 1.0)
    eff = ev.effective_weight_table()
    lev1 = [
        w
        for w, lev in zip(
            eff.column("有效权重 effective weight"), eff.column("层级 level"), strict=True
        )
        if lev == 1
    ]
    assert sum(lev1) == pytest.approx(1.0)


def test_ranks_grades_and_within_ranks(data) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(data)
    order = np.argsort(-ev.index)
    assert np.all(np.diff(ev.rank[order]) >= 0)
    labels = ev.grade_labels()
    for s, lab in zip(ev.index, labels, strict=True):
        band = (
            "高"
            if s >= 80
            else "较高"
            if s >= 60
            else "中等"
            if s >= 40
            else "较低"
            if s >= 20
            else "低"
        )
        assert lab.split(" / ")[0] == band
    prov = np.array(data.groups["province"])
    for p in set(prov):
        m = prov == p
        np.testing.assert_array_equal(
            ev.within_ranks["province"][m], rankdata(-ev.index[m], method="min")
        )


def test_missing_index_stays_missing() -> None:
    data = small_data(n=10)
    vals = np.array(data.values)
    vals[0, :] = np.nan
    ev = evaluate(data.with_values(vals))
    assert np.isnan(ev.index[0])
    assert np.isnan(ev.rank[0])
    assert ev.grade_labels()[0] == "—"
    assert np.nanmax(ev.rank) <= 9


def test_min_availability_threshold() -> None:
    data = small_data(n=12)
    vals = np.array(data.values)
    vals[0, :2] = np.nan  # unit 0 has 1 of 3 children in group A
    m = Methodology(
        aggregate_by_level={2: AggregateSpec(method="arithmetic", min_availability=0.5)}
    )
    ev = evaluate(data.with_values(vals), m)
    assert np.isnan(ev.score("A")[0])
    assert not np.isnan(ev.score("B")[0])


def test_entropy_weights_level2(data) -> None:  # type: ignore[no-untyped-def]
    m = Methodology(weights_by_level={2: WeightSpec(method="entropy")})
    ev = evaluate(data, m)
    w = ev.weights[0]
    assert np.all(w >= 0)
    np.testing.assert_allclose(np.bincount(ev.plans[0].membership, weights=w), 1.0)
    assert not np.allclose(w[:3], 1 / 3)


def test_group_mean_imputation_fills(data) -> None:  # type: ignore[no-untyped-def]
    d = small_data(n=40, missing=0.1, seed=5)
    m = Methodology(impute=ImputeSpec(method="group_mean", group_by="province"))
    ev = evaluate(d, m)
    assert ev.preprocessed.imputed_mask.sum() == np.isnan(np.asarray(d.values)).sum()
    rep = ev.imputation_report()
    assert sum(rep.column("插补数 n imputed")) == ev.preprocessed.imputed_mask.sum()


def test_unknown_codes_in_methodology_are_errors(data) -> None:  # type: ignore[no-untyped-def]
    m = Methodology(normalise_by_indicator={"nope": NormaliseSpec(method="zscore")})
    with pytest.raises(MethodError, match="nope"):
        evaluate(data, m)
    with pytest.raises(MethodError, match="level 7"):
        evaluate(data, Methodology(aggregate_by_level={7: AggregateSpec()}))


def test_geometric_on_zero_is_a_clear_error(data) -> None:  # type: ignore[no-untyped-def]
    m = Methodology(aggregate=AggregateSpec(method="geometric"))
    with pytest.raises(MethodError):
        evaluate(data, m)  # min-max [0, 100] produces zeros


def test_contributions_sum_to_index(data) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(data)
    for u in data.units[:5]:
        t = ev.contribution_table(u)
        total = sum(t.column("贡献 contribution"))
        assert total == pytest.approx(ev.index[data.unit_index(u)], abs=1e-9)


def test_contributions_with_missing_values() -> None:
    d = small_data(n=30, missing=0.15, seed=2)
    ev = evaluate(d)
    for u in d.units[:10]:
        i = d.unit_index(u)
        if np.isnan(ev.index[i]):
            continue
        total = sum(ev.contribution_table(u).column("贡献 contribution"))
        assert total == pytest.approx(ev.index[i], abs=1e-9)


def test_tables_and_exports(tmp_path, data) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(data)
    top = ev.ranking(top=5)
    assert len(top) == 5
    assert top.column("排名 rank")[0] == 1
    assert "等级 grade" in top.columns
    assert "排名" in str(top)
    roll = ev.rollup("region")
    assert sum(roll.column("数量 n")) == len(data)
    assert len(ev.attainment_table()) == 1
    assert ev.profile(data.units[0]).columns[0] == "类别 kind"
    ev.to_csv(tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    body = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert body[0].startswith("代码 code")
    assert len(body) == len(data) + 1
    js = ev.to_json(tmp_path / "r.json")
    assert '"framework_digest"' in js
    df = ev.to_pandas()
    assert len(df) == len(data)


def test_compare_rank_changes(data) -> None:  # type: ignore[no-untyped-def]
    a = evaluate(data)
    b = evaluate(data, Methodology(name="zscore", normalise=NormaliseSpec(method="zscore"),
                                  grading=GradingSpec(kind="quantiles",
                                                      thresholds=(0.8, 0.6, 0.4, 0.2))))
    t = a.compare(b)
    ra, rb = np.array(t.column("排名A rank A")), np.array(t.column("排名B rank B"))
    np.testing.assert_array_equal(np.array(t.column("变化 change")), rb - ra)
    d = np.array(t.column("方向 direction"))
    np.testing.assert_array_equal(d == "上升 up", rb < ra)
    np.testing.assert_array_equal(d == "下降 down", rb > ra)
    assert len(t) == len(data)


# ------------------------------------------------------------------ properties
@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    unit=st.integers(0, 29),
    col=st.integers(0, 4),
    bump=st.floats(0.1, 50.0),
)
def test_improving_an_indicator_never_hurts(seed: int, unit: int, col: int, bump: float) -> None:
    """Compensatory (arithmetic) aggregation: improving one benefit indicator of
    a unit never lowers its index; for a cost indicator raising it never helps."""
    d = small_data(n=30, seed=seed)
    ev0 = evaluate(d)
    vals = np.array(d.values)
    vals[unit, col] = min(vals[unit, col] + bump, 100.0)
    ev1 = evaluate(d.with_values(vals))
    direction = d.framework.indicators[col].direction
    if direction == 1:
        assert ev1.index[unit] >= ev0.index[unit] - 1e-9
    else:
        assert ev1.index[unit] <= ev0.index[unit] + 1e-9


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), perm_seed=st.integers(0, 10_000))
def test_unit_order_invariance(seed: int, perm_seed: int) -> None:
    d = small_data(n=25, seed=seed, missing=0.05)
    perm = np.random.default_rng(perm_seed).permutation(len(d))
    d2 = d.subset([d.units[i] for i in perm])
    a, b = evaluate(d), evaluate(d2)
    np.testing.assert_allclose(a.index[perm], b.index, atol=1e-12)
    np.testing.assert_array_equal(a.rank[perm], b.rank)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    col=st.integers(0, 4),
    scale=st.floats(0.01, 100.0),
    shift=st.floats(-1000.0, 1000.0),
)
def test_minmax_invariant_to_affine_rescaling(
    seed: int, col: int, scale: float, shift: float
) -> None:
    fw = small_framework()
    free = fw.model_copy(
        update={
            "nodes": tuple(
                n.model_copy(update={"lower_bound": None, "upper_bound": None, "target": None})
                if n.kind == "indicator"
                else n
                for n in fw.nodes
            )
        }
    )
    d = small_data(n=20, seed=seed, fw=free)
    vals = np.array(d.values)
    vals[:, col] = vals[:, col] * scale + shift
    a, b = evaluate(d), evaluate(d.with_values(vals))
    np.testing.assert_allclose(a.index, b.index, atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(w=st.lists(st.floats(0.01, 10.0), min_size=2, max_size=2))
def test_ranks_agree_with_scores(w: list[float]) -> None:
    d = small_data(n=30, seed=1)
    ev = evaluate(d, Methodology(weight_overrides={"A": w[0], "B": w[1]}))
    s, r = ev.index, ev.rank
    for i in range(len(s)):
        assert r[i] == 1 + np.sum(s > s[i])


def test_treatment_report_names_indicators_with_overrides() -> None:
    d = small_data(n=60, seed=4)
    vals = np.array(d.values)
    vals[:3, 3] = [99.0, 98.5, 99.4]  # push x4 into a long right tail
    vals[3:, 3] = np.clip(vals[3:, 3] * 0.2, 0, 100)
    m = Methodology(
        treat=TreatSpec(method="winsorise"),
        treat_by_indicator={"x1": TreatSpec(method="none")},
    )
    ev = evaluate(d.with_values(vals), m)
    rep = ev.treatment_report()
    codes = rep.column("代码 code")
    assert "x1" not in codes
    assert set(codes) == {"x2", "x3", "x4", "x5"}
    row = codes.index("x4")
    assert rep.column("n_winsorised")[row] >= 1
    assert not np.array_equal(ev.preprocessed.treated[:, 3], vals[:, 3])
    np.testing.assert_array_equal(ev.preprocessed.treated[:, 0], vals[:, 0])


def test_shipped_weight_files_by_name() -> None:
    from xiangcun_eval import load_framework
    from xiangcun_eval.inputs.readers import read_submissions

    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    d = read_submissions(root / "examples" / "data" / "demo_counties_2023.csv", "dvd-2023")
    expert = evaluate(d, Methodology(weight_set="expert-2023"))
    # level-4 weights are the expert area weights, normalised
    assert not np.allclose(expert.weights[-1], 0.1)
    np.testing.assert_allclose(expert.weights[-1].sum(), 1.0)
    ahp = evaluate(d, Methodology(weights_by_level={
        4: WeightSpec(method="ahp", file="ahp-dvd-2023-areas")}))
    w = ahp.weights[-1]
    assert w.argmax() != w.argmin()
    assert np.isclose(w.sum(), 1.0)
    assert len(w) == len(load_framework("dvd-2023").level_codes(3))
    with pytest.raises(Exception, match="no weight file named"):
        evaluate(d, Methodology(weight_set="no-such-weights"))


def test_errors_name_indicator_codes_and_lone_children_get_weight_one() -> None:
    d = small_data(n=30)
    with pytest.raises(MethodError, match="x2, x3"):
        evaluate(d, Methodology(normalise=NormaliseSpec(method="dist2targ")))
    with pytest.raises(KeyError, match="unknown unit"):
        evaluate(d).contribution_table("nope")
    # a group with a single indicator: any data-driven method gives it weight 1
    fw = small_framework()
    nodes = [n.model_copy(update={"parent": "B"}) if n.code in ("x2", "x3") else n
             for n in fw.nodes]
    lone = fw.model_validate({**fw.model_dump(), "nodes": [n.model_dump() for n in nodes]})
    assert lone.children("A") == ("x1",)
    d2 = small_data(n=30, fw=lone)
    ev = evaluate(d2, Methodology(weights_by_level={2: WeightSpec(method="pca_oecd")}))
    np.testing.assert_allclose(np.bincount(ev.plans[0].membership, weights=ev.weights[0]), 1.0)
    assert ev.weights[0][0] == 1.0


def test_compare_aligns_units_by_code() -> None:
    d = small_data(n=12, seed=3)
    a = evaluate(d)
    b = evaluate(d.subset(list(reversed(d.units[2:]))))  # other order, two units missing
    t = a.compare(b)
    assert len(t) == 12
    rows = {r[0]: r for r in t.rows()}
    for u in d.units[:2]:
        assert rows[u][5] is None  # rank B missing (tables hold None for NaN)
        assert rows[u][-1] == "仅A有排名 ranked in A only"
    u = d.units[5]
    assert rows[u][2] == a.index[5]
    assert rows[u][3] == b.index[b.data.unit_index(u)]
    only_b = evaluate(d.subset(list(d.units[:3]))).compare(evaluate(d.subset(list(d.units[2:5]))))
    assert set(only_b.column("代码 code")) == set(d.units[:5])


def test_building_blocks_moved_to_pipeline_keep_a_deprecated_alias() -> None:
    import importlib

    from xiangcun_eval import pipeline

    # `import xiangcun_eval.evaluate as m` would give the function of that name
    ev_mod = importlib.import_module("xiangcun_eval.evaluate")

    for name in ("LevelPlan", "Preprocessed", "aggregate_tree", "level_plans", "preprocess",
                 "resolve_weights", "aggregate_level", "normalise_within"):
        with pytest.warns(DeprecationWarning, match=f"pipeline.{name}"):
            assert getattr(ev_mod, name) is getattr(pipeline, name)
    with pytest.raises(AttributeError):
        _ = ev_mod.no_such_name


# --------------------------------------------------------------------------- framework rules
def _framework_with(**fields: object):  # type: ignore[no-untyped-def]
    """small_framework with extra fields on indicator x2."""
    fw = small_framework()
    nodes = tuple(n.model_copy(update=fields) if n.code == "x2" else n for n in fw.nodes)
    return type(fw)(**{**fw.model_dump(exclude={"nodes"}), "nodes": nodes})


def test_zero_variance_policy_from_the_framework() -> None:
    """A ceiling item where every unit reports 100 does not stop the evaluation when
    the framework gives it a zero-variance policy; without one it is an error."""
    plain = small_data()
    x = plain.values.copy()
    x[:, 1] = 100.0
    with pytest.raises(MethodError, match="x2"):
        evaluate(plain.with_values(x))
    fw = _framework_with(zero_variance="nan")
    d = small_data(fw=fw).with_values(x)
    ev = evaluate(d)
    assert np.isnan(ev.preprocessed.normalised[:, 1]).all()
    # same as leaving x2 out: group A is the mean of x1 and x3
    no_x2 = evaluate(d, Methodology(weight_overrides={"x2": 0.0}))
    np.testing.assert_allclose(ev.index, no_x2.index, rtol=1e-12)
    # "constant" maps to the centre; a methodology that sets zero_variance itself wins
    ev_c = evaluate(small_data(fw=_framework_with(zero_variance="constant")).with_values(x))
    assert (ev_c.preprocessed.normalised[:, 1] == 50.0).all()
    m = Methodology(normalise=NormaliseSpec(method="minmax", params={"zero_variance": "error"}))
    with pytest.raises(MethodError):
        evaluate(d, m)
    # methods without a data range ignore the policy (goalposts need none)
    m_gp = Methodology(normalise=NormaliseSpec(method="goalposts"))
    fw_gp = _framework_with(zero_variance="nan", goalposts=(0.0, 100.0))
    nodes = tuple(n.model_copy(update={"goalposts": (0.0, 100.0)}) if n.code != "x2"
                  and getattr(n, "kind", "") == "indicator" else n for n in fw_gp.nodes)
    fw_gp = type(fw_gp)(**{**fw_gp.model_dump(exclude={"nodes"}), "nodes": nodes})
    ev_gp = evaluate(small_data(fw=fw_gp).with_values(x), m_gp)
    assert (ev_gp.preprocessed.normalised[:, 1] == 100.0).all()


def test_zero_variance_policy_keeps_other_columns_bitwise() -> None:
    d0 = small_data(missing=0.1)
    d1 = small_data(missing=0.1, fw=_framework_with(zero_variance="nan"))
    q = GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2))
    for m in (Methodology(), Methodology(normalise=NormaliseSpec(method="zscore"), grading=q)):
        a, b = evaluate(d0, m), evaluate(d1, m)
        # equal bit for bit where defined (NaN payloads may differ: NaN == NaN here)
        np.testing.assert_array_equal(a.preprocessed.normalised, b.preprocessed.normalised)
        np.testing.assert_array_equal(a.index, b.index)


def test_not_applicable_cells_are_never_imputed() -> None:
    fw = _framework_with(applicability="only some units")
    d = small_data(missing=0.2, fw=fw)
    m = Methodology(impute=ImputeSpec(method="mean"))
    ev = evaluate(d, m)
    blank = np.isnan(d.values)
    assert np.isnan(ev.preprocessed.imputed[blank[:, 1], 1]).all()
    others = np.ones(5, dtype=bool)
    others[1] = False
    assert not np.isnan(ev.preprocessed.imputed[:, others]).any()
    assert not ev.preprocessed.imputed_mask[:, 1].any()
    assert np.isfinite(ev.index).all()  # scored on the group's other indicators


def test_attainment_reports_targets_and_benchmarks_apart() -> None:
    from xiangcun_eval.framework import Benchmark

    fw = _framework_with(benchmark=Benchmark(value=55.0, year=2021, source="s"))
    ev = evaluate(small_data(fw=fw))
    t = ev.attainment_table()
    assert list(t.column("代码 code")) == ["x1", "x2"]
    ref = t.column("参照 reference")
    assert ref[0] == "目标值 target"
    assert "基准值 benchmark" in ref[1]
    assert "2021" in ref[1]
    assert list(t.column("参照值 value")) == [60.0, 55.0]
    codes, x, _gap, reached = ev.attainment_matrix("benchmark")
    assert codes == ("x2",)
    np.testing.assert_array_equal(reached[:, 0], x[:, 0] >= 55.0)
    assert int(reached.sum()) == t.column("达到数 n reaching")[1]


def test_ranking_refuses_negative_top_and_bad_selections() -> None:
    from pathlib import Path

    from xiangcun_eval.errors import OptionError
    from xiangcun_eval.inputs.readers import read_submissions

    demo = Path(__file__).resolve().parents[1] / "examples" / "data" / "demo_counties_2023.csv"
    ev = evaluate(read_submissions(demo, "dvd-2023"))
    with pytest.raises(OptionError, match="top"):
        ev.ranking(top=-2)
    with pytest.raises(OptionError, match="no grouping column 'county_type'"):
        ev.ranking(group="county_type=x")
    with pytest.raises(OptionError, match="浙江省"):
        ev.ranking(group="province=Zhejang")
    with pytest.raises(OptionError, match="no unit"):
        ev.ranking(group="region=港澳台")
    by_pinyin = ev.ranking(group="zhejiang")
    assert len(by_pinyin) == len(ev.ranking(group="province=浙江省")) > 0
    assert ev.selection("region=东部").sum() == sum(
        r == "东部" for r in ev.data.groups["region"])


def test_dvd_2023_province_where_every_county_reports_the_ceiling() -> None:
    """dvd-2023's zero-variance policy: one province, every county at 100 on the ceiling
    items and "yes" on the yes/no items, evaluates instead of stopping."""
    from pathlib import Path

    import xiangcun_eval as xe

    demo = xe.read_submissions(Path(__file__).parents[1] / "examples" / "data" /
                               "demo_counties_2023.csv", "dvd-2023")
    codes, labels = demo.group_codes("province")
    one = demo.subset(codes == labels.index("浙江省"))
    x = one.values.copy()
    fw = one.framework
    policy = [j for j, ind in enumerate(fw.indicators) if ind.zero_variance == "nan"]
    for j in policy:
        x[:, j] = fw.indicators[j].upper_bound if "=" not in fw.indicators[j].unit else 1.0
    ev = evaluate(one.with_values(x))
    assert np.isfinite(ev.index).all()
    assert np.isnan(ev.preprocessed.normalised[:, policy]).all()
    plain = fw.model_copy()  # without the policy the same data stop the evaluation
    nodes = tuple(n.model_copy(update={"zero_variance": None}) if n.level == 1 else n
                  for n in fw.nodes)
    plain = type(fw)(**{**fw.model_dump(exclude={"nodes"}), "nodes": nodes})
    with pytest.raises(MethodError, match="constant"):
        evaluate(xe.UnitData(framework=plain, units=one.units, names=one.names, values=x,
                             groups=dict(one.groups), year=one.year))
