"""Target and benchmark attainment of an evaluation (目标达成与基准比较).

Functions of an :class:`~xiangcun_eval.results.Evaluation`; the methods
``Evaluation.attainment_table`` and ``Evaluation.attainment_matrix`` call them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from .table import Table

if TYPE_CHECKING:
    from .results import Evaluation

__all__ = ["attainment_matrix", "attainment_table"]

F64 = NDArray[np.float64]


def attainment_table(ev: Evaluation) -> Table:
    """Target and benchmark attainment (目标达成 / 基准比较), labelled apart.

    One row per indicator with a ``target`` (a real goal of the evaluation
    year, 目标值) and one per indicator with a ``benchmark`` (a past
    national average or a goal for a later year, 基准值, with its year);
    the column ``参照 reference`` says which.  For a benefit indicator a unit
    reaches the reference when value >= reference (cost: value <=
    reference); the gap is ``reference - value`` for benefit and ``value -
    reference`` for cost indicators (positive = short of it).  Raw
    (denominated, before imputation) values are used.
    """
    fw = ev.framework
    rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "代码 code",
            "名称 name",
            "单位 unit",
            "参照 reference",
            "参照值 value",
            "有数据 n with data",
            "达到数 n reaching",
            "达到比例 share reaching",
            "平均值 mean",
            "平均差距 mean gap",
        )
    }
    vals = ev.preprocessed.denominated
    for kind in ("target", "benchmark"):
        for j, ind in enumerate(fw.indicators):
            if kind == "target":
                if ind.target is None:
                    continue
                ref, label = ind.target, "目标值 target"
            else:
                if ind.benchmark is None:
                    continue
                ref, label = ind.benchmark.value, f"基准值 benchmark: {ind.benchmark.label}"
            x = vals[:, j]
            ok = ~np.isnan(x)
            gap = (ref - x) if ind.direction == 1 else (x - ref)
            att = (gap <= 0) & ok
            n = int(ok.sum())
            rows["代码 code"].append(ind.code)
            rows["名称 name"].append(ind.label)
            rows["单位 unit"].append(ind.unit)
            rows["参照 reference"].append(label)
            rows["参照值 value"].append(ref)
            rows["有数据 n with data"].append(n)
            rows["达到数 n reaching"].append(int(att.sum()))
            rows["达到比例 share reaching"].append(float(att.sum() / n) if n else np.nan)
            rows["平均值 mean"].append(float(np.nanmean(x)) if n else np.nan)
            rows["平均差距 mean gap"].append(float(np.nanmean(gap)) if n else np.nan)
    return Table.from_columns(
        rows, title="目标达成与基准比较 / target attainment and benchmarks"
    )


def attainment_matrix(
    ev: Evaluation, kind: Literal["target", "benchmark"] = "target"
) -> tuple[tuple[str, ...], F64, F64, NDArray[np.bool_]]:
    """Return per-unit values, gaps and attainment of the targets (or benchmarks).

    For every indicator with a target (``kind="benchmark"``: a benchmark),
    ``(codes, values, gaps, reached)`` with arrays of shape
    (n_units, n_indicators); gaps > 0 mean short of the reference.
    """
    fw = ev.framework
    refs = [
        (j, ind.target if kind == "target" else
         (ind.benchmark.value if ind.benchmark is not None else None))
        for j, ind in enumerate(fw.indicators)
    ]
    js = [j for j, r in refs if r is not None]
    codes = tuple(fw.indicator_codes[j] for j in js)
    x = ev.preprocessed.denominated[:, js]
    tgt = np.array([refs[j][1] for j in js], dtype=np.float64)
    d = np.array([fw.indicators[j].direction for j in js], dtype=np.float64)
    gap = (tgt - x) * d
    return codes, x, gap, (gap <= 0) & ~np.isnan(x)
