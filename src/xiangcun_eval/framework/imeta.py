"""COINr's iMeta table for frameworks: reading and writing.

One row per element with columns ``Level, iCode, iName, Direction, Weight,
Parent, Type`` and optional ``Unit, Target, Denominator``.  ``Type`` is
``Indicator`` (a level-1 node), ``Aggregate`` (a group node), ``Group`` (a
unit grouping column of the data table), ``Denominator`` (a denominator
column of the data table) or ``Other`` (ignored).  Our extra fields travel
in extension columns (``iName_zh, Description, LowerBound, UpperBound,
GoalLower, GoalUpper, Source, Definition, Formula, PolicyTask, Reference``)
that COINr ignores.  ``iName`` gives ``name_en``; ``name_zh`` is
``iName_zh`` when present and non-empty, else ``iName`` too.

Every problem is reported at once in a
:class:`~xiangcun_eval.errors.FrameworkError`, each line naming the row.
:func:`read_imeta` takes the framework class ``cls`` (see
:mod:`~xiangcun_eval.framework.tomlfile` for why); the public function
without it is :func:`xiangcun_eval.framework.loaders.read_imeta`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._checked import pydantic_errors
from ..errors import FrameworkError
from ..io.files import write_text_atomic
from .nodes import Group, Indicator
from .tomlfile import pydantic_problems

if TYPE_CHECKING:
    from .model import Framework

__all__ = ["IMETA_COLUMNS", "IMeta", "imeta_rows", "read_imeta", "write_imeta"]

IMETA_COLUMNS: tuple[str, ...] = (
    "Level", "iCode", "iName", "Direction", "Weight", "Unit", "Target", "Denominator",
    "Parent", "Type", "iName_zh", "Description", "LowerBound", "UpperBound", "GoalLower",
    "GoalUpper", "Source", "Definition", "Formula", "PolicyTask", "Reference",
    "BenchmarkValue", "BenchmarkYear", "BenchmarkKind", "BenchmarkSource", "GoalBasis",
    "Applicability", "ZeroVariance", "Rollup", "RollupWeight",
)
"""Columns written by :func:`write_imeta`: COINr's ten, then our extensions."""

_NA = {"", "NA", "NaN", "nan", "N/A", "NULL", "null"}
_IMETA_REQUIRED = ("Level", "iCode", "Parent", "Direction", "Type", "Weight")
_IMETA_TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")


@dataclass(frozen=True)
class IMeta:
    """What a COINr iMeta table declares.

    Attributes
    ----------
    framework
        The indicator tree (rows of Type ``Indicator`` and ``Aggregate``).
    group_columns
        Codes of ``Group`` rows: unit grouping columns of the data table.
    denominator_columns
        Codes of ``Denominator`` rows: denominator columns of the data table.
    names
        ``iName`` of the group and denominator rows, by code.
    units
        ``Unit`` of the denominator rows, by code (when given).
    """

    framework: Framework
    group_columns: tuple[str, ...] = ()
    denominator_columns: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)

    @property
    def data_columns(self) -> tuple[str, ...]:
        """Every column a matching data table may hold beside ``uCode``/``uName``/``Time``."""
        return self.group_columns + self.denominator_columns + self.framework.indicator_codes


def _num(s: str) -> float | None:
    s = s.strip()
    if s in _NA:
        return None
    return float(s)


def _text(row: Mapping[str, str], col: str) -> str:
    v = row.get(col)
    return "" if v is None else v


def _coinr_text(row: Mapping[str, str], col: str) -> str | None:
    v = _text(row, col).strip()
    return None if v in _NA else v


