"""``xiangcun-eval report``: the evaluation report as Word or HTML.

Word (.docx) or one self-contained HTML file (.html), optionally with a
robustness section.
"""

from __future__ import annotations

import argparse
import time

from ..evaluate import evaluate
from ..report.build import write_report
from ..sensitivity.api import sensitivity, uncertainty
from ..sensitivity.space import UncertaintySpace
from ._common import add_input_args, load_inputs, output_path
from ._registry import command

__all__: list[str] = []


def _configure(p: argparse.ArgumentParser) -> None:
    add_input_args(p)
    p.add_argument("-o", "--output", required=True,
                   help="报告文件 .docx 或 .html / report file, .docx or .html")
    p.add_argument("--space", default=None,
                   help="不确定性空间 TOML: 加入稳健性章节 / uncertainty space TOML: adds the "
                        "robustness section")
    p.add_argument("-n", type=int, default=1000,
                   help="不确定性分析重复次数 / uncertainty replicates (default: 1000)")
    p.add_argument("--sobol-n", type=int, default=0,
                   help="Sobol 基础样本数 N (0 = 不做敏感性分析) / Sobol base sample N "
                        "(0 = no sensitivity analysis; default 0)")
    p.add_argument("--seed", type=int, default=2023, help="随机种子 / seed (default: 2023)")
    p.add_argument("--top", type=int, default=10,
                   help="前/后 N 名 / units in the top and bottom lists (default: 10)")
    p.add_argument("--title", default=None, help="报告标题 / report title")
    p.add_argument("--no-charts", action="store_true", help="不画图 / leave out the charts")


def _run(args: argparse.Namespace) -> int:
    inputs = load_inputs(args)
    out = output_path(args, args.output)
    t0 = time.perf_counter()
    ev = evaluate(inputs.data, inputs.methodology)
    ua = sa = None
    if args.space:
        space = UncertaintySpace.from_toml(args.space)
        ua = uncertainty(inputs.data, inputs.methodology, space, n=args.n, seed=args.seed)
        if args.sobol_n:
            sa = sensitivity(inputs.data, inputs.methodology, space, n=args.sobol_n,
                             seed=args.seed)
    extra = {"problems": inputs.report} if inputs.report is not None else {}
    write_report(ev, out, uncertainty=ua, sensitivity=sa, extra=extra, title=args.title,
                 top=args.top, charts=not args.no_charts, overwrite=args.force)
    print(f"已写入 / written: {out} ({time.perf_counter() - t0:.1f} s)")
    return 0


command("report", "生成评价报告 (Word 或 HTML) / write the evaluation report (Word or HTML)",
        _configure, _run)
