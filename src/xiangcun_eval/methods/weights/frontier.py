"""Benefit-of-the-doubt (BoD, DEA) per-unit weights (有利权重).

BoD weights differ per unit, so BoD is not a group weighting method of a
methodology: use it as an aggregation (``aggregate = "bod"``, see
:func:`xiangcun_eval.methods.aggregate.bod`) or call :func:`benefit_of_doubt`
for the per-unit weights and scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ...errors import MethodError
from .._registry import Params
from ._common import FloatArray, _cols, _data, _f64


@dataclass(frozen=True)
class BoDResult:
    """Result of :func:`benefit_of_doubt`.

    Attributes
    ----------
    weights
        ``(n_units, n_cols)``: row ``i`` is unit ``i``'s most favourable
        weights (in the units of the data: ``score_i = Σ_j w_ij x_ij``).
    scores
        ``(n_units,)`` in [0, 1]; 1 = on the frontier.
    """

    weights: FloatArray
    scores: FloatArray


def _share_bounds(
    v: float | Sequence[float] | None, m: int, default: float, what: str
) -> FloatArray:
    if v is None:
        return np.full(m, default)
    b = np.broadcast_to(np.asarray(v, dtype=np.float64), (m,)).copy()
    if not np.isfinite(b).all() or (b < 0).any() or (b > 1).any():
        raise MethodError(
            f"BoD: {what} 权重份额必须在 [0, 1] 内 / {what} shares must lie in [0, 1]"
        )
    return _f64(b)


def benefit_of_doubt(
    x: npt.ArrayLike,
    *,
    lower_share: float | Sequence[float] | None = None,
    upper_share: float | Sequence[float] | None = None,
) -> BoDResult:
    r"""Benefit-of-the-doubt weights (BoD, DEA with unit inputs).

    For every unit ``i`` solve the linear programme

    .. math::

        \max_{w}\ \sum_j w_j x_{ij}\quad\text{s.t.}\quad
        \sum_j w_j x_{kj} \le 1\ \forall k,\qquad w \ge 0

    optionally with pie-share constraints on the share of indicator ``j`` in
    unit ``i``'s own score,
    ``L_j ≤ w_j x_ij / Σ_k w_k x_ik ≤ U_j``, written linearly as
    ``w_j x_ij − L_j Σ_k w_k x_ik ≥ 0`` and ``w_j x_ij − U_j Σ_k w_k x_ik ≤ 0``.
    Scores are invariant to rescaling any column by a positive factor (the
    weights absorb it).  A unit that is best on some indicator scores 1
    (without share constraints).

    Solved with :func:`scipy.optimize.linprog` (HiGHS), one LP per unit --
    a Python loop over units, an accepted exception to the no-loop rule
    because each unit has its own programme.

    Parameters
    ----------
    x
        ``(n_units, n_cols)``, non-negative, higher = better (normalise with
        direction first), no NaN (impute first).
    lower_share, upper_share
        Scalar or ``(n_cols,)`` bounds on the pie shares, in [0, 1].  Note:
        with ``lower_share > 0`` a unit with ``x_ij = 0`` can only satisfy
        the constraint with score 0.

    Raises
    ------
    MethodError
        NaN or negative data; infeasible bounds (``ΣL > 1``, ``ΣU < 1``,
        ``L > U``); a linear programme that does not solve.

    References
    ----------
    Cherchye, L., Moesen, W., Rogge, N., Van Puyenbroeck, T. (2007). An
    introduction to 'benefit of the doubt' composite indicators. *Social
    Indicators Research* 82, 111-145.  OECD/JRC (2008) Handbook §6.
    """
    from scipy import optimize  # type: ignore[import-untyped, unused-ignore]

    a = _data(x, min_units=1)
    n, m = a.shape
    if np.isnan(a).any():
        raise MethodError(
            f"BoD 不接受缺失值: 列 {_cols(np.isnan(a))} / benefit of the doubt does not "
            f"accept missing values (column(s) {_cols(np.isnan(a))}): impute first"
        )
    if (a < 0).any():
        raise MethodError(
            f"BoD 要求数据非负: 列 {_cols(a < 0)} / benefit of the doubt needs non-negative "
            f"data; column(s) {_cols(a < 0)} have negative values: normalise first"
        )
    lo = _share_bounds(lower_share, m, 0.0, "lower")
    hi = _share_bounds(upper_share, m, 1.0, "upper")
    if (lo > hi).any() or lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
        raise MethodError(
            "BoD: 权重份额约束不可行 (需 L ≤ U, ΣL ≤ 1 ≤ ΣU) / infeasible pie-share bounds: "
            "need lower <= upper, sum(lower) <= 1 <= sum(upper)"
        )
    use_shares = lower_share is not None or upper_share is not None
    weights = np.zeros((n, m))
    eye = np.eye(m)
    for i in range(n):
        xi = a[i]
        a_ub = a
        b_ub = np.ones(n)
        if use_shares:
            low_rows = lo[:, None] * xi[None, :] - eye * xi[None, :]
            up_rows = eye * xi[None, :] - hi[:, None] * xi[None, :]
            a_ub = np.vstack([a, low_rows, up_rows])
            b_ub = np.concatenate([b_ub, np.zeros(2 * m)])
        res = optimize.linprog(-xi, A_ub=a_ub, b_ub=b_ub, bounds=[(0.0, None)] * m, method="highs")
        if res.status != 0:
            raise MethodError(
                f"BoD: 第 {i} 个单位的线性规划求解失败 / the linear programme of unit {i} "
                f"failed (status {res.status}: {res.message})"
            )
        weights[i] = res.x
    scores = np.clip((weights * a).sum(axis=1), 0.0, 1.0)
    return BoDResult(_f64(weights), _f64(scores))


class BoDParams(Params):
    """Pie-share bounds of :func:`benefit_of_doubt`.

    Not a registered weights method: BoD weights differ per unit.
    """

    lower_share: float | tuple[float, ...] | None = None
    upper_share: float | tuple[float, ...] | None = None


def bod_weights(
    x: npt.ArrayLike,
    *,
    lower_share: float | Sequence[float] | None = None,
    upper_share: float | Sequence[float] | None = None,
) -> FloatArray:
    """Per-unit BoD weights ``(n_units, n_cols)`` (see :func:`benefit_of_doubt`).

    Unlike the registered weighting kernels the result has one row per unit;
    the BoD score of unit ``i`` is ``Σ_j w_ij x_ij``.  BoD is therefore not in
    :data:`REGISTRY` (a methodology cannot use it as group weights); use the
    aggregation ``aggregate = "bod"`` for BoD scores in a methodology.
    """
    return benefit_of_doubt(x, lower_share=lower_share, upper_share=upper_share).weights
