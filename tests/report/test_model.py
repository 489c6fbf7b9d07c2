import pytest

from xiangcun_eval.report.model import (
    Bullets,
    Document,
    FigureBlock,
    Heading,
    Paragraph,
    Section,
    TableBlock,
    figure_block,
)
from xiangcun_eval.table import Table


def test_document_text_and_lookup():
    t = Table.from_columns({"a": [1]})
    doc = Document("标题", "sub", (
        Section("s1", "第一节", (Heading("小标题"), Paragraph("正文"), Bullets(("甲", "乙")),
                                 TableBlock(t, "表一"), FigureBlock(b"png", "图一"))),
    ))
    assert doc.text().splitlines() == ["标题", "sub", "第一节", "小标题", "正文", "甲", "乙",
                                       "表一", "图一"]
    assert doc.section("s1").title == "第一节"
    with pytest.raises(KeyError, match="s2"):
        doc.section("s2")


def test_figure_block_renders_png():
    from matplotlib.figure import Figure

    fig = Figure()
    fig.subplots().plot([1, 2])
    b = figure_block(fig, "图", width_cm=10)
    assert b.png.startswith(b"\x89PNG")
    assert b.width_cm == 10
