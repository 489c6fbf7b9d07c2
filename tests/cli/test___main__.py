"""``python -m xiangcun_eval.cli`` (cli/__main__.py): same commands, exit codes passed on."""

from __future__ import annotations

import subprocess
import sys

import xiangcun_eval as xe


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xiangcun_eval.cli", *args],
                          capture_output=True, text=True, encoding="utf-8", check=False)


def test_module_entry_point_runs_main() -> None:
    ok = _run("--version")
    assert ok.returncode == 0
    assert ok.stdout.strip() == f"xiangcun-eval {xe.__version__}"


def test_module_entry_point_exit_code_and_no_traceback() -> None:
    bad = _run("evaluate", "/nonexistent/file.csv")
    assert bad.returncode == 2
    assert "file not found" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr
