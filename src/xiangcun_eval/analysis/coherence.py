r"""Statistical-coherence kernels of the audit.

Pairwise-complete correlations and their p-values, Cronbach's alpha, PCA, KMO and
Bartlett's test.  Pure functions of ``(n_units, n_cols)`` float arrays (NaN = missing).

Definitions follow R/COINr 1.1.14 (``stats::cor(use =
"pairwise.complete.obs")``, ``cor.test``, ``get_cronbach``, ``get_PCA`` via
``prcomp(center = TRUE, scale = TRUE)``):

* Pearson, pairwise complete: for each pair only the units where both are
  available, with means and standard deviations over those units;
* Spearman: Pearson of the average ranks (``rank``, ties averaged) computed
  on the pair's complete units; Kendall: ``τ_b`` on those units
  (``scipy.stats.kendalltau``);
* p-values: Pearson ``t = r √((n−2)/(1−r²))`` on ``n − 2`` df, two-sided
  (= ``cor.test``); Spearman the same ``t`` approximation (scipy; R's
  ``cor.test`` uses exact/Edgeworth p-values for small ``n``); Kendall
  scipy's (exact for small ``n`` without ties, else normal);
* Cronbach's alpha ``α = k² \bar{σ}_{ij} / Σ_{ij} σ_{ij}`` with the
  pairwise-complete covariance matrix (``\bar σ_{ij}`` the mean
  off-diagonal covariance), as COINr ``get_cronbach``;
* PCA of the correlation matrix of the units with no missing value
  (listwise, as COINr): eigenvalues (= ``prcomp``'s ``sdev²``), explained
  variance shares, loadings = unit eigenvectors (``prcomp``'s ``rotation``).
  Sign convention: each eigenvector is oriented so that its loadings sum to
  a positive number (LAPACK's sign, which ``prcomp`` keeps, is arbitrary);
* KMO (Kaiser 1970, 1974): with ``R`` the correlation matrix and
  ``a_{ij} = −q_{ij}/√(q_{ii} q_{jj})`` the partial correlations from
  ``Q = R^{−1}``, ``KMO = Σ_{i≠j} r² / (Σ_{i≠j} r² + Σ_{i≠j} a²)`` and per
  variable ``MSA_j`` the same sums over row ``j`` (as R ``psych::KMO``);
* Bartlett's test of sphericity: ``χ² = −(n − 1 − (2p + 5)/6) ln|R|`` on
  ``p(p − 1)/2`` df (as ``psych::cortest.bartlett``).

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
tests. *Psychometrika* 16(3), 297-334.
Kaiser, H. F. (1974). An index of factorial simplicity. *Psychometrika*
39(1), 31-36.
Bartlett, M. S. (1951). The effect of standardization on a χ² approximation
in factor analysis. *Biometrika* 38(3/4), 337-344.
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, §4
(multivariate analysis).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError

__all__ = [
    "CorrMethod",
    "PCAResult",
    "bartlett_sphericity",
    "corr_pvalues",
    "corr_with_pvalues",
    "cronbach_alpha",
    "kmo",
    "pairwise_corr",
    "pairwise_cov",
    "pca",
]

F64 = NDArray[np.float64]
CorrMethod = Literal["pearson", "spearman", "kendall"]


def _moments(x: F64, y: F64) -> tuple[F64, F64, F64, F64, F64, F64]:
    """Pairwise-complete sums n, Σx, Σy, Σxy, Σx², Σy².

    Taken over the units where both columns are available, after centring each
    column on its own mean (which leaves correlations and covariances unchanged
    and keeps the sums small).
    """
    mx, my = ~np.isnan(x), ~np.isnan(y)
    with np.errstate(invalid="ignore"):
        x0 = np.where(mx, x - np.nanmean(np.where(mx.any(0), x, 0.0), axis=0), 0.0)
        y0 = np.where(my, y - np.nanmean(np.where(my.any(0), y, 0.0), axis=0), 0.0)
    fx, fy = mx.astype(np.float64), my.astype(np.float64)
    n = fx.T @ fy
    sx, sy = x0.T @ fy, fx.T @ y0
    sxy = x0.T @ y0
    sxx, syy = (x0 * x0).T @ fy, fx.T @ (y0 * y0)
    return n, sx, sy, sxy, sxx, syy


def _pearson(x: F64, y: F64) -> tuple[F64, F64]:
    if not (np.isnan(x).any() or np.isnan(y).any()):  # complete data: one matrix product
        x0, y0 = x - x.mean(axis=0), y - y.mean(axis=0)
        vx0, vy0 = (x0 * x0).sum(axis=0), (y0 * y0).sum(axis=0)
        nn = np.full((x.shape[1], y.shape[1]), float(x.shape[0]))
        with np.errstate(invalid="ignore", divide="ignore"):
            rr = (x0.T @ y0) / np.sqrt(np.outer(vx0, vy0))
        ok = (nn >= 2) & (vx0[:, None] > 0) & (vy0[None, :] > 0)
        return np.where(ok, np.clip(rr, -1.0, 1.0), np.nan), nn
    n, sx, sy, sxy, sxx, syy = _moments(x, y)
    with np.errstate(invalid="ignore", divide="ignore"):
        cxy = sxy - sx * sy / n
        vx = sxx - sx * sx / n
        vy = syy - sy * sy / n
        r = cxy / np.sqrt(vx * vy)
    r = np.where((n >= 2) & (vx > 0) & (vy > 0), np.clip(r, -1.0, 1.0), np.nan)
    return r, n


def pairwise_cov(x: F64) -> F64:
    """Pairwise-complete covariance matrix (``ddof = 1``).

    As R ``cov(use = "pairwise.complete.obs")``.
    """
    n, sx, sy, sxy, _, _ = _moments(x, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F64 = np.where(n >= 2, (sxy - sx * sy / n) / (n - 1), np.nan)
    return out


def _avg_ranks(v: F64) -> F64:
    from scipy.stats import rankdata  # type: ignore[import-untyped, unused-ignore]

    out: F64 = rankdata(v)
    return out


def _ranks_within(v: F64, mv: NDArray[np.bool_], m_other: NDArray[np.bool_]) -> F64:
    """Average ranks ``(n, q)`` of ``v`` within each pairwise-complete subset.

    Entry ``(i, j)`` is the average rank of ``v[i]`` among the units where ``v``
    and column ``j`` of ``m_other`` are both available (NaN elsewhere), for every
    ``j`` at once: with ``v`` sorted, the rank of a value among a subset is the
    count of subset members below its tie run plus half the members in it.
    """
    idx = np.flatnonzero(mv)
    o = idx[np.argsort(v[idx], kind="stable")]
    sv = v[o]
    member = m_other[o].astype(np.float64)  # (m, q)
    cum = np.cumsum(member, axis=0)
    m = sv.size
    new = np.ones(m, dtype=bool)
    new[1:] = sv[1:] != sv[:-1]
    start = np.maximum.accumulate(np.where(new, np.arange(m), 0))
    last = np.ones(m, dtype=bool)
    last[:-1] = new[1:]
    end = np.minimum.accumulate(np.where(last, np.arange(m), m - 1)[::-1])[::-1]
    below = np.where(start[:, None] > 0, cum[np.maximum(start - 1, 0)], 0.0)
    upto = cum[end]
    out = np.full((v.size, m_other.shape[1]), np.nan)
    out[o] = np.where(member > 0, below + (upto - below + 1.0) / 2.0, np.nan)
    return out


def _spearman(x: F64, y: F64, mx: NDArray[np.bool_], my: NDArray[np.bool_], n: F64) -> F64:
    """Pairwise-complete Spearman correlations, vectorised per column.

    Ranks are recomputed on each pair's common units, as R and pandas do.

    ``ra[i, :, j]`` holds the ranks of ``x_i`` among the units with ``x_i``
    and ``y_j``, centred on their mean ``(n_ij + 1)/2`` (0 elsewhere); the
    correlation of a pair is then one product of ``ra[i, :, j]`` and
    ``rb[j, :, i]``.  Memory: ``p·q·n_units`` floats.
    """
    p, q = x.shape[1], y.shape[1]
    c = (n + 1.0) / 2.0  # both rank vectors of a pair have this mean

    def centred(v: F64, mv: NDArray[np.bool_], m_other: NDArray[np.bool_], ck: F64) -> F64:
        rk = _ranks_within(v, mv, m_other)
        out = np.zeros_like(rk)
        np.subtract(rk, ck, out=out, where=~np.isnan(rk))
        return out

    ra = np.stack([centred(x[:, i], mx[:, i], my, c[i]) for i in range(p)])  # (p, n, q)
    rb = ra if y is x else np.stack([centred(y[:, j], my[:, j], mx, c[:, j]) for j in range(q)])
    r = np.full((p, q), np.nan)
    block = max(1, int(2**22 // max(1, x.shape[0] * q)))
    for start in range(0, p, block):  # blocks of columns, bounded memory
        idx = np.arange(start, min(p, start + block))
        a = ra[idx]  # (b, n, q)
        bm = rb[:, :, idx].transpose(2, 1, 0)  # (b, n, q): bm[b, :, j] = rb[j, :, i_b]
        with np.errstate(invalid="ignore", divide="ignore"):
            r[idx] = np.einsum("bnq,bnq->bq", a, bm) / np.sqrt(
                np.einsum("bnq,bnq->bq", a, a) * np.einsum("bnq,bnq->bq", bm, bm))
    out: F64 = np.where(n >= 2, np.clip(r, -1.0, 1.0), np.nan)
    return out


def pairwise_corr(
    x: F64, y: F64 | None = None, method: CorrMethod = "pearson"
) -> tuple[F64, F64]:
    """Correlations ``(r, n)`` between the columns of ``x`` and of ``y``.

    ``y`` defaults to ``x``; units are pairwise complete; both arrays are ``(p, q)``.

    Pearson is one set of matrix products.  Spearman uses one ranking per
    column when both columns are complete, and re-ranks the pair's common
    units otherwise; Kendall calls ``scipy.stats.kendalltau`` per pair (a
    loop over column pairs, never over units).
    """
    if method not in ("pearson", "spearman", "kendall"):
        raise MethodError(
            f"未知相关方法 {method!r} / unknown correlation method {method!r}; use 'pearson', "
            "'spearman' or 'kendall'"
        )
    yy = x if y is None else y
    if method == "pearson":
        return _pearson(x, yy)
    if method == "kendall":
        r, n, _ = corr_with_pvalues(x, y, "kendall")
        return r, n
    mx, my = ~np.isnan(x), ~np.isnan(yy)
    n = mx.T.astype(np.float64) @ my.astype(np.float64)
    r = _spearman(x, yy, mx, my, n)
    if y is None:
        np.fill_diagonal(r, np.where(n.diagonal() >= 2, 1.0, np.nan))
    return r, n


def corr_with_pvalues(
    x: F64, y: F64 | None = None, method: CorrMethod = "pearson"
) -> tuple[F64, F64, F64]:
    """Correlations with two-sided p-values: ``(r, n, p)``.

    As :func:`pairwise_corr`; Kendall's statistic and p-value come from one
    ``kendalltau`` call per pair.
    """
    if method != "kendall":
        r, n = pairwise_corr(x, y, method)
        return r, n, corr_pvalues(r, n, method)
    from scipy import stats  # type: ignore[import-untyped, unused-ignore]

    same = y is None
    yy = x if y is None else y
    mx, my = ~np.isnan(x), ~np.isnan(yy)
    n = mx.T.astype(np.float64) @ my.astype(np.float64)
    r = np.full((x.shape[1], yy.shape[1]), np.nan)
    p = np.full_like(r, np.nan)
    for i in range(x.shape[1]):  # column pairs, not units
        for j in range(yy.shape[1]):
            if same and j <= i:
                if j < i:
                    r[i, j], p[i, j] = r[j, i], p[j, i]
                continue
            ok = mx[:, i] & my[:, j]
            a, b = x[ok, i], yy[ok, j]
            if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
                continue
            res = stats.kendalltau(a, b)
            r[i, j], p[i, j] = float(res.statistic), float(res.pvalue)
    if same:
        d = n.diagonal() >= 2
        np.fill_diagonal(r, np.where(d, 1.0, np.nan))
        np.fill_diagonal(p, np.where(d, 0.0, np.nan))
    return r, n, p


def corr_pvalues(
    r: F64, n: F64, method: CorrMethod = "pearson", x: F64 | None = None, y: F64 | None = None
) -> F64:
    """Two-sided p-values of correlations ``r`` on ``n`` pairwise-complete units.

    Pearson and Spearman by the ``t`` statistic on ``n − 2`` df; Kendall by
    ``scipy.stats.kendalltau`` (needs the data ``x``, ``y``).
    """
    from scipy import stats  # type: ignore[import-untyped, unused-ignore]

    if method == "kendall":
        if x is None:
            raise MethodError("Kendall p 值需要原始数据 / Kendall p-values need the data")
        yy = x if y is None else y
        out = np.full(r.shape, np.nan)
        for i, j in zip(*np.nonzero(np.isfinite(r)), strict=True):
            ok = ~np.isnan(x[:, i]) & ~np.isnan(yy[:, j])
            out[i, j] = float(stats.kendalltau(x[ok, i], yy[ok, j]).pvalue) if ok.sum() > 2 \
                else np.nan
        return out
    with np.errstate(invalid="ignore", divide="ignore"):
        df = n - 2
        t = r * np.sqrt(df / np.maximum(1e-300, 1 - r * r))
        pv: F64 = np.where((df > 0) & np.isfinite(r),
                           np.where(np.abs(r) >= 1, 0.0, 2 * stats.t.sf(np.abs(t), df)), np.nan)
    return pv


def cronbach_alpha(x: F64) -> float:
    r"""Cronbach's alpha of the columns of ``x`` (COINr ``get_cronbach``).

    From pairwise-complete covariances: ``α = k² \bar σ_{ij} / Σ σ``.
    """
    k = x.shape[1]
    if k < 2:
        raise MethodError("Cronbach α 至少需要两列 / Cronbach's alpha needs at least two columns")
    c = pairwise_cov(x)
    total = float(np.nansum(c))
    off = (total - float(np.nansum(np.diag(c)))) / (k * (k - 1))
    return k * k * off / total if total != 0 else float("nan")


@dataclass(frozen=True)
class PCAResult:
    """PCA of a set of columns (correlation matrix of complete units)."""

    eigenvalues: F64
    explained: F64
    loadings: F64
    """``(n_cols, n_components)`` unit eigenvectors, signs: columns sum >= 0."""
    n_used: int
    n_dropped: int
    kmo: float
    msa: F64
    bartlett_chi2: float
    bartlett_df: int
    bartlett_p: float


def _complete(x: F64) -> tuple[F64, int]:
    ok = ~np.isnan(x).any(axis=1)
    return x[ok], int((~ok).sum())


def _corr_complete(x: F64) -> F64:
    if x.shape[0] < 3:
        raise MethodError(
            f"完整单位不足 / PCA needs at least 3 units with every value present; {x.shape[0]} "
            "have. Impute first"
        )
    sd = x.std(axis=0, ddof=1)
    if np.any(sd == 0):
        raise MethodError(
            "存在常数列, 无法标准化 / a column is constant over the complete units and cannot be "
            f"scaled (columns {np.flatnonzero(sd == 0).tolist()})"
        )
    out: F64 = np.asarray(np.corrcoef(x, rowvar=False), dtype=np.float64)
    return out


def kmo(x: F64) -> tuple[float, F64]:
    """Kaiser-Meyer-Olkin measure: overall and per column (complete units)."""
    r = _corr_complete(_complete(x)[0])
    try:
        q = np.linalg.inv(r)
    except np.linalg.LinAlgError:
        return float("nan"), np.full(r.shape[0], np.nan)
    d = np.sqrt(np.diag(q))
    a = -q / np.outer(d, d)
    np.fill_diagonal(a, 0.0)
    r0 = r.copy()
    np.fill_diagonal(r0, 0.0)
    r2, a2 = (r0 * r0).sum(axis=0), (a * a).sum(axis=0)
    return float(r2.sum() / (r2.sum() + a2.sum())), r2 / (r2 + a2)


def bartlett_sphericity(x: F64) -> tuple[float, int, float]:
    """Bartlett's test that the correlation matrix is the identity.

    Returns ``(χ², df, p)`` on the complete units.
    """
    from scipy import stats  # type: ignore[import-untyped, unused-ignore]

    xc, _ = _complete(x)
    r = _corr_complete(xc)
    n, p = xc.shape
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        return float("inf"), p * (p - 1) // 2, 0.0
    chi2 = -(n - 1 - (2 * p + 5) / 6.0) * logdet
    df = p * (p - 1) // 2
    return float(chi2), df, float(stats.chi2.sf(chi2, df))


def pca(x: F64) -> PCAResult:
    """PCA (on the correlation matrix) of the units with every column present."""
    if x.shape[1] < 2:
        raise MethodError("PCA 至少需要两列 / PCA needs at least two columns")
    xc, dropped = _complete(x)
    r = _corr_complete(xc)
    vals, vecs = np.linalg.eigh(r)
    order = np.argsort(vals)[::-1]
    vals, vecs = np.clip(vals[order], 0.0, None), vecs[:, order]
    s = vecs.sum(axis=0)
    big = vecs[np.argmax(np.abs(vecs), axis=0), np.arange(vecs.shape[1])]
    flip = np.where(np.abs(s) > 1e-12, np.sign(s), np.sign(big))
    vecs = vecs * flip
    k, msa = kmo(xc)
    chi2, df, pv = bartlett_sphericity(xc)
    return PCAResult(eigenvalues=vals, explained=vals / vals.sum(), loadings=vecs,
                     n_used=xc.shape[0], n_dropped=dropped, kmo=k, msa=msa, bartlett_chi2=chi2,
                     bartlett_df=df, bartlett_p=pv)
