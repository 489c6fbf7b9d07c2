"""Analytic test functions: values at known points, literature indices, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError, XiangcunError
from xiangcun_eval.sensitivity.testfunctions import (
    ISHIGAMI_BOUNDS,
    g_function,
    g_function_indices,
    ishigami,
    ishigami_indices,
)


def test_ishigami_bounds_are_minus_pi_to_pi() -> None:
    assert (-np.pi, np.pi) == ISHIGAMI_BOUNDS


def test_ishigami_values_at_known_points() -> None:
    x = np.array([[0.0, 0.0, 0.0], [np.pi / 2, np.pi / 2, 1.0], [np.pi / 2, 0.0, 2.0]])
    # sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1
    np.testing.assert_allclose(ishigami(x), [0.0, 1.0 + 7.0 + 0.1, 1.0 + 0.1 * 16.0], atol=1e-12)
    np.testing.assert_allclose(ishigami([np.pi / 2, np.pi / 2, 1.0], a=2.0, b=0.5), 3.5)


def test_ishigami_is_vectorised_over_leading_axes() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-np.pi, np.pi, size=(4, 5, 3))
    out = ishigami(x)
    assert out.shape == (4, 5)
    np.testing.assert_array_equal(out[2], ishigami(x[2]))


def test_ishigami_indices_match_the_literature() -> None:
    # a=7, b=0.1 (Ishigami & Homma 1990; SALib docs)
    first, total = ishigami_indices()
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=5e-5)
    assert first[2] == 0.0
    assert total[1] == first[1]  # x2 has no interactions


def test_ishigami_indices_closed_form_at_other_constants() -> None:
    # b=0: additive model, V = 1/2 + a^2/8, no interactions
    first, total = ishigami_indices(a=2.0, b=0.0)
    v = 0.5 + 0.5
    np.testing.assert_allclose(first, [0.5 / v, 0.5 / v, 0.0])
    np.testing.assert_array_equal(first, total)


def test_ishigami_variance_decomposition_matches_monte_carlo() -> None:
    rng = np.random.default_rng(1)
    y = ishigami(rng.uniform(-np.pi, np.pi, size=(400_000, 3)))
    v = 0.5 + 49 / 8 + 0.1 * np.pi**4 / 5 + 0.01 * np.pi**8 / 18
    assert y.var() == pytest.approx(v, rel=0.02)  # about 13.84


@pytest.mark.parametrize("shape", [(3, 2), (4,), (2,)])
def test_ishigami_rejects_wrong_last_axis(shape: tuple[int, ...]) -> None:
    with pytest.raises(MethodError, match=r"ishigami.*\(\.\.\., 3\)"):
        ishigami(np.zeros(shape))


def test_ishigami_rejects_a_scalar() -> None:
    with pytest.raises(MethodError, match="/"):
        ishigami(1.0)


def test_g_function_values_at_known_points() -> None:
    a = [0.0, 1.0]
    # x=0.5 gives |4x-2| = 0 per factor: (0 + a)/(1 + a)
    assert g_function([0.5, 0.5], a) == pytest.approx(0.0)
    assert g_function([0.0, 0.5], a) == pytest.approx(2.0 * 0.5)
    assert g_function([1.0, 1.0], a) == pytest.approx(2.0 * 1.5)
    assert g_function([0.25, 0.25], [99.0, 99.0]) == pytest.approx((100 / 100) ** 2)


def test_g_function_has_unit_mean() -> None:
    rng = np.random.default_rng(2)
    y = g_function(rng.random((200_000, 4)), [0.0, 1.0, 4.5, 9.0])
    assert y.mean() == pytest.approx(1.0, abs=0.01)
    assert g_function(rng.random((2, 3, 4)), [0.0, 1.0, 4.5, 9.0]).shape == (2, 3)


def test_g_function_indices_match_the_literature() -> None:
    # a = (0, 1, 4.5, 9, 99, 99, 99, 99): Saltelli et al. (2010), SALib's Sobol_G docs
    first, total = g_function_indices([0, 1, 4.5, 9, 99, 99, 99, 99])
    np.testing.assert_allclose(
        first, [0.7162, 0.1790, 0.0237, 0.0072, 0.0001, 0.0001, 0.0001, 0.0001], atol=5e-5)
    np.testing.assert_allclose(
        total, [0.7871, 0.2422, 0.0343, 0.0105, 0.0001, 0.0001, 0.0001, 0.0001], atol=5e-5)
    assert np.all(total >= first)


def test_g_function_indices_edges() -> None:
    first, total = g_function_indices([0.0])
    np.testing.assert_allclose(first, [1.0])
    np.testing.assert_allclose(total, [1.0])
    # two equal factors: V_i = 1/3, V = 16/9 - 1 = 7/9, S_i = 3/7, S_Ti = (1/3)(4/3)/(7/9) = 4/7
    first, total = g_function_indices([0.0, 0.0])
    np.testing.assert_allclose(first, [3 / 7, 3 / 7])
    np.testing.assert_allclose(total, [4 / 7, 4 / 7])


@pytest.mark.parametrize(
    "a", [[-1.0, 1.0], [np.nan], [np.inf, 1.0], [], [[1.0, 2.0]], 3.0])
def test_g_function_rejects_bad_constants(a: object) -> None:
    with pytest.raises(MethodError, match="G-function needs a 1-D array"):
        g_function_indices(a)  # type: ignore[arg-type]
    with pytest.raises(MethodError, match="G-function needs a 1-D array"):
        g_function(np.full((2, 2), 0.5), a)  # type: ignore[arg-type]


def test_g_function_rejects_x_not_matching_a() -> None:
    with pytest.raises(MethodError, match=r"g_function.*\(\.\.\., 3\)") as info:
        g_function(np.zeros((5, 2)), [1.0, 2.0, 3.0])
    assert isinstance(info.value, XiangcunError)
