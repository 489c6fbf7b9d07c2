"""The neutral document model every report renderer reads.

A :class:`Document` is a title, metadata and an ordered tuple of
:class:`Section` objects; a section holds blocks: :class:`Heading`,
:class:`Paragraph`, :class:`Bullets`, :class:`TableBlock` and
:class:`FigureBlock` (a chart already rendered to PNG, so renderers need no
plotting library).  Nothing here knows Word or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..table import Table

__all__ = [
    "Block",
    "Bullets",
    "Document",
    "FigureBlock",
    "Heading",
    "Paragraph",
    "Section",
    "TableBlock",
    "figure_block",
]


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (level 2 = sub-heading; the section title is level 1)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``style="formula"`` sets it apart (monospace), ``"note"`` smaller."""

    text: str
    style: Literal["body", "note", "formula"] = "body"


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table with a caption.

    ``sortable`` tables get clickable headers in HTML; ``max_rows`` cuts long
    tables (a note says how many rows there are).
    """

    table: Table
    caption: str
    sortable: bool = False
    max_rows: int | None = None
    digits: int = 2


@dataclass(frozen=True)
class FigureBlock:
    """A chart as PNG bytes with its caption and printed width in centimetres."""

    png: bytes = field(repr=False)
    caption: str
    width_cm: float = 15.0


Block = Heading | Paragraph | Bullets | TableBlock | FigureBlock


@dataclass(frozen=True)
class Section:
    """A numbered section of the document: its registry ``key``, title and blocks."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """The neutral report document that the Word and HTML renderers draw."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        """Return the section registered under ``key`` (``KeyError`` naming the keys otherwise)."""
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"no section {key!r}; sections: {[s.key for s in self.sections]}")

    def text(self) -> str:
        """All headings and paragraphs as plain text (for tests and previews)."""
        out = [self.title, self.subtitle]
        for s in self.sections:
            out.append(s.title)
            for b in s.blocks:
                if isinstance(b, Heading | Paragraph):
                    out.append(b.text)
                elif isinstance(b, Bullets):
                    out.extend(b.items)
                else:
                    out.append(b.caption)
        return "\n".join(out)


def figure_block(fig: Any, caption: str, *, width_cm: float = 15.0, dpi: int = 150) -> FigureBlock:
    """Render a matplotlib ``Figure`` to PNG and wrap it as a :class:`FigureBlock`."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return FigureBlock(buf.getvalue(), caption, width_cm)
