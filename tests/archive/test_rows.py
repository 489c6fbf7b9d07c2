"""Archive rows <-> UnitData."""

from __future__ import annotations

import json

import numpy as np

from helpers import small_data
from xiangcun_eval.archive import codec
from xiangcun_eval.archive.rows import conflict_message, extras_json, rows_to_data


def test_rows_to_data_maps_columns_by_code() -> None:
    d = small_data(n=3)
    fw = d.framework
    codes = list(fw.indicator_codes)
    layout_a = json.dumps(codes)
    layout_b = json.dumps(codes[::-1])  # another import stored the columns reversed
    blobs = codec.encode_rows(d.values)
    rev = codec.encode_rows(d.values[:, ::-1])
    rows = [("U000", "a", '{"province": "浙江"}', blobs[0], None, layout_a, "unit", 1),
            ("U001", "b", '{"province": "河南"}', rev[1], None, layout_b, "unit", 2)]
    out = rows_to_data(rows, fw, 2023)
    np.testing.assert_array_equal(out.values, d.values[:2])
    assert out.groups["province"] == ("浙江", "河南")
    assert out.kind == "unit"


def test_extras_only_when_present() -> None:
    d = small_data(n=2)
    assert extras_json(d) == [None, None]


def test_conflict_message_names_unit_indicator_and_values() -> None:
    d = small_data(n=2)
    old = np.array(d.values)
    old[1, 3] = 1.0
    existing = {"U001": (7, "U001", d.names[1], "{}", codec.encode_rows(old)[1], None,
                         json.dumps(list(d.indicator_codes)))}
    msg = conflict_message(d, 2023, [1], existing, d.indicator_codes)
    assert "U001" in msg
    assert "x4: 1 → " in msg
    assert "replace=True" in msg
