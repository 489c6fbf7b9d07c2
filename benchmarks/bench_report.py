"""Benchmark: building the evaluation report for 2,850 counties.

2,850 synthetic counties (examples/make_demo_data.py, seeded; 模拟数据) ×
dvd-2023, default methodology, a 500-replicate uncertainty result for the
robustness section.  Timed in one process, best of ``--repeat``:

* baseline: ``ev.to_csv`` (the plain table export of the same evaluation);
* the document (every section, charts rendered to PNG), without and with charts;
* Word rendering (python-docx) and HTML rendering of that document;
* ``ev.to_report`` end to end for .docx and .html, and ``ev.to_excel``.

Figures printed: absolute wall times, ratios to the CSV baseline, peak RSS
(resource.getrusage) and the peak traced Python memory of one end-to-end
Word report (tracemalloc).

Run:  python benchmarks/bench_report.py [--n 2850] [--repeat 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import xiangcun_eval as xe
from xiangcun_eval.report.docx import render_docx
from xiangcun_eval.report.html import render_html
from xiangcun_eval.report.registry import ReportInputs, build_document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))  # the seeded demo generator, as bench_validate


def demo_csv(n: int, out: Path) -> Path:
    from make_demo_data import generate, to_csv_text  # type: ignore[import-not-found, unused-ignore]

    fw = xe.load_framework("dvd-2023")
    path = out / f"demo_{n}.csv"
    path.write_text(to_csv_text(generate(fw, n, unique=True)), encoding="utf-8")
    return path


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (process_time) of ``repeat`` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2850)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        data = xe.read_submissions(demo_csv(args.n, tmp), "dvd-2023")
        ev = xe.evaluate(data)
        space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=(2, 3), noise=0.25)])
        ua = xe.uncertainty(data, ev.methodology, space, n=500, seed=2023)
        inputs = ReportInputs(ev, ua)
        ev.table()  # warm caches shared by every export (level ranks)
        doc = build_document(inputs)
        rows: list[tuple[str, tuple[float, float]]] = []
        rows.append(("baseline: to_csv", best(
            lambda: ev.to_csv(tmp / "r.csv", overwrite=True), args.repeat)))
        rows.append(("document, no charts", best(
            lambda: build_document(ReportInputs(ev, ua, charts=False)), args.repeat)))
        rows.append(("document with charts", best(lambda: build_document(inputs),
                                                  args.repeat)))
        rows.append(("render Word (python-docx)", best(lambda: render_docx(doc), args.repeat)))
        rows.append(("render HTML", best(lambda: render_html(doc), args.repeat)))
        rows.append(("to_report .docx end to end", best(
            lambda: ev.to_report(tmp / "r.docx", uncertainty=ua, overwrite=True), args.repeat)))
        rows.append(("to_report .html end to end", best(
            lambda: ev.to_report(tmp / "r.html", uncertainty=ua, overwrite=True), args.repeat)))
        rows.append(("to_excel (with uncertainty sheet)", best(
            lambda: ev.to_excel(tmp / "r.xlsx", uncertainty=ua, overwrite=True), args.repeat)))
        tracemalloc.start()
        ev.to_report(tmp / "t.docx", uncertainty=ua, overwrite=True)
        peak_traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sizes = {p.suffix: p.stat().st_size for p in tmp.glob("r.*")}
    base = rows[0][1][1]
    print(f"report benchmark: {args.n} counties × dvd-2023 ({len(ev.framework.indicators)} "
          f"indicators), best of {args.repeat}; wall and CPU (process) time, ratio of CPU "
          "times to the baseline")
    for name, (wall, cpu) in rows:
        print(f"  {name:36s} wall {wall:8.3f} s  cpu {cpu:8.3f} s  {cpu / base:8.1f} × baseline")
    print("  file sizes: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items())))
    print(f"  peak traced Python memory (one Word report): {peak_traced / 2**20:.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of the process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
