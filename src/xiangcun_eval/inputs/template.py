"""Submission templates (填报模板): a sheet to fill that validates with no mapping.

:func:`write_template` writes

* XLSX (``excel`` extra): sheet ``填报`` with Chinese headers (name + unit)
  in row 1 and the codes in row 2 (a second header row, skipped by the
  reader), data validation on every column (county code: text of 6 digits;
  year: whole number; indicators: decimal within the framework's bounds,
  percentages as numbers 0-100 with an input prompt saying so), one row per
  county when codes are given (code, name, province and year filled in);
  sheet ``指标说明`` with each indicator's code, names, unit, direction,
  bounds, definition, formula, source department and policy task;
* CSV (UTF-8 with BOM, for those without Excel): the same two header rows
  and county rows.

The headers are the forms :mod:`~xiangcun_eval.inputs.headers` accepts, so
a filled template is read by :func:`~xiangcun_eval.inputs.readers.read_submissions`
as it is.  Text cells are neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import OptionError
from ..framework.model import Framework, Indicator
from ..io.files import check_target, write_bytes_atomic
from ..io.safety import neutralise
from .codes import PROVINCES, check_code, normalise_code_text
from .county import resolve_framework

__all__ = ["UNIT_HEADERS", "indicator_header", "template_rows", "write_template"]

UNIT_HEADERS: tuple[tuple[str, str], ...] = (
    ("county_code", "县级代码"), ("county_name", "县(市、区)"), ("province", "省份"),
    ("year", "年份"),
)
"""Canonical unit columns and the Chinese header the template gives them."""
_EXTRA_ROWS = 1000
"""Rows with data validation when no county list is given."""


def indicator_header(ind: Indicator) -> str:
    """``name_zh(unit)``, or the bare name for indicators without a unit."""
    return f"{ind.name_zh}({ind.unit})" if ind.unit else ind.name_zh


def _counties(counties: Mapping[str, str] | Iterable[str] | None) -> list[tuple[str, str]]:
    if counties is None:
        return []
    if isinstance(counties, str):
        raise OptionError("counties 须为代码列表或 代码→县名 映射,而不是一个字符串 / counties must "
                          "be a list of codes or a code -> name mapping, not one string")
    pairs = (list(counties.items()) if isinstance(counties, Mapping)
             else [(c, "") for c in counties])
    out: list[tuple[str, str]] = []
    for code, name in pairs:
        c = normalise_code_text(str(code))
        why = check_code(c)
        if why is not None:
            raise OptionError(f"县级代码 {code!r}: {why[0]} / county code {code!r}: {why[1]}")
        out.append((c, str(name)))
    return out


def template_rows(framework: Framework, counties: Mapping[str, str] | Iterable[str] | None = None,
                  *, year: int | None = None) -> list[list[Any]]:
    """The template as rows: Chinese header, code row, one row per county."""
    inds = framework.indicators
    rows: list[list[Any]] = [
        [h for _, h in UNIT_HEADERS] + [indicator_header(i) for i in inds],
        [c for c, _ in UNIT_HEADERS] + [i.code for i in inds],
    ]
    for code, name in _counties(counties):
        prov = PROVINCES.get(code[:2])
        rows.append([code, name, prov.name_zh if prov else "", year if year else ""]
                    + [""] * len(inds))
    return rows


def write_template(
    path: str | Path, framework: Framework | str = "dvd-2023", *,
    counties: Mapping[str, str] | Iterable[str] | None = None, year: int | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a submission template to fill (``.xlsx`` or ``.csv``).

    Parameters
    ----------
    path
        ``.xlsx`` (needs the ``excel`` extra) or ``.csv`` (UTF-8 with BOM).
    framework
        A :class:`Framework` or a built-in name.
    counties
        County codes, or a mapping code -> county name: one row each.
    year
        Filled in on every county row.
    overwrite
        Replace an existing file (default: refuse with ``OutputExistsError``).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OptionError
        A county code that is not a GB/T 2260 county-level code, a year that
        is not a whole number, or a suffix other than ``.xlsx`` / ``.csv``.
    """
    fw = resolve_framework(framework)
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise OptionError(f"year 须为整数,而不是 {year!r} / year must be an integer, not {year!r}")
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise OptionError(f"模板须为 .xlsx 或 .csv: {target.name} / the template must be .xlsx or "
                          f".csv: {target.name}")
    check_target(target, overwrite=overwrite)
    rows = template_rows(fw, counties, year=year)
    if suffix == ".csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(
            [[neutralise(v) for v in r] for r in rows])
        data = buf.getvalue().encode("utf-8-sig")
    else:
        data = _xlsx(fw, rows)
    write_bytes_atomic(target, data, overwrite=overwrite)
    return target


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def _xlsx(fw: Framework, rows: Sequence[Sequence[Any]]) -> bytes:
    from .._optional import require

    openpyxl = require("openpyxl", extra="excel", feature="填报模板 / submission template")
    styles = require("openpyxl.styles", extra="excel", feature="submission template")
    dv_mod = require("openpyxl.worksheet.datavalidation", extra="excel",
                     feature="submission template")
    get_letter = openpyxl.utils.get_column_letter
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "填报"
    for r in rows:
        ws.append([neutralise(v) for v in r])
    n_units = len(rows) - 2
    last = 2 + (n_units if n_units else _EXTRA_ROWS)
    bold = styles.Font(bold=True)
    grey = styles.Font(color="808080", size=8)
    for c in ws[1]:
        c.font = bold
        c.alignment = styles.Alignment(wrap_text=True, vertical="center")
    for c in ws[2]:
        c.font = grey
    ws.freeze_panes = "E3"
    ws.row_dimensions[1].height = 48

    def add(dv: Any, col: int) -> None:
        letter = get_letter(col)
        dv.add(f"{letter}3:{letter}{last}")
        ws.add_data_validation(dv)

    code_dv = dv_mod.DataValidation(type="textLength", operator="equal", formula1="6",
                                    allow_blank=True)
    code_dv.prompt, code_dv.promptTitle = "6 位县级代码,文本格式 / six-digit code, text", "县级代码"
    code_dv.error = "县级代码应为 6 位数字 / the county code has 6 digits"
    add(code_dv, 1)
    for i in range(3, last + 1):
        ws.cell(row=i, column=1).number_format = "@"
    year_dv = dv_mod.DataValidation(type="whole", operator="between", formula1="1949",
                                    formula2="2100", allow_blank=True)
    year_dv.error = "四位年份 / a four-digit year"
    add(year_dv, 4)
    for j, ind in enumerate(fw.indicators, start=5):
        lo, hi = ind.lower_bound, ind.upper_bound
        if ind.is_percentage:
            lo, hi = (0.0 if lo is None else lo), (100.0 if hi is None else hi)
        if lo is not None and hi is not None:
            dv = dv_mod.DataValidation(type="decimal", operator="between", formula1=_fmt(lo),
                                       formula2=_fmt(hi), allow_blank=True)
        elif lo is not None:
            dv = dv_mod.DataValidation(type="decimal", operator="greaterThanOrEqual",
                                       formula1=_fmt(lo), allow_blank=True)
        elif hi is not None:
            dv = dv_mod.DataValidation(type="decimal", operator="lessThanOrEqual",
                                       formula1=_fmt(hi), allow_blank=True)
        else:
            dv = dv_mod.DataValidation(type="decimal", operator="between", formula1="-1E+300",
                                       formula2="1E+300", allow_blank=True)
        rng = f"[{_fmt(lo) or '-∞'}, {_fmt(hi) or '+∞'}]"
        tip = ("填 0-100 的数(80.4 表示 80.4%),不要用百分比格式 / a number 0-100 "
               "(80.4 means 80.4 %), not a percent-formatted cell" if ind.is_percentage
               else f"单位 / unit: {ind.unit or '-'};范围 / range {rng}")
        dv.promptTitle = ind.code[:32]
        dv.prompt = (tip + ";无数据留空 / leave empty if no data")[:255]
        dv.error = f"须在 {rng} 内 / must lie in {rng}"[:225]
        add(dv, j)
        ws.column_dimensions[get_letter(j)].width = 16
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 14
    _definitions(wb.create_sheet("指标说明"), fw, bold)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _definitions(ws: Any, fw: Framework, bold: Any) -> None:
    ws.append(["指标代码 code", "指标名称", "indicator", "单位 unit", "方向 direction",
               "下界 lower", "上界 upper", "定义 definition", "计算方法 formula",
               "数据来源部门 source department", "重点任务 policy task"])
    for ind in fw.indicators:
        task = ""
        if ind.policy_task and ind.policy_task in fw:
            task = f"{ind.policy_task} {fw[ind.policy_task].name_zh}"
        ws.append([neutralise(v) for v in (
            ind.code, ind.name_zh, ind.name_en, ind.unit, "正向 +" if ind.direction > 0
            else "逆向 -", ind.lower_bound, ind.upper_bound, ind.definition, ind.formula,
            ind.source, task)])
    for c in ws[1]:
        c.font = bold
    for letter, w in zip("ABCDEFGHIJK", (30, 24, 30, 10, 10, 8, 8, 60, 40, 28, 30),
                         strict=True):
        ws.column_dimensions[letter].width = w
    ws.freeze_panes = "B2"
