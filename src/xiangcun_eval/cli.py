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
def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="CSV / XLSX / JSON 填报文件 / submission file")
    p.add_argument("--framework", default="dvd-2023",
                   help="指标体系名称或文件 / framework name or file (default: dvd-2023)")
    p.add_argument("--quarantine", action="store_true",
                   help="隔离模式:接受有效行,列出被拒收的行 / "
                        "accept valid rows, list rejected rows")
    p.add_argument("--sheet", default=None, help="XLSX 工作表名 / sheet name (default: first)")
    p.add_argument("--max-problems", type=int, default=50,
                   help="最多显示的问题数 / problems shown at most (default: 50)")


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
            data, report = read_submissions(path, args.framework, mode="quarantine",
                                             sheet=args.sheet)
        else:
            data = read_submissions(path, args.framework, sheet=args.sheet)
            report = None
    except SubmissionError as exc:
        rows = {p.row for p in exc.problems if p.row is not None}
        print(f"校验未通过 / validation failed: {path}")
        print(f"{len(exc.problems)} 个问题,涉及 {len(rows)} 行 / {len(exc.problems)} problem(s) "
              f"in {len(rows)} row(s)")
        print(problems_table(exc.problems, limit=args.max_problems))
        return 1
    print(f"文件 / file: {path}")
    print(f"指标体系 / framework: {data.framework.code} ({len(data.indicator_codes)} 个指标 "
          "indicators)")
    if report is not None:
        print(report.summary(limit=args.max_problems))
    else:
        print(f"共 {data.n_units} 行,全部通过 / {data.n_units} rows, all valid")
    print()
    print(availability(data).table())
    return 1 if report is not None and report.n_rejected else 0


command("validate", "校验填报文件 / validate a submission file", _configure_validate, _run_validate)


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
