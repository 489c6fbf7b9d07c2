"""PCA / factor-analysis weights.

The OECD/JRC Handbook (2008) procedure (retained factors, varimax, squared scaled
loadings) and COINr's PC1 loadings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from ._common import FloatArray, IntArray, _cols, _complete_cases, _data, _f64, _normalise_sum
from .registry import REGISTRY


def varimax(
    loadings: npt.ArrayLike, *, normalize: bool = True, eps: float = 1e-5, maxiter: int = 1000
) -> tuple[FloatArray, FloatArray]:
    """Varimax rotation (Kaiser 1958) of a loading matrix.

    Maximises the sum over factors of the variance of the squared loadings.
    Algorithm as R ``stats::varimax``: optional Kaiser normalisation (rows
    scaled to unit communality), then iterate ``B = Lᵀ(Z³ − Z·diag(ΣZ²)/p)``,
    ``T = UVᵀ`` from the SVD of ``B``, until the criterion ``Σ s`` grows by
    less than the relative ``eps``.

    Returns
    -------
    rotated, rotation
        ``rotated = loadings @ rotation`` (rows rescaled back), ``rotation``
        orthogonal ``(k, k)``.

    References
    ----------
    Kaiser, H. F. (1958). The varimax criterion for analytic rotation in
    factor analysis. *Psychometrika* 23, 187-200.
    """
    lo = np.array(loadings, dtype=np.float64)
    p, k = lo.shape
    if k < 2:
        return lo, np.eye(k)
    sc = np.sqrt((lo**2).sum(axis=1))
    if normalize:
        lo = lo / np.where(sc > 0, sc, 1.0)[:, None]
    t = np.eye(k)
    d = 0.0
    for _ in range(maxiter):
        z = lo @ t
        b = lo.T @ (z**3 - z @ np.diag((z**2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        t = u @ vt
        dpast, d = d, float(s.sum())
        if d < dpast * (1 + eps):
            break
    z = lo @ t
    if normalize:
        z = z * sc[:, None]
    return _f64(z), _f64(t)


def retain_factors(
    eigenvalues: npt.ArrayLike,
    *,
    min_eigenvalue: float | None = None,
    min_variance_share: float | None = 0.10,
    min_cumulative: float | None = 0.60,
) -> int:
    """Count the leading factors to retain (OECD/JRC Handbook 2008, step 2).

    The Handbook lists three criteria: eigenvalue > 1, individual share of
    variance > 10 %, cumulative share > 60 %.  Its own TAI example (Table 16:
    eigenvalues 3.3, 1.7, 1.0, 0.9, ... = 41.9, 21.8, 12.3, 11.1 % of the
    variance) retains four factors, two of which have eigenvalues below 1.
    The default therefore follows the example: keep the leading factors whose
    share exceeds ``min_variance_share`` (and whose eigenvalue exceeds
    ``min_eigenvalue`` when given, e.g. 1.0 for the Kaiser criterion); if
    their cumulative share is below ``min_cumulative``, add further factors
    until it is reached.  At least one factor is kept.
    """
    ev = np.sort(np.asarray(eigenvalues, dtype=np.float64))[::-1]
    share = ev / ev.sum()
    ok = np.ones(ev.size, dtype=bool)
    if min_eigenvalue is not None:
        ok &= ev > min_eigenvalue
    if min_variance_share is not None:
        ok &= share > min_variance_share
    k = int(np.argmin(ok)) if not ok.all() else ev.size
    k = max(k, 1)
    if min_cumulative is not None:
        cum = np.cumsum(share)
        while k < ev.size and cum[k - 1] < min_cumulative - 1e-12:
            k += 1
    return k


@dataclass(frozen=True)
class FactorAnalysisResult:
    """Result of :func:`factor_analysis`.

    Attributes
    ----------
    weights
        Indicator weights ``(n_cols,)``, sum 1.
    eigenvalues, variance_share
        All eigenvalues of the correlation matrix (descending) and their
        shares of the total variance.
    n_factors
        Number of retained factors.
    loadings, rotated_loadings
        ``(n_cols, n_factors)`` before / after varimax.
    scaled_squared_loadings
        Squared rotated loadings scaled to unit sum per factor.
    factor_of
        Retained factor each indicator is assigned to (largest squared
        rotated loading).
    factor_weights
        Weight of each intermediate composite (factor): its rotated explained
        variance over the total of the retained factors.
    n_used
        Number of complete cases used.
    """

    weights: FloatArray
    eigenvalues: FloatArray
    variance_share: FloatArray
    n_factors: int
    loadings: FloatArray
    rotated_loadings: FloatArray
    scaled_squared_loadings: FloatArray
    factor_of: IntArray
    factor_weights: FloatArray
    n_used: int


def _correlation(x: FloatArray, method: str) -> FloatArray:
    sd = x.std(axis=0)
    const = sd == 0
    if const.any():
        raise MethodError(
            f"{method}: 列 {_cols(const)} 在完整观测上为常数 / column(s) {_cols(const)} are "
            "constant over the complete cases: correlations are undefined, drop them"
        )
    return _f64(np.atleast_2d(np.corrcoef(x, rowvar=False)))


def factor_analysis(
    x: npt.ArrayLike,
    *,
    min_eigenvalue: float | None = None,
    min_variance_share: float | None = 0.10,
    min_cumulative: float | None = 0.60,
    rotation: Literal["varimax", "none"] = "varimax",
    assign_by: Literal["loading", "scaled"] = "loading",
) -> FactorAnalysisResult:
    """PCA / factor-analysis weights, OECD/JRC Handbook (2008) §6.1 procedure.

    1. Complete cases; standardise; correlation matrix ``R``.
    2. Principal components of ``R`` (eigenvalues ``λ_1 >= ... >= λ_m``);
       retain ``K`` factors with :func:`retain_factors`.
    3. Loadings ``L = V_K · diag(√λ_K)``; rotate with :func:`varimax`
       (``rotation="varimax"``, default; skipped when ``K == 1``).
    4. Squared rotated loadings scaled to unity sum per factor:
       ``q_jk = L_jk² / Σ_i L_ik²``.
    5. Each indicator is assigned to the factor with its largest squared
       loading ``L_jk²`` (``assign_by="loading"``, default: "indicators with
       the highest factor loadings are grouped") or with its largest scaled
       value ``q_jk`` (``assign_by="scaled"``); the intermediate composite of
       factor ``k`` gets weight ``φ_k = Σ_i L_ik² / Σ_{l<=K} Σ_i L_il²``
       (explained variance of the rotated factor over the retained total,
       the Handbook's "Expl./Tot").
    6. Indicator weight ``w_j = φ_{k(j)} · q_{j,k(j)}``, normalised to sum 1.

    Raises
    ------
    MethodError
        Fewer than 3 complete cases, fewer than 2 columns, constant columns.

    References
    ----------
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators:
    Methodology and User Guide*, OECD, Section 6.1 (TAI example, Tables
    16-17), and Step 4 of Part 1.
    """
    a = _data(x)
    if a.shape[1] < 2:
        raise MethodError("PCA 权重至少需要 2 列 / PCA weights need at least 2 columns")
    cc = _complete_cases(a, 3, "PCA")
    r = _correlation(cc, "PCA")
    ev, vec = np.linalg.eigh(r)
    order = np.argsort(ev)[::-1]
    ev = np.clip(ev[order], 0.0, None)
    vec = vec[:, order]
    share = ev / ev.sum()
    k = retain_factors(
        ev,
        min_eigenvalue=min_eigenvalue,
        min_variance_share=min_variance_share,
        min_cumulative=min_cumulative,
    )
    lo = vec[:, :k] * np.sqrt(ev[:k])
    rot = varimax(lo)[0] if rotation == "varimax" and k > 1 else lo
    sq = rot**2
    expl = sq.sum(axis=0)
    q = sq / expl
    factor_of = np.argmax(sq if assign_by == "loading" else q, axis=1).astype(np.intp)
    phi = expl / expl.sum()
    w = phi[factor_of] * q[np.arange(a.shape[1]), factor_of]
    return FactorAnalysisResult(
        weights=_normalise_sum(_f64(w), "PCA"),
        eigenvalues=_f64(ev),
        variance_share=_f64(share),
        n_factors=k,
        loadings=_f64(lo),
        rotated_loadings=_f64(rot),
        scaled_squared_loadings=_f64(q),
        factor_of=factor_of,
        factor_weights=_f64(phi),
        n_used=int(cc.shape[0]),
    )


class PCAOecdParams(Params):
    """Parameters of :func:`pca_oecd_weights` (see :func:`factor_analysis`)."""

    min_eigenvalue: float | None = None
    min_variance_share: float | None = Field(default=0.10, ge=0, lt=1)
    min_cumulative: float | None = Field(default=0.60, ge=0, le=1)
    rotation: Literal["varimax", "none"] = "varimax"
    assign_by: Literal["loading", "scaled"] = "loading"


@REGISTRY.register(
    "pca_oecd",
    params=PCAOecdParams,
    label_zh="主成分/因子分析赋权 (OECD 手册)",
    label_en="PCA / factor-analysis weights (OECD/JRC Handbook)",
    replicates=False,
)
def pca_oecd_weights(
    x: npt.ArrayLike,
    *,
    min_eigenvalue: float | None = None,
    min_variance_share: float | None = 0.10,
    min_cumulative: float | None = 0.60,
    rotation: Literal["varimax", "none"] = "varimax",
    assign_by: Literal["loading", "scaled"] = "loading",
) -> FloatArray:
    """Weights of :func:`factor_analysis` (OECD/JRC Handbook 2008)."""
    return factor_analysis(
        x,
        min_eigenvalue=min_eigenvalue,
        min_variance_share=min_variance_share,
        min_cumulative=min_cumulative,
        rotation=rotation,
        assign_by=assign_by,
    ).weights


class PCACoinrParams(Params):
    """Parameters of :func:`pca_coinr_weights`: loading ``sign`` and ``normalise``."""

    sign: Literal["positive_sum", "as_computed"] = "positive_sum"
    normalise: bool = False


@REGISTRY.register(
    "pca_coinr",
    params=PCACoinrParams,
    label_zh="第一主成分载荷权重 (COINr)",
    label_en="PC1 loading weights (COINr get_PCA)",
    replicates=False,
)
def pca_coinr_weights(
    x: npt.ArrayLike,
    *,
    sign: Literal["positive_sum", "as_computed"] = "positive_sum",
    normalise: bool = False,
) -> FloatArray:
    """COINr ``get_PCA`` weights: raw loadings of the first principal component.

    As ``stats::prcomp(x, center = TRUE, scale. = TRUE)$rotation[, 1]`` on the
    complete cases: the unit-length eigenvector of the correlation matrix
    belonging to its largest eigenvalue -- unsquared, not normalised to sum
    1, possibly with negative entries.  Computed here from the SVD of the
    standardised data (as prcomp).

    Sign: an eigenvector's sign is arbitrary, and numpy's LAPACK path need
    not give R's sign.  ``sign="positive_sum"`` (default) flips the vector so
    that its entries sum to a positive number; ``"as_computed"`` keeps the
    sign returned by :func:`numpy.linalg.svd`.  ``normalise=True`` divides by
    the sum (sum 1; only sensible when all loadings share a sign).

    Missing values: complete cases (COINr drops rows with any NA, with a
    warning).  Constant columns raise :class:`MethodError`.

    References
    ----------
    Becker, W. et al. COINr: composite indicator construction and analysis
    in R, ``get_PCA``; OECD/JRC (2008) Handbook §6.1.
    """
    a = _data(x)
    cc = _complete_cases(a, 3, "PCA (COINr)")
    _correlation(cc, "PCA (COINr)")
    zs = (cc - cc.mean(axis=0)) / cc.std(axis=0, ddof=1)
    vt = np.linalg.svd(zs, full_matrices=False)[2]
    v = _f64(vt[0])
    if sign == "positive_sum" and v.sum() < 0:
        v = -v
    if normalise:
        v = _normalise_sum(v, "PCA (COINr)")
    return v
