"""Header matching (表头识别): columns named as people write them, mapped to canonical names.

A column of a county submission may be named by

* the indicator code (``T01_5g_village_coverage``), its Chinese name
  (``5G网络通达行政村比例``) or its English name, each optionally followed by
  its unit in brackets (``农业生产信息化率(%)``, ``农业生产信息化率（%）``,
  ``网络零售额[万元]``, ``【%】``) -- a bracketed unit must be the indicator's
  unit (``网络零售额(元)`` for an indicator in 万元 is an error, never a
  silent factor of 10,000);
* for the unit columns, the canonical name (``county_code``, ...) or one of
  the aliases in :data:`UNIT_ALIASES` (``县级代码``, ``行政区划代码``,
  ``县(市、区)``, ``省份`` ...);
* anything else through a user mapping (``columns=``: a mapping, a TOML file
  or a two-column CSV ``header,column``).

Comparison ignores full-width/half-width differences (NFKC), white space and
case.  Matching runs once per file on the header only: no per-row cost.

Unmatched headers
    An unmatched header close to an indicator whose column is absent
    (``difflib`` ratio >= 0.6) is an error naming the suggestions: it is
    most likely that indicator, misspelt.  Any other unmatched header
    (填报单位, 备注, 联系人 ...) is an *extra column*: ignored, with a warning
    (``extra_column``) in strict and quarantine mode alike.

Title rows
    :meth:`HeaderMatcher.locate` finds the header among the first rows of a
    sheet (merged title lines, 填报说明 lines above it): the row matching the
    most canonical columns, if at least two and if no other row matches as
    many (a row right below it naming the same columns -- the code row of a
    template -- is skipped as a second header row).  ``header_row=`` says it
    explicitly.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..framework.model import Framework, Indicator
from .problems import Problem

__all__ = [
    "UNIT_ALIASES",
    "ColumnsSpec",
    "HeaderMap",
    "HeaderMatcher",
    "HeaderSpot",
    "header_key",
    "load_column_mapping",
]

REQUIRED = ("county_code", "county_name", "province", "year")
OPTIONAL = ("prefecture", "data_note")

UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "county_code": ("县级代码", "行政区划代码", "区划代码", "县代码", "县区代码", "代码",
                    "县(市、区)代码", "县(市,区)代码", "统计用区划代码", "县级行政区划代码",
                    "county code", "code", "adcode", "区县代码"),
    "county_name": ("县(市、区)", "县(市,区)", "县(市、区)名称", "县名", "县区", "区县",
                    "县域名称", "县级名称", "县(区)", "县(市)", "区县名称", "county", "county name",
                    "name"),
    "province": ("省份", "省", "省(区、市)", "省(自治区、直辖市)", "所属省份", "省级", "省名",
                 "province"),
    "year": ("年份", "年度", "年", "统计年度", "数据年份", "填报年度", "year"),
    "prefecture": ("地市", "市", "地级市", "所属地市", "市(州)", "市(州、盟)", "地区", "city",
                   "prefecture"),
    "data_note": ("数据说明", "数据备注", "data note"),
}
"""Accepted header aliases of the unit columns (compared with :func:`header_key`)."""

ColumnsSpec = Mapping[str, str] | str | Path | None
"""A user column mapping: ``{header: column}``, or a TOML / two-column CSV file."""

_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "〈": "(", "〉": ")",
                           "《": "(", "》": ")", "［": "[", "］": "]"})
_UNIT_TAIL = re.compile(r"^(.+?)[(\[]([^()\[\]]*)[)\]]$")
_PERCENT_WORDS = {"%", "百分比", "percent", "百分率", "pct"}
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def header_key(text: str) -> str:
    """The comparison form of a header: NFKC, brackets unified, no white space, case-folded."""
    t = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS).translate(_ZERO_WIDTH)
    return "".join(t.split()).casefold()


@dataclass(frozen=True)
class HeaderSpot:
    """Where the header is: 0-based index among the rows looked at, and rows to skip after it."""

    index: int = 0
    skip: int = 0


@dataclass
class HeaderMap:
    """Result of matching a header.

    Attributes
    ----------
    index
        Canonical column name (``county_code``, an indicator code,
        ``note:<code>``, ...) -> position in the header.
    problems
        Header errors (duplicate, missing, misspelt indicator, unit mismatch).
    warnings
        Extra columns that are ignored.
    shown
        Canonical name -> the header as written (for messages).
    """

    index: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)


def load_column_mapping(spec: ColumnsSpec) -> dict[str, str]:
    """A user column mapping as ``{header: column}``.

    ``spec`` is a mapping, or the path of a TOML file (a ``[columns]`` table
    or top-level string keys) or of a two-column CSV (``header,column``; a
    first row ``header,column`` / ``表头,列`` is skipped).

    Raises
    ------
    SubmissionError
        The file cannot be read or has the wrong shape.
    """
    from .problems import SubmissionError

    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        bad = [k for k, v in spec.items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:
            raise SubmissionError([Problem(
                "bad_format", f"列映射的键和值须为文本: {bad[:5]}",
                f"column mapping keys and values must be strings: {bad[:5]}",
                '形如 {"县级代码": "county_code"}', 'shaped like {"县级代码": "county_code"}',
            )], source="columns=")
        return dict(spec)
    path = Path(spec)

    def fail(zh: str, en: str) -> SubmissionError:
        return SubmissionError([Problem(
            "bad_format", zh, en,
            'TOML: [columns] 下每行 "表头" = "列名";CSV: 两列 表头,列名',
            'TOML: a [columns] table of "header" = "column"; CSV: two columns header,column',
        )], source=str(path))

    if not path.is_file():
        raise fail(f"找不到列映射文件 {path}", f"column mapping file not found: {path}")
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise fail(f"列映射 TOML 无法解析: {exc}", f"column mapping TOML: {exc}") from None
        table = data.get("columns", data)
        if not isinstance(table, Mapping) or not all(
                isinstance(v, str) for v in table.values()):
            raise fail("列映射 TOML 的值须为文本", "column mapping values must be strings")
        return {str(k): str(v) for k, v in table.items()}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("gb18030", errors="replace")
    out: dict[str, str] = {}
    for i, rec in enumerate(csv.reader(text.splitlines())):
        cells = [c.strip() for c in rec]
        if not any(cells):
            continue
        if len(cells) != 2 or not all(cells):
            raise fail(f"列映射 CSV 第 {i + 1} 行应为两列", f"column mapping CSV row {i + 1}: "
                       "expected two non-empty columns")
        if i == 0 and header_key(cells[0]) in {"header", "表头"}:
            continue
        out[cells[0]] = cells[1]
    return out


def _unit_key(unit: str) -> str:
    k = header_key(unit)
    return "%" if k in _PERCENT_WORDS else k


class HeaderMatcher:
    """Maps header cells to canonical column names for one framework.

    Parameters
    ----------
    framework
        Indicator codes, names and units come from here (no names are hard-coded).
    columns
        Optional user mapping (see :func:`load_column_mapping`); its targets
        may themselves be any accepted form (code, name, alias).
    """

    def __init__(self, framework: Framework, columns: ColumnsSpec = None) -> None:
        self.framework = framework
        self.indicators: dict[str, Indicator] = {i.code: i for i in framework.indicators}
        lookup: dict[str, str] = {}
        clash: set[str] = set()

        def add(text: str, canon: str) -> None:
            k = header_key(text)
            if not k:
                return
            if lookup.get(k, canon) != canon:
                clash.add(k)
            lookup[k] = canon

        for canon in (*REQUIRED, *OPTIONAL):
            add(canon, canon)
            for alias in UNIT_ALIASES.get(canon, ()):
                add(alias, canon)
        for ind in framework.indicators:
            for text in (ind.code, ind.name_zh, ind.name_en):
                add(text, ind.code)
        for k in clash:  # ambiguous forms name nothing (never a silent pick)
            del lookup[k]
        self._lookup = lookup
        self._user: dict[str, str] = {}
        for h, target in load_column_mapping(columns).items():
            target_canon = self._resolve(target)
            if target_canon is None:
                from .problems import SubmissionError

                raise SubmissionError([Problem(
                    "unknown_column", f"列映射的目标 {target!r} 不是指标或已知列",
                    f"column mapping target {target!r} is not an indicator or a known column",
                    f"可用: {', '.join((*REQUIRED, *OPTIONAL))} 或指标代码",
                    f"use one of {', '.join((*REQUIRED, *OPTIONAL))} or an indicator code",
                    indicator=target,
                )], source="columns=")
            self._user[header_key(h)] = target_canon

    # ------------------------------------------------------------ lookup
    def _resolve(self, text: str) -> str | None:
        k = header_key(text)
        if k in self._lookup:
            return self._lookup[k]
        for prefix in ("note:", "source:"):
            if k.startswith(prefix):
                inner = self._resolve(text.split(":", 1)[1] if ":" in text else k[len(prefix):])
                if inner in self.indicators:
                    return prefix + inner
        return None

    def canonical(self, text: str) -> tuple[str | None, Problem | None]:
        """The canonical name of one header cell, or ``None``; and a unit-mismatch problem."""
        k = header_key(text)
        if not k:
            return None, None
        if k in self._user:
            return self._user[k], None
        found = self._resolve(text)
        if found is not None:
            return found, None
        m = _UNIT_TAIL.match(unicodedata.normalize("NFKC", text).translate(_BRACKETS).strip())
        if m is None:
            return None, None
        base, unit = m.group(1), m.group(2)
        canon = self._resolve(base)
        if canon is None:
            return None, None
        ind = self.indicators.get(canon)
        if ind is None or _unit_key(unit) == _unit_key(ind.unit or ""):
            return canon, None
        return canon, Problem(
            "unit_mismatch",
            f"列 {text!r} 的单位 {unit!r} 与指标 {ind.code}({ind.name_zh})的单位 "
            f"{ind.unit or '无'!r} 不符",
            f"column {text!r} gives unit {unit!r} but indicator {ind.code} ({ind.name_en}) "
            f"is measured in {ind.unit or 'no unit'!r}",
            f"按 {ind.unit or '指标定义'} 换算后填写,并改表头",
            f"convert the values to {ind.unit or 'the defined unit'} and fix the header",
            row=1, indicator=ind.code, value=text,
        )

    def score(self, row: Sequence[str]) -> int:
        """How many distinct canonical columns a row names (for locating the header)."""
        return len({c for c, _ in map(self.canonical, row) if c is not None})

    def locate(self, rows: Sequence[Sequence[str]], header_row: int | None = None) -> HeaderSpot:
        """Find the header among the first ``rows`` (see the module docs).

        Parameters
        ----------
        rows
            The first rows of the sheet, as text.
        header_row
            1-based row of the header when known (``header_row=``).

        Raises
        ------
        SubmissionError
            Several rows look like headers (``header_row=`` resolves it), or
            ``header_row`` is outside the rows.
        """
        from .problems import SubmissionError

        if header_row is not None:
            if not 1 <= header_row <= len(rows):
                raise SubmissionError([Problem(
                    "bad_format", f"表头行 {header_row} 超出文件前 {len(rows)} 行",
                    f"header_row={header_row} is outside the first {len(rows)} rows",
                    "给出表头所在的行号(从 1 数起)", "give the 1-based row of the header",
                )])
            return HeaderSpot(header_row - 1, self._same_after(rows, header_row - 1))
        maps = [self._canon_set(r) for r in rows]
        scores = [len(m) for m in maps]
        best = max(scores, default=0)
        if best < 2:
            return HeaderSpot(0, 0)
        first = scores.index(best)
        skip = self._same_after(rows, first)
        others = [i for i, s in enumerate(scores)
                  if s == best and not first <= i <= first + skip]
        if others:
            raise SubmissionError([Problem(
                "bad_format",
                f"第 {first + 1} 行和第 {others[0] + 1} 行都像表头,无法确定",
                f"rows {first + 1} and {others[0] + 1} both look like the header",
                "用 header_row= / --header-row 指定表头所在行",
                "say which row is the header with header_row= / --header-row",
            )])
        return HeaderSpot(first, skip)

    def _canon_set(self, row: Sequence[str]) -> frozenset[str]:
        return frozenset(c for c, _ in map(self.canonical, row) if c is not None)

    def _same_after(self, rows: Sequence[Sequence[str]], i: int) -> int:
        """Rows right after the header that name the same columns (a code row)."""
        head = [self.canonical(c)[0] for c in rows[i]]
        n = 0
        for r in rows[i + 1:]:
            cells = [self.canonical(c)[0] for c in r]
            named = [(a, b) for a, b in zip(head, cells, strict=False) if b is not None]
            if len(named) < 2 or any(a != b for a, b in named):
                break
            n += 1
        return n

    # ------------------------------------------------------------- match
    def match(self, header: Sequence[str], *, required: Sequence[str] = REQUIRED,
              row: int = 1) -> HeaderMap:
        """Map a header (file row ``row``); collect duplicate, missing, misspelt, extra columns."""
        out = self._match(header, required)
        if row != 1:
            out.problems = [replace(p, row=row) if p.row == 1 else p for p in out.problems]
            out.warnings = [replace(p, row=row) if p.row == 1 else p for p in out.warnings]
        return out

    def _match(self, header: Sequence[str], required: Sequence[str]) -> HeaderMap:
        out = HeaderMap()
        unmatched: list[tuple[int, str]] = []
        for j, h in enumerate(header):
            canon, prob = self.canonical(h)
            if prob is not None:
                out.problems.append(prob)
            if canon is None:
                if h.strip():
                    unmatched.append((j, h))
                else:
                    out.warnings.append(Problem(
                        "extra_column", f"第 {j + 1} 列没有表头,已忽略",
                        f"column {j + 1} has no header: ignored",
                        "若该列有数据,请加表头", "give it a header if it holds data",
                        row=1, indicator=f"#{j + 1}",
                    ))
                continue
            if canon in out.index:
                out.problems.append(Problem(
                    "duplicate_column",
                    f"列 {out.shown[canon]!r} 和 {h!r} 都是 {canon}",
                    f"columns {out.shown[canon]!r} and {h!r} both give {canon}",
                    "删除或改名重复的列", "remove or rename the duplicate column",
                    row=1, indicator=canon, value=h,
                ))
                continue
            out.index[canon] = j
            out.shown[canon] = h
        absent = [c for c in self.indicators if c not in out.index]
        absent_keys = {header_key(t): i.code for i in self.indicators.values()
                       if i.code in absent for t in (i.code, i.name_zh, i.name_en)}
        for j, h in unmatched:
            near = difflib.get_close_matches(header_key(h), list(absent_keys), n=3, cutoff=0.6)
            codes = list(dict.fromkeys(absent_keys[k] for k in near))
            if codes:
                names = ", ".join(f"{c}({self.indicators[c].name_zh})" for c in codes)
                out.problems.append(Problem(
                    "unknown_column",
                    f"列 {h!r} 不是指标体系 {self.framework.code} 的指标或已知列;是否应为 {names}?",
                    f"column {h!r} is not an indicator of framework {self.framework.code} "
                    f"nor a known column; did you mean {names}?",
                    f"改表头为 {codes[0]},或用列映射(columns=)指定",
                    f"rename it to {codes[0]}, or map it with columns=",
                    row=1, indicator=h, value=h,
                ))
            else:
                out.warnings.append(Problem(
                    "extra_column",
                    f"列 {h!r}(第 {j + 1} 列)不是指标或已知列,已忽略",
                    f"column {h!r} (column {j + 1}) is not an indicator or a known column: "
                    "ignored",
                    "若它是指标,请改表头或用列映射(columns=)指定",
                    "if it is an indicator, rename it or map it with columns=",
                    row=1, indicator=h, value=h,
                ))
        for col in required:
            if col in out.index:
                continue
            aliases = [header_key(a) for a in (col, *UNIT_ALIASES.get(col, ()))]
            near = [h for _, h in unmatched
                    if difflib.get_close_matches(header_key(h), aliases, n=1, cutoff=0.5)]
            hint_zh = f";文件中的 {near[0]!r} 是否就是它?可用列映射指定" if near else ""
            hint_en = f"; is {near[0]!r} this column? map it with columns=" if near else ""
            out.problems.append(Problem(
                "missing_column", f"缺少必填列 {col}", f"required column {col} is missing",
                f"加入该列(可用 {col} 或 {'、'.join(UNIT_ALIASES.get(col, ())[:3])} 作表头)"
                + hint_zh,
                f"add a column named {col} (or an accepted alias)" + hint_en,
                row=1, indicator=col,
            ))
        return out

    def suggestions(self, text: str, n: int = 3) -> list[str]:
        """Closest indicator codes to ``text`` (by code, Chinese or English name)."""
        keys = {header_key(t): i.code for i in self.indicators.values()
                for t in (i.code, i.name_zh, i.name_en)}
        near = difflib.get_close_matches(header_key(text), list(keys), n=n, cutoff=0.5)
        return list(dict.fromkeys(keys[k] for k in near))
