"""The nodes of an indicator framework: :class:`Group` and :class:`Indicator`.

Every node has a code, a Chinese and an English name, a level (1 =
indicator), a parent (``None`` only for the index) and an optional default
weight.  Indicators also carry what the scoring rules need (unit, direction,
bounds, target, benchmark, goalposts and their basis, applicability,
zero-variance policy, rollup rule) and their documentation (source
department, definition, formula, policy task, reference).  The tree they form is
:class:`~xiangcun_eval.framework.model.Framework`.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

from .._checked import CheckedModel

__all__ = ["AnyNode", "Benchmark", "Code", "Group", "Indicator", "Node", "RollupRule"]

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]*$")]

RollupRule = Literal["sum", "weighted_mean", "mean"]
"""How raw indicator values of units roll up to a province or region:
``sum`` (counts and amounts), ``weighted_mean`` (rates and per-capita values:
weighted by their denominator, e.g. the number of administrative villages or
the rural population, which equals the ratio of the summed numerators to the
summed denominators), ``mean`` (plain mean over units; yes/no items give the
share of units with "yes")."""


class Benchmark(CheckedModel):
    """A reference value that is not the unit's own goal (基准值).

    A past national average (``kind = "average"``), or a goal set for a later
    year (``kind = "goal"``).  Attainment reports it beside the target,
    labelled, and never counts it as the target.
    """

    _error_kind: ClassVar[str] = "framework"

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float
    year: int = Field(ge=1949, le=2100)
    """The year the value describes (an average) or is set for (a goal)."""
    source: str = Field(min_length=1)
    """Publication the value comes from."""
    kind: Literal["average", "goal"] = "average"

    @property
    def label(self) -> str:
        """Bilingual label, e.g. ``"2021年全国平均 national average (2021)"``."""
        if self.kind == "goal":
            return f"{self.year}年目标 goal for {self.year}"
        return f"{self.year}年全国平均 national average ({self.year})"


class Node(CheckedModel):
    """Fields shared by every node of a framework."""

    _error_kind: ClassVar[str] = "framework"

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
    """Value that means full attainment of a real goal for the evaluation year
    (目标值).  Past averages and goals for later years are benchmarks."""
    benchmark: Benchmark | None = None
    """Reference value with its year and source (基准值): a past national
    average or a goal for a later year; reported beside the target."""
    goalposts: tuple[float, float] | None = None
    """Fixed (lower, upper) normalisation goalposts in raw units."""
    goalposts_basis: str = ""
    """Why the goalposts are where they are (source or stated convention)."""
    applicability: str = ""
    """Which units the indicator applies to, when not all (适用范围).  When set,
    a blank cell means "not applicable": it is never imputed, and the unit is
    scored on the other indicators of the group (weights renormalised)."""
    zero_variance: Literal["error", "constant", "nan"] | None = None
    """Policy when every unit reports the same value (yes/no and ceiling items):
    the default for normalisation methods that need a data range and whose
    methodology does not set ``zero_variance`` itself.  ``None`` = the
    methodology's (by default an error)."""
    rollup: RollupRule | None = None
    """How raw values roll up to provinces and regions (see :data:`RollupRule`)."""
    rollup_weight: str | None = None
    """For ``rollup = "weighted_mean"``: the base quantity (a unit column such as
    ``administrative_villages``, ``rural_population``) that weights the mean."""
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
