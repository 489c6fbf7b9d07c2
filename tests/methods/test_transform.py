"""Transform kernels: formulas, scipy's Box-Cox, replicate axes, domains, monotonicity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from xiangcun_eval import MethodError
from xiangcun_eval.methods import transform as tr

X = np.array([[0.5, 1.0, 3.0], [2.0, np.nan, 10.0], [100.0, 7.5, 0.25]])


def test_formulas() -> None:
    np.testing.assert_array_equal(tr.none(X), X)
    np.testing.assert_allclose(tr.ln(X), np.log(X), rtol=0)
    np.testing.assert_allclose(tr.log10(X), np.log10(X), rtol=0)
    np.testing.assert_allclose(tr.log1p(X), np.log(1 + X), rtol=1e-15)
    np.testing.assert_allclose(tr.sqrt(X), X ** 0.5, rtol=1e-15)
    z = np.array([[-3.0, 0.0, 2.0]])
    np.testing.assert_allclose(tr.signed_log(z), [[-np.log(4.0), 0.0, np.log(3.0)]])
    np.testing.assert_array_equal(tr.cap(X), X)
    assert np.isnan(tr.ln(X)[1, 1])  # NaN stays NaN in place


@pytest.mark.parametrize("lmbda", [-1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
def test_boxcox_matches_scipy(lmbda: float) -> None:
    x = np.array([0.1, 0.5, 1.0, 2.0, 7.0, 100.0])
    np.testing.assert_allclose(tr.boxcox(x, lmbda=lmbda), stats.boxcox(x, lmbda=lmbda),
                               rtol=1e-13, atol=1e-15)


def test_replicate_axis() -> None:
    rng = np.random.default_rng(1)
    r = rng.uniform(0.1, 50, size=(4, 6, 3))
    for f in (tr.ln, tr.log10, tr.log1p, tr.sqrt, tr.signed_log):
        out = f(r)
        assert out.shape == r.shape
        for k in range(4):
            np.testing.assert_array_equal(out[k], f(r[k]))
    np.testing.assert_array_equal(tr.boxcox(r, lmbda=0.3)[2], tr.boxcox(r[2], lmbda=0.3))


@pytest.mark.parametrize(
    ("func", "bad", "needle"),
    [(tr.ln, 0.0, "x > 0"), (tr.log10, -1.0, "x > 0"), (tr.log1p, -1.0, "x > -1"),
     (tr.sqrt, -0.5, "x >= 0"), (lambda x: tr.boxcox(x, lmbda=0.5), 0.0, "x > 0")],
)
def test_domain_errors_name_the_columns_and_the_fix(func, bad: float, needle: str) -> None:  # type: ignore[no-untyped-def]
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, bad]])
    with pytest.raises(MethodError) as ei:
        func(x)
    assert ei.value.columns == [2]
    assert needle in str(ei.value)
    assert "log1p" in str(ei.value)


def test_registry_and_params() -> None:
    assert set(tr.REGISTRY.names()) == {"none", "ln", "log10", "log1p", "signed_log", "sqrt",
                                        "boxcox", "cap"}
    with pytest.raises(MethodError, match="lmbda"):
        tr.REGISTRY.validate("boxcox", {})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 1e6), min_size=2, max_size=20, unique=True),
       st.floats(-2.0, 2.0))
def test_every_transform_is_increasing(xs: list[float], lmbda: float) -> None:
    x = np.sort(np.array(xs))[:, None]
    for f in (tr.ln, tr.log10, tr.log1p, tr.sqrt, tr.signed_log,
              lambda a: tr.boxcox(a, lmbda=lmbda)):
        y = f(x)[:, 0]
        assert np.all(np.diff(y) >= 0)
