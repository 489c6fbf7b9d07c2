"""The export fixtures (examples/make_export_files.py): reproducible, read as documented."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework.registry import load_framework
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_submissions

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"


def _module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "examples"))
    import make_export_files

    return make_export_files


def test_generator_is_seeded(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    _module().main(["--out", str(tmp_path)])
    assert (tmp_path / "export_counties_2023_gbk.csv").read_bytes() == (
        DATA / "export_counties_2023_gbk.csv").read_bytes()
    fw = load_framework("dvd-2023")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = read_submissions(tmp_path / "export_counties_2023.xlsx", fw, mode="quarantine",
                             reject="cell").data
        b = read_submissions(DATA / "export_counties_2023.xlsx", fw, mode="quarantine",
                             reject="cell").data
    np.testing.assert_array_equal(a.values, b.values)


@pytest.mark.parametrize("name", ["export_counties_2023_gbk.csv", "export_counties_2023.xlsx"])
def test_fixture_bad_cells_and_values(name: str) -> None:
    if name.endswith("xlsx"):
        pytest.importorskip("openpyxl")
    mod = _module()
    fw = load_framework("dvd-2023")
    with pytest.raises(SubmissionError) as info:
        read_submissions(DATA / name, fw)
    assert len(info.value.problems) == len(mod.BAD_CELLS)
    with pytest.warns(UserWarning):
        data, report = read_submissions(DATA / name, fw, mode="quarantine", reject="cell")
    assert data.n_units == mod.N_COUNTIES and report.n_rejected == 0
    assert [p.value for p in report.flagged][:3] == ["0,5", "12元", "2023-05-01"]
    assert sorted(w.indicator or "" for w in report.warnings) == sorted(mod.EXTRA)
    # the XLSX stores percentages as fractions in percent-formatted cells; both read alike
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        csv_data, _ = read_submissions(DATA / "export_counties_2023_gbk.csv", fw,
                                       mode="quarantine", reject="cell")
    np.testing.assert_allclose(data.values, csv_data.values, rtol=0, atol=1e-9, equal_nan=True)
