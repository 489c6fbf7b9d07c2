"""Variance-based sensitivity estimators, vectorised over any number of outputs.

All functions take the outputs of the Saltelli design blocks (see
:mod:`xiangcun_eval.sensitivity.design`):

* ``yA``, ``yB``: shape ``(N, *out)``, outputs on rows of ``A`` and ``B``;
* ``yAB``: shape ``(d, N, *out)``, ``yAB[i]`` = outputs on ``AB_i``;

where ``*out`` is any shape of outputs computed at once (for example one
output per county: ``(2850,)``).  Indices come back with shape ``(d, *out)``
and are computed as whole-array operations, with no loop over outputs.
(The correlation-ratio main effect of an indicator,
:func:`correlation_ratio_main_effect`, lives in
:mod:`xiangcun_eval.sensitivity.main_effect`, the result class
:class:`SobolIndices` in :mod:`xiangcun_eval.sensitivity.indices` and the
sorted-lane quantiles in :mod:`xiangcun_eval.sensitivity.quantiles`; all are
re-exported here.)

Estimators (Saltelli et al. 2010, Table 2, estimators (b) and (f))::

    V    = var([yA; yB])                              (ddof 0 by default, as SALib)
    S_i  = mean_k( yB_k · (yAB_i,k − yA_k) ) / V      (Saltelli et al. 2010)
    ST_i = mean_k( (yA_k − yAB_i,k)² ) / (2V)         (Jansen 1999)

Before the first-order numerator is formed the outputs are centred
(``center="all"``: by the mean of all ``N(d+2)`` runs, which is what SALib's
normalisation ``(Y − mean)/std`` amounts to; ``"ab"``: by the mean of
``[yA; yB]`` as ``scipy.stats.sobol_indices``; ``"none"``: raw outputs, as
COINr).  Centring leaves ``S_T`` and ``V`` unchanged and reduces the variance
of the ``S_i`` estimator for outputs with a large mean (e.g. ranks).

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S.
(2010). Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index. *Comput. Phys. Commun.* 181,
259-270. doi:10.1016/j.cpc.2009.09.018

Jansen, M. J. W. (1999). Analysis of variance designs for model output.
*Comput. Phys. Commun.* 117, 35-43. doi:10.1016/S0010-4655(98)00154-4
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from .design import SeedLike, check_seed
from .indices import CenterMode, SobolIndices
from .main_effect import correlation_ratio_main_effect
from .quantiles import quantiles_along, sorted_quantiles

__all__ = [
    "CenterMode",
    "SobolIndices",
    "bootstrap_counts",
    "correlation_ratio_main_effect",
    "first_order",
    "quantiles_along",
    "sobol_indices",
    "sorted_quantiles",
    "total_order",
]

FloatArray: TypeAlias = NDArray[np.float64]
OutArray: TypeAlias = NDArray[np.floating | np.integer]
"""Outputs: float64, or a dtype whose values float64 holds exactly."""

_DEFAULT_CHUNK_BYTES = 64 * 2**20
# dtypes whose values float64 holds exactly: converted per block of columns
_EXACT_DTYPES = tuple(np.dtype(t) for t in (np.float32, np.int8, np.int16, np.int32, np.uint8,
                                             np.uint16, np.uint32))


# --------------------------------------------------------------------------- validation


def _as_blocks(
    yA: ArrayLike, yB: ArrayLike, yAB: ArrayLike
) -> tuple[OutArray, OutArray, OutArray, tuple[int, ...]]:
    """Validate shapes; return 2-D ``(N, M)``, ``(N, M)``, ``(d, N, M)`` and ``out``.

    float32 and integer outputs (e.g. ranks) are kept as they are and turned
    into float64 one block of columns at a time by :func:`sobol_indices`
    (exact: the same float64 values, without a float64 copy of everything);
    anything else becomes float64 here.
    """
    a, b, ab = (_as_outputs(y) for y in (yA, yB, yAB))
    if a.ndim < 1 or a.shape != b.shape:
        raise MethodError(
            f"yA 与 yB 形状须相同且至少一维 / yA and yB must have the same shape (N, ...); "
            f"got {a.shape} and {b.shape}"
        )
    if ab.ndim != a.ndim + 1 or ab.shape[1:] != a.shape:
        raise MethodError(
            f"yAB 形状应为 (d, *yA.shape) / yAB must have shape (d, {', '.join(map(str, a.shape))})"
            f", got {ab.shape}"
        )
    if a.shape[0] < 2:
        raise MethodError(f"至少需要 2 个基础样本 / need N >= 2 base samples, got {a.shape[0]}")
    if ab.shape[0] < 1:
        raise MethodError("yAB 没有因素 / yAB has no factor blocks (d = 0)")
    out = a.shape[1:]
    n = a.shape[0]
    d = ab.shape[0]
    return a.reshape(n, -1), b.reshape(n, -1), ab.reshape(d, n, -1), out


def _as_outputs(y: ArrayLike) -> OutArray:
    arr = np.asarray(y)
    if arr.dtype == np.float64 or arr.dtype in _EXACT_DTYPES:
        return arr
    out: FloatArray = np.asarray(arr, dtype=np.float64)
    return out


def _factor_names(names: Sequence[str] | None, d: int) -> tuple[str, ...]:
    if names is None:
        return tuple(f"x{i + 1}" for i in range(d))
    names_t = tuple(str(s) for s in names)
    if len(names_t) != d:
        raise MethodError(
            f"因素名个数 {len(names_t)} 与 d = {d} 不符 / got {len(names_t)} factor names "
            f"for d = {d} factors"
        )
    if len(set(names_t)) != d:
        raise MethodError(f"因素名重复 / duplicate factor names: {names_t}")
    return names_t


def _check_ddof(ddof: int) -> int:
    if ddof not in (0, 1):
        raise MethodError(f"ddof 只能是 0 或 1 / ddof must be 0 or 1, got {ddof!r}")
    return int(ddof)


def _check_center(center: str) -> CenterMode:
    if center == "all":
        return "all"
    if center == "ab":
        return "ab"
    if center == "none":
        return "none"
    raise MethodError(
        f"未知的中心化方式 / unknown center={center!r}: use 'all' (SALib), 'ab' (scipy) "
        "or 'none' (COINr)"
    )


# --------------------------------------------------------------------------- kernels


def _center_constant(
    sum_a: FloatArray, sum_b: FloatArray, n: int, ab: FloatArray, center: CenterMode
) -> FloatArray:
    """Per-output constant subtracted from ``yB`` in the first-order numerator.

    Only ``yB`` needs it: ``(yAB_i − c) − (yA − c) = yAB_i − yA``.  ``sum_a``,
    ``sum_b``: column sums of ``yA`` and ``yB`` (``n`` rows each).
    """
    if center == "all":
        c: FloatArray = (sum_a + sum_b + ab.sum(axis=(0, 1))) / (n * (ab.shape[0] + 2))
    elif center == "ab":
        c = (sum_a + sum_b) / (2 * n)
    else:
        c = np.zeros(sum_a.shape)
    return c


class _Work:
    """Work arrays reused from one block of output columns to the next.

    A fresh array of a few MiB costs page faults (and, for madvised huge pages,
    possibly compaction) every time; :func:`sobol_indices` runs the same
    operations block after block, so each temporary is carved, contiguous, from
    the front of one buffer per name.  Same values as fresh arrays.
    """

    def __init__(self) -> None:
        self._bufs: dict[str, FloatArray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> FloatArray:
        size = int(np.prod(shape))
        buf = self._bufs.get(name)
        if buf is None or buf.size < size:
            buf = np.empty(size)
            self._bufs[name] = buf
        out: FloatArray = buf[:size].reshape(shape)
        return out


def _variance_and_constant(
    a: FloatArray, b: FloatArray, ddof: int, work: _Work
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``var([a; b])`` per output and the zero-variance mask (relative test)."""
    both = np.concatenate([a, b], axis=0, out=work.get("both", (2 * a.shape[0], a.shape[1])))
    var: FloatArray = np.var(both, axis=0, ddof=ddof)
    with np.errstate(invalid="ignore"):
        hi, lo = np.max(both, axis=0), np.min(both, axis=0)
        span = hi - lo  # np.ptp
        scale = np.maximum(hi, -lo)  # max |y|, without an |y| pass
        constant: NDArray[np.bool_] = span <= 8.0 * np.finfo(np.float64).eps * scale
    return var, constant


