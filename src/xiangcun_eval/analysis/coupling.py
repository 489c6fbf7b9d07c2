r"""Coupling coordination degree (耦合协调度) among two or more subsystems.

For ``n`` subsystem scores ``U_1..U_n`` in ``[0, 1]`` per unit:

.. math::
    C = \frac{\left(\prod_i U_i\right)^{1/n}}{\frac{1}{n}\sum_i U_i}, \qquad
    T = \sum_i \alpha_i U_i, \qquad D = \sqrt{C\,T},

the n-system form (geometric over arithmetic mean, so ``0 <= C <= 1``; for
``n = 2`` it is the familiar ``C = 2\sqrt{U_1 U_2}/(U_1 + U_2)``), with
weights ``α_i`` summing to 1 (default equal).  ``C`` is NaN when every
``U_i`` is 0.

Classes of ``D`` (intervals closed below, the top one closed above):

* 10 levels (廖重斌 1999): 极度失调 [0, 0.1), 严重失调, 中度失调, 轻度失调,
  濒临失调, 勉强协调, 初级协调, 中级协调, 良好协调, 优质协调 [0.9, 1];
* 4 levels: 低度协调 [0, 0.3), 中度协调 [0.3, 0.5), 高度协调 [0.5, 0.8),
  极度协调 [0.8, 1].

Lagging subsystem (滞后型): when ``max U − min U <= tolerance`` (default
0.1) the unit is 同步型 / synchronous, else the subsystem with the lowest
``U`` lags ("<code> 滞后型 / <code> lagging").

References
----------
廖重斌 (1999). 环境与经济协调发展的定量评判及其分类体系——以珠江三角洲城市群为例.
热带地理 19(2), 171-177.
王淑佳, 孔伟, 任亮, 等 (2021). 国内耦合协调度模型的误区及修正. 自然资源学报
36(3), 793-810 (the n-system form of C used here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError
from ..results import Evaluation
from ..table import Table
from ._common import Scale, unit_scale

__all__ = ["LEVELS_4", "LEVELS_10", "Coupling", "coupling_coordination"]

F64 = NDArray[np.float64]

LEVELS_10: tuple[tuple[float, str], ...] = (
    (0.0, "极度失调 / extreme imbalance"),
    (0.1, "严重失调 / serious imbalance"),
    (0.2, "中度失调 / moderate imbalance"),
    (0.3, "轻度失调 / mild imbalance"),
    (0.4, "濒临失调 / near imbalance"),
    (0.5, "勉强协调 / barely coordinated"),
    (0.6, "初级协调 / primary coordination"),
    (0.7, "中级协调 / intermediate coordination"),
    (0.8, "良好协调 / good coordination"),
    (0.9, "优质协调 / high-quality coordination"),
)
"""Lower bounds and labels of the 10 classes of D."""

LEVELS_4: tuple[tuple[float, str], ...] = (
    (0.0, "低度协调 / low coordination"),
    (0.3, "中度协调 / moderate coordination"),
    (0.5, "高度协调 / high coordination"),
    (0.8, "极度协调 / extreme coordination"),
)
"""Lower bounds and labels of the 4 classes of D."""


def _classify(d: F64, levels: tuple[tuple[float, str], ...]) -> NDArray[np.intp]:
    lows = np.array([lo for lo, _ in levels])
    k = np.searchsorted(lows, d, side="right") - 1
    out: NDArray[np.intp] = np.where(np.isnan(d), -1, np.clip(k, 0, len(levels) - 1))
    return out


@dataclass(frozen=True, eq=False)
class Coupling:
    """Coupling ``C``, comprehensive development ``T``, coordination ``D``."""

    units: tuple[str, ...]
    systems: tuple[str, ...]
    u: F64
    """``(n_units, n_systems)`` subsystem scores on ``[0, 1]``."""
    weights: F64
    c: F64
    t: F64
    d: F64
    class10: NDArray[np.intp]
    class4: NDArray[np.intp]
    lagging: NDArray[np.intp]
    """Index of the lagging subsystem, -1 = synchronous (or missing)."""
    tolerance: float

    @property
    def labels10(self) -> tuple[str, ...]:
        """Bilingual label of each unit's class in the 10-class scheme ("—" = missing)."""
        return tuple("—" if k < 0 else LEVELS_10[k][1] for k in self.class10.tolist())

    @property
    def labels4(self) -> tuple[str, ...]:
        """Bilingual label of each unit's class in the 4-class scheme ("—" = missing)."""
        return tuple("—" if k < 0 else LEVELS_4[k][1] for k in self.class4.tolist())

    @property
    def lag_labels(self) -> tuple[str, ...]:
        """Label of each unit's lagging subsystem, "同步型 / synchronous", or "—" (missing)."""
        out = []
        for k, ok in zip(self.lagging.tolist(), np.isfinite(self.d).tolist(), strict=True):
            if not ok:
                out.append("—")
            elif k < 0:
                out.append("同步型 / synchronous")
            else:
                out.append(f"{self.systems[k]} 滞后型 / {self.systems[k]} lagging")
        return tuple(out)

    def table(self) -> Table:
        """Return one row per unit: subsystem scores U, C, T, D, the two classes, the lag type."""
        cols: dict[str, object] = {"代码 code": self.units}
        for j, s in enumerate(self.systems):
            cols[f"U {s}"] = self.u[:, j]
        cols.update({"耦合度 C": self.c, "综合发展 T": self.t, "耦合协调度 D": self.d,
                     "十级 class (10)": self.labels10, "四级 class (4)": self.labels4,
                     "滞后 lagging": self.lag_labels})
        return Table.from_columns(cols, title="耦合协调度 / coupling coordination degree")  # type: ignore[arg-type]

    def class_counts(self, scheme: int = 10) -> Table:
        """Count the units in each class (``scheme`` 10 or 4)."""
        levels, codes = (LEVELS_10, self.class10) if scheme == 10 else (LEVELS_4, self.class4)
        if scheme not in (4, 10):
            raise MethodError("scheme 须为 10 或 4 / scheme must be 10 or 4")
        counts = np.bincount(codes[codes >= 0], minlength=len(levels))
        return Table.from_columns(
            {"等级 class": [lab for _, lab in levels], "下界 from": [lo for lo, _ in levels],
             "单位数 n": counts},
            title=f"耦合协调等级分布 / coordination classes ({scheme} levels)",
        )


