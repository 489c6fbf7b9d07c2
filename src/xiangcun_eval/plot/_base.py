"""Shared plumbing of the chart functions.

CJK rc settings while drawing, a new figure or the caller's axes, grade colours.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from .._optional import require
from ..export.columns import GRADE_COLOURS
from .fonts import cjk_rc

__all__ = ["chart", "grade_colours", "new_axes", "short"]

P = ParamSpec("P")
R = TypeVar("R")


def chart(fn: Callable[P, R]) -> Callable[P, R]:
    """Draw ``fn`` under the CJK font rc settings.

    The caller's global matplotlib settings are not changed.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        mpl = require("matplotlib", extra="plot", feature="charts / 图表")
        with mpl.rc_context(cjk_rc()):
            return fn(*args, **kwargs)

    return wrapper


def new_axes(ax: Any, figsize: tuple[float, float], *, polar: bool = False) -> tuple[Any, Any]:
    """Return the caller's ``ax`` and its figure, or a new figure: ``(figure, axes)``.

    A new figure is pyplot-free and ``figsize`` inches.
    """
    if ax is not None:
        return ax.figure, ax
    figure = require("matplotlib.figure", extra="plot", feature="charts / 图表")
    fig = figure.Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot(projection="polar" if polar else None)


def grade_colours(n: int) -> list[str]:
    """``n`` grade colours, best first (``#RRGGBB``)."""
    base = [f"#{c}" for c in GRADE_COLOURS]
    if n <= len(base):
        return base[:n] if n > 2 else [base[0], base[-1]][:n]
    cmap = require("matplotlib", extra="plot", feature="charts").colormaps["RdYlGn_r"]
    return [cmap(i / max(n - 1, 1)) for i in range(n)]


def short(text: str, n: int = 10) -> str:
    """``text`` cut to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 1] + "…"
