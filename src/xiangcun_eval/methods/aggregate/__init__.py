"""Aggregation kernels (加权合成 / 综合).

Signature (docs/architecture.md)::

    f(x, w, membership, n_groups, **params) -> (..., n_units, n_groups)

* ``x`` -- float64 ``(..., n_units, n_children)``, NaN = missing, ``±inf``
  rejected.  Every value is assumed to be "higher is better" (direction was
  applied by the normalisation stage).
* ``w`` -- non-negative relative weights ``(n_children,)`` or with replicate
  axes ``(..., n_children)``.  Weights need not sum to one: they are
  renormalised within each group over the children *available* for the unit.
* ``membership`` -- intp ``(n_children,)``, the group (parent) index of each
  child, ``0 <= membership < n_groups``; every group needs at least one child.

Broadcasting: with ``x`` of shape ``Lx + (n_units, n_children)`` and ``w`` of
shape ``Lw + (n_children,)`` the result has shape ``L + (n_units, n_groups)``
with ``L = numpy.broadcast_shapes(Lx, Lw)``; i.e. the replicate axes of ``w``
are aligned with the *leading* axes of ``x`` exactly as ``x @ W`` would align
them, ``w[r]`` being used for ``x[r]``.  The uncertainty engine's cases are
``x (n, k) + w (R, k) -> (R, n, G)`` and ``x (R, n, k) + w (R, k) -> (R, n, G)``.
A kernel marked ``replicates=True`` gives, for every leading index, exactly
what it gives on that 2-D slice.

Missing children: a unit's weights are renormalised over its available
children in each group; a unit with no available child in a group (or whose
available children all have weight zero) gets NaN for that group.  Use
:func:`availability` to apply a minimum data-availability threshold
(COINr's ``dat_thresh``).

The weighted means (arithmetic, geometric, harmonic, generalised, and the
moments of the Mazziotta-Pareto indices) are computed for a whole level with
two matrix products against a block weight matrix ``W`` (``n_children x
n_groups``, ``W[j, membership[j]] = w[j]``): numerator ``Σ w x`` with missing
values set to 0 and denominator ``Σ w [x available]``.  Complete data need
only ``x @ W`` (the denominator is then the column sum of ``W``); the masked
products are evaluated only for rows containing a missing value (all rows, in
cache-sized chunks with reused buffers, when more than a quarter have one).

Layout (one module per family; ``registry`` holds :data:`REGISTRY`):

* ``groups`` -- membership, block matrix, input checks, the masked weighted
  mean, :func:`availability`;
* ``means`` -- arithmetic, geometric, harmonic, generalised means;
* ``ideal`` -- TOPSIS;
* ``mazziotta_pareto`` -- MPI, AMPI;
* ``outranking`` -- Copeland;
* ``frontier`` -- benefit of the doubt.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, section 6 (aggregation).
Becker, W. et al. COINr 1.1.14, ``R/aggregate.R`` (MIT licence).
"""

from __future__ import annotations

from .frontier import bod
from .groups import availability, block_matrix
from .ideal import TopsisParams, topsis
from .mazziotta_pareto import AMPIParams, MPIParams, ampi, mpi
from .means import (
    GenMeanParams,
    GeometricParams,
    HarmonicParams,
    arithmetic,
    genmean,
    geometric,
    harmonic,
)
from .outranking import CopelandParams, copeland
from .registry import REGISTRY

__all__ = [
    "REGISTRY",
    "AMPIParams",
    "CopelandParams",
    "GenMeanParams",
    "GeometricParams",
    "HarmonicParams",
    "MPIParams",
    "TopsisParams",
    "ampi",
    "arithmetic",
    "availability",
    "block_matrix",
    "bod",
    "copeland",
    "genmean",
    "geometric",
    "harmonic",
    "mpi",
    "topsis",
]
