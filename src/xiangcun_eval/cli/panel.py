"""``xiangcun-eval panel FILE FILE ...``: several years on a common reference.

Each file is one year's submissions (strictly validated).  Prints the index
by year, the units whose rank rose most between the first and last year, the
mean index change with each area's contribution, and the grade transitions;
``-o`` writes the long table (year, unit, score, rank, grade).

Exit codes: 0 OK; 1 a file fails validation; 2 usage error or a panel that
cannot be formed (e.g. unit codes unmatched between years).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from ..inputs.problems import SubmissionError, problems_table
from ..inputs.readers import read_submissions
from ..methodology import as_methodology
from ..panel import Crosswalk, evaluate_panel
from ..table import Table
from ._common import existing_file
from ._registry import CommandExit, command

__all__: list[str] = []

_BASES = ("per_year", "base", "pooled")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", help="各年填报文件 / one submission file per year")
    p.add_argument("--reference", required=True,
                   choices=("goalposts", "base", "pooled", "per_year"),
                   help="共同参照 / common reference (see docs/panel.md)")
    p.add_argument("--base-year", type=int, default=None, help="基期 / base year (default: first)")
    p.add_argument("--framework", default="dvd-2023", help="指标体系 / framework")
    p.add_argument("--methodology", default=None, help="方法设定 TOML / methodology file")
    p.add_argument("--impute-basis", choices=_BASES, default="per_year")
    p.add_argument("--treat-basis", choices=_BASES, default=None)
    p.add_argument("--weights-basis", choices=_BASES, default=None)
    p.add_argument("--crosswalk", default=None,
                   help="代码对照表 CSV (old_code,new_code) / code crosswalk CSV")
    p.add_argument("--allow-unmatched", nargs="*", default=None, metavar="CODE",
                   help="允许进入/退出的单位 (不给代码 = 全部) / units allowed to enter or "
                   "leave (no code = any)")
    p.add_argument("--by", default=None, help="按分组列给出转移矩阵 / transitions by group")
    p.add_argument("--top", type=int, default=10, help="显示的单位数 / units shown")
    p.add_argument("-o", "--output", default=None, help="长表 CSV / long table CSV")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite the output")


def _run(args: argparse.Namespace) -> int:
    paths = [existing_file(f) for f in args.files]
    data = {}
    for path in paths:
        try:
            d = read_submissions(path, args.framework)
        except SubmissionError as exc:
            print(f"校验未通过 / validation failed: {path}")
            print(problems_table(exc.problems, limit=30))
            raise CommandExit(1) from None
        if d.year is None or d.year in data:
            print(f"错误:{path} 的年份 {d.year} 缺失或重复 / error: the year of {path} "
                  f"({d.year}) is missing or given twice", file=sys.stderr)
            raise CommandExit(2)
        data[d.year] = d
    m = as_methodology(args.methodology or None)
    unmatched: str | list[str] = "error"
    if args.allow_unmatched is not None:
        unmatched = list(args.allow_unmatched) or "allow"
    cw = Crosswalk.from_csv(existing_file(args.crosswalk)) if args.crosswalk else None
    panel = evaluate_panel(data, m, reference=args.reference, base_year=args.base_year,
                           impute_basis=args.impute_basis, treat_basis=args.treat_basis,
                           weights_basis=args.weights_basis, crosswalk=cw,
                           unmatched=unmatched)
    print(panel.summary())
    if len(panel.years) > 1:
        s, e = panel.years[0], panel.years[-1]
        ch = panel.changes(s, e)
        col = next(c for c in ch.columns if "rank change" in c)
        rc = np.array([np.nan if v is None else v for v in ch.column(col)], dtype=float)
        order = np.argsort(-np.nan_to_num(rc, nan=-np.inf), kind="stable")[: args.top]
        keep = [c for c in ch.columns if "CAGR" not in c]
        print()
        print(Table.from_columns({c: [ch.column(c)[i] for i in order] for c in keep},
                                 title=f"排名上升最多 / moved up most {s}→{e}"))
        dec = panel.decomposition(s, e)
        print()
        print(Table.from_columns({"项目 item": list(dec.columns[2:]),
                                  "平均 mean": [dec.column(c)[-1] for c in dec.columns[2:]]},
                                 title=f"指数平均变化与各领域贡献 / mean index change {s}→{e}"))
        tr = panel.transitions(by=args.by)
        for t in (tr.values() if isinstance(tr, dict) else [tr]):
            print()
            print(t.table())
        moves = panel.entering_leaving()
        if len(moves):
            print()
            print(moves)
    if args.output:
        out = Path(args.output)
        if any(out.exists() and out.resolve() == p.resolve() for p in paths):
            print(f"错误:输出会覆盖输入文件 {out} / error: the output would overwrite an input "
                  f"file {out}", file=sys.stderr)
            raise CommandExit(2)
        panel.table().to_csv(out, overwrite=args.force)
        print(f"\n已写出 / wrote {out}")
    return 0


command("panel", "多年评价 (共同参照) / several years on a common reference", _configure, _run)
