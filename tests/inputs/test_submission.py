"""CountySubmission and submissions_to_unit_data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.availability import availability
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.submission import CountySubmission, submissions_to_unit_data

Write = Callable[..., Path]
ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"


def sub(**kw: object) -> CountySubmission:
    base: dict[str, object] = {"county_code": "410102", "county_name": "中原区",
                               "province": "河南", "year": 2023}
    return CountySubmission.model_validate(base | kw)


def test_submission_model() -> None:
    s = sub(values={"X1": "45%", "X2": None})
    assert s.province == "河南省" and s.region == "中部"
    assert s.model_dump()["region"] == "中部"
    assert sub(county_code=419001, province="Henan").county_code == "419001"


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [({"county_code": "41010"}, "5 digits"), ({"county_code": "410100"}, "prefecture"),
     ({"province": "河北省"}, "does not match"), ({"province": "火星"}, "not recognised"),
     ({"county_name": "  "}, "empty"), ({"year": 1800}, "1949"), ({"bogus": 1}, "Extra")],
)
def test_submission_invalid(kw: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        sub(**kw)


def test_validate_against_same_rules(fw: Framework) -> None:
    row = sub(values={"X1": "45%", "X2": "1,234", "X3": 1}).validate_against(fw)
    np.testing.assert_array_equal(row[:3], [45, 1234, 1])
    assert np.isnan(row[3])
    bad = sub(values={"X1": 101, "X2": "12%", "X3": "abc", "X4": True, "Y": 1})
    with pytest.raises(SubmissionError) as info:
        bad.validate_against(fw)
    kinds = sorted(p.kind for p in info.value.problems)
    assert kinds == ["above_upper_bound", "non_numeric", "non_numeric", "percent_not_allowed",
                     "unknown_indicator"]
    assert all(p.county == "410102" for p in info.value.problems)
    assert len(bad.problems(fw)) == 5


def test_submissions_round_trip_keeps_missing(fw: Framework) -> None:
    subs = [
        sub(values={"X1": 45.5, "X2": None, "X3": 1}, notes={"X1": "抽样"}),
        sub(county_code="330102", county_name="上城区", province="浙江",
            values={"X1": "NA", "X2": 0.0, "X3": 0, "X4": 2.5}),
    ]
    data = submissions_to_unit_data(subs, fw)
    assert data.units == ("410102", "330102") and data.kind == "county"
    assert data.groups["region"] == ("中部", "东部")
    np.testing.assert_array_equal(data.values, [[45.5, np.nan, 1, np.nan], [np.nan, 0.0, 0, 2.5]])
    assert data.notes[("410102", "X1")] == "抽样"


def test_submissions_duplicates_and_quarantine(fw: Framework) -> None:
    full = {"X3": 1, "X4": 1}
    subs = [sub(values={"X1": 1, "X2": 1} | full), sub(values={"X1": 2, "X2": 1} | full),
            sub(county_code="410103", county_name="二七区", values={"X1": 3, "X2": 2} | full)]
    with pytest.raises(SubmissionError) as info:
        submissions_to_unit_data(subs, fw)
    assert [(p.kind, p.row) for p in info.value.problems] == [
        ("duplicate_code", 1), ("duplicate_code", 2)]
    data, report = submissions_to_unit_data(subs, fw, mode="quarantine")
    assert data.units == ("410103",) and report.n_rejected == 2


def test_availability_arrays(fw: Framework) -> None:
    subs = [sub(values={"X1": 1, "X2": 2}),
            sub(county_code="410103", county_name="二七区", values={"X1": 1, "X3": 1})]
    with pytest.raises(SubmissionError, match="X4"):  # absent everywhere: strict says so
        submissions_to_unit_data(subs, fw)
    data, report = submissions_to_unit_data(subs, fw, mode="quarantine")
    assert [w.indicator for w in report.warnings] == ["X4"]
    av = availability(data)
    np.testing.assert_allclose(av.missing_by_indicator, [0, 0.5, 0.5, 1.0])
    np.testing.assert_allclose(av.missing_by_unit, [0.5, 0.5])
    assert "X4" in str(av) and "缺失" in str(av)


def test_direct_construction_raises_submission_error() -> None:
    with pytest.raises(SubmissionError) as info:
        CountySubmission(county_code="41010", county_name="中原区", province="河南", year=1800)
    probs = info.value.problems
    assert [(p.kind, p.indicator) for p in probs] == [("invalid_field", "county_code"),
                                                      ("invalid_field", "year")]
    assert "5 digits" in probs[0].what_en and "只有 5 位" in probs[0].what_zh
    assert "5 digits" not in probs[0].what_zh
    with pytest.raises(ValidationError):  # model_validate keeps pydantic's error
        CountySubmission.model_validate({"county_code": "41010"})
