"""Journey 1 — 校验并评价示例数据 / validate and evaluate the demo data.

    python examples/journey_1_validate_evaluate.py [OUT_DIR]

Reads the synthetic demo submissions (examples/data, 模拟数据), evaluates them
with the default methodology, prints the top 10 and writes 结果.csv and
结果.xlsx (the Excel workbook needs the ``excel`` extra) into OUT_DIR
(default: ./out).
"""

from __future__ import annotations

import sys
from pathlib import Path

import xiangcun_eval as xe

HERE = Path(__file__).resolve().parent


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    res = xe.read_submissions(HERE / "data" / "demo_counties_2023.csv", "dvd-2023",
                              mode="quarantine")
    print(res.report.summary(limit=5))
    ev = xe.evaluate(res.data)
    print(ev.ranking(top=10))
    ev.to_csv(out / "结果.csv", overwrite=True)
    ev.to_excel(out / "结果.xlsx", problems=res.report, overwrite=True)
    print(f"written: {out / '结果.csv'}, {out / '结果.xlsx'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out"))
