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
:func:`factor_analysis` and :func:`benefit_of_doubt`, which return
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

Naming rule: the registered kernel of weights method ``<name>`` is
``<name>_weights`` (``entropy`` -> :func:`entropy_weights`, ``pca_oecd`` ->
:func:`pca_oecd_weights`); a name ending in ``_weights`` returns a weight
array; a function returning a result object with diagnostics carries no
``_weights`` suffix (:func:`ahp`, :func:`factor_analysis`,
:func:`benefit_of_doubt`, :func:`optimise_balance`).  The names used before
0.2 (``entropy``, ``critic``, ``coefficient_of_variation``,
``standard_deviation``, ``equal``, ``explicit``, ``pca_oecd``, ``pca_coinr``,
``combined``, ``optimised``, ``factor_analysis_weights``) still work, with a
:class:`DeprecationWarning`, until 0.3.

See ``docs/methods-weights.md`` for the conventions and the references each
method was checked against.
"""

from __future__ import annotations

from .._deprecated import deprecated_aliases
from .combination import CombinedParams, MethodSpec, combine_weights, combined_weights
from .effective import effective_weights
from .factor import (
    FactorAnalysisResult,
    PCACoinrParams,
    PCAOecdParams,
    factor_analysis,
    pca_coinr_weights,
    pca_oecd_weights,
    retain_factors,
    varimax,
)
from .frontier import BoDParams, BoDResult, benefit_of_doubt, bod_weights
from .given import ExplicitParams, equal_weights, explicit_weights
from .optimisation import OptimisedParams, OptimisedWeights, optimise_balance, optimised_weights
from .pairwise import RANDOM_INDEX, AHPParams, AHPResult, ahp, ahp_weights
from .registry import REGISTRY
from .statistical import (
    CRITICParams,
    CVParams,
    EntropyParams,
    SDParams,
    critic_weights,
    cv_weights,
    entropy_weights,
    sd_weights,
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
    "combine_weights",
    "combined_weights",
    "critic_weights",
    "cv_weights",
    "effective_weights",
    "entropy_weights",
    "equal_weights",
    "explicit_weights",
    "factor_analysis",
    "optimise_balance",
    "optimised_weights",
    "pca_coinr_weights",
    "pca_oecd_weights",
    "retain_factors",
    "sd_weights",
    "varimax",
]

#: Names before 0.2 -> names now (kept, with a DeprecationWarning, until 0.3).
_RENAMED = {
    "equal": "equal_weights",
    "explicit": "explicit_weights",
    "entropy": "entropy_weights",
    "critic": "critic_weights",
    "coefficient_of_variation": "cv_weights",
    "standard_deviation": "sd_weights",
    "pca_oecd": "pca_oecd_weights",
    "pca_coinr": "pca_coinr_weights",
    "combined": "combined_weights",
    "optimised": "optimised_weights",
    "factor_analysis_weights": "factor_analysis",
}

__getattr__ = deprecated_aliases(__name__, _RENAMED, globals())
