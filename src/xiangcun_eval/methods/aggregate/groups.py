"""Groups of children and the masked weighted mean.

Membership validation, the block weight matrix, the shared input checks and the
masked weighted mean every mean-type kernel is built on, and data availability
per group.

Conventions: see the package docstring of :mod:`xiangcun_eval.methods.aggregate`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import MethodError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def _as_x(x: ArrayLike) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim < 2:
        raise MethodError(
            f"合成数据维数不足 / aggregation data must have shape (..., n_units, n_children); "
            f"got shape {a.shape}. Reshape a single unit or column with x[None, :] / x[:, None]."
        )
    return a


def _squeeze_broadcast(x: FloatArray) -> FloatArray:
    """Collapse stride-0 (``broadcast_to``) leading axes to length 1.

    No work is then repeated for identical copies; matmul broadcasting restores
    the shape.
    """
    idx = tuple(
        slice(0, 1) if (st == 0 and n > 1) else slice(None)
        for st, n in zip(x.strides[:-2], x.shape[:-2], strict=True)
    )
    return x[idx] if idx else x


def block_matrix(membership: ArrayLike, n_groups: int) -> tuple[IntArray, FloatArray]:
    """Validate membership; return it with its 0/1 block matrix ``B`` (n_children x n_groups).

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
    g = b.shape[1]
    k = t.shape[-1]
    step = max(64, (1 << 17) // max(k, 1))  # rows per cache-sized chunk
    if w.ndim == 1 and t.size:
        tf = t.reshape(-1, k)
        # Rows with a missing or infinite child.  When they are more than a
        # quarter of all rows, the product test below (which flags these rows
        # and possibly overflowing ones) would send every row through the
        # masked path: go there directly, without the product.
        n_bad = tf.shape[0] - int(np.count_nonzero(np.isfinite(tf).all(axis=1)))
        if 4 * n_bad > tf.shape[0]:
            out = np.empty((*t.shape[:-1], g))
            _wmean_rows_contiguous(tf, wb, out.reshape(-1, g), step, check_inf)
            return out
    with np.errstate(invalid="ignore", over="ignore"):
        num: FloatArray = np.matmul(t, wb)
    if num.size == 0:
        return num
    # A NaN child makes every group sum of its row NaN (0 * NaN = NaN); an
    # infinite child makes it inf or NaN.
    flag = ~np.isfinite(np.matmul(num, np.ones(g)))
    if not flag.any():
        num /= wsum[..., None, :]
        return num
    if w.ndim == 1:
        tf = t.reshape(-1, k)
        nf = num.reshape(-1, g)
        rows = np.flatnonzero(flag.reshape(-1))
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
    """Masked weighted means of all rows of ``tf`` (rows, k) into ``out`` (rows, G).

    Chunk by chunk in reused buffers (no large temporaries).
    """
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
        np.copyto(x0, 0.0, where=m)
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