def coupling_coordination(
    scores: Evaluation | ArrayLike, systems: Sequence[str] | None = None, *,
    weights: ArrayLike | None = None, scale: Scale = "auto", tolerance: float = 0.1,
) -> Coupling:
    """Coupling coordination degree of ``n >= 2`` subsystems per unit.

    Parameters
    ----------
    scores
        An :class:`Evaluation` (``systems`` = node codes, e.g. level-2
        areas) or an ``(n_units, n_systems)`` array.
    systems
        Node codes (with an Evaluation) or subsystem names (with an array;
        default ``U1, U2, ...``).
    weights
        ``α_i`` of ``T`` (non-negative, normalised to sum 1; default equal).
    scale
        How scores map to ``[0, 1]``: ``"auto"`` (the evaluation's min-max
        bounds, e.g. ``[0, 100]`` -> divide by 100), ``(lower, upper)``, or
        ``"range"`` (min-max over units, per subsystem).
    tolerance
        Largest ``max U − min U`` still called synchronous.
    """
    ev = scores if isinstance(scores, Evaluation) else None
    if ev is not None:
        if not systems:
            raise MethodError(
                "请给出子系统代码 / give the subsystem node codes, e.g. systems=['A1', 'A2']"
            )
        unknown = [s for s in systems if s not in ev.framework]
        if unknown:
            raise MethodError(f"框架中没有这些代码 / no such nodes in the framework: {unknown}")
        x = np.column_stack([np.asarray(ev.score(s)) for s in systems])
        units = ev.units
        names = tuple(systems)
    else:
        x = np.asarray(scores, dtype=np.float64)
        if x.ndim != 2:
            raise MethodError(
                "得分须为 (单位数, 子系统数) 数组 / scores must be (n_units, n_systems); "
                f"got {x.shape}"
            )
        units = tuple(str(i) for i in range(x.shape[0]))
        names = tuple(systems) if systems else tuple(f"U{j + 1}" for j in range(x.shape[1]))
        if len(names) != x.shape[1]:
            raise MethodError(f"{len(names)} 个名称对应 {x.shape[1]} 列 / names for columns")
    k = x.shape[1]
    if k < 2:
        raise MethodError("耦合协调度至少需要两个子系统 / coupling needs at least two subsystems")
    if len(set(names)) != k:
        raise MethodError(f"子系统重复 / repeated subsystems: {list(names)}")
    if weights is None:
        a = np.full(k, 1.0 / k)
    else:
        a = np.asarray(weights, dtype=np.float64)
        if a.shape != (k,) or np.any(a < 0) or not a.sum() > 0 or not np.isfinite(a).all():
            raise MethodError(
                f"权重须为 {k} 个非负数且和为正 / weights must be {k} non-negative numbers with a "
                "positive sum"
            )
        a = a / a.sum()
    if not 0 <= tolerance < 1:
        raise MethodError("tolerance 须在 [0, 1) / tolerance must be in [0, 1)")
    u = unit_scale(x, scale, ev, "耦合协调度 / coupling coordination")
    with np.errstate(divide="ignore", invalid="ignore"):
        gm = np.exp(np.mean(np.log(u), axis=1))
        am = np.mean(u, axis=1)
        # any zero subsystem: C = 0 (geometric mean 0); all zero: undefined
        c = np.where(np.sum(u, axis=1) > 0,
                     np.where(np.min(u, axis=1) > 0, gm / np.where(am > 0, am, 1.0), 0.0), np.nan)
    t = u @ a
    d = np.sqrt(c * t)
    spread = np.max(u, axis=1) - np.min(u, axis=1)
    lag = np.where(spread > tolerance + 1e-12, np.argmin(np.nan_to_num(u, nan=np.inf), axis=1), -1)
    lag = np.where(np.isfinite(d), lag, -1)
    return Coupling(units=units, systems=names, u=u, weights=a, c=c, t=t, d=d,
                    class10=_classify(d, LEVELS_10), class4=_classify(d, LEVELS_4),
                    lagging=lag.astype(np.intp), tolerance=tolerance)
