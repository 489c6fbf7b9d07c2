"""GB/T 2260 administrative-division codes (行政区划代码) for counties.

A county code is a six-digit string: digits 1-2 the province, 3-4 the
prefecture, 5-6 the county.  A code ending in ``0000`` is a province, one
ending in ``00`` a prefecture; everything else is county level.  Digits 3-4
equal to ``90`` mark county-level units directly administered by the
province (省直辖县级行政单位, e.g. ``419001`` 济源市, ``429004`` 仙桃市,
``659001`` 石河子市); they are accepted like any other county.

Edition / 版本
    The province table reflects GB/T 2260-2007 as maintained by the Ministry
    of Civil Affairs (民政部) in its annual code lists up to 2023.  Province-
    level codes have been stable since Chongqing (50) was created in 1997.
    County codes change every year (撤县设区, mergers), so this module checks
    the *shape* and the province prefix of a code, not that the county
    exists in a given year; panel data across years needs a crosswalk.

Regions follow the National Bureau of Statistics four-region split
(国家统计局东中西部和东北地区划分, 2011): 东部 10 provinces, 中部 6, 西部 12,
东北 3.  Taiwan, Hong Kong and Macao are outside that split and get the
region ``港澳台``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CODE_TABLE_EDITION",
    "PROVINCES",
    "REGIONS",
    "Province",
    "check_code",
    "check_codes",
    "find_province",
    "match_province",
    "normalise_code_text",
    "province_for_code",
    "province_from_name",
    "province_suggestions",
    "region_en",
    "region_for_code",
]

CODE_TABLE_EDITION = "GB/T 2260-2007, 民政部 county-level code lists to 2023"


@dataclass(frozen=True)
class Province:
    """A province-level division (省级行政区)."""

    prefix: str
    """Two-digit code prefix, e.g. ``"41"``."""
    name_zh: str
    """Full name, e.g. ``"河南省"``."""
    short_zh: str
    """Short name, e.g. ``"河南"``."""
    name_en: str
    region: str
    """``东部``, ``中部``, ``西部``, ``东北`` (NBS split) or ``港澳台``."""


_E, _C, _W, _NE, _O = "东部", "中部", "西部", "东北", "港澳台"
REGIONS: tuple[str, ...] = (_E, _C, _W, _NE)
"""The four NBS regions, in their usual order."""

_REGION_EN = {_E: "East", _C: "Centre", _W: "West", _NE: "Northeast", _O: "HK/Macao/Taiwan"}

PROVINCES: dict[str, Province] = {
    p.prefix: p
    for p in (
        Province("11", "北京市", "北京", "Beijing", _E),
        Province("12", "天津市", "天津", "Tianjin", _E),
        Province("13", "河北省", "河北", "Hebei", _E),
        Province("14", "山西省", "山西", "Shanxi", _C),
        Province("15", "内蒙古自治区", "内蒙古", "Inner Mongolia", _W),
        Province("21", "辽宁省", "辽宁", "Liaoning", _NE),
        Province("22", "吉林省", "吉林", "Jilin", _NE),
        Province("23", "黑龙江省", "黑龙江", "Heilongjiang", _NE),
        Province("31", "上海市", "上海", "Shanghai", _E),
        Province("32", "江苏省", "江苏", "Jiangsu", _E),
        Province("33", "浙江省", "浙江", "Zhejiang", _E),
        Province("34", "安徽省", "安徽", "Anhui", _C),
        Province("35", "福建省", "福建", "Fujian", _E),
        Province("36", "江西省", "江西", "Jiangxi", _C),
        Province("37", "山东省", "山东", "Shandong", _E),
        Province("41", "河南省", "河南", "Henan", _C),
        Province("42", "湖北省", "湖北", "Hubei", _C),
        Province("43", "湖南省", "湖南", "Hunan", _C),
        Province("44", "广东省", "广东", "Guangdong", _E),
        Province("45", "广西壮族自治区", "广西", "Guangxi", _W),
        Province("46", "海南省", "海南", "Hainan", _E),
        Province("50", "重庆市", "重庆", "Chongqing", _W),
        Province("51", "四川省", "四川", "Sichuan", _W),
        Province("52", "贵州省", "贵州", "Guizhou", _W),
        Province("53", "云南省", "云南", "Yunnan", _W),
        Province("54", "西藏自治区", "西藏", "Xizang (Tibet)", _W),
        Province("61", "陕西省", "陕西", "Shaanxi", _W),
        Province("62", "甘肃省", "甘肃", "Gansu", _W),
        Province("63", "青海省", "青海", "Qinghai", _W),
        Province("64", "宁夏回族自治区", "宁夏", "Ningxia", _W),
        Province("65", "新疆维吾尔自治区", "新疆", "Xinjiang", _W),
        Province("71", "台湾省", "台湾", "Taiwan", _O),
        Province("81", "香港特别行政区", "香港", "Hong Kong", _O),
        Province("82", "澳门特别行政区", "澳门", "Macao", _O),
    )
}

_NAME_TO_PREFIX: dict[str, str] = {}
for _p in PROVINCES.values():
    for _n in (_p.name_zh, _p.short_zh, _p.name_en.lower()):
        _NAME_TO_PREFIX[_n] = _p.prefix
_NAME_TO_PREFIX["xizang"] = _NAME_TO_PREFIX["tibet"] = "54"
_NAME_TO_PREFIX["macau"] = "82"
_NAME_TO_PREFIX["广西省"] = "45"  # common informal forms
_NAME_TO_PREFIX["内蒙古省"] = "15"
for _alias, _pre in (("neimenggu", "15"), ("nei mongol", "15"), ("innermongolia", "15"),
                     ("xianggang", "81"), ("hongkong", "81"), ("aomen", "82"),
                     ("taiwan", "71"), ("guangxi zhuang", "45"), ("ningxia hui", "64"),
                     ("xinjiang uygur", "65"), ("xinjiang uyghur", "65")):
    _NAME_TO_PREFIX[_alias] = _pre

_SAR = ("71", "81", "82")
"""Taiwan, Hong Kong, Macao: their MCA-listed district codes have digits 3-4 = 00."""

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise_code_text(text: str) -> str:
    """Strip spaces and turn full-width digits into ASCII (``"４１０１０２"`` -> ``"410102"``)."""
    return text.translate(_FULLWIDTH).strip()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_code(code: str) -> tuple[str, str] | None:
    """Check one county code; ``None`` if valid, else ``(中文, English)`` reasons.

    Parameters
    ----------
    code
        The code as a string (already stripped; see :func:`normalise_code_text`).

    Returns
    -------
    tuple of str or None
        ``None`` for a valid county-level code, otherwise what is wrong in
        Chinese and in English (the fix is in the message).
    """
    if code == "":
        return ("县代码为空", "the county code is empty")
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        if code.isascii() and code.isdigit() and len(code) == 5:
            return (
                f"代码 {code!r} 只有 5 位:可能被 Excel 当作数字保存而丢失了一位数字;"
                "请把该列设为文本格式后重新填写 6 位代码",
                f"code {code!r} has only 5 digits: Excel probably stored it as a number and "
                "a digit was lost; format the column as text and enter the six-digit code",
            )
        return (
            f"代码 {_short(code)!r} 不是 6 位数字;县代码应为 6 位数字字符串,如 410102",
            f"code {_short(code)!r} is not six digits; a county code is a six-digit "
            "string such as 410102",
        )
    if code[:2] not in PROVINCES:
        return (
            f"代码 {code} 的省级前两位 {code[:2]} 无效(有效: 11-15, 21-23, 31-37, 41-46, "
            "50-54, 61-65, 71, 81, 82)",
            f"code {code}: province prefix {code[:2]} does not exist (valid: 11-15, 21-23, "
            "31-37, 41-46, 50-54, 61-65, 71, 81, 82)",
        )
    if code.endswith("0000"):
        return (
            f"{code} 是省级代码,不是县级代码;请填写县(市、区)的代码",
            f"{code} is a province code, not a county code; enter the county's own code",
        )
    if code.endswith("00"):
        return (
            f"{code} 是地级(市、州、盟)代码,不是县级代码;请填写县(市、区)的代码",
            f"{code} is a prefecture code (ends in 00), not a county code; enter the "
            "county's own code",
        )
    if code[2:4] == "00" and code[:2] not in _SAR:
        return (
            f"代码 {code} 的地级位(第 3-4 位)为 00,GB/T 2260 中不存在此类县级代码",
            f"code {code}: prefecture digits 3-4 are 00; no county code has that form in "
            "GB/T 2260",
        )
    return None


def check_codes(codes: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Vectorised validity test of many codes (True = valid county code).

    Same rules as :func:`check_code`, evaluated with numpy on the whole array
    (no Python loop over rows).
    """
    codes = np.asarray(codes, dtype=np.str_)
    if codes.size == 0:
        return np.zeros(codes.shape, dtype=bool)
    lens = np.char.str_len(codes)
    six = codes.astype("U6")
    cp = six.view(np.uint32).reshape(codes.shape[0], -1)
    if cp.shape[1] < 6:
        return np.zeros(codes.shape, dtype=bool)
    digits = ((cp >= 48) & (cp <= 57)).all(axis=1)
    prefix = codes.astype("U2")
    ok = (lens == 6) & digits & np.isin(prefix, np.array(sorted(PROVINCES)))
    ok &= ~np.char.endswith(six, "00")
    ok &= ~np.char.endswith(codes.astype("U4"), "00") | np.isin(prefix, np.array(_SAR))
    return np.asarray(ok, dtype=bool)


