import pytest

from helpers import demo_evaluation
from xiangcun_eval.report.model import Bullets, FigureBlock, Paragraph, TableBlock
from xiangcun_eval.report.registry import ReportInputs
from xiangcun_eval.report.sections.core import (
    areas,
    attainment,
    data_and_method,
    grade_counts,
    overall,
    summary,
)


@pytest.fixture(scope="module")
def inputs():
    return ReportInputs(demo_evaluation(), charts=False, top=5)


def test_summary_names_top_three_and_grades(inputs):
    ev = inputs.evaluation
    blocks = summary(inputs)
    text = blocks[0].text
    order = ev.ranking(top=3).column("名称 name")
    assert "、".join(order) in text
    counts = grade_counts(inputs)
    assert sum(c for _, c in counts) == len(ev.units)
    assert isinstance(blocks[1], Bullets)


def test_overall_top_bottom_and_full_ranking(inputs):
    blocks = overall(inputs)
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    top, bottom = tables[1].table, tables[2].table
    assert top.column("排名 rank") == (1, 2, 3, 4, 5)
    assert len(bottom) == 5
    assert bottom.column("排名 rank")[-1] == len(inputs.evaluation.units)
    assert tables[-1].sortable
    assert len(tables[-1].table) == len(inputs.evaluation.units)
    assert not any(isinstance(b, FigureBlock) for b in blocks)  # charts off


def test_areas_attainment_and_method(inputs):
    ab = areas(inputs)
    assert any("Highest mean" in b.text for b in ab if isinstance(b, Paragraph))
    assert len(next(b for b in ab if isinstance(b, TableBlock)).table) == 10
    at = attainment(inputs)
    assert at is not None
    assert "targets" in at[0].text
    dm = data_and_method(inputs)[0]
    assert any("minmax" in i for i in dm.items)


def test_charts_are_embedded_when_on():
    blocks = overall(ReportInputs(demo_evaluation(), top=3))
    figs = [b for b in blocks if isinstance(b, FigureBlock)]
    assert len(figs) == 3
    assert all(f.png.startswith(b"\x89PNG") for f in figs)


def test_validation_counts_from_a_quarantine_report(tmp_path):
    import xiangcun_eval as xe
    from helpers import DEMO

    lines = DEMO.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1].replace(",80.4,", ",180.4,", 1), *lines[2:120]]),
                   encoding="utf-8")
    res = xe.read_submissions(bad, "dvd-2023", mode="quarantine")
    ev = xe.evaluate(res.data)
    items = data_and_method(ReportInputs(ev, extra={"problems": res.report}, charts=False))[0]
    assert any("119 rows read, 118 accepted, 1 rejected" in i for i in items.items)
