"""Table: construction checks, head, render, records."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.table import Table, format_value


def test_columns_must_match() -> None:
    with pytest.raises(ValueError, match="unequal"):
        Table(("a", "b"), ((1,), (1, 2)))
    with pytest.raises(KeyError, match="no column 'z'"):
        Table.from_columns({"a": [1]}).column("z")


def test_values_are_plain_and_missing_is_shown_as_dash() -> None:
    t = Table.from_columns({"a": np.array([1.0, np.nan]), "b": ["x", "y"]}, title="T")
    assert t.column("a") == (1.0, None)
    assert len(t) == 2
    assert t.to_records() == [{"a": 1.0, "b": "x"}, {"a": None, "b": "y"}]
    assert t.head(1).column("b") == ("x",)
    assert t.render().splitlines()[0] == "T"
    assert "—" in t.render()
    assert format_value(2.0) == "2"
    assert format_value(2.345) == "2.35"
    assert format_value(None) == "—"


def test_render_cuts_long_tables() -> None:
    t = Table.from_columns({"a": list(range(5))})
    assert "5 rows in all" in t.render(max_rows=2)
