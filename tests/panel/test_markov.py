"""Markov transitions of grade classes: counts, probabilities, steady state."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.panel.markov import (
    Transitions,
    probabilities,
    steady_state,
    transition_counts,
)


def test_counts_skip_missing() -> None:
    s = np.array([0, 0, 1, 2, -1, 1])
    e = np.array([0, 1, 1, 2, 0, -1])
    c = transition_counts(s, e, 3)
    assert c.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]


def test_two_state_steady_state_closed_form() -> None:
    a, b = 0.3, 0.1
    p = np.array([[1 - a, a], [b, 1 - b]])
    np.testing.assert_allclose(steady_state(p), [b / (a + b), a / (a + b)], rtol=1e-12)


def test_steady_state_is_stationary() -> None:
    rng = np.random.default_rng(0)
    p = probabilities(rng.integers(1, 20, size=(5, 5)))
    pi = steady_state(p)
    np.testing.assert_allclose(pi @ p, pi, atol=1e-12)
    assert pi.sum() == pytest.approx(1.0)
    assert (pi >= 0).all()


def test_unobserved_class_gives_nan_row_and_no_steady_state() -> None:
    c = np.array([[3, 1], [0, 0]])
    p = probabilities(c)
    assert np.isnan(p[1]).all()
    assert np.isnan(steady_state(p)).all()


def test_table() -> None:
    t = Transitions(("a", "b"), np.array([[3, 1], [2, 2]]), ((2021, 2022),))
    tab = t.table()
    assert tab.column("a") == (0.75, 0.5)
    assert tab.column("转移数 n") == (4, 4)
    assert t.table(kind="counts").column("b") == (1, 2)


def test_same_as_pysal_giddy() -> None:
    """Counts, probabilities and steady state equal PySAL giddy's ``Markov``
    (classes of 200 units over 4 periods, pooled over the 3 transitions)."""
    from helpers import peer

    markov = peer("giddy.markov")
    rng = np.random.default_rng(0)
    classes = rng.integers(0, 4, size=(200, 4))
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # giddy prints a chain summary
        ref = markov.Markov(classes)
    counts = sum(transition_counts(classes[:, t].astype(np.intp),
                                   classes[:, t + 1].astype(np.intp), 4) for t in range(3))
    np.testing.assert_array_equal(counts, ref.transitions)
    np.testing.assert_allclose(probabilities(counts), ref.p, rtol=0, atol=1e-15)
    np.testing.assert_allclose(steady_state(probabilities(counts)), ref.steady_state,
                               rtol=0, atol=1e-14)
