"""The nodes of an indicator framework: :class:`Group` and :class:`Indicator`.

Every node has a code, a Chinese and an English name, a level (1 =
indicator), a parent (``None`` only for the index) and an optional default
weight.  Indicators also carry what the scoring rules need (unit, direction,
bounds, target, goalposts) and their documentation (source department,
definition, formula, policy task, reference).  The tree they form is
:class:`~xiangcun_eval.framework.model.Framework`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AnyNode", "Code", "Group", "Indicator", "Node"]

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]*$")]


class Node(BaseModel):
    """Fields shared by every node of a framework."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    """Unique identifier (ASCII letters, digits, ``_ . -``; not starting with a digit)."""
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    level: int = Field(ge=1)
    """1 = indicator, 2 = first group level, ..., ``max_level`` = index."""
    parent: Code | None = None
    weight: float | None = None
    """Default relative weight within the parent group (``None`` = 1)."""
    description: str = ""

    @property
    def label(self) -> str:
        """Bilingual display label, Chinese first: ``"名称 / Name"``."""
        return f"{self.name_zh} / {self.name_en}"


class Group(Node):
    """An aggregate node: a group of indicators or of other groups, or the index."""

    kind: Literal["group"] = "group"


class Indicator(Node):
    """A measured indicator (三级指标) with the rules its values must satisfy."""

    kind: Literal["indicator"] = "indicator"
    unit: str = ""
    """Unit of measurement, e.g. ``"%"``, ``"元/人"``, ``"个/万人"``."""
    direction: int = 1
    """+1 benefit (higher is better, 正向), -1 cost (lower is better, 逆向)."""
    lower_bound: float | None = None
    """Smallest physically possible value (e.g. 0 for a rate or a count)."""
    upper_bound: float | None = None
    """Largest physically possible value (e.g. 100 for a percentage)."""
    target: float | None = None
    """Value that means full attainment (目标值)."""
    goalposts: tuple[float, float] | None = None
    """Fixed (lower, upper) normalisation goalposts in raw units."""
    denominator: str | None = None
    """Unit-table column to divide raw values by (COINr's Denominator)."""
    source: str = ""
    """Data-source department (数据来源), e.g. ``"县农业农村局"``."""
    definition: str = ""
    formula: str = ""
    policy_task: str | None = None
    """Code of the policy task (group) the indicator serves, where relevant."""
    reference: str = ""
    """Where the definition or benchmark value comes from."""

    @property
    def is_percentage(self) -> bool:
        """True when values are percentages (unit ``%``); a trailing ``%`` then parses."""
        return self.unit.strip() in {"%", "％", "percent", "Percent"}


AnyNode = Annotated[Group | Indicator, Field(discriminator="kind")]
