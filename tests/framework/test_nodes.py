"""Framework nodes: field rules and labels."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from xiangcun_eval.errors import FrameworkError
from xiangcun_eval.framework.model import Group as ModelGroup
from xiangcun_eval.framework.nodes import Group, Indicator


def test_label_and_percentage() -> None:
    ind = Indicator(code="x1", name_zh="指标", name_en="Indicator", level=1, parent="A", unit="％")
    assert ind.label == "指标 / Indicator"
    assert ind.is_percentage
    assert not Indicator(code="x2", name_zh="a", name_en="b", level=1, unit="元").is_percentage
    assert ModelGroup is Group  # still importable from the model module


@pytest.mark.parametrize("code", ["1abc", "a b", "", "x" * 65, "a/b"])
def test_bad_codes_are_rejected(code: str) -> None:
    with pytest.raises(FrameworkError, match=r"Group: 字段 code 有误 / field 'code'"):
        Group(code=code, name_zh="组", name_en="Group", level=2)


def test_unknown_fields_and_frozen() -> None:
    with pytest.raises(FrameworkError, match="colour"):
        Group(code="A", name_zh="组", name_en="Group", level=2, colour="red")  # type: ignore[call-arg]
    g = Group(code="A", name_zh="组", name_en="Group", level=2)
    with pytest.raises(ValidationError):
        g.level = 3  # type: ignore[misc]
