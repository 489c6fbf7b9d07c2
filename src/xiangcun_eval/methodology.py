"""The methodology of an evaluation as a value: :class:`Methodology`.

A methodology names, for every stage of the composite-indicator pipeline,
which method to use and with which parameters: imputation, outlier
treatment, normalisation, weights, aggregation, ranking and grading.  Each
stage can be set globally and overridden per level (weights, aggregation) or
per indicator (imputation, treatment, normalisation).  Methods are looked up
in the stage registries of :mod:`xiangcun_eval.methods` and their parameters
are validated when the methodology is built, so a methodology file with a
typo fails at load time, not half-way through a Monte Carlo run.

The same methodology + framework + data always give bitwise-identical
results; an :class:`~xiangcun_eval.results.Evaluation` records the
methodology it was built with, so any result can be replayed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from ._checked import CheckedModel
from .errors import MethodError
from .io.serial import TomlModel
from .methods import aggregate as _aggregate
from .methods import impute as _impute
from .methods import normalise as _normalise
from .methods import transform as _transform
from .methods import treat as _treat
from .methods import weights as _weights
from .methods._registry import Registry

__all__ = [
    "AggregateSpec",
    "GradingSpec",
    "ImputeSpec",
    "Methodology",
    "NormaliseSpec",
    "RankingSpec",
    "TransformSpec",
    "TreatSpec",
    "WeightSpec",
    "as_methodology",
]


class _Spec(CheckedModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    method: str
    params: dict[str, Any] = Field(default_factory=dict)

    _registry: Registry  # set on subclasses

    @model_validator(mode="after")
    def _check_method(self) -> _Spec:
        reg = self._registry_for()
        if reg is not None:
            reg.validate(self.method, self.params)
        return self

    @classmethod
    def _registry_for(cls) -> Registry | None:
        return None

    def resolved_params(self) -> dict[str, Any]:
        """Parameters with the method's defaults filled in."""
        reg = self._registry_for()
        if reg is None:
            return dict(self.params)
        return reg.validate(self.method, self.params).model_dump()

    def __hash__(self) -> int:
        return hash(json.dumps(self.model_dump(mode="json"), sort_keys=True))


class ImputeSpec(_Spec):
    """Imputation (缺失值插补): method, parameters and grouping column.

    The unit column defines groups for group methods (``group_by = "province"``).
    """

    method: str = "none"
    group_by: str | None = None

    @classmethod
    def _registry_for(cls) -> Registry:
        return _impute.REGISTRY


class TreatSpec(_Spec):
    """Outlier treatment (异常值处理)."""

    method: str = "none"

    @classmethod
    def _registry_for(cls) -> Registry:
        return _treat.REGISTRY


class TransformSpec(_Spec):
    """Transformation before normalisation (变换).

    ``ln``, ``log10``, ``log1p``, ``signed_log``, ``sqrt``, ``boxcox`` (``lmbda``),
    ``cap`` or ``none``.

    ``cap = true`` clips the raw values to the indicator's goalposts first
    ("cap at goalposts"; the method ``cap`` does only that).  The indicator's
    goalposts and target, given on the raw scale, are transformed with the
    values (:mod:`xiangcun_eval.methods.transform`).
    """

    method: str = "none"
    cap: bool = False

    @classmethod
    def _registry_for(cls) -> Registry:
        return _transform.REGISTRY


class NormaliseSpec(_Spec):
    """Normalisation (标准化 / 无量纲化)."""

    method: str = "minmax"

    @classmethod
    def _registry_for(cls) -> Registry:
        return _normalise.REGISTRY


