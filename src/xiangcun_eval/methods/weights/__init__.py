"""Weighting kernels (权重方法).

Every data-driven kernel takes a 2-D float array ``x`` of shape
``(n_units, n_cols)`` -- the units and the columns (indicators or child
aggregates) of *one* aggregation group -- and returns weights of shape
``(n_cols,)`` that sum to 1.  Kernels marked ``replicates=True`` in
:data:`REGISTRY` also accept leading replicate axes ``(..., n_units, n_cols)``
and then return ``(..., n_cols)``.  Exceptions, stated in their docstrings:
benefit of the doubt returns per-unit weights ``(n_units, n_cols)``, COINr's
PC1 weights are raw (unnormalised) loadings.

Missing values (NaN) -- each kernel states its policy:

* column-wise available data: ``entropy``, ``cv``, ``sd`` (each column uses
  its own non-missing values; at least 2 per column);
* complete cases (rows without any NaN): ``critic``, ``pca_oecd``,
  ``pca_coinr``, :func:`optimise_balance` (correlations);
* not allowed (impute first): ``bod``.

Degenerate (constant) columns never produce silent numbers: either the
method defines their weight (entropy, sd: weight 0, because a constant column
carries no information) or a :class:`~xiangcun_eval.errors.MethodError`
names the column.

Besides the registered data kernels this module provides
:func:`ahp` (pairwise-comparison matrices), :func:`combine_weights`,
:func:`optimise_balance`, :func:`effective_weights`, :func:`varimax`,
:func:`factor_analysis_weights` and :func:`benefit_of_doubt`, which return
small result objects with diagnostics.

Layout (one module per family; ``registry`` holds :data:`REGISTRY`):

* ``given`` -- equal and explicit weights;
* ``statistical`` -- entropy, CRITIC, CV, SD;
* ``pairwise`` -- AHP;
* ``factor`` -- OECD/JRC PCA / factor analysis, COINr PC1 loadings, varimax;
* ``frontier`` -- benefit of the doubt (per-unit weights);
* ``combination`` -- combined subjective/objective weights;
* ``optimisation`` -- correlation-balance / infomax optimised weights;
* ``effective`` -- effective weights of a hierarchy.

See ``docs/methods-weights.md`` for the conventions and the references each
method was checked against.
"""

from __future__ import annotations

from .combination import CombinedParams, MethodSpec, combine_weights, combined
from .effective import effective_weights
from .factor import (
    FactorAnalysisResult,
    PCACoinrParams,
    PCAOecdParams,
    factor_analysis_weights,
    pca_coinr,
    pca_oecd,
    retain_factors,
    varimax,
)
from .frontier import BoDParams, BoDResult, benefit_of_doubt, bod_weights
from .given import ExplicitParams, equal, explicit
from .optimisation import OptimisedParams, OptimisedWeights, optimise_balance, optimised
from .pairwise import RANDOM_INDEX, AHPParams, AHPResult, ahp, ahp_weights
from .registry import REGISTRY
from .statistical import (
    CRITICParams,
    CVParams,
    EntropyParams,
    SDParams,
    coefficient_of_variation,
    critic,
    entropy,
    standard_deviation,
)

__all__ = [
    "RANDOM_INDEX",
    "REGISTRY",
    "AHPParams",
    "AHPResult",
    "BoDParams",
    "BoDResult",
    "CRITICParams",
    "CVParams",
    "CombinedParams",
    "EntropyParams",
    "ExplicitParams",
    "FactorAnalysisResult",
    "MethodSpec",
    "OptimisedParams",
    "OptimisedWeights",
    "PCACoinrParams",
    "PCAOecdParams",
    "SDParams",
    "ahp",
    "ahp_weights",
    "benefit_of_doubt",
    "bod_weights",
    "coefficient_of_variation",
    "combine_weights",
    "combined",
    "critic",
    "effective_weights",
    "entropy",
    "equal",
    "explicit",
    "factor_analysis_weights",
    "optimise_balance",
    "optimised",
    "pca_coinr",
    "pca_oecd",
    "retain_factors",
    "standard_deviation",
    "varimax",
]
