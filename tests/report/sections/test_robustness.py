import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.report.model import Paragraph, TableBlock
from xiangcun_eval.report.registry import ReportInputs
from xiangcun_eval.report.sections.robustness import robustness


@pytest.fixture(scope="module")
def results():
    d = small_data(25)
    space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=(2,), noise=0.3)])
    ua = xe.uncertainty(d, xe.Methodology(), space, n=80, seed=5)
    sa = xe.sensitivity(d, xe.Methodology(), space, n=16, seed=5, n_boot=10)
    return xe.evaluate(d), ua, sa


def test_left_out_without_results(results):
    ev, _, _ = results
    assert robustness(ReportInputs(ev)) is None


def test_interval_widths_and_sobol(results):
    ev, ua, sa = results
    blocks = robustness(ReportInputs(ev, ua, sa, charts=False))
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    width = ua.rank_quantiles[:, -1] - ua.rank_quantiles[:, 0]  # per unit
    assert f"{np.nanmedian(width):.1f} places" in text
    assert f"widest {np.nanmax(width):.0f}" in text
    assert f"ST = {np.nanmax(sa.summary.total):.2f}" in text
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert len(tables) == 2
    assert tables[0].max_rows == 20
