"""Indicator roll-ups with the framework's rule, and headline-target tracking."""

from __future__ import annotations

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data, small_framework
from xiangcun_eval.analysis import indicator_rollup, target_tracking
from xiangcun_eval.framework import Benchmark, Framework
from xiangcun_eval.inputs import UnitData


def framework() -> Framework:
    """x1 rate weighted by villages (target 60, benchmark 50), x2 a count (sum),
    x3 a yes/no item (mean), x4 weighted by population, x5 without a rule."""
    fw = small_framework(directions=(1, 1, 1, 1, 1))
    rules = {
        "x1": {"rollup": "weighted_mean", "rollup_weight": "villages",
               "benchmark": Benchmark(value=50.0, year=2021, source="s")},
        "x2": {"rollup": "sum", "upper_bound": None, "unit": "个"},
        "x3": {"rollup": "mean"},
        "x4": {"rollup": "weighted_mean", "rollup_weight": "pop"},
    }
    nodes = tuple(n.model_copy(update=rules.get(n.code, {})) for n in fw.nodes)
    return Framework(**{**fw.model_dump(exclude={"nodes"}), "nodes": nodes})


def data() -> UnitData:
    x = np.array([
        [50.0, 3.0, 1.0, 10.0, 5.0],
        [70.0, 1.0, 0.0, 20.0, 6.0],
        [np.nan, 2.0, 1.0, 30.0, 7.0],
        [40.0, 5.0, 1.0, np.nan, 8.0],
        [90.0, 0.0, 0.0, 40.0, 9.0],
    ])
    prov = ("浙江", "浙江", "浙江", "四川", "四川")
    return UnitData(framework=framework(), units=tuple(f"U{i}" for i in range(5)),
                    names=tuple(f"单位{i}" for i in range(5)), values=x,
                    groups={"province": prov, "region": ("东部",) * 3 + ("西部",) * 2},
                    year=2023)


VILLAGES = np.array([10.0, 30.0, 20.0, 5.0, 15.0])
POP = np.array([1.0, 2.0, 3.0, 4.0, 5.0])


def test_rules_by_hand() -> None:
    r = indicator_rollup(data(), "province", weights={"villages": VILLAGES, "pop": POP})
    assert r.groups == ("四川", "浙江")
    assert r.rules == ("weighted_mean:villages", "sum", "mean", "weighted_mean:pop", "—")
    zj, sc = 1, 0
    # rate weighted by its denominator: the ratio of summed numerators to summed villages
    assert r.values[zj, 0] == pytest.approx((50 * 10 + 70 * 30) / (10 + 30))
    assert r.values[sc, 0] == pytest.approx((40 * 5 + 90 * 15) / 20)
    assert (r.values[zj, 1], r.values[sc, 1]) == (6.0, 5.0)        # counts add up
    assert r.values[zj, 2] == pytest.approx(2 / 3)                  # share of "yes"
    assert r.values[zj, 3] == pytest.approx((10 * 1 + 20 * 2 + 30 * 3) / 6)
    assert np.isnan(r.values[:, 4]).all()                           # no rule stated: left out
    assert r.n_with_data[zj, 0] == 2
    assert not r.complete[zj, 0]
    assert r.complete[zj, 1]
    t = r.table()
    assert len(t) == 2 * 5
    assert "汇总规则 rule" in t.columns
    # an explicit default rule covers the indicator without one
    r2 = indicator_rollup(data(), "region", weights={"villages": VILLAGES, "pop": POP},
                          default_rule="mean")
    assert r2.values[0, 4] == pytest.approx(6.0)
    assert r2.rules[4] == "mean"


def test_weights_are_required_or_the_fallback_is_said() -> None:
    with pytest.raises(xe.MethodError, match=r"pop.*villages|villages.*pop"):
        indicator_rollup(data())
    r = indicator_rollup(data(), weights={"villages": VILLAGES}, missing_weights="mean")
    assert r.rules[3] == "mean (no weights)"
    assert r.rules[0] == "weighted_mean:villages"
    with pytest.raises(xe.MethodError, match="one value per unit"):
        indicator_rollup(data(), weights={"villages": VILLAGES[:3], "pop": POP})
    with pytest.raises(xe.MethodError, match="negative"):
        indicator_rollup(data(), weights={"villages": -VILLAGES, "pop": POP})
    with pytest.raises(xe.MethodError, match="no grouping column"):
        indicator_rollup(data(), "city", weights={"villages": VILLAGES, "pop": POP})


def test_national_only_where_complete_and_tracking() -> None:
    w = {"villages": VILLAGES, "pop": POP}
    nat = indicator_rollup(data(), "national", weights=w)
    assert not nat.complete[0, 0]
    assert nat.complete[0, 1]
    t = target_tracking(data(), weights=w)
    rows = list(zip(t.column("层级 level"), t.column("单位 unit"), t.column("参照 reference"),
                    t.column("状态 status"), t.column("值 value"), strict=True))
    # x1 has a target (60) and a benchmark (50, 2021): counties, 2 provinces, national each
    assert len(rows) == 2 * (5 + 2 + 1)
    county = [r for r in rows if r[0] == "县 county" and r[2] == "目标值 target"]
    assert [r[3] for r in county] == ["未达到 short", "达到 reached", "无数据 no data",
                                      "未达到 short", "达到 reached"]
    nat_rows = [r for r in rows if r[0] == "全国 national"]
    assert all(r[3] == "不完整 incomplete" and r[4] is None for r in nat_rows)  # NaN -> None
    bench = [r for r in rows if r[0] == "province" and "基准值" in r[2]]
    assert {r[1]: r[3] for r in bench} == {"四川": "达到 reached", "浙江": "达到 reached"}
    # complete data: the national row is the roll-up over all units
    full = data()
    vals = full.values.copy()
    vals[2, 0] = 60.0
    t2 = target_tracking(full.with_values(vals), weights=w)
    nat2 = [v for lv, v in zip(t2.column("层级 level"), t2.column("值 value"), strict=True)
            if lv == "全国 national"]
    expected = float(np.sum(VILLAGES * vals[:, 0]) / VILLAGES.sum())
    assert nat2[0] == pytest.approx(expected)


def test_dvd_2023_demo_rolls_up_with_declared_rules() -> None:
    from pathlib import Path

    demo = xe.read_submissions(Path(__file__).parents[2] / "examples" / "data" /
                               "demo_counties_2023.csv", "dvd-2023")
    r = indicator_rollup(demo, "region", missing_weights="mean")
    assert r.values.shape == (4, len(demo.framework.indicators))
    assert all(rule in ("mean", "mean (no weights)") for rule in r.rules)
    with pytest.raises(xe.MethodError, match="administrative_villages"):
        indicator_rollup(demo)
    small = small_data()
    assert all(rule == "—" for rule in indicator_rollup(small).rules)
