"""Generate realistic reporting-system exports (模拟数据 / synthetic) to exercise intake.

Two files of the same 100 synthetic counties (values from
:func:`make_demo_data.generate`, seeded), shaped like the exports a
provincial office gets from a reporting system:

``export_counties_2023_gbk.csv``
    GBK-encoded CSV (Excel/WPS "CSV" on Chinese Windows); a title line and
    a 填报说明 line above the header; Chinese headers with units
    (``5G网络通达行政村比例(%)``) and unit-column aliases (``行政区划代码``,
    ``县(市、区)``, ``省份``, ``年度``); extra columns (``填报单位``,
    ``联系人``, ``备注``); trailing empty columns (``,,``); county codes with
    Excel's apostrophe text marker on some rows.
``export_counties_2023.xlsx``
    The same table with a merged title row, percentage indicators stored as
    fractions in percent-formatted cells (``0.0%``: Excel's 80.4 % is 0.804),
    extra columns.

Both carry the same few bad cells (:data:`BAD_CELLS`), each a different
kind: a decimal comma, a unit typed into the cell, a date in a numeric
column, a percentage above 100, a negative count.  In quarantine mode with
``reject="cell"`` those cells become missing and every county stays in.

Usage::

    python examples/make_export_files.py            # writes examples/data/export_*
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_demo_data import generate

from xiangcun_eval.framework import Framework

N_COUNTIES = 100
SEED = 20240315
TITLE = "2023年度县域数字乡村发展水平评价填报汇总表(模拟数据 / synthetic data)"
NOTE = "填报说明:百分比按 0-100 填写;无数据留空;本表为 examples/make_export_files.py 生成的模拟数据"
EXTRA = ("填报单位", "联系人", "备注")
BAD_CELLS: tuple[tuple[int, str, str], ...] = (
    (3, "pct", "0,5"),            # decimal comma
    (11, "amount", "12元"),        # unit typed into the cell
    (27, "amount", "2023-05-01"),  # a date in a numeric column
    (42, "pct", "120"),            # percentage above 100
    (64, "amount", "-5"),          # below the lower bound 0
)
"""(county index, kind of indicator, text): the bad cells of both files."""


def _targets(fw: Framework) -> dict[str, str]:
    pct = next(i for i in fw.indicators if i.is_percentage)
    amount = next(i for i in fw.indicators
                  if not i.is_percentage and i.lower_bound == 0 and i.upper_bound is None)
    return {"pct": pct.code, "amount": amount.code}


def export_table(fw: Framework, *, seed: int = SEED) -> tuple[list[str], list[list[str]]]:
    """Header (Chinese, with units) and rows (text) of the synthetic export."""
    cols = generate(fw, N_COUNTIES, seed=seed)
    rng = np.random.default_rng(seed + 1)
    header = ["行政区划代码", "县(市、区)", "省份", "年度"]
    header += [f"{i.name_zh}({i.unit})" if i.unit else i.name_zh for i in fw.indicators]
    header += list(EXTRA)
    where = _targets(fw)
    rows: list[list[str]] = []
    for r in range(N_COUNTIES):
        code = str(cols["county_code"][r])
        row = [("'" + code) if rng.random() < 0.1 else code, str(cols["county_name"][r]),
               str(cols["province"][r]), str(cols["year"][r])]
        row += [str(cols[i.code][r]) for i in fw.indicators]
        row += [f"{row[1]}农业农村局", "张三" if r % 2 else "李四", "" if r % 7 else "数据待核"]
        rows.append(row)
    codes = list(fw.indicator_codes)
    for r, kind, text in BAD_CELLS:
        rows[r][4 + codes.index(where[kind])] = text
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """GBK CSV with a title line, a note line and trailing empty columns (as Excel writes)."""
    width = len(header) + 2
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([TITLE] + [""] * (width - 1))
    w.writerow([NOTE] + [""] * (width - 1))
    w.writerows([[*r, "", ""] for r in [header, *rows]])
    path.write_bytes(buf.getvalue().encode("gbk"))


def write_xlsx(path: Path, fw: Framework, header: list[str], rows: list[list[str]]) -> None:
    """XLSX with a merged title row and percent-formatted fractions."""
    import openpyxl

    pct_cols = {4 + j for j, i in enumerate(fw.indicators) if i.is_percentage}
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = datetime.datetime(2024, 3, 15)
    ws = wb.active
    ws.title = "汇总表"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for r, row in enumerate(rows, start=3):
        for c, text in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            value: object = text
            try:
                number = float(text)
            except ValueError:
                number = None
            if c > 4 and number is not None and c - 1 < 4 + len(fw.indicators):
                value = number
                if c - 1 in pct_cols:
                    value = round(number / 100, 6)
                    cell.number_format = "0.0%"
            cell.value = value if text != "" else None
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    """Command line: write both export files."""
    from xiangcun_eval.framework.registry import load_framework

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    fw = load_framework("dvd-2023")
    header, rows = export_table(fw, seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "export_counties_2023_gbk.csv", header, rows)
    write_xlsx(args.out / "export_counties_2023.xlsx", fw, header, rows)
    print(f"wrote {N_COUNTIES} synthetic counties to {args.out}/export_counties_2023*")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
