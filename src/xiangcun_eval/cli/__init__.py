"""Command-line interface: ``xiangcun-eval <command> ...``.

One module per sub-command (``validate.py``, ``evaluate.py``,
``robustness.py`` ...).  Each registers itself through :func:`command` when
imported; :func:`main` imports every module of this package whose name does
not start with ``_``, so a new command is a new file and touches no shared
line.  ``_common.py`` holds the shared arguments and input loading,
``_registry.py`` the registry.

Exit codes: 0 = OK, 1 = the input has problems (rows rejected), 2 = usage
error or unreadable input (missing file, unknown framework), 130 =
interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import XiangcunError
from ._registry import COMMANDS, Command, CommandExit, command

__all__ = ["COMMANDS", "Command", "CommandExit", "build_parser", "command", "main"]


def load_commands() -> dict[str, Command]:
    """Import every command module of this package (idempotent) and return the registry."""
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    return COMMANDS


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with one subparser per registered command."""
    parser = argparse.ArgumentParser(
        prog="xiangcun-eval",
        description="数字乡村发展评价 / digital-village development evaluation",
    )
    parser.add_argument("--version", action="version", version=f"xiangcun-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in load_commands().values():
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
    except CommandExit as exc:
        return exc.code
    except XiangcunError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        return 0
    except OSError as exc:
        print(f"错误:无法读取 / error: cannot read: {exc}", file=sys.stderr)
        return 2
