import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

import xiangcun_eval as xe
from helpers import demo_evaluation, small_data
from xiangcun_eval.plot.robustness import framework_tree, sobol_chart


def _png(fig, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns
        fig.savefig(tmp_path / "f.png", dpi=60)
    return (tmp_path / "f.png").stat().st_size


def test_sobol_bars_with_intervals(tmp_path):
    d = small_data(30)
    space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=(2,), noise=0.25),
                                         xe.NormaliseAlternatives(alternatives=(
                                             xe.NormaliseSpec(method="minmax"),
                                             xe.NormaliseSpec(method="rank")))])
    sa = xe.sensitivity(d, xe.Methodology(), space, n=32, seed=3, n_boot=20)
    fig = sobol_chart(sa)
    assert _png(fig, tmp_path) > 2000
    bars = fig.axes[0].patches
    assert len(bars) == 2 * len(sa.factor_names)
    np.testing.assert_allclose([b.get_width() for b in bars[:2]], sa.summary.first)
    np.testing.assert_allclose([b.get_width() for b in bars[2:]], sa.summary.total)
    ax = Figure().subplots()
    assert sobol_chart(sa, ax=ax) is ax.figure


def test_framework_sunburst_sized_by_effective_weight(tmp_path):
    ev = demo_evaluation()
    fig = framework_tree(ev)
    assert _png(fig, tmp_path) > 2000
    ax = fig.axes[0]
    n_nodes = sum(len(ev.framework.level_codes(k)) for k in range(1, ev.framework.max_level))
    rings = ax.patches[1:]  # the first patch is the centre disc
    assert len(rings) == n_nodes
    widths = np.array([p.get_width() for p in rings])
    # every ring covers the full circle: effective weights per level sum to 1
    k = 0
    for lev in range(ev.framework.max_level - 1, 0, -1):
        m = len(ev.framework.level_codes(lev))
        assert widths[k:k + m].sum() == pytest.approx(2 * np.pi)
        k += m
