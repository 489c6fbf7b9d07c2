"""Village scale: uncertainty analysis of 500,000 units × 60 indicators on Dask.

Run::

    .venv/bin/python benchmarks/bench_village.py            # 500,000 units, n = 1,000 (long)
    .venv/bin/python benchmarks/bench_village.py --quick    # 100,000 units, n = 256

Setting: the synthetic wide framework of ``bench_evaluate.py`` (6 groups ×
10 indicators, 3 % missing values), the space of ``bench_sensitivity.py``
(±25 % weight noise at every level, min-max vs z-score, arithmetic vs
geometric mean), :func:`~xiangcun_eval.uncertainty` with its default
settings on a ``distributed.LocalCluster`` of 2 worker processes with one
thread each and ``memory_limit`` per worker (default 1.5 GiB; Dask's own
spill / pause / terminate thresholds are switched off so that the run
shows what the library needs instead of what Dask does about it).

Printed:

* the peak resident set size of each worker process, sampled every 0.1 s by
  a thread of this process with ``psutil`` (``ps`` would give the same
  figure), and of this (driver) process;
* wall time and the CPU time of the workers (user + system, from psutil);
* the memory estimate the library records (``memory_estimate`` of the
  result and the worker estimate it checks the worker's memory limit
  against), the rank resolution and the stated rank-quantile error bound;
* baseline in the same process: one chunk of 64 replicates run serially here
  (:func:`~xiangcun_eval.sensitivity.engine.run_chunk`), time per replicate,
  and the Dask run's per-replicate time as a ratio of it (2 workers: 0.5 is
  perfect scaling);
* the machine load (``os.getloadavg``) before and after: the machine is
  shared, so absolute times are noisy.

The synthetic data are generated here (seeded); they describe no real unit.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_evaluate import synthetic, wide_framework
from bench_sensitivity import NOMINAL, dvd_space

from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.sensitivity import engine as _eng
from xiangcun_eval.sensitivity.api import RunOptions, uncertainty


class RssSampler(threading.Thread):
    """Peak RSS and last CPU times of some processes, sampled every ``dt`` seconds."""

    def __init__(self, pids: dict[str, int], dt: float = 0.1) -> None:
        super().__init__(daemon=True)
        import psutil

        self.procs = {k: psutil.Process(p) for k, p in pids.items()}
        self.peak = dict.fromkeys(pids, 0)
        self.cpu = dict.fromkeys(pids, 0.0)
        self.dt = dt
        self.stop_event = threading.Event()

    def sample(self) -> None:
        for k, p in self.procs.items():
            try:
                self.peak[k] = max(self.peak[k], p.memory_info().rss)
                t = p.cpu_times()
                self.cpu[k] = t.user + t.system
            except Exception:
                pass

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            time.sleep(self.dt)
        self.sample()


def load() -> str:
    a, b, c = os.getloadavg()
    return f"{a:.2f} {b:.2f} {c:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="100,000 units, n = 256")
    ap.add_argument("--units", type=int, default=None)
    ap.add_argument("--n", type=int, default=None)
    ap.add_argument("--memory-limit", default="1.5GiB", help="per worker (default 1.5GiB)")
    args = ap.parse_args(argv)
    n_units = args.units or (100_000 if args.quick else 500_000)
    n = args.n or (256 if args.quick else 1000)

    import dask
    import distributed
    import psutil

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, "
          f"distributed {distributed.__version__}, {os.cpu_count()} CPUs; load {load()}")
    fw = wide_framework()
    data = synthetic(fw, n_units, seed=1)
    sp = dvd_space(fw)
    print(f"{n_units:,} units × {len(fw.indicator_codes)} indicators, n = {n:,}; "
          f"worker memory_limit {args.memory_limit}")

    # baseline in this process: one chunk of 64 replicates, serially
    nominal = evaluate(data, NOMINAL)
    ctx = _eng.build_context(
        data, NOMINAL, sp, seed=1, sampling="random", nominal_index=nominal.index,
        nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0], top_k=(10,),
        rank_bins=16, score_bins=16)
    t0, c0 = time.perf_counter(), time.process_time()
    _eng.run_chunk(ctx, ("ua", 0, 64))
    base_wall, base_cpu = time.perf_counter() - t0, time.process_time() - c0
    del ctx, nominal
    print(f"  baseline: one chunk of 64 replicates serially in this process {base_wall:.2f} s "
          f"wall, {base_cpu:.2f} s CPU ({base_wall / 64 * 1e3:.1f} ms per replicate)")

    with dask.config.set({"distributed.worker.memory.target": False,
                          "distributed.worker.memory.spill": False,
                          "distributed.worker.memory.pause": False,
                          "distributed.worker.memory.terminate": False}), \
            distributed.LocalCluster(  # type: ignore[no-untyped-call, unused-ignore]
                n_workers=2, threads_per_worker=1, processes=True,
                memory_limit=args.memory_limit, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # type: ignore[no-untyped-call, unused-ignore]
        pids = client.run(os.getpid)
        names = {f"worker {i}": pid for i, pid in enumerate(pids.values())}
        names["driver"] = os.getpid()
        sampler = RssSampler(names)
        idle = {k: psutil.Process(p).memory_info().rss for k, p in names.items()}
        cpu0 = {k: sum(psutil.Process(p).cpu_times()[:2]) for k, p in names.items()}
        sampler.start()
        t0 = time.perf_counter()
        res = uncertainty(data, NOMINAL, sp, n=n, seed=1, run=RunOptions(executor=client))
        wall = time.perf_counter() - t0
        sampler.stop_event.set()
        sampler.join()
    print(f"  load after {load()}")
    print(f"  Dask LocalCluster, 2 workers × 1 thread: wall {wall:.1f} s "
          f"({wall / n * 1e3:.1f} ms per replicate; {wall / n / (base_wall / 64):.2f}× the "
          "serial baseline's time per replicate)")
    for k in names:
        cpu = sampler.cpu[k] - cpu0[k]
        print(f"  {k:<9s} peak RSS {sampler.peak[k] / 2**20:8,.0f} MiB (idle before "
              f"{idle[k] / 2**20:,.0f} MiB), CPU {cpu:8.1f} s")
    worker_peak = max(v for k, v in sampler.peak.items() if k != "driver")
    print(f"  worst worker peak {worker_peak / 2**20:,.0f} MiB = {worker_peak / 1e9:.2f} GB "
          f"(target 1.5 GB per worker: {'met' if worker_peak <= 1.5e9 else 'NOT met'})")
    est: Any = getattr(res, "worker_memory_estimate", 0)
    print(f"  library: memory estimate {res.memory_estimate / 2**20:,.0f} MiB (driver) of budget "
          f"{res.memory_budget / 2**20:,.0f} MiB; per worker {est / 2**20:,.0f} MiB; "
          f"rank resolution {res.rank_resolution:g} ranks, rank-quantile error bound "
          f"{res.rank_quantile_error:g} ranks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
