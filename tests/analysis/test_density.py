"""Kernel density by group: equal to scipy's gaussian_kde with the chosen rule."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import gaussian_kde

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.analysis.density import kernel_density


@pytest.mark.parametrize("rule", ["silverman", "scott"])
def test_groups_match_scipy_and_integrate_to_one(rule: str) -> None:
    data = small_data(n=80)
    ev = xe.evaluate(data)
    res = kernel_density(ev, "region", bw_method=rule, points=512)  # type: ignore[arg-type]
    x = np.asarray(ev.index)
    reg = np.asarray(data.groups["region"])
    for lab, dens, bw in zip(res.labels, res.density, res.bandwidth, strict=True):
        v = x if lab == "全部 all" else x[reg == lab]
        k = gaussian_kde(v, bw_method=rule)
        np.testing.assert_allclose(dens, k(res.grid), rtol=1e-12)
        n = v.size
        factor = (n * 3 / 4) ** (-1 / 5) if rule == "silverman" else n ** (-1 / 5)
        assert bw == pytest.approx(factor * np.std(v, ddof=1), rel=1e-12)
        assert np.trapezoid(dens, res.grid) == pytest.approx(1.0, abs=2e-3)
    assert res.labels[0] == "全部 all"
    assert len(res.summary()) == 5
    assert len(res.table()) == 512


def test_without_groups() -> None:
    res = kernel_density(np.arange(20.0))
    assert res.labels == ("全部 all",)
    assert res.density.shape == (1, 256)


@pytest.mark.parametrize(
    "kw",
    [
        {"bw_method": "bogus"},
        {"points": 1},
        {"by": ["a"] * 19 + ["b"]},
    ],
)
def test_bad_input(kw: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(xe.MethodError):
        kernel_density(np.arange(20.0), **kw)
