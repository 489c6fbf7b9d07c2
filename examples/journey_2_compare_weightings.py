"""Journey 2 — 比较不同赋权方法 / compare weightings.

    python examples/journey_2_compare_weightings.py [OUT_DIR]

Evaluates the demo data with the framework's weights, equal weights and
entropy weights (熵权法) at the task level, prints how many counties move
and by how much, and writes each comparison as CSV into OUT_DIR.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import xiangcun_eval as xe

HERE = Path(__file__).resolve().parent


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = xe.read_submissions(HERE / "data" / "demo_counties_2023.csv", "dvd-2023")
    base = xe.evaluate(data, xe.Methodology(name="框架权重 framework"))
    others = {
        "equal": xe.Methodology(name="等权 equal", weights=xe.WeightSpec(method="equal")),
        "entropy": xe.Methodology(name="熵权 entropy",
                                  weights_by_level={2: xe.WeightSpec(method="entropy")}),
    }
    for key, m in others.items():
        t = base.compare(xe.evaluate(data, m))
        moves = Counter(t.column("方向 direction"))
        shift = [abs(v) for v in t.column("变化 change") if v is not None]
        print(f"{m.name}: {dict(moves)}; mean |Δrank| = {sum(shift) / len(shift):.2f}")
        print(t.head(5).render())
        t.to_csv(out / f"compare_{key}.csv", overwrite=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out"))
