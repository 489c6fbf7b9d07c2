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

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, section 6 (aggregation).
Becker, W. et al. COINr 1.1.14, ``R/aggregate.R`` (MIT licence).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, model_validator

from ..errors import MethodError
from ._registry import NoParams, Params, Registry

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

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

REGISTRY = Registry("aggregate")

# Rows processed at once by the Copeland pairwise comparison: the temporary
# (chunk, n_units, n_children) array holds at most this many elements.
_COPELAND_CHUNK_ELEMENTS = 1 << 22
# Units whose benefit-of-the-doubt LPs are stacked into one block-diagonal LP.
_BOD_BATCH = 100


# --------------------------------------------------------------------------- parameters
class _PositivePolicy(Params):
    nonpositive: Literal["error", "nan"] = "error"
    """What to do with a value ``<= 0``: ``"error"`` raises
    :class:`~xiangcun_eval.errors.MethodError` naming group, unit and count;
    ``"nan"`` gives the unit NaN for that group."""


class GeometricParams(_PositivePolicy):
    """Parameters of :func:`geometric`."""


class HarmonicParams(_PositivePolicy):
    """Parameters of :func:`harmonic`."""


class GenMeanParams(_PositivePolicy):
    """Parameters of :func:`genmean`: the power ``p`` (finite)."""

    p: float = Field(default=1.0, allow_inf_nan=False)


class TopsisParams(Params):
    """Parameters of :func:`topsis`."""

    normalisation: Literal["vector", "minmax"] = "vector"
    scale: float = Field(default=1.0, gt=0, allow_inf_nan=False)


class MPIParams(Params):
    """Parameters of :func:`mpi`."""

    penalty: Literal["negative", "positive"] = "negative"


class AMPIParams(Params):
    """Parameters of :func:`ampi`.

    ``reference``: ``"mean"`` / ``"median"`` of the available values of each
    child, or one value per child (in ``x``'s units).  ``lower``/``upper``:
    the goalposts ``Inf``/``Sup`` per child (default: observed min/max).
    """

    penalty: Literal["negative", "positive"] = "negative"
    reference: Literal["mean", "median"] | tuple[float, ...] = "mean"
    lower: tuple[float, ...] | None = None
    upper: tuple[float, ...] | None = None

    @model_validator(mode="after")
    def _both_goalposts(self) -> AMPIParams:
        if (self.lower is None) != (self.upper is None):
            raise ValueError("give both lower and upper goalposts, or neither")
        return self


class CopelandParams(Params):
    """Parameters of :func:`copeland`."""

    max_units: int = Field(default=20_000, ge=2)


# --------------------------------------------------------------------------- helpers
def _as_x(x: ArrayLike) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim < 2:
        raise MethodError(
            f"合成数据维数不足 / aggregation data must have shape (..., n_units, n_children); "
            f"got shape {a.shape}. Reshape a single unit or column with x[None, :] / x[:, None]."
        )
    return a


def _squeeze_broadcast(x: FloatArray) -> FloatArray:
    """Collapse stride-0 (``broadcast_to``) leading axes to length 1 so that
    no work is repeated for identical copies; matmul broadcasting restores
    the shape."""
    idx = tuple(
        slice(0, 1) if (st == 0 and n > 1) else slice(None)
        for st, n in zip(x.strides[:-2], x.shape[:-2], strict=True)
    )
    return x[idx] if idx else x


def block_matrix(membership: ArrayLike, n_groups: int) -> tuple[IntArray, FloatArray]:
    """Validated membership and its 0/1 block matrix ``B`` (n_children x n_groups).

    ``B[j, g] = 1`` when child ``j`` belongs to group ``g``.
    """
    m = np.asarray(membership)
    if m.ndim != 1 or not (np.issubdtype(m.dtype, np.integer) or m.size == 0):
        raise MethodError(
            f"membership 须为一维整数数组 / membership must be a 1-D integer array "
            f"(group index of each child); got dtype {m.dtype}, shape {m.shape}"
        )
    n_groups = int(n_groups)
    if n_groups < 1:
        raise MethodError(f"分组数须 >= 1 / n_groups must be >= 1, got {n_groups}")
    m = m.astype(np.intp, copy=False)
    bad = np.flatnonzero((m < 0) | (m >= n_groups))
    if bad.size:
        raise MethodError(
            f"membership 越界 / membership out of range [0, {n_groups}): child column "
            f"{int(bad[0])} has group {int(m[bad[0]])} ({bad.size} bad entries)"
        )
    counts = np.bincount(m, minlength=n_groups)
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        raise MethodError(
            f"分组没有下级指标 / group(s) {empty.tolist()} have no children in membership; "
            "every group needs at least one child column"
        )
    b = np.zeros((m.size, n_groups), dtype=np.float64)
    b[np.arange(m.size), m] = 1.0
    return m, b


