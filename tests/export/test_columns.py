import pytest

import xiangcun_eval as xe
from xiangcun_eval.export.columns import ColumnName, check_lang, code_of, fixed, node_column


def test_labels_in_each_language():
    c = fixed("score")
    assert (c.label("zh"), c.label("en"), c.label("code")) == ("得分 score", "score", "score")
    r = fixed("rank_in_province")
    assert r.label("zh") == "省内排名 rank_in_province"
    assert r.label("en") == "rank_in_province"
    assert code_of(r.label("zh")) == code_of(r.label("en")) == "rank_in_province"


def test_node_columns_carry_name_and_code():
    fw = xe.load_framework("dvd-2023")
    area = fw.level_codes(3)[0]
    c = node_column(fw, area, "rank")
    assert c.code == f"rank_{area}"
    assert c.label("zh") == f"{fw[area].name_zh} 排名 rank_{area}"
    assert c.label("en") == f"{fw[area].name_en} rank_{area}"
    assert code_of(c.label("en")) == c.code


def test_bad_inputs():
    with pytest.raises(KeyError, match="nosuch"):
        fixed("nosuch")
    with pytest.raises(ValueError, match="unknown lang"):
        check_lang("fr")
    assert ColumnName("x", "x", "x").label("zh") == "x"