def _chunk(
    a: FloatArray,
    b: FloatArray,
    ab: FloatArray,
    *,
    ddof: int,
    center: CenterMode,
    counts: FloatArray | None,
    work: _Work | None = None,
) -> tuple[
    FloatArray, FloatArray, FloatArray, NDArray[np.bool_], FloatArray | None, FloatArray | None
]:
    """Pure 2-D kernel for one block of output columns.

    Returns ``first (d, M)``, ``total (d, M)``, ``V (M)``, ``constant (M)``
    and, when ``counts`` is given, bootstrap replicates ``(d, n_boot, M)`` of
    both indices.  Centring is done once on the full sample (as SALib and
    scipy do); in each resample ``V`` is recomputed from the resampled
    ``[yA; yB]``.  ``work``: reused work arrays (see :class:`_Work`); the
    bootstrap replicates returned live in them until the next call.
    """
    w = _Work() if work is None else work
    n = a.shape[0]
    var, constant = _variance_and_constant(a, b, ddof, w)
    sum_a, sum_b = a.sum(axis=0), b.sum(axis=0)  # also the means below (np.mean = sum / n)
    bc = np.subtract(b, _center_constant(sum_a, sum_b, n, ab, center), out=w.get("bc", b.shape))
    # (d, N, M): the only large temporary without bootstrap
    diff = np.subtract(ab, a, out=w.get("diff", ab.shape))
    # point estimates as contractions, no further (d, N, M) temporaries
    num_first = np.einsum("nm,dnm->dm", bc, diff) / n
    num_total = np.einsum("dnm,dnm->dm", diff, diff) / (2 * n)
    safe = np.where(constant, 1.0, var)
    first: FloatArray = num_first / safe
    total: FloatArray = num_total / safe
    first[:, constant] = np.nan
    total[:, constant] = np.nan
    if counts is None:
        return first, total, var, constant, None, None
    nb = counts.shape[0]
    # per-row terms of the first-order numerator
    t_first = np.multiply(bc, diff, out=w.get("t_first", diff.shape))
    diff *= diff
    diff *= 0.5  # per-row terms of the total-order numerator
    t_total = diff
    rep_shape = (ab.shape[0], nb, a.shape[1])
    rep_first = np.matmul(counts, t_first, out=w.get("rep_first", rep_shape))  # (d, n_boot, M)
    rep_first /= n
    rep_total = np.matmul(counts, t_total, out=w.get("rep_total", rep_shape))
    rep_total /= n
    shift = (sum_a / n + sum_b / n) / 2.0  # the mean of [a; b], for a stable one-pass variance
    a0 = np.subtract(a, shift, out=w.get("a0", a.shape))
    b0 = np.subtract(b, shift, out=w.get("b0", b.shape))
    m1 = counts @ np.add(a0, b0, out=w.get("s", a.shape)) / (2 * n)
    np.multiply(a0, a0, out=a0)
    np.multiply(b0, b0, out=b0)
    m2 = counts @ np.add(a0, b0, out=w.get("s", a.shape)) / (2 * n)
    var_b = np.maximum(m2 - m1 * m1, 0.0) * (2 * n / (2 * n - ddof))  # (n_boot, M)
    with np.errstate(divide="ignore", invalid="ignore"):
        rep_first /= var_b
        rep_total /= var_b
    return first, total, var, constant, rep_first, rep_total


