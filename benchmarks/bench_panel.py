"""Benchmark: panel evaluation of three years vs three single-year evaluations.

Cases: 3 years x 2,850 counties x dvd-2023 (71 indicators), and 3 years x
100,000 units x 60 indicators; each year is the previous one times a seeded
factor in [0.85, 1.0] per cell.  For every reference (per_year, base, pooled,
goalposts where the framework has goalposts) and for entropy weights on the
reference's basis, ``evaluate_panel`` is timed against the baseline of three
plain ``evaluate`` calls in the same process; then ``changes``,
``decomposition`` and ``transitions`` of the panel.

Figures printed: best-of-k wall times, ratio panel / baseline, peak traced
memory of one panel run.

Run:  python benchmarks/bench_panel.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

import xiangcun_eval as xe
from xiangcun_eval.inputs.data import UnitData

sys.path.insert(0, str(Path(__file__).parent))
from bench_evaluate import synthetic, wide_framework


def best_of(f: Callable[[], object], k: int) -> float:
    best = float("inf")
    for _ in range(k):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def years_of(d: UnitData, seed: int = 1) -> dict[int, UnitData]:
    rng = np.random.default_rng(seed)
    out = {2023: d}
    v = d.values
    for y in (2022, 2021):
        v = v * rng.uniform(0.85, 1.0, v.shape)
        out[y] = UnitData(framework=d.framework, units=d.units, names=d.names, values=v,
                          groups=d.groups, year=y)
    return {y: UnitData(framework=x.framework, units=x.units, names=x.names, values=x.values,
                        groups=x.groups, year=y) for y, x in sorted(out.items())}


def case(label: str, data: dict[int, UnitData], k: int) -> None:
    print(f"\n{label}")
    fw = next(iter(data.values())).framework
    refs = ["per_year", "base", "pooled"]
    if all(i.goalposts is not None for i in fw.indicators):
        refs.append("goalposts")
    for m in (xe.Methodology(), xe.Methodology(name="entropy",
                                               weights=xe.WeightSpec(method="entropy"))):
        base = best_of(lambda m=m: [xe.evaluate(d, m) for d in data.values()], k)
        print(f"  3 x evaluate ({m.name:8s})      {base * 1e3:9.1f} ms")
        for ref in refs:
            t = best_of(lambda ref=ref, m=m: xe.evaluate_panel(data, m, reference=ref), k)
            print(f"  evaluate_panel {ref:9s} {m.name:8s} {t * 1e3:9.1f} ms   "
                  f"({t / base:.2f}x the three evaluations)")
    p = xe.evaluate_panel(data, reference="base")
    for name, f in (("changes", lambda: p.changes()), ("decomposition", lambda: p.decompose()),
                    ("transitions", lambda: p.transitions()),
                    ("transitions by region", lambda: p.transitions(by="region"))):
        print(f"  {name:24s}          {best_of(f, k) * 1e3:9.1f} ms")
    tracemalloc.start()
    xe.evaluate_panel(data, reference="pooled")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak traced memory of a pooled panel run: {peak / 2**20:.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="county case only")
    args = ap.parse_args()
    fw = xe.load_framework("dvd-2023")
    case("3 years x 2,850 counties x dvd-2023", years_of(synthetic(fw, 2850)), 5)
    if not args.quick:
        case("3 years x 100,000 units x 60 indicators",
             years_of(synthetic(wide_framework(), 100_000)), 2)


if __name__ == "__main__":
    main()
