"""``xiangcun-eval validate``: check a submission file and report every problem."""

from __future__ import annotations

import argparse

from ..inputs.availability import availability
from ..inputs.problems import SubmissionError, problems_table
from ..inputs.readers import read_submissions
from ._common import add_file_args, existing_file
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


def _run(args: argparse.Namespace) -> int:
    path = existing_file(args.file)
    try:
        if args.quarantine:
            res = read_submissions(path, args.framework, mode="quarantine", sheet=args.sheet)
            data, report = res.data, res.report
        else:
            data, report = read_submissions(path, args.framework, sheet=args.sheet), None
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


command("validate", "校验填报文件 / validate a submission file", _configure, _run)