def _f64(x: OutArray, work: _Work, name: str) -> FloatArray:
    """``x`` as float64: itself when it is, else converted into a work array."""
    if x.dtype == np.float64:
        same: FloatArray = np.asarray(x, dtype=np.float64)  # no copy
        return same
    out = work.get(name, x.shape)
    np.copyto(out, x)
    return out


def bootstrap_counts(resample_index: ArrayLike, n: int) -> FloatArray:
    """Turn resample indices ``(n_boot, N)`` into counts ``(n_boot, N)``.

    ``counts[r, k]`` is how often row ``k`` appears in resample ``r``.  The
    mean of any per-row term ``t`` over resample ``r``, ``mean(t[idx[r]])``,
    equals ``counts[r] @ t / N``, so all bootstrap statistics are matrix
    products and nothing of size ``n_boot × N × outputs`` is ever built.
    """
    idx = np.asarray(resample_index)
    if idx.ndim != 2 or idx.shape[1] != n or not np.issubdtype(idx.dtype, np.integer):
        raise MethodError(
            f"重抽样下标应为整数数组 (n_boot, {n}) / resample_index must be an integer array "
            f"of shape (n_boot, N={n}), got {idx.dtype} {idx.shape}"
        )
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise MethodError(f"重抽样下标越界 / resample indices must lie in [0, {n})")
    n_boot = idx.shape[0]
    flat = (idx + n * np.arange(n_boot)[:, None]).ravel()
    counts: FloatArray = (
        np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(np.float64)
    )
    return counts


# --------------------------------------------------------------------------- public API


