"""The report's "several years" section."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_data
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.panel import evaluate_panel
from xiangcun_eval.report.model import FigureBlock, TableBlock
from xiangcun_eval.report.registry import ReportInputs, build_document
from xiangcun_eval.report.sections.panel import panel_section


def _panel():  # type: ignore[no-untyped-def]
    d = small_data(n=30)
    rng = np.random.default_rng(1)
    ys = {y: UnitData(framework=d.framework, units=d.units, names=d.names,
                      values=np.clip(d.values * rng.uniform(0.9, 1.1, d.values.shape), 0, 100),
                      groups=d.groups, year=y) for y in (2022, 2023)}
    return evaluate_panel(ys, reference="pooled")


def test_section_only_with_a_panel() -> None:
    p = _panel()
    assert panel_section(ReportInputs(p[2023])) is None
    blocks = panel_section(ReportInputs(p[2023], extra={"panel": p}, charts=False))
    assert blocks is not None
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert len(tables) == 4
    assert not any(isinstance(b, FigureBlock) for b in blocks)
    doc = build_document(ReportInputs(p[2023], extra={"panel": p}, charts=False))
    assert "panel" in [s.key for s in doc.sections]


def test_section_charts() -> None:
    pytest.importorskip("matplotlib")
    p = _panel()
    blocks = panel_section(ReportInputs(p[2023], extra={"panel": p}, top=5))
    assert blocks is not None
    assert sum(isinstance(b, FigureBlock) for b in blocks) == 3
