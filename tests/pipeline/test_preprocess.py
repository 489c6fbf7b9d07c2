"""Preprocessing through evaluate(): row_mean imputation with exact values."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import ImputeSpec, Methodology
from xiangcun_eval.pipeline import check_codes, preprocess


def test_row_mean_imputation_through_evaluate() -> None:
    data = small_data(n=8, seed=5)
    x = data.values.copy()
    x[0, 1] = np.nan  # x2 of unit 0, group A = (x1, x2, x3 cost)
    data = data.with_values(x)
    ev = evaluate(data, Methodology(impute=ImputeSpec(method="row_mean")))
    # independent: min-max each column of group A with direction (+1, +1, -1), mean of the
    # unit's available z in the group, back through column x2's transform
    d = np.array([1.0, 1.0, -1.0])
    xa = x[:, :3] * d
    lo, hi = np.nanmin(xa, axis=0), np.nanmax(xa, axis=0)
    z = (xa - lo) / (hi - lo)
    m = np.mean([z[0, 0], z[0, 2]])
    expected = (m * (hi[1] - lo[1]) + lo[1]) * d[1]
    pre = ev.preprocessed
    assert pre.imputed[0, 1] == pytest.approx(expected, rel=1e-14)
    assert pre.imputed_mask.sum() == 1
    assert pre.imputed_mask[0, 1]
    np.testing.assert_array_equal(np.delete(pre.imputed.ravel(), 1), np.delete(x.ravel(), 1))
    assert np.isfinite(ev.index).all()


def test_preprocess_leaves_the_data_alone_and_checks_codes() -> None:
    data = small_data(n=6)
    before = data.values.copy()
    pre = preprocess(data, Methodology())
    np.testing.assert_array_equal(data.values, before)
    assert pre.raw is data.values
    assert not pre.imputed_mask.any()
    with pytest.raises(MethodError, match="weight_overrides: 'nope'"):
        check_codes(data.framework, Methodology(weight_overrides={"nope": 1.0}))
