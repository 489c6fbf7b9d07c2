"""``xiangcun-eval template``: write a submission template to fill (XLSX or CSV)."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from ..inputs.template import write_template
from ._common import existing_file
from ._registry import command

__all__: list[str] = []


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--framework", default="dvd-2023",
                   help="指标体系名称或文件 / framework name or file (default: dvd-2023)")
    p.add_argument("-o", "--output", required=True,
                   help="模板文件 .xlsx(需 excel 扩展)或 .csv / template file .xlsx (excel "
                   "extra) or .csv")
    p.add_argument("--counties", default=None, metavar="CSV",
                   help="县名单 CSV:第一列代码,第二列县名(可选) / county list CSV: code, "
                   "optional name")
    p.add_argument("--year", type=int, default=None, help="填报年份 / year filled in")
    p.add_argument("--force", action="store_true",
                   help="覆盖已存在的输出文件 / overwrite an existing output file")


def _read_counties(path: Path) -> dict[str, str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    out: dict[str, str] = {}
    for rec in csv.reader(text.splitlines()):
        cells = [c.strip() for c in rec]
        if not cells or not cells[0] or not any(ch.isdigit() for ch in cells[0]):
            continue  # blank or header line
        out[cells[0]] = cells[1] if len(cells) > 1 else ""
    return out


def _run(args: argparse.Namespace) -> int:
    counties = _read_counties(existing_file(args.counties)) if args.counties else None
    out = write_template(args.output, args.framework, counties=counties, year=args.year,
                         overwrite=args.force)
    n = len(counties) if counties else 0
    print(f"模板已写入 / template written: {out}" + (f"({n} 个县 / counties)" if n else ""))
    return 0


command("template", "生成填报模板 / write a submission template", _configure, _run)
