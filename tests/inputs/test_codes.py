"""GB/T 2260 code validation and province matching."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.inputs.codes import (
    PROVINCES,
    REGIONS,
    check_code,
    check_codes,
    match_province,
    province_from_name,
    region_for_code,
)

VALID = ["110101", "410102", "419001", "429004", "659001", "542621", "820001"]
INVALID = ["", "11010", "1101011", "abcdef", "990101", "100101", "410100", "410000",
           "410002", "41O102", "4101 2"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code: str) -> None:
    assert check_code(code) is None
    assert check_codes(np.array([code]))[0]


@pytest.mark.parametrize("code", INVALID)
def test_invalid_codes(code: str) -> None:
    why = check_code(code)
    assert why is not None and why[0] and why[1]
    assert not check_codes(np.array([code]))[0]


def test_vectorised_agrees_with_scalar() -> None:
    codes = np.array(VALID + INVALID + ["٤١٠١٠٢", "41010２"])
    expect = [check_code(str(c)) is None for c in codes]
    assert check_codes(codes).tolist() == expect


def test_five_digit_mentions_excel() -> None:
    zh, en = check_code("41010") or ("", "")
    assert "Excel" in zh and "Excel" in en


def test_prefix_table_and_regions() -> None:
    expected = {*(f"{i}" for i in range(11, 16)), "21", "22", "23",
                *(str(i) for i in range(31, 38)),
                *(str(i) for i in range(41, 47)), *(str(i) for i in range(50, 55)),
                *(str(i) for i in range(61, 66)), "71", "81", "82"}
    assert set(PROVINCES) == expected
    counts = {r: sum(p.region == r for p in PROVINCES.values()) for r in REGIONS}
    assert counts == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}
    assert region_for_code("410102") == "中部"
    assert region_for_code("330102") == "东部"
    assert region_for_code("220102") == "东北"
    assert region_for_code("500101") == "西部"


@pytest.mark.parametrize("name", ["河南省", "河南", "Henan", " 河南省 ", "henan"])
def test_province_names(name: str) -> None:
    prov = province_from_name(name)
    assert prov is not None and prov.prefix == "41"
    assert match_province(name, "410102") is None


def test_province_mismatch_and_unknown() -> None:
    why = match_province("河北省", "410102")
    assert why is not None and "河南省" in why[0] and "Hebei" in why[1]
    unknown = match_province("火星省", "410102")
    assert unknown is not None and "火星省" in unknown[0]
    assert province_from_name("内蒙古") is not None
    assert province_from_name("新疆维吾尔自治区") is not None


@pytest.mark.parametrize(("name", "prefix"), [
    ("Zhejiang Province", "33"), ("neimenggu", "15"), ("Inner Mongolia", "15"),
    ("XIZANG", "54"), ("hong kong", "81"), ("aomen", "82"), (" 浙江 ", "33")])
def test_province_names_pinyin_and_english(name: str, prefix: str) -> None:
    p = province_from_name(name)
    assert p is not None and p.prefix == prefix


def test_find_province_suggests() -> None:
    from xiangcun_eval.errors import OptionError
    from xiangcun_eval.inputs.codes import find_province

    with pytest.raises(OptionError, match="浙江省"):
        find_province("Zhejang")
    assert find_province("河南").name_zh == "河南省"