def _prepare(
    x: ArrayLike, w: ArrayLike, membership: ArrayLike, n_groups: int, *, check_inf: bool = True
) -> tuple[FloatArray, FloatArray, IntArray, FloatArray, tuple[int, ...]]:
    """Validate; return ``(x, w, membership, B, out_shape)``."""
    xa = _as_x(x)
    k = xa.shape[-1]
    mem, b = block_matrix(membership, n_groups)
    if mem.size != k:
        raise MethodError(
            f"membership 长度 {mem.size} 与下级指标数 {k} 不符 / membership has {mem.size} "
            f"entries but x has {k} child columns"
        )
    wa = np.asarray(w, dtype=np.float64)
    if wa.ndim < 1 or wa.shape[-1] != k:
        raise MethodError(
            f"权重形状 {wa.shape} 与下级指标数 {k} 不符 / weights of shape {wa.shape} do not "
            f"match the {k} child columns; give w of shape ({k},) or (..., {k})"
        )
    if not np.isfinite(wa).all() or (wa < 0).any():
        j = int(np.flatnonzero((~np.isfinite(wa) | (wa < 0)).reshape(-1, k).any(axis=0))[0])
        raise MethodError(
            f"权重须为有限非负数 / weights must be finite and non-negative: child column {j} "
            f"(group {int(mem[j])}) has an invalid weight"
        )
    gsum = wa @ b
    if (gsum <= 0).any():
        g = int(np.flatnonzero((gsum <= 0).reshape(-1, b.shape[1]).any(axis=0))[0])
        raise MethodError(
            f"第 {g} 组权重全为零 / all weights of group {g} are zero; give at least one child "
            "of every group a positive weight"
        )
    try:
        lead = np.broadcast_shapes(xa.shape[:-2], wa.shape[:-1])
    except ValueError:
        raise MethodError(
            f"数据与权重的重复轴无法广播 / replicate axes of x {xa.shape} and w {wa.shape} "
            "do not broadcast: w's leading axes align with x's leading axes"
        ) from None
    xs = _squeeze_broadcast(xa)
    if check_inf and xs.size:
        # one BLAS pass; a non-finite row sum flags NaN or inf rows
        with np.errstate(invalid="ignore", over="ignore"):
            rows = np.matmul(xs, np.ones(k))
        if not np.isfinite(rows).all():
            cand = xs[~np.isfinite(rows)]
            if np.isinf(cand).any():
                raise MethodError(_INF_MSG)
    return xs, wa, mem, b, (*lead, xa.shape[-2], int(n_groups))


