"""One naming scheme for exported columns (CSV, XLSX, pandas, report tables).

Every exported column has a stable machine **code** (``score``, ``rank``,
``rank_in_province``, ``score_D01`` ...), a Chinese name and an English
name.  Its header is

* ``lang="zh"`` (default): ``"<中文名> <code>"``, e.g. ``"得分 score"``,
  ``"数字基础设施 得分 score_D01"``;
* ``lang="en"``: ``"<English name> <code>"``, or just the code when the
  English name is the code itself (``"score"``, ``"rank_in_province"``,
  ``"Digital infrastructure score_D01"``);
* ``lang="code"``: the code alone (``"score_D01"``), for scripts.

The code is always the last space-separated token, so a header can be parsed
back with ``header.rsplit(" ", 1)[-1]`` (:func:`code_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..framework.model import Framework

__all__ = [
    "GRADE_COLOURS",
    "LANGS",
    "UNIT_COLUMNS",
    "ColumnName",
    "Lang",
    "check_lang",
    "code_of",
    "fixed",
    "node_column",
]

Lang = Literal["zh", "en", "code"]

GRADE_COLOURS: tuple[str, ...] = ("1A9850", "91CF60", "FEE08B", "FC8D59", "D73027")
"""Colours of grade bands, best first (ColorBrewer RdYlGn, 5 classes), shared
by the workbook fills, the charts and the reports."""
LANGS: tuple[str, ...] = ("zh", "en", "code")


def check_lang(lang: str) -> Lang:
    """``lang`` if it is one of :data:`LANGS`, else a ``ValueError`` naming them."""
    if lang not in LANGS:
        raise ValueError(f"未知语言 / unknown lang {lang!r}: use one of {LANGS}")
    return lang  # type: ignore[return-value]


@dataclass(frozen=True)
class ColumnName:
    """Names of one exported column."""

    code: str
    zh: str
    en: str

    def label(self, lang: Lang = "zh") -> str:
        """Return the header in ``lang`` (see the module docstring)."""
        if lang == "code":
            return self.code
        name = self.zh if lang == "zh" else self.en
        if name.replace(" ", "_") == self.code:
            return self.code
        return f"{name} {self.code}"


def code_of(header: str) -> str:
    """Return the column code of a header written in any ``lang``."""
    return header.rsplit(" ", 1)[-1]


FIXED: dict[str, ColumnName] = {
    c.code: c
    for c in (
        ColumnName("code", "代码", "code"),
        ColumnName("name", "名称", "name"),
        ColumnName("province", "省份", "province"),
        ColumnName("region", "地区", "region"),
        ColumnName("rank", "排名", "rank"),
        ColumnName("score", "得分", "score"),
        ColumnName("grade", "等级", "grade"),
        ColumnName("level", "层级", "level"),
        ColumnName("node", "节点", "node"),
        ColumnName("parent", "上级", "parent"),
        ColumnName("weight", "权重", "weight"),
        ColumnName("effective_weight", "有效权重", "effective weight"),
        ColumnName("value", "数值", "value"),
        ColumnName("normalised", "标准化值", "normalised value"),
        ColumnName("unit", "单位", "unit"),
        ColumnName("target", "目标值", "target"),
        ColumnName("attained", "达标", "attained"),
        ColumnName("gap", "差距", "gap"),
    )
}
UNIT_COLUMNS: tuple[str, ...] = ("code", "name", "province", "region")
"""Codes of the columns that identify a unit, in export order."""


def fixed(code: str) -> ColumnName:
    """Return the :class:`ColumnName` of a fixed column.

    Fixed columns are ``"rank"``, ``"score"`` ... or a within-group rank
    ``"rank_in_<group>"``.
    """
    if code in FIXED:
        return FIXED[code]
    if code.startswith("rank_in_"):
        key = code.removeprefix("rank_in_")
        zh = {"province": "省内", "region": "区域内"}.get(key, f"{key} 组内")
        return ColumnName(code, f"{zh}排名", f"rank in {key}")
    raise KeyError(f"no fixed export column {code!r}; known: {sorted(FIXED)}")


_MEASURES = {
    "score": ("得分",),
    "rank": ("排名",),
    "value": ("数值",),
    "normalised": ("标准化值",),
    "weight": ("权重",),
}


def node_column(fw: Framework, node: str, measure: str = "score") -> ColumnName:
    """Column of one framework node's ``measure``: code ``<measure>_<node code>``.

    ``measure`` is ``score``, ``rank``, ``value``, ``normalised`` or ``weight``.
    """
    zh = _MEASURES[measure][0]
    n = fw[node]
    return ColumnName(f"{measure}_{node}", f"{n.name_zh} {zh}", n.name_en)
