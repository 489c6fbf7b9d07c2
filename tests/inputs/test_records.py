"""JSON submissions (records module)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

Write = Callable[..., Path]
ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"


def test_json_submissions(fw: Framework, write: Write) -> None:
    recs = [
        {"county_code": "410102", "county_name": "中原区", "province": "河南省", "year": 2023,
         "values": {"X1": 45.5, "X2": "1,234", "X3": 1, "X4": None},
         "notes": {"X2": "估计"}, "sources": {"X1": "县统计局"}},
        {"county_code": 410103, "county_name": "二七区", "province": "河南", "year": 2023,
         "values": {"X1": "60%", "X2": 3, "X3": 0, "X4": 1}},
    ]
    data = read_submissions(write(json.dumps(recs, ensure_ascii=False), name="s.json"), fw)
    assert data.units == ("410102", "410103")
    np.testing.assert_array_equal(data.column("X2"), [1234, 3])
    assert np.isnan(data.values[0, 3])
    assert data.notes[("410102", "X2")] == "估计"
    assert data.sources[("410102", "X1")] == "县统计局"


def test_json_problems(fw: Framework, write: Write) -> None:
    recs = [
        {"county_code": "410102", "county_name": "中原区", "province": "河南省", "year": 2023,
         "values": {"X1": 45.5, "X2": True, "X3": 1, "X4": 1, "X9": 3}, "colour": "red"},
        "not an object",
    ]
    with pytest.raises(SubmissionError) as info:
        read_submissions(write(json.dumps(recs), name="s.json"), fw)
    kinds = {(p.kind, p.row) for p in info.value.problems}
    assert {("unknown_indicator", 1), ("unknown_column", 1), ("bad_format", 2),
            ("non_numeric", 1)} <= kinds


@pytest.mark.parametrize("text", ["", "{", "{}", "[]", "3", '[1, 2'])
def test_json_malformed(fw: Framework, write: Write, text: str) -> None:
    with pytest.raises(SubmissionError):
        read_submissions(write(text, name="s.json"), fw)
