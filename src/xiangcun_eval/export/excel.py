"""The Excel workbook (``excel`` extra, openpyxl).

Everything an evaluation office hands on, one sheet per table.

Sheets: 排名 ranking (score, rank, grade, ranks within province and
region, conditional fill by grade), one sheet of scores per aggregate level
(areas, tasks ...), 标准化指标 normalised indicators, 原始数据 raw values,
目标达成 target attainment, 权重 effective weights, 方法 methodology (every
choice, digests, version), 数据问题 data problems, and — when given —
不确定性 uncertainty (rank intervals, grade probabilities) and 敏感性
sensitivity (Sobol indices).

Every sheet has a frozen header row, column widths that fit Chinese text
(East Asian wide characters count twice), number formats (ranks and counts
as integers, scores with 2 decimals, shares as percentages), and text cells
neutralised against formula injection.  The file is built in memory and
written atomically; an existing file is replaced only with
``overwrite=True``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._optional import require
from ..inputs.quarantine import QuarantineReport
from ..io.files import check_target, write_bytes_atomic
from ..io.safety import neutralise
from ..io.text import display_width
from ..table import Table
from .columns import GRADE_COLOURS, code_of
from .frames import grade_names, level_name, level_table, unit_table, weights_table

if TYPE_CHECKING:
    from ..analysis.audit import Audit
    from ..inputs.problems import Problem
    from ..results import Evaluation
    from ..sensitivity.api import SensitivityResult, UncertaintyResult

__all__ = ["GRADE_FILLS", "display_width", "methodology_table", "problems_table_of",
           "workbook_sheets", "write_excel"]

GRADE_FILLS = GRADE_COLOURS
"""Fill colours of grade bands, best first (:data:`~xiangcun_eval.export.columns.GRADE_COLOURS`)."""

_INT_HINTS = ("rank", "n_", "count", "数")


def _number_format(header: str, values: Sequence[Any]) -> str | None:
    code = code_of(header).lower()
    nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not nums:
        return None
    if all(isinstance(v, int) for v in nums):
        return "0"
    if "share" in code or "prob" in code or code.startswith("p_"):
        return "0.0%"
    if code.startswith("rank") and all(float(v).is_integer() for v in nums):
        return "0"
    return "0.00"


def methodology_table(ev: Evaluation) -> Table:
    """Build the 方法 sheet: every methodology choice, framework, digests, library version.

    Methodology choices are flattened to ``key = value``.
    """
    meta = ev.metadata()
    keys: list[str] = []
    vals: list[str] = []

    def add(k: str, v: Any) -> None:
        keys.append(k)
        vals.append(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))

    add("库 library", f"xiangcun-eval {meta['version']}")
    add("指标体系 framework", f"{ev.framework.code}: {ev.framework.name_zh} / "
        f"{ev.framework.name_en}")
    add("指标体系摘要 framework sha256", meta["framework_digest"])
    add("数据摘要 data sha256", meta["data_digest"])
    add("方法设定摘要 methodology sha256", meta["methodology_digest"])
    add("单位数 units", str(meta["n_units"]))
    add("年份 year", str(meta["year"]))

    def walk(prefix: str, obj: Any) -> None:
        if isinstance(obj, dict) and obj:
            for k, v in obj.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        else:
            add(f"方法 methodology.{prefix}", obj)

    walk("", meta["methodology"])
    return Table.from_columns({"项目 item": keys, "取值 value": vals},
                              title="方法设定 / methodology")


def problems_table_of(problems: Sequence[Problem] | QuarantineReport | None) -> Table:
    """Tabulate data problems; one "none" row when there are none.

    The problems are a list of :class:`~xiangcun_eval.inputs.problems.Problem`
    or a quarantine report.
    """
    items: list[Problem] = []
    if isinstance(problems, QuarantineReport):
        items.extend(problems.warnings)
        for r in problems.rejected:
            items.extend(r.problems)
    elif problems is not None:
        items.extend(problems)
    cols: dict[str, list[Any]] = {
        "行 row": [p.row for p in items],
        "代码 code": [p.county for p in items],
        "指标 indicator": [p.indicator for p in items],
        "值 value": [p.value for p in items],
        "问题 problem": [p.what for p in items],
        "修正 fix": [p.fix for p in items],
        "类别 kind": [p.kind for p in items],
    }
    if not items:
        cols = {k: [None] for k in cols}
        cols["问题 problem"] = ["无问题 / no problems recorded"]
    return Table.from_columns(cols, title="数据问题 / data problems")


def workbook_sheets(ev: Evaluation, *, uncertainty: UncertaintyResult | None = None,
                    sensitivity: SensitivityResult | None = None,
                    problems: Sequence[Problem] | QuarantineReport | None = None,
                    lang: str = "zh", audit: Audit | None = None) -> list[tuple[str, Table]]:
    """(sheet name, table) of every sheet, in workbook order."""
    fw = ev.framework
    sheets: list[tuple[str, Table]] = [("排名 ranking", unit_table(ev, lang=lang, nodes=False))]
    for lev in range(fw.max_level - 1, 1, -1):
        sheets.append((f"{level_name(ev, lev)}得分 {level_name(ev, lev, 'en')}"[:31],
                       level_table(ev, lev, lang=lang)))
    sheets.append(("标准化指标 normalised", level_table(ev, 1, lang=lang)))
    sheets.append(("原始数据 raw values", level_table(ev, 1, measure="value", lang=lang)))
    if any(ind.target is not None for ind in fw.indicators):
        sheets.append(("目标达成 attainment", ev.attainment_table()))
    sheets.append(("权重 weights", weights_table(ev, lang=lang)))
    sheets.append(("方法 methodology", methodology_table(ev)))
    sheets.append(("数据问题 problems", problems_table_of(problems)))
    if uncertainty is not None:
        sheets.append(("不确定性 uncertainty", uncertainty.table()))
    if sensitivity is not None:
        sheets.append(("敏感性 sensitivity", sensitivity.table()))
    if audit is not None:
        sheets.extend(audit.sheets())
    return sheets


def _write_sheet(ws: Any, table: Table, *, grade_col: str | None, grades: Sequence[str]) -> None:
    """Fill a write-only worksheet.

    Widths and frozen header first (write-only sheets take them before any row),
    then styled header and body cells.
    """
    rule = require("openpyxl.formatting.rule", extra="excel", feature="to_excel")
    styles = require("openpyxl.styles", extra="excel", feature="to_excel")
    utils = require("openpyxl.utils", extra="excel", feature="to_excel")
    cell_mod = require("openpyxl.cell", extra="excel", feature="to_excel")
    FormulaRule, get_column_letter = rule.FormulaRule, utils.get_column_letter
    Alignment, Font, PatternFill = styles.Alignment, styles.Font, styles.PatternFill
    WriteOnlyCell = cell_mod.WriteOnlyCell

    n = len(table)
    formats: list[str | None] = []
    for j, (name, col) in enumerate(zip(table.columns, table.data, strict=True), start=1):
        fmt = _number_format(name, col)
        formats.append(fmt)
        sample = [str(v) for v in col[:2000] if v is not None]
        body = max((display_width(s) for s in sample), default=0)
        if fmt in ("0.00", "0.0%"):
            body = min(body, 10)
        width = max(body, min(display_width(name), 24)) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 6), 60)
    ws.freeze_panes = "A2"
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    head = []
    for name in table.columns:
        c = WriteOnlyCell(ws, neutralise(name))
        c.font, c.fill, c.alignment = bold, header_fill, wrap
        head.append(c)
    ws.append(head)
    # one styled template cell per number format; body cells copy its style id
    templates = {f: WriteOnlyCell(ws, 0) for f in set(formats) if f is not None}
    for fmt_name, tmpl in templates.items():
        tmpl.number_format = fmt_name
    for r in table.rows():
        out: list[Any] = []
        for v, f in zip(r, formats, strict=True):
            if f is not None and isinstance(v, int | float) and not isinstance(v, bool):
                cell = WriteOnlyCell(ws, v)
                cell._style = templates[f]._style
                out.append(cell)
            else:
                out.append(neutralise(v))
        ws.append(out)
    if n and grade_col is not None and grade_col in table.columns:
        j = table.columns.index(grade_col) + 1
        letter = get_column_letter(j)
        rng = f"{letter}2:{letter}{n + 1}"
        for g, colour in zip(grades, GRADE_FILLS, strict=False):
            ws.conditional_formatting.add(
                rng, FormulaRule(formula=[f'${letter}2="{g}"'],
                                 fill=PatternFill("solid", bgColor=colour, fgColor=colour)))


def write_excel(ev: Evaluation, path: str | Path, *, uncertainty: UncertaintyResult | None = None,
                sensitivity: SensitivityResult | None = None,
                problems: Sequence[Problem] | QuarantineReport | None = None,
                lang: str = "zh", overwrite: bool = False, audit: Audit | None = None) -> Path:
    """Write the workbook (see the module docstring); returns the path.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``overwrite`` is false.
    MissingExtraError
        openpyxl is not installed (``excel`` extra).
    """
    openpyxl = require("openpyxl", extra="excel", feature="to_excel")
    target = check_target(path, overwrite=overwrite)
    wb = openpyxl.Workbook(write_only=True)
    from .columns import check_lang, fixed

    grade_col = fixed("grade").label(check_lang(lang))
    grades = grade_names(ev, "zh" if lang == "zh" else "en")
    for name, table in workbook_sheets(ev, uncertainty=uncertainty, sensitivity=sensitivity,
                                       problems=problems, lang=lang, audit=audit):
        ws = wb.create_sheet(name)
        _write_sheet(ws, table, grade_col=grade_col, grades=grades)
    wb.properties.title = f"{ev.framework.name_zh} / {ev.framework.name_en}"
    wb.properties.creator = f"xiangcun-eval {ev.version}"
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(target, buf.getvalue(), overwrite=overwrite)
    return target
