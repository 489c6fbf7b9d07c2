"""The sub-command registry: registration, discovery, the exit signal."""

from __future__ import annotations

import argparse

import pytest

from xiangcun_eval.cli import COMMANDS, build_parser, load_commands, main
from xiangcun_eval.cli._registry import CommandExit, command


def test_every_command_module_registers() -> None:
    names = set(load_commands())
    assert {"validate", "evaluate", "uncertainty", "sensitivity"} <= names
    help_text = build_parser().format_help()
    for name in names:
        assert name in help_text


def test_load_commands_is_idempotent() -> None:
    before = dict(load_commands())
    assert load_commands() == before


def test_a_name_registered_twice_by_different_code_is_refused() -> None:
    def configure(p: argparse.ArgumentParser) -> None:
        pass

    with pytest.raises(ValueError, match="registered twice"):
        command("validate", "x", configure, lambda a: 0)


def test_command_exit_becomes_the_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(args: argparse.Namespace) -> int:
        raise CommandExit(7)

    load_commands()
    monkeypatch.setitem(COMMANDS, "validate", COMMANDS["validate"].__class__(
        "validate", "v", COMMANDS["validate"].configure, run))
    assert main(["validate", "x.csv"]) == 7
    assert CommandExit(3).code == 3
