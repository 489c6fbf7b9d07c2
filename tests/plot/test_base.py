import matplotlib
import pytest
from matplotlib.figure import Figure

from xiangcun_eval.plot._base import chart, grade_colours, new_axes, short


def test_chart_draws_under_cjk_rc_and_restores():
    before = list(matplotlib.rcParams["font.family"])

    @chart
    def draw():
        return list(matplotlib.rcParams["font.family"])

    inside = draw()
    assert inside[0] != before[0]
    assert "DejaVu Sans" in inside
    assert list(matplotlib.rcParams["font.family"]) == before


def test_new_axes_and_helpers():
    fig, ax = new_axes(None, (4, 3))
    assert isinstance(fig, Figure)
    assert ax.figure is fig
    f2, a2 = new_axes(ax, (1, 1))
    assert (f2, a2) == (fig, ax)
    _, polar = new_axes(None, (3, 3), polar=True)
    assert polar.name == "polar"
    assert grade_colours(5)[0] == "#1A9850"
    assert len(grade_colours(7)) == 7
    assert grade_colours(2) == ["#1A9850", "#D73027"]
    assert short("夯实乡村数字化发展基础", 5) == "夯实乡村…"
    assert short("高", 5) == "高"
    with pytest.raises(TypeError):
        new_axes(None)  # type: ignore[call-arg]