class WeightSpec(_Spec):
    """Weights of the children of every group at one level.

    ``method = "framework"`` uses the framework's default weights (after any
    weight set and overrides); ``"equal"`` equal weights; any other name is
    a method of :mod:`xiangcun_eval.methods.weights` computed per group from
    the data entering the aggregation (``on = "normalised"``) or from the
    treated raw indicator values (``on = "raw"``, level 2 only).  ``"ahp"``
    reads pairwise matrices from ``file``.
    """

    method: str = "framework"
    on: Literal["normalised", "raw"] = "normalised"
    file: str | None = None

    @classmethod
    def _registry_for(cls) -> Registry | None:
        return None

    @model_validator(mode="after")
    def _check_weights(self) -> WeightSpec:
        if self.method in ("framework",):
            if self.params:
                raise MethodError(
                    "权重方法 'framework' 没有参数 / 'framework' weights take no params"
                )
            return self
        if self.method == "ahp" and self.file is None and "matrix" not in self.params:
            raise MethodError(
                "AHP 权重需要判断矩阵文件 / 'ahp' weights need file = '<matrices.toml>' "
                "(or params.matrix for a level with a single group)"
            )
        if self.method == "bod":
            raise MethodError(
                "'bod' 给出每个单位各自的权重, 请用合成方法 aggregate = 'bod' / "
                "benefit-of-the-doubt weights differ per unit: use it as an aggregation "
                "method (AggregateSpec(method='bod'))"
            )
        _weights.REGISTRY.validate(self.method, self.params)
        return self


class AggregateSpec(_Spec):
    """Aggregation (加权合成) of one level.

    With an optional minimum share of available children below which the unit's
    score is missing.
    """

    method: str = "arithmetic"
    min_availability: float | None = Field(default=None, ge=0.0, le=1.0)

    @classmethod
    def _registry_for(cls) -> Registry:
        return _aggregate.REGISTRY


class RankingSpec(CheckedModel):
    """Ranking rules: rank 1 = best, ties get the minimum rank, missing stays missing.

    ``within`` lists unit columns to rank within (``None`` = ``province`` and
    ``region`` where the data has them, otherwise every grouping column of the
    data).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    within: tuple[str, ...] | None = None


class GradingSpec(CheckedModel):
    """Grade bands of the index score.

    ``kind = "thresholds"``: ``thresholds`` in decreasing order, a score
    ``>= thresholds[k]`` (and below the previous threshold) gets
    ``labels[k]``; below the last threshold gets the last label.  Default:
    the PKU county digital-village index bands 高/较高/中等/较低/低 at
    80/60/40/20.  ``kind = "quantiles"``: the thresholds are the given
    quantiles of the observed scores (e.g. ``(0.8, 0.6, 0.4, 0.2)``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["thresholds", "quantiles"] = "thresholds"
    thresholds: tuple[float, ...] = (80.0, 60.0, 40.0, 20.0)
    labels_zh: tuple[str, ...] = ("高", "较高", "中等", "较低", "低")
    labels_en: tuple[str, ...] = ("high", "upper-middle", "middle", "lower-middle", "low")

    @model_validator(mode="after")
    def _check(self) -> GradingSpec:
        n = len(self.thresholds)
        if len(self.labels_zh) != n + 1 or len(self.labels_en) != n + 1:
            raise MethodError(
                f"等级标签数应为阈值数+1 / grading needs {n + 1} labels for {n} thresholds, "
                f"got {len(self.labels_zh)} (zh) and {len(self.labels_en)} (en)"
            )
        if any(a <= b for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)):
            raise MethodError(
                f"等级阈值须严格递减 / grading thresholds must be strictly decreasing: "
                f"{self.thresholds}"
            )
        if self.kind == "quantiles" and any(not 0 < q < 1 for q in self.thresholds):
            raise MethodError("分位数阈值须在 (0, 1) 内 / quantile thresholds must lie in (0, 1)")
        return self


