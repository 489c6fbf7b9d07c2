r"""Effective importance of indicators in an index (指标的实际重要性).

Nominal weights say how much an indicator *should* count; how much it
*does* count depends also on its variance and its correlation with the other
indicators.  Paruolo, Saisana & Saltelli (2013) measure the importance of
indicator ``x_i`` in the index ``y`` (across units) by Pearson's correlation
ratio, the first-order "main effect"

.. math::
    S_i = \frac{V_{x_i}\big(E(y \mid x_i)\big)}{V(y)},

and compare the normalised ``S_i / Σ_j S_j`` with the normalised nominal
(effective) weights: an indicator whose share of importance is far below its
share of weight is "silent" in the index.

``S_i`` is estimated by
:func:`~xiangcun_eval.sensitivity.estimators.correlation_ratio_main_effect`
(binned, Kelley's bias correction) on the *normalised* indicator values and
the index of an :class:`~xiangcun_eval.results.Evaluation`, using the units
where both are available.

References
----------
Paruolo, P., Saisana, M., Saltelli, A. (2013). Ratings and rankings: voodoo or
science? *J. R. Stat. Soc. A* 176(3), 609-634. doi:10.1111/j.1467-985X.2012.01059.x

Becker, W., Saisana, M., Paruolo, P., Vandecasteele, I. (2017). Weights and
importance in composite indicators: closing the gap. *Ecological Indicators*
80, 12-22. doi:10.1016/j.ecolind.2017.03.056
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..results import Evaluation
from ..sensitivity.estimators import correlation_ratio_main_effect
from ..table import Table

__all__ = ["Importance", "effective_importance"]

F64 = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Importance:
    """Main effects of the indicators beside their nominal weights.

    Attributes
    ----------
    codes, names
        Indicator codes and bilingual names.
    nominal_weight
        Effective nominal weight in the index (product of the within-group
        weights along the lineage; sums to 1).
    main_effect
        ``S_i`` (bias-corrected correlation ratio); NaN when it cannot be
        estimated (fewer than 3 units with data, or a constant index).
    pearson_r2
        Squared Pearson correlation of ``x_i`` and ``y`` (the linear part of
        ``S_i``).
    n_used
        Units used for each indicator.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    nominal_weight: F64
    main_effect: F64
    pearson_r2: F64
    n_used: NDArray[np.int64]

    @property
    def normalised_main_effect(self) -> F64:
        """``S_i / Σ_j S_j`` (negative estimates counted as 0)."""
        s = np.clip(np.nan_to_num(self.main_effect), 0.0, None)
        tot = s.sum()
        out: F64 = s / tot if tot > 0 else np.full_like(s, np.nan)
        return out

    @property
    def ratio(self) -> F64:
        """Normalised main effect over nominal weight (1 = counts as weighted)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out: F64 = self.normalised_main_effect / self.nominal_weight
        return out

    def table(self) -> Table:
        """One row per indicator, bilingual headers."""
        cols: dict[str, Any] = {
            "代码 code": self.codes, "名称 name": self.names,
            "名义权重 nominal weight": self.nominal_weight,
            "主效应 main effect S_i": self.main_effect,
            "归一化主效应 normalised S_i": self.normalised_main_effect,
            "比值 S_i/weight": self.ratio,
            "线性相关 r²": self.pearson_r2,
            "单位数 n": self.n_used,
        }
        return Table.from_columns(
            cols, title="指标实际重要性（Paruolo 等 2013）/ effective importance of indicators "
                        "(Paruolo, Saisana & Saltelli 2013)")


def effective_importance(evaluation: Evaluation, *, n_bins: int | None = None) -> Importance:
    """Estimate the main effect of every indicator in the index of ``evaluation``.

    Parameters
    ----------
    evaluation
        A nominal evaluation.
    n_bins
        Bins of the correlation-ratio estimator (default ``clip(floor(sqrt(N)), 2, 100)``).

    Returns
    -------
    Importance
    """
    fw = evaluation.framework
    x = np.asarray(evaluation.level_scores[0])
    y = np.asarray(evaluation.index)
    # effective nominal weights: product of within-group weights along the lineage
    eff = np.ones(1)
    for plan, w in zip(reversed(evaluation.plans), reversed(evaluation.weights), strict=True):
        eff = np.asarray(w) * eff[plan.membership]
    k = x.shape[1]
    s = np.full(k, np.nan)
    r2 = np.full(k, np.nan)
    used = np.zeros(k, dtype=np.int64)
    for j in range(k):  # per indicator: its own set of units with data
        ok = np.isfinite(x[:, j]) & np.isfinite(y)
        used[j] = int(ok.sum())
        if used[j] < 4 or np.ptp(x[ok, j]) == 0:
            continue
        nb = n_bins if n_bins is None or n_bins < used[j] else max(2, used[j] - 1)
        try:
            s[j] = float(correlation_ratio_main_effect(x[ok, j], y[ok], n_bins=nb))
        except MethodError:
            continue
        r2[j] = float(np.corrcoef(x[ok, j], y[ok])[0, 1] ** 2)
    return Importance(codes=fw.indicator_codes, names=tuple(i.label for i in fw.indicators),
                      nominal_weight=eff, main_effect=s, pearson_r2=r2, n_used=used)
