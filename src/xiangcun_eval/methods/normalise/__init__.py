"""Normalisation kernels (标准化 / 无量纲化).

Signature (docs/architecture.md): ``f(x, direction, **params)`` with ``x`` of
shape ``(..., n_units, n_cols)`` (NaN = missing, leading replicate axes
allowed), ``direction`` a 1-D array of ``+1`` (benefit, 正向) / ``-1`` (cost,
逆向) per column, and framework-derived keyword arrays (``target``,
``goal_lower``, ``goal_upper``) when listed in the method's ``needs``.  Every
kernel returns a new float64 array of the same shape; NaN stays NaN in place.

Direction is applied first, as COINr does: the kernel works on
``x * direction`` so that for every method "higher is better" afterwards.
Target-type parameters given in raw units (``target``, goalposts) are
transformed the same way (as COINr does with ``Target * Direction`` and the
swapped goalposts), so they are always given in the indicator's own units.
The exception is ``target_ratio`` which defines cost handling itself
(``target / x``).

Zero-variance columns (all available values equal) and columns with fewer
than two available values cannot be scaled by a data range.  Methods that
need a range take ``zero_variance``:

* ``"error"`` (default): raise :class:`~xiangcun_eval.errors.MethodError`
  naming the column;
* ``"constant"``: every available value of that column maps to the *centre*
  of the method's output range (min-max: ``(l + u) / 2``; z-score: ``m``;
  efficacy: ``base + span / 2`` ...); missing values stay NaN;
* ``"nan"``: the whole column becomes NaN (aggregation then renormalises
  over the other children).

COINr instead warns and returns NaN for ``n_minmax`` on a constant column.

Naming rule: the kernel of normalisation method ``<name>`` is the function
``<name>`` (``percentile_rank`` is now :func:`percentile`; the old name works,
with a :class:`DeprecationWarning`, until 0.3).

Layout (one module per family; ``registry`` holds :data:`REGISTRY`):
``scaling`` (none, minmax, zscore, scaled, fracmax, dist2max, range_shift,
efficacy), ``ordinal`` (rank, borda, percentile), ``reference`` (dist2ref,
dist2targ, goalposts, target_ratio); ``_common`` holds the shared checks.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, section 5 (normalisation), Table 11.
Becker, W. et al. COINr 1.1.14, ``R/normalise.R`` (MIT licence).
"""

from __future__ import annotations

from .._deprecated import deprecated_aliases
from ._common import ZeroVariance, check_direction
from .ordinal import borda, percentile, rank
from .reference import dist2ref, dist2targ, goalposts, target_ratio
from .registry import REGISTRY
from .scaling import dist2max, efficacy, fracmax, minmax, none, range_shift, scaled, zscore

__all__ = [
    "REGISTRY",
    "ZeroVariance",
    "borda",
    "check_direction",
    "dist2max",
    "dist2ref",
    "dist2targ",
    "efficacy",
    "fracmax",
    "goalposts",
    "minmax",
    "none",
    "percentile",
    "range_shift",
    "rank",
    "scaled",
    "target_ratio",
    "zscore",
]

#: Names before 0.2 -> names now (kept, with a DeprecationWarning, until 0.3).
_RENAMED = {"percentile_rank": "percentile"}

__getattr__ = deprecated_aliases(__name__, _RENAMED, globals())
