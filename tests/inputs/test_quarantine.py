"""Quarantine mode: accepted + rejected rows account for every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

HEADER = "county_code,county_name,province,year,X1,X2,X3,X4"
Write = Callable[..., Path]


def test_quarantine_accounts_for_every_row(fw: Framework, write: Write) -> None:
    text = HEADER + (
        "\n410102,甲,河南,2023,1,2,1,3"
        "\n410103,乙,河南,2023,abc,-2,1,3"
        "\n410104,丙,河北,2023,1,2,1,3"
        "\n410105,丁,河南,2023,1,,1,3"
        "\n410105,戊,河南,2023,1,2,1,3\n"
    )
    data, report = read_submissions(write(text), fw, mode="quarantine")
    assert report.n_rows == 5
    assert report.n_accepted + report.n_rejected == report.n_rows
    assert report.accepted_rows == (2,)
    assert data.units == ("410102",)
    by_row = {r.row: [p.kind for p in r.problems] for r in report.rejected}
    assert by_row == {3: ["non_numeric", "below_lower_bound"], 4: ["province_mismatch"],
                      5: ["duplicate_code"], 6: ["duplicate_code"]}
    assert "拒收 4 行" in report.summary()


def test_quarantine_still_raises_on_file_level(fw: Framework, write: Write) -> None:
    with pytest.raises(SubmissionError):
        read_submissions(write("county_code,X1\n410102,1\n"), fw, mode="quarantine")


def test_quarantine_all_rejected(fw: Framework, write: Write) -> None:
    data, report = read_submissions(write(HEADER + "\n41010,甲,河南,2023,1,2,1,3\n"), fw,
                                    mode="quarantine")
    assert data.n_units == 0 and data.values.shape == (0, 4) and report.n_rejected == 1


def test_cell_level_keeps_counties(fw: Framework, write: Write) -> None:
    import numpy as np

    from xiangcun_eval.inputs.availability import availability

    text = HEADER + (
        "\n410102,甲,河南,2023,1,2,1,3"
        "\n410103,乙,河南,2023,abc,-2,1,3"
        "\n410104,丙,河北,2023,1,2,1,3"
        "\n410105,丁,河南,2023,0,5,1,3\n"
    )
    data, report = read_submissions(write(text), fw, mode="quarantine", reject="cell")
    assert data.units == ("410102", "410103", "410105")
    assert report.n_accepted + report.n_rejected == report.n_rows == 4
    assert [(r.row, r.problems[0].kind) for r in report.rejected] == [(4, "province_mismatch")]
    assert [(p.row, p.indicator, p.kind, p.county_name) for p in report.flagged] == [
        (3, "X1", "non_numeric", "乙"), (3, "X2", "below_lower_bound", "乙")]
    assert np.isnan(data.values[1, :2]).all() and data.values[1, 2] == 1
    av = availability(data)
    assert av.missing_by_unit[1] == pytest.approx(0.5) and av.missing_by_unit[0] == 0
    assert "set to missing" in report.summary()
    assert [p.row for p in report.problems] == [3, 3, 4]
    with pytest.raises(SubmissionError):  # strict mode ignores reject=
        read_submissions(write(text), fw, reject="cell")
