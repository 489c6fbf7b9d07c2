"""``xiangcun-eval report``."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import DEMO
from xiangcun_eval.cli import main


def test_report_html_and_docx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    html = tmp_path / "报告.html"
    assert main(["report", str(DEMO), "-o", str(html), "--no-charts", "--top", "5"]) == 0
    text = html.read_text(encoding="utf-8")
    assert "总体结果 / Overall results" in text
    assert "稳健性" not in text
    assert "written" in capsys.readouterr().out
    assert main(["report", str(DEMO), "-o", str(html), "--no-charts"]) == 2  # exists
    assert "--force" in capsys.readouterr().err
    space = tmp_path / "space.toml"
    space.write_text('[[factors]]\nkind = "weight_noise"\nlevels = [3]\nnoise = 0.2\n',
                     encoding="utf-8")
    docx = tmp_path / "报告.docx"
    rc = main(["report", str(DEMO), "-o", str(docx), "--space", str(space), "-n", "50",
               "--sobol-n", "16", "--no-charts"])
    assert rc == 0, capsys.readouterr()
    import docx as python_docx

    d = python_docx.Document(str(docx))
    assert any("稳健性 / Robustness" in p.text for p in d.paragraphs)
    assert any("敏感性分析" in p.text for p in d.paragraphs)


def test_report_bad_suffix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["report", str(DEMO), "-o", str(tmp_path / "r.pdf"), "--no-charts"]) == 2
    assert ".docx or .html" in capsys.readouterr().err
