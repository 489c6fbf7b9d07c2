"""Report section "several years" (多年比较).

Drawn when the report inputs carry a :class:`~xiangcun_eval.PanelEvaluation` as
``extra["panel"]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...panel.result import PanelEvaluation
from ...table import Table
from ..model import Block, Paragraph, TableBlock, figure_block
from ..registry import ReportInputs, section

_REFERENCE = {
    "goalposts": "指标体系的固定目标区间 / the framework's fixed goalposts",
    "base": "基期最小/最大值 / the base year's min/max",
    "pooled": "各年合并的最小/最大值 / min/max pooled over the years",
    "per_year": "各年各自的最小/最大值 (水平不可比) / each year's own min/max (levels not "
                "comparable)",
}


@section("panel", order=55, title="多年比较 / Several years")
def panel_section(inputs: ReportInputs) -> Sequence[Block] | None:
    """Build the several-years section from ``inputs.extra["panel"]``; ``None`` without one."""
    panel = inputs.extra.get("panel")
    if not isinstance(panel, PanelEvaluation):
        return None
    s, e = panel.years[0], panel.years[-1]
    blocks: list[Block] = [
        Paragraph(
            f"{s}–{e} 年共 {len(panel.years)} 年, 标准化参照为{_REFERENCE[panel.reference]}"
            f" (基期 {panel.base_year}), 插补 {panel.impute_basis}, 异常值处理 "
            f"{panel.treat_basis}, 权重 {panel.weights_basis}。 / {len(panel.years)} years on "
            f"one reference; imputation, treatment and weights on the stated basis."
        ),
        TableBlock(panel.summary(), "各年指数概况 / the index by year"),
    ]
    if len(panel.years) > 1:
        dec = panel.decomposition(s, e)
        mean = {c: dec.column(c)[-1] for c in dec.columns[2:]}
        blocks.append(TableBlock(
            Table.from_columns({"项目 item": list(mean), "平均 mean": list(mean.values())}),
            f"{s}→{e} 指数平均变化及各领域贡献 / mean index change and area contributions"))
        ch = panel.changes(s, e)
        col = next(c for c in ch.columns if "rank change" in c)
        rc = np.array([np.nan if v is None else v for v in ch.column(col)], dtype=float)
        order = np.argsort(-np.nan_to_num(rc, nan=-np.inf), kind="stable")[:inputs.top]
        keep = [ch.columns[0], ch.columns[1], *[c for c in ch.columns[2:] if "score" in c
                                                 or "rank change" in c]]
        blocks.append(TableBlock(
            Table.from_columns({c: [ch.column(c)[i] for i in order] for c in keep}),
            f"{s}→{e} 排名上升最多的单位 / units that moved up most"))
        tr = panel.transitions()
        if isinstance(tr, dict):  # pragma: no cover - by=None returns one matrix
            return blocks
        blocks.append(TableBlock(tr.table(), "等级转移概率 / grade transition probabilities"))
        if inputs.charts:
            from ...panel.charts import bump_chart, trajectory_chart, transition_heatmap

            blocks.append(figure_block(trajectory_chart(panel, top=inputs.top),
                                       "得分轨迹 / score trajectories"))
            blocks.append(figure_block(bump_chart(panel, top=inputs.top),
                                       "排名变化 / rank bump chart"))
            blocks.append(figure_block(transition_heatmap(tr),
                                       "等级转移概率 / grade transitions", width_cm=11.0))
    return blocks
