"""Display width of text in a terminal, for aligned plain-text tables.

Chinese characters and full-width punctuation (``，。：（）``) take two
columns, combining marks and zero-width characters none, everything else
one; measured with :mod:`wcwidth` (Unicode East Asian Width and general
categories).  Used by :class:`~xiangcun_eval.table.Table`, the problems
table of submissions and the Excel column widths.
"""

from __future__ import annotations

from wcwidth import wcswidth, wcwidth

__all__ = ["display_width", "pad"]


def display_width(text: str) -> int:
    r"""Columns ``text`` takes in a terminal; control characters count 0.

    Examples
    --------
    >>> display_width("数字乡村 DVD"), display_width("，。"), display_width("e\u0301")
    (12, 4, 1)
    """
    w = wcswidth(text)
    if w >= 0:
        return int(w)
    return sum(max(0, wcwidth(c)) for c in text)  # a control character somewhere


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` display columns (never cut)."""
    return text + " " * max(0, width - display_width(text))
