"""The vectorised fast paths give exactly what the general paths give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs import _csv, _table
from xiangcun_eval.inputs import cells as C
from xiangcun_eval.inputs.readers import QuarantineResult, read_submissions

Write = Callable[..., Path]
HEADER = "county_code,county_name,province,year,X1,X2,X3,X4"

MESSY = "\r\n".join([
    HEADER,
    "410102,中原区,河南省,2023,45.5,1234,1,3.2",
    "",
    ",,,,,,,",
    "410103,\"二七区, 郑州\",河南,2023,60%,\"1,234.5\",0,-2",
    "410104, 管城区 ,河南省,2023,１２．５,NA,,—",
    "410105,金水区,河南省,2023,abc,1e3,1,+.5",
    "410106,上街区,河南省,2023,1,2,3",
    "410107,惠济区,河南省,2023,1,2,1,1,9",
    "410108,中牟县,河南省,2023," + "9" * 400 + ",2,1,1",
    "410109,巩义市,河南省,2023,100.0000000000000001,00012,1,-0",
]) + "\r\n"


def _both(path: Path, fw: Framework, monkeypatch: pytest.MonkeyPatch
          ) -> tuple[QuarantineResult, QuarantineResult]:
    def run() -> QuarantineResult:
        return read_submissions(path, fw, mode="quarantine")

    fast = run()
    monkeypatch.setattr(_csv, "_fast_csv", lambda *a: None)
    slow = run()
    return fast, slow


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_fast_csv_equals_csv_module(fw: Framework, write: Write, monkeypatch: pytest.MonkeyPatch,
                                    encoding: str) -> None:
    path = write(MESSY, encoding=encoding)
    fast, slow = _both(path, fw, monkeypatch)
    fd, fr = fast.data, fast.report
    sd, sr = slow.data, slow.report
    assert fd.units == sd.units and fd.names == sd.names
    np.testing.assert_array_equal(fd.values, sd.values)
    assert fr.rejected == sr.rejected and fr.accepted_rows == sr.accepted_rows


def test_fast_csv_equals_csv_module_on_demo(fw: Framework, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    from xiangcun_eval.framework.registry import load_framework

    demo = Path(__file__).resolve().parents[2] / "examples" / "data" / "demo_counties_2023.csv"
    dvd = load_framework("dvd-2023")
    fast, slow = _both(demo, dvd, monkeypatch)
    fd, sd = fast.data, slow.data
    np.testing.assert_array_equal(fd.values, sd.values)
    assert fd.units == sd.units and fd.groups == sd.groups


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.from_regex(r"[+-]?\d{0,12}(\.\d{0,8})?", fullmatch=True),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["", "NA", "1,234", "5%", "abc", ".", "-", "1e5", "0012"]),
), min_size=1, max_size=30))
def test_plain_numbers_match_float(cells: list[str]) -> None:
    data = ",".join(cells).encode()
    buf = np.frombuffer(data, dtype=np.uint8)
    lens = np.array([len(c.encode()) for c in cells])
    starts = np.concatenate(([0], np.cumsum(lens + 1)[:-1])).astype(np.int64)
    col = _table.ByteColumn(buf, data, "utf-8", starts, starts + lens)
    got_v, got_s = C.parse_column(col, percent_ok=True)
    ref_v, ref_s = C.parse_cells(np.array(cells, dtype=np.str_), percent_ok=True)
    np.testing.assert_array_equal(got_s, ref_s)
    np.testing.assert_array_equal(got_v, ref_v)
    for c, v, s in zip(cells, got_v.tolist(), got_s.tolist(), strict=True):
        if s == C.OK and "%" not in c and "," not in c:
            assert v == float(c)


CLEAN = "\n".join([HEADER] + [
    f"4101{i:02d},区{i},河南省,2023,{i}.5,{100 + i},{i % 2},{-i}.25" for i in range(2, 40)
]) + "\n"


@pytest.mark.parametrize("rows", [1, 2, 5, 7])
@pytest.mark.parametrize("text", [MESSY, CLEAN], ids=["messy", "clean"])
def test_fast_csv_in_small_chunks_equals_csv_module(
        fw: Framework, write: Write, monkeypatch: pytest.MonkeyPatch, rows: int, text: str
) -> None:
    """Chunk boundaries anywhere: the same cells, values and problems as one chunk."""
    path = write(text)
    whole = read_submissions(path, fw, mode="quarantine")
    monkeypatch.setattr(_csv, "FAST_CHUNK_ROWS", rows)
    fast, slow = _both(path, fw, monkeypatch)
    for got in (fast, slow):
        assert got.data.units == whole.data.units
        assert got.data.names == whole.data.names
        np.testing.assert_array_equal(got.data.values, whole.data.values)
        assert got.report.rejected == whole.report.rejected
        assert got.report.accepted_rows == whole.report.accepted_rows
    assert len(whole.data.units) > (30 if text is CLEAN else 1)
