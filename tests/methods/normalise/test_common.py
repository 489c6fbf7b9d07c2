"""Tests of methods/normalise/_common.py: direction checks and the
zero-variance policy shared by range-based normalisations."""

from __future__ import annotations

import numpy as np
import pytest

from normalise_cases import BEN, X
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import normalise as nz

nan = np.nan


RANGE_METHODS = ["minmax", "zscore", "percentile", "dist2max", "range_shift", "efficacy"]
CENTRES = {
    "minmax": 50.0,
    "zscore": 0.0,
    "percentile": 0.5,
    "dist2max": 0.5,
    "range_shift": 0.5001,
    "efficacy": 80.0,
}


@pytest.mark.parametrize("name", RANGE_METHODS)
@pytest.mark.parametrize("col", [[7.0, 7.0, nan, 7.0], [nan, 3.0, nan, nan], [nan] * 4])
def test_zero_variance_policy(name: str, col: list[float]) -> None:
    x = np.c_[[1.0, 2.0, 3.0, 4.0], col]
    f = nz.REGISTRY.get(name).func
    with pytest.raises(MethodError, match=r"column\(s\) \[1\].*zero_variance"):
        f(x, BEN)
    c = f(x, BEN, zero_variance="constant")
    ok = ~np.isnan(x[:, 1])
    np.testing.assert_allclose(c[ok, 1], CENTRES[name])
    assert np.isnan(c[~ok, 1]).all()
    np.testing.assert_allclose(c[:, 0], f(x[:, :1], BEN[:1]).ravel())
    assert np.isnan(f(x, BEN, zero_variance="nan")[:, 1]).all()


def test_zero_variance_error_names_column_in_replicates() -> None:
    x = np.stack([np.c_[[1.0, 2.0], [1.0, 2.0]], np.c_[[1.0, 2.0], [5.0, 5.0]]])
    with pytest.raises(MethodError, match=r"\[1\]"):
        nz.minmax(x, BEN)


def test_bad_direction() -> None:
    with pytest.raises(MethodError):
        nz.minmax(X, np.array([1.0, 0.0]))
    with pytest.raises(MethodError):
        nz.minmax(X, np.array([1.0]))
    with pytest.raises(MethodError):
        nz.minmax(np.ones(3), np.array([1.0]))
