"""Journey 3 — 不确定性与敏感性分析 / uncertainty and sensitivity analysis.

    python examples/journey_3_robustness.py [OUT_DIR] [N]

Runs the uncertainty analysis (N replicates, default 500) and a Sobol
sensitivity analysis (base sample N // 4) over the space in
examples/spaces/weights-norm-agg.toml, prints rank intervals and Sobol
indices, and saves the ranking-with-intervals and Sobol charts as PNG
(``plot`` extra) into OUT_DIR.
"""

from __future__ import annotations

import sys
from pathlib import Path

import xiangcun_eval as xe
from xiangcun_eval.plot.charts import ranking_chart
from xiangcun_eval.plot.robustness import sobol_chart

HERE = Path(__file__).resolve().parent


def main(out: Path, n: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = xe.read_submissions(HERE / "data" / "demo_counties_2023.csv", "dvd-2023")
    space = xe.UncertaintySpace.from_toml(HERE / "spaces" / "weights-norm-agg.toml")
    m1 = xe.Methodology(normalise=xe.NormaliseSpec(method="minmax",
                                                   params={"lower": 1, "upper": 100}))
    ua = xe.uncertainty(data, m1, space, n=n, seed=2023)
    print(ua.table().head(10))
    sa = xe.sensitivity(data, m1, space, n=max(n // 4, 16), seed=2023, n_boot=100)
    print(sa.table())
    ev = xe.evaluate(data, m1)
    ranking_chart(ev, top=20, uncertainty=ua).savefig(out / "ranking_intervals.png", dpi=120)
    sobol_chart(sa).savefig(out / "sobol.png", dpi=120)
    print(f"written: {out / 'ranking_intervals.png'}, {out / 'sobol.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out"),
         int(sys.argv[2]) if len(sys.argv) > 2 else 500)
