"""Evaluation results as export tables and pandas frames.

In one naming scheme (:mod:`xiangcun_eval.export.columns`).

* :func:`unit_table` — one row per unit in rank order: identification,
  grade, index score and rank, ranks within groups, then score and rank of
  every aggregate node (what CSV and the ranking sheet hold);
* :func:`level_table` — scores (or ranks) of the nodes of one level;
* :func:`long_table` — one row per unit and node (tidy / long form);
* :func:`weights_table` — nominal (within-group) and effective weight of
  every node;
* :func:`to_pandas` — any of these as a ``DataFrame`` indexed by unit code,
  with nullable integer ranks, ordered categorical grades and, on request, a
  column ``MultiIndex`` (level, node, measure).

Text cells of pandas frames are neutralised against formula injection
(:func:`xiangcun_eval.io.safety.neutralise`), so a frame written on with
``DataFrame.to_excel`` / ``to_csv`` is safe too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._optional import require
from ..io.safety import neutralise_all
from ..table import Column, Table
from .columns import Lang, check_lang, code_of, fixed, node_column

if TYPE_CHECKING:
    from ..results import Evaluation

__all__ = [
    "grade_names",
    "ints",
    "level_name",
    "level_table",
    "long_table",
    "rank_order",
    "to_pandas",
    "unit_table",
    "weights_table",
]

F64 = NDArray[np.float64]
PandasKind = Literal["units", "levels", "long", "weights"]


def rank_order(ev: Evaluation) -> NDArray[np.intp]:
    """Return unit positions in rank order (missing ranks last, ties by unit code)."""
    r = ev.rank
    order: NDArray[np.intp] = np.lexsort((np.asarray(ev.units), np.where(np.isnan(r), np.inf, r)))
    return order


def grade_names(ev: Evaluation, lang: Lang = "zh") -> tuple[str, ...]:
    """Grade band names, best first, in ``lang`` (``zh``: 高 ...; else English)."""
    g = ev.methodology.grading
    return tuple(g.labels_zh if lang == "zh" else g.labels_en)


def ints(a: F64) -> list[int | None]:
    """Integer-valued floats (ranks) as ``int``, NaN as ``None``."""
    return [None if v != v else int(v) for v in a.tolist()]


def _grades(ev: Evaluation, lang: Lang) -> list[str | None]:
    names = grade_names(ev, lang)
    return [None if c < 0 else names[c] for c in ev.grade_codes.tolist()]


def level_name(ev: Evaluation, level: int, lang: Lang = "zh") -> str:
    """Name of a framework level.

    指数 / 领域 / 任务 / 指标 for a four-level framework, else ``第k级``.
    """
    top = ev.framework.max_level
    zh_names = {top: "指数", 1: "指标"}
    en_names = {top: "index", 1: "indicators"}
    if top == 4:
        zh_names |= {3: "领域", 2: "任务"}
        en_names |= {3: "areas", 2: "tasks"}
    if lang == "zh":
        return zh_names.get(level, f"第{level}级")
    return en_names.get(level, f"level {level}")


def _unit_id_columns(ev: Evaluation, lang: Lang, idx: NDArray[np.intp]) -> dict[str, Column]:
    cols: dict[str, Column] = {
        fixed("code").label(lang): [ev.units[i] for i in idx],
        fixed("name").label(lang): [ev.data.names[i] for i in idx],
    }
    for key in ("province", "region"):
        if key in ev.data.groups:
            col = ev.data.groups[key]
            cols[fixed(key).label(lang)] = [col[i] for i in idx]
    return cols


def unit_table(ev: Evaluation, *, lang: str = "zh", nodes: bool = True) -> Table:
    """One row per unit in rank order (see the module docstring)."""
    lg = check_lang(lang)
    fw = ev.framework
    idx = rank_order(ev)
    cols = _unit_id_columns(ev, lg, idx)
    grades = _grades(ev, lg)
    cols[fixed("grade").label(lg)] = [grades[i] for i in idx]
    cols[fixed("score").label(lg)] = ev.index[idx]
    cols[fixed("rank").label(lg)] = ints(ev.rank[idx])
    for key, wr in ev.within_ranks.items():
        cols[fixed(f"rank_in_{key}").label(lg)] = ints(wr[idx])
    if nodes:
        for lev in range(fw.max_level - 1, 1, -1):
            for j, code in enumerate(fw.level_codes(lev)):
                cols[node_column(fw, code, "score").label(lg)] = ev.level_scores[lev - 1][idx, j]
                cols[node_column(fw, code, "rank").label(lg)] = ints(
                    ev.level_ranks[lev - 1][idx, j])
    title = f"{fw.name_zh} / {fw.name_en}" if lg != "code" else fw.code
    return Table.from_columns(cols, title=title)


def level_table(ev: Evaluation, level: int, *, measure: Literal["score", "rank", "value"] = "score",
                lang: str = "zh") -> Table:
    """Scores, ranks or (level 1) raw values of every node at ``level``.

    One row per unit, in rank order.
    """
    lg = check_lang(lang)
    fw = ev.framework
    if not 1 <= level <= fw.max_level:
        raise ValueError(f"层级超出范围 / level {level} outside 1..{fw.max_level}")
    if measure == "value" and level != 1:
        raise ValueError("原始值只在指标层 / raw values exist at level 1 only")
    idx = rank_order(ev)
    cols = _unit_id_columns(ev, lg, idx)
    src: F64
    if measure == "value":
        src = ev.preprocessed.raw
    elif measure == "rank":
        src = ev.level_ranks[level - 1]
    else:
        src = ev.level_scores[level - 1]
    for j, code in enumerate(fw.level_codes(level)):
        name = node_column(fw, code, "normalised" if (measure == "score" and level == 1)
                           else measure).label(lg)
        cols[name] = ints(src[idx, j]) if measure == "rank" else src[idx, j]
    title = f"{level_name(ev, level)} / {level_name(ev, level, 'en')}"
    return Table.from_columns(cols, title=title)


def long_table(ev: Evaluation, *, lang: str = "zh") -> Table:
    """Tidy form: one row per unit and node (every level).

    Columns: level, node code, score and rank.
    """
    lg = check_lang(lang)
    fw = ev.framework
    n = len(ev.units)
    units, levels, nodes, scores, ranks = [], [], [], [], []
    for lev in range(fw.max_level, 0, -1):
        codes = fw.level_codes(lev)
        k = len(codes)
        units.append(np.repeat(np.asarray(ev.units), k))
        levels.append(np.full(n * k, lev))
        nodes.append(np.tile(np.asarray(codes), n))
        scores.append(ev.level_scores[lev - 1].reshape(-1))
        ranks.append(ev.level_ranks[lev - 1].reshape(-1))
    return Table.from_columns(
        {
            fixed("code").label(lg): np.concatenate(units),
            fixed("level").label(lg): np.concatenate(levels),
            fixed("node").label(lg): np.concatenate(nodes),
            fixed("score").label(lg): np.concatenate(scores),
            fixed("rank").label(lg): ints(np.concatenate(ranks)),
        },
        title="长表 / long form",
    )


def weights_table(ev: Evaluation, *, lang: str = "zh") -> Table:
    """Every node below the index with its weights.

    Level, parent, the within-group weight used and the effective weight in the
    index (product along the lineage).
    """
    lg = check_lang(lang)
    fw = ev.framework
    eff = ev._effective()
    codes, levels, names, parents, ws, effs = [], [], [], [], [], []
    for plan, w in zip(reversed(ev.plans), reversed(ev.weights), strict=True):
        lev = plan.level - 1
        for j, c in enumerate(plan.child_codes):
            codes.append(c)
            levels.append(lev)
            names.append(fw[c].name_zh if lg == "zh" else fw[c].name_en)
            parents.append(plan.codes[int(plan.membership[j])])
            ws.append(float(w[j]))
            effs.append(float(eff[lev - 1][j]))
    return Table.from_columns(
        {
            fixed("code").label(lg): codes,
            fixed("level").label(lg): levels,
            fixed("name").label(lg): names,
            fixed("parent").label(lg): parents,
            fixed("weight").label(lg): ws,
            fixed("effective_weight").label(lg): effs,
        },
        title="权重 / weights",
    )


def _frame(table: Table, index: str | None) -> Any:
    pd = require("pandas", extra="pandas", feature="to_pandas")
    data: dict[str, Any] = {}
    for name, col in zip(table.columns, table.data, strict=True):
        code = code_of(name)
        if code == "rank" or code.startswith("rank_"):
            data[name] = pd.array([None if v is None else int(v) for v in col], dtype="Int64")
        elif any(isinstance(v, str) for v in col):
            data[name] = neutralise_all(col)
        else:
            data[name] = np.array([np.nan if v is None else v for v in col])
    df = pd.DataFrame(data)
    if index is not None:
        df = df.set_index(index)
    return df


def to_pandas(ev: Evaluation, kind: str = "units", *, lang: str = "zh",
              multiindex: bool = False) -> Any:
    """Return a ``pandas.DataFrame`` of the evaluation (``pandas`` extra).

    Parameters
    ----------
    kind
        ``"units"``: :func:`unit_table` indexed by unit code, ranks as
        nullable ``Int64``, grade as an ordered ``Categorical`` (worst < best);
        ``"levels"``: every node's score and rank with a column
        ``MultiIndex`` (level, node, measure); ``"long"``: :func:`long_table`
        indexed by (unit, node); ``"weights"``: :func:`weights_table` indexed
        by node code.
    lang
        Column naming: ``"zh"``, ``"en"`` or ``"code"``.
    multiindex
        With ``kind="units"``, the node columns as a (level, node, measure)
        ``MultiIndex`` (same as ``kind="levels"`` plus the unit columns).
    """
    lg = check_lang(lang)
    pd = require("pandas", extra="pandas", feature="to_pandas")
    code_col, node_col = fixed("code").label(lg), fixed("node").label(lg)
    if kind == "weights":
        return _frame(weights_table(ev, lang=lg), code_col)
    if kind == "long":
        df = _frame(long_table(ev, lang=lg), None)
        return df.set_index([code_col, node_col])
    if kind not in ("units", "levels"):
        raise ValueError(f"未知类型 / unknown kind {kind!r}: units, levels, long or weights")
    df = _frame(unit_table(ev, lang=lg), code_col)
    grade_col = fixed("grade").label(lg)
    cats = list(reversed(grade_names(ev, lg)))
    df[grade_col] = pd.Categorical(df[grade_col], categories=cats, ordered=True)
    if kind == "units" and not multiindex:
        return df
    fw = ev.framework
    tuples = []
    keep = []
    for name in df.columns:
        code = code_of(name)
        measure, _, node = code.partition("_")
        if node and node in fw and measure in ("score", "rank"):
            lev = fw[node].level
            tuples.append((f"{level_name(ev, lev, lg)} {lev}" if lg == "zh"
                           else f"{level_name(ev, lev, 'en')} {lev}",
                           fw[node].name_zh + " " + node if lg == "zh"
                           else (node if lg == "code" else fw[node].name_en + " " + node),
                           fixed(measure).label(lg)))
            keep.append(name)
    nodes_df = df[keep].copy()
    nodes_df.columns = pd.MultiIndex.from_tuples(tuples, names=["level", "node", "measure"])
    if kind == "levels":
        return nodes_df
    rest = df.drop(columns=keep)
    rest.columns = pd.MultiIndex.from_tuples([("", "", c) for c in rest.columns],
                                             names=["level", "node", "measure"])
    return pd.concat([rest, nodes_df], axis=1)