def province_for_code(code: str) -> Province | None:
    """The province a (valid-prefix) code belongs to, or ``None``."""
    return PROVINCES.get(code[:2])


def region_for_code(code: str) -> str:
    """NBS region of a code's province (``""`` for an unknown prefix)."""
    p = PROVINCES.get(code[:2])
    return p.region if p else ""


def region_en(region: str) -> str:
    """English name of a region label."""
    return _REGION_EN.get(region, region)


def province_from_name(name: str) -> Province | None:
    """Match a province name: full (``河南省``), short (``河南``), English or pinyin
    (``Henan``, ``Henan Province``, ``Neimenggu``, ``Xizang``), case and spaces ignored."""
    key = normalise_code_text(name)
    low = " ".join(key.lower().split())
    for suffix in (" province", " autonomous region", " municipality", " sar", " shi", " sheng"):
        low = low.removesuffix(suffix)
    prefix = (_NAME_TO_PREFIX.get(key) or _NAME_TO_PREFIX.get(low)
              or _NAME_TO_PREFIX.get(low.replace(" ", "")))
    return PROVINCES[prefix] if prefix else None


def province_suggestions(name: str, n: int = 3) -> list[str]:
    """The closest province names (Chinese), for messages about an unknown province."""
    import difflib

    key = normalise_code_text(name).lower()
    near = difflib.get_close_matches(key, list(_NAME_TO_PREFIX), n=n * 3, cutoff=0.4)
    return list(dict.fromkeys(PROVINCES[_NAME_TO_PREFIX[k]].name_zh for k in near))[:n]


