"""PanelEvaluation accessors: sign conventions, tables, transitions by group."""

from __future__ import annotations

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.panel import PanelError, PanelEvaluation, evaluate_panel


@pytest.fixture(scope="module")
def panel() -> PanelEvaluation:
    d = small_data(n=40)
    v = np.array(d.values)
    v2 = v.copy()
    v2[0, :] = np.clip(v2[0, :] * 1.5, 0, 100)  # unit U000 improves a lot
    v2[0, 2] = v[0, 2] / 1.5  # (x3 is a cost indicator)
    years = {
        2021: UnitData(framework=d.framework, units=d.units, names=d.names, values=v,
                       groups=d.groups, year=2021),
        2022: UnitData(framework=d.framework, units=d.units, names=d.names, values=v2,
                       groups=d.groups, year=2022),
    }
    return evaluate_panel(years, reference="pooled")


def test_change_sign_conventions(panel: PanelEvaluation) -> None:
    t = panel.changes()
    row = t.column("代码 code").index("U000")
    assert t.column("IDX 得分变化 score change (2022 − 2021)")[row] > 0
    assert t.column("IDX 排名变化 rank change (+ = up: rank 2021 − rank 2022)")[row] > 0
    g = t.column("IDX 增长率 growth % (2022/2021 − 1)")[row]
    s0 = t.column("IDX 得分 score 2021")[row]
    s1 = t.column("IDX 得分 score 2022")[row]
    assert g == pytest.approx((s1 / s0 - 1) * 100)
    lv = panel.changes(level=2)
    assert "A 得分变化 score change (2022 − 2021)" in lv.columns


def test_decomposition_table_has_mean_row(panel: PanelEvaluation) -> None:
    t = panel.decomposition()
    assert t.column("代码 code")[-1] == "平均 mean"
    ch = np.array(t.column("指数变化 index change (2022 − 2021)"), dtype=float)
    a = np.array(t.column("A 贡献 contribution"), dtype=float)
    b = np.array(t.column("B 贡献 contribution"), dtype=float)
    np.testing.assert_allclose(a + b, ch, atol=1e-12)


def test_trajectories_summary_table(panel: PanelEvaluation) -> None:
    tr = panel.trajectories()
    assert tr.columns[2:] == ("得分 score 2021", "排名 rank 2021", "得分 score 2022",
                              "排名 rank 2022")
    assert len(panel.summary()) == 2
    assert len(panel.table()) == 80
    assert panel.trajectories("A").title.startswith("A")


def test_transitions_by_group_add_up(panel: PanelEvaluation) -> None:
    tot = panel.transitions()
    by = panel.transitions(by="region")
    assert isinstance(by, dict)
    assert set(by) == {"东部", "中部", "西部", "东北"}
    assert sum(t.counts for t in by.values()).tolist() == tot.counts.tolist()  # type: ignore[union-attr]


def test_bad_years(panel: PanelEvaluation) -> None:
    with pytest.raises(PanelError, match="2019"):
        panel.changes(2019, 2022)
    with pytest.raises(PanelError, match="before"):
        panel.changes(2022, 2021)
    with pytest.raises(KeyError, match="2030"):
        panel[2030]
    with pytest.raises(PanelError, match="level 7"):
        panel.changes(level=7)
    one = evaluate_panel({2021: panel.inputs[2021]}, reference="base")
    with pytest.raises(PanelError, match="single year"):
        one.changes()
    with pytest.raises(PanelError, match="single year"):
        one.transitions()


def test_decomposition_refuses_topsis() -> None:
    d = small_data(n=20)
    ys = {y: UnitData(framework=d.framework, units=d.units, names=d.names, values=d.values,
                      groups=d.groups, year=y) for y in (2021, 2022)}
    topsis = xe.AggregateSpec(method="topsis", params={"scale": 100.0})
    m = xe.Methodology(aggregate_by_level={3: topsis},
                       normalise=xe.NormaliseSpec(method="minmax"))
    p = evaluate_panel(ys, m, reference="per_year")
    with pytest.raises(xe.MethodError, match="topsis"):
        p.decomposition()
