"""Tests for sensitivity/indices.py: the labelled accessors of :class:`SobolIndices`."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.sensitivity import estimators
from xiangcun_eval.sensitivity.design import saltelli_design, split_outputs
from xiangcun_eval.sensitivity.indices import SobolIndices


def _runs(n: int = 256, d: int = 4, m: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = saltelli_design(n, d, seed=1).stacked()
    coef = np.random.default_rng(1).normal(size=(d, m))
    return split_outputs(x @ coef + np.sin(3 * x[:, :1]) * x[:, 1:2], n, d)


def test_labelled_accessors() -> None:
    ya, yb, yab = _runs()
    res = estimators.sobol_indices(ya, yb, yab, factor_names=["权重", "归一化", "插补", "聚合"])
    assert isinstance(res, SobolIndices)
    assert estimators.SobolIndices is SobolIndices  # re-exported where it is computed
    assert res.d == 4
    np.testing.assert_array_equal(res.first_of("插补"), res.first[2])
    np.testing.assert_array_equal(res.total_of("聚合"), res.total[3])
    np.testing.assert_array_equal(res.interactions, res.total - res.first)
    with pytest.raises(KeyError, match="no factor named"):
        res.first_of("x9")
    with pytest.raises(MethodError, match="n_boot"):
        res.conf_of("权重")
    table = res.as_dict()
    assert list(table) == ["权重", "归一化", "插补", "聚合"]
    assert "S1_low" not in table["权重"]


def test_confidence_intervals_by_name() -> None:
    ya, yb, yab = _runs()
    rb = estimators.sobol_indices(ya, yb, yab, n_boot=10, seed=0, factor_names=["a", "b", "c", "d"])
    f_conf, t_conf = rb.conf_of("c")
    assert f_conf.shape == (2, 2)
    np.testing.assert_array_equal(f_conf, rb.first_conf[:, 2])
    np.testing.assert_array_equal(t_conf, rb.total_conf[:, 2])
    assert "ST_high" in rb.as_dict()["c"]
