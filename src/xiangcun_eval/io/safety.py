"""Formula-injection neutralisation shared by every exporter.

Used for CSV, XLSX, pandas, templates and problem sheets.

A spreadsheet program treats a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula (CSV injection,
OWASP "CSV Injection").  Every text value a file written by this library
carries goes through :func:`neutralise`, which prefixes such text with an
apostrophe so that it is shown as text and never executed.  Numbers are not
touched (``-3.5`` stays a number); only ``str`` values are.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["FORMULA_PREFIXES", "is_formula_like", "neutralise", "neutralise_all", "neutralise_text"]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet evaluate a text cell."""

T = TypeVar("T")


def is_formula_like(text: str) -> bool:
    """Tell whether ``text`` would be read as a formula by a spreadsheet."""
    return text.startswith(FORMULA_PREFIXES)


def neutralise_text(text: str) -> str:
    r"""``text`` prefixed with ``'`` when it begins like a formula, else unchanged.

    Examples
    --------
    >>> neutralise_text("=HYPERLINK(\"http://x\")")
    '\'=HYPERLINK("http://x")'
    >>> neutralise_text("浙江")
    '浙江'
    """
    return "'" + text if is_formula_like(text) else text


def neutralise(value: T) -> T | str:
    """:func:`neutralise_text` for strings; any other value is returned as is."""
    if isinstance(value, str):
        return neutralise_text(value)
    return value


def neutralise_all(values: Any) -> list[Any]:
    """:func:`neutralise` applied to every element of an iterable."""
    return [neutralise(v) for v in values]