def first_order(
    yA: ArrayLike, yB: ArrayLike, yAB: ArrayLike, *, ddof: int = 0, center: CenterMode = "all"
) -> FloatArray:
    """First-order Sobol' indices ``S_i`` (Saltelli et al. 2010, Table 2 (b)).

    .. math:: S_i = \\frac{\\frac1N \\sum_k f(B)_k (f(A_B^{(i)})_k - f(A)_k)}{V},
              \\quad V = \\operatorname{var}([f(A); f(B)])

    Parameters
    ----------
    yA, yB : array_like, shape (N, *out)
    yAB : array_like, shape (d, N, *out)
    ddof : {0, 1}
        0 (default) as SALib and scipy; 1 as COINr (R's ``var``).
    center : {"all", "ab", "none"}
        Centring before the numerator (module notes); "all" reproduces SALib.

    Returns
    -------
    ndarray, shape (d, *out); NaN for constant outputs.
    """
    return sobol_indices(yA, yB, yAB, ddof=ddof, center=center).first


def total_order(yA: ArrayLike, yB: ArrayLike, yAB: ArrayLike, *, ddof: int = 0) -> FloatArray:
    """Total Sobol' indices ``S_Ti`` (Jansen 1999; Saltelli et al. 2010, Table 2 (f)).

    .. math:: S_{Ti} = \\frac{\\frac1{2N} \\sum_k (f(A)_k - f(A_B^{(i)})_k)^2}{V}

    Parameters and return as :func:`first_order` (centring does not matter).
    """
    return sobol_indices(yA, yB, yAB, ddof=ddof).total


