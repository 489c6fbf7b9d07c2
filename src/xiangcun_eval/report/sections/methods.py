"""Built-in section: methods appendix (framework, weights, each method with
its formula, versions, digests)."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Block, Bullets, Heading
from ..registry import ReportInputs, section


@section("appendix", order=90, title="附录: 方法说明 / Appendix: methods")
def appendix(inputs: ReportInputs) -> Sequence[Block]:
    ev = inputs.evaluation
    meta = ev.metadata()
    return [
        Heading("版本与摘要值 / versions and digests"),
        Bullets((
            f"xiangcun-eval {meta['version']}",
            f"指标体系 / framework: {meta['framework']} (SHA-256 {meta['framework_digest']})",
            f"数据 / data: SHA-256 {meta['data_digest']}",
            f"方法设定 / methodology: {ev.methodology.name} "
            f"(SHA-256 {meta['methodology_digest']})",
        )),
    ]
