"""Smoke tests: every example script runs to the end and writes its outputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    "journey_1_validate_evaluate.py": ([], ["结果.csv", "结果.xlsx"]),
    "journey_2_compare_weightings.py": ([], ["compare_equal.csv", "compare_entropy.csv"]),
    "journey_3_robustness.py": (["64"], ["ranking_intervals.png", "sobol.png"]),
    "journey_4_report.py": ([], ["报告.docx", "报告.html"]),
}


def test_every_example_is_covered():
    assert sorted(p.name for p in EXAMPLES.glob("journey_*.py")) == sorted(CASES)


@pytest.mark.parametrize("script", sorted(CASES))
def test_example_runs(script, tmp_path):
    extra, outputs = CASES[script]
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), str(tmp_path), *extra],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    for name in outputs:
        assert (tmp_path / name).stat().st_size > 0, name
