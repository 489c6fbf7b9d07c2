"""The linear fast path (effective-weight products) against level-by-level aggregation."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers import asem
from spaces import COINR, NORM
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.methodology import (
    ImputeSpec,
)
from xiangcun_eval.sensitivity import engine as eng
from xiangcun_eval.sensitivity.fastpath import _unique_rows


def test_fast_path_equals_level_by_level_aggregation() -> None:
    """The linear fast path (one product for all levels) against aggregate_tree,
    on data with missing values (no imputation) for both means."""

    data, m = asem()
    m = m.replace(impute=ImputeSpec(method="none"), normalise=NORM.alternatives[0])
    nominal = evaluate(data, m)
    assert np.isnan(nominal.level_scores[0]).any()
    kw: dict[str, Any] = dict(seed=3, sampling="random", nominal_index=nominal.index,
                              nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0])
    fast = eng.build_context(data, m, COINR, **kw)
    slow = eng.build_context(data, m, COINR, fast=False, **kw)
    assert all(c.fast is not None for c in fast.combos.values())
    fps = [c.fast for c in fast.combos.values() if c.fast is not None]
    assert any(fp.partial for fp in fps)  # missing children corrected
    u = eng.ua_rows(fast, 0, 200)
    a, _ = eng.compute_rows(fast, u)
    b, _ = eng.compute_rows(slow, u)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-10)
    from xiangcun_eval.methods.rank import rank_desc

    np.testing.assert_array_equal(rank_desc(a), rank_desc(b))


def test_fast_path_with_groups_without_data() -> None:
    """Units with a whole pillar missing: renormalisation above level 2."""

    data, m = asem()
    vals = np.array(data.values)
    fw = data.framework
    pillar = [fw.indicator_codes.index(c) for c in fw.children(fw.level_codes(2)[0])]
    vals[np.ix_([0, 3, 7], pillar)] = np.nan
    sust = [j for j, c in enumerate(fw.indicator_codes) if fw.ancestor(c, 3) == "Sust"]
    vals[np.ix_([9], sust)] = np.nan  # a whole sub-index
    d2 = data.with_values(vals)
    m = m.replace(impute=ImputeSpec(method="none"), normalise=NORM.alternatives[0])
    nominal = evaluate(d2, m)
    kw: dict[str, Any] = dict(seed=3, sampling="random", nominal_index=nominal.index,
                              nominal_rank=nominal.rank, nominal_level1=nominal.level_scores[0])
    fast = eng.build_context(d2, m, COINR, **kw)
    slow = eng.build_context(d2, m, COINR, fast=False, **kw)
    fps = [c.fast for c in fast.combos.values() if c.fast is not None]
    assert fps and all(len(fp.patterns) >= 3 for fp in fps)
    u = eng.ua_rows(fast, 0, 130)
    a, _ = eng.compute_rows(fast, u)
    b, _ = eng.compute_rows(slow, u)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-10)



def test_normalise_rows_equals_normalise_within_and_is_row_independent() -> None:
    from xiangcun_eval.pipeline import normalise_within
    from xiangcun_eval.sensitivity.fastpath import normalise_rows

    rng = np.random.default_rng(0)
    mem = np.array([0, 0, 1, 2, 2, 2], dtype=np.intp)
    w = rng.random((130, 6))
    w[5, 2] = 0.0  # a group with zero total gets zeros
    out = normalise_rows(w, mem, 3)
    np.testing.assert_allclose(out, normalise_within(w, mem, 3), rtol=1e-15)
    assert out[5, 2] == 0.0
    one = np.vstack([normalise_rows(w[i:i + 1], mem, 3) for i in range(w.shape[0])])
    assert one.tobytes() == out.tobytes()


def test_gemm_rows_blocks_by_global_position() -> None:
    from xiangcun_eval.sensitivity.fastpath import GEMM_ROWS, gemm_rows, row_blocks

    rng = np.random.default_rng(1)
    a, b = rng.random((200, 30)), rng.random((30, 17))
    slots = np.arange(100, 300, dtype=np.int64)
    full = gemm_rows(a, b, slots)
    np.testing.assert_allclose(full, a @ b, rtol=1e-14)
    # rows computed in any grouping that keeps global positions give the same bits
    cuts = ((0, 28), (28, 156), (156, 200))
    parts = np.vstack([gemm_rows(a[i:j], b, slots[i:j]) for i, j in cuts])
    assert parts.tobytes() == full.tobytes()
    assert all((slots[j - 1] // GEMM_ROWS) == (slots[i] // GEMM_ROWS) for i, j in row_blocks(slots))


def test_unique_rows_equals_numpy_unique_axis0() -> None:
    """Missing-data patterns: the packed 64-bit codes give np.unique's rows, order
    and inverse (and more than 64 columns fall back to np.unique)."""
    rng = np.random.default_rng(3)
    for n, k, p in ((1, 1, 0.5), (40, 7, 0.3), (300, 37, 0.05), (50, 64, 0.5), (30, 70, 0.5)):
        key = rng.random((n, k)) < p
        key = key[rng.integers(0, n, size=n)]  # repeated rows
        want, inv = np.unique(key, axis=0, return_inverse=True)
        got, got_inv = _unique_rows(key)
        assert np.array_equal(got, want) and np.array_equal(got_inv, inv.reshape(-1))
