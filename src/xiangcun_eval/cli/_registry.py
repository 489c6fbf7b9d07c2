"""The sub-command registry of the ``xiangcun-eval`` command line.

A command module (one file per sub-command in :mod:`xiangcun_eval.cli`)
calls :func:`command` at import time; :func:`xiangcun_eval.cli.main`
imports every public module of the package, so adding a command is adding a
file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["COMMANDS", "Command", "CommandExit", "Configure", "Run", "command"]

Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    """One sub-command: its name, one-line help, argument setup and runner."""

    name: str
    help: str
    configure: Configure
    run: Run


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Configure, run: Run) -> None:
    """Register a sub-command: ``configure`` adds its arguments, ``run`` returns the exit code.

    Raises
    ------
    ValueError
        If another module already registered ``name``.
    """
    old = COMMANDS.get(name)
    if old is not None and (old.configure, old.run) != (configure, run):
        raise ValueError(f"command {name!r} registered twice")
    COMMANDS[name] = Command(name, help, configure, run)


class CommandExit(Exception):
    """Stop a command with an exit code after its messages were printed.

    Raised by shared helpers (e.g. :func:`xiangcun_eval.cli._common.load_inputs`)
    so that they can return one typed value; :func:`xiangcun_eval.cli.main`
    turns it into the exit code.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
