"""Render a :class:`~xiangcun_eval.report.model.Document` to Word.

Uses python-docx (``report`` extra), in the shape evaluation offices use: title
page block, numbered section headings in 黑体, body in 宋体 (East Asian font),
table captions above tables, figure captions below figures.
"""

from __future__ import annotations

import io
from typing import Any

from .._optional import require
from ..table import format_value
from .model import Bullets, Document, FigureBlock, Heading, Paragraph, TableBlock

__all__ = ["DOCX_MAX_ROWS", "render_docx"]

DOCX_MAX_ROWS = 400
"""Longest table written to Word; longer tables are cut with a note pointing
to the Excel workbook (a Word table of thousands of rows helps nobody)."""

BODY_FONT = ("Times New Roman", "宋体")
HEAD_FONT = ("Arial", "黑体")


def _set_fonts(style_or_run: Any, latin: str, east_asian: str) -> None:
    oxml_ns = require("docx.oxml.ns", extra="report", feature="Word report")
    style_or_run.font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(oxml_ns.qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(oxml_ns.qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(oxml_ns.qn("w:eastAsia"), east_asian)
    fonts.set(oxml_ns.qn("w:ascii"), latin)
    fonts.set(oxml_ns.qn("w:hAnsi"), latin)
    lang = rpr.find(oxml_ns.qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(oxml_ns.qn("w:lang"), {})
        rpr.append(lang)
    lang.set(oxml_ns.qn("w:eastAsia"), "zh-CN")


def _shade(cell: Any, fill: str) -> None:
    oxml_ns = require("docx.oxml.ns", extra="report", feature="Word report")
    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(oxml_ns.qn("w:shd"), {oxml_ns.qn("w:val"): "clear",
                                                 oxml_ns.qn("w:color"): "auto",
                                                 oxml_ns.qn("w:fill"): fill})
    tcpr.append(shd)


def _table(doc: Any, block: TableBlock, shared: Any) -> None:
    t = block.table
    n = len(t)
    limit = min(n, DOCX_MAX_ROWS if block.max_rows is None else block.max_rows)
    cap = doc.add_paragraph(block.caption, style="Caption")
    cap.alignment = shared.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=limit + 1, cols=len(t.columns))
    table.style = "Table Grid"
    cells = table._cells
    k = len(t.columns)
    cap.paragraph_format.keep_with_next = True
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(require("docx.oxml.ns", extra="report", feature="Word report")
                                 .qn("w:tblHeader"), {}))  # header row repeats on every page
    for j, name in enumerate(t.columns):
        c = cells[j]
        c.text = name
        c.paragraphs[0].runs[0].font.bold = True
        _shade(c, "DDEBF7")
    for i, row in enumerate(t.rows()):
        if i >= limit:
            break
        for j, v in enumerate(row):
            cells[(i + 1) * k + j].text = format_value(v, block.digits)
    if limit < n:
        doc.add_paragraph(f"(表中列出 {limit} 行, 共 {n} 行; 完整数据见 Excel 工作簿 / {limit} of "
                          f"{n} rows shown; the Excel workbook has them all)", style="Caption")


def render_docx(doc_model: Document) -> bytes:
    """Render the Word document as bytes."""
    docx = require("docx", extra="report", feature="Word report / Word 报告")
    shared = require("docx", extra="report", feature="Word report")
    require("docx.enum.text", extra="report", feature="Word report")
    units = require("docx.shared", extra="report", feature="Word report")
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = units.Cm(21.0), units.Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, units.Cm(2.2))
    _set_fonts(doc.styles["Normal"], *BODY_FONT)
    doc.styles["Normal"].font.size = units.Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        _set_fonts(doc.styles[name], *HEAD_FONT)
    center = shared.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph(doc_model.title, style="Title")
    title.alignment = center
    sub = doc.add_paragraph(doc_model.subtitle)
    sub.alignment = center
    meta = doc_model.meta
    info = doc.add_paragraph(f"xiangcun-eval {meta.get('version', '')} · {meta.get('date', '')}")
    info.alignment = center
    for k, s in enumerate(doc_model.sections, start=1):
        doc.add_heading(f"{k}. {s.title}", level=1)
        for b in s.blocks:
            if isinstance(b, Heading):
                doc.add_heading(b.text, level=min(b.level, 3))
            elif isinstance(b, Paragraph):
                p = doc.add_paragraph()
                run = p.add_run(b.text)
                if b.style == "formula":
                    _set_fonts(run, "Consolas", "宋体")
                    run.font.size = units.Pt(9)
                    p.paragraph_format.left_indent = units.Cm(1)
                elif b.style == "note":
                    run.font.size = units.Pt(9)
                    run.font.italic = True
            elif isinstance(b, Bullets):
                for item in b.items:
                    doc.add_paragraph(item, style="List Bullet")
            elif isinstance(b, TableBlock):
                _table(doc, b, shared)
            elif isinstance(b, FigureBlock):
                doc.add_picture(io.BytesIO(b.png), width=units.Cm(min(b.width_cm, 16.5)))
                doc.paragraphs[-1].alignment = center
                cap = doc.add_paragraph(b.caption, style="Caption")
                cap.alignment = center
    doc.core_properties.title = doc_model.title
    doc.core_properties.author = f"xiangcun-eval {meta.get('version', '')}"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
