"""Command-line interface: ``xiangcun-eval <command> ...``.

Commands register themselves in :data:`COMMANDS` through :func:`command`;
each gets its own subparser and returns an exit code.  Exit codes: 0 = OK,
1 = the input has problems (rows rejected), 2 = usage error or unreadable
input (missing file, unknown framework).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import XiangcunError

__all__ = ["COMMANDS", "command", "main"]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


def command(name: str, help: str, configure: Configure, run: Run) -> None:
    """Register a subcommand: ``configure`` adds its arguments, ``run`` returns the exit code.

    Other modules add their commands the same way (``evaluate``, ``report``, ...).
    """
    COMMANDS[name] = Command(name, help, configure, run)


# ----------------------------------------------------------------- validate
def _add_file_args(p: argparse.ArgumentParser, quarantine_help: str) -> None:
    """The submission file and how to read it (every command that reads one)."""
    p.add_argument("file", help="CSV / XLSX / JSON 填报文件 / submission file")
    p.add_argument(
        "--framework",
        default="dvd-2023",
        help="指标体系名称或文件 / framework name or file (default: dvd-2023)",
    )
    p.add_argument("--quarantine", action="store_true", help=quarantine_help)
    p.add_argument("--sheet", default=None, help="XLSX 工作表名 / sheet name (default: first)")


def _configure_validate(p: argparse.ArgumentParser) -> None:
    _add_file_args(p, "隔离模式:接受有效行,列出被拒收的行 / accept valid rows, list rejected rows")
    p.add_argument(
        "--max-problems",
        type=int,
        default=50,
        help="最多显示的问题数 / problems shown at most (default: 50)",
    )


def _run_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .inputs.availability import availability
    from .inputs.problems import SubmissionError, problems_table
    from .inputs.readers import read_submissions

    path = Path(args.file)
    if not path.is_file():
        print(f"错误:找不到文件 {path} / error: file not found: {path}", file=sys.stderr)
        return 2
    try:
        if args.quarantine:
            data, report = read_submissions(
                path, args.framework, mode="quarantine", sheet=args.sheet
            )
        else:
            data = read_submissions(path, args.framework, sheet=args.sheet)
            report = None
    except SubmissionError as exc:
        rows = {p.row for p in exc.problems if p.row is not None}
        print(f"校验未通过 / validation failed: {path}")
        print(
            f"{len(exc.problems)} 个问题,涉及 {len(rows)} 行 / {len(exc.problems)} problem(s) "
            f"in {len(rows)} row(s)"
        )
        print(problems_table(exc.problems, limit=args.max_problems))
        return 1
    print(f"文件 / file: {path}")
    print(
        f"指标体系 / framework: {data.framework.code} ({len(data.indicator_codes)} 个指标 "
        "indicators)"
    )
    if report is not None:
        print(report.summary(limit=args.max_problems))
    else:
        print(f"共 {data.n_units} 行,全部通过 / {data.n_units} rows, all valid")
    print()
    print(availability(data).table())
    return 1 if report is not None and report.n_rejected else 0


command("validate", "校验填报文件 / validate a submission file", _configure_validate, _run_validate)


# ----------------------------------------------------------------- evaluate
def _add_input_args(p: argparse.ArgumentParser) -> None:
    _add_file_args(p, "只评价通过校验的行 / evaluate the valid rows, list the rejected ones")
    p.add_argument(
        "--methodology",
        default=None,
        help="方法设定 TOML 文件 / methodology TOML file (default: the documented default)",
    )


def _configure_evaluate(p: argparse.ArgumentParser) -> None:
    _add_input_args(p)
    p.add_argument(
        "--top",
        type=int,
        default=20,
        help="显示前 N 名 / show the first N of the ranking (default: 20)",
    )
    p.add_argument(
        "--province", default=None, help="只显示某省 / show only one province's ranking (e.g. 浙江)"
    )
    p.add_argument("--csv", default=None, help="把完整结果写入 CSV / write full results to CSV")
    p.add_argument("--json", default=None, help="把完整结果写入 JSON / write full results to JSON")


def _load_inputs(args: argparse.Namespace) -> tuple[object, object] | int:
    """Read and validate the input file; an int is an exit code after printing problems."""
    from pathlib import Path

    from .inputs.problems import SubmissionError, problems_table
    from .inputs.readers import read_submissions
    from .methodology import Methodology

    path = Path(args.file)
    if not path.is_file():
        print(f"错误:找不到文件 {path} / error: file not found: {path}", file=sys.stderr)
        return 2
    methodology = (
        Methodology() if args.methodology is None else Methodology.from_toml(Path(args.methodology))
    )
    try:
        if args.quarantine:
            data, report = read_submissions(
                path, args.framework, mode="quarantine", sheet=args.sheet
            )
            print(report.summary(limit=20))
        else:
            data = read_submissions(path, args.framework, sheet=args.sheet)
    except SubmissionError as exc:
        print(f"校验未通过, 未评价 / validation failed, nothing evaluated: {path}")
        print(problems_table(exc.problems, limit=50))
        print(
            "修正后重试, 或用 --quarantine 只评价通过的行 / fix the file, or use --quarantine "
            "to evaluate the valid rows only"
        )
        return 1
    return data, methodology


def _run_evaluate(args: argparse.Namespace) -> int:
    from collections import Counter

    from .evaluate import evaluate
    from .inputs.data import UnitData
    from .methodology import Methodology

    loaded = _load_inputs(args)
    if isinstance(loaded, int):
        return loaded
    data, methodology = loaded
    assert isinstance(data, UnitData) and isinstance(methodology, Methodology)
    ev = evaluate(data, methodology)
    fw = data.framework
    print(
        f"{fw.name_zh} / {fw.name_en} — {data.n_units} 个单位 units, {data.year or ''} "
        f"年 year, 方法 methodology: {methodology.name}"
    )
    notes = sorted({n for n in data.groups.get("data_note", ()) if n})
    if notes:
        print("数据说明 / data note: " + "; ".join(notes[:3])
              + (f" (+{len(notes) - 3})" if len(notes) > 3 else ""))
    group = f"province={args.province}" if args.province else None
    print(ev.ranking(top=args.top, group=group).render())
    counts = Counter(ev.grade_labels())
    print()
    print(
        "等级分布 / grade distribution: "
        + ", ".join(
            f"{lab}: {counts.get(lab, 0)}"
            for lab in dict.fromkeys(
                f"{z} / {e}"
                for z, e in zip(
                    methodology.grading.labels_zh, methodology.grading.labels_en, strict=True
                )
            )
        )
    )
    if args.csv:
        ev.to_csv(args.csv)
        print(f"已写入 / written: {args.csv}")
    if args.json:
        ev.to_json(args.json)
        print(f"已写入 / written: {args.json}")
    return 0


command("evaluate", "评价并排名 / evaluate, rank and grade", _configure_evaluate, _run_evaluate)


# ------------------------------------------------------ uncertainty / sensitivity
class _ProgressBar:
    """A one-line text progress bar on stderr (only when stderr is a terminal,
    unless forced)."""

    def __init__(self, label: str, *, force: bool = False) -> None:
        self.label = label
        self.enabled = force or sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        pct = int(100 * done / total)
        if pct == self.last and done < total:
            return
        self.last = pct
        filled = pct * 30 // 100
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {pct:3d}% "
                         f"({done}/{total})")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _configure_robustness(p: argparse.ArgumentParser, default_n: int) -> None:
    _add_input_args(p)
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


def _run_robustness(args: argparse.Namespace, kind: str) -> int:
    from concurrent.futures import ProcessPoolExecutor

    from .inputs.data import UnitData
    from .methodology import Methodology
    from .sensitivity.api import sensitivity, uncertainty
    from .sensitivity.executors import AnalysisInterrupted
    from .sensitivity.space import UncertaintySpace

    loaded = _load_inputs(args)
    if isinstance(loaded, int):
        return loaded
    data, methodology = loaded
    assert isinstance(data, UnitData) and isinstance(methodology, Methodology)
    space = UncertaintySpace.from_toml(args.space)
    bar = _ProgressBar("不确定性分析 / uncertainty" if kind == "uncertainty"
                       else "敏感性分析 / sensitivity", force=args.progress)
    executor = ProcessPoolExecutor(args.workers) if args.workers > 1 else None
    try:
        if kind == "uncertainty":
            res = uncertainty(data, methodology, space, n=args.n, seed=args.seed,
                              executor=executor, progress=bar)
            table = res.table()
            print(table.head(args.top).render())
            summary = res.shift_summary()
            print("排名变动 / rank shifts: " + ", ".join(f"{k} = {v:.2f}"
                                                        for k, v in summary.items()))
        else:
            sres = sensitivity(data, methodology, space, n=args.n, seed=args.seed,
                               executor=executor, progress=bar)
            table = sres.table()
            print(table.render())
    except AnalysisInterrupted as exc:
        print(f"\n已中断 / interrupted: {exc}", file=sys.stderr)
        partial = getattr(exc, "partial", None)
        if partial is not None:
            print(partial.table().head(args.top).render())
        return 130
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    if args.csv:
        table.to_csv(args.csv)
        print(f"已写入 / written: {args.csv}")
    return 0


command("uncertainty", "不确定性分析: 排名区间 / uncertainty analysis: rank intervals",
        lambda p: _configure_robustness(p, 1000), lambda a: _run_robustness(a, "uncertainty"))
command("sensitivity", "全局敏感性分析: Sobol 指数 / global sensitivity analysis: Sobol indices",
        lambda p: _configure_robustness(p, 256), lambda a: _run_robustness(a, "sensitivity"))


# --------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per registered command."""
    parser = argparse.ArgumentParser(
        prog="xiangcun-eval",
        description="数字乡村发展评价 / digital-village development evaluation",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``xiangcun-eval`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command].run(args)
    except XiangcunError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        return 0
    except OSError as exc:
        print(f"错误:无法读取 / error: cannot read: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