def _rows_from(
    source: str | Path | Iterable[Mapping[str, Any]],
) -> tuple[list[dict[str, str]], str, int]:
    """Rows as string dicts, a source name, and the file line of row 0."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        p = Path(source)
        with p.open(encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
        name = str(p)
    elif isinstance(source, str):
        text, name = source, "<text>"
    else:
        rows = [{str(k): "" if v is None else _cell(v) for k, v in r.items()} for r in source]
        return rows, "<rows>", 1
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [{k: ("" if v is None else v) for k, v in r.items() if k is not None} for r in reader]
    return rows, name, 2


def _cell(v: object) -> str:
    if isinstance(v, float) and math.isnan(v):
        return "NA"
    return repr(v) if isinstance(v, float) else str(v)


def read_imeta(source: str | Path | Iterable[Mapping[str, Any]], cls: type[Framework], *,
               code: str | None = None,
               name_zh: str | None = None, name_en: str | None = None, version: str = "",
               description: str = "", reference: str = "") -> IMeta:
    """Read a COINr iMeta table.

    Parameters
    ----------
    source
        A CSV file path, CSV text (a string containing a newline), or rows
        (mappings from column name to value, e.g. ``csv.DictReader`` rows or
        ``DataFrame.to_dict("records")``).  ``NA``/empty cells are missing.
    cls
        The framework class to build (:class:`~xiangcun_eval.framework.model.Framework`).
    code, name_zh, name_en, version, description, reference
        Framework metadata (iMeta has none).  ``code`` defaults to the file
        stem (``"imeta"`` for text or rows); the names default to the index
        row's ``iName_zh``/``iName``.

    Returns
    -------
    IMeta
        The framework plus the declared group and denominator columns.

    Raises
    ------
    FrameworkError
        Listing every problem, each naming the row (file line for CSV files):
        missing required columns, bad ``Type``/``Level``/``Direction``/
        ``Weight`` values, indicators not at level 1, aggregates at level 1,
        duplicate codes, denominators not declared, and all structural
        problems of the tree.
    """
    with pydantic_errors():  # collect every row's problems, raise once
        return _read_imeta(source, cls, code=code, name_zh=name_zh, name_en=name_en,
                           version=version, description=description, reference=reference)


def _read_imeta(source: str | Path | Iterable[Mapping[str, Any]], cls: type[Framework], *,
               code: str | None = None,
               name_zh: str | None = None, name_en: str | None = None, version: str = "",
               description: str = "", reference: str = "") -> IMeta:
    rows, name, first_line = _rows_from(source)
    _check_columns(rows, name)
    problems: list[str] = []
    nodes: list[Group | Indicator] = []
    groups: list[str] = []
    dens: list[str] = []
    names: dict[str, str] = {}
    units: dict[str, str] = {}
    den_refs: list[tuple[str, str, str]] = []
    seen: dict[str, str] = {}
    for i, row in enumerate(rows):
        where = f"第 {i + first_line} 行 / row {i + first_line}" if first_line == 2 else f"row {i}"
        icode = _text(row, "iCode").strip()
        typ = _text(row, "Type").strip()
        where = f"{where} ({icode!r})" if icode else where
        if not icode or icode in _NA:
            problems.append(f"{where}: iCode 为空 / empty iCode")
            continue
        if icode in seen:
            problems.append(
                f"{where}: iCode 重复 / duplicate iCode {icode!r} (first at {seen[icode]})"
            )
            continue
        seen[icode] = where
        if typ not in _IMETA_TYPES:
            problems.append(
                f"{where}: Type {typ!r} 无效 / Type must be one of {list(_IMETA_TYPES)}"
            )
            continue
        iname = _coinr_text(row, "iName") or icode
        if typ == "Other":
            continue
        if typ in ("Group", "Denominator"):
            (groups if typ == "Group" else dens).append(icode)
            names[icode] = iname
            unit = _coinr_text(row, "Unit")
            if typ == "Denominator" and unit:
                units[icode] = unit
            continue
        values, row_problems = _node_values(row, typ, icode, iname, where)
        if typ == "Indicator" and values["denominator"] is not None:
            den_refs.append((where, icode, values["denominator"]))
        if row_problems:
            problems.extend(row_problems)
            continue
        model = Indicator if typ == "Indicator" else Group
        try:
            nodes.append(model.model_validate(values))
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, where))
    for where, _icode, den in den_refs:
        if den not in dens:
            problems.append(
                f"{where}: 分母 {den!r} 未声明 / Denominator {den!r} has no row of Type Denominator"
            )
    root = [n for n in nodes if n.parent is None]
    default_code = Path(name).stem if name not in ("<text>", "<rows>") else "imeta"
    meta: dict[str, Any] = {
        "code": code or default_code,
        "name_zh": name_zh or (root[0].name_zh if root else default_code),
        "name_en": name_en or (root[0].name_en if root else default_code),
        "version": version, "description": description, "reference": reference,
    }
    fw = _build(cls, meta, nodes, problems)
    if problems or fw is None:
        raise FrameworkError(problems, source=name)
    return IMeta(framework=fw, group_columns=tuple(groups), denominator_columns=tuple(dens),
                 names=names, units=units)


def _check_columns(rows: Sequence[Mapping[str, Any]], name: str) -> None:
    """Raise :class:`FrameworkError` unless the table has rows and every required column."""
    cols = set(rows[0]) if rows else set()
    missing = [c for c in _IMETA_REQUIRED if c not in cols]
    if not rows:
        raise FrameworkError("iMeta 表为空 / the iMeta table has no rows", source=name)
    if missing:
        raise FrameworkError(
            f"iMeta 缺少必需列 / missing required column(s) {missing}; "
            f"required: {list(_IMETA_REQUIRED)}",
            source=name,
        )


def _number(row: Mapping[str, str], col: str, where: str, out: list[str]) -> float | None:
    """Read the number in column ``col`` of an iMeta row; ``None`` if blank or bad.

    A value that is not a number or not finite adds a problem (naming ``where``)
    to ``out``.
    """
    try:
        v = _num(_text(row, col))
    except ValueError:
        out.append(f"{where}: {col} 不是数字 / {col} is not a number: {_text(row, col)!r}")
        return None
    if v is not None and not math.isfinite(v):
        out.append(f"{where}: {col} 不是有限数 / {col} must be finite: {v}")
        return None
    return v


def _node_values(row: Mapping[str, str], typ: str, icode: str, iname: str,
                 where: str) -> tuple[dict[str, Any], list[str]]:
    """Read the node fields of an ``Indicator`` or ``Aggregate`` iMeta row.

    Returns the field values for :class:`Indicator` or :class:`Group` and the
    row's problems (bad numbers, a bad ``Level``/``Direction``, an indicator not
    at level 1, an aggregate at level 1, half-given goalposts), in the order
    they are found.
    """
    row_problems: list[str] = []

    def number(col: str) -> float | None:
        return _number(row, col, where, row_problems)

    level_f = number("Level")
    direction = number("Direction")
    weight = number("Weight")
    level = None
    if level_f is None:
        row_problems.append(f"{where}: 缺少 Level / Level is missing")
    elif level_f != int(level_f) or level_f < 1:
        row_problems.append(
            f"{where}: Level 必须是正整数 / Level must be a positive integer, got {level_f}"
        )
    else:
        level = int(level_f)
    if typ == "Indicator" and level is not None and level != 1:
        row_problems.append(
            f"{where}: 指标必须在第 1 级 / an Indicator must be at Level 1, got {level}"
        )
    if typ == "Aggregate" and level == 1:
        row_problems.append(
            f"{where}: Aggregate 不能在第 1 级 / an Aggregate cannot be at Level 1"
        )
    if typ == "Indicator" and direction not in (1.0, -1.0):
        row_problems.append(
            f"{where}: Direction 只能是 1 或 -1 / Direction must be 1 or -1, "
            f"got {_text(row, 'Direction')!r}"
        )
    goal_lo, goal_hi = number("GoalLower"), number("GoalUpper")
    if (goal_lo is None) != (goal_hi is None):
        row_problems.append(
            f"{where}: GoalLower 与 GoalUpper 须同时给出 / give both GoalLower and GoalUpper"
        )
    values: dict[str, Any] = {
        "code": icode,
        "name_en": iname,
        "name_zh": _text(row, "iName_zh") or iname,
        "level": level if level is not None else 1,
        "parent": _coinr_text(row, "Parent"),
        "weight": weight,
        "description": _text(row, "Description"),
    }
    if typ == "Indicator":
        values.update(
            direction=int(direction) if direction in (1.0, -1.0) else 1,
            unit=_coinr_text(row, "Unit") or "",
            target=number("Target"),
            lower_bound=number("LowerBound"),
            upper_bound=number("UpperBound"),
            goalposts=None if goal_lo is None or goal_hi is None else (goal_lo, goal_hi),
            denominator=_coinr_text(row, "Denominator"),
            source=_text(row, "Source"),
            definition=_text(row, "Definition"),
            formula=_text(row, "Formula"),
            policy_task=_text(row, "PolicyTask") or None,
            reference=_text(row, "Reference"),
            goalposts_basis=_text(row, "GoalBasis"),
            applicability=_text(row, "Applicability"),
            zero_variance=_text(row, "ZeroVariance").strip() or None,
            rollup=_text(row, "Rollup").strip() or None,
            rollup_weight=_text(row, "RollupWeight").strip() or None,
        )
        bval = number("BenchmarkValue")
        if bval is not None:
            byear = number("BenchmarkYear")
            values["benchmark"] = {
                "value": bval,
                "year": int(byear) if byear is not None and byear.is_integer() else byear,
                "kind": _coinr_text(row, "BenchmarkKind") or "average",
                "source": _text(row, "BenchmarkSource"),
            }
    return values, row_problems


def _build(cls: type[Framework], meta: Mapping[str, Any], nodes: list[Group | Indicator],
           problems: list[str]) -> Framework | None:
    """Construct the framework; on failure add its problems to ``problems``, return ``None``."""
    try:
        return cls(**meta, nodes=tuple(nodes))
    except FrameworkError as exc:
        problems.extend(exc.problems)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, "framework metadata"))
    return None


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "NA"
    if isinstance(v, int):
        return str(v)
    return repr(float(v))


def imeta_rows(fw: Framework, *, groups: Iterable[str] = (),
               denominators: Iterable[str] = (),
               names: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """Return the iMeta rows of ``fw`` as string dicts with columns :data:`IMETA_COLUMNS`.

    Indicators first, then groups (as COINr's examples), then one ``Group`` row
    per name in ``groups`` and one ``Denominator`` row per name in
    ``denominators`` plus any denominator an indicator refers to.
    """
    names = dict(names or {})
    rows: list[dict[str, str]] = []

    def base(n: Group | Indicator) -> dict[str, str]:
        return {c: "" for c in IMETA_COLUMNS} | {
            "Level": str(n.level), "iCode": n.code, "iName": n.name_en,
            "Weight": _fmt(n.weight), "Parent": n.parent or "NA",
            "iName_zh": n.name_zh, "Description": n.description,
        }

    for ind in fw.indicators:
        gl, gu = ind.goalposts if ind.goalposts is not None else (None, None)
        rows.append(base(ind) | {
            "Direction": str(ind.direction), "Unit": ind.unit or "NA", "Target": _fmt(ind.target),
            "Denominator": ind.denominator or "NA", "Type": "Indicator",
            "LowerBound": _fmt(ind.lower_bound), "UpperBound": _fmt(ind.upper_bound),
            "GoalLower": _fmt(gl), "GoalUpper": _fmt(gu), "Source": ind.source,
            "Definition": ind.definition, "Formula": ind.formula,
            "PolicyTask": ind.policy_task or "", "Reference": ind.reference,
            "GoalBasis": ind.goalposts_basis, "Applicability": ind.applicability,
            "ZeroVariance": ind.zero_variance or "", "Rollup": ind.rollup or "",
            "RollupWeight": ind.rollup_weight or "",
        } | ({} if ind.benchmark is None else {
            "BenchmarkValue": _fmt(ind.benchmark.value), "BenchmarkYear": str(ind.benchmark.year),
            "BenchmarkKind": ind.benchmark.kind, "BenchmarkSource": ind.benchmark.source,
        }))
    for g in fw.groups:
        rows.append(base(g) | {"Direction": "1", "Unit": "NA", "Target": "NA",
                               "Denominator": "NA", "Type": "Aggregate"})
    referenced = [i.denominator for i in fw.indicators if i.denominator]
    den_all = list(dict.fromkeys([*denominators, *referenced]))
    for typ, codes in (("Group", list(dict.fromkeys(groups))), ("Denominator", den_all)):
        for c in codes:
            row = {col: "NA" for col in IMETA_COLUMNS[:10]}
            row |= {col: "" for col in IMETA_COLUMNS[10:]}
            rows.append(row | {"iCode": c, "iName": names.get(c, c), "Type": typ})
    return rows


def write_imeta(fw: Framework, path: str | Path | None = None, *, groups: Iterable[str] = (),
                denominators: Iterable[str] = (), names: Mapping[str, str] | None = None) -> str:
    """CSV text of :func:`imeta_rows` (RFC 4180: CRLF line ends, cells quoted when needed).

    Written to ``path`` (UTF-8) when given.  Reading it back with
    :func:`read_imeta` (with the same framework metadata) gives an equal framework.
    """
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(IMETA_COLUMNS)
    for r in imeta_rows(fw, groups=groups, denominators=denominators, names=names):
        w.writerow([r[c] for c in IMETA_COLUMNS])
    text = buf.getvalue()
    if path is not None:
        write_text_atomic(path, text, newline="")
    return text
