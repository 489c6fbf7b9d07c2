"""Reports (``report`` extra).

An evaluation and optional results are turned into a neutral document
(:mod:`.model`) by registered sections (:mod:`.registry`, :mod:`.sections`),
rendered to Word (:mod:`.docx`) and to one self-contained HTML file (:mod:`.html`).

Adding a section (other issues' analyses, panels ...)::

    from xiangcun_eval.report.model import Heading, Paragraph, TableBlock
    from xiangcun_eval.report.registry import ReportInputs, section

    @section("panel", order=45, title="历年变化 / change over the years")
    def panel_section(inputs: ReportInputs) -> list[Block] | None:
        panel = inputs.extra.get("panel")
        if panel is None:
            return None               # section left out
        return [Paragraph("..."), TableBlock(panel.table(), "...")]

and import the module from :mod:`xiangcun_eval.report.sections`.
"""

from .build import write_report
from .model import Block, Bullets, Document, FigureBlock, Heading, Paragraph, Section, TableBlock
from .registry import ReportInputs, SectionSpec, build_document, section, sections

__all__ = [
    "Block",
    "Bullets",
    "Document",
    "FigureBlock",
    "Heading",
    "Paragraph",
    "ReportInputs",
    "Section",
    "SectionSpec",
    "TableBlock",
    "build_document",
    "section",
    "sections",
    "write_report",
]
