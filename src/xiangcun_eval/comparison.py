"""Unit-by-unit comparison of two evaluations (years or methodologies).

:func:`compare` is re-exported by :mod:`xiangcun_eval.results` and used by
``Evaluation.compare``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .table import Table

if TYPE_CHECKING:
    from .results import Evaluation

__all__ = ["compare"]

F64 = NDArray[np.float64]


def compare(a: Evaluation, b: Evaluation, code: str | None = None) -> Table:
    """Compare two evaluations unit by unit (matched by unit code).

    Returns a table with the score and rank in each, the rank change
    ``rank_b − rank_a`` (negative = moved up), its absolute value and the
    labelled direction (上升 up / 下降 down / 不变 same / ranked in one only),
    sorted by absolute change.  Units present in only one evaluation are listed with
    missing values on the other side.
    """
    code_a = code or a.framework.root.code
    code_b = code or b.framework.root.code
    ua, ub = np.asarray(a.units), np.asarray(b.units)
    only_b = ~np.isin(ub, ua)
    units = np.concatenate([ua, ub[only_b]])
    names = np.concatenate([np.asarray(a.data.names), np.asarray(b.data.names)[only_b]])

    def aligned(values: F64, keys: NDArray[Any]) -> F64:
        """``values`` (indexed like ``keys``) placed at ``units``; NaN where absent."""
        if keys.size == 0:
            return np.full(units.size, np.nan)
        order = np.argsort(keys)
        pos = order[np.searchsorted(keys, units, sorter=order).clip(0, keys.size - 1)]
        out: F64 = np.where(keys[pos] == units, values[pos], np.nan)
        return out

    col_sa, col_ra = aligned(a.score(code_a), ua), aligned(a.ranks(code_a), ua)
    col_sb, col_rb = aligned(b.score(code_b), ub), aligned(b.ranks(code_b), ub)
    diff = col_rb - col_ra
    order = np.lexsort((units, -np.nan_to_num(np.abs(diff), nan=-1.0)))
    direction = np.select(
        [np.isnan(col_ra) & ~np.isnan(col_rb), ~np.isnan(col_ra) & np.isnan(col_rb),
         diff < 0, diff > 0, diff == 0],
        ["仅B有排名 ranked in B only", "仅A有排名 ranked in A only", "上升 up", "下降 down",
         "不变 same"], default="—")
    return Table.from_columns(
        {
            "代码 code": units[order].tolist(),
            "名称 name": names[order].tolist(),
            "得分A score A": col_sa[order],
            "得分B score B": col_sb[order],
            "排名A rank A": col_ra[order],
            "排名B rank B": col_rb[order],
            "变化 change": diff[order],
            "绝对变化 abs change": np.abs(diff)[order],
            "方向 direction": direction[order].tolist(),
        },
        title=f"比较 / comparison: {a.methodology.name} → {b.methodology.name}",
    )