def sobol_indices(
    yA: ArrayLike,
    yB: ArrayLike,
    yAB: ArrayLike,
    *,
    factor_names: Sequence[str] | None = None,
    ddof: int = 0,
    center: CenterMode = "all",
    n_boot: int = 0,
    confidence: float = 0.95,
    ci_method: Literal["percentile", "normal"] = "percentile",
    seed: SeedLike | None = None,
    resample_index: ArrayLike | None = None,
    max_chunk_bytes: int = _DEFAULT_CHUNK_BYTES,
) -> SobolIndices:
    """First-order and total Sobol' indices with optional bootstrap intervals.

    .. math::
        V = \\operatorname{var}([y_A; y_B]),\\quad
        S_i = \\frac{\\overline{y_B (y_{AB_i} - y_A)}}{V},\\quad
        S_{Ti} = \\frac{\\overline{(y_A - y_{AB_i})^2}}{2V}

    (Saltelli et al. 2010, Table 2 (b); Jansen 1999, Table 2 (f)).  Every
    output in ``*out`` is handled by the same array operations.

    Parameters
    ----------
    yA, yB : array_like, shape (N, *out)
        Outputs on the ``A`` and ``B`` rows.
    yAB : array_like, shape (d, N, *out)
        Outputs on ``AB_1 ... AB_d``.
    factor_names : sequence of str, optional
        Names for the labelled accessors (default ``x1 ... xd``).
    ddof : {0, 1}
        Degrees of freedom of ``V``: 0 as SALib (``np.var``) and scipy,
        1 as COINr.
    center : {"all", "ab", "none"}
        Centring before the first-order numerator: "all" = mean of all
        ``N(d+2)`` runs (reproduces SALib exactly), "ab" = mean of
        ``[yA; yB]`` (scipy), "none" = raw (COINr).
    n_boot : int
        Number of bootstrap resamples (0 = none).  The ``N`` base rows are
        resampled with replacement, the same resamples for every factor,
        every output and both indices.
    confidence : float
        Confidence level in (0, 1) (default 0.95).
    ci_method : {"percentile", "normal"}
        "percentile": the ``(1∓confidence)/2`` quantiles of the bootstrap
        replicates; "normal": ``S ± z·se`` with ``se`` = std (ddof 1) of the
        replicates, SALib's ``conf`` being the half width ``z·se``.
    seed : int, SeedSequence, Generator or None
        Seeds the resamples.  The indices are drawn as
        ``default_rng(seed).integers(N, size=(N, n_boot)).T``, which for an
        int seed are exactly the resamples SALib's ``sobol.analyze(seed=...)``
        uses.  None = fresh entropy (not reproducible).
    resample_index : array_like of int, shape (n_boot, N), optional
        Explicit resamples (overrides ``n_boot`` and ``seed``).
    max_chunk_bytes : int
        Memory bound for the bootstrap working arrays; outputs are processed
        in chunks of columns that fit.

    Returns
    -------
    SobolIndices

    Notes
    -----
    Outputs that are constant over ``[yA; yB]`` (``ptp <= 8·eps·max|y|``)
    get NaN indices and ``constant = True``, without warnings.  Non-finite
    outputs give NaN indices for that output only.  A bootstrap resample
    that happens to have zero variance gives a non-finite replicate, and
    then NaN intervals for that output.

    References
    ----------
    Saltelli et al. (2010), Comput. Phys. Commun. 181, 259-270.
    Jansen (1999), Comput. Phys. Commun. 117, 35-43.
    """
    a, b, ab, out_shape = _as_blocks(yA, yB, yAB)
    ddof = _check_ddof(ddof)
    center_ = _check_center(center)
    n = a.shape[0]
    d = ab.shape[0]
    names = _factor_names(factor_names, d)

    counts: FloatArray | None = None
    if resample_index is not None or n_boot:
        if not 0.0 < confidence < 1.0:
            raise MethodError(
                f"置信水平须在 (0, 1) 内 / confidence must lie in (0, 1), got {confidence}"
            )
        if ci_method not in ("percentile", "normal"):
            raise MethodError(
                f"未知区间方法 / unknown ci_method {ci_method!r}: use 'percentile' or 'normal'"
            )
        if resample_index is None:
            if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 2:
                raise MethodError(
                    f"n_boot 须为 ≥ 2 的整数 / n_boot must be an int >= 2, got {n_boot!r}"
                )
            rng = np.random.default_rng(
                None if seed is None else check_seed(seed, accept="any"))
            idx: NDArray[np.integer] = rng.integers(n, size=(n, int(n_boot))).T
        else:
            idx = np.asarray(resample_index)
            if idx.ndim != 2 or idx.shape[0] < 2:
                raise MethodError(
                    "resample_index 须为 (n_boot >= 2, N) / resample_index must have shape "
                    f"(n_boot >= 2, N), got {idx.shape}"
                )
        counts = bootstrap_counts(idx, n)
    nb = 0 if counts is None else counts.shape[0]

    m_total = a.shape[1]
    per_col = 8 * (3 * d * n + 4 * n + 4 * d * nb + 4 * nb)  # working bytes per output column
    step = max(1, min(m_total, max_chunk_bytes // per_col))
    lo_q, hi_q = (1.0 - confidence) / 2.0, (1.0 + confidence) / 2.0
    first = np.empty((d, m_total))
    total = np.empty((d, m_total))
    var = np.empty(m_total)
    constant = np.empty(m_total, dtype=np.bool_)
    f_conf = np.empty((2, d, m_total))
    t_conf = np.empty((2, d, m_total))
    f_se = np.empty((d, m_total))
    t_se = np.empty((d, m_total))
    work = _Work()
    for s in range(0, m_total, step):
        cols = slice(s, min(s + step, m_total))
        with np.errstate(invalid="ignore", over="ignore"):
            first[:, cols], total[:, cols], var[cols], constant[cols], rf, rt = _chunk(
                _f64(a[:, cols], work, "a"), _f64(b[:, cols], work, "b"),
                _f64(ab[:, :, cols], work, "ab"), ddof=ddof, center=center_, counts=counts,
                work=work,
            )
            if rf is not None and rt is not None:
                f_se[:, cols] = np.std(rf, axis=1, ddof=1)
                t_se[:, cols] = np.std(rt, axis=1, ddof=1)
                if ci_method == "percentile":
                    f_conf[:, :, cols] = quantiles_along(rf, [lo_q, hi_q], axis=1)
                    t_conf[:, :, cols] = quantiles_along(rt, [lo_q, hi_q], axis=1)

    result_kwargs: dict[str, object] = {}
    if counts is not None:
        if ci_method == "normal":
            z = NormalDist().inv_cdf(hi_q)
            f_conf = np.stack([first - z * f_se, first + z * f_se])
            t_conf = np.stack([total - z * t_se, total + z * t_se])
        for arr in (f_conf, t_conf, f_se, t_se):
            arr[..., constant] = np.nan
        result_kwargs = {
            "first_conf": f_conf.reshape(2, d, *out_shape),
            "total_conf": t_conf.reshape(2, d, *out_shape),
            "first_se": f_se.reshape(d, *out_shape),
            "total_se": t_se.reshape(d, *out_shape),
            "confidence": float(confidence),
            "ci_method": ci_method,
            "n_boot": int(nb),
        }

    return SobolIndices(
        first=first.reshape(d, *out_shape),
        total=total.reshape(d, *out_shape),
        variance=var.reshape(out_shape),
        constant=constant.reshape(out_shape),
        factor_names=names,
        n_base=n,
        ddof=ddof,
        center=center_,
        **result_kwargs,  # type: ignore[arg-type]
    )
