"""Results of an evaluation: the immutable :class:`Evaluation`.

An evaluation holds the scores of every node of the framework for every
unit, ranks (overall and within grouping columns), grades, the weights
actually used, every intermediate data set, and what produced them
(methodology, framework and data digests, library version).  Accessors
return labelled :class:`~xiangcun_eval.table.Table` objects or plain arrays.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from . import attainment as _attainment
from . import explain as _explain
from ._version import __version__
from .comparison import compare
from .errors import OptionError
from .framework.model import Framework
from .inputs.codes import find_province
from .inputs.data import UnitData
from .io.files import write_text_atomic
from .methodology import GradingSpec, Methodology
from .methods import rank as _rank
from .methods import weights as _weights
from .methods._deprecated import warn_renamed
from .table import Column, Table

if TYPE_CHECKING:
    from .pipeline import LevelPlan, Preprocessed

__all__ = ["Evaluation", "compare"]

F64 = NDArray[np.float64]


def _ro(a: NDArray[Any]) -> NDArray[Any]:
    """Read-only view (the pipeline hands over arrays nobody else holds)."""
    v = a.view()
    v.setflags(write=False)
    return v


def ranks_of(scores: F64) -> F64:
    """Ranks down the unit axis of a ``(..., n_units, n_nodes)`` array."""
    r: F64 = np.swapaxes(_rank.rank_desc(np.swapaxes(scores, -1, -2), axis=-1), -1, -2)
    return r


def grade_scores(index: F64, spec: GradingSpec) -> NDArray[np.intp]:
    """Grade codes (0 = best band; -1 = missing score) of index scores.

    ``index`` may carry leading replicate axes; units are on the last axis.
    """
    if spec.kind == "quantiles":
        return _rank.grade_by_quantile(index, spec.thresholds)
    return _rank.grade(index, spec.thresholds)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Scores, ranks and grades of every unit at every level.

    Use :func:`xiangcun_eval.evaluate` to build one.  All arrays are
    read-only; level ``1`` is the normalised indicators, level
    ``framework.max_level`` the index.
    """

    data: UnitData
    methodology: Methodology
    level_scores: tuple[F64, ...]
    index_rank: F64
    weights: tuple[F64, ...]
    """Children weights of levels 2..max, normalised within each group."""
    grade_codes: NDArray[np.intp]
    within_ranks: Mapping[str, F64]
    """Grouping column -> ranks of the index within each group."""
    preprocessed: Preprocessed = field(repr=False)
    plans: tuple[LevelPlan, ...] = field(repr=False)
    version: str = __version__

    @functools.cached_property
    def level_ranks(self) -> tuple[F64, ...]:
        """Ranks of every node at every level.

        Computed on first use: ranking every indicator of a large unit set costs
        more than the evaluation.
        """
        out = [_ro(ranks_of(s)) for s in self.level_scores[:-1]]
        out.append(_ro(self.index_rank[:, None]))
        return tuple(out)

    @functools.cached_property
    def framework_digest(self) -> str:
        """SHA-256 of the framework (computed on first use)."""
        return self.data.framework.digest()

    @functools.cached_property
    def data_digest(self) -> str:
        """SHA-256 of the data: units, groups and exact values (computed on first use)."""
        return self.data.digest()

    @functools.cached_property
    def methodology_digest(self) -> str:
        """SHA-256 of the methodology (computed on first use)."""
        return self.methodology.digest()

    @classmethod
    def build(
        cls,
        *,
        data: UnitData,
        methodology: Methodology,
        pre: Preprocessed,
        plans: Sequence[LevelPlan],
        weights: Sequence[F64],
        scores: Sequence[F64],
    ) -> Evaluation:
        """Assemble an :class:`Evaluation` from the pipeline's outputs.

        Index ranks, ranks within the ``methodology.ranking.within`` grouping columns
        (default ``province`` and ``region`` where present, else every grouping column)
        and grade codes are computed here; every array is stored read-only.
        """
        index = scores[-1][:, 0]
        within_keys = methodology.ranking.within
        if within_keys is None:
            default = tuple(k for k in ("province", "region") if k in data.groups)
            within_keys = default or tuple(data.groups)
        within: dict[str, F64] = {}
        for key in within_keys:
            codes, labels = data.group_codes(key)
            within[key] = _ro(_rank.rank_within(index, codes, len(labels)))
        return cls(
            data=data,
            methodology=methodology,
            level_scores=tuple(_ro(s) for s in scores),
            index_rank=_ro(_rank.rank_desc(index)),
            weights=tuple(_ro(w) for w in weights),
            grade_codes=_ro(grade_scores(index, methodology.grading)),
            within_ranks=MappingProxyType(within),
            preprocessed=pre,
            plans=tuple(plans),
        )

    # ------------------------------------------------------------------ basics
    @property
    def framework(self) -> Framework:
        """The framework the data was read against."""
        return self.data.framework

    @property
    def units(self) -> tuple[str, ...]:
        """Unit codes in data order (the order of every per-unit array)."""
        return self.data.units

    @property
    def index(self) -> F64:
        """Index score of every unit (NaN = not computable)."""
        return self.level_scores[-1][:, 0]

    @property
    def rank(self) -> F64:
        """Index rank of every unit (1 = best, ties min, NaN kept)."""
        return self.index_rank

    def __repr__(self) -> str:
        return (
            f"Evaluation(framework={self.framework.code!r}, units={len(self.units)}, "
            f"levels={self.framework.max_level}, methodology={self.methodology.name!r})"
        )

    def _locate(self, code: str) -> tuple[int, int]:
        node = self.framework[code]
        return node.level, self.framework.level_codes(node.level).index(code)

    def score(self, code: str) -> F64:
        """Scores of one node (indicator: normalised value) across units."""
        lev, j = self._locate(code)
        return self.level_scores[lev - 1][:, j]

    def ranks(self, code: str) -> F64:
        """Ranks of one node across units."""
        lev, j = self._locate(code)
        return self.level_ranks[lev - 1][:, j]

    def grade_labels(self) -> tuple[str, ...]:
        """Bilingual grade label per unit ("高 / high"; "—" when the score is missing)."""
        g = self.methodology.grading
        return tuple(
            "—" if c < 0 else f"{g.labels_zh[c]} / {g.labels_en[c]}"
            for c in self.grade_codes.tolist()
        )

    def _unit_cols(self) -> dict[str, Column]:
        cols: dict[str, Column] = {"代码 code": self.units, "名称 name": self.data.names}
        for key in ("province", "region"):
            if key in self.data.groups:
                zh = {"province": "省份", "region": "地区"}[key]
                cols[f"{zh} {key}"] = self.data.groups[key]
        return cols

    # ------------------------------------------------ deprecated names (until 0.3)
    def scores(self, level: int | None = None, *, ranks: bool = False) -> Table:
        """Return :meth:`score_table`, with a DeprecationWarning (deprecated alias)."""
        warn_renamed("Evaluation.scores()", "Evaluation.score_table()")
        return self.score_table(level, ranks=ranks)

    def effective_weights(self) -> Table:
        """Return :meth:`effective_weight_table`, with a DeprecationWarning (deprecated alias)."""
        warn_renamed("Evaluation.effective_weights()", "Evaluation.effective_weight_table()")
        return self.effective_weight_table()

    def attainment(self) -> Table:
        """Return :meth:`attainment_table`, with a DeprecationWarning (deprecated alias)."""
        warn_renamed("Evaluation.attainment()", "Evaluation.attainment_table()")
        return self.attainment_table()

    def contributions(self, unit: str) -> Table:
        """Return :meth:`contribution_table`, with a DeprecationWarning (deprecated alias)."""
        warn_renamed("Evaluation.contributions()", "Evaluation.contribution_table()")
        return self.contribution_table(unit)

    # ------------------------------------------------------------------ tables
    def score_table(self, level: int | None = None, *, ranks: bool = False) -> Table:
        """Scores (or ranks) of every node at ``level`` for every unit.

        ``level`` defaults to every aggregate level, index first.
        """
        fw = self.framework
        levels = [level] if level is not None else list(range(fw.max_level, 1, -1))
        src = self.level_ranks if ranks else self.level_scores
        cols = dict(self._unit_cols())
        for lev in levels:
            for j, code in enumerate(fw.level_codes(lev)):
                cols[f"{fw[code].name_zh} {code}"] = src[lev - 1][:, j]
        what = "排名 ranks" if ranks else "得分 scores"
        return Table.from_columns(cols, title=f"{what} — {fw.name_zh} / {fw.name_en}")

    def ranking(
        self, top: int | None = None, *, by: str | None = None, group: str | None = None
    ) -> Table:
        """Units ordered by index rank, with score and grade.

        Parameters
        ----------
        top
            Keep the first ``top`` rows.
        by
            Node code to rank by (default the index).
        group
            Keep only units whose ``province`` (or another grouping column
            given as ``"column=value"``) matches, e.g. ``"province=浙江"``.
        """
        fw = self.framework
        code = by or fw.root.code
        if top is not None and (isinstance(top, bool) or not isinstance(top, int | np.integer)
                                or top < 0):
            raise OptionError(f"top 须为非负整数,而不是 {top!r} / top must be a non-negative "
                              f"integer, not {top!r}")
        s, r = self.score(code), self.ranks(code)
        idx = np.flatnonzero(self.selection(group))
        order = idx[
            np.lexsort((np.array(self.units)[idx], np.where(np.isnan(r[idx]), np.inf, r[idx])))
        ]
        if top is not None:
            order = order[:top]
        base = self._unit_cols()
        cols: dict[str, Column] = {"排名 rank": r[order]}
        cols.update({k: [v[i] for i in order] for k, v in base.items()})
        cols[f"得分 score ({code})"] = s[order]
        if code == fw.root.code:
            labels = self.grade_labels()
            cols["等级 grade"] = [labels[i] for i in order]
            for key, wr in self.within_ranks.items():
                cols[f"组内排名 rank in {key}"] = wr[order]
        title = f"排名 ranking — {fw[code].name_zh} / {fw[code].name_en}"
        return Table.from_columns(cols, title=title)

    def selection(self, group: str | None) -> NDArray[np.bool_]:
        """Units in ``group`` (``"province=浙江"``, ``"浙江"``, ``"region=东部"``), as a mask.

        A province is matched by its Chinese full or short name, English name
        or pinyin; other grouping columns by prefix of their value.

        Raises
        ------
        OptionError
            Unknown grouping column, unknown province (with suggestions), or
            no unit in the selection.
        """
        if group is None:
            return np.ones(len(self.units), dtype=bool)
        key, _, val = group.partition("=")
        if not val:
            key, val = "province", key
        col = self.data.groups.get(key)
        if col is None:
            raise OptionError(f"没有分组列 {key!r}(现有: {sorted(self.data.groups)})/ no grouping "
                              f"column {key!r}; available: {sorted(self.data.groups)}")
        arr = np.asarray(col, dtype=str)
        if key == "province":
            mask = np.asarray(arr == find_province(val).name_zh, dtype=bool)
        else:
            mask = np.asarray(np.char.startswith(arr, val), dtype=bool)
        if not mask.any():
            raise OptionError(f"{key} = {val!r} 下没有单位 / no unit has {key} = {val!r}")
        return mask

    def effective_weight_table(self) -> Table:
        """Effective weight of every node in the index (COINr ``get_eff_weights``).

        The product of the within-group weights along the node's lineage.
        """
        fw = self.framework
        eff = self._effective()
        codes, levels, names, vals = [], [], [], []
        for lev in range(fw.max_level, 0, -1):
            for j, c in enumerate(fw.level_codes(lev)):
                codes.append(c)
                levels.append(lev)
                names.append(fw[c].label)
                vals.append(float(eff[lev - 1][j]))
        return Table.from_columns(
            {
                "代码 code": codes,
                "层级 level": levels,
                "名称 name": names,
                "有效权重 effective weight": vals,
            },
            title="有效权重 / effective weights",
        )

    def _effective(self) -> list[F64]:
        ws = [*self.weights, np.ones(1)]
        return _weights.effective_weights(ws, [p.membership for p in self.plans])

    # ------------------------------------------------------------ attainment
    def attainment_table(self) -> Table:
        """Target and benchmark attainment, labelled apart.

        See :func:`xiangcun_eval.attainment.attainment_table`.
        """
        return _attainment.attainment_table(self)

    def attainment_matrix(
        self, kind: Literal["target", "benchmark"] = "target"
    ) -> tuple[tuple[str, ...], F64, F64, NDArray[np.bool_]]:
        """Per-unit values, gaps and attainment.

        See :func:`xiangcun_eval.attainment.attainment_matrix`.
        """
        return _attainment.attainment_matrix(self, kind)

    # ----------------------------------------------------------------- rollups
    def rollup(self, by: str = "province", level: int | None = None) -> Table:
        """Mean, median and count of the index per group.

        Also of the nodes at ``level`` (default the level just below the index).
        """
        fw = self.framework
        codes, labels = self.data.group_codes(by)
        lev = fw.max_level - 1 if level is None else level
        nodes = [(fw.root.code, self.index)]
        if lev >= 1 and lev < fw.max_level:
            nodes += [
                (c, self.level_scores[lev - 1][:, j]) for j, c in enumerate(fw.level_codes(lev))
            ]
        cols: dict[str, list[Any]] = {f"分组 {by}": list(labels), "数量 n": []}
        for g in range(len(labels)):
            cols["数量 n"].append(int((codes == g).sum()))
        for code, s in nodes:
            means, meds = [], []
            for g in range(len(labels)):
                v = s[(codes == g) & ~np.isnan(s)]
                means.append(float(v.mean()) if v.size else np.nan)
                meds.append(float(np.median(v)) if v.size else np.nan)
            cols[f"均值 mean {code}"] = means
            cols[f"中位数 median {code}"] = meds
        return Table.from_columns(cols, title=f"分组汇总 / rollup by {by}")

    # ----------------------------------------------------------- explanations
    def contribution_table(self, unit: str) -> Table:
        """Each indicator's contribution to one unit's index score.

        See :func:`xiangcun_eval.explain.contribution_table`.
        """
        return _explain.contribution_table(self, unit)

    def profile(self, unit: str, k: int = 5) -> Table:
        """Strengths and weaknesses (优势与短板) of one unit.

        See :func:`xiangcun_eval.explain.profile`.
        """
        return _explain.profile(self, unit, k)

    def treatment_report(self) -> Table:
        """Tabulate what outlier treatment changed, per treated indicator, and why.

        One row per indicator a treatment method was applied to.
        """
        fw = self.framework
        cols: dict[str, list[Any]] = {"代码 code": [], "名称 name": []}
        for rec in self.preprocessed.treatment:
            cols["代码 code"].append(fw.indicator_codes[rec.col])
            cols["名称 name"].append(fw.indicators[rec.col].name_zh)
            for f in dataclasses.fields(rec):
                if f.name == "col":
                    continue
                v = getattr(rec, f.name)
                if isinstance(v, np.ndarray | list | tuple):
                    v = len(v)
                cols.setdefault(f.name, []).append(v)
        return Table.from_columns(cols, title="异常值处理 / outlier treatment")

    def imputation_report(self) -> Table:
        """Count the imputed values per indicator."""
        m = self.preprocessed.imputed_mask
        fw = self.framework
        return Table.from_columns(
            {
                "代码 code": fw.indicator_codes,
                "名称 name": [i.label for i in fw.indicators],
                "插补数 n imputed": m.sum(axis=0).tolist(),
                "缺失数 n missing after": np.isnan(self.preprocessed.imputed).sum(axis=0).tolist(),
            },
            title="插补 / imputation",
        )

    # ----------------------------------------------------------------- export
    def table(self, *, lang: str = "zh") -> Table:
        """One row per unit in rank order: what :meth:`to_csv` writes.

        Grade, index score and rank, ranks within groups, score and rank of every
        aggregate node (columns named by :mod:`xiangcun_eval.export.columns`,
        ``lang`` = ``"zh"``, ``"en"`` or ``"code"``).
        """
        from .export.frames import unit_table

        return unit_table(self, lang=lang)

    def metadata(self) -> dict[str, Any]:
        """Return the provenance: library version, framework, digests, methodology, units, year."""
        return {
            "library": "xiangcun-eval",
            "version": self.version,
            "framework": self.framework.code,
            "framework_digest": self.framework_digest,
            "data_digest": self.data_digest,
            "methodology_digest": self.methodology_digest,
            "methodology": self.methodology.to_dict(),
            "n_units": len(self.units),
            "year": self.data.year,
        }

    def to_csv(self, path: str | Path, *, lang: str = "zh", overwrite: bool = False,
               provenance: bool = True) -> None:
        """Write :meth:`table` as CSV.

        UTF-8 with BOM, rows in rank order, ``# `` header lines with the
        methodology name and digests (unless ``provenance=False``), text
        neutralised against formula injection.  An existing file is replaced
        only with ``overwrite=True``.
        """
        from .export.csv import provenance_lines, write_csv

        write_csv(self.table(lang=lang), path, overwrite=overwrite,
                  comments=provenance_lines(self) if provenance else ())

    def to_json(self, path: str | Path | None = None, *, overwrite: bool = False) -> str:
        """Everything needed to audit the result.

        Metadata, methodology, weights, scores and ranks of every node, grades.
        """
        fw = self.framework
        nodes: dict[str, Any] = {}
        for lev in range(fw.max_level, 0, -1):
            for j, code in enumerate(fw.level_codes(lev)):
                nodes[code] = {
                    "level": lev,
                    "score": _nan_none(self.level_scores[lev - 1][:, j]),
                    "rank": _nan_none(self.level_ranks[lev - 1][:, j]),
                }
        weights = {}
        for plan, w in zip(self.plans, self.weights, strict=True):
            weights.update(dict(zip(plan.child_codes, w.tolist(), strict=True)))
        doc = {
            "metadata": self.metadata(),
            "units": list(self.units),
            "names": list(self.data.names),
            "grades": list(self.grade_labels()),
            "weights": weights,
            "nodes": nodes,
        }
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if path is not None:
            write_text_atomic(path, text, overwrite=overwrite)
        return text

    def to_pandas(self, kind: str = "units", *, lang: str = "zh",
                  multiindex: bool = False) -> Any:
        """Return a ``pandas.DataFrame`` (``pandas`` extra) indexed by unit code.

        With nullable integer ranks and an ordered categorical grade; ``kind`` =
        ``"units"`` (:meth:`table`), ``"levels"`` (column MultiIndex level /
        node / measure), ``"long"`` (one row per unit and node) or
        ``"weights"`` (nominal and effective weights).  See
        :func:`xiangcun_eval.export.frames.to_pandas`.
        """
        from .export.frames import to_pandas

        return to_pandas(self, kind, lang=lang, multiindex=multiindex)

    def to_excel(self, path: str | Path, *, uncertainty: Any = None, sensitivity: Any = None,
                 problems: Any = None, lang: str = "zh", overwrite: bool = False,
                 audit: Any = None) -> Path:
        """Write the Excel workbook (``excel`` extra).

        Ranking, scores by level, normalised and raw indicators, target
        attainment, weights, methodology, data problems and, when given,
        uncertainty and sensitivity results and the audit sheets
        (``audit=xe.audit(ev)``).  See :func:`xiangcun_eval.export.excel.write_excel`.
        """
        from .export.excel import write_excel

        return write_excel(self, path, uncertainty=uncertainty, sensitivity=sensitivity,
                           problems=problems, lang=lang, overwrite=overwrite, audit=audit)

    def to_report(self, path: str | Path, *, uncertainty: Any = None, sensitivity: Any = None,
                  extra: Mapping[str, Any] | None = None, overwrite: bool = False,
                  **options: Any) -> Path:
        """Write the evaluation report (``report`` extra) as Word or HTML.

        Word (``.docx``) or one self-contained HTML file (``.html``): summary,
        data and method, overall results, areas, target attainment, robustness
        (with ``uncertainty`` / ``sensitivity``), methods appendix, charts
        embedded.  See :func:`xiangcun_eval.report.build.write_report` for
        ``options``.
        """
        from .report.build import write_report

        return write_report(self, path, uncertainty=uncertainty, sensitivity=sensitivity,
                            extra=extra, overwrite=overwrite, **options)

    def compare(self, other: Evaluation, code: str | None = None) -> Table:
        """Rank changes per unit between this evaluation and ``other``."""
        return compare(self, other, code)


def _nan_none(a: F64) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in a.tolist()]
