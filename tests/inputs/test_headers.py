"""Header matching: codes, names, units in brackets, aliases, user mappings, title rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.framework.registry import load_framework
from xiangcun_eval.inputs.headers import (
    UNIT_ALIASES,
    HeaderMatcher,
    header_key,
    load_column_mapping,
)
from xiangcun_eval.inputs.problems import SubmissionError


@pytest.fixture(scope="module")
def dvd() -> Framework:
    return load_framework("dvd-2023")


def test_header_key_ignores_width_space_case() -> None:
    assert header_key(" Ｘ１ (％) ") == header_key("x1(%)") == "x1(%)"
    assert header_key("农业生产信息化率【%】") == "农业生产信息化率[%]"


@pytest.mark.parametrize("form", ["{code}", "{zh}", "{en}", "{zh}(%)", "{zh}（%）", "{zh} ( % )",
                                  "{zh}【%】", "{en} [%]", "{code_upper}", " {zh_fullwidth} "])
def test_indicator_forms_from_the_framework(dvd: Framework, form: str) -> None:
    m = HeaderMatcher(dvd)
    for ind in dvd.indicators:
        if not ind.is_percentage:
            continue
        text = form.format(code=ind.code, zh=ind.name_zh, en=ind.name_en,
                           code_upper=ind.code.upper(),
                           zh_fullwidth=ind.name_zh.replace("5G", "５Ｇ"))
        canon, prob = m.canonical(text)
        assert canon == ind.code and prob is None, text


def test_every_dvd_indicator_matches_by_name_with_unit(dvd: Framework) -> None:
    m = HeaderMatcher(dvd)
    header = [f"{i.name_zh}({i.unit})" if i.unit else i.name_zh for i in dvd.indicators]
    hm = m.match(["县级代码", "县(市、区)", "省份", "年份", *header])
    assert not hm.problems and not hm.warnings
    assert [hm.index[i.code] for i in dvd.indicators] == list(range(4, 4 + len(header)))


def test_unit_in_brackets_must_be_the_indicators_unit(fw: Framework) -> None:
    canon, prob = HeaderMatcher(fw).canonical("网络零售额(元)")  # indicator X2 is in 万元
    assert canon == "X2" and prob is not None and prob.kind == "unit_mismatch"
    assert "万元" in prob.what_en
    assert HeaderMatcher(fw).canonical("网络零售额(万元)") == ("X2", None)
    assert HeaderMatcher(fw).canonical("宽带覆盖率(百分比)") == ("X1", None)


@pytest.mark.parametrize(("canon", "alias"), [(c, a) for c, al in UNIT_ALIASES.items()
                                              for a in al])
def test_unit_column_aliases(fw: Framework, canon: str, alias: str) -> None:
    assert HeaderMatcher(fw).canonical(alias)[0] == canon


def test_duplicate_and_missing_columns_name_the_headers(fw: Framework) -> None:
    hm = HeaderMatcher(fw).match(["县级代码", "county_code", "县名", "年份", "X1", "宽带覆盖率",
                                  "X2", "X3", "X4", "省"], row=3)
    dups = [p for p in hm.problems if p.kind == "duplicate_column"]
    assert {p.indicator for p in dups} == {"county_code", "X1"}
    assert all(p.row == 3 for p in dups) and "宽带覆盖率" in dups[1].what_en


def test_missing_unit_column_suggests_a_present_header(fw: Framework) -> None:
    hm = HeaderMatcher(fw).match(["county_cod", "county_name", "province", "year", "X1", "X2",
                                  "X3", "X4"])
    miss = [p for p in hm.problems if p.kind == "missing_column"]
    assert miss[0].indicator == "county_code" and "county_cod" in miss[0].fix_en


def test_unmatched_close_to_absent_indicator_is_an_error(fw: Framework) -> None:
    hm = HeaderMatcher(fw).match(["county_code", "county_name", "province", "year", "X1",
                                  "Online retai", "X3", "X4", "填报单位"])
    assert [p.kind for p in hm.problems] == ["unknown_column"]
    assert "X2" in hm.problems[0].what_en
    assert [(w.kind, w.indicator) for w in hm.warnings] == [("extra_column", "填报单位")]


def test_blank_header_in_the_middle_warns(fw: Framework) -> None:
    hm = HeaderMatcher(fw).match(["county_code", "", "county_name", "province", "year"])
    assert [w.indicator for w in hm.warnings] == ["#2"]


def test_user_mapping_dict_toml_csv(fw: Framework, tmp_path: Path) -> None:
    m = HeaderMatcher(fw, {"区划": "county_code", "指标甲": "宽带覆盖率"})
    assert m.canonical("区划")[0] == "county_code" and m.canonical("指标甲")[0] == "X1"
    toml = tmp_path / "map.toml"
    toml.write_text('[columns]\n"区划" = "county_code"\n"甲" = "X1"\n', encoding="utf-8")
    assert load_column_mapping(toml) == {"区划": "county_code", "甲": "X1"}
    csvp = tmp_path / "map.csv"
    csvp.write_bytes("表头,列\n区划,county_code\n甲,X1\n".encode("gbk"))
    assert load_column_mapping(csvp) == {"区划": "county_code", "甲": "X1"}
    assert HeaderMatcher(fw, csvp).canonical("甲")[0] == "X1"


@pytest.mark.parametrize("bad", [{"a": "nonsense"}, {"a": 3}, "missing.toml"])
def test_bad_user_mapping(fw: Framework, bad: object, tmp_path: Path) -> None:
    spec = tmp_path / bad if isinstance(bad, str) else bad
    with pytest.raises(SubmissionError):
        HeaderMatcher(fw, spec)  # type: ignore[arg-type]


def test_bad_mapping_files(fw: Framework, tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(SubmissionError, match="two"):
        load_column_mapping(p)
    t = tmp_path / "m.toml"
    t.write_text("columns = [", encoding="utf-8")
    with pytest.raises(SubmissionError):
        load_column_mapping(t)


def test_locate_title_rows_and_code_row(fw: Framework) -> None:
    m = HeaderMatcher(fw)
    rows = [["2023年数字乡村填报表", "", ""], ["填报说明:百分比填 0-100", "", ""],
            ["县级代码", "县名", "省份", "年份", "宽带覆盖率(%)", "网络零售额(万元)"],
            ["county_code", "county_name", "province", "year", "X1", "X2"],
            ["410102", "中原区", "河南", "2023", "1", "2"]]
    spot = m.locate(rows)
    assert (spot.index, spot.skip) == (2, 1)
    assert m.locate(rows, header_row=4).index == 3
    assert m.locate([["a", "b"], ["1", "2"]]).index == 0  # nothing recognised: first row


def test_locate_ambiguous_and_out_of_range(fw: Framework) -> None:
    m = HeaderMatcher(fw)
    rows = [["county_code", "X1"], ["1", "2"], ["county_code", "X1"]]
    with pytest.raises(SubmissionError, match="header_row"):
        m.locate(rows)
    with pytest.raises(SubmissionError):
        m.locate(rows, header_row=9)


def test_suggestions(fw: Framework) -> None:
    assert HeaderMatcher(fw).suggestions("宽带覆盖")[0] == "X1"
