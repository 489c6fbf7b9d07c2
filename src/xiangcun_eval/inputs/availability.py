"""Data availability (数据可得性): missing shares per indicator and per unit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .data import UnitData
from .problems import _pad, _width

__all__ = ["Availability", "availability"]


@dataclass(frozen=True)
class Availability:
    """Missing-data summary of a :class:`UnitData`.

    Attributes
    ----------
    indicator_codes, units
        Labels of the two arrays below.
    missing_by_indicator
        Share of units missing each indicator, ``(n_indicators,)`` in [0, 1].
    missing_by_unit
        Share of indicators missing for each unit, ``(n_units,)``.
    missing_overall
        Share of all cells that are missing.
    """

    indicator_codes: tuple[str, ...]
    indicator_labels: tuple[str, ...]
    units: tuple[str, ...]
    missing_by_indicator: NDArray[np.float64]
    missing_by_unit: NDArray[np.float64]
    missing_overall: float

    def table(self, *, top_units: int = 10) -> str:
        """Printable bilingual table: every indicator, then the units missing most."""
        head = (
            f"数据可得性 / data availability: {len(self.units)} 个单位 units × "
            f"{len(self.indicator_codes)} 个指标 indicators, 缺失 missing "
            f"{self.missing_overall:.1%}"
        )
        lines = [head, "", "指标 indicator  缺失率 missing  名称 name"]
        w = max([_width("指标 indicator")] + [_width(c) for c in self.indicator_codes])
        for code, label, share in zip(self.indicator_codes, self.indicator_labels,
                                      self.missing_by_indicator.tolist(), strict=True):
            lines.append(f"{_pad(code, w)}  {share:>14.1%}  {label}")
        if len(self.units):
            order = np.argsort(-self.missing_by_unit, kind="stable")[:top_units]
            worst = [(self.units[i], float(self.missing_by_unit[i])) for i in order.tolist()
                     if self.missing_by_unit[i] > 0]
            if worst:
                lines += ["", "缺失最多的单位 / units with most missing values:"]
                lines += [f"  {u}  {s:.1%}" for u, s in worst]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def availability(data: UnitData) -> Availability:
    """Compute the :class:`Availability` summary of ``data``."""
    miss = np.isnan(data.values)
    n_u, n_i = miss.shape
    by_ind = miss.mean(axis=0) if n_u else np.zeros(n_i)
    by_unit = miss.mean(axis=1) if n_i else np.zeros(n_u)
    return Availability(
        indicator_codes=data.indicator_codes,
        indicator_labels=tuple(i.label for i in data.framework.indicators),
        units=data.units,
        missing_by_indicator=by_ind.astype(np.float64),
        missing_by_unit=by_unit.astype(np.float64),
        missing_overall=float(miss.mean()) if miss.size else 0.0,
    )
