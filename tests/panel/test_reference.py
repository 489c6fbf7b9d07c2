"""Panel references: the reference framework, stacking."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_data, small_framework
from xiangcun_eval.methodology import Methodology
from xiangcun_eval.panel import PanelError
from xiangcun_eval.panel.reference import reference_framework, reference_setup, stack


def test_reference_framework_sets_goalposts_and_says_so() -> None:
    fw = small_framework()
    lo, hi = np.arange(5.0), np.arange(5.0) + 10
    out = reference_framework(fw, lo, hi, "base year 2021 min/max")
    assert [i.goalposts for i in out.indicators] == [(k, k + 10.0) for k in range(5)]
    assert "2021" in out.name_en
    assert out.code == fw.code
    assert all(i.lower_bound is None for i in out.indicators)
    with pytest.raises(PanelError, match="x2"):
        reference_framework(fw, lo, np.where(np.arange(5) == 1, 1.0, hi), "x")


def test_reference_setup_per_year_is_identity() -> None:
    fw, m = small_framework(), Methodology()
    assert reference_setup(fw, m, "per_year", {}, 2021) == (fw, m)


def test_stack_keeps_rows_and_groups() -> None:
    a, b = small_data(n=3), small_data(n=2, seed=1)
    s = stack([a, b], [2021, 2022])
    assert s.units == ("0:2021:U000", "0:2021:U001", "0:2021:U002", "1:2022:U000",
                       "1:2022:U001")
    np.testing.assert_array_equal(s.values, np.vstack([a.values, b.values]))
    assert s.groups["province"] == a.groups["province"] + b.groups["province"]