class Methodology(TomlModel):
    """Every choice of an evaluation, validated and serialisable.

    Parameters
    ----------
    name
        A label for reports.
    denominate
        Divide indicators that declare a ``denominator`` by that unit column
        first (COINr's ``Denominate``).
    impute, treat, transform, normalise
        Global specs; ``*_by_indicator`` override them per indicator code.
        ``transform`` (default none) runs after treatment and before
        normalisation, on the values and on the goalposts and targets.
    weight_set
        A weight-set file (path or the name of a file in the shipped
        ``weights/`` folder) replacing the framework's default weights.
    weight_overrides
        Node code -> weight, applied last.
    weights
        Global weighting spec; ``weights_by_level`` overrides per level
        (level 2 = weights of indicators within their groups, ...).
    aggregate, aggregate_by_level
        Aggregation per level (level L = aggregating level L-1 into L).
    ranking, grading
        Ranking and grading rules.

    Notes
    -----
    The default is the OECD/JRC Handbook (2008) baseline that COINr also
    uses: no imputation (missing children are skipped and the weights of
    the available ones renormalised), no outlier treatment, min-max
    normalisation to [0, 100] with directions applied, the framework's
    weights, weighted arithmetic aggregation, PKU grade bands.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    _what: ClassVar[tuple[str, str]] = ("方法设定", "methodology")

    name: str = "default"
    denominate: bool = False
    impute: ImputeSpec = Field(default_factory=ImputeSpec)
    impute_by_indicator: dict[str, ImputeSpec] = Field(default_factory=dict)
    treat: TreatSpec = Field(default_factory=TreatSpec)
    treat_by_indicator: dict[str, TreatSpec] = Field(default_factory=dict)
    transform: TransformSpec = Field(default_factory=TransformSpec)
    transform_by_indicator: dict[str, TransformSpec] = Field(default_factory=dict)
    normalise: NormaliseSpec = Field(
        default_factory=lambda: NormaliseSpec(
            method="minmax", params={"lower": 0.0, "upper": 100.0}
        )
    )
    normalise_by_indicator: dict[str, NormaliseSpec] = Field(default_factory=dict)
    weight_set: str | None = None
    weight_overrides: dict[str, float] = Field(default_factory=dict)
    weights: WeightSpec = Field(default_factory=WeightSpec)
    weights_by_level: dict[int, WeightSpec] = Field(default_factory=dict)
    aggregate: AggregateSpec = Field(default_factory=AggregateSpec)
    aggregate_by_level: dict[int, AggregateSpec] = Field(default_factory=dict)
    ranking: RankingSpec = Field(default_factory=RankingSpec)
    grading: GradingSpec = Field(default_factory=GradingSpec)

    @field_validator("weight_overrides")
    @classmethod
    def _nonneg(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: w for k, w in v.items() if not w >= 0}
        if bad:
            raise MethodError(f"权重不能为负 / weight overrides must be >= 0: {bad}")
        return v

    # ------------------------------------------------------------ per level
    def weights_for(self, level: int) -> WeightSpec:
        """Return the weighting of ``level``: ``weights_by_level``, else ``weights``."""
        return self.weights_by_level.get(level, self.weights)

    def aggregate_for(self, level: int) -> AggregateSpec:
        """Return the aggregation of ``level``: ``aggregate_by_level``, else ``aggregate``."""
        return self.aggregate_by_level.get(level, self.aggregate)

    def normalise_for(self, code: str) -> NormaliseSpec:
        """Return the normalisation of indicator ``code``, else the default ``normalise``."""
        return self.normalise_by_indicator.get(code, self.normalise)

    def transform_for(self, code: str) -> TransformSpec:
        """Return the transformation of indicator ``code``, else the default ``transform``."""
        return self.transform_by_indicator.get(code, self.transform)

    def impute_for(self, code: str) -> ImputeSpec:
        """Return the imputation of indicator ``code``, else the default ``impute``."""
        return self.impute_by_indicator.get(code, self.impute)

    def treat_for(self, code: str) -> TreatSpec:
        """Return the outlier treatment of indicator ``code``, else the default ``treat``."""
        return self.treat_by_indicator.get(code, self.treat)

    def replace(self, **changes: Any) -> Methodology:
        """Return a validated copy with some fields changed."""
        return Methodology.model_validate({**self.model_dump(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """JSON/TOML-compatible dict.

        The transform stage is left out while it is unused, so methodologies
        without transforms keep their digests.
        """
        out = super().to_dict()
        if not self.transform_by_indicator:
            out.pop("transform_by_indicator", None)
            if self.transform == TransformSpec():
                out.pop("transform", None)
        return out

    def digest(self) -> str:
        """SHA-256 of the canonical JSON form."""
        return hashlib.sha256(
            json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


def as_methodology(m: Methodology | str | Path | None) -> Methodology:
    """Resolve the methodology an entry point was given.

    ``None`` is the default :class:`Methodology`, a ``str``/``Path`` a TOML file
    (:meth:`Methodology.coerce`).

    Used by :func:`~xiangcun_eval.evaluate`, the analysis entry points and the CLI.
    """
    return Methodology() if m is None else Methodology.coerce(m)