def find_province(name: str) -> Province:
    """:func:`province_from_name`, or an ``OptionError`` with suggestions."""
    p = province_from_name(name)
    if p is None:
        from ..errors import OptionError

        near = province_suggestions(name)
        hint = f";是否为 {'、'.join(near)}? / did you mean {', '.join(near)}?" if near else ""
        raise OptionError(f"未知省份 {name!r}(可用中文全称、简称、英文或拼音)/ unknown province "
                          f"{name!r} (Chinese full or short name, English or pinyin){hint}")
    return p


def match_province(name: str, code: str) -> tuple[str, str] | None:
    """Check that a province name agrees with a code's first two digits.

    Returns
    -------
    tuple of str or None
        ``None`` if they agree (or the code's prefix is invalid, which is
        reported separately); otherwise ``(中文, English)`` reasons.
    """
    prov = province_from_name(name)
    if prov is None:
        return (
            f"省份 {_short(name)!r} 无法识别;请填写省份全称(如 河南省)或简称(如 河南)",
            f"province {_short(name)!r} not recognised; write the full name (河南省) or "
            "the short name (河南)",
        )
    expected = PROVINCES.get(code[:2])
    if expected is not None and expected.prefix != prov.prefix:
        return (
            f"省份 {name} 与代码 {code} 不符:代码前两位 {code[:2]} 属于 {expected.name_zh};"
            "请核对代码或省份",
            f"province {prov.name_en} does not match code {code}, whose prefix "
            f"{code[:2]} is {expected.name_en}; check the code or the province",
        )
    return None
