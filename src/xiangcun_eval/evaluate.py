"""The evaluation pipeline: validated data + methodology -> :class:`Evaluation`.

Stages, in order (each one a pure array kernel from :mod:`xiangcun_eval.methods`):

1. denominate (optional): ``x / denominator`` for indicators that name one;
2. impute: per indicator spec, groups from a unit column;
3. treat: outlier treatment per indicator spec, with a report;
4. normalise: directions applied, per indicator spec;
5. weights: level by level, from the framework / a weight set / overrides,
   or computed from the data (entropy, CRITIC, AHP ...);
6. aggregate: level by level; weights renormalised over available children;
   optional minimum data availability;
7. rank (1 = best, ties "min", missing stays missing), within groups, grade.

The building blocks live in :mod:`xiangcun_eval.pipeline` (stages 1-4 in
``pipeline/preprocess.py``, weights in ``pipeline/plan.py``, aggregation in
``pipeline/tree.py``), shared with the uncertainty engine; ranking and grading
happen in :class:`~xiangcun_eval.results.Evaluation`.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import pipeline as _pipeline
from .inputs.data import UnitData
from .methodology import Methodology, as_methodology
from .results import Evaluation

__all__ = ["evaluate"]

F64 = NDArray[np.float64]

_MOVED = frozenset({
    "LevelPlan", "Preprocessed", "aggregate_level", "aggregate_tree", "level_plans",
    "normalise_within", "preprocess", "resolve_weights",
})


def __getattr__(name: str) -> Any:
    """Resolve the building blocks that lived here before 0.2, with a DeprecationWarning."""
    if name in _MOVED:
        warnings.warn(
            f"xiangcun_eval.evaluate.{name} moved to xiangcun_eval.pipeline.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def evaluate(
    data: UnitData,
    methodology: Methodology | str | Path | None = None,
    *,
    check_scale: bool = True,
) -> Evaluation:
    """Score every unit at every level of its framework.

    Parameters
    ----------
    data
        Validated data (from :func:`~xiangcun_eval.read_submissions` or
        :func:`~xiangcun_eval.read_unit_table`).
    methodology
        A :class:`Methodology`, a path to a methodology TOML file, or
        ``None`` for the default (see :class:`Methodology`).
    check_scale
        Refuse threshold grade bands the index cannot reach (default): a
        methodology whose top-level scores lie on another scale than the
        bands (TOPSIS in [0, 1], z-scores, [0, 1] goalposts ...) raises
        :class:`MethodError` naming the fix (:mod:`xiangcun_eval.pipeline.scale`).
        ``False`` applies the bands whatever the scale, as the uncertainty
        engine does for its replicates (used by ``replay`` and one-at-a-time
        analysis).

    Returns
    -------
    Evaluation
        Immutable result with scores, ranks, grades, weights and every
        intermediate data set, recording the methodology, the framework and
        data digests and the library version.

    Examples
    --------
    >>> import xiangcun_eval as xe                                # doctest: +SKIP
    >>> data = xe.read_submissions("demo.csv", "dvd-2023")        # doctest: +SKIP
    >>> ev = xe.evaluate(data)                                    # doctest: +SKIP
    >>> print(ev.ranking(top=10))                                 # doctest: +SKIP
    """
    methodology = as_methodology(methodology)
    if not isinstance(data, UnitData):
        raise TypeError(
            f"evaluate() 需要 UnitData / evaluate() takes UnitData (from read_submissions or "
            f"read_unit_table), got {type(data).__name__}"
        )
    fw = data.framework
    if check_scale:
        _pipeline.check_grading(fw, methodology)
    pre = _pipeline.preprocess(data, methodology)
    plans = _pipeline.level_plans(fw, methodology)
    scores: list[F64] = [pre.normalised]
    weights: list[F64] = []
    x = pre.normalised
    for plan in plans:
        w = _pipeline.resolve_weights(plan, x, pre.treated, pre.direction)
        weights.append(w)
        x = _pipeline.aggregate_level(plan, x, w, units=data.units)
        scores.append(x)
    return Evaluation.build(
        data=data, methodology=methodology, pre=pre, plans=plans, weights=weights, scores=scores
    )
