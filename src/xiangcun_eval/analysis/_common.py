"""Shared input handling of the follow-up analyses.

Every analysis accepts either plain arrays or an
:class:`~xiangcun_eval.results.Evaluation`; these helpers turn both into
float arrays and integer group codes, drop missing scores by one stated rule
(units with a missing value are left out and counted), and rescale scores to
``[0, 1]`` by one stated rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ..results import Evaluation

__all__ = [
    "Scale",
    "as_groups",
    "as_scores",
    "finite_subset",
    "unit_scale",
]

F64 = NDArray[np.float64]
Scale = Literal["auto", "range"] | tuple[float, float]


def as_scores(obj: Evaluation | ArrayLike, code: str | None = None) -> tuple[F64, tuple[str, ...]]:
    """Scores (1-D float array) and unit codes from an evaluation or an array.

    With an :class:`Evaluation`, ``code`` selects a node (default the index);
    with an array, units are labelled ``"0", "1", ...``.
    """
    if isinstance(obj, Evaluation):
        c = code or obj.framework.root.code
        if c not in obj.framework:
            raise MethodError(
                f"框架中没有代码 {c!r} / no node {c!r} in framework {obj.framework.code!r}"
            )
        return np.asarray(obj.score(c), dtype=np.float64), obj.units
    if code is not None:
        raise MethodError("code= 只适用于 Evaluation / code= applies to an Evaluation only")
    x = np.asarray(obj, dtype=np.float64)
    if x.ndim != 1:
        raise MethodError(
            f"得分须为一维数组 / scores must be one-dimensional (one value per unit); "
            f"got shape {x.shape}"
        )
    return x, tuple(str(i) for i in range(x.size))


def as_groups(
    obj: Evaluation | ArrayLike, by: str | Sequence[Any] | NDArray[Any], n: int
) -> tuple[NDArray[np.intp], tuple[str, ...]]:
    """Integer group codes (``-1`` = no group) and labels.

    ``by`` is a grouping column of the evaluation's data (``"province"``,
    ``"region"``) or one label per unit.
    """
    if isinstance(by, str):
        if not isinstance(obj, Evaluation):
            raise MethodError(
                f"分组列名 {by!r} 只适用于 Evaluation / a grouping column name ({by!r}) needs an "
                "Evaluation; with plain arrays pass one group label per unit"
            )
        if by not in obj.data.groups:
            raise MethodError(
                f"没有分组列 {by!r} / no grouping column {by!r}; available: "
                f"{sorted(obj.data.groups)}"
            )
        return obj.data.group_codes(by)
    labels = np.asarray(by).astype(str)
    if labels.shape != (n,):
        raise MethodError(
            f"分组标签数与单位数不符 / {labels.size} group labels for {n} units: give one label "
            "per unit"
        )
    uniq, inv = np.unique(labels, return_inverse=True)
    codes = inv.astype(np.intp)
    out = tuple(str(u) for u in uniq)
    if out and out[0] == "":
        codes = codes - 1
        out = out[1:]
    return codes, out


def finite_subset(x: F64, *others: NDArray[Any]) -> tuple[NDArray[np.bool_], int]:
    """Mask of the units to keep, and the number left out.

    A unit is kept when its score is available and none of its group codes is -1.
    """
    keep = np.isfinite(x)
    for o in others:
        keep &= o >= 0
    return keep, int(keep.size - keep.sum())


def unit_scale(x: F64, scale: Scale, evaluation: Evaluation | None, what: str) -> F64:
    """Scores mapped to ``[0, 1]``.

    Rules: ``(lower, upper)`` -> ``(x - lower) / (upper - lower)``;
    ``"range"`` -> ``(x - min) / (max - min)`` over the units, per column;
    ``"auto"`` -> the bounds of the evaluation's min-max normalisation
    (``[lower, upper]``, default ``[0, 100]``) when every indicator is min-max
    normalised, else an error asking for ``scale``.  Values outside
    ``[0, 1]`` after the mapping are an error.
    """
    if isinstance(scale, tuple):
        lo, hi = float(scale[0]), float(scale[1])
    elif scale == "range":
        with np.errstate(invalid="ignore"):
            lo_a = np.nanmin(x, axis=0)
            hi_a = np.nanmax(x, axis=0)
        span = hi_a - lo_a
        if np.any(span <= 0):
            raise MethodError(
                f"{what}: 存在常数列, 无法按极差缩放 / a constant column cannot be range-scaled"
            )
        out: F64 = (x - lo_a) / span
        return out
    elif scale == "auto":
        if evaluation is None:
            raise MethodError(
                f"{what}: 数组输入需给出 scale=(下界, 上界) 或 'range' / with plain arrays give "
                "scale=(lower, upper) or scale='range'"
            )
        m = evaluation.methodology
        specs = {m.normalise_for(c).model_dump_json() for c in evaluation.framework.indicator_codes}
        spec = m.normalise_for(evaluation.framework.indicator_codes[0])
        if len(specs) != 1 or spec.method != "minmax":
            raise MethodError(
                f"{what}: 标准化方法不是统一的 min-max, 无法自动确定 [0,1] 尺度 / the "
                "evaluation is not min-max normalised throughout, so its scale is not known: pass "
                "scale=(lower, upper) or scale='range'"
            )
        p = spec.resolved_params()
        lo, hi = float(p["lower"]), float(p["upper"])
    else:
        raise MethodError(f"{what}: 未知的 scale {scale!r} / unknown scale {scale!r}")
    if not hi > lo:
        raise MethodError(f"{what}: scale 上界须大于下界 / scale upper must exceed lower")
    y: F64 = (x - lo) / (hi - lo)
    tol = 1e-9
    if np.any((y < -tol) | (y > 1 + tol)):
        raise MethodError(
            f"{what}: 缩放后有值超出 [0, 1] / values fall outside [0, 1] after scaling with "
            f"[{lo}, {hi}]; give the right scale=(lower, upper) or scale='range'"
        )
    return np.clip(y, 0.0, 1.0)
