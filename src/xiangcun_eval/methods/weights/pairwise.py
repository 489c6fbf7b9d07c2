"""Analytic hierarchy process (层次分析法).

Priorities and consistency of a pairwise comparison matrix, and the registered
``ahp`` kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from ._common import FloatArray, _data, _f64
from .registry import REGISTRY

#: Random-index tables (RI for n = 1 ... 15).
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    # Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill; n = 11..15 from
    # the extended Oak Ridge/Wharton simulations reproduced in the same book.
    "saaty": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
              1.51, 1.48, 1.56, 1.57, 1.59),
    # Table used in Chinese AHP textbooks (1000 random matrices per order),
    # e.g. 许树柏《实用决策方法: 层次分析法原理》, 天津大学出版社 1988.
    "xu": (0.0, 0.0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49,
           1.52, 1.54, 1.56, 1.58, 1.59),
    # Saaty (2005/2006), Theory and Applications of the Analytic Network
    # Process, RWS, p. 31 (ahpy random_index='saaty').
    "saaty2005": (0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49,
                  1.52, 1.54, 1.56, 1.58, 1.59),
    # Donegan, H. A., Dodd, F. J. (1991). A note on Saaty's random indexes.
    # Math. Comput. Modelling 15(10), 135-137 (ahpy default random_index='dd').
    "donegan_dodd": (0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171,
                     1.3733, 1.4055, 1.4213, 1.4497, 1.4643, 1.4822, 1.4969),
}  # fmt: skip

RITable = Literal["saaty", "xu", "saaty2005", "donegan_dodd"]


@dataclass(frozen=True)
class AHPResult:
    """Result of :func:`ahp`.

    Attributes
    ----------
    weights
        Normalised principal (Perron) eigenvector, ``(n,)``, sums to 1.
    lambda_max
        Principal eigenvalue λmax.
    ci
        Consistency index ``(λmax − n)/(n − 1)`` (0 for n <= 2).
    cr
        Consistency ratio ``CI/RI`` (0 for n <= 2).
    ri
        Random index used.
    consistent
        ``cr <= threshold``.
    ri_table
        Name of the random-index table.
    """

    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    ri: float
    consistent: bool
    ri_table: str


def _check_pairwise(a: FloatArray, tol: float) -> None:
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise MethodError(
            f"判断矩阵必须为方阵 / the pairwise comparison matrix must be square; got shape "
            f"{a.shape}"
        )
    n = a.shape[0]
    if not 1 <= n <= 15:
        raise MethodError(
            f"判断矩阵阶数应在 1 到 15 之间 / the matrix order must be between 1 and 15 "
            f"(random indices are tabulated up to 15); got {n}: split the group"
        )
    if not np.isfinite(a).all() or (a <= 0).any():
        i, j = (int(v) for v in np.argwhere(~np.isfinite(a) | (a <= 0))[0])
        raise MethodError(
            f"判断矩阵元素必须为正数: 第 {i + 1} 行第 {j + 1} 列 / entries must be positive "
            f"and finite: entry ({i + 1}, {j + 1}) is {a[i, j]}"
        )
    diag = np.abs(np.diag(a) - 1.0) > tol
    if diag.any():
        i = int(np.nonzero(diag)[0][0])
        raise MethodError(
            f"判断矩阵对角线必须为 1: 第 {i + 1} 个 / the diagonal must be 1: entry "
            f"({i + 1}, {i + 1}) is {a[i, i]}"
        )
    prod = a * a.T
    bad = np.argwhere(np.abs(prod - 1.0) > tol)
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise MethodError(
            f"判断矩阵不满足互反性 a_ji = 1/a_ij: ({i + 1},{j + 1}) = {a[i, j]}, "
            f"({j + 1},{i + 1}) = {a[j, i]} / the matrix is not reciprocal "
            f"(a_ji must equal 1/a_ij within {tol}): fix entry ({j + 1}, {i + 1})"
        )


def ahp(
    matrix: npt.ArrayLike,
    *,
    ri_table: RITable = "saaty",
    allow_inconsistent: bool = False,
    threshold: float = 0.1,
    reciprocal_tol: float = 0.01,
) -> AHPResult:
    r"""Analytic hierarchy process (层次分析法) priorities from a pairwise matrix.

    The weights are the principal right eigenvector of the positive
    reciprocal matrix ``A`` (Perron vector, computed with
    :func:`scipy.linalg.eig`, real part, normalised to sum 1), ``λmax`` its
    eigenvalue, and

    .. math::

        CI = \frac{λ_{max} - n}{n - 1}, \qquad CR = CI / RI_n

    with ``RI_n`` from the table ``ri_table`` (see :data:`RANDOM_INDEX`):
    ``"saaty"`` (Saaty 1980), ``"xu"`` (the table of Chinese textbooks, e.g.
    许树柏 1988: 0.52, 0.89, 1.12, 1.26, ...), ``"saaty2005"`` and
    ``"donegan_dodd"`` (Donegan & Dodd 1991, ahpy's default).  For ``n <= 2``
    a reciprocal matrix is always consistent: ``CI = CR = 0``.

    Parameters
    ----------
    matrix
        ``(n, n)``, positive, ``a_ii = 1``, ``a_ji = 1/a_ij`` (within
        ``reciprocal_tol`` on ``a_ij·a_ji``, so 0.333 for 1/3 is accepted),
        ``n <= 15``.
    ri_table
        Random-index table.
    allow_inconsistent
        Return weights even when ``CR > threshold`` (``consistent=False``).
    threshold
        Consistency threshold (Saaty: 0.1).

    Raises
    ------
    MethodError
        Invalid matrix, or ``CR > threshold`` without ``allow_inconsistent``.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Saaty, T. L. (1990). How to make a decision: the analytic hierarchy
    process. *European Journal of Operational Research* 48, 9-26.
    """
    a = np.asarray(matrix, dtype=np.float64)
    _check_pairwise(a, reciprocal_tol)
    if ri_table not in RANDOM_INDEX:
        raise MethodError(
            f"未知的随机一致性指标表 {ri_table!r} / unknown random-index table "
            f"{ri_table!r}; available: {', '.join(RANDOM_INDEX)}"
        )
    n = a.shape[0]
    from scipy import linalg  # type: ignore[import-untyped, unused-ignore]

    vals, vecs = linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    v = np.real(vecs[:, k])
    v = v / v.sum()
    if (v <= 0).any():  # pragma: no cover - Perron vector of a positive matrix
        raise MethodError("AHP: 主特征向量不为正 / the principal eigenvector is not positive")
    ri = RANDOM_INDEX[ri_table][n - 1]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = (lam - n) / (n - 1)
        cr = ci / ri
    consistent = cr <= threshold
    if not consistent and not allow_inconsistent:
        raise MethodError(
            f"判断矩阵一致性检验未通过: CR = {cr:.4f} > {threshold} (λmax = {lam:.4f}, "
            f"CI = {ci:.4f}, RI = {ri}, 表 {ri_table}) / the pairwise matrix is "
            f"inconsistent: CR = {cr:.4f} > {threshold}; revise the judgements or pass "
            "allow_inconsistent=True"
        )
    return AHPResult(_f64(v), lam, float(ci), float(cr), float(ri), bool(consistent), ri_table)


class AHPParams(Params):
    """The pairwise comparison matrix of the group's columns and the consistency test.

    The matrix is optional here: the pipeline may read matrices from a file and
    pass only the test settings.
    """

    matrix: tuple[tuple[float, ...], ...] | None = None
    ri_table: RITable = "saaty"
    allow_inconsistent: bool = False
    threshold: float = Field(default=0.1, gt=0)


@REGISTRY.register("ahp", params=AHPParams, label_zh="层次分析法", label_en="AHP", replicates=False)
def ahp_weights(
    x: npt.ArrayLike,
    *,
    matrix: npt.ArrayLike | None = None,
    ri_table: RITable = "saaty",
    allow_inconsistent: bool = False,
    threshold: float = 0.1,
) -> FloatArray:
    """AHP weights of the group's columns (see :func:`ahp`).

    ``x`` only fixes the number of columns, which must equal the matrix order.
    """
    a = _data(x, min_units=0)
    if matrix is None:
        raise MethodError(
            "AHP 权重需要判断矩阵 / AHP weights need the pairwise comparison matrix "
            "(params matrix = [[...], ...] or a matrices file)"
        )
    res = ahp(matrix, ri_table=ri_table, allow_inconsistent=allow_inconsistent, threshold=threshold)
    if res.weights.size != a.shape[1]:
        raise MethodError(
            f"判断矩阵阶数 {res.weights.size} 与列数 {a.shape[1]} 不符 / matrix order "
            f"{res.weights.size} does not match the {a.shape[1]} columns of the group"
        )
    return res.weights
