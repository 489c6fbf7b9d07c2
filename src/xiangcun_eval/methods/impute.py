"""Imputation kernels (缺失值插补).

Signature (docs/architecture.md): ``f(x, *, groups=None, **params)`` with
``x`` of shape ``(..., n_units, n_cols)``, NaN = missing, leading replicate
axes allowed; returns a new filled array of the same shape.  Observed values
are never changed.  A value that cannot be imputed (e.g. a column with no
observed value, a unit without a group) stays NaN: use
:func:`imputation_report` to see what was filled and what is still missing.

Panel data (several years) has its own function, :func:`impute_latest`
(carry the latest earlier year forward), not in the registry because its
input has a year axis.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 3
(imputation of missing data: unconditional mean/median, hot deck, ...).
Becker, W. et al. COINr 1.1.14, ``R/impute.R`` (``i_mean``, ``i_median``,
``i_mean_grp``, ``i_median_grp``, ``impute_by = "row"``, ``group_level``,
``normalise_first``, ``impute_panel``), MIT licence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ._checks import check_direction
from ._registry import Params, Registry
from ._stats import as_data, nan_max, nan_mean, nan_median, nan_min

__all__ = [
    "REGISTRY",
    "ImputationReport",
    "PanelImputation",
    "RowMeanParams",
    "imputation_mask",
    "imputation_report",
    "impute_group_mean",
    "impute_group_median",
    "impute_latest",
    "impute_mean",
    "impute_median",
    "impute_none",
    "impute_row_mean",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

REGISTRY = Registry("impute")


class RowMeanParams(Params):
    """Parameters of ``row_mean``."""

    normalise_first: bool = True


def _fill(a: FloatArray, value: FloatArray) -> FloatArray:
    return np.where(np.isnan(a), value, a)


@REGISTRY.register("none", label_zh="不插补", label_en="no imputation")
def impute_none(x: ArrayLike, *, groups: ArrayLike | None = None) -> FloatArray:
    """No imputation: returns a copy of ``x`` (COINr ``f_i = "none"``)."""
    return np.array(as_data(x), dtype=np.float64, copy=True)


@REGISTRY.register("mean", label_zh="均值插补", label_en="column mean")
def impute_mean(x: ArrayLike, *, groups: ArrayLike | None = None) -> FloatArray:
    r"""Replace each missing value by its column's mean over available units.

    .. math:: \hat x_{ij} = \frac{1}{|A_j|}\sum_{k \in A_j} x_{kj}

    with :math:`A_j` the units with a value in column ``j``.  A column with no
    value stays NaN.  ``groups`` is ignored.

    Reference: OECD/JRC Handbook (2008) §3.1 "unconditional mean imputation";
    COINr ``i_mean``.
    """
    a = as_data(x)
    return _fill(a, nan_mean(a))


@REGISTRY.register("median", label_zh="中位数插补", label_en="column median")
def impute_median(x: ArrayLike, *, groups: ArrayLike | None = None) -> FloatArray:
    """Replace each missing value by its column's median over available units.

    For an even count the median is the mean of the two central values, as R ``median``.

    Reference: OECD/JRC Handbook (2008) §3.1; COINr ``i_median``.
    """
    a = as_data(x)
    return _fill(a, nan_median(a))


def _check_groups(groups: ArrayLike | None, n_units: int) -> IntArray:
    if groups is None:
        raise MethodError(
            "分组插补需要 groups / group imputation needs `groups`: an integer array with "
            "the group index of every unit (-1 = no group), e.g. from a unit-metadata column"
        )
    g = np.asarray(groups)
    if g.ndim != 1 or g.shape[0] != n_units:
        raise MethodError(
            f"groups 长度不符 / groups must be a 1-D array of length n_units={n_units}; "
            f"got shape {g.shape}"
        )
    if not np.issubdtype(g.dtype, np.integer):
        raise MethodError(
            "groups 必须为整数 / groups must be integer group indices (-1 = no group); "
            f"got dtype {g.dtype}"
        )
    if (g < -1).any():
        raise MethodError("groups 取值有误 / groups must be >= -1 (-1 = no group)")
    return g.astype(np.intp)


def _group_impute(x: ArrayLike, groups: ArrayLike | None, median: bool) -> FloatArray:
    a = as_data(x)
    g = _check_groups(groups, a.shape[-2])
    out = np.array(a, dtype=np.float64, copy=True)
    stat = nan_median if median else nan_mean
    for k in np.unique(g[g >= 0]):  # loop over a handful of groups
        rows = g == k
        sub = a[..., rows, :]
        out[..., rows, :] = _fill(sub, stat(sub))
    return out


@REGISTRY.register("group_mean", label_zh="组内均值插补", label_en="group mean", needs={"groups"})
def impute_group_mean(x: ArrayLike, *, groups: ArrayLike | None = None) -> FloatArray:
    r"""Replace a missing value by the mean of its column over the same group.

    Groups are units of e.g. the same province or region.

    .. math:: \hat x_{ij} = \operatorname{mean}\{x_{kj} : g_k = g_i, x_{kj}\ \text{available}\}

    ``groups`` is an intp array (n_units,) of group indices; units with
    ``-1`` (no group) are left missing, as COINr ``i_mean_grp`` does with
    ``skip_f_na = TRUE`` for units whose group is NA.  A group with no value
    in a column leaves that column's missing values of the group NaN.

    Reference: COINr ``i_mean_grp``; OECD/JRC Handbook (2008) §3.1
    (conditional mean imputation by class).
    """
    return _group_impute(x, groups, median=False)


@REGISTRY.register(
    "group_median", label_zh="组内中位数插补", label_en="group median", needs={"groups"}
)
def impute_group_median(x: ArrayLike, *, groups: ArrayLike | None = None) -> FloatArray:
    """As :func:`impute_group_mean` with the group median.

    Reference: COINr ``i_median_grp``.
    """
    return _group_impute(x, groups, median=True)


@REGISTRY.register(
    "row_mean",
    params=RowMeanParams,
    label_zh="同组指标行均值插补",
    label_en="unit mean within indicator group",
    needs={"col_groups", "direction"},
)
def impute_row_mean(
    x: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    col_groups: ArrayLike | None = None,
    direction: ArrayLike | None = None,
    normalise_first: bool = True,
) -> FloatArray:
    r"""Replace a missing value by the unit's own mean over its indicator group.

    Row-wise imputation: the mean over the other indicators of the same group.

    ``col_groups`` (intp, length n_cols) assigns each column to an indicator
    group (e.g. its parent dimension, COINr ``group_level``); ``None`` = one
    group of all columns.  With ``normalise_first`` (default, as COINr for
    ``impute_by = "row"``) each column is first put on ``[0, 1]``,

    .. math:: z_{ij} = \frac{d_j x_{ij} - \min_k d_j x_{kj}}{\max_k d_j x_{kj} - \min_k d_j x_{kj}},

    the missing :math:`z_{ij}` is the mean of the unit's available ``z`` in
    the group, and it is mapped back through the inverse of the same
    transform.  ``direction`` (+1/-1 per column, default all +1) matters
    only then.  Without ``normalise_first`` raw values are averaged (only
    sensible for indicators on one scale).

    Edge cases, as in COINr: a constant column (zero range, 0/0 in the
    min-max) takes no part in the normalised means and its missing values
    get the column's constant value (COINr reaches the same through
    ``x·0 + min`` on back-transform); a unit with no available value in the
    group, and a column with no value at all, stay NaN.  ``groups`` is
    ignored.

    Reference: COINr ``Impute(impute_by = "row", group_level =, normalise_first =)``
    with ``i_mean``.
    """
    a = as_data(x)
    n_cols = a.shape[-1]
    if col_groups is None:
        cg = np.zeros(n_cols, dtype=np.intp)
    else:
        cg = np.asarray(col_groups)
        if cg.ndim != 1 or cg.shape[0] != n_cols or not np.issubdtype(cg.dtype, np.integer):
            raise MethodError(
                f"col_groups 有误 / col_groups must be an integer array of length n_cols="
                f"{n_cols} giving each column's indicator group; got {cg.dtype} {cg.shape}"
            )
    d = check_direction(direction, n_cols, default_benefit=True)
    if normalise_first:
        xd = a * d
        lo = nan_min(xd)
        rng = nan_max(xd) - lo
        ok_col = rng > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(ok_col, (xd - lo) / np.where(ok_col, rng, 1.0), np.nan)
    else:
        z = a
    out = np.array(a, dtype=np.float64, copy=True)
    for k in np.unique(cg):  # loop over a handful of indicator groups
        cols = np.flatnonzero(cg == k)
        zk = z[..., cols]
        ok = ~np.isnan(zk)
        n = ok.sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(n > 0, np.where(ok, zk, 0.0).sum(axis=-1, keepdims=True) / n, np.nan)
        if normalise_first:
            lo_k = lo[..., cols]
            rng_k = rng[..., cols]
            # constant column: x·0 + min, so NaN where the unit has no mean (COINr)
            back = np.where(ok_col[..., cols], m * rng_k + lo_k, lo_k + 0.0 * m) * d[cols]
        else:
            back = np.broadcast_to(m, zk.shape)
        out[..., cols] = _fill(a[..., cols], back)
    return out


# --------------------------------------------------------------------------- panels


@dataclass(frozen=True)
class PanelImputation:
    """Result of :func:`impute_latest`.

    Attributes
    ----------
    values
        Filled panel, same shape as the input.
    source_year
        intp array, same shape: for every cell the index (along the year
        axis) of the year whose value it holds; the cell's own year when
        observed, ``-1`` when still missing.
    """

    values: FloatArray
    source_year: IntArray

    @property
    def filled(self) -> NDArray[np.bool_]:
        """Cells filled from an earlier year."""
        n_years = self.values.shape[-3]
        own = np.arange(n_years).reshape(n_years, 1, 1)
        out: NDArray[np.bool_] = (self.source_year >= 0) & (self.source_year != own)
        return out


def impute_latest(
    panel: ArrayLike,
    *,
    max_gap: float | None = None,
    years: ArrayLike | None = None,
) -> PanelImputation:
    r"""Latest-year carry-forward for panels (``(..., n_years, n_units, n_cols)``).

    A missing value of year ``t`` takes the value of the same unit and
    indicator in the most recent earlier year ``s < t`` that has one,
    provided ``t - s <= max_gap`` (``None`` = no limit).  Gaps are measured in
    ``years`` (numeric labels, one per year index, increasing; default
    ``0, 1, 2, ...``).  Later years are never used (no back-filling), so the
    first years can stay missing.

    Reference: COINr ``impute_panel(imp_type = "latest", max_time = )``.
    """
    a = as_data(panel, min_ndim=3)
    ny = a.shape[-3]
    if years is None:
        yv = np.arange(ny, dtype=np.float64)
    else:
        yv = np.asarray(years, dtype=np.float64)
        if yv.shape != (ny,) or not np.all(np.diff(yv) > 0):
            raise MethodError(
                f"years 有误 / years must be {ny} strictly increasing numbers, one per year "
                "slice of the panel"
            )
    if max_gap is not None and max_gap < 0:
        raise MethodError("max_gap 不能为负 / max_gap must be >= 0 (or None for no limit)")
    idx = np.arange(ny, dtype=np.intp).reshape(ny, 1, 1)
    src = np.where(~np.isnan(a), idx, -1)
    src = np.maximum.accumulate(src, axis=-3)
    if max_gap is not None:
        gap = yv.reshape(ny, 1, 1) - yv[np.maximum(src, 0)]
        src = np.where((src >= 0) & (gap <= max_gap), src, -1)
    vals = np.take_along_axis(a, np.maximum(src, 0), axis=-3)
    vals = np.where(src >= 0, vals, np.nan)
    return PanelImputation(values=vals, source_year=src.astype(np.intp))


# --------------------------------------------------------------------------- reporting


def imputation_mask(before: ArrayLike, after: ArrayLike) -> NDArray[np.bool_]:
    """Boolean mask of the cells that imputation filled (missing before, present after).

    Raises ``MethodError`` if shapes differ or an observed value was changed
    or removed (a bug in an imputation function).
    """
    b = as_data(before)
    f = as_data(after)
    if b.shape != f.shape:
        raise MethodError(
            f"插补前后形状不同 / before and after have different shapes {b.shape} vs {f.shape}"
        )
    obs = ~np.isnan(b)
    changed = obs & ~(f == b)
    if changed.any():
        where = np.argwhere(changed)[:5].tolist()
        raise MethodError(
            "插补改变了观测值 / imputation changed or removed observed values at "
            f"(index) {where}: an imputation method must only fill missing cells"
        )
    filled: NDArray[np.bool_] = np.isnan(b) & ~np.isnan(f)
    return filled


@dataclass(frozen=True)
class ImputationReport:
    """What an imputation filled.

    Attributes
    ----------
    filled
        Boolean mask (same shape as the data) of imputed cells.
    still_missing
        Boolean mask of cells missing after imputation.
    filled_per_col, missing_per_col
        Counts over units, shape ``(..., n_cols)``.
    filled_per_unit, missing_per_unit
        Counts over columns, shape ``(..., n_units)``.
    """

    filled: NDArray[np.bool_]
    still_missing: NDArray[np.bool_]
    filled_per_col: IntArray
    missing_per_col: IntArray
    filled_per_unit: IntArray
    missing_per_unit: IntArray

    @property
    def n_filled(self) -> int:
        """Number of cells filled by the imputation."""
        return int(self.filled.sum())

    @property
    def n_still_missing(self) -> int:
        """Number of cells still missing after the imputation."""
        return int(self.still_missing.sum())


def imputation_report(before: ArrayLike, after: ArrayLike) -> ImputationReport:
    """Summarise an imputation: filled and still-missing cells per column and unit."""
    filled = imputation_mask(before, after)
    miss = np.isnan(as_data(after))
    return ImputationReport(
        filled=filled,
        still_missing=miss,
        filled_per_col=filled.sum(axis=-2, dtype=np.intp),
        missing_per_col=miss.sum(axis=-2, dtype=np.intp),
        filled_per_unit=filled.sum(axis=-1, dtype=np.intp),
        missing_per_unit=miss.sum(axis=-1, dtype=np.intp),
    )
