"""Streaming accumulators: grades and ranks as the library kernels; the mask-free
path equals the general one bit for bit; streamed histograms."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers import asem
from spaces import COINR
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.sensitivity import engine as eng


def test_grades_match_kernel_and_ranks_match_scipy() -> None:
    from scipy.stats import rankdata

    from xiangcun_eval.methodology import GradingSpec
    from xiangcun_eval.methods.rank import grade, rank_desc
    from xiangcun_eval.sensitivity.engine import grades_of

    rng = np.random.default_rng(0)
    x = rng.integers(0, 12, size=(50, 40)).astype(float) * 10.0  # many ties, on thresholds
    x[rng.random(x.shape) < 0.1] = np.nan
    r = rank_desc(x, axis=-1)
    for row, rr in zip(x, r, strict=True):
        ok = ~np.isnan(row)
        np.testing.assert_array_equal(rr[ok], rankdata(-row[ok], method="min"))
        assert np.isnan(rr[~ok]).all()
    spec = GradingSpec()
    np.testing.assert_array_equal(grades_of(x, spec), grade(x, np.asarray(spec.thresholds)))



def _ctx_and_rows(n: int = 256) -> tuple[Any, Any]:
    from xiangcun_eval.sensitivity.uniforms import ua_rows

    data, m = asem()
    nominal = evaluate(data, m)
    ctx = eng.build_context(data, m, COINR, seed=2, sampling="random",
                            nominal_index=nominal.index, nominal_rank=nominal.rank,
                            nominal_level1=nominal.level_scores[0], rank_bins=data.n_units,
                            score_bins=64)
    index, _ = eng.compute_rows(ctx, ua_rows(ctx, 0, n))
    return ctx, index


def test_stream_finite_equals_stream_bitwise() -> None:
    from xiangcun_eval.methods.rank import rank_desc
    from xiangcun_eval.sensitivity.ranking import desc_ranks_i32
    from xiangcun_eval.sensitivity.streaming import finite_ok, stream, stream_finite

    ctx, index = _ctx_and_rows()
    assert finite_ok(ctx, index)
    a = stream_finite(ctx, 0, index.shape[0], index, desc_ranks_i32(index))
    b = stream(ctx, 0, index.shape[0], index, rank_desc(index))
    for k in ("s1", "s2", "n_score", "rank_sum", "rank_sq", "n_rank", "shift_sum", "n_shift",
              "grade_counts", "top_counts", "rank_hist", "score_hist", "row_shift"):
        x, y = np.asarray(getattr(a, k)), np.asarray(getattr(b, k))
        assert np.array_equal(x.astype(np.float64), y.astype(np.float64)), k
    assert a.score_clipped == b.score_clipped
    assert int(a.rank_hist.sum()) == index.size  # every replicate counted once per unit


def test_unit_hist_equals_per_unit_bincount() -> None:
    from xiangcun_eval.sensitivity.streaming import unit_hist

    rng = np.random.default_rng(4)
    codes = rng.integers(0, 300, size=(500, 37)).astype(np.int32)
    h = unit_hist(codes, 300, np.int32)
    ref = np.stack([np.bincount(codes[:, u], minlength=300) for u in range(37)])
    np.testing.assert_array_equal(h, ref)


def test_rank_bin_of() -> None:
    from xiangcun_eval.sensitivity.streaming import rank_bin_of

    r = np.arange(1.0, 11.0)[None, :]
    np.testing.assert_array_equal(rank_bin_of(r, 10, 10), np.arange(10)[None, :])
    np.testing.assert_array_equal(rank_bin_of(r, 10, 5), (np.arange(10) // 2)[None, :])


def test_finite_ok_refuses_missing_scores_and_quantile_grading() -> None:
    from xiangcun_eval.sensitivity.streaming import finite_ok

    ctx, index = _ctx_and_rows(64)
    bad = index.copy()
    bad[3, 5] = np.nan
    assert not finite_ok(ctx, bad)
