"""Built-in section: methods appendix.

Framework, weights, each method with its formula, versions, digests.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...export.frames import level_name, weights_table
from ...table import Table
from ..methoddoc import describe
from ..model import Block, Bullets, Heading, Paragraph, TableBlock
from ..registry import ReportInputs, section
from ._util import chart_block


def _methods_used(inputs: ReportInputs) -> list[tuple[str, str, str]]:
    """(stage, method name, where) of every method the evaluation used."""
    ev = inputs.evaluation
    m = ev.methodology
    used: list[tuple[str, str, str]] = []
    if m.impute.method != "none":
        used.append(("impute", m.impute.method, "全部指标 / all indicators"))
    if m.treat.method != "none":
        used.append(("treat", m.treat.method, "全部指标 / all indicators"))
    used.append(("normalise", m.normalise.method, "全部指标 / all indicators"))
    for stage, by in (("impute", m.impute_by_indicator), ("treat", m.treat_by_indicator),
                      ("normalise", m.normalise_by_indicator)):
        for code, spec in by.items():
            used.append((stage, spec.method, code))
    for p in ev.plans:
        where = f"{level_name(ev, p.level)} / level {p.level}"
        used.append(("weights", p.weight_spec.method, where))
        used.append(("aggregate", p.aggregate_spec.method, where))
    return used


@section("appendix", order=90, title="附录: 方法说明 / Appendix: methods")
def appendix(inputs: ReportInputs) -> Sequence[Block]:
    """Build the methods appendix: framework, weights, each method's formula, versions, digests."""
    ev = inputs.evaluation
    fw = ev.framework
    meta = ev.metadata()
    blocks: list[Block] = [Heading("方法与公式 / methods and formulas")]
    seen: set[tuple[str, str]] = set()
    for stage, name, where in _methods_used(inputs):
        if name == "framework":
            blocks.append(Paragraph(f"权重 / weights ({where}): 指标体系给定的权重 / the "
                                    "framework's weights (见下表 / see the table below)"))
            continue
        if (stage, name) in seen:
            continue
        seen.add((stage, name))
        d = describe(stage, name)
        blocks.append(Paragraph(f"{d.label} [{stage}: {name}] — {where}"))
        if d.formula:
            blocks.append(Paragraph(d.formula, style="formula"))
        if d.reference:
            blocks.append(Paragraph(f"参考 / reference: {d.reference}", style="note"))
    blocks.append(Heading("指标体系与权重 / framework and weights"))
    blocks.append(Paragraph(f"{fw.name_zh} / {fw.name_en} ({fw.code} {fw.version}). "
                            f"{fw.reference}".strip()))
    blocks += chart_block(inputs, lambda: _tree(inputs), "指标体系与有效权重 / framework sized by "
                          "effective weight", width_cm=13)
    w = weights_table(ev)
    blocks.append(TableBlock(w, "权重与有效权重 / weights and effective weights", digits=4))
    inds = Table.from_columns({
        "代码 code": list(fw.indicator_codes),
        "名称 name": [i.name_zh for i in fw.indicators],
        "单位 unit": [i.unit for i in fw.indicators],
        "方向 direction": ["正向 +" if i.direction == 1 else "逆向 −" for i in fw.indicators],
        "目标值 target": [i.target for i in fw.indicators],
        "来源 source": [i.source for i in fw.indicators],
    })
    blocks.append(TableBlock(inds, "指标一览 / indicators"))
    blocks.append(Heading("版本与摘要值 / versions and digests"))
    blocks.append(Bullets((
        f"xiangcun-eval {meta['version']}",
        f"指标体系 / framework: {meta['framework']} (SHA-256 {meta['framework_digest']})",
        f"数据 / data: SHA-256 {meta['data_digest']}",
        f"方法设定 / methodology: {ev.methodology.name} "
        f"(SHA-256 {meta['methodology_digest']})",
    )))
    return blocks


def _tree(inputs: ReportInputs) -> object:
    from ...plot.robustness import framework_tree

    return framework_tree(inputs.evaluation)
