"""Property tests: readers raise nothing but SubmissionError; quarantine accounts for every row."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiangcun_eval.framework import Framework, Group, Indicator
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

FW = Framework(
    code="fz", name_zh="测", name_en="Fuzz", nodes=(
        Group(code="IDX", name_zh="指数", name_en="Index", level=2),
        Indicator(code="X1", name_zh="甲", name_en="A", level=1, parent="IDX", unit="%",
                  lower_bound=0, upper_bound=100),
        Indicator(code="X2", name_zh="乙", name_en="B", level=1, parent="IDX", lower_bound=0),
    ),
)
HEADER = b"county_code,county_name,province,year,X1,X2\n"
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"f{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(SubmissionError):
            read_submissions(path, FW)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".csv", ".json", ".xlsx", ".txt"]))
def test_arbitrary_bytes_only_submission_error(data: bytes, suffix: str) -> None:
    _read(data, suffix)


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_body_after_valid_header(data: bytes) -> None:
    _read(HEADER + data, ".csv")


cell = st.one_of(
    st.sampled_from(["", "NA", "1", "45%", "1,234", "abc", "-3", "101", "１２", "—", "1e999"]),
    st.text(max_size=8),
)
code = st.one_of(st.sampled_from(["410102", "410103", "110101", "419001", "41010", "410100"]),
                 st.text(max_size=7))
row = st.tuples(code, st.sampled_from(["甲", "", "乙"]), st.sampled_from(["河南", "北京", "火星"]),
                st.sampled_from(["2023", "2022", "x"]), cell, cell)


@SETTINGS
@given(st.lists(row, min_size=1, max_size=12))
def test_quarantine_accounts_for_every_row(rows: list[tuple[str, ...]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["county_code", "county_name", "province", "year", "X1", "X2"])
    w.writerows(rows)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "q.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        try:
            data, report = read_submissions(path, FW, mode="quarantine")
        except SubmissionError as exc:  # only file-level problems may raise
            assert {p.kind for p in exc.problems} <= {"empty_file", "bad_format"}
            return
    assert report.n_accepted + report.n_rejected == report.n_rows
    assert data.n_units == report.n_accepted
    assert set(report.accepted_rows).isdisjoint(r.row for r in report.rejected)
    assert all(r.problems for r in report.rejected)
    finite = data.values[~np.isnan(data.values)]
    assert (finite >= 0).all()
