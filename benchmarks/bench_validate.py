"""Benchmark: reading + validating county submission CSVs (dvd-2023 indicators).

Cases (synthetic files from ``examples/make_demo_data.py`` in a temp dir):

* ``2,850`` rows, strict mode -- about the number of county-level divisions
  in China;
* ``300,000`` rows, strict mode -- near the ceiling of distinct county-level
  codes (the GB/T 2260 shape allows 31 x 99 x 99 = 303,831 in the 31
  mainland provinces);
* ``500,000`` rows, quarantine mode -- more rows than distinct codes exist,
  so 196,169 codes repeat and every row with a repeated code (392,338 rows)
  is rejected as a duplicate: this exercises the problem-reporting path on
  hundreds of thousands of rows.

Each case runs in a fresh subprocess and reports wall time, rows/s, the
process's peak RSS (``VmHWM``, see :func:`peak_rss_mb`; includes the
interpreter and numpy, about 100 MB), the CPU time of the read (wall time
exceeds it when the machine is busy) and, in a second run, the
``tracemalloc`` peak of Python/numpy allocations during the read.

Baseline: a straightforward per-row Python implementation of the same checks
(``csv.DictReader``, per-cell strip / marker / percent / comma / ``float`` /
bounds, code and province checks, duplicate set) run in the same process on
the first ``BASELINE_ROWS`` rows and extrapolated linearly to the full file
(it is O(n)).  The ratio printed is baseline time / library time.

The load average (1 minute) is printed next to each case: figures taken
while other work runs on the machine are slower; the speed-up against the
in-process baseline is the comparable figure.

Run: ``python benchmarks/bench_validate.py`` (add ``--quick`` to skip the
large cases).  Goals (issue 12): 300,000 rows strict >= 150,000 rows/s with
peak RSS <= 1 GB; 500,000 rows quarantine >= 100,000 rows/s.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

BASELINE_ROWS = 50_000


def write_csv(n: int, path: Path, *, seed: int = 1) -> None:
    """Write ``n`` synthetic rows in chunks (bounded memory)."""
    from make_demo_data import generate  # type: ignore[import-not-found, unused-ignore]

    from xiangcun_eval.framework.registry import load_framework

    fw = load_framework("dvd-2023")
    cols = generate(fw, n, seed=seed, unique=n <= 303_831)
    names = list(cols)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(names) + "\n")
        step = 20_000
        for start in range(0, n, step):
            block = [cols[c][start:start + step].tolist() for c in names]
            fh.write("\n".join(",".join(r) for r in zip(*block, strict=True)) + "\n")


# ------------------------------------------------------------------ baseline
_CODE = re.compile(r"\d{6}")
_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_MISSING = {"", "NA", "N/A", "n/a", "na", "-", "--", "—", "——", "/", "无", "缺失", "null",
            "NULL", "nan", "NaN"}


def baseline(path: Path, limit: int) -> tuple[int, int]:
    """Per-row pure-Python parse-and-check of the first ``limit`` rows."""
    from xiangcun_eval.framework.registry import load_framework
    from xiangcun_eval.inputs.codes import PROVINCES, province_from_name

    fw = load_framework("dvd-2023")
    specs = [(i.code, i.lower_bound, i.upper_bound, i.is_percentage) for i in fw.indicators]
    seen: set[str] = set()
    n_rows = n_problems = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in islice(csv.DictReader(fh), limit):
            n_rows += 1
            code = rec["county_code"].strip()
            if not _CODE.fullmatch(code) or code[:2] not in PROVINCES or code.endswith("00"):
                n_problems += 1
            if code in seen:
                n_problems += 1
            seen.add(code)
            prov = province_from_name(rec["province"])
            if prov is None or prov.prefix != code[:2]:
                n_problems += 1
            if not rec["year"].strip().isdigit():
                n_problems += 1
            values = []
            for c, lo, hi, pct in specs:
                t = rec[c].strip()
                if t in _MISSING:
                    values.append(float("nan"))
                    continue
                if pct and t.endswith("%"):
                    t = t[:-1].strip()
                if "," in t:
                    if not _GROUPED.fullmatch(t):
                        n_problems += 1
                        continue
                    t = t.replace(",", "")
                if not _NUM.fullmatch(t):
                    n_problems += 1
                    continue
                v = float(t)
                if (lo is not None and v < lo) or (hi is not None and v > hi):
                    n_problems += 1
                values.append(v)
    return n_rows, n_problems


# -------------------------------------------------------------------- worker
def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    ``VmHWM`` from ``/proc/self/status`` where available: unlike
    ``ru_maxrss`` it is not inherited from the parent across fork/exec (a
    parent holding the generated data would otherwise inflate the figure).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path: Path, mode: str, n: int) -> dict[str, float]:
    from xiangcun_eval.framework.registry import load_framework
    from xiangcun_eval.inputs.readers import read_submissions

    fw = load_framework("dvd-2023")
    gc.collect()
    rss0 = peak_rss_mb()
    t0 = time.perf_counter()
    c0 = time.process_time()
    if mode == "strict":
        data = read_submissions(path, fw)
        acc, rej = data.n_units, 0
    else:
        data, report = read_submissions(path, fw, mode="quarantine")
        acc, rej = report.n_accepted, report.n_rejected
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    rss1 = peak_rss_mb()
    del data
    gc.collect()
    tracemalloc.start()
    if mode == "strict":
        read_submissions(path, fw)
    else:
        read_submissions(path, fw, mode="quarantine")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    limit = min(n, BASELINE_ROWS)
    t0 = time.perf_counter()
    rows, _ = baseline(path, limit)
    base = (time.perf_counter() - t0) * n / rows
    return {"seconds": secs, "cpu_seconds": cpu, "rows_per_s": n / secs, "maxrss_mb": rss1,
            "rss_before_mb": rss0, "tracemalloc_peak_mb": peak / 2**20,
            "accepted": acc, "rejected": rej, "baseline_seconds": base,
            "baseline_rows": rows}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=3, metavar=("PATH", "MODE", "N"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.worker:
        path, mode, n = args.worker
        print(json.dumps(worker(Path(path), mode, int(n))))
        return 0
    cases = [(2_850, "strict")] if args.quick else [
        (2_850, "strict"), (300_000, "strict"), (500_000, "quarantine")]
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    hdr = (f"{'rows':>8} {'mode':>10} {'MB':>6} {'time s':>8} {'cpu s':>7} {'rows/s':>10} "
           f"{'peak RSS MB':>11} "
           f"{'tracemalloc MB':>14} {'accepted':>9} {'rejected':>9} {'baseline s':>10} "
           f"{'speed-up':>8} {'load':>5}")
    with tempfile.TemporaryDirectory() as d:
        results = []
        for n, mode in cases:
            path = Path(d) / f"bench_{n}.csv"
            t0 = time.perf_counter()
            write_csv(n, path)
            gen = time.perf_counter() - t0
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            out = subprocess.run([sys.executable, __file__, "--worker", str(path), mode, str(n)],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout)
            r["load"] = max(load, os.getloadavg()[0] if hasattr(os, "getloadavg") else load)
            r["file_mb"] = path.stat().st_size / 2**20
            r["gen_seconds"] = gen
            results.append((n, mode, r))
            path.unlink()
        print(hdr)
        for n, mode, r in results:
            extra = (f" (baseline extrapolated from {r['baseline_rows']} rows)"
                     if r["baseline_rows"] < n else "")
            print(f"{n:>8} {mode:>10} {r['file_mb']:>6.1f} {r['seconds']:>8.2f} "
                  f"{r['cpu_seconds']:>7.2f} {r['rows_per_s']:>10,.0f} {r['maxrss_mb']:>11.0f} "
                  f"{r['tracemalloc_peak_mb']:>14.0f} "
                  f"{r['accepted']:>9} {r['rejected']:>9} {r['baseline_seconds']:>10.2f} "
                  f"{r['baseline_seconds'] / r['seconds']:>7.1f}x {r['load']:>5.1f}{extra}")
        print("load: the machine's 1-minute load average around the run (2 cores; figures "
              "taken above about 1 are slowed by other work)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
