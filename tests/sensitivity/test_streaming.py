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


_FIELDS = ("s1", "s2", "n_score", "rank_sum", "rank_sq", "n_rank", "shift_sum", "n_shift",
           "grade_counts", "top_counts", "rank_hist", "score_hist", "row_shift")


def _assert_same_partial(a: Any, b: Any) -> None:
    for k in _FIELDS:
        x, y = np.asarray(getattr(a, k)), np.asarray(getattr(b, k))
        if x.dtype.kind in "iu":  # integer sums may be narrower: same values
            assert y.dtype.kind in "iu", k
            x, y = x.astype(np.int64), y.astype(np.int64)
        assert x.dtype == y.dtype, k
        assert x.tobytes() == y.tobytes(), k
    assert (a.start, a.stop, a.score_clipped) == (b.start, b.stop, b.score_clipped)


def test_stream_rows_by_sub_batches_equals_whole_chunk_bitwise() -> None:
    """Sub-batches of 1, 7 and 64 rows (any split of the rows) give the
    accumulators of the whole chunk, bit for bit; the finite path and the
    general one (missing scores, a unit without nominal rank)."""
    from xiangcun_eval.methods.rank import rank_desc
    from xiangcun_eval.sensitivity.ranking import desc_ranks_i32
    from xiangcun_eval.sensitivity.streaming import stream, stream_finite, stream_rows

    ctx, index = _ctx_and_rows(192)
    nu = index.shape[1]
    whole = stream_finite(ctx, 64, 256, index, desc_ranks_i32(index))
    for rows in (1, 7, 64, 192):
        _assert_same_partial(stream_rows(ctx, 64, 256, index.copy(), sub_bytes=8 * nu * rows),
                             whole)
    bad = index.copy()
    bad[3, 5] = bad[100, :4] = np.nan
    whole = stream(ctx, 0, 192, bad, rank_desc(bad))
    for rows in (1, 5, 192):
        _assert_same_partial(stream_rows(ctx, 0, 192, bad.copy(), sub_bytes=8 * nu * rows),
                             whole)
    assert whole.n_score[5] == 191


def test_stream_rows_overwrites_index_with_squared_deviations() -> None:
    from xiangcun_eval.sensitivity.streaming import stream_rows

    ctx, index = _ctx_and_rows(64)
    x = index.copy()
    stream_rows(ctx, 0, 64, x, sub_bytes=8 * index.shape[1] * 10)
    assert x.tobytes() == ((index - ctx.nominal_index) ** 2).tobytes()


def test_stream_finite_beyond_int32_rank_squares_equals_stream() -> None:
    """50,000 units: squared ranks overflow int32, the mask-free path counts them in
    int64 (village scale goes through it since the sub-batches)."""
    from dataclasses import replace

    from xiangcun_eval.methods.rank import rank_desc
    from xiangcun_eval.sensitivity.ranking import desc_ranks_i32
    from xiangcun_eval.sensitivity.streaming import finite_ok, stream, stream_finite

    ctx, _ = _ctx_and_rows(64)
    nu = 50_000
    rng = np.random.default_rng(8)
    nominal = rng.uniform(0, 100, nu)
    ctx = replace(ctx, nominal_index=nominal, nominal_rank=rank_desc(nominal),
                  rank_bins=16, score_bins=16, score_lo=nominal - 30, score_hi=nominal + 30)
    index = nominal + rng.normal(0, 10, (6, nu))
    assert finite_ok(ctx, index)
    a = stream_finite(ctx, 0, 6, index, desc_ranks_i32(index))
    _assert_same_partial(a, stream(ctx, 0, 6, index, rank_desc(index)))
    assert int(a.rank_sq.max()) > 2**31
