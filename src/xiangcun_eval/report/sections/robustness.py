"""Built-in section: robustness (uncertainty and sensitivity results, when given)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import Block, Heading, Paragraph, TableBlock
from ..registry import ReportInputs, section
from ._util import chart_block


@section("robustness", order=60, title="稳健性 / Robustness")
def robustness(inputs: ReportInputs) -> Sequence[Block] | None:
    """Build the robustness section from the uncertainty and/or sensitivity results.

    ``None`` (section left out) when neither ``inputs.uncertainty`` nor
    ``inputs.sensitivity`` is given.
    """
    ua, sa = inputs.uncertainty, inputs.sensitivity
    if ua is None and sa is None:
        return None
    blocks: list[Block] = []
    if ua is not None:
        q = ua.rank_quantiles  # (n_units, n_quantiles)
        width = q[:, -1] - q[:, 0]
        shift = ua.shift_summary()
        lo, hi = ua.quantiles[0], ua.quantiles[-1]
        blocks += [
            Heading("不确定性分析 / uncertainty analysis"),
            Paragraph(
                f"在 {ua.n_done} 次蒙特卡洛重复中 (因素: {', '.join(ua.factor_names)}), "
                f"{lo:.0%}–{hi:.0%} 排名区间的宽度中位数为 {np.nanmedian(width):.1f} 位, "
                f"最宽 {np.nanmax(width):.0f} 位。 / Over {ua.n_done} Monte Carlo replicates "
                f"the median width of the {lo:.0%}–{hi:.0%} rank interval is "
                f"{np.nanmedian(width):.1f} places (widest {np.nanmax(width):.0f})."),
            Paragraph("排名变动 / rank shifts: "
                      + ", ".join(f"{k} = {v:.2f}" for k, v in shift.items()), style="note"),
        ]
        blocks += chart_block(inputs, lambda: _ranking(inputs), "排名及不确定性区间 / ranks "
                              "with uncertainty intervals")
        t = ua.table()
        blocks.append(TableBlock(t, f"排名区间与等级概率 (前 {inputs.top * 2}) / rank "
                                 "intervals and grade probabilities", max_rows=inputs.top * 2))
    if sa is not None:
        s = sa.summary
        order = np.argsort(-np.nan_to_num(s.total, nan=-1))
        top = sa.factor_names[int(order[0])]
        blocks += [
            Heading("敏感性分析 / sensitivity analysis"),
            Paragraph(f"对平均排名变动影响最大的因素是“{top}” (总效应 ST = "
                      f"{s.total[order[0]]:.2f})。 / The factor with the largest total effect on "
                      f"the mean rank change is {top} (ST = {s.total[order[0]]:.2f})."),
            TableBlock(sa.table(), "Sobol' 指数 / Sobol' indices", digits=3),
        ]
        blocks += chart_block(inputs, lambda: _sobol(inputs), "Sobol' 一阶与总效应指数 / first-"
                              "order and total indices", width_cm=13)
    return blocks


def _ranking(inputs: ReportInputs) -> object:
    from ...plot.charts import ranking_chart

    return ranking_chart(inputs.evaluation, top=20, uncertainty=inputs.uncertainty)


def _sobol(inputs: ReportInputs) -> object:
    from ...plot.robustness import sobol_chart

    assert inputs.sensitivity is not None
    return sobol_chart(inputs.sensitivity)
