"""Every chart renders with Chinese labels and no missing glyph (warnings
are errors here: matplotlib warns "Glyph ... missing from font(s)")."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

import xiangcun_eval as xe
from helpers import demo_evaluation, small_data
from xiangcun_eval.plot.charts import (
    correlation_heatmap,
    grade_composition,
    profile_chart,
    ranking_chart,
    score_distribution,
)


@pytest.fixture(scope="module")
def ev():
    return demo_evaluation()


@pytest.fixture(scope="module")
def robust():
    d = small_data(30)
    space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=(2,), noise=0.25)])
    ua = xe.uncertainty(d, xe.Methodology(), space, n=64, seed=3)
    sa = xe.sensitivity(d, xe.Methodology(), space, n=32, seed=3, n_boot=20)
    return xe.evaluate(d), ua, sa


def _render(fig, tmp_path, name):
    assert isinstance(fig, Figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / f"{name}.png", dpi=60)
    assert (tmp_path / f"{name}.png").stat().st_size > 2000
    texts = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts), "no Chinese label"


CHARTS = {
    "ranking": lambda ev: ranking_chart(ev, top=15),
    "ranking_province": lambda ev: ranking_chart(ev, province="江苏", top=None),
    "radar": lambda ev: profile_chart(ev, ev.units[3]),
    "bars": lambda ev: profile_chart(ev, ev.units[3], kind="bars"),
    "kde": lambda ev: score_distribution(ev, by="region"),
    "corr": lambda ev: correlation_heatmap(ev),
    "corr_areas": lambda ev: correlation_heatmap(ev, level=3),
    "grades": lambda ev: grade_composition(ev),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_renders_chinese(ev, tmp_path, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = CHARTS[name](ev)
    _render(fig, tmp_path, name)


def test_ranking_with_uncertainty_intervals(robust, tmp_path):
    ev, ua, _ = robust
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f1 = ranking_chart(ev, uncertainty=ua, top=10)
    _render(f1, tmp_path, "ua")
    # the interval lines span the uncertainty result's quantiles
    segs = f1.axes[0].collections[0].get_segments()
    k = ua.units.index(ev.units[int(np.nanargmin(ev.rank))])
    assert segs[0][0][0] == ua.rank_quantiles[k, 0]
    assert segs[0][1][0] == ua.rank_quantiles[k, -1]


def test_draws_into_given_axes(ev):
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    assert ranking_chart(ev, top=5, ax=ax1) is fig
    assert grade_composition(ev, by="region", ax=ax2) is fig
    assert len(ax1.patches) == 5
    polar = Figure().add_subplot(projection="polar")
    assert profile_chart(ev, ev.units[0], ax=polar) is polar.figure


def test_bad_inputs(ev, robust):
    with pytest.raises(ValueError, match="no unit in province"):
        ranking_chart(ev, province="火星")
    with pytest.raises(KeyError):
        profile_chart(ev, "999999")
    _, ua, _ = robust
    with pytest.raises(ValueError, match="does not cover"):
        ranking_chart(ev, uncertainty=ua)


def test_global_rc_untouched(ev):
    import matplotlib

    before = list(matplotlib.rcParams["font.family"])
    ranking_chart(ev, top=3)
    assert list(matplotlib.rcParams["font.family"]) == before
