"""Engine: bitwise identity across chunk sizes and executors; run_chunk."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from helpers import asem
from spaces import COINR, RICH
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.sobol import sensitivity
from xiangcun_eval.sensitivity.uncertainty import uncertainty


def _fields(r: Any) -> dict[str, Any]:
    keys = ("score_mean", "score_sd", "score_median", "rank_mean", "rank_sd", "rank_median",
            "rank_quantiles", "score_quantiles", "grade_prob", "top_prob", "mean_abs_shift",
            "replicate_shift")
    return {k: getattr(r, k) for k in keys}


def _assert_bitwise(a: Any, b: Any) -> None:
    for k, v in _fields(a).items():
        w = _fields(b)[k]
        assert np.array_equal(v, w, equal_nan=True), k
        assert v.tobytes() == w.tobytes(), k


def test_bitwise_identity_chunks_and_executors() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=400, seed=4)
    ref = uncertainty(data, m, RICH, **kw)
    _assert_bitwise(ref, uncertainty(data, m, RICH, run=RunOptions(chunk_size=64), **kw))
    _assert_bitwise(ref, uncertainty(data, m, RICH, run=RunOptions(chunk_size=192), **kw))
    with ThreadPoolExecutor(3) as ex:
        _assert_bitwise(ref, uncertainty(
            data, m, RICH, run=RunOptions(executor=ex, chunk_size=128), **kw))
    with ProcessPoolExecutor(2) as ex:
        _assert_bitwise(ref, uncertainty(
            data, m, RICH, run=RunOptions(executor=ex, chunk_size=64), **kw))
    keep = uncertainty(data, m, RICH, keep_replicates=True, **kw)
    keep2 = uncertainty(data, m, RICH, keep_replicates=True, run=RunOptions(chunk_size=64), **kw)
    assert keep.scores is not None and keep2.scores is not None
    assert keep.scores.tobytes() == keep2.scores.tobytes()
    # the streamed means agree with the exact ones to rounding, quantiles exactly
    np.testing.assert_allclose(ref.score_mean, keep.score_mean, rtol=1e-12)
    np.testing.assert_array_equal(ref.rank_quantiles, keep.rank_quantiles)
    np.testing.assert_array_equal(ref.rank_median, keep.rank_median)
    np.testing.assert_allclose(ref.grade_prob, keep.grade_prob)
    np.testing.assert_allclose(ref.rank_sd, keep.rank_sd, rtol=1e-12)


def test_sensitivity_bitwise_identity() -> None:
    data, m = asem()
    kw: dict[str, Any] = dict(n=64, seed=8, n_boot=50)
    a = sensitivity(data, m, COINR, **kw)
    with ThreadPoolExecutor(2) as ex:
        b = sensitivity(data, m, COINR, run=RunOptions(executor=ex, chunk_size=64), **kw)
    c = sensitivity(data, m, COINR, run=RunOptions(chunk_size=64), **kw)
    for other in (b, c):
        assert a.summary.first.tobytes() == other.summary.first.tobytes()
        assert a.rank.total.tobytes() == other.rank.total.tobytes()
        assert a.summary_output is not None and other.summary_output is not None
        assert a.summary_output.tobytes() == other.summary_output.tobytes()



def test_large_chunks_trim_the_heap_between_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks whose scores pass _TRIM_BYTES call malloc_trim after the scores and after
    the counts; the numbers do not change; without glibc nothing happens."""
    from xiangcun_eval.sensitivity import engine

    calls: list[int] = []

    class FakeLibc:
        def malloc_trim(self, pad: int) -> int:
            calls.append(pad)
            return 1

    data, m = asem()
    kw: dict[str, Any] = dict(n=192, seed=4)
    ref = uncertainty(data, m, COINR, run=RunOptions(chunk_size=64), **kw)
    assert calls == []
    monkeypatch.setattr(engine.ctypes, "CDLL", lambda name: FakeLibc())
    monkeypatch.setattr(engine, "_TRIM_BYTES", 0)
    got = uncertainty(data, m, COINR, run=RunOptions(chunk_size=64), **kw)
    assert calls == [0] * 9  # 3 chunks × 3 phases
    _assert_bitwise(ref, got)

    def no_libc(name: str) -> Any:
        raise OSError(name)

    monkeypatch.setattr(engine.ctypes, "CDLL", no_libc)
    engine.trim_heap()  # no error
