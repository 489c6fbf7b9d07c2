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
    assert dvd.max_level == 4 and dvd.root.code == "DVD"
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
        assert ind.source.startswith(("县", "中国人民银行县支行", "基础电信")), ind.source
        assert ind.lower_bound == 0.0
        if ind.is_percentage:
            assert ind.upper_bound == 100.0, ind.code
        assert ind.weight is None  # equal default weights
        assert ind.direction == 1
        text = ind.name_zh + ind.definition + ind.formula + ind.source
        assert not (set(text) & TRADITIONAL), (ind.code, set(text) & TRADITIONAL)


def test_dvd_headline_and_mara_targets(dvd: Framework) -> None:
    def target(code: str) -> float | None:
        node = dvd[code]
        assert isinstance(node, Indicator)
        return node.target

    assert target("T08_production_informatisation") == 26.5
    assert target("T01_5g_village_coverage") == 90.0
    assert target("T12_entity_credit_rating") == 100.0
    assert target("T01_broadband_households") is None  # national target is a count: no county value
    assert target("T10_online_retail_per_capita") is None
    assert target("T10_online_retail_share") == 13.8
    assert target("T15_three_affairs_online") == 72.1
    assert target("T16_xueliang_coverage") == 77.0
    assert target("T15_online_gov_services") == 68.2
    assert target("T10_ecommerce_station_coverage") == 78.9
    assert target("T15_village_service_station") == 86.0
    for ind in dvd.indicators:
        if ind.target is not None:
            assert re.search(r"目标值|目标“|目标\(", ind.reference), ind.code


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
    assert Framework.from_toml(fw.to_toml()) == fw


def test_asem_builtin() -> None:
    fw = load_framework("asem")
    assert fw.code == "asem" and len(fw.indicators) == 49
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
    assert "未知的指标体系" in msg and all(n in msg for n in BUILTIN_FRAMEWORKS)
    with pytest.raises(FrameworkError, match="file not found"):
        load_framework(tmp_path / "nothing.toml")
    with pytest.raises(FrameworkError, match="unknown framework"):
        load_framework(tmp_path / "x.xlsx")
    with pytest.raises(FrameworkError, match="not an iMeta table"):
        load_imeta("dvd-2023")
