"""Uncertainty and sensitivity analysis of an evaluation (不确定性与敏感性分析).

Public entry points:

* :func:`uncertainty` — Monte Carlo uncertainty analysis: per unit the
  nominal rank, mean / median / quantiles of rank and score, grade and
  top-k probabilities, mean absolute rank shift; for the whole set the
  distribution of rank shifts (:class:`UncertaintyResult`).
* :func:`sensitivity` — variance-based global sensitivity analysis on a
  Saltelli design: first-order (Saltelli 2010) and total (Jansen 1999) Sobol'
  indices with bootstrap intervals of every factor, for COINr's summary
  output (mean absolute rank change against the nominal ranks) and for every
  unit's rank and score (:class:`SensitivityResult`).
* :func:`one_at_a_time` — each factor moved alone (:class:`OATResult`).
* :func:`leave_one_out` — each indicator or group removed in turn (COINr's
  ``remove_elements``; :class:`LeaveOneOutResult`).
* :func:`replay` — the methodology (and data) of any replicate, to check it
  with :func:`~xiangcun_eval.evaluate`.

The entry points live in :mod:`.uncertainty`, :mod:`.sobol`, :mod:`.oat` and
:mod:`.replay` (shared execution helpers: :mod:`.execution`); this module
re-exports them.  See ``docs/uncertainty.md`` for the user guide, and
:mod:`xiangcun_eval.sensitivity.engine` for the computation and the
randomness scheme.

References
----------
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity
analysis techniques as tools for the quality assessment of composite
indicators. *J. R. Stat. Soc. A* 168(2), 307-323.

Saltelli, A. et al. (2010). *Comput. Phys. Commun.* 181, 259-270.

Jansen, M. J. W. (1999). *Comput. Phys. Commun.* 117, 35-43.

OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 7.
"""

from __future__ import annotations

from .context import MemoryBudgetError
from .execution import RunOptions
from .executors import AnalysisInterrupted
from .oat import LeaveOneOutResult, OATResult, leave_one_out, one_at_a_time
from .replay import replay
from .sobol import SensitivityResult, sensitivity
from .uncertainty import UncertaintyResult, uncertainty

__all__ = [
    "AnalysisInterrupted",
    "LeaveOneOutResult",
    "MemoryBudgetError",
    "OATResult",
    "RunOptions",
    "SensitivityResult",
    "UncertaintyResult",
    "leave_one_out",
    "one_at_a_time",
    "replay",
    "sensitivity",
    "uncertainty",
]
