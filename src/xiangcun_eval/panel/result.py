"""Results of a panel evaluation: :class:`PanelEvaluation`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..inputs.data import UnitData
from ..methodology import Methodology
from ..results import Evaluation
from ..table import Table
from .changes import align, contributions, growth_percent
from .crosswalk import PanelError
from .markov import Transitions, transition_counts

__all__ = ["PanelEvaluation"]

F64 = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class PanelEvaluation:
    """Several years evaluated on common references.

    Build with :func:`xiangcun_eval.evaluate_panel`.  Every year is an
    ordinary :class:`~xiangcun_eval.Evaluation` (``panel[2023]``); the
    methods here compare years.  Sign conventions are in the column names:
    a score change is *later − earlier*; a rank change is *earlier rank −
    later rank*, so ``+`` means the unit moved up.
    """

    years: tuple[int, ...]
    evaluations: Mapping[int, Evaluation]
    inputs: Mapping[int, UnitData]
    """The data of each year as given (unit codes after the crosswalk)."""
    methodology: Methodology
    reference: str
    base_year: int
    impute_basis: str
    treat_basis: str
    weights_basis: str
    renamed: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    """Year -> {old code: panel code} applied by the crosswalk."""
    gaps: tuple[tuple[str, int, int, str], ...] = ()
    """Units missing from some year: (code, first year present, year missing, name)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluations", MappingProxyType(dict(self.evaluations)))
        object.__setattr__(self, "inputs", MappingProxyType(dict(self.inputs)))

    # ---------------------------------------------------------------- basics
    def __getitem__(self, year: int) -> Evaluation:
        try:
            return self.evaluations[year]
        except KeyError:
            raise KeyError(f"面板中没有 {year} 年 / no year {year}; years: {self.years}") from None

    def __repr__(self) -> str:
        return (f"PanelEvaluation(years={list(self.years)}, reference={self.reference!r}, "
                f"base_year={self.base_year}, weights={self.weights_basis!r})")

    def _pair(self, start: int | None, end: int | None) -> tuple[int, int]:
        if len(self.years) < 2 and (start is None or end is None):
            raise PanelError("面板只有一年 / the panel has a single year: nothing to compare")
        s = self.years[-2] if start is None else start
        e = self.years[-1] if end is None else end
        for y in (s, e):
            if y not in self.evaluations:
                raise PanelError(f"面板中没有 {y} 年 / no year {y} in the panel {self.years}")
        if not s < e:
            raise PanelError(f"起始年须早于结束年 / start {s} must be before end {e}")
        return s, e

    def _nodes(self, level: int | None) -> tuple[int, tuple[str, ...]]:
        fw = self.evaluations[self.years[0]].framework
        lev = fw.max_level if level is None else level
        if not 1 <= lev <= fw.max_level:
            raise PanelError(f"层级 {lev} 不存在 / level {lev} is not in 1..{fw.max_level}")
        return lev, fw.level_codes(lev)

    # ---------------------------------------------------------------- tables
    def summary(self) -> Table:
        """Per year: units, mean and median index, reference."""
        rows: dict[str, list[Any]] = {"年份 year": [], "单位数 n": [], "均值 mean": [],
                                      "中位数 median": [], "最低 min": [], "最高 max": []}
        for y in self.years:
            idx = self.evaluations[y].index
            ok = idx[~np.isnan(idx)]
            rows["年份 year"].append(y)
            rows["单位数 n"].append(int(idx.size))
            rows["均值 mean"].append(float(ok.mean()) if ok.size else np.nan)
            rows["中位数 median"].append(float(np.median(ok)) if ok.size else np.nan)
            rows["最低 min"].append(float(ok.min()) if ok.size else np.nan)
            rows["最高 max"].append(float(ok.max()) if ok.size else np.nan)
        return Table.from_columns(rows, title=f"面板概况 / panel summary (reference: "
                                  f"{self.reference}, base {self.base_year})")

    def trajectories(self, code: str | None = None) -> Table:
        """Score and rank of one node (default the index) for every unit and year."""
        fw = self.evaluations[self.years[0]].framework
        node = fw.root.code if code is None else code
        units: list[str] = []
        names: dict[str, str] = {}
        for y in reversed(self.years):
            ev = self.evaluations[y]
            for u, n in zip(ev.units, ev.data.names, strict=True):
                if u not in names:
                    units.append(u)
                    names[u] = n
        cols: dict[str, Any] = {"代码 code": units, "名称 name": [names[u] for u in units]}
        for y in self.years:
            ev = self.evaluations[y]
            pos = {u: i for i, u in enumerate(ev.units)}
            idx = np.array([pos.get(u, -1) for u in units], dtype=np.intp)
            sc, rk = ev.score(node), ev.ranks(node)
            cols[f"得分 score {y}"] = np.where(idx >= 0, sc[idx], np.nan)
            cols[f"排名 rank {y}"] = np.where(idx >= 0, rk[idx], np.nan)
        return Table.from_columns(cols, title=f"{node}: 历年得分与排名 / scores and ranks by year")

    def changes(self, start: int | None = None, end: int | None = None, *,
                level: int | None = None) -> Table:
        """Score change, rank change and growth rate per unit between two years.

        For every node at ``level`` (default: the index) between two years
        (default: the last two), units present in both.
        """
        s, e = self._pair(start, end)
        lev, nodes = self._nodes(level)
        a, b = self.evaluations[s], self.evaluations[e]
        ia, ib = align(a.units, b.units)
        cols: dict[str, Any] = {"代码 code": [a.units[i] for i in ia],
                                "名称 name": [b.data.names[j] for j in ib]}
        span = e - s
        for k, node in enumerate(nodes):
            s0 = a.level_scores[lev - 1][ia, k]
            s1 = b.level_scores[lev - 1][ib, k]
            r0 = a.level_ranks[lev - 1][ia, k]
            r1 = b.level_ranks[lev - 1][ib, k]
            cols[f"{node} 得分 score {s}"] = s0
            cols[f"{node} 得分 score {e}"] = s1
            cols[f"{node} 得分变化 score change ({e} − {s})"] = s1 - s0
            cols[f"{node} 排名变化 rank change (+ = up: rank {s} − rank {e})"] = r0 - r1
            cols[f"{node} 增长率 growth % ({e}/{s} − 1)"] = growth_percent(s0, s1)
            if span > 1:
                with np.errstate(invalid="ignore", divide="ignore"):
                    cagr = np.where(s0 > 0, ((s1 / s0) ** (1.0 / span) - 1.0) * 100.0, np.nan)
                cols[f"{node} 年均增长率 CAGR % ({s}–{e})"] = cagr
        return Table.from_columns(cols, title=f"{s}→{e} 变化 / changes {s}→{e}")

    def decompose(self, start: int | None = None, end: int | None = None
                  ) -> tuple[tuple[str, ...], tuple[str, ...], F64, F64]:
        """Each area's contribution to each unit's index change, as arrays.

        Returns ``(units, areas, contributions, change)``; rows sum to ``change``
        (see :mod:`xiangcun_eval.panel.changes` for the formulas).
        """
        s, e = self._pair(start, end)
        a, b = self.evaluations[s], self.evaluations[e]
        ia, ib = align(a.units, b.units)
        fw = b.framework
        method = b.plans[-1].aggregate_spec.method
        if a.plans[-1].aggregate_spec.method != method:
            raise PanelError("两年的指数合成方法不同 / the index is aggregated differently")
        i0, i1 = a.index[ia], b.index[ib]
        c = contributions(a.level_scores[-2][ia], b.level_scores[-2][ib], a.weights[-1],
                          b.weights[-1], i0, i1, method)
        return (tuple(a.units[i] for i in ia), fw.level_codes(fw.max_level - 1), c, i1 - i0)

    def decomposition(self, start: int | None = None, end: int | None = None) -> Table:
        """Each area's contribution to each unit's index change, as a table.

        The contributions sum to the change; a last row gives the mean over units.
        """
        s, e = self._pair(start, end)
        units, areas, c, change = self.decompose(s, e)
        b = self.evaluations[e]
        pos = {u: i for i, u in enumerate(b.units)}
        ok = ~np.isnan(change)
        cols: dict[str, Any] = {
            "代码 code": [*units, "平均 mean"],
            "名称 name": [*(b.data.names[pos[u]] for u in units), "—"],
            f"指数变化 index change ({e} − {s})": [*change.tolist(),
                                                  float(change[ok].mean()) if ok.any() else None],
        }
        for k, area in enumerate(areas):
            col = c[:, k]
            cols[f"{area} 贡献 contribution"] = [*col.tolist(),
                                               float(col[ok].mean()) if ok.any() else None]
        return Table.from_columns(
            cols, title=f"指数变化分解 / index change {s}→{e} by area (contributions sum to "
            "the change)")

    def entering_leaving(self) -> Table:
        """Units entering or leaving, per pair of consecutive years.

        Entering: present in a year, absent the year before; leaving: the reverse.
        """
        rows: dict[str, list[Any]] = {"年份 years": [], "代码 code": [], "名称 name": [],
                                      "变动 event": []}
        for s, e in zip(self.years, self.years[1:], strict=False):
            a, b = self.evaluations[s], self.evaluations[e]
            sa, sb = set(a.units), set(b.units)
            for ev, units, src in (("进入 entering", sorted(sb - sa), b),
                                   ("退出 leaving", sorted(sa - sb), a)):
                pos = {u: i for i, u in enumerate(src.units)}
                for u in units:
                    rows["年份 years"].append(f"{s}→{e}")
                    rows["代码 code"].append(u)
                    rows["名称 name"].append(src.data.names[pos[u]])
                    rows["变动 event"].append(ev)
        return Table.from_columns(rows, title="进入与退出 / units entering and leaving")

    def renamed_codes(self) -> Table:
        """Return the code changes the crosswalk applied, per year."""
        rows: dict[str, list[Any]] = {"年份 year": [], "原代码 old code": [],
                                      "面板代码 panel code": []}
        for y in self.years:
            for old, new in sorted(self.renamed.get(y, {}).items()):
                rows["年份 year"].append(y)
                rows["原代码 old code"].append(old)
                rows["面板代码 panel code"].append(new)
        return Table.from_columns(rows, title="代码对照 / crosswalk applied")

    def transitions(self, *, by: str | None = None) -> Transitions | dict[str, Transitions]:
        """Markov transition counts of grade classes over consecutive years.

        Over every pair of consecutive years; ``by`` = a grouping column (e.g.
        ``"region"``) for one matrix per group (a unit's group in the later year).
        """
        g = self.methodology.grading
        labels = tuple(f"{z} / {en}" for z, en in zip(g.labels_zh, g.labels_en, strict=True))
        k = len(labels)
        pairs = tuple(zip(self.years, self.years[1:], strict=False))
        if not pairs:
            raise PanelError("面板只有一年 / the panel has a single year: no transitions")
        starts, ends, groups = [], [], []
        for s, e in pairs:
            a, b = self.evaluations[s], self.evaluations[e]
            ia, ib = align(a.units, b.units)
            starts.append(a.grade_codes[ia])
            ends.append(b.grade_codes[ib])
            if by is not None:
                codes, labs = b.data.group_codes(by)
                groups.append(np.array([labs[c] if c >= 0 else "" for c in codes[ib]],
                                       dtype=object))
        st = np.concatenate(starts).astype(np.intp)
        en = np.concatenate(ends).astype(np.intp)
        if by is None:
            n_skip = int(((st < 0) | (en < 0)).sum())
            return Transitions(labels, transition_counts(st, en, k), pairs, n_skip)
        grp = np.concatenate(groups)
        out: dict[str, Transitions] = {}
        for lab in sorted(set(grp.tolist()) - {""}):
            sel = grp == lab
            n_skip = int(((st[sel] < 0) | (en[sel] < 0)).sum())
            out[lab] = Transitions(labels, transition_counts(st[sel], en[sel], k), pairs,
                                   n_skip, group=lab)
        return out

    def table(self) -> Table:
        """Long format: one row per unit and year (index score, rank, grade)."""
        cols: dict[str, list[Any]] = {"年份 year": [], "代码 code": [], "名称 name": [],
                                      "得分 score": [], "排名 rank": [], "等级 grade": []}
        for y in self.years:
            ev = self.evaluations[y]
            n = len(ev.units)
            cols["年份 year"] += [y] * n
            cols["代码 code"] += list(ev.units)
            cols["名称 name"] += list(ev.data.names)
            cols["得分 score"] += ev.index.tolist()
            cols["排名 rank"] += ev.rank.tolist()
            cols["等级 grade"] += list(ev.grade_labels())
        return Table.from_columns(cols, title=f"面板 / panel {self.years[0]}–{self.years[-1]}")
