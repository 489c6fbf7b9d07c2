"""Dask: the same bits on a real LocalCluster (2 workers, 1 thread each;
processes=False keeps it fast, the context still goes through scatter and
the tasks through the scheduler)."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest

from helpers import asem_data
from xiangcun_eval.methodology import AggregateSpec, ImputeSpec, Methodology, NormaliseSpec
from xiangcun_eval.sensitivity.api import sensitivity, uncertainty
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.space import (
    AggregateAlternatives,
    NormaliseAlternatives,
    UncertaintySpace,
    WeightNoise,
)

distributed = pytest.importorskip("distributed")


SPACE = UncertaintySpace(factors=[
    WeightNoise(levels=(2, 3), noise=0.25),
    NormaliseAlternatives(alternatives=(
        NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
        NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0}))),
    AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                        AggregateSpec(method="geometric"))),
])


@cache
def asem() -> tuple[Any, Methodology]:
    impute = ImputeSpec(method="group_mean", group_by="EurAsia_group")
    return asem_data(), Methodology(impute=impute)


def test_local_cluster_bitwise_identical() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=384, seed=7)
    ref = uncertainty(data, m, SPACE, **kw)
    sa_ref = sensitivity(data, m, SPACE, n=64, seed=7, n_boot=20)
    with distributed.LocalCluster(  # type: ignore[no-untyped-call, unused-ignore]
            n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # type: ignore[no-untyped-call, unused-ignore]
        seen: list[int] = []
        got = uncertainty(data, m, SPACE, run=RunOptions(
            executor=client, chunk_size=64, progress=lambda d, t: seen.append(d)), **kw)
        got2 = uncertainty(data, m, SPACE,
                           run=RunOptions(executor=client.get_executor(), chunk_size=128), **kw)
        sa = sensitivity(data, m, SPACE, n=64, seed=7, n_boot=20, run=RunOptions(executor=client))
    assert seen[-1] == 384 and len(seen) == 6
    for r in (got, got2):
        for k in ("score_mean", "rank_quantiles", "grade_prob", "mean_abs_shift",
                  "replicate_shift", "score_sd"):
            assert np.asarray(getattr(r, k)).tobytes() == np.asarray(getattr(ref, k)).tobytes(), k
    assert sa.summary.total.tobytes() == sa_ref.summary.total.tobytes()
    assert sa.rank.first.tobytes() == sa_ref.rank.first.tobytes()


def test_local_cluster_processes() -> None:
    """Worker processes (pickled context via scatter): about 4 s with cluster start-up."""
    data, m = asem()
    ref = uncertainty(data, m, SPACE, n=256, seed=3)
    with distributed.LocalCluster(  # type: ignore[no-untyped-call, unused-ignore]
            n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # type: ignore[no-untyped-call, unused-ignore]
        got = uncertainty(data, m, SPACE, n=256, seed=3,
                          run=RunOptions(executor=client, chunk_size=64))
    assert got.score_mean.tobytes() == ref.score_mean.tobytes()
    assert got.rank_quantiles.tobytes() == ref.rank_quantiles.tobytes()



def test_worker_estimate_recorded_with_a_memory_limit() -> None:
    """Workers with a memory_limit: the result records one worker's estimate (what
    sized the chunks; tests/sensitivity/test_execution.py checks the sizing)."""
    from xiangcun_eval.sensitivity.execution import WORKER_BASE

    data, m = asem()
    ref = uncertainty(data, m, SPACE, n=128, seed=3)
    assert ref.worker_memory_estimate == 0  # no cluster
    with distributed.LocalCluster(  # type: ignore[no-untyped-call, unused-ignore]
            n_workers=1, processes=False, threads_per_worker=2, memory_limit="4GiB",
            dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # type: ignore[no-untyped-call, unused-ignore]
        got = uncertainty(data, m, SPACE, n=128, seed=3, run=RunOptions(executor=client))
    assert WORKER_BASE < got.worker_memory_estimate < 4 * 2**30
    assert got.score_mean.tobytes() == ref.score_mean.tobytes()
