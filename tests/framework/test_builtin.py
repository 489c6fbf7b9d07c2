"""The built-in frameworks and load_framework."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xiangcun_eval.errors import FrameworkError
from xiangcun_eval.framework import BUILTIN_FRAMEWORKS, Framework, Indicator, load_framework
from xiangcun_eval.framework.registry import builtin_path, load_imeta

# characters that would show the traditional-character source leaked into our files
TRADITIONAL = set("數鄉網農據資務與發電話絡營機業區縣區鎮廣聯標準礎設備糧產鏈華運監測")
POLICY_TASKS = {
    "T01": "加快补齐乡村网络基础设施短板",
    "T04": "推动粮食全产业链数字化转型",
    "T09": "强化农业科技和智能装备支撑",
    "T18": "持续推进“互联网+教育”",
    "T26": "加强统筹协调",
}


@pytest.fixture(scope="module")
def dvd() -> Framework:
    return load_framework("dvd-2023")


def test_dvd_structure(dvd: Framework) -> None:
    assert dvd.max_level == 4
    assert dvd.root.code == "DVD"
    assert len(dvd.level_codes(3)) == 10
    assert len(dvd.level_codes(2)) == 26
    assert len(dvd.indicators) >= 50
    for task in dvd.level_codes(2):
        assert len(dvd.children(task)) >= 1, task
    for code, title in POLICY_TASKS.items():
        assert dvd[code].name_zh == title
    assert dvd["A02"].name_zh == "强化粮食安全数字化保障"
    assert dvd.children("A07") == ("T15", "T16", "T17")


def test_dvd_indicators_complete(dvd: Framework) -> None:
    for ind in dvd.indicators:
        assert re.fullmatch(r"T\d\d_[a-z0-9_]+", ind.code), ind.code
        assert ind.code.startswith(ind.parent or "?")
        assert ind.policy_task == ind.parent
        for field in ("source", "reference", "definition", "formula", "unit", "name_en"):
            assert getattr(ind, field).strip(), (ind.code, field)
        assert ind.source.startswith(("县", "中国人民银行地(市)分行", "基础电信")), ind.source
        assert "县支行" not in ind.source  # abolished in the 2023 institutional reform
        assert ind.lower_bound == 0.0
        if ind.is_percentage:
            assert ind.upper_bound == 100.0, ind.code
        assert ind.weight is None  # equal default weights
        assert ind.direction == 1
        text = ind.name_zh + ind.definition + ind.formula + ind.source
        assert not (set(text) & TRADITIONAL), (ind.code, set(text) & TRADITIONAL)


def test_dvd_targets_are_goals_and_benchmarks_are_labelled(dvd: Framework) -> None:
    def ind(code: str) -> Indicator:
        node = dvd[code]
        assert isinstance(node, Indicator)
        return node

    # targets: real goals of 2023 only (一、工作目标)
    targets = {i.code: i.target for i in dvd.indicators if i.target is not None}
    assert targets == {"T01_5g_township_coverage": 100.0,
                       "T08_production_informatisation": 26.5,
                       "T12_entity_credit_rating": 100.0}
    for code in targets:
        assert re.search(r"目标值", ind(code).reference), code
    # past national averages and later goals are benchmarks with year and source
    expected = {
        "T08_quality_traceability": (22.1, 2020, "average"),
        "T10_online_retail_share": (13.8, 2020, "average"),
        "T10_ecommerce_station_coverage": (78.9, 2020, "average"),
        "T15_three_affairs_online": (72.1, 2020, "average"),
        "T16_xueliang_coverage": (77.0, 2020, "average"),
        "T15_online_gov_services": (68.2, 2021, "average"),
        "T15_village_service_station": (86.0, 2022, "average"),
        "T08_production_informatisation": (25.4, 2021, "average"),
        "T01_5g_village_coverage": (90.0, 2025, "goal"),
        "T01_internet_penetration": (70.0, 2025, "goal"),
        "T10_online_retail_per_capita": (1181.0, 2023, "goal"),
    }
    got = {i.code: (i.benchmark.value, i.benchmark.year, i.benchmark.kind)
           for i in dvd.indicators if i.benchmark is not None}
    assert got == expected
    for code in expected:
        assert ind(code).benchmark.source.strip(), code  # type: ignore[union-attr]
    assert "《中国数字乡村发展报告(2022年)》" in ind("T15_online_gov_services").reference
    assert "六类" in ind("T15_online_gov_services").definition
    assert "信息化手段" in ind("T15_village_service_station").definition


def test_dvd_corrections(dvd: Framework) -> None:
    """The review's corrections (issue 8 §1), one assertion each."""
    codes = set(dvd.indicator_codes)
    # broadband: subscriptions per 100 households, no upper bound of 100
    bb = dvd["T01_broadband_subscriptions"]
    assert isinstance(bb, Indicator)
    assert bb.upper_bound is None
    assert bb.unit == "户/百户"
    # digital TV, cold storage, 832 sales, standard zones, farmer training replaced
    assert not codes & {"T01_digital_tv_households", "T02_cold_storage_capacity",
                        "T07_platform_832_sales", "T25_smart_agri_standard_zones",
                        "T24_farmer_phone_training", "T01_broadband_households",
                        "T06_low_income_monitored"}
    assert "卫星" in dvd["T01_cable_tv_upgraded_villages"].definition  # says satellite is excluded
    assert dvd["T02_cold_chain_online_monitoring"].unit == "%"
    assert dvd["T07_platform_832_sales_per_capita"].unit == "元/人"
    assert dvd["T25_smart_agri_standard_zone"].unit == "是=1/否=0"
    assert dvd["T24_farmer_digital_training_rate"].upper_bound == 100.0
    # task 26 has pilot status; T25 is not only a count
    assert "T26_pilot_status" in dvd.children("T26")
    # applicability rules
    applicable = {i.code for i in dvd.indicators if i.applicability}
    assert applicable == {"T02_reservoir_monitoring", "T02_cold_chain_online_monitoring",
                          "T04_grain_processors_cloud", "T07_platform_832_sales_per_capita",
                          "T14_traditional_village_museum", "T23_homestead_survey"}
    # zero-variance policy on every yes/no, coded and ceiling item
    for i in dvd.indicators:
        if "=" in i.unit:
            assert i.zero_variance == "nan", i.code
    assert dvd["T18_school_broadband"].zero_variance == "nan"  # type: ignore[union-attr]


