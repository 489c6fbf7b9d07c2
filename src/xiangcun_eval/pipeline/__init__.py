"""The pipeline's reusable building blocks.

Shared by :func:`~xiangcun_eval.evaluate` and the uncertainty engine
(:mod:`xiangcun_eval.sensitivity.engine`).

* :mod:`.preprocess` -- denominate, impute, treat, normalise
  (:func:`preprocess` -> :class:`Preprocessed`);
* :mod:`.plan` -- level plans and weights (:class:`LevelPlan`,
  :func:`level_plans`, :func:`resolve_weights`, :func:`normalise_within`);
* :mod:`.tree` -- aggregation level by level (:func:`aggregate_level`,
  :func:`aggregate_tree`), replicate axes allowed;
* :mod:`.scale` -- the index's scale and whether threshold grade bands fit it
  (:func:`index_scale`, :func:`check_grading`).

Data flows one way: inputs -> methods -> pipeline -> results.  Nothing here
imports :mod:`xiangcun_eval.results` or :mod:`xiangcun_eval.evaluate`.
"""

from .plan import LevelPlan, level_plans, normalise_within, resolve_weights
from .preprocess import Preprocessed, check_codes, preprocess
from .scale import Scale, check_grading, grading_problem, index_scale
from .tree import aggregate_level, aggregate_tree

__all__ = [
    "LevelPlan",
    "Preprocessed",
    "Scale",
    "aggregate_level",
    "aggregate_tree",
    "check_codes",
    "check_grading",
    "grading_problem",
    "index_scale",
    "level_plans",
    "normalise_within",
    "preprocess",
    "resolve_weights",
]
