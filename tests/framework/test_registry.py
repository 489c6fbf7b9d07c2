"""load_framework and the shipped weight files: by name, by path, unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.errors import FrameworkError
from xiangcun_eval.framework.registry import builtin_path, load_framework, weights_path


def test_by_name_and_by_path() -> None:
    fw = load_framework("pku-4d")
    assert load_framework(builtin_path("pku-4d")) == fw


def test_unknown_name_lists_the_builtins() -> None:
    with pytest.raises(FrameworkError, match="dvd-2023"):
        load_framework("no-such-framework")


def test_weights_path_finds_shipped_files() -> None:
    p = weights_path("equal")
    assert isinstance(p, Path)
    assert p.is_file()
