"""Built-in report sections.

Summary, data and method, overall results, areas, target attainment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ...export.frames import grade_names, level_name, rank_order
from ...inputs.quarantine import QuarantineReport
from ...table import Table
from ..model import Block, Bullets, Heading, Paragraph, TableBlock
from ..registry import ReportInputs, section
from ._util import chart_block


def grade_counts(inputs: ReportInputs) -> list[tuple[str, int]]:
    """(label, count) of every grade band, best first, then missing."""
    ev = inputs.evaluation
    g = ev.methodology.grading
    counts = Counter(ev.grade_codes.tolist())
    out = [(f"{z} / {e}", counts.get(i, 0))
           for i, (z, e) in enumerate(zip(g.labels_zh, g.labels_en, strict=True))]
    if counts.get(-1):
        out.append(("无得分 / no score", counts[-1]))
    return out


def _unit_rows(inputs: ReportInputs, idx: np.ndarray) -> Table:
    ev = inputs.evaluation
    grades = grade_names(ev)
    cols: dict[str, list[object]] = {
        "排名 rank": [None if np.isnan(ev.rank[i]) else int(ev.rank[i]) for i in idx],
        "代码 code": [ev.units[i] for i in idx],
        "名称 name": [ev.data.names[i] for i in idx],
    }
    if "province" in ev.data.groups:
        cols["省份 province"] = [ev.data.groups["province"][i] for i in idx]
    cols["得分 score"] = [float(ev.index[i]) for i in idx]
    cols["等级 grade"] = [grades[c] if c >= 0 else "—" for c in ev.grade_codes[idx]]
    return Table.from_columns(cols)


@section("summary", order=10, title="摘要 / Summary")
def summary(inputs: ReportInputs) -> Sequence[Block]:
    """Build the summary: framework, units, mean and median index, top three, grades."""
    ev = inputs.evaluation
    fw = ev.framework
    n = len(ev.units)
    year = f"{ev.data.year} 年" if ev.data.year else ""
    order = rank_order(ev)
    top3 = "、".join(ev.data.names[i] for i in order[:3])
    ok = ev.index[~np.isnan(ev.index)]
    grades = "; ".join(f"{lab}: {c}" for lab, c in grade_counts(inputs))
    notes = sorted({x for x in ev.data.groups.get("data_note", ()) if x})
    blocks: list[Block] = [
        Paragraph(
            f"本报告按“{fw.name_zh}”对 {year}{n} 个单位进行评价, "
            f"方法设定为“{ev.methodology.name}”。"
            f"综合得分均值 {ok.mean():.2f}, 中位数 {np.median(ok):.2f}; 前三名为 {top3}。"
            f" / This report evaluates {n} units with the framework “{fw.name_en}” and the "
            f"methodology “{ev.methodology.name}”: mean index score {ok.mean():.2f}, median "
            f"{np.median(ok):.2f}."
        ),
        Bullets((f"等级分布 / grade distribution: {grades}",)),
    ]
    if notes:
        blocks.append(Paragraph("数据说明 / data note: " + "; ".join(notes[:3]), style="note"))
    return blocks


@section("data", order=20, title="数据与方法 / Data and method")
def data_and_method(inputs: ReportInputs) -> Sequence[Block]:
    """Build the data-and-method section: framework, units, missing share, every stage's method."""
    ev = inputs.evaluation
    fw = ev.framework
    m = ev.methodology
    raw = ev.preprocessed.raw
    missing = float(np.isnan(raw).mean())
    levels = ", ".join(f"{level_name(ev, k)} {len(fw.level_codes(k))}"
                       for k in range(fw.max_level - 1, 0, -1))
    items = [
        f"指标体系 / framework: {fw.name_zh} ({fw.code}); {levels}",
        f"单位 / units: {len(ev.units)}" + (f", {ev.data.year} 年 / year" if ev.data.year else ""),
        f"缺失值比例 / share of missing values: {missing:.1%}",
        f"插补 / imputation: {m.impute.method}; 异常值处理 / outlier treatment: {m.treat.method}",
        f"标准化 / normalisation: {m.normalise.method} {m.normalise.params or ''}".rstrip(),
        "权重 / weights: " + "; ".join(
            f"{level_name(ev, p.level)} {p.weight_spec.method}" for p in ev.plans),
        "合成 / aggregation: " + "; ".join(
            f"{level_name(ev, p.level)} {p.aggregate_spec.method}" for p in ev.plans),
        "分级 / grading: " + ", ".join(
            f"{z} ≥ {t:g}" for z, t in zip(m.grading.labels_zh, m.grading.thresholds,
                                           strict=False))
        + (" (分位数 / quantiles)" if m.grading.kind == "quantiles" else ""),
    ]
    problems = inputs.extra.get("problems")
    if isinstance(problems, QuarantineReport):
        n, ok = problems.n_rows, problems.n_accepted
        items.append(f"数据校验 / validation: 读入 {n} 行, 接受 {ok} 行, 拒收 {n - ok} 行 / "
                     f"{n} rows read, {ok} accepted, {n - ok} rejected")
    return [Bullets(tuple(items))]


