"""Follow-up analytics on an :class:`~xiangcun_eval.Evaluation` (``xe.analysis``).

* 障碍度 obstacle degree: :func:`obstacle_degree`;
* 耦合协调度 coupling coordination: :func:`coupling_coordination`;
* regional disparity: :func:`gini`, :func:`dagum_gini`, :func:`theil`,
  :func:`coefficient_of_variation`;
* kernel density by group: :func:`kernel_density`;
* spatial autocorrelation: :class:`SpatialWeights`, :func:`moran`,
  :func:`local_moran`;
* rank agreement between methodologies: :func:`rank_agreement`;
* effective importance of indicators: :func:`effective_importance`;
* raw indicators rolled up to provinces/regions by each indicator's declared
  rule, and headline-target tracking: :func:`indicator_rollup`,
  :func:`target_tracking`.

Submodules are imported on first use (``xe.analysis.moran`` loads
``scipy.sparse`` only then).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .agreement import RankAgreement as RankAgreement
    from .agreement import rank_agreement as rank_agreement
    from .coupling import Coupling as Coupling
    from .coupling import coupling_coordination as coupling_coordination
    from .density import Density as Density
    from .density import kernel_density as kernel_density
    from .importance import Importance as Importance
    from .importance import effective_importance as effective_importance
    from .inequality import CV as CV
    from .inequality import DagumGini as DagumGini
    from .inequality import Theil as Theil
    from .inequality import coefficient_of_variation as coefficient_of_variation
    from .inequality import dagum_gini as dagum_gini
    from .inequality import gini as gini
    from .inequality import theil as theil
    from .obstacle import Obstacles as Obstacles
    from .obstacle import obstacle_degree as obstacle_degree
    from .rollup import IndicatorRollup as IndicatorRollup
    from .rollup import indicator_rollup as indicator_rollup
    from .rollup import target_tracking as target_tracking
    from .spatial import LocalMoran as LocalMoran
    from .spatial import Moran as Moran
    from .spatial import SpatialWeights as SpatialWeights
    from .spatial import local_moran as local_moran
    from .spatial import moran as moran

_WHERE = {
    "RankAgreement": "agreement", "rank_agreement": "agreement",
    "Coupling": "coupling", "coupling_coordination": "coupling",
    "Density": "density", "kernel_density": "density",
    "Importance": "importance", "effective_importance": "importance",
    "CV": "inequality", "DagumGini": "inequality", "Theil": "inequality",
    "coefficient_of_variation": "inequality", "dagum_gini": "inequality", "gini": "inequality",
    "theil": "inequality",
    "Obstacles": "obstacle", "obstacle_degree": "obstacle",
    "IndicatorRollup": "rollup", "indicator_rollup": "rollup", "target_tracking": "rollup",
    "LocalMoran": "spatial", "Moran": "spatial", "SpatialWeights": "spatial",
    "local_moran": "spatial", "moran": "spatial",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module 'xiangcun_eval.analysis' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{mod}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
