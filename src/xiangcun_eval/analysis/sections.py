"""Report sections of the audit and the disparity analysis.

They are registered with :func:`xiangcun_eval.report.registry.section` and apply
when the report inputs carry ``extra={"audit": xe.audit(ev)}`` and/or
``extra={"disparity": xe.analysis.dagum_gini(ev, by="region")}``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..report.model import Block, Bullets, Paragraph, TableBlock, figure_block
from ..report.registry import ReportInputs, section
from .audit import Audit
from .inequality import DagumGini

__all__ = ["audit_section", "disparity_section"]


@section("disparity", order=45, title="区域差异 / Regional disparity")
def disparity_section(inputs: ReportInputs) -> Sequence[Block] | None:
    """Build the disparity section from ``inputs.extra["disparity"]`` (a :class:`DagumGini`).

    Returns the Dagum decomposition text and tables, and the between-group chart
    when charts are on; ``None`` (section left out) without a Dagum result.
    """
    dg = inputs.extra.get("disparity")
    if not isinstance(dg, DagumGini):
        return None
    w, nb, t = (100 * dg.contributions).tolist()
    blocks: list[Block] = [
        Paragraph(
            f"总体基尼系数为 {dg.total:.3f}; 其中组内差异贡献 {w:.1f}%, 组间净差异 {nb:.1f}%, "
            f"超变密度 {t:.1f}% (Dagum 1997 分解)。 / The overall Gini is {dg.total:.3f}: "
            f"within groups {w:.1f}%, net between {nb:.1f}%, transvariation {t:.1f}% "
            "(Dagum 1997)."),
        TableBlock(dg.table(), "Dagum 基尼系数分解 / Dagum decomposition"),
        TableBlock(dg.groups_table(), "组内差异 / within-group Gini"),
    ]
    if inputs.charts:
        from .charts import dagum_chart

        blocks.append(figure_block(dagum_chart(dg), "组间基尼系数 / between-group Gini"))
    return blocks


@section("audit", order=65, title="统计审计 / Statistical audit")
def audit_section(inputs: ReportInputs) -> Sequence[Block] | None:
    """Build the audit section from ``inputs.extra["audit"]`` (an :class:`Audit`).

    Returns the summary counts, correlation flags and reliability per group;
    ``None`` (section left out) without an audit.
    """
    au = inputs.extra.get("audit")
    if not isinstance(au, Audit):
        return None
    summary = au.summary()
    items = tuple(f"{a}: {b}" for a, b in summary.rows())
    return [
        Paragraph(
            "统计审计按 COINr 1.1.14 的定义与默认阈值检查指标分布、数据可得性、相关结构与信度。 / "
            "The audit checks distributions, availability, correlation structure and "
            "reliability with COINr 1.1.14 definitions and thresholds."),
        Bullets(items),
        TableBlock(au.flags(), "相关性标记 / correlation flags", max_rows=40),
        TableBlock(au.reliability(), "信度与主成分 / reliability and PCA per group"),
    ]
