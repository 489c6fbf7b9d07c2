"""Crosswalks of unit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import small_data
from xiangcun_eval.panel import Crosswalk, PanelError
from xiangcun_eval.panel.crosswalk import check_matched


def test_chains_are_followed_and_cycles_refused() -> None:
    cw = Crosswalk({"a": "b", "b": "c"})
    assert cw.code("a") == "c"
    assert cw.code("b") == "c"
    assert cw.code("z") == "z"
    with pytest.raises(PanelError, match="cycle"):
        Crosswalk({"a": "b", "b": "a"})


def test_apply_renames_and_reports() -> None:
    d = small_data(n=4)
    out, changed = Crosswalk({"U001": "X001"}).apply(d, 2021)
    assert out.units[1] == "X001"
    assert changed == {"U001": "X001"}
    assert out.values is not d.values
    assert (out.values == d.values).all()
    same, none = Crosswalk().apply(d, 2021)
    assert same is d
    assert none == {}


def test_merge_is_an_error() -> None:
    d = small_data(n=4)
    with pytest.raises(PanelError, match=r"2021.*U000 \+ U001 -> U000"):
        Crosswalk({"U001": "U000"}).apply(d, 2021)


def test_from_csv(tmp_path: Path) -> None:
    p = tmp_path / "cw.csv"
    p.write_text("\ufeffold_code,new_code,note\n130198,130142,撤县设区\n", encoding="utf-8")
    cw = Crosswalk.from_csv(p)
    assert cw.mapping == {"130198": "130142"}
    assert cw.notes == {"130198": "撤县设区"}
    bad = tmp_path / "bad.csv"
    bad.write_text("old,new\n1,2\n", encoding="utf-8")
    with pytest.raises(PanelError, match="old_code"):
        Crosswalk.from_csv(bad)
    two = tmp_path / "two.csv"
    two.write_text("old_code,new_code\n1,2\n1,3\n", encoding="utf-8")
    with pytest.raises(PanelError, match="both"):
        Crosswalk.from_csv(two)
    empty = tmp_path / "empty.csv"
    empty.write_text("old_code,new_code\n1,\n", encoding="utf-8")
    with pytest.raises(PanelError, match="row 2"):
        Crosswalk.from_csv(empty)


def test_check_matched() -> None:
    d = small_data(n=4)
    part = d.subset(["U000", "U001", "U002"])
    with pytest.raises(PanelError, match=r"U003.*2021.*2022"):
        check_matched({2021: d, 2022: part}, "error")
    assert check_matched({2021: d, 2022: part}, ["U003"]) == [("U003", 2021, 2022, "单位3")]
    assert check_matched({2021: d, 2022: part}, "allow")
    with pytest.raises(PanelError):
        check_matched({2021: d, 2022: part}, ["U000"])