def test_dvd_goalposts_and_rollups_everywhere(dvd: Framework) -> None:
    for i in dvd.indicators:
        assert i.goalposts is not None, i.code
        assert i.goalposts_basis.strip(), i.code
        assert i.goalposts[0] == i.lower_bound
        if i.upper_bound is not None:
            assert i.goalposts[1] == i.upper_bound, i.code
        assert i.rollup is not None, i.code
        if i.unit == "%" or ("/" in i.unit and "=" not in i.unit):
            assert i.rollup == "weighted_mean", i.code
            assert i.rollup_weight, i.code
    assert dvd["T08_production_informatisation"].rollup_weight == "agricultural_output"  # type: ignore[union-attr]


def test_pku_4d(dvd: Framework) -> None:
    pku = load_framework("pku-4d")
    assert [pku[c].name_zh for c in pku.level_codes(2)] == [
        "乡村数字基础设施", "乡村经济数字化", "乡村治理数字化", "乡村生活数字化"]
    assert all(n.weight is None for n in pku.nodes)
    for ind in pku.indicators:
        same = dvd[ind.code]
        assert ind.model_copy(update={"parent": same.parent}) == same


@pytest.mark.parametrize("name", sorted(BUILTIN_FRAMEWORKS))
def test_builtin_files_are_stable(name: str) -> None:
    fw = load_framework(name)
    path = builtin_path(name)
    if path.suffix == ".toml":
        assert fw.to_toml() == path.read_text(encoding="utf-8")
    assert Framework.from_toml_text(fw.to_toml()) == fw


def test_asem_builtin() -> None:
    fw = load_framework("asem")
    assert fw.code == "asem"
    assert len(fw.indicators) == 49
    assert load_imeta("asem").denominator_columns == ("Area", "Energy", "GDP", "Population")
    assert (builtin_path("asem").parent / "ASEM-LICENSE.md").is_file()


def test_load_from_paths(tmp_path: Path, dvd: Framework) -> None:
    p = tmp_path / "mine.toml"
    dvd.to_toml(p)
    assert load_framework(p) == dvd
    assert load_framework(str(p)) == dvd
    q = tmp_path / "mine.csv"
    dvd.to_imeta(q)
    assert load_framework(q).indicator_codes == dvd.indicator_codes
    assert load_imeta(q).framework.code == "mine"


def test_unknown_names_list_available(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as ei:
        load_framework("dvd-2024")
    msg = str(ei.value)
    assert "未知的指标体系" in msg
    assert all(n in msg for n in BUILTIN_FRAMEWORKS)
    with pytest.raises(FrameworkError, match="file not found"):
        load_framework(tmp_path / "nothing.toml")
    with pytest.raises(FrameworkError, match="unknown framework"):
        load_framework(tmp_path / "x.xlsx")
    with pytest.raises(FrameworkError, match="not an iMeta table"):
        load_imeta("dvd-2023")
