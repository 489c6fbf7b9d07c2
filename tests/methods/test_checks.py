"""Tests of methods/_checks.py: the one direction check and its message."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import impute, normalise
from xiangcun_eval.methods import weights as W
from xiangcun_eval.methods._checks import check_direction


def test_valid_and_default() -> None:
    d = check_direction([1, -1, 1], 3)
    assert d.dtype == np.float64
    np.testing.assert_array_equal(d, [1.0, -1.0, 1.0])
    np.testing.assert_array_equal(check_direction(None, 2, default_benefit=True), [1.0, 1.0])


@pytest.mark.parametrize(
    ("direction", "match"),
    [
        (None, "1-D array of length n_cols=3"),
        ([1, -1], "length n_cols=3"),
        ([[1, -1, 1]], "1-D array"),
        ([1, 0, -1], r"column\(s\) \[1\] have \[0.0\]"),
        ([1, -1, np.nan], r"column\(s\) \[2\]"),
        (["a", "b", "c"], "non-numeric"),
    ],
)
def test_errors_are_bilingual_and_name_columns(direction: object, match: str) -> None:
    with pytest.raises(MethodError, match=match) as exc:
        check_direction(direction, 3)  # type: ignore[arg-type]
    assert "方向" in str(exc.value)
    assert " / " in str(exc.value)


def test_every_stage_gives_the_same_message() -> None:
    x = np.random.default_rng(0).uniform(1, 2, (6, 3))
    bad = [1, 2, -1]
    with pytest.raises(MethodError) as ref:
        check_direction(bad, 3)
    msgs = []
    for call in (
        lambda: normalise.minmax(x, bad),
        lambda: W.entropy_weights(x, convention="shifted_minmax", direction=bad),
        lambda: W.critic_weights(x, direction=bad),
        lambda: impute.REGISTRY.get("row_mean").func(x, direction=bad),
    ):
        with pytest.raises(MethodError) as exc:
            call()
        msgs.append(str(exc.value))
    assert msgs == [str(ref.value)] * 4
