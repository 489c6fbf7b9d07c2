"""Helpers shared by the built-in sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Block, FigureBlock, figure_block
from ..registry import ReportInputs

__all__ = ["chart_block"]


def chart_block(inputs: ReportInputs, draw: Callable[[], Any], caption: str,
                *, width_cm: float = 15.0) -> list[Block]:
    """Wrap the chart ``draw()`` returns as ``[FigureBlock]``.

    ``[]`` when charts are off (``inputs.charts=False``).
    """
    if not inputs.charts:
        return []
    fig = draw()
    block: FigureBlock = figure_block(fig, caption, width_cm=width_cm)
    return [block]
