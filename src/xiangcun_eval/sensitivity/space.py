"""The uncertainty space (不确定性空间): what may vary, and how.

An :class:`UncertaintySpace` is a list of *uncertain inputs* ("factors").
Each factor is one input of the variance-based sensitivity analysis and one
block of columns of the uniform sample that drives every replicate:

==========================  ====================================================  =====
``kind``                    what varies                                           dims
==========================  ====================================================  =====
``weight_noise``            multiplicative noise ``w·(1 + a·(2u − 1))`` on the     one per
                            weights of the nodes at ``levels`` (COINr's            weight
                            ``get_noisy_weights``)
``weight_dirichlet``        Dirichlet weights around the nominal ones within       one per
                            each group, concentration ``c``: ``α_j = c·w_j``       weight
``weight_sets``             one of a list of alternative weight sets (node code    1
                            → weight, applied as ``weight_overrides``)
``impute`` / ``treat`` /    one of a list of alternative specs (as in              1
``normalise`` /             :mod:`xiangcun_eval.methodology`), globally or for
``aggregate``               some indicators / levels
``exclude``                 leave ``k`` of ``candidates`` (indicators or groups)   1
                            out (their weight set to 0, as COINr's
                            ``remove_elements``); optionally "none left out"
``data_noise``              relative measurement error per indicator:              1
                            ``x·(1 + e_j·(2v − 1))``, ``v`` a per-replicate
                            random field keyed by the factor's uniform
``parameter``               any methodology parameter on a range, by path          1
                            (``"normalise.params.upper"``), uniform on
                            ``[low, high]``, optionally on ``steps`` values
==========================  ====================================================  =====

``weight_noise`` and ``weight_dirichlet`` with ``per = "group"`` are split
into one factor per parent group, so that the sensitivity analysis says
*which group's* weights matter; with ``per = "weight"`` (default) all the
weights of the entry form one factor, as in COINr's vignette.

Discrete factors map their uniform ``u`` to alternative
``min(floor(u·k), k − 1)`` (fixed equal bins of [0, 1), see
:func:`~xiangcun_eval.sensitivity.design.to_discrete`; COINr bins the
observed range of the sample instead).

The space is a pydantic value: validated when built, and written to / read
from TOML (:meth:`UncertaintySpace.to_toml`, :meth:`UncertaintySpace.from_toml`).

Example (TOML)::

    name = "COINr vignette"

    [[factors]]
    kind = "weight_noise"
    levels = [2, 3]
    noise = 0.25

    [[factors]]
    kind = "normalise"
    alternatives = [
      { method = "minmax", params = { lower = 1.0, upper = 100.0 } },
      { method = "zscore", params = { mean = 10.0, sd = 2.0 } },
    ]

    [[factors]]
    kind = "aggregate"
    alternatives = [{ method = "arithmetic" }, { method = "geometric" }]
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from .._checked import CheckedModel, pydantic_errors
from ..errors import MethodError
from ..framework.model import Framework
from ..io.serial import TomlModel
from ..methodology import (
    AggregateSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    TreatSpec,
    WeightSpec,
)

__all__ = [
    "AggregateAlternatives",
    "DataNoise",
    "Exclusion",
    "Factor",
    "ImputeAlternatives",
    "NormaliseAlternatives",
    "ParameterRange",
    "TreatAlternatives",
    "UncertaintySpace",
    "WeightAlternatives",
    "WeightDirichlet",
    "WeightNoise",
    "WeightSetAlternatives",
]


class _Factor(CheckedModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = None
    """Display name (default derived from the kind); must be unique in a space."""

    def default_name(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def label(self) -> str:
        return self.name or self.default_name()


def _levels_name(levels: Sequence[int]) -> str:
    return ",".join(str(v) for v in levels)


class WeightNoise(_Factor):
    """Multiplicative weight noise ``w_j · (1 + a·(2u_j − 1))``, ``u_j ~ U[0, 1)``.

    ``levels`` are the levels of the *weighted nodes* (as COINr's
    ``noise_specs$Level``): 1 = indicator weights within their groups,
    2 = weights of the level-2 groups, ...  Each weight gets its own uniform.
    The result is renormalised within each group by the aggregation.
    """

    kind: Literal["weight_noise"] = "weight_noise"
    levels: tuple[int, ...] = Field(min_length=1)
    noise: float = Field(gt=0.0, lt=1.0)
    """Half-width ``a`` of the relative noise (0.25 = ±25 %); < 1 keeps weights positive."""
    per: Literal["weight", "group"] = "weight"

    def default_name(self) -> str:
        return f"weights L{_levels_name(self.levels)} ±{self.noise:g}"


class WeightDirichlet(_Factor):
    """Dirichlet weights around the nominal ones, independently per group.

    Within a group with nominal (normalised) weights ``w``, the weights are
    ``Dir(c·w)``: mean ``w``, variance ``w_j(1 − w_j)/(c + 1)``.  Sampled by
    inverse CDF (``g_j = P^{-1}(c·w_j, u_j)``, ``w = g / Σ g``) so that every
    weight is a function of its uniform only.
    """

    kind: Literal["weight_dirichlet"] = "weight_dirichlet"
    levels: tuple[int, ...] = Field(min_length=1)
    concentration: float = Field(gt=0.0)
    per: Literal["weight", "group"] = "weight"

    def default_name(self) -> str:
        return f"weights L{_levels_name(self.levels)} Dir(c={self.concentration:g})"


class WeightSetAlternatives(_Factor):
    """One of several alternative weight sets (node code → weight).

    Named like the other ``*Alternatives`` factors; not to be confused with
    :class:`~xiangcun_eval.WeightSet` (a weights *file*).  Until 0.2 this
    class was called ``WeightSets`` (still importable, with a
    DeprecationWarning); the TOML ``kind = "weight_sets"`` is unchanged.
    """

    kind: Literal["weight_sets"] = "weight_sets"
    sets: tuple[dict[str, float], ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _nonneg(self) -> WeightSetAlternatives:
        for k, s in enumerate(self.sets):
            bad = {c: w for c, w in s.items() if not w >= 0}
            if bad:
                raise MethodError(
                    f"权重集 {k} 含负权重 / weight set {k} has negative weights: {bad}")
        return self

    def default_name(self) -> str:
        return "weight set"


class _Alternatives(_Factor):
    @property
    def n_alternatives(self) -> int:
        return len(self.alternatives)  # type: ignore[attr-defined]


class ImputeAlternatives(_Alternatives):
    """Alternative imputation specs (for ``indicators``, default all)."""

    kind: Literal["impute"] = "impute"
    alternatives: tuple[ImputeSpec, ...] = Field(min_length=1)
    indicators: tuple[str, ...] | None = None

    def default_name(self) -> str:
        return "impute"


class TreatAlternatives(_Alternatives):
    """Alternative outlier-treatment specs (for ``indicators``, default all)."""

    kind: Literal["treat"] = "treat"
    alternatives: tuple[TreatSpec, ...] = Field(min_length=1)
    indicators: tuple[str, ...] | None = None

    def default_name(self) -> str:
        return "treat"


class NormaliseAlternatives(_Alternatives):
    """Alternative normalisation specs (for ``indicators``, default all)."""

    kind: Literal["normalise"] = "normalise"
    alternatives: tuple[NormaliseSpec, ...] = Field(min_length=1)
    indicators: tuple[str, ...] | None = None

    def default_name(self) -> str:
        return "normalise"


class AggregateAlternatives(_Alternatives):
    """Alternative aggregation specs at ``levels`` (aggregation levels 2..max;
    default every level)."""

    kind: Literal["aggregate"] = "aggregate"
    alternatives: tuple[AggregateSpec, ...] = Field(min_length=1)
    levels: tuple[int, ...] | None = None

    def default_name(self) -> str:
        return "aggregate"


class WeightAlternatives(_Alternatives):
    """Alternative weighting *methods* at ``levels`` (2..max; default every
    level): e.g. framework weights vs entropy vs CRITIC vs an AHP file.

    Each alternative is a :class:`~xiangcun_eval.WeightSpec`; data-driven
    methods are computed, as in :func:`~xiangcun_eval.evaluate`, from the data
    entering that level in the replicate's preprocessing.  Weight noise
    factors then perturb the chosen method's weights.
    """

    kind: Literal["weights"] = "weights"
    alternatives: tuple[WeightSpec, ...] = Field(min_length=1)
    levels: tuple[int, ...] | None = None

    def default_name(self) -> str:
        if self.levels is None:
            return "weighting method"
        return f"weighting method L{_levels_name(self.levels)}"


class Exclusion(_Factor):
    """Leave ``k`` of ``candidates`` out (weight 0), one subset per replicate.

    The alternatives are every ``k``-subset of ``candidates`` (in
    :func:`itertools.combinations` order), preceded by "nothing left out"
    when ``include_none`` is true.
    """

    kind: Literal["exclude"] = "exclude"
    candidates: tuple[str, ...] = Field(min_length=1)
    k: int = Field(default=1, ge=1)
    include_none: bool = True

    @model_validator(mode="after")
    def _check_k(self) -> Exclusion:
        if self.k > len(self.candidates):
            raise MethodError(
                f"排除个数 k={self.k} 超过候选数 {len(self.candidates)} / cannot leave out "
                f"k={self.k} of {len(self.candidates)} candidates")
        return self

    def subsets(self) -> list[tuple[str, ...]]:
        subs = list(itertools.combinations(self.candidates, self.k))
        return ([()] if self.include_none else []) + subs

    @property
    def n_alternatives(self) -> int:
        return len(self.subsets())

    def default_name(self) -> str:
        return f"leave {self.k} out"


class DataNoise(_Factor):
    """Relative measurement error: every raw value ``x`` becomes
    ``x · (1 + e_j·(2v − 1))`` with ``v ~ U[0, 1)`` independent per unit and
    indicator; ``e_j`` = ``by_indicator[code]`` or ``relative``."""

    kind: Literal["data_noise"] = "data_noise"
    relative: float = Field(default=0.0, ge=0.0, lt=1.0)
    by_indicator: dict[str, Annotated[float, Field(ge=0.0, lt=1.0)]] = Field(default_factory=dict)

    def default_name(self) -> str:
        return "data noise"


class ParameterRange(_Factor):
    """A methodology parameter on ``[low, high]``, addressed by a dotted path
    into the methodology (``"normalise.params.upper"``,
    ``"treat_by_indicator.X1.params.winmax"``, ``"aggregate.params.p"``,
    ``"weight_overrides.P1"``).

    ``steps`` restricts the values to ``steps`` equally spaced points
    (``low`` and ``high`` included), ``integer`` to the integers in the
    range; both make the factor discrete so each value is computed once.
    Without them every replicate has its own value and its own pipeline pass.
    """

    kind: Literal["parameter"] = "parameter"
    path: str = Field(min_length=1)
    low: float
    high: float
    steps: int | None = Field(default=None, ge=2)
    integer: bool = False

    @model_validator(mode="after")
    def _check(self) -> ParameterRange:
        if not self.high > self.low:
            raise MethodError(
                f"参数区间无效 / parameter {self.path!r}: need low < high, "
                f"got [{self.low}, {self.high}]")
        if self.integer and (self.low != int(self.low) or self.high != int(self.high)):
            raise MethodError(
                f"整数参数的界须为整数 / integer parameter {self.path!r} needs integer bounds")
        return self

    @property
    def stage(self) -> Literal["preprocess", "plans"]:
        """Which part of the pipeline the parameter changes."""
        head = self.path.split(".")[0]
        return "plans" if head.startswith(("aggregate", "weight")) else "preprocess"

    @property
    def n_values(self) -> int | None:
        """Number of distinct values, or None when continuous."""
        if self.integer:
            return int(self.high) - int(self.low) + 1
        return self.steps

    def value_of(self, j: int) -> float:
        """The ``j``-th value of a discrete parameter."""
        if self.integer:
            return float(int(self.low) + j)
        assert self.steps is not None
        return self.low + (self.high - self.low) * j / (self.steps - 1)

    def default_name(self) -> str:
        return self.path


Factor = Annotated[
    WeightNoise | WeightDirichlet | WeightSetAlternatives | ImputeAlternatives | TreatAlternatives
    | NormaliseAlternatives | AggregateAlternatives | WeightAlternatives | Exclusion | DataNoise
    | ParameterRange,
    Field(discriminator="kind"),
]


class UncertaintySpace(TomlModel):
    """The uncertain inputs of an uncertainty / sensitivity analysis.

    Parameters
    ----------
    factors
        The uncertain inputs, each one factor (see the module docstring).
    name
        A label for reports.

    Examples
    --------
    >>> from xiangcun_eval.sensitivity.space import UncertaintySpace, WeightNoise
    >>> sp = UncertaintySpace(factors=[WeightNoise(levels=(2,), noise=0.25)])
    >>> UncertaintySpace.from_toml_text(sp.to_toml()) == sp
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "uncertainty space"
    factors: tuple[Factor, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> UncertaintySpace:
        labels = [f.label for f in self.factors]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise MethodError(
                f"因素名称重复 / duplicate factor names {dup}: give each factor a distinct name")
        stages = [f.kind for f in self.factors
                  if f.kind in ("impute", "treat", "normalise", "aggregate", "data_noise")
                  and getattr(f, "indicators", None) is None and getattr(f, "levels", None) is None]
        twice = sorted({s for s in stages if stages.count(s) > 1})
        if twice:
            raise MethodError(
                f"同一阶段的全局备选出现多次 / more than one global factor for stage(s) {twice}: "
                "merge them into one list of alternatives")
        return self

    # ------------------------------------------------------------------ checks
    def check(self, framework: Framework, methodology: Methodology) -> None:
        """Check every code, level and path against a framework and methodology.

        Raises
        ------
        MethodError
            Listing every problem at once.
        """
        problems: list[str] = []
        fw = framework
        node_levels = range(1, fw.max_level)
        for f in self.factors:
            where = f"factor {f.label!r}"
            if isinstance(f, WeightNoise | WeightDirichlet):
                bad = [lv for lv in f.levels if lv not in node_levels]
                if bad:
                    problems.append(f"{where}: weight levels {bad} (nodes with weights are at "
                                    f"levels 1..{fw.max_level - 1})")
            elif isinstance(f, WeightSetAlternatives):
                for k, s in enumerate(f.sets):
                    unknown = sorted(set(s) - {n.code for n in fw.nodes})
                    if unknown:
                        problems.append(f"{where}: set {k} names unknown codes {unknown}")
            elif isinstance(f, ImputeAlternatives | TreatAlternatives | NormaliseAlternatives):
                unknown = sorted(set(f.indicators or ()) - set(fw.indicator_codes))
                if unknown:
                    problems.append(f"{where}: unknown indicators {unknown}")
            elif isinstance(f, AggregateAlternatives | WeightAlternatives):
                bad = [lv for lv in (f.levels or ()) if not 2 <= lv <= fw.max_level]
                if bad:
                    problems.append(f"{where}: aggregation levels {bad} (2..{fw.max_level})")
            elif isinstance(f, Exclusion):
                unknown = [c for c in f.candidates if c not in fw]
                if unknown:
                    problems.append(f"{where}: unknown codes {unknown}")
                elif fw.root.code in f.candidates:
                    problems.append(f"{where}: cannot leave out the index itself")
            elif isinstance(f, DataNoise):
                unknown = sorted(set(f.by_indicator) - set(fw.indicator_codes))
                if unknown:
                    problems.append(f"{where}: unknown indicators {unknown}")
            elif isinstance(f, ParameterRange):
                try:
                    set_path(methodology, f.path, f.low)
                    set_path(methodology, f.path, f.high)
                except MethodError as exc:
                    problems.append(f"{where}: {exc}")
        if problems:
            raise MethodError(
                "不确定性空间与框架或方法不符 / the uncertainty space does not fit the framework "
                f"{fw.code!r} or the methodology:\n" + "\n".join(f"  - {p}" for p in problems))

    # ---------------------------------------------------------------- serialise
    _what: ClassVar[tuple[str, str]] = ("不确定性空间", "uncertainty space")



def set_path(methodology: Methodology, path: str, value: Any) -> Methodology:
    """A validated copy of ``methodology`` with the value at ``path`` replaced.

    ``path`` is dotted: ``"normalise.params.upper"``; dictionary keys
    (indicator codes, levels) are path components; missing intermediate
    dictionaries of ``*_by_indicator`` / ``*_by_level`` / ``params`` /
    ``weight_overrides`` are created.
    """
    d = methodology.model_dump()
    parts = path.split(".")
    cur: Any = d
    for k, part in enumerate(parts[:-1]):
        key: Any = int(part) if isinstance(cur, dict) and _int_keyed(cur, part) else part
        if not isinstance(cur, dict):
            raise MethodError(f"路径无效 / invalid path {path!r} at {'.'.join(parts[:k + 1])!r}")
        if key not in cur or cur[key] is None:
            if k == 0:
                raise MethodError(
                    f"方法中没有字段 / the methodology has no field {part!r} ({path!r})")
            cur[key] = {}
        cur = cur[key]
    if not isinstance(cur, dict):
        raise MethodError(f"路径无效 / invalid path {path!r}")
    if len(parts) == 1 and parts[0] not in d:
        raise MethodError(f"方法中没有字段 / the methodology has no field {parts[0]!r}")
    last: Any = int(parts[-1]) if _int_keyed(cur, parts[-1]) else parts[-1]
    cur[last] = value
    try:
        with pydantic_errors():
            return Methodology.model_validate(d)
    except (ValidationError, MethodError) as exc:
        msg = exc.errors(include_url=False) if isinstance(exc, ValidationError) else str(exc)
        raise MethodError(
            f"参数路径 {path!r} = {value!r} 无效 / invalid value at {path!r}: {msg}") from None


def _int_keyed(d: dict[Any, Any], part: str) -> bool:
    return part.isdigit() and (not d or all(isinstance(k, int) for k in d))


def __getattr__(name: str) -> Any:
    """``WeightSets``: the name of :class:`WeightSetAlternatives` before 0.2
    (DeprecationWarning; removed in 0.3)."""
    if name == "WeightSets":
        warnings.warn(
            "WeightSets 已更名为 WeightSetAlternatives / WeightSets was renamed "
            "WeightSetAlternatives (the alias goes in 0.3)", DeprecationWarning, stacklevel=2)
        return WeightSetAlternatives
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