@section("results", order=30, title="总体结果 / Overall results")
def overall(inputs: ReportInputs) -> Sequence[Block]:
    """Build the overall results: grades, top and bottom units, charts, summaries by group."""
    ev = inputs.evaluation
    order = rank_order(ev)
    order = order[~np.isnan(ev.rank[order])]
    k = min(inputs.top, order.size)
    blocks: list[Block] = [Heading("等级分布 / grade distribution")]
    blocks.append(TableBlock(Table.from_columns({
        "等级 grade": [lab for lab, _ in grade_counts(inputs)],
        "数量 n": [c for _, c in grade_counts(inputs)],
        "占比 share": [f"{c / max(len(ev.units), 1):.1%}" for _, c in grade_counts(inputs)],
    }), "各等级单位数 / units per grade"))
    blocks.append(Heading(f"前 {k} 名与后 {k} 名 / top and bottom {k}"))
    blocks.append(TableBlock(_unit_rows(inputs, order[:k]), f"前 {k} 名 / top {k}"))
    blocks.append(TableBlock(_unit_rows(inputs, order[::-1][:k][::-1]), f"后 {k} 名 / bottom {k}"))
    blocks += chart_block(inputs, lambda: _ranking(inputs), f"排名前 {min(20, k * 2)} 位 / top "
                          f"{min(20, k * 2)}")
    for key in ("province", "region"):
        if key not in ev.data.groups:
            continue
        zh = {"province": "分省", "region": "分区域"}[key]
        blocks.append(Heading(f"{zh}结果 / results by {key}"))
        roll = ev.rollup(key, level=ev.framework.max_level)
        blocks.append(TableBlock(roll, f"{zh}汇总 / summary by {key}"))
        if key == "province":
            blocks += chart_block(inputs, lambda: _grades(inputs), "各省等级构成 / grade "
                                  "composition by province")
        else:
            blocks += chart_block(inputs, lambda: _kde(inputs), "按区域的得分分布 / score "
                                  "distribution by region")
    full = ev.ranking()
    blocks.append(Heading("完整排名 / full ranking"))
    blocks.append(TableBlock(full, "完整排名 (可点击表头排序) / full ranking (click a header to "
                             "sort)", sortable=True, max_rows=None))
    return blocks


def _ranking(inputs: ReportInputs) -> object:
    from ...plot.charts import ranking_chart

    return ranking_chart(inputs.evaluation, top=min(20, inputs.top * 2),
                         uncertainty=inputs.uncertainty)


def _grades(inputs: ReportInputs) -> object:
    from ...plot.charts import grade_composition

    return grade_composition(inputs.evaluation)


