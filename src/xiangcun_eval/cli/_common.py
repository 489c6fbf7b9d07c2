"""Arguments and input loading shared by the sub-commands.

Imports are at module level (see docs/architecture.md, "Imports"): the
package is imported eagerly anyway, so deferring them would save nothing.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..inputs.data import UnitData
from ..inputs.problems import SubmissionError, SubmissionWarning, problems_table
from ..inputs.readers import QuarantineReport, read_submissions
from ..methodology import Methodology, as_methodology
from ._registry import CommandExit

__all__ = ["Inputs", "add_file_args", "add_input_args", "existing_file", "load_inputs",
           "output_path", "read_file"]


def add_file_args(p: argparse.ArgumentParser, quarantine_help: str) -> None:
    """Add the submission file and how to read it (every command that reads one)."""
    p.add_argument("file", help="CSV / XLSX / JSON 填报文件 / submission file")
    p.add_argument(
        "--framework",
        default="dvd-2023",
        help="指标体系名称或文件 / framework name or file (default: dvd-2023)",
    )
    p.add_argument("--quarantine", action="store_true", help=quarantine_help)
    p.add_argument("--cell-level", action="store_true",
                   help="与 --quarantine 合用:坏单元格按缺失处理,保留该县 / with --quarantine: "
                   "bad cells become missing and the county stays in")
    p.add_argument("--sheet", default=None, help="XLSX 工作表名 / sheet name (default: first)")
    p.add_argument("--columns", default=None, metavar="MAP",
                   help="列映射文件(TOML 或两列 CSV:表头,列名) / column mapping file (TOML or "
                   "two-column CSV header,column)")
    p.add_argument("--header-row", type=int, default=None, metavar="N",
                   help="表头所在行(默认自动识别标题行) / row of the header (default: found "
                   "automatically below title rows)")
    p.add_argument("--accept-fractions", action="store_true",
                   help="百分比列全部在 [0,1] 时按比例读入并乘以 100 / read percentage columns "
                   "holding only values in [0, 1] as fractions (multiplied by 100)")


def read_file(args: argparse.Namespace, path: Path) -> tuple[UnitData, QuarantineReport | None]:
    """Read the submission file with the options in ``args``; warnings are printed.

    Raises
    ------
    SubmissionError
        As :func:`~xiangcun_eval.inputs.readers.read_submissions`.
    CommandExit
        Code 2 for ``--cell-level`` without ``--quarantine``.
    """
    if args.cell_level and not args.quarantine:
        print("错误:--cell-level 须与 --quarantine 一起使用 / error: --cell-level needs "
              "--quarantine", file=sys.stderr)
        raise CommandExit(2)
    if args.columns is not None:
        existing_file(args.columns)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SubmissionWarning)
        if args.quarantine:
            res = read_submissions(
                path, args.framework, mode="quarantine", sheet=args.sheet, columns=args.columns,
                header_row=args.header_row, accept_fractions=args.accept_fractions,
                reject="cell" if args.cell_level else "row")
            data, report = res.data, res.report
        else:
            data, report = read_submissions(
                path, args.framework, sheet=args.sheet, columns=args.columns,
                header_row=args.header_row, accept_fractions=args.accept_fractions), None
    for w in caught:
        if isinstance(w.message, SubmissionWarning) and report is None:
            print(f"警告 / warning: {w.message.problem.message}")
    return data, report


def add_input_args(p: argparse.ArgumentParser) -> None:
    """Add the submission file arguments plus ``--methodology`` (commands that score)."""
    add_file_args(p, "只评价通过校验的行 / evaluate the valid rows, list the rejected ones")
    p.add_argument(
        "--methodology",
        default=None,
        help="方法设定 TOML 文件 / methodology TOML file (default: the documented default)",
    )
    p.add_argument("--force", action="store_true",
                   help="覆盖已存在的输出文件 / overwrite existing output files")


def output_path(args: argparse.Namespace, name: str) -> Path:
    """Resolve an output file named on the command line.

    Refused (exit 2) when it is the input file itself (``--force`` never
    overwrites the input).
    """
    out = Path(name)
    if out.exists() and out.resolve() == Path(args.file).resolve():
        print(f"错误:输出会覆盖输入文件 {out} / error: the output would overwrite the input "
              f"file {out}", file=sys.stderr)
        raise CommandExit(2)
    return out


def existing_file(name: str) -> Path:
    """``name`` as a path; prints a bilingual message and exits with 2 if it is not a file.

    Raises
    ------
    CommandExit
        Code 2 when the file does not exist.
    """
    path = Path(name)
    if not path.is_file():
        print(f"错误:找不到文件 {path} / error: file not found: {path}", file=sys.stderr)
        raise CommandExit(2)
    return path


@dataclass(frozen=True)
class Inputs:
    """What a scoring command works on: validated data and the methodology."""

    path: Path
    data: UnitData
    methodology: Methodology
    report: QuarantineReport | None = None


def load_inputs(args: argparse.Namespace) -> Inputs:
    """Read and validate the submission file and the methodology named in ``args``.

    Raises
    ------
    CommandExit
        Code 2 when the file is missing, code 1 (after printing every
        problem) when the file fails validation in strict mode.
    """
    path = existing_file(args.file)
    methodology = as_methodology(None if args.methodology is None else Path(args.methodology))
    try:
        data, report = read_file(args, path)
        if report is not None:
            print(report.summary(limit=20))
    except SubmissionError as exc:
        print(f"校验未通过, 未评价 / validation failed, nothing evaluated: {path}")
        print(problems_table(exc.problems, limit=50))
        print(
            "修正后重试, 或用 --quarantine 只评价通过的行 / fix the file, or use --quarantine "
            "to evaluate the valid rows only"
        )
        raise CommandExit(1) from None
    return Inputs(path, data, methodology, report)
