"""``xiangcun-eval validate``: check a submission file and report every problem."""

from __future__ import annotations

import argparse
import sys

from ..framework.model import Framework
from ..inputs.availability import availability
from ..inputs.problem_sheet import write_problems
from ..inputs.problems import SubmissionError, problems_table
from ..inputs.readers import QuarantineReport, resolve_framework
from ..io.files import check_target
from ._common import add_file_args, existing_file, output_path, read_file
from ._registry import command

__all__: list[str] = []


def _configure(p: argparse.ArgumentParser) -> None:
    add_file_args(p, "隔离模式:接受有效行,列出被拒收的行 / accept valid rows, list rejected rows")
    p.add_argument(
        "--max-problems",
        type=int,
        default=50,
        help="最多显示的问题数 / problems shown at most (default: 50)",
    )
    p.add_argument("--problems", default=None, metavar="OUT",
                   help="把问题清单写入 .xlsx(需 excel 扩展)或 .csv,发回各县 / write the "
                   "problems to .xlsx (excel extra) or .csv to send back to the counties")
    p.add_argument("--force", action="store_true",
                   help="覆盖已存在的输出文件 / overwrite an existing output file")


def _write_problems(args: argparse.Namespace, source: SubmissionError | QuarantineReport,
                    framework: str | Framework) -> None:
    if args.problems is None:
        return
    out = output_path(args, args.problems)
    fw = framework if isinstance(framework, Framework) else resolve_framework(framework)
    write_problems(source, out, fw, overwrite=args.force)
    print(f"问题清单已写入 / problems written to: {out}")


def _run(args: argparse.Namespace) -> int:
    path = existing_file(args.file)
    if args.problems is not None:
        check_target(output_path(args, args.problems), overwrite=args.force)
    if args.max_problems < 0:
        print("错误:--max-problems 不能为负 / error: --max-problems must not be negative",
              file=sys.stderr)
        return 2
    try:
        data, report = read_file(args, path)
    except SubmissionError as exc:
        rows = {p.row for p in exc.problems if p.row is not None}
        print(f"校验未通过 / validation failed: {path}")
        print(
            f"{len(exc.problems)} 个问题,涉及 {len(rows)} 行 / {len(exc.problems)} problem(s) "
            f"in {len(rows)} row(s)"
        )
        print(problems_table(exc.problems, limit=args.max_problems))
        _write_problems(args, exc, args.framework)
        return 1
    print(f"文件 / file: {path}")
    print(
        f"指标体系 / framework: {data.framework.code} ({len(data.indicator_codes)} 个指标 "
        "indicators)"
    )
    if report is not None:
        print(report.summary(limit=args.max_problems))
        _write_problems(args, report, data.framework)
    else:
        print(f"共 {data.n_units} 行,全部通过 / {data.n_units} rows, all valid")
    print()
    print(availability(data))
    if report is not None and report.n_accepted == 0:
        print("错误:所有行都被拒收 / error: every row was rejected", file=sys.stderr)
    return 1 if report is not None and (report.n_rejected or report.flagged) else 0


command("validate", "校验填报文件 / validate a submission file", _configure, _run)
