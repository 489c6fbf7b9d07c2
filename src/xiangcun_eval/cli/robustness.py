"""``xiangcun-eval uncertainty`` and ``xiangcun-eval sensitivity``: how robust is the ranking."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Literal

from ..sensitivity.api import sensitivity, uncertainty
from ..sensitivity.execution import RunOptions, mib
from ..sensitivity.executors import AnalysisInterrupted
from ..sensitivity.progress import TqdmProgress
from ..sensitivity.space import UncertaintySpace
from ..table import Table
from ._common import add_input_args, load_inputs, output_path
from ._registry import command

__all__: list[str] = []

Kind = Literal["uncertainty", "sensitivity"]


def _configure(p: argparse.ArgumentParser, default_n: int) -> None:
    add_input_args(p)
    p.add_argument("--space", required=True,
                   help="不确定性空间 TOML 文件 / uncertainty space TOML file")
    p.add_argument("-n", type=int, default=default_n,
                   help=f"重复次数 / replicates (sensitivity: base sample N) "
                        f"(default: {default_n})")
    p.add_argument("--seed", type=int, default=2023, help="随机种子 / seed (default: 2023)")
    p.add_argument("--workers", type=int, default=1,
                   help="并行进程数 / worker processes (default: 1 = in this process)")
    p.add_argument("--top", type=int, default=20, help="显示前 N 行 / rows shown (default: 20)")
    p.add_argument("--csv", default=None, help="把完整表写入 CSV / write the full table to CSV")
    p.add_argument("--progress", action="store_true",
                   help="总是显示进度条 / always show the progress bar")


def _run(args: argparse.Namespace, kind: Kind) -> int:
    for opt, value, least in (("--top", args.top, 0), ("-n", args.n, 1),
                              ("--workers", args.workers, 1)):
        if value < least:
            print(f"错误:{opt} 须 ≥ {least} / error: {opt} must be at least {least}, not {value}",
                  file=sys.stderr)
            return 2
    inputs = load_inputs(args)
    data, methodology = inputs.data, inputs.methodology
    space = UncertaintySpace.coerce(Path(args.space))
    bar = TqdmProgress("不确定性分析 / uncertainty" if kind == "uncertainty"
                       else "敏感性分析 / sensitivity", unit="rep" if kind == "uncertainty"
                       else "run", notebook=False, force=args.progress)
    executor = ProcessPoolExecutor(args.workers) if args.workers > 1 else None
    run = RunOptions(executor=executor, progress=bar)
    table: Table
    try:
        if kind == "uncertainty":
            res = uncertainty(data, methodology, space, n=args.n, seed=args.seed, run=run)
            table = res.table()
            print(table.head(args.top).render())
            print(f"内存估计 / memory estimate: {mib(res.memory_estimate)} "
                  f"(预算 / budget {mib(res.memory_budget)}); 排名分位数误差上限 / rank-quantile "
                  f"error bound: {res.rank_quantile_error:g}", file=sys.stderr)
            summary = res.shift_summary()
            print("排名变动 / rank shifts: " + ", ".join(f"{k} = {v:.2f}"
                                                        for k, v in summary.items()))
        else:
            sres = sensitivity(data, methodology, space, n=args.n, seed=args.seed, run=run)
            table = sres.table()
            print(table.render())
    except AnalysisInterrupted as exc:
        print(f"\n已中断 / interrupted: {exc}", file=sys.stderr)
        partial = getattr(exc, "partial", None)
        if partial is not None:
            print(partial.table().head(args.top).render())
        return 130
    finally:
        bar.close()
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    if args.csv:
        table.to_csv(output_path(args, args.csv), overwrite=args.force)
        print(f"已写入 / written: {args.csv}")
    return 0


def _configure_uncertainty(p: argparse.ArgumentParser) -> None:
    _configure(p, 1000)


def _run_uncertainty(args: argparse.Namespace) -> int:
    return _run(args, "uncertainty")


def _configure_sensitivity(p: argparse.ArgumentParser) -> None:
    _configure(p, 256)


def _run_sensitivity(args: argparse.Namespace) -> int:
    return _run(args, "sensitivity")


command("uncertainty", "不确定性分析: 排名区间 / uncertainty analysis: rank intervals",
        _configure_uncertainty, _run_uncertainty)
command("sensitivity", "全局敏感性分析: Sobol 指数 / global sensitivity analysis: Sobol indices",
        _configure_sensitivity, _run_sensitivity)
