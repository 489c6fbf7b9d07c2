"""``chart_block``: one FigureBlock of the drawn chart, nothing when charts are off."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import demo_evaluation
from xiangcun_eval.report.model import FigureBlock
from xiangcun_eval.report.registry import ReportInputs
from xiangcun_eval.report.sections._util import chart_block


class _Fig:
    """Stands in for a matplotlib Figure: ``savefig`` writes fixed bytes."""

    def __init__(self) -> None:
        self.saved: list[dict[str, Any]] = []

    def savefig(self, buf: Any, **kw: Any) -> None:
        self.saved.append(kw)
        buf.write(b"\x89PNG fake")


@pytest.fixture(scope="module")
def ev():  # type: ignore[no-untyped-def]
    return demo_evaluation()


def test_charts_on_gives_one_figure_block(ev) -> None:  # type: ignore[no-untyped-def]
    fig = _Fig()
    blocks = chart_block(ReportInputs(ev, charts=True), lambda: fig, "图 / chart", width_cm=9.5)
    assert blocks == [FigureBlock(b"\x89PNG fake", "图 / chart", 9.5)]
    assert fig.saved == [{"format": "png", "dpi": 150, "bbox_inches": "tight"}]


def test_default_width_is_15_cm(ev) -> None:  # type: ignore[no-untyped-def]
    (block,) = chart_block(ReportInputs(ev), _Fig, "c")
    assert isinstance(block, FigureBlock)
    assert block.width_cm == 15.0


def test_charts_off_never_draws(ev) -> None:  # type: ignore[no-untyped-def]
    def draw() -> Any:
        raise AssertionError("draw() must not run when charts are off")

    assert chart_block(ReportInputs(ev, charts=False), draw, "c") == []
