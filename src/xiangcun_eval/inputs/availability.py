"""Data availability (数据可得性): missing shares per indicator and per unit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..table import Table
from .data import UnitData

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

    def table(self) -> Table:
        """Every indicator with its missing share (%), titled with the overall summary."""
        head = (
            f"数据可得性 / data availability: {len(self.units)} 个单位 units × "
            f"{len(self.indicator_codes)} 个指标 indicators, 缺失 missing "
            f"{self.missing_overall:.1%}"
        )
        return Table.from_columns(
            {
                "指标 indicator": self.indicator_codes,
                "缺失率 missing %": 100.0 * self.missing_by_indicator,
                "名称 name": self.indicator_labels,
            },
            title=head,
        )

    def unit_table(self, top: int = 10) -> Table:
        """The ``top`` units missing most (only units missing something), worst first."""
        order = np.argsort(-self.missing_by_unit, kind="stable")[:top]
        order = order[self.missing_by_unit[order] > 0]
        return Table.from_columns(
            {
                "单位 unit": [self.units[i] for i in order.tolist()],
                "缺失率 missing %": 100.0 * self.missing_by_unit[order],
            },
            title="缺失最多的单位 / units with most missing values",
        )

    def __str__(self) -> str:
        out = self.table().render(digits=1)
        worst = self.unit_table()
        return out if not len(worst) else out + "\n\n" + worst.render(digits=1)


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
