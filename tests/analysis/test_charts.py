"""Charts of the analyses render (``plot`` extra) and show the result's numbers."""

from __future__ import annotations

import numpy as np

import xiangcun_eval as xe
from helpers import peer, small_data
from xiangcun_eval.analysis.charts import coupling_chart, dagum_chart, density_chart, obstacle_chart


def test_charts_render() -> None:
    peer("matplotlib")
    ev = xe.evaluate(small_data(n=60))
    dens = xe.analysis.kernel_density(ev, "region")
    fig = density_chart(dens)
    lines = fig.axes[0].get_lines()
    assert len(lines) == len(dens.labels)
    np.testing.assert_allclose(lines[0].get_ydata(), dens.density[0])
    dg = xe.analysis.dagum_gini(ev, "region")
    fig = dagum_chart(dg)
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), dg.between)
    cc = xe.analysis.coupling_coordination(ev, ["A", "B"])
    fig = coupling_chart(cc, scheme=4)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert sum(heights) == np.sum(cc.class4 >= 0)
    ob = xe.analysis.obstacle_degree(ev)
    fig = obstacle_chart(ob, by="province")
    assert len(fig.axes[0].patches) == 4 * len(ob.group_codes)
    assert obstacle_chart(ob).axes[0].patches
