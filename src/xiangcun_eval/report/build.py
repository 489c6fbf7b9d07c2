"""Build and write a report.

:func:`write_report` picks Word or HTML from the file suffix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import OptionError
from ..io.files import check_target, write_bytes_atomic
from .registry import ReportInputs, build_document

if TYPE_CHECKING:
    from ..results import Evaluation
    from ..sensitivity.api import SensitivityResult, UncertaintyResult

__all__ = ["write_report"]


def write_report(ev: Evaluation, path: str | Path, *,
                 uncertainty: UncertaintyResult | None = None,
                 sensitivity: SensitivityResult | None = None,
                 extra: Mapping[str, Any] | None = None,
                 format: Literal["docx", "html"] | None = None,
                 sections: Sequence[str] | None = None,
                 title: str | None = None, top: int = 10, charts: bool = True,
                 overwrite: bool = False) -> Path:
    """Write the evaluation report as Word or HTML; return the path.

    Word for a ``.docx`` path, one self-contained HTML file for ``.html``.

    Parameters
    ----------
    uncertainty, sensitivity
        Robustness results for the robustness section (left out without them).
    extra
        Further results for sections registered by other modules.
    format
        ``"docx"`` or ``"html"``; default from the suffix of ``path``.
    sections
        Only these section keys (default: every registered section).
    charts
        Draw charts (``plot`` extra; ``report`` includes it).

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``overwrite`` is false.
    OptionError
        The format cannot be told from the suffix.
    """
    target = check_target(path, overwrite=overwrite)
    fmt = format or {".docx": "docx", ".html": "html", ".htm": "html"}.get(
        target.suffix.lower())
    if fmt not in ("docx", "html"):
        raise OptionError(f"报告格式只能是 .docx 或 .html / report format must be .docx or "
                          f".html, got {target.name!r}: 改用 .docx 或 .html 后缀 / use a .docx or "
                          ".html file name")
    doc = build_document(ReportInputs(ev, uncertainty, sensitivity, dict(extra or {}), top,
                                      charts), only=sections, title=title)
    if fmt == "docx":
        from .docx import render_docx

        data = render_docx(doc)
    else:
        from .html import render_html

        data = render_html(doc).encode("utf-8")
    write_bytes_atomic(target, data, overwrite=overwrite)
    return target
