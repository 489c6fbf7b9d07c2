"""Constructors raise the library's errors (_checked.py), loaders still collect all."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import xiangcun_eval as xe
from xiangcun_eval._checked import CheckedModel, field_problems, pydantic_errors
from xiangcun_eval.errors import FrameworkError, MethodError


def test_direct_construction_raises_library_errors_listing_every_field() -> None:
    with pytest.raises(FrameworkError) as err:
        xe.Indicator(code="1x", name_zh=5, name_en="x", level=1,  # type: ignore[arg-type]
                     parent="A", unit="%")  # bad code and bad name: both listed
    text = str(err.value)
    assert "field 'code'" in text
    assert "field 'name_zh'" in text
    assert len(err.value.problems) == 2
    with pytest.raises(MethodError, match="invalid WeightNoise"):
        xe.WeightNoise(levels=(), noise=0.1)
    with pytest.raises(MethodError, match="invalid Methodology"):
        xe.Methodology(nme="x")  # type: ignore[call-arg]
    with pytest.raises(MethodError, match="invalid NormaliseSpec"):
        xe.NormaliseSpec(method="minmax", colour=1)  # type: ignore[call-arg]
    # never pydantic's error from a constructor
    for exc in (FrameworkError, MethodError):
        assert not issubclass(exc, ValidationError)


def test_nested_models_report_through_the_outer_model() -> None:
    # the bad nested spec is reported by the Methodology, with its location
    with pytest.raises(MethodError, match=r"invalid Methodology: .*normalise"):
        xe.Methodology(normalise={"method": "minmax", "bogus": 1})  # type: ignore[arg-type]


def test_loaders_collect_every_problem_of_a_file() -> None:
    text = """
[framework]
code = "f"
name_zh = "框架"
name_en = "F"
[[group]]
code = "1bad"
name_zh = "组"
name_en = "G"
level = 2
[[indicator]]
code = "x"
name_zh = "指标"
name_en = "x"
parent = "G"
unit = "%"
direction = 5
"""
    with pytest.raises(FrameworkError) as err:
        xe.Framework.from_toml_text(text)
    assert len(err.value.problems) >= 2  # both entries reported at once


def test_pydantic_errors_block_keeps_validation_error() -> None:
    with pydantic_errors(), pytest.raises(ValidationError):
        xe.WeightNoise(levels=(), noise=0.1)
    # and the conversion is back after the block
    with pytest.raises(MethodError):
        xe.WeightNoise(levels=(), noise=0.1)


def test_field_problems_lines() -> None:
    class M(CheckedModel):
        a: int

    try:
        with pydantic_errors():
            M(a="x")  # type: ignore[arg-type]
    except ValidationError as exc:
        (line,) = field_problems(exc, "M")
    assert line.startswith("M: 字段 a 有误 / field 'a'")
    assert "(got 'x')" in line
