"""Shared fixtures for the input tests: a small framework and file writers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from xiangcun_eval.framework import Framework, Group, Indicator

HEADER = "county_code,county_name,province,year,X1,X2,X3,X4"


@pytest.fixture
def fw() -> Framework:
    return Framework(
        code="mini", name_zh="小框架", name_en="Mini", nodes=(
            Group(code="IDX", name_zh="指数", name_en="Index", level=3),
            Group(code="A", name_zh="设施", name_en="Infrastructure", level=2, parent="IDX"),
            Group(code="B", name_zh="经济", name_en="Economy", level=2, parent="IDX"),
            Indicator(code="X1", name_zh="宽带覆盖率", name_en="Broadband coverage", level=1,
                      parent="A", unit="%", lower_bound=0, upper_bound=100),
            Indicator(code="X2", name_zh="网络零售额", name_en="Online retail", level=1,
                      parent="B", unit="万元", lower_bound=0),
            Indicator(code="X3", name_zh="是否建平台", name_en="Has platform", level=1,
                      parent="A", unit="是=1/否=0", lower_bound=0, upper_bound=1),
            Indicator(code="X4", name_zh="数字鸿沟", name_en="Digital gap", level=1,
                      parent="B", direction=-1),
        ),
    )


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(text, name="s.csv", encoding="utf-8") -> path"""

    def _write(text: str, name: str = "s.csv", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return _write


@pytest.fixture
def good_rows() -> list[str]:
    return [
        "410102,中原区,河南省,2023,45.5,1234,1,3.2",
        "410103,二七区,河南,2023,60,,0,2.1",
        "330102,上城区,浙江省,2023,88%,\"12,345.6\",1,NA",
        "419001,济源市,河南省,2023,70,500,1,-1.5",
    ]
