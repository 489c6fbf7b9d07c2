"""Optional extras: a clear error naming the extra when it is missing."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval import MissingExtraError


def _block(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = builtins.__import__

    def fake(mod: str, *args: Any, **kwargs: Any) -> Any:
        if mod == name or mod.startswith(name + "."):
            raise ImportError(f"No module named {mod!r}")
        return real(mod, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, name, raising=False)
    monkeypatch.setattr(builtins, "__import__", fake)


def test_to_pandas_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    ev = xe.evaluate(small_data(n=10))
    _block(monkeypatch, "pandas")
    with pytest.raises(MissingExtraError, match=r"xiangcun-eval\[pandas\]"):
        ev.to_pandas()


def test_xlsx_without_openpyxl(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"PK\x03\x04not really")
    _block(monkeypatch, "openpyxl")
    with pytest.raises((MissingExtraError, xe.SubmissionError), match="excel"):
        xe.read_submissions(p, "dvd-2023")
