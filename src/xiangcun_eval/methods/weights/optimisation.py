"""Optimised weights (COINr ``get_opt_weights``).

Balance the components' correlations with the index, or maximise them (infomax).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from ._common import _TINY, FloatArray, _data, _explicit_vector, _f64
from .registry import REGISTRY


@dataclass(frozen=True)
class OptimisedWeights:
    """Result of :func:`optimise_balance`.

    Attributes
    ----------
    weights
        ``(n_comp,)``, sum 1.
    correlations
        Correlation of each component with the index at ``weights``.
    target
        Normalised target importance (balance) -- ``nan`` for infomax.
    objective
        Final objective value.
    converged
        Whether Nelder-Mead met its tolerance before ``maxiter`` evaluations.
    n_iter, n_eval
        Iterations and function evaluations.
    message
        Optimiser message.
    """

    weights: FloatArray
    correlations: FloatArray
    target: FloatArray
    objective: float
    converged: bool
    n_iter: int
    n_eval: int
    message: str


def _weighted_mean(c: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted arithmetic mean over available columns (renormalised)."""
    avail = ~np.isnan(c)
    num = np.where(avail, c, 0.0) @ w
    den = avail.astype(np.float64) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return _f64(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))


def _correlations(c: FloatArray, y: FloatArray, cortype: str) -> FloatArray:
    ok = np.isfinite(y) & ~np.isnan(c).any(axis=1)
    cc, yy = c[ok], y[ok]
    if cc.shape[0] < 3:
        return np.full(c.shape[1], np.nan)
    if cortype == "spearman":
        from scipy import stats  # type: ignore[import-untyped, unused-ignore]

        cc = np.apply_along_axis(stats.rankdata, 0, cc)
        yy = _f64(stats.rankdata(yy))
    cc = cc - cc.mean(axis=0)
    yy = yy - yy.mean()
    den = np.sqrt((cc**2).sum(axis=0) * (yy**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return _f64(np.where(den > 0, (cc * yy[:, None]).sum(axis=0) / den, np.nan))


def optimise_balance(
    components: npt.ArrayLike,
    *,
    aggregate: Callable[[FloatArray, FloatArray], FloatArray] | None = None,
    target: npt.ArrayLike | None = None,
    cortype: Literal["pearson", "spearman"] = "pearson",
    optype: Literal["balance", "infomax"] = "balance",
    start: npt.ArrayLike | None = None,
    reltol: float = 0.1,
    maxiter: int = 500,
) -> OptimisedWeights:
    r"""Optimise the weights of one level (COINr ``get_opt_weights``).

    The index is ``y = aggregate(components, w)`` (default: weighted
    arithmetic mean over each unit's available components); ``cr_n`` is the
    correlation (``cortype``, complete cases) of component ``n`` with ``y``.

    * ``optype="balance"``: make the components' correlations with the index
      proportional to a target importance,

      .. math::

          \min_w\ \log\Big(\frac{1}{N}\sum_n
          (t_n/\textstyle\sum t - cr_n/\sum cr)^2\Big)

      with target ``t`` (default equal), starting at ``w = t``.  The mean
      square is floored at 1e-300 so a perfect balance stays finite.
    * ``optype="infomax"``: maximise ``Σ_n cr_n`` (minimise ``−Σ cr``),
      starting at ``start`` (default equal weights).

    Weights are parametrised as ``w = |θ| / Σ|θ|`` (non-negative, sum 1).
    Optimiser: :func:`scipy.optimize.minimize` Nelder-Mead, set up like R's
    ``optim`` defaults that COINr uses: initial simplex ``θ0 + 0.1·max|θ0|·e_j``,
    stop when the spread of the simplex values is at most
    ``reltol·(|f(θ0)| + reltol)`` (R's ``reltol`` test; COINr default 0.1 --
    a loose tolerance) or after ``maxiter`` function evaluations (R's
    ``maxit`` counts evaluations for Nelder-Mead; COINr default 500).
    Results are close to, not identical with, R's (different NM variants).

    Parameters
    ----------
    components
        ``(n_units, n_comp)``, the children of the level (NaN allowed).
    aggregate
        ``f(components, w) -> (n_units,)`` index; default weighted mean.
    target, cortype, optype, start, reltol, maxiter
        See above.

    References
    ----------
    Becker, W., Saisana, M., Paruolo, P., Vandecasteele, I. (2017). Weights
    and importance in composite indicators: closing the gap. *Ecological
    Indicators* 80, 12-22.  COINr ``get_opt_weights``.
    """
    c = _data(components, min_units=3)
    m = c.shape[1]
    agg = aggregate or _weighted_mean
    t = np.full(m, 1.0 / m) if target is None else _explicit_vector(target, m, None)
    if optype == "balance":
        x0 = t.copy()
    elif optype == "infomax":
        x0 = np.full(m, 1.0 / m) if start is None else _explicit_vector(start, m, None)
    else:
        raise MethodError(f"未知的优化类型 {optype!r} / unknown optype {optype!r}")
    if start is not None and optype == "balance":
        x0 = _explicit_vector(start, m, None)

    def weights_of(theta: FloatArray) -> FloatArray | None:
        v = np.abs(theta)
        s = v.sum()
        return _f64(v / s) if s > 0 and np.isfinite(s) else None

    def cors(w: FloatArray) -> FloatArray:
        y = np.asarray(agg(c, w), dtype=np.float64).reshape(-1)
        if y.shape != (c.shape[0],):
            raise MethodError(
                "aggregate 必须为每个单位返回一个值 / aggregate must return one value per unit"
            )
        return _correlations(c, y, cortype)

    def objective(theta: FloatArray) -> float:
        w = weights_of(theta)
        if w is None:
            return math.inf
        cr = cors(w)
        if not np.isfinite(cr).all():
            return math.inf
        if optype == "infomax":
            return -float(cr.sum())
        s = cr.sum()
        if s == 0:
            return math.inf
        mse = float(np.mean((t - cr / s) ** 2))
        return math.log(max(mse, _TINY))

    f0 = objective(x0)
    if not math.isfinite(f0):
        raise MethodError(
            "优化起点处相关系数无定义 / correlations are undefined at the starting weights "
            "(constant components or too few complete cases?)"
        )
    step = 0.1 * float(np.max(np.abs(x0))) or 0.1
    simplex = np.vstack([x0, x0 + step * np.eye(m)])
    from scipy import optimize  # type: ignore[import-untyped, unused-ignore]

    res = optimize.minimize(
        objective,
        x0,
        method="Nelder-Mead",
        options={
            "initial_simplex": simplex,
            "maxfev": maxiter,
            "maxiter": maxiter,
            "fatol": reltol * (abs(f0) + reltol),
            "xatol": math.inf,
        },
    )
    w = weights_of(_f64(res.x))
    if w is None:  # pragma: no cover - objective is inf there, NM never ends on it
        raise MethodError("优化失败 / optimisation failed: all weights zero")
    return OptimisedWeights(
        weights=w,
        correlations=cors(w),
        target=t if optype == "balance" else np.full(m, np.nan),
        objective=float(res.fun),
        converged=bool(res.success),
        n_iter=int(res.nit),
        n_eval=int(res.nfev),
        message=str(res.message),
    )


class OptimisedParams(Params):
    """Parameters of :func:`optimised_weights` (COINr ``get_opt_weights`` options)."""

    optype: Literal["balance", "infomax"] = "balance"
    target: tuple[float, ...] | None = None
    cortype: Literal["pearson", "spearman"] = "pearson"
    reltol: float = Field(default=0.1, gt=0)
    maxiter: int = Field(default=500, ge=1)


@REGISTRY.register(
    "optimised",
    params=OptimisedParams,
    label_zh="相关性平衡优化权重",
    label_en="optimised weights (balance / infomax)",
    replicates=False,
)
def optimised_weights(
    x: npt.ArrayLike,
    *,
    optype: Literal["balance", "infomax"] = "balance",
    target: Sequence[float] | None = None,
    cortype: Literal["pearson", "spearman"] = "pearson",
    reltol: float = 0.1,
    maxiter: int = 500,
) -> FloatArray:
    """Weights of :func:`optimise_balance` for the columns of one group.

    The index is their weighted arithmetic mean.
    """
    return optimise_balance(
        x, target=target, cortype=cortype, optype=optype, reltol=reltol, maxiter=maxiter
    ).weights
