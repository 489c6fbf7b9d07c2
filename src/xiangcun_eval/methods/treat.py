"""Outlier treatment (异常值处理): skew/kurtosis rule, winsorisation, log.

Signature (docs/architecture.md): ``f(x, **params)`` on a 2-D ``x``
``(n_units, n_cols)``, NaN = missing; returns :class:`TreatResult` with the
treated values and one :class:`TreatRecord` per column saying what was done
and why.  Treatment is inherently per column and iterative, so kernels loop
over columns (not replicates: ``replicates=False``).

The procedure is the JRC/COINr default (COINr ``Treat`` with its default
specification, checked against COINr's source):

1. **Check**: a column *passes* if ``|G1| < skew_thresh`` OR
   ``G2 < kurt_thresh`` (defaults 2 and 3.5); it is treated only if
   ``|skew| >= 2`` AND ``kurt >= 3.5``.  ``G1``/``G2`` are the bias-corrected
   sample skewness and excess kurtosis (:mod:`._stats`).
2. **Winsorise** while failing and ``nwin < winmax`` (default 5): if the
   current skew is ``>= 0`` every point equal to the current maximum is set
   to the maximum of the remaining points ("winhi"); else the same at the
   minimum ("winlo").  ``nwin`` is counted as COINr does: the size of the
   last high tie group plus the size of the last low tie group (previously
   winsorised points tie with the new extreme, so the count accumulates).
3. If still failing, apply the **log** transform (``log_CT`` by default)
   to the *original* column (to the winsorised one if ``combine=True``),
   re-check and keep the result whatever the check says.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 3
and Step 4 (outliers; skewness > 2 and kurtosis > 3.5 as the JRC rule of thumb).
Becker, W. et al. COINr 1.1.14, ``R/treat.R`` (``Treat.numeric``,
``winsorise``, ``check_SkewKurt``, ``log_CT``, ``log_CT_orig``,
``log_CT_plus``, ``boxcox``), MIT licence.
Joanes, D. N. and Gill, C. A. (1998), for ``G1``/``G2``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, model_validator

from ..errors import MethodError
from ._registry import NoParams, Params, Registry
from ._stats import as_data, nan_kurt, nan_skew

__all__ = [
    "REGISTRY",
    "LogKind",
    "TreatRecord",
    "TreatResult",
    "WinsoriseParams",
    "boxcox",
    "check_skew_kurt",
    "log_ct",
    "log_ct_orig",
    "log_ct_plus",
    "treat_none",
    "treat_winsorise",
    "winsorise",
]

FloatArray = NDArray[np.float64]
LogKind = Literal["log_CT", "log_CT_orig", "log_CT_plus", "boxcox"]

REGISTRY = Registry("treat")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class TreatRecord:
    """What treatment did to one column.

    Attributes
    ----------
    col
        Column index.
    n
        Number of available values.
    skew_before, kurt_before, skew_after, kurt_after
        ``G1``/``G2`` of the original and of the final column (NaN when
        undefined: fewer than 3/4 values or a constant column).
    passed_before, passed_after
        Result of the skew/kurtosis check before and after treatment
        (``None`` when it could not be computed).
    winsorised_high, winsorised_low
        Row indices last winsorised at the top ("winhi") / bottom ("winlo"),
        as COINr's ``Treated_Points``; empty if the log result was kept.
    n_winsorised
        COINr's ``nwin`` (see module docstring).
    win_iterations
        Number of winsorisation steps taken.
    skew_win, kurt_win
        ``G1``/``G2`` after winsorisation (NaN if not winsorised).
    log_applied
        Name of the log transform applied, or ``None``.
    reason
        One line: why the column was or was not treated.
    """

    col: int
    n: int
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float
    passed_before: bool | None
    passed_after: bool | None
    winsorised_high: tuple[int, ...] = ()
    winsorised_low: tuple[int, ...] = ()
    n_winsorised: int = 0
    win_iterations: int = 0
    skew_win: float = float("nan")
    kurt_win: float = float("nan")
    log_applied: str | None = None
    reason: str = ""

    @property
    def winsorised(self) -> bool:
        """True when the column was winsorised and kept so (no log transform replaced it)."""
        return self.n_winsorised > 0 and self.log_applied is None


@dataclass(frozen=True)
class TreatResult:
    """Treated values (same shape as the input) and one record per column."""

    values: FloatArray
    records: tuple[TreatRecord, ...]

    @property
    def n_winsorised_cols(self) -> int:
        """Number of columns left winsorised."""
        return sum(1 for r in self.records if r.winsorised)

    @property
    def n_log_cols(self) -> int:
        """Number of columns log-transformed."""
        return sum(1 for r in self.records if r.log_applied is not None)


# --------------------------------------------------------------------------- checks


def _sk(v: FloatArray) -> tuple[float, float]:
    c = v.reshape(-1, 1)
    return float(nan_skew(c)[0, 0]), float(nan_kurt(c)[0, 0])


def check_skew_kurt(
    v: ArrayLike, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> tuple[bool | None, float, float]:
    """Apply the JRC/COINr check to a 1-D column: ``(passes, G1, G2)``.

    Passes if ``|G1| < skew_thresh`` or ``G2 < kurt_thresh``.  ``passes`` is
    ``None`` when ``G1`` or ``G2`` is undefined (fewer than 4 values or a
    constant column).  Reference: COINr ``check_SkewKurt``.
    """
    s, k = _sk(np.asarray(v, dtype=np.float64))
    if np.isnan(s) or np.isnan(k):
        return None, s, k
    return bool(abs(s) < skew_thresh or k < kurt_thresh), s, k


# --------------------------------------------------------------------------- transforms


def _range(v: FloatArray) -> tuple[float, float]:
    ok = ~np.isnan(v)
    if not ok.any():
        return float("nan"), float("nan")
    return float(v[ok].min()), float(v[ok].max())


def log_ct(v: ArrayLike) -> FloatArray:
    r"""COIN Tool log: ``log(x - min + 0.01 (max - min))`` (COINr ``log_CT``)."""
    a = np.asarray(v, dtype=np.float64)
    lo, hi = _range(a)
    return np.asarray(np.log(a - lo + 0.01 * (hi - lo)), dtype=np.float64)


def log_ct_orig(v: ArrayLike) -> FloatArray:
    r"""Original COIN Tool log: ``log(x - min + 1)`` (COINr ``log_CT_orig``)."""
    a = np.asarray(v, dtype=np.float64)
    lo, _ = _range(a)
    return np.asarray(np.log(a - lo + 1.0), dtype=np.float64)


def log_ct_plus(v: ArrayLike) -> FloatArray:
    r"""Skew-aware COIN Tool log (COINr ``log_CT_plus``).

    With ``a = 0.01 (max - min)``: ``log(x - min + a)`` if skew > 0, else
    ``-log(max + a - x)`` (keeps the order and treats low outliers).
    """
    a = np.asarray(v, dtype=np.float64)
    lo, hi = _range(a)
    s, _ = _sk(a)
    eps = 0.01 * (hi - lo)
    if s > 0:
        return np.asarray(np.log(a - lo + eps), dtype=np.float64)
    return np.asarray(-np.log(hi + eps - a), dtype=np.float64)


def boxcox(v: ArrayLike, lam: float, makepos: bool = True) -> FloatArray:
    r"""Box-Cox with fixed ``lam``: ``(y^λ - 1)/λ`` (``log y`` if ``λ = 0``).

    ``y = x - min + 1`` when ``makepos`` (COINr ``boxcox``).
    """
    a = np.asarray(v, dtype=np.float64)
    if makepos:
        lo, _ = _range(a)
        a = a - lo + 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        if lam == 0:
            return np.asarray(np.log(a), dtype=np.float64)
        return np.asarray((a**lam - 1.0) / lam, dtype=np.float64)


# --------------------------------------------------------------------------- winsorise


@dataclass(frozen=True)
class _Win:
    values: FloatArray
    high: tuple[int, ...]
    low: tuple[int, ...]
    nwin: int
    iterations: int
    stopped: str


def winsorise(
    v: ArrayLike,
    *,
    winmax: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    force_win: bool = False,
) -> tuple[FloatArray, tuple[int, ...], tuple[int, ...], int]:
    """COINr's iterative winsorisation of one 1-D column.

    Returns ``(values, high_indices, low_indices, nwin)``; see the module
    docstring for the loop.  One deliberate difference: a step that would
    make the column constant (only two distinct values left) is not taken
    (COINr would then fail on an undefined skewness).
    """
    w = _winsorise(np.asarray(v, dtype=np.float64), winmax, skew_thresh, kurt_thresh, force_win)
    return w.values, w.high, w.low, w.nwin


def _winsorise(
    v: FloatArray, winmax: int | None, skew_thresh: float, kurt_thresh: float, force_win: bool
) -> _Win:
    if force_win and winmax is None:
        raise MethodError("force_win=True 需要 winmax / force_win=True needs a finite winmax")
    x = np.array(v, dtype=np.float64, copy=True)
    passing, _, _ = check_skew_kurt(x, skew_thresh, kurt_thresh)
    imax: NDArray[np.intp] = np.empty(0, dtype=np.intp)
    imin: NDArray[np.intp] = np.empty(0, dtype=np.intp)
    nwin = 0
    it = 0
    stopped = "passes"
    while (passing is False or force_win) and (winmax is None or nwin < winmax):
        ok = ~np.isnan(x)
        if np.unique(x[ok]).size <= 2:
            stopped = "would become constant"
            break
        s, _ = _sk(x)
        if s >= 0:
            top = x[ok].max()
            imax = np.flatnonzero(x == top)
            x[imax] = x[ok & (x != top)].max()
        else:
            bot = x[ok].min()
            imin = np.flatnonzero(x == bot)
            x[imin] = x[ok & (x != bot)].min()
        it += 1
        nwin = imax.size + imin.size
        passing, _, _ = check_skew_kurt(x, skew_thresh, kurt_thresh)
    else:
        if passing is False:
            stopped = "winmax reached"
    return _Win(
        x,
        tuple(int(i) for i in imax),
        tuple(int(i) for i in imin),
        nwin,
        it,
        stopped,
    )


# --------------------------------------------------------------------------- kernels


class WinsoriseParams(Params):
    """Parameters of ``winsorise`` (COINr ``Treat`` defaults)."""

    winmax: int | None = Field(5, ge=1)
    skew_thresh: float = Field(2.0, gt=0)
    kurt_thresh: float = 3.5
    log: LogKind | None = "log_CT"
    boxcox_lambda: float | None = None
    combine: bool = False
    force_win: bool = False

    @model_validator(mode="after")
    def _lam(self) -> WinsoriseParams:
        if self.log == "boxcox" and self.boxcox_lambda is None:
            raise ValueError("log='boxcox' needs boxcox_lambda")
        if self.force_win and self.winmax is None:
            raise ValueError("force_win=True needs a finite winmax")
        return self


def _check2d(x: ArrayLike) -> FloatArray:
    a = as_data(x)
    if a.ndim != 2:
        raise MethodError(
            f"异常值处理只接受二维数据 / treatment works on 2-D (n_units, n_cols) data; "
            f"got shape {a.shape}"
        )
    return a


@REGISTRY.register(
    "none", params=NoParams, label_zh="不处理", label_en="no treatment", replicates=False
)
def treat_none(x: ArrayLike) -> TreatResult:
    """No treatment: values copied, records give skew/kurtosis for information."""
    a = _check2d(x)
    recs = []
    for j in range(a.shape[1]):
        p, s, k = check_skew_kurt(a[:, j])
        recs.append(
            TreatRecord(
                col=j,
                n=int((~np.isnan(a[:, j])).sum()),
                skew_before=s,
                kurt_before=k,
                skew_after=s,
                kurt_after=k,
                passed_before=p,
                passed_after=p,
                reason="treatment disabled",
            )
        )
    return TreatResult(np.array(a, copy=True), tuple(recs))


@REGISTRY.register(
    "winsorise",
    params=WinsoriseParams,
    label_zh="缩尾处理（偏度/峰度规则）+ 对数变换",
    label_en="winsorisation (skew/kurtosis rule) + log",
    replicates=False,
)
def treat_winsorise(
    x: ArrayLike,
    *,
    winmax: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    log: LogKind | None = "log_CT",
    boxcox_lambda: float | None = None,
    combine: bool = False,
    force_win: bool = False,
) -> TreatResult:
    r"""JRC/COINr outlier treatment of every column (see module docstring).

    Parameters
    ----------
    x
        ``(n_units, n_cols)``, NaN = missing (ignored; stays NaN).
    winmax
        Maximum ``nwin`` (COINr default 5); ``None`` = no limit.
    skew_thresh, kurt_thresh
        Treat only if ``|G1| >= skew_thresh`` and ``G2 >= kurt_thresh``.
    log
        Fallback transform when winsorisation is not enough: ``"log_CT"``
        ``log(x - min + 0.01(max - min))`` (default), ``"log_CT_orig"``
        ``log(x - min + 1)``, ``"log_CT_plus"`` (handles negative skew),
        ``"boxcox"`` (needs ``boxcox_lambda``), or ``None`` (keep the
        winsorised values).
    combine
        Apply the log to the winsorised column instead of the original
        (COINr ``combine_treat``).
    force_win
        Winsorise up to ``winmax`` regardless of the check.

    Columns with fewer than 4 values or constant columns cannot be checked
    and are returned untreated with the reason recorded (COINr returns them
    untreated with a warning).  A log transform that fails to bring the
    column within thresholds is kept anyway, as in COINr; the record says so.
    Note that log values are on a different scale: the direction of the
    indicator is preserved (log is increasing) except ``log_CT_plus`` on
    negatively skewed data, which is also increasing in ``x``.

    Reference: COINr ``Treat`` default specification; OECD/JRC Handbook (2008).
    """
    a = _check2d(x)
    if log == "boxcox" and boxcox_lambda is None:
        raise MethodError("log='boxcox' 需要 boxcox_lambda / log='boxcox' needs boxcox_lambda")
    out = np.array(a, dtype=np.float64, copy=True)
    recs: list[TreatRecord] = []
    for j in range(a.shape[1]):
        col = a[:, j]
        n = int((~np.isnan(col)).sum())
        p0, s0, k0 = check_skew_kurt(col, skew_thresh, kurt_thresh)
        base = TreatRecord(
            col=j,
            n=n,
            skew_before=s0,
            kurt_before=k0,
            skew_after=s0,
            kurt_after=k0,
            passed_before=p0,
            passed_after=p0,
        )
        if p0 is None and not force_win:
            reason = "skew/kurtosis undefined (fewer than 4 values or constant): left untreated"
            recs.append(replace(base, reason=reason))
            continue
        if p0 and not force_win:
            reason = "passes skew/kurtosis check"
            recs.append(replace(base, reason=reason))
            continue
        w = _winsorise(col, winmax, skew_thresh, kurt_thresh, force_win)
        p1, s1, k1 = check_skew_kurt(w.values, skew_thresh, kurt_thresh)
        if p1 is not False or log is None:
            out[:, j] = w.values
            why = f"winsorised {w.nwin} point(s) in {w.iterations} step(s); " + (
                "now passes" if p1 else f"still fails ({w.stopped}), no log fallback"
            )
            recs.append(
                replace(
                    base,
                    skew_after=s1,
                    kurt_after=k1,
                    passed_after=p1,
                    winsorised_high=w.high,
                    winsorised_low=w.low,
                    n_winsorised=w.nwin,
                    win_iterations=w.iterations,
                    skew_win=s1,
                    kurt_win=k1,
                    reason=why,
                )
            )
            continue
        src = w.values if combine else col
        if log == "log_CT":
            y = log_ct(src)
        elif log == "log_CT_orig":
            y = log_ct_orig(src)
        elif log == "log_CT_plus":
            y = log_ct_plus(src)
        else:
            assert boxcox_lambda is not None
            y = boxcox(src, boxcox_lambda)
        p2, s2, k2 = check_skew_kurt(y, skew_thresh, kurt_thresh)
        out[:, j] = y
        why = (
            f"winsorisation not enough ({w.stopped}, nwin={w.nwin}); {log} applied to the "
            + ("winsorised" if combine else "original")
            + " values; "
            + ("now passes" if p2 else "still fails (kept anyway)")
        )
        hi, lo = (w.high, w.low) if combine else ((), ())
        recs.append(
            replace(
                base,
                skew_after=s2,
                kurt_after=k2,
                passed_after=p2,
                winsorised_high=hi,
                winsorised_low=lo,
                n_winsorised=w.nwin if combine else 0,
                win_iterations=w.iterations,
                skew_win=s1,
                kurt_win=k1,
                log_applied=log,
                reason=why,
            )
        )
    return TreatResult(out, tuple(recs))