def _kde(inputs: ReportInputs) -> object:
    from ...plot.charts import score_distribution

    return score_distribution(inputs.evaluation, by="region")


@section("areas", order=40, title="分领域结果 / Results by area")
def areas(inputs: ReportInputs) -> Sequence[Block] | None:
    """Build the results-by-area section (the level below the index); ``None`` if there is none."""
    ev = inputs.evaluation
    fw = ev.framework
    lev = fw.max_level - 1
    if lev < 1:
        return None
    codes = fw.level_codes(lev)
    s = ev.level_scores[lev - 1]
    mean = np.nanmean(s, axis=0)
    sd = np.nanstd(s, axis=0)
    best = [ev.data.names[int(np.nanargmax(s[:, j]))] if np.any(~np.isnan(s[:, j])) else "—"
            for j in range(len(codes))]
    table = Table.from_columns({
        "代码 code": list(codes),
        "名称 name": [fw[c].name_zh for c in codes],
        "均值 mean": mean, "标准差 sd": sd,
        "最低 min": np.nanmin(s, axis=0), "最高 max": np.nanmax(s, axis=0),
        "最高者 best": best,
    })
    hi, lo = int(np.nanargmax(mean)), int(np.nanargmin(mean))
    blocks: list[Block] = [
        Paragraph(f"{level_name(ev, lev)}中平均得分最高的是“{fw[codes[hi]].name_zh}”"
                  f"({mean[hi]:.1f}), 最低的是“{fw[codes[lo]].name_zh}”({mean[lo]:.1f})。 / "
                  f"Highest mean: {fw[codes[hi]].name_en} ({mean[hi]:.1f}); lowest: "
                  f"{fw[codes[lo]].name_en} ({mean[lo]:.1f})."),
        TableBlock(table, f"各{level_name(ev, lev)}得分 / scores by {level_name(ev, lev, 'en')}"),
    ]
    top_unit = ev.units[int(rank_order(ev)[0])]
    blocks += chart_block(inputs, lambda: _profile(inputs, top_unit),
                          f"第一名 {top_unit} 的{level_name(ev, lev)}画像 / profile of the "
                          "first-ranked unit", width_cm=12)
    blocks += chart_block(inputs, lambda: _corr(inputs), "指标相关系数 / indicator correlations")
    return blocks


def _profile(inputs: ReportInputs, unit: str) -> object:
    from ...plot.charts import profile_chart

    return profile_chart(inputs.evaluation, unit)


def _corr(inputs: ReportInputs) -> object:
    from ...plot.charts import correlation_heatmap

    return correlation_heatmap(inputs.evaluation)


@section("attainment", order=50, title="目标达成 / Target attainment")
def attainment(inputs: ReportInputs) -> Sequence[Block] | None:
    """Build the target-attainment section; ``None`` when no indicator has a target."""
    ev = inputs.evaluation
    t = ev.attainment_table()
    if len(t) == 0:
        return None
    share_col = next(c for c in t.columns if "share" in c)
    ref_col = next((c for c in t.columns if c.endswith("reference")), None)
    refs = t.column(ref_col) if ref_col else ("目标值 target",) * len(t)
    blocks: list[Block] = []
    for zh, en, key in (("目标值", "targets", "target"), ("基准值", "benchmarks", "benchmark")):
        shares = [v for v, r in zip(t.column(share_col), refs, strict=True)
                  if v is not None and key in str(r)]
        if shares:
            blocks.append(Paragraph(
                f"{len(shares)} 项指标对照{zh}, 平均达到比例 {np.mean(shares):.1%}。 / "
                f"{len(shares)} indicators compared with {en}; mean share of units reaching "
                f"them {np.mean(shares):.1%}."))
    blocks.append(TableBlock(t, "各指标的目标与基准达成情况 / attainment of targets and "
                             "benchmarks per indicator"))
    return blocks
