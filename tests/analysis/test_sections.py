"""The audit and disparity report sections: when they apply and what they say."""

from __future__ import annotations

import pytest

import xiangcun_eval as xe
from helpers import demo_evaluation
from xiangcun_eval.analysis.sections import audit_section, disparity_section
from xiangcun_eval.report.model import Bullets, FigureBlock, Paragraph, TableBlock
from xiangcun_eval.report.registry import ReportInputs


@pytest.fixture(scope="module")
def ev():  # type: ignore[no-untyped-def]
    return demo_evaluation()


@pytest.fixture(scope="module")
def dg(ev):  # type: ignore[no-untyped-def]
    return xe.analysis.dagum_gini(ev, by="region")


@pytest.mark.parametrize("extra", [{}, {"disparity": "not a result"}, {"audit": 1.0}])
def test_sections_do_not_apply_without_their_result(ev, extra) -> None:  # type: ignore[no-untyped-def]
    inputs = ReportInputs(ev, extra=extra, charts=False)
    assert disparity_section(inputs) is None
    assert audit_section(inputs) is None


def test_disparity_paragraph_states_the_decomposition(ev, dg) -> None:  # type: ignore[no-untyped-def]
    blocks = list(disparity_section(ReportInputs(ev, extra={"disparity": dg}, charts=False)))
    assert [type(b) for b in blocks] == [Paragraph, TableBlock, TableBlock]
    text = blocks[0].text  # type: ignore[union-attr]
    w, nb, t = (100 * dg.contributions).tolist()
    assert w + nb + t == pytest.approx(100.0)
    for part in (f"{dg.total:.3f}", f"{w:.1f}%", f"{nb:.1f}%", f"{t:.1f}%"):
        assert text.count(part) == 2, part  # once in Chinese, once in English
    assert "Dagum" in text
    assert " / " in text
    assert blocks[1].table == dg.table()  # type: ignore[union-attr]
    assert blocks[2].table == dg.groups_table()  # type: ignore[union-attr]


def test_disparity_adds_the_chart_when_charts_are_on(ev, dg) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    blocks = list(disparity_section(ReportInputs(ev, extra={"disparity": dg}, charts=True)))
    assert isinstance(blocks[-1], FigureBlock)
    assert blocks[-1].png.startswith(b"\x89PNG")


def test_audit_section_lists_the_summary_and_tables(ev) -> None:  # type: ignore[no-untyped-def]
    au = xe.audit(ev)
    blocks = list(audit_section(ReportInputs(ev, extra={"audit": au})))
    assert [type(b) for b in blocks] == [Paragraph, Bullets, TableBlock, TableBlock]
    assert "COINr 1.1.14" in blocks[0].text  # type: ignore[union-attr]
    summary = au.summary()
    assert blocks[1].items == tuple(f"{a}: {b}" for a, b in summary.rows())  # type: ignore[union-attr]
    assert len(blocks[1].items) == len(summary)  # type: ignore[union-attr]
    flags, rel = blocks[2], blocks[3]
    assert isinstance(flags, TableBlock)
    assert flags.table == au.flags()
    assert flags.max_rows == 40
    assert isinstance(rel, TableBlock)
    assert rel.table == au.reliability()
