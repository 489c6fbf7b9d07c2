"""Journey 4 — 评价报告 / the evaluation report.

    python examples/journey_4_report.py [OUT_DIR]

Evaluates the demo data, runs a small uncertainty analysis, and writes the
report as Word (报告.docx) and as one self-contained HTML file (报告.html)
into OUT_DIR (``report`` extra).
"""

from __future__ import annotations

import sys
from pathlib import Path

import xiangcun_eval as xe

HERE = Path(__file__).resolve().parent


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = xe.read_submissions(HERE / "data" / "demo_counties_2023.csv", "dvd-2023")
    ev = xe.evaluate(data)
    space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=(2, 3), noise=0.25)])
    ua = xe.uncertainty(data, ev.methodology, space, n=200, seed=2023)
    for name in ("报告.docx", "报告.html"):
        path = ev.to_report(out / name, uncertainty=ua, overwrite=True)
        print(f"written: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out"))
