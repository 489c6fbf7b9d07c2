"""Data availability: tables of missing shares per indicator and per unit."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_data
from xiangcun_eval.inputs.availability import availability
from xiangcun_eval.table import Table


def test_availability_tables() -> None:
    d = small_data()
    x = d.values.copy()
    x[0, :2] = np.nan
    x[1, 0] = np.nan
    av = availability(d.with_values(x))
    t = av.table()
    assert isinstance(t, Table) and "data availability" in t.title
    assert t.column("缺失率 missing %")[0] == pytest.approx(200 / d.n_units)
    worst = av.unit_table()
    assert worst.column("单位 unit") == (d.units[0], d.units[1])
    assert "units with most missing values" in str(av)
