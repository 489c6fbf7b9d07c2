"""Built-in sections: summary, data and method, overall results, areas,
target attainment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..model import Block, Bullets, Paragraph
from ..registry import ReportInputs, section


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


@section("summary", order=10, title="摘要 / Summary")
def summary(inputs: ReportInputs) -> Sequence[Block]:
    ev = inputs.evaluation
    fw = ev.framework
    n = len(ev.units)
    year = f"{ev.data.year} 年" if ev.data.year else ""
    rk = ev.ranking(top=3)
    names = rk.column("名称 name")
    grades = ", ".join(f"{lab}: {c}" for lab, c in grade_counts(inputs))
    return [
        Paragraph(
            f"本报告按“{fw.name_zh}”对 {year}{n} 个单位进行评价, "
            f"方法设定为“{ev.methodology.name}”。"
            f"综合得分前三名为 {'、'.join(names)}。 / This report evaluates {n} units with the "
            f"framework {fw.name_en} and the methodology '{ev.methodology.name}'."
        ),
        Bullets((f"等级分布 / grade distribution: {grades}",)),
    ]
