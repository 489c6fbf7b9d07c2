"""Generic unit tables (COINr iData layout)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.availability import availability
from xiangcun_eval.inputs.problems import SubmissionError
from xiangcun_eval.inputs.readers import read_unit_table

Write = Callable[..., Path]
ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"


def _asem_framework() -> Framework:
    from xiangcun_eval.framework.registry import load_framework

    return load_framework("asem")


def test_asem_idata() -> None:
    fw = _asem_framework()
    data = read_unit_table(ASEM / "iData.csv", fw,
                           denominator_cols=["Area", "Energy", "GDP", "Population"])
    assert data.kind == "unit" and data.n_units == 51 and data.year == 2018
    assert data.units[0] == "AUT" and data.names[0] == "Austria"
    assert set(data.groups) == {"GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"}
    assert int(np.isnan(data.values).sum()) == 63
    assert data.denominators["Population"][0] == pytest.approx(8735.453)
    av = availability(data)
    assert av.missing_overall == pytest.approx(63 / (51 * 49))
    assert "data availability" in av.table().title


def test_unit_table_problems(fw: Framework, write: Write) -> None:
    text = ("uCode,uName,Time,size_group,X1,X2,X3,X4,Mystery\n"
            "A B,甲,2020,L,1,2,1,1,0\nC,乙,2021,S,abc,2,1,1,0\nC,丙,2020,S,1,2,1,1,0\n")
    with pytest.raises(SubmissionError) as info:
        read_unit_table(write(text), fw)
    kinds = {p.kind for p in info.value.problems}
    assert {"unknown_column", "invalid_code", "non_numeric", "duplicate_code",
            "mixed_years"} <= kinds

