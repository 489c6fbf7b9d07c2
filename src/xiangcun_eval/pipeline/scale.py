"""The scale of an index, and whether threshold grade bands fit it (等级划分的适用范围).

Grade bands with fixed thresholds (the default: the PKU bands 80/60/40/20) are
defined on a 0-100 scale.  They mean something only when the index lies on a
scale that reaches them: a TOPSIS closeness in [0, 1], z-scores around 0, an
efficacy score in [60, 100] or a mean of z-scores around 100 give every unit
the same grade (or a misleading one).  This module works out, from the
methodology alone, the range the top-level scores can take:

* ``Scale("range", lo, hi)``: scores lie in ``[lo, hi]`` (min-max, goalposts,
  efficacy, percentile ..., and means of such children; TOPSIS ``[0, scale]``);
* ``Scale("centred", m, s)``: scores are centred on ``m`` with spread ``s``
  (z-scores; MPI/AMPI around 100 with spread 10);
* ``Scale("unknown")``: the method's range depends on the data (ranks, Borda,
  raw values, ratios to a reference, Copeland ...): not checked.

:func:`grading_problem` says why bands do not fit (``None`` when they do):
a ``range`` scale must contain every threshold; a ``centred`` scale must have
every threshold within ``m ± 4 s``.  :func:`check_grading` raises a
:class:`~xiangcun_eval.errors.MethodError` with the fix, and
:func:`grading_note_for_space` is the uncertainty analysis' version: a space
whose alternatives move the index off the bands' scale gets a note instead of
grade probabilities.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import MethodError
from ..framework.model import Framework
from ..methodology import AggregateSpec, GradingSpec, Methodology, NormaliseSpec

__all__ = ["Scale", "check_grading", "grading_note_for_space", "grading_problem", "index_scale"]

#: Aggregators whose output lies within the range of their children.
_MEANS = frozenset({"arithmetic", "geometric", "harmonic", "genmean"})
#: Half-width, in spreads, of the scores a centred scale is taken to reach.
_SPREADS = 4.0


@dataclass(frozen=True)
class Scale:
    """Range of scores: ``range`` [a, b], ``centred`` on a with spread b, or ``unknown``."""

    kind: Literal["range", "centred", "unknown"]
    a: float = math.nan
    b: float = math.nan

    def __str__(self) -> str:
        if self.kind == "range":
            return f"[{self.a:g}, {self.b:g}]"
        if self.kind == "centred":
            return f"{self.a:g} ± {self.b:g}·k"
        return "unknown"


_UNKNOWN = Scale("unknown")


def normalise_scale(spec: NormaliseSpec) -> Scale:
    """Output scale of a normalisation spec."""
    p: dict[str, Any] = spec.resolved_params()
    m = spec.method
    if m in ("minmax",):
        return Scale("range", float(p["lower"]), float(p["upper"]))
    if m == "goalposts":
        return Scale("range", 0.0, float(p["scale"])) if p["truncate"] else _UNKNOWN
    if m == "efficacy":
        return Scale("range", float(p["base"]), float(p["base"]) + float(p["span"]))
    if m == "zscore":
        return Scale("centred", float(p["mean"]), float(p["sd"]))
    if m in ("percentile", "dist2max", "fracmax"):
        return Scale("range", 0.0, 1.0)
    if m == "range_shift":
        return Scale("range", 0.0, 1.0 + float(p["shift"]))
    if m == "target_ratio":
        return Scale("range", 0.0, float(p["scale"])) if p["cap"] else _UNKNOWN
    return _UNKNOWN


def _hull(scales: Iterable[Scale]) -> Scale:
    out: Scale | None = None
    for s in scales:
        if out is None:
            out = s
        elif s.kind == "unknown" or out.kind == "unknown":
            return _UNKNOWN
        elif s.kind == "range" and out.kind == "range":
            out = Scale("range", min(out.a, s.a), max(out.b, s.b))
        elif s != out:
            return _UNKNOWN
    return out if out is not None else _UNKNOWN


def aggregate_scale(spec: AggregateSpec, children: Scale) -> Scale:
    """Output scale of an aggregation spec given its children's scale."""
    m = spec.method
    if m in _MEANS:
        return children
    p: dict[str, Any] = spec.resolved_params()
    if m == "topsis":
        return Scale("range", 0.0, float(p["scale"]))
    if m == "bod":
        return Scale("range", 0.0, 1.0)
    if m in ("mpi", "ampi"):
        return Scale("centred", 100.0, 10.0)
    return _UNKNOWN