def _finish(out: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    if out.shape != shape:
        out = np.broadcast_to(out, shape).copy()
    return out


def _wmean(t: FloatArray, w: FloatArray, b: FloatArray, *, check_inf: bool = False) -> FloatArray:
    """Weighted mean of ``t`` (..., n, k) per group over available children.

    ``Σ_j W_jg t_ij [t_ij available] / Σ_j W_jg [t_ij available]`` with
    ``W = w[..., :, None] * B``; NaN where the denominator is 0.  With
    ``check_inf`` an infinite value raises :class:`MethodError` (the check
    is free: only rows whose plain product is not finite are inspected).
    """
    t = _squeeze_broadcast(t)
    wb = w[..., :, None] * b  # (..., k, G)
    wsum = wb.sum(axis=-2)  # (..., G)
    with np.errstate(invalid="ignore", over="ignore"):
        num: FloatArray = np.matmul(t, wb)
    g = b.shape[1]
    if num.size == 0:
        return num
    # A NaN child makes every group sum of its row NaN (0 * NaN = NaN); an
    # infinite child makes it inf or NaN.
    flag = ~np.isfinite(np.matmul(num, np.ones(g)))
    if not flag.any():
        num /= wsum[..., None, :]
        return num
    if w.ndim == 1:
        k = t.shape[-1]
        tf = t.reshape(-1, k)
        nf = num.reshape(-1, g)
        rows = np.flatnonzero(flag.reshape(-1))
        step = max(64, (1 << 17) // max(k, 1))  # rows per cache-sized chunk
        if 4 * rows.size > tf.shape[0]:
            _wmean_rows_contiguous(tf, wb, nf, step, check_inf)
            return num
        # few rows with missing values: fix up only those rows
        nf /= wsum
        for s in range(0, rows.size, step):
            r = rows[s : s + step]
            sub = tf[r]
            miss = np.isnan(sub)
            if check_inf and np.isinf(sub).any():
                raise MethodError(_INF_MSG)
            avail = (~miss).astype(np.float64)
            sub[miss] = 0.0
            nsub = sub @ wb
            dsub = avail @ wb
            res = np.full_like(nsub, np.nan)
            np.divide(nsub, dsub, out=res, where=dsub > 0)
            nf[r] = res
        return num
    miss = np.isnan(t)
    if check_inf and np.isinf(t).any():
        raise MethodError(_INF_MSG)
    t0 = np.where(miss, 0.0, t)
    num = np.matmul(t0, wb)
    den = np.matmul((~miss).astype(np.float64), wb)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _wmean_rows_contiguous(
    tf: FloatArray, wb: FloatArray, out: FloatArray, step: int, check_inf: bool
) -> None:
    """Masked weighted means of all rows of ``tf`` (rows, k) into ``out``
    (rows, G), chunk by chunk in reused buffers (no large temporaries)."""
    n, k = tf.shape
    g = wb.shape[1]
    xb = np.empty((step, k))
    mb = np.empty((step, k), dtype=bool)
    ab = np.empty((step, k))
    nb = np.empty((step, g))
    db = np.empty((step, g))
    for s in range(0, n, step):
        e = min(n, s + step)
        r = e - s
        m, x0, a = mb[:r], xb[:r], ab[:r]
        np.isnan(tf[s:e], out=m)
        np.copyto(x0, tf[s:e])
        if check_inf and np.isinf(x0).any():
            raise MethodError(_INF_MSG)
        x0[m] = 0.0
        np.logical_not(m, out=a, casting="unsafe")
        np.matmul(x0, wb, out=nb[:r])
        np.matmul(a, wb, out=db[:r])
        blk = out[s:e]
        blk.fill(np.nan)
        np.divide(nb[:r], db[:r], out=blk, where=db[:r] > 0)


_INF_MSG = (
    "合成数据含无穷值 / aggregation data contain ±inf; only finite values and NaN (missing) "
    "are allowed"
)


def _any_in_group(mask: NDArray[np.bool_], b: FloatArray) -> NDArray[np.bool_]:
    """(..., n, k) boolean -> (..., n, G): any True among the group's children."""
    res: NDArray[np.bool_] = np.matmul(mask.astype(np.float64), b) > 0
    return res


def _locate(mask: NDArray[np.bool_], mem: IntArray) -> str:
    """Where the first True of ``mask`` (..., n, k) is, and how many there are."""
    count = int(np.count_nonzero(mask))
    idx = np.unravel_index(int(np.argmax(mask)), mask.shape)
    unit, col = int(idx[-2]), int(idx[-1])
    rep = f", replicate {tuple(int(i) for i in idx[:-2])}" if mask.ndim > 2 else ""
    return (
        f"{count} value(s), first at unit (row) {unit}, child column {col} "
        f"(group {int(mem[col])}){rep}"
    )


def _invalid(
    bad: NDArray[np.bool_], mem: IntArray, policy: str, zh: str, en: str, need: str
) -> None:
    if policy not in ("error", "nan"):
        raise MethodError(
            f"未知的非正值处理 {policy!r} / unknown nonpositive policy {policy!r}; use 'error' "
            "or 'nan'"
        )
    if policy == "error" and bad.any():
        raise MethodError(
            f"{zh}要求{'数值非负' if '>= 0' in need else '数值为正'} / the {en} needs {need}: "
            f"{_locate(bad, mem)}. 修正 / Fix: rescale the children to a positive range before "
            "aggregating (e.g. min-max to [1, 100] as COINr's vignettes do, or add a positive "
            "shift), choose another aggregation, or set nonpositive='nan' to give such units "
            "NaN for the group."
        )


# --------------------------------------------------------------------------- availability
def availability(x: ArrayLike, membership: ArrayLike, n_groups: int) -> FloatArray:
    """Fraction of available (non-NaN) children per unit and group.

    Returns ``(..., n_units, n_groups)``: ``#available children / #children``
    (unweighted, as COINr's ``dat_thresh``).  The pipeline sets a unit's score
    to NaN where this is below its minimum data-availability threshold.
    """
    xa = _squeeze_broadcast(_as_x(x))
    mem, b = block_matrix(membership, n_groups)
    if mem.size != xa.shape[-1]:
        raise MethodError(
            f"membership 长度 {mem.size} 与下级指标数 {xa.shape[-1]} 不符 / membership has "
            f"{mem.size} entries but x has {xa.shape[-1]} child columns"
        )
    # float32 counts are exact (integers < 2**24) and halve the memory traffic.
    cnt = np.matmul((~np.isnan(xa)).astype(np.float32), b.astype(np.float32))
    out: FloatArray = cnt.astype(np.float64) / b.sum(axis=0)
    if out.shape[:-2] != np.asarray(x).shape[:-2]:
        out = np.broadcast_to(out, (*np.asarray(x).shape[:-2], *out.shape[-2:])).copy()
    return out


# --------------------------------------------------------------------------- means
@REGISTRY.register(
    "arithmetic", params=NoParams, label_zh="加权算术平均", label_en="weighted arithmetic mean"
)
def arithmetic(
    x: ArrayLike, w: ArrayLike, membership: ArrayLike, n_groups: int
) -> FloatArray:
    r"""Weighted arithmetic mean per group (COINr ``a_amean``).

    .. math:: y_{ig} = \frac{\sum_{j \in g} w_j x_{ij} a_{ij}}{\sum_{j \in g} w_j a_{ij}}

    with :math:`a_{ij} = 1` if :math:`x_{ij}` is available; NaN when the
    denominator is 0.  Fully compensatory (OECD 2008, section 6.1).

    Parameters
    ----------
    x : array_like, shape (..., n_units, n_children)
        Children scores, NaN = missing.
    w : array_like, shape (n_children,) or (..., n_children)
        Non-negative relative weights; leading axes broadcast against those
        of ``x``.
    membership : array_like of int, shape (n_children,)
        Group of each child.
    n_groups : int
        Number of groups.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook on Constructing Composite Indicators, eq. 6.1.
    """
    xa, wa, _, b, shape = _prepare(x, w, membership, n_groups, check_inf=False)
    return _finish(_wmean(xa, wa, b, check_inf=True), shape)


def _quasi_mean(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    f: Callable[[FloatArray], FloatArray],
    f_inv: Callable[[FloatArray], FloatArray],
    *,
    strict: bool,
    nonpositive: Literal["error", "nan"],
    name: tuple[str, str],
    p: float | None = None,
) -> FloatArray:
    r"""Weighted quasi-arithmetic mean ``f⁻¹(Σ w f(x) / Σ w)`` per group over
    available children: the geometric (``f = ln``), harmonic (``f = 1/x``)
    and power (``f = x^p``) means share it.  Values outside the domain
    (``<= 0`` when ``strict``, ``< 0`` otherwise) follow ``nonpositive``; an
    infinite ``f(x)`` (overflow of ``x^p``) is an error."""
    xa, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    bad = xa <= 0 if strict else xa < 0
    need = "positive values (> 0)" if strict else "non-negative values (>= 0)"
    if p is not None:
        need += " for p < 0" if p < 0 else " for p > 0"
    _invalid(bad, mem, nonpositive, name[0], name[1], need)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = f(np.where(bad, 1.0, xa) if bad.any() else xa)
        if np.isinf(t).any():
            raise MethodError(
                f"{name[0]}溢出 / {name[1]} overflows: the transformed value is infinite for "
                f"{_locate(np.isinf(t), mem)}" + ("" if p is None else f" with p={p}")
                + "; rescale the children (e.g. to [1, 100])"
                + ("" if p is None else " or use a smaller |p|")
            )
        out = f_inv(_wmean(t, wa, b))
    if nonpositive == "nan":
        out = np.where(_any_in_group(bad, b), np.nan, out)
    return _finish(out, shape)


@REGISTRY.register(
    "geometric", params=GeometricParams, label_zh="加权几何平均", label_en="weighted geometric mean"
)
def geometric(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    nonpositive: Literal["error", "nan"] = "error",
) -> FloatArray:
    r"""Weighted geometric mean per group (COINr ``a_gmean``).

    .. math:: y_{ig} = \exp\Big(\frac{\sum_{j \in g} w_j a_{ij} \ln x_{ij}}
              {\sum_{j \in g} w_j a_{ij}}\Big)

    over available children.  Defined for positive values only: with
    ``nonpositive="error"`` (default, as COINr) any available value ``<= 0``
    raises :class:`~xiangcun_eval.errors.MethodError` naming unit, column,
    group and count (min-max [0, 100] data must be rescaled, e.g. to
    [1, 100]); with ``"nan"`` the unit gets NaN for that group (the value is
    *not* skipped, which would silently raise the score).  Partially
    compensatory (OECD 2008, section 6.2).

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    nonpositive : {"error", "nan"}
        Policy for available values ``<= 0``.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook, section 6.2; COINr ``a_gmean``.
    """
    return _quasi_mean(x, w, membership, n_groups, np.log, np.exp, strict=True,
                       nonpositive=nonpositive, name=("几何平均", "geometric mean"))


@REGISTRY.register(
    "harmonic", params=HarmonicParams, label_zh="加权调和平均", label_en="weighted harmonic mean"
)
def harmonic(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    nonpositive: Literal["error", "nan"] = "error",
) -> FloatArray:
    r"""Weighted harmonic mean per group (COINr ``a_hmean``).

    .. math:: y_{ig} = \frac{\sum_{j \in g} w_j a_{ij}}{\sum_{j \in g} w_j a_{ij} / x_{ij}}

    over available children.  DIFFERENCE from COINr: COINr rejects only
    zeros; we reject every value ``<= 0`` because with negative values
    ``1/x`` changes sign and the mean is no longer monotone (nor bounded by
    the children).  ``nonpositive`` as in :func:`geometric`.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    nonpositive : {"error", "nan"}
        Policy for available values ``<= 0``.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook, section 6; COINr ``a_hmean``.
    """
    return _quasi_mean(x, w, membership, n_groups, np.reciprocal, np.reciprocal, strict=True,
                       nonpositive=nonpositive, name=("调和平均", "harmonic mean"))


@REGISTRY.register(
    "genmean", params=GenMeanParams, label_zh="加权广义平均", label_en="weighted generalised mean"
)
def genmean(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    p: float = 1.0,
    nonpositive: Literal["error", "nan"] = "error",
) -> FloatArray:
    r"""Weighted generalised (power) mean per group (COINr ``a_genmean``).

    .. math:: y_{ig} = \Big(\frac{\sum_{j \in g} w_j a_{ij} x_{ij}^p}
              {\sum_{j \in g} w_j a_{ij}}\Big)^{1/p}

    ``p = 1`` is :func:`arithmetic` (computed exactly so, negative values
    allowed), ``p = 0`` the limit :func:`geometric`, ``p = -1`` the harmonic
    mean.  Domain: ``p < 0`` needs every available value ``> 0``; ``p > 0``
    (``p != 1``) needs values ``>= 0`` (``x**p`` is undefined or not monotone
    for negative ``x``); violations follow ``nonpositive`` as in
    :func:`geometric`.

    DELIBERATE DIFFERENCE from COINr: COINr's ``a_genmean`` sums without
    ``na.rm`` so any missing child gives NA (quirk 14.1); here missing
    children are skipped and the weights renormalised over the available
    ones, like every other mean.  COINr errors for ``p = 0``; we use the
    geometric mean (the limit).

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    p : float
        The power (finite).
    nonpositive : {"error", "nan"}
        Policy for values outside the domain.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    OECD/JRC (2008), Handbook, section 6; COINr ``a_genmean``.
    """
    if not math.isfinite(p):
        raise MethodError(f"广义平均的幂 p 须为有限数 / genmean power p must be finite, got {p}")
    if p == 1.0:
        return arithmetic(x, w, membership, n_groups)
    if p == 0.0:
        return geometric(x, w, membership, n_groups, nonpositive=nonpositive)
    return _quasi_mean(x, w, membership, n_groups, lambda v: np.power(v, p),
                       lambda v: np.power(v, 1.0 / p), strict=p < 0, nonpositive=nonpositive,
                       name=("广义平均", "generalised mean"), p=p)


# --------------------------------------------------------------------------- TOPSIS
@REGISTRY.register("topsis", params=TopsisParams, label_zh="TOPSIS 逼近理想解", label_en="TOPSIS")
def topsis(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    normalisation: Literal["vector", "minmax"] = "vector",
    scale: float = 1.0,
) -> FloatArray:
    r"""TOPSIS relative closeness per group (Hwang & Yoon 1981).

    For the children of group ``g`` (all treated as benefit criteria: the
    normalisation stage has already applied direction):

    1. column normalisation over the available units,
       ``"vector"``: :math:`r_{ij} = x_{ij} / \sqrt{\sum_i x_{ij}^2}` (Hwang &
       Yoon; a zero column gives 0), ``"minmax"``:
       :math:`r_{ij} = (x_{ij} - \min_i x_{ij}) / (\max_i - \min_i)`
       (pymcdm's default; a constant column gives 1, as pymcdm);
    2. weighted matrix :math:`v_{ij} = \tilde w_j r_{ij}`, with :math:`\tilde w`
       the weights normalised to sum 1 within the group;
    3. ideal / anti-ideal :math:`v_j^{\pm} = \max_i / \min_i v_{ij}` from the
       data;
    4. :math:`D_i^{\pm} = \sqrt{\sum_{j \in g} (v_{ij} - v_j^{\pm})^2}` and the
       closeness :math:`C_i = D_i^- / (D_i^+ + D_i^-) \in [0, 1]`, times
       ``scale`` (e.g. 100).

    Equals ``pymcdm.methods.TOPSIS(normalization_function)(x_g, w_g, ones)``
    for complete data.  Missing values are skipped in the column statistics
    and dropped from the unit's distances (``C`` is invariant to a common
    scaling of the weights, so this is the same as renormalising the unit's
    weights over its available children).  A unit equal to both the ideal
    and the anti-ideal on all its available children (``D+ = D- = 0``, e.g.
    all children constant) gets ``0.5 * scale``; a unit without available
    children (or with only zero-weight ones) gets NaN.

    Because the ideal points come from the data, the closeness of a unit
    depends on the other units (adding or removing a county can change
    every score).  Distances are computed as
    :math:`\sum_j \tilde w_j^2 (r_{ij} - r_j^{\pm})^2`, i.e. two matrix
    products per level, with no ``(R, n, k)`` temporary for replicate
    weights.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    normalisation : {"vector", "minmax"}
        Column normalisation.
    scale : float
        Multiplier of the closeness (e.g. 100).

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    Hwang, C. L. and Yoon, K. (1981). *Multiple Attribute Decision Making:
    Methods and Applications*, Springer, pp. 58-191.  pymcdm 1.4
    ``methods.TOPSIS`` (Kizielewicz, Shekhovtsov and Sałabun 2023, SoftwareX
    22, 101368).
    """
    xs, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    miss = np.isnan(xs)
    if normalisation == "vector":
        norm = np.sqrt(np.sum(np.where(miss, 0.0, xs) ** 2, axis=-2, keepdims=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(norm > 0, xs / norm, 0.0)
        r = np.where(miss, np.nan, r)
    elif normalisation == "minmax":
        lo = np.fmin.reduce(xs, axis=-2, keepdims=True)
        hi = np.fmax.reduce(xs, axis=-2, keepdims=True)
        rng = hi - lo
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(rng > 0, (xs - lo) / rng, 1.0)
        r = np.where(miss, np.nan, r)
    else:
        raise MethodError(
            f"未知的 TOPSIS 标准化 {normalisation!r} / unknown TOPSIS normalisation "
            f"{normalisation!r}; use 'vector' or 'minmax'"
        )
    rmax = np.fmax.reduce(r, axis=-2, keepdims=True)
    rmin = np.fmin.reduce(r, axis=-2, keepdims=True)
    dplus2 = np.where(miss, 0.0, (r - rmax) ** 2)
    dminus2 = np.where(miss, 0.0, (r - rmin) ** 2)
    wn = wa / (wa @ b)[..., mem]  # normalised within group
    w2b = (wn * wn)[..., :, None] * b
    dp = np.sqrt(np.matmul(dplus2, w2b))
    dm = np.sqrt(np.matmul(dminus2, w2b))
    has = np.matmul((~miss).astype(np.float64), wa[..., :, None] * b) > 0
    tot = dp + dm
    c = np.full(tot.shape, 0.5)
    np.divide(dm, tot, out=c, where=tot > 0)
    c = np.where(has, c * scale, np.nan)
    return _finish(c, shape)


# --------------------------------------------------------------------------- Mazziotta-Pareto
def _mp_combine(
    z: FloatArray, wa: FloatArray, b: FloatArray, mem: IntArray, penalty: str
) -> FloatArray:
    """``M ± S·cv`` with weighted mean ``M`` and weighted population sd ``S``
    of ``z`` over each group's available children (``z`` centred on 100)."""
    if penalty not in ("negative", "positive"):
        raise MethodError(
            f"未知的惩罚方向 {penalty!r} / unknown penalty {penalty!r}; use 'negative' "
            "(positive phenomenon, e.g. development) or 'positive' (negative phenomenon)"
        )
    u = z - 100.0  # centring keeps the variance free of cancellation
    mu = _wmean(u, wa, b)
    mu2 = _wmean(u * u, wa, b)
    var = np.maximum(mu2 - mu * mu, 0.0)
    m = 100.0 + mu
    with np.errstate(divide="ignore", invalid="ignore"):
        pen = var / m  # S * cv = S^2 / M
    sign = -1.0 if penalty == "negative" else 1.0
    out: FloatArray = m + sign * pen
    return out


@REGISTRY.register(
    "mpi", params=MPIParams, label_zh="Mazziotta-Pareto 指数", label_en="Mazziotta-Pareto index"
)
def mpi(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    penalty: Literal["negative", "positive"] = "negative",
) -> FloatArray:
    r"""Mazziotta-Pareto Index (MPI) per group, weighted.

    1. Standardise each child over the available units:
       :math:`z_{ij} = 100 + 10 (x_{ij} - M_j) / S_j` with :math:`M_j` the mean
       and :math:`S_j = \sqrt{\sum_i (x_{ij} - M_j)^2 / n_j}` the *population*
       standard deviation (De Muro, Mazziotta & Pareto 2011; the R package
       ``Indicator`` rescales R's sample ``sd`` to the population one).  A
       constant column (``S_j = 0``) gives ``z = 100``.
    2. Per unit and group, over the available children, the weighted mean
       :math:`M_{z,i} = \sum w_j z_{ij} / \sum w_j`, the weighted population
       sd :math:`S_{z,i} = \sqrt{\sum w_j (z_{ij} - M_{z,i})^2 / \sum w_j}` and
       :math:`cv_i = S_{z,i} / M_{z,i}`.
    3. :math:`MPI^{\pm}_i = M_{z,i} \pm S_{z,i}\, cv_i`; ``penalty="negative"``
       (default) for a positive phenomenon such as development (unbalanced
       units are penalised downwards), ``"positive"`` for a negative one.

    Weights: the original MPI is unweighted; we use the weighted mean and
    weighted standard deviation of Mazziotta & Pareto (2022), which reduce
    to the original for equal weights.  Compind's ``ci_mpi`` divides the
    unit-level variance by ``m - 1`` instead of ``m``; we follow the paper.
    The standardisation makes the index relative to the units evaluated
    together (the 'static' index).

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    penalty : {"negative", "positive"}
        Sign of the penalty.

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    De Muro, P., Mazziotta, M. and Pareto, A. (2011). Composite indices of
    development and poverty: an application to MDGs. *Social Indicators
    Research* 104, 1-18.  Mazziotta, M. and Pareto, A. (2016). On a
    generalized non-compensatory composite index for measuring socio-economic
    phenomena. *Social Indicators Research* 127, 983-1003.  Mazziotta, M. and
    Pareto, A. (2022). Weighting in composite indices construction: the case
    of the Mazziotta-Pareto Index. *Rivista Italiana di Economia Demografia
    e Statistica* (RIEDS).
    """
    xs, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    miss = np.isnan(xs)
    cnt = np.sum(~miss, axis=-2, keepdims=True)
    x0 = np.where(miss, 0.0, xs)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = x0.sum(axis=-2, keepdims=True) / cnt
        dev = np.where(miss, 0.0, xs - mean)
        sd = np.sqrt((dev * dev).sum(axis=-2, keepdims=True) / cnt)
        z = np.where(sd > 0, 100.0 + 10.0 * dev / sd, 100.0)
    z = np.where(miss, np.nan, z)
    return _finish(_mp_combine(z, wa, b, mem, penalty), shape)


def _per_column(v: Sequence[float] | None, k: int, name: str) -> FloatArray | None:
    if v is None:
        return None
    a = np.asarray(v, dtype=np.float64)
    if a.shape != (k,) or not np.isfinite(a).all():
        raise MethodError(
            f"AMPI 参数 {name} 须为 {k} 个有限数 / AMPI {name} must be {k} finite values (one per "
            f"child column), got {v!r}"
        )
    return a


@REGISTRY.register(
    "ampi", params=AMPIParams, label_zh="调整 Mazziotta-Pareto 指数",
    label_en="adjusted Mazziotta-Pareto index",
)
def ampi(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    penalty: Literal["negative", "positive"] = "negative",
    reference: Literal["mean", "median"] | Sequence[float] = "mean",
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
) -> FloatArray:
    r"""Adjusted Mazziotta-Pareto Index (AMPI) per group, weighted.

    1. Rescale each child with goalposts (Mazziotta & Pareto 2016, eq. for
       AMPI):

       .. math:: r_{ij} = 70 + 60 \frac{x_{ij} - \mathrm{Min}_j}
                 {\mathrm{Max}_j - \mathrm{Min}_j},
                 \quad \mathrm{Min}_j = \mathrm{Ref}_j - \Delta_j,\;
                 \mathrm{Max}_j = \mathrm{Ref}_j + \Delta_j,\;
                 \Delta_j = (\mathrm{Sup}_j - \mathrm{Inf}_j) / 2,

       i.e. :math:`r_{ij} = 100 + 60 (x_{ij} - \mathrm{Ref}_j) / (\mathrm{Sup}_j
       - \mathrm{Inf}_j)`: the reference value maps to 100 and values range
       over roughly (70, 130).  ``Inf``/``Sup`` default to the observed
       min/max of the available values (in the paper: over all units and all
       periods -- pass ``lower``/``upper`` to fix them across periods);
       ``Ref`` is ``reference``: ``"mean"`` (default), ``"median"`` or one
       value per child (e.g. a base-year mean).  ``Sup = Inf`` gives 100.
    2. :math:`AMPI^{\pm}_i = M_{r,i} \pm S_{r,i}\, cv_{r,i}` with the weighted
       mean / weighted population sd of :func:`mpi`.

    Matches Compind's ``ci_amp`` (goalposts ``gp`` = reference) for one
    period and equal weights.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    penalty : {"negative", "positive"}
        Sign of the penalty.
    reference : "mean", "median" or sequence of float
        ``Ref_j``, mapped to 100.
    lower, upper : sequence of float, optional
        Goalposts ``Inf_j``, ``Sup_j`` (both or neither).

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)

    References
    ----------
    Mazziotta, M. and Pareto, A. (2016). On a generalized non-compensatory
    composite index for measuring socio-economic phenomena. *Social
    Indicators Research* 127, 983-1003.  Mazziotta, M. and Pareto, A. (2018).
    Measuring well-being over time: the adjusted Mazziotta-Pareto index
    versus other non-compensatory indices. *Social Indicators Research* 136,
    967-976.
    """
    xs, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    k = xs.shape[-1]
    lo = _per_column(lower, k, "lower")
    hi = _per_column(upper, k, "upper")
    if (lo is None) != (hi is None):
        raise MethodError("AMPI 需同时给出 lower 与 upper / give both lower and upper, or neither")
    if lo is None or hi is None:
        lo_a = np.fmin.reduce(xs, axis=-2, keepdims=True)
        hi_a = np.fmax.reduce(xs, axis=-2, keepdims=True)
    else:
        if (hi < lo).any():
            j = int(np.flatnonzero(hi < lo)[0])
            raise MethodError(
                f"AMPI 上界小于下界 / AMPI upper < lower goalpost at child column {j}"
            )
        lo_a, hi_a = lo, hi
    miss = np.isnan(xs)
    if isinstance(reference, str):
        if reference == "mean":
            cnt = np.sum(~miss, axis=-2, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                ref = np.where(miss, 0.0, xs).sum(axis=-2, keepdims=True) / cnt
        elif reference == "median":
            ref = _nan_median_units(xs)
        else:
            raise MethodError(
                f"未知的 AMPI 参考值 {reference!r} / unknown AMPI reference {reference!r}; use "
                "'mean', 'median' or one value per child column"
            )
    else:
        ref_c = _per_column(reference, k, "reference")
        assert ref_c is not None
        ref = ref_c
    span = hi_a - lo_a
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(span > 0, 100.0 + 60.0 * (xs - ref) / span, 100.0)
    r = np.where(miss, np.nan, r)
    return _finish(_mp_combine(r, wa, b, mem, penalty), shape)


def _nan_median_units(x: FloatArray) -> FloatArray:
    """Median over the units axis ignoring NaN, without warnings."""
    s = np.sort(x, axis=-2)  # NaN last
    n = np.sum(~np.isnan(x), axis=-2, keepdims=True)
    lo_i = np.maximum((n - 1) // 2, 0)
    hi_i = np.maximum(n // 2, 0)
    a = np.take_along_axis(s, lo_i, axis=-2)
    c = np.take_along_axis(s, hi_i, axis=-2)
    out: FloatArray = np.where(n > 0, (a + c) / 2.0, np.nan)
    return out


# --------------------------------------------------------------------------- Copeland
@REGISTRY.register(
    "copeland", params=CopelandParams, label_zh="Copeland 级别优先", label_en="Copeland outranking"
)
def copeland(
    x: ArrayLike,
    w: ArrayLike,
    membership: ArrayLike,
    n_groups: int,
    *,
    max_units: int = 20_000,
) -> FloatArray:
    r"""Copeland score per group from the weighted outranking matrix (COINr
    ``a_copeland`` / ``outrankMatrix``).

    With weights normalised to sum 1 over the children compared,

    .. math:: M_{ij} = \sum_k w_k [x_{ik} > x_{jk}] + \tfrac12 \sum_k w_k [x_{ik} = x_{jk}],

    :math:`M_{ji} = 1 - M_{ij}`; entries ``> 0.5`` become 1, ``< 0.5`` become
    -1, ``= 0.5`` become 0, the diagonal is 0, and the score of unit ``i``
    is the row sum, an integer in ``[-(n-1), n-1]`` (not a 0-100 score).
    Computed as :math:`\operatorname{sign}\sum_k w_k \operatorname{sign}(x_{ik}
    - x_{jk})` since :math:`M_{ij} - \tfrac12 = \tfrac12 \sum_k w_k
    \operatorname{sign}(x_{ik} - x_{jk})`; sums within ``1e-12`` of 0 count
    as a tie (so float rounding of the weights cannot break a tie).

    Missing values (DECISION, differs from COINr): a pair of units is
    compared over the children available for *both*, with weights
    renormalised over those; a pair with no common child counts as a tie
    (0).  A unit without any available child in the group gets NaN.  COINr
    drops NA comparisons but keeps the weights normalised over all children
    and fills the lower triangle as ``1 - M``, so the missing weight is
    credited to whichever unit comes later in the data -- order dependent.
    Identical to COINr for complete data.

    Complexity :math:`O(n^2 k)` time; the units axis is processed in chunks
    so memory stays bounded (about 32 MB of temporaries).  More than
    ``max_units`` units raises :class:`~xiangcun_eval.errors.MethodError`.
    Leading replicate axes are supported.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.
    max_units : int
        Refuse more units than this (O(n^2) pairs).

    Returns
    -------
    ndarray, shape (..., n_units, n_groups)
        Copeland scores (integers as float), NaN as described.

    References
    ----------
    Munda, G. and Nardo, M. (2009). Noncompensatory/nonlinear composite
    indicators for ranking countries: a defensible setting. *Applied
    Economics* 41(12), 1513-1523.  OECD/JRC (2008), Handbook, section 6.3.
    COINr ``a_copeland``, ``outrankMatrix``.
    """
    xa, wa, mem, b, shape = _prepare(x, w, membership, n_groups)
    n = xa.shape[-2]
    if n > max_units:
        raise MethodError(
            f"Copeland 方法需比较 {n}×{n} 对单位，超过上限 {max_units} / Copeland compares all "
            f"{n}x{n} pairs of units, above the limit max_units={max_units}; use another "
            "aggregation (e.g. 'geometric' for partial compensation or 'mpi' for a "
            "non-compensatory index), or raise max_units if you accept the run time"
        )
    xs = _squeeze_broadcast(xa)
    lead = np.broadcast_shapes(xs.shape[:-2], wa.shape[:-1])
    out = np.empty((*lead, n, b.shape[1]))
    n_lead = int(np.prod(lead, dtype=np.int64)) if lead else 1
    for g in range(b.shape[1]):
        cols = np.flatnonzero(mem == g)
        xg = xs[..., cols]
        wg = wa[..., cols]
        wg = wg / wg.sum(axis=-1, keepdims=True)
        tol = 1e-12
        kg = cols.size
        chunk = max(1, _COPELAND_CHUNK_ELEMENTS // max(1, n_lead * n * kg))
        score = np.empty((*lead, n))
        for s in range(0, n, chunk):
            e = min(n, s + chunk)
            d = xg[..., s:e, None, :] - xg[..., None, :, :]  # (..., c, n, kg)
            both = ~np.isnan(d)
            sg = np.sign(d)
            sg[~both] = 0.0
            tot = np.einsum("...cnk,...k->...cn", sg, wg)
            pair = np.einsum("...cnk,...k->...cn", both.astype(np.float64), wg)
            rel = np.zeros_like(tot)
            np.divide(tot, pair, out=rel, where=pair > 0)
            v = np.where(np.abs(rel) <= tol, 0.0, np.sign(rel))
            score[..., s:e] = v.sum(axis=-1)
        has = np.einsum("...nk,...k->...n", (~np.isnan(xg)).astype(np.float64), wg) > 0
        out[..., g] = np.where(has, score, np.nan)
    return _finish(out, shape)


# --------------------------------------------------------------------------- benefit of the doubt
def _frontier(y: FloatArray) -> IntArray:
    """Indices of units not weakly dominated by another unit (duplicates
    keep their first copy).  ``y`` (n, k) without NaN."""
    n = y.shape[0]
    keep = np.ones(n, dtype=bool)
    chunk = max(1, _COPELAND_CHUNK_ELEMENTS // max(1, n * y.shape[1]))
    idx = np.arange(n)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        ge = (y[None, :, :] >= y[s:e, None, :]).all(axis=-1)  # m dominates j: (c, n)
        gt = (y[None, :, :] > y[s:e, None, :]).any(axis=-1)
        eq_earlier = ~gt & (idx[None, :] < idx[s:e, None])
        dom = ge & (gt | eq_earlier)
        keep[s:e] = ~dom.any(axis=-1)
    return np.flatnonzero(keep)


@REGISTRY.register(
    "bod", params=NoParams, label_zh="有利原则 (BoD)", label_en="benefit of the doubt",
    replicates=False,
)
def bod(x: ArrayLike, w: ArrayLike, membership: ArrayLike, n_groups: int) -> FloatArray:
    r"""Benefit-of-the-doubt score per group (one linear programme per unit).

    For unit ``i`` and group ``g``, over the children ``J_i`` of ``g``
    available for ``i``:

    .. math:: \mathrm{BoD}_{ig} = \max_{v \ge 0} \sum_{j \in J_i} v_j x_{ij}
              \quad \text{s.t.} \quad \sum_{j \in J_i} v_j x_{mj} \le 1 \;\; \forall m,

    i.e. each unit gets the weights most favourable to it, subject to no unit
    scoring above 1 with those weights; scores lie in ``[0, 1]`` and at least
    one unit scores 1.  Missing values of other units count as 0 in their
    constraints.  Units weakly dominated by another unit are dropped from
    the constraints first (their constraints are implied), and the LPs of
    up to 100 units are solved as one block-diagonal LP (the blocks are
    independent, so each block's optimum is that unit's optimum), which
    halves the per-LP overhead (about 1.5-3 ms per unit and group).  Needs
    non-negative data (e.g. min-max normalised); a unit with all available
    children 0 scores 0; none available gives NaN.

    ``w`` is validated but not used: BoD chooses the weights itself (no
    weight restrictions are imposed).  2-D ``x`` only (``replicates=False``);
    solved with ``scipy.optimize.linprog(method="highs")``.  The weights
    themselves are the business of the weighting stage
    (``methods.weights``); this kernel only needs the optimal values.

    Parameters
    ----------
    x, w, membership, n_groups
        As in :func:`arithmetic`.

    Returns
    -------
    ndarray, shape (n_units, n_groups)
        Scores in [0, 1].

    References
    ----------
    Melyn, W. and Moesen, W. (1991). Towards a synthetic indicator of
    macroeconomic performance: unequal weighting when limited information is
    available. *Public Economics Research Paper* 17, KU Leuven.  Cherchye, L.
    et al. (2007). An introduction to 'benefit of the doubt' composite
    indicators. *Social Indicators Research* 82, 111-145.  OECD/JRC (2008),
    Handbook, section 6.4.
    """
    from scipy import sparse  # type: ignore[import-untyped, unused-ignore]
    from scipy.optimize import linprog  # type: ignore[import-untyped, unused-ignore]

    xa, wa, mem, b, _ = _prepare(x, w, membership, n_groups)
    if xa.ndim != 2 or wa.ndim != 1:
        raise MethodError(
            "BoD 合成不支持重复轴 / 'bod' aggregation takes 2-D x (n_units, n_children) and 1-D "
            f"w; got x {xa.shape}, w {wa.shape} (replicates=False: loop over replicates)"
        )
    neg = xa < 0
    if neg.any():
        raise MethodError(
            f"BoD 要求非负数据 / benefit of the doubt needs non-negative values: "
            f"{_locate(neg, mem)}. Fix: normalise to a non-negative range first (e.g. min-max)."
        )
    n = xa.shape[0]
    out = np.full((n, b.shape[1]), np.nan)
    for g in range(b.shape[1]):
        cols = np.flatnonzero(mem == g)
        xg = xa[:, cols]
        miss = np.isnan(xg)
        y = np.where(miss, 0.0, xg)
        front = sparse.csr_matrix(y[_frontier(y)])
        todo = np.flatnonzero(~miss.all(axis=1) & (y > 0).any(axis=1))
        out[~miss.all(axis=1), g] = 0.0  # all available children 0 -> score 0
        for s in range(0, todo.size, _BOD_BATCH):
            units = todo[s : s + _BOD_BATCH]
            nb = units.size
            # independent LPs stacked block-diagonally; unavailable children fixed at 0
            a_ub = sparse.kron(sparse.identity(nb, format="csr"), front, format="csr")
            upper = np.where(miss[units], 0.0, np.inf).ravel()
            res = linprog(
                -y[units].ravel(), A_ub=a_ub, b_ub=np.ones(a_ub.shape[0]),
                bounds=np.column_stack([np.zeros_like(upper), upper]), method="highs",
            )
            if res.status != 0:
                raise MethodError(
                    f"BoD 线性规划求解失败 / benefit-of-the-doubt LP failed for group {g}, units "
                    f"{int(units[0])}..{int(units[-1])}: {res.message}"
                )
            v = np.asarray(res.x, dtype=np.float64).reshape(nb, cols.size)
            out[units, g] = np.clip((v * y[units]).sum(axis=1), 0.0, 1.0)
    return out
