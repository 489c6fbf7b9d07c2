"""Registry of report sections.

A section is one function of :class:`ReportInputs` (an
:class:`~xiangcun_eval.results.Evaluation` and optional results) returning
its blocks, or ``None`` when it does not apply (e.g. robustness without an
uncertainty result).  Sections are registered with :func:`section` and
assembled in ``order`` by :func:`build_document`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import OptionError
from .model import Block, Document, Section

if TYPE_CHECKING:
    from ..results import Evaluation
    from ..sensitivity.api import SensitivityResult, UncertaintyResult

__all__ = ["SECTION_MODULES", "ReportInputs", "SectionSpec", "build_document", "section",
           "sections"]

SECTION_MODULES: list[str] = ["xiangcun_eval.report.sections", "xiangcun_eval.analysis.sections"]
"""Modules imported before a document is built (each registers its sections)."""


@dataclass(frozen=True)
class ReportInputs:
    """What a section may draw on.

    Attributes
    ----------
    evaluation
        The evaluation reported on.
    uncertainty, sensitivity
        Optional robustness results.
    extra
        Further results by name (``"audit"``, ``"panel"``, ``"problems"``,
        ``"previous"`` ...), for sections added by other modules.
    top
        How many units the "top and bottom" lists show.
    charts
        Whether sections draw charts (needs the ``plot`` extra).
    """

    evaluation: Evaluation
    uncertainty: UncertaintyResult | None = None
    sensitivity: SensitivityResult | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    top: int = 10
    charts: bool = True


SectionFn = Callable[[ReportInputs], Sequence[Block] | None]


@dataclass(frozen=True)
class SectionSpec:
    """A registered section: its ``key``, ``title``, sort ``order`` and ``build`` function."""

    key: str
    title: str
    order: int
    build: SectionFn


_SECTIONS: dict[str, SectionSpec] = {}


def section(key: str, *, order: int, title: str) -> Callable[[SectionFn], SectionFn]:
    """Register a section builder under ``key`` (decorator).

    Re-registering a key replaces it.  Lower ``order`` comes first; the built-in
    sections use 10 (summary), 20 (data and method), 30 (overall results), 40
    (areas), 50 (target attainment), 60 (robustness), 90 (methods appendix).
    """

    def deco(fn: SectionFn) -> SectionFn:
        _SECTIONS[key] = SectionSpec(key, title, order, fn)
        return fn

    return deco


def sections() -> tuple[SectionSpec, ...]:
    """Every registered section, in order."""
    for mod in SECTION_MODULES:
        importlib.import_module(mod)
    return tuple(sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)))


def build_document(inputs: ReportInputs, *, only: Sequence[str] | None = None,
                   title: str | None = None) -> Document:
    """Run every registered section (or those in ``only``) and assemble the document."""
    ev = inputs.evaluation
    fw = ev.framework
    specs = sections()
    if only is not None:
        known = {s.key for s in specs}
        unknown = [k for k in only if k not in known]
        if unknown:
            raise OptionError(
                f"未知章节 / unknown report section(s) {unknown}; known: {sorted(known)}")
        specs = tuple(s for s in specs if s.key in only)
    built = []
    for spec in specs:
        blocks = spec.build(inputs)
        if blocks is not None:
            built.append(Section(spec.key, spec.title, tuple(blocks)))
    year = f"{ev.data.year}年 " if ev.data.year else ""
    meta = ev.metadata()
    meta["date"] = date.today().isoformat()
    return Document(
        title=title or f"{year}{fw.name_zh}评价报告",
        subtitle=f"{fw.name_en} — evaluation report ({ev.methodology.name})",
        sections=tuple(built),
        meta=meta,
    )