def index_scale(framework: Framework, methodology: Methodology) -> Scale:
    """Scale of the top-level (index) scores of ``methodology`` on ``framework``."""
    # one scale per distinct spec (most indicators share the global one)
    specs = {id(sp): sp for sp in map(methodology.normalise_for, framework.indicator_codes)}
    s = _hull(normalise_scale(sp) for sp in specs.values())
    for level in range(2, framework.max_level + 1):
        s = aggregate_scale(methodology.aggregate_for(level), s)
    return s


def _problem(scale: Scale, grading: GradingSpec) -> str | None:
    if grading.kind != "thresholds" or scale.kind == "unknown":
        return None
    t = grading.thresholds
    lo, hi = min(t), max(t)
    if scale.kind == "range":
        if scale.a <= lo and hi <= scale.b:
            return None
        return (f"指数得分范围 {scale} 达不到等级阈值 {list(t)} / the index scores lie in "
                f"{scale}, which does not reach the grade thresholds {list(t)}")
    m, s = scale.a, scale.b
    if m - _SPREADS * s <= lo and hi <= m + _SPREADS * s:
        return None
    return (f"指数得分以 {m:g} 为中心、离散度 {s:g} / the index scores are centred on {m:g} with "
            f"spread {s:g}, far from the grade thresholds {list(t)}")


_QUANTILES = ("GradingSpec(kind='quantiles', thresholds=(0.8, 0.6, 0.4, 0.2)); in TOML "
              "[grading] kind = \"quantiles\", thresholds = [0.8, 0.6, 0.4, 0.2]")
_FIX = (f"改用分位数分级 {_QUANTILES}，或把指数放到阈值的尺度上(如 TOPSIS params scale = 100，"
        "min-max 0–100，goalposts scale = 100)，或给出该尺度上的阈值 / use quantile grading "
        f"({_QUANTILES}), put the index on the bands' scale (e.g. TOPSIS params scale = 100, "
        "min-max 0-100, goalposts scale = 100), or give thresholds on the index's own scale")


def grading_problem(framework: Framework, methodology: Methodology) -> str | None:
    """Why the methodology's threshold bands do not fit its index scale (``None`` if they do)."""
    return _problem(index_scale(framework, methodology), methodology.grading)


def check_grading(framework: Framework, methodology: Methodology) -> None:
    """Raise :class:`MethodError` when threshold bands cannot be reached by the index.

    Called when an evaluation is built, before anything is computed.
    """
    why = grading_problem(framework, methodology)
    if why is not None:
        raise MethodError(f"等级划分不适用 / grade bands do not fit: {why}. {_FIX}")


def _substitute(m: Methodology, factor: Any, spec: Any) -> Methodology:
    """``m`` with one alternative of a Normalise/AggregateAlternatives factor in place."""
    if isinstance(spec, NormaliseSpec):
        codes = getattr(factor, "indicators", None)
        if codes is None:
            return m.model_copy(update={"normalise": spec})
        return m.model_copy(update={"normalise_by_indicator": {
            **m.normalise_by_indicator, **dict.fromkeys(codes, spec)}})
    levels = getattr(factor, "levels", None)
    if levels is None:
        return m.model_copy(update={"aggregate": spec})
    return m.model_copy(update={"aggregate_by_level": {
        **m.aggregate_by_level, **dict.fromkeys(levels, spec)}})


def grading_note_for_space(framework: Framework, methodology: Methodology,
                           factors: Iterable[Any]) -> str:
    """A note (empty when none is needed) for an uncertainty analysis whose
    normalisation or aggregation alternatives put some replicates on another
    scale than the grade bands'.

    ``factors`` are the space's factors; those whose ``alternatives`` are
    normalisation or aggregation specs are checked in every combination
    (numeric parameter ranges are not).
    """
    alts = [f for f in factors if any(isinstance(a, NormaliseSpec | AggregateSpec)
                                      for a in getattr(f, "alternatives", ()))]
    if methodology.grading.kind != "thresholds" or not alts:
        return ""
    bad: list[str] = []
    for combo in itertools.product(*(f.alternatives for f in alts)):
        m = methodology
        for f, spec in zip(alts, combo, strict=True):
            m = _substitute(m, f, spec)
        if grading_problem(framework, m) is not None:
            bad.append(" + ".join(spec.method for spec in combo))
    if not bad:
        return ""
    return ("等级概率未列出：部分重复的指数尺度与等级阈值不符 / grade probabilities are not "
            f"shown: some replicates put the index on another scale than the grade bands "
            f"({'; '.join(bad)}); use quantile grading or alternatives on the bands' scale")
