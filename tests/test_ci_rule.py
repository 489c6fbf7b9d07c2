"""The CI rule of tests/conftest.py: a skip for a missing package fails when CI is set."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conftest import _fail_in_ci


def _skip(reason: str) -> SimpleNamespace:
    return SimpleNamespace(skipped=True, outcome="skipped", longrepr=("t.py", 1, reason))


def test_missing_peer_library_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    r = _skip("Skipped: could not import 'SALib': No module named 'SALib'")
    _fail_in_ci(r)
    assert r.outcome == "failed"
    assert "install the 'test' extra" in r.longrepr


def test_other_skips_and_local_runs_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    r = _skip("Skipped: needs a display")
    _fail_in_ci(r)
    assert r.outcome == "skipped"
    monkeypatch.delenv("CI")
    r = _skip("Skipped: could not import 'SALib': No module named 'SALib'")
    _fail_in_ci(r)
    assert r.outcome == "skipped"
