"""Uniforms of replicates: chunk-invariant Philox rows, the Saltelli design by base rows."""

from __future__ import annotations

import numpy as np

from helpers import asem
from spaces import COINR
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.sensitivity import engine as eng
from xiangcun_eval.sensitivity.sobol import sensitivity
from xiangcun_eval.sensitivity.uniforms import philox_rows, sa_rows, ua_rows


def test_philox_rows_chunk_invariant() -> None:
    key = np.asarray(np.random.SeedSequence(9).generate_state(2, np.uint64), dtype=np.uint64)
    full = philox_rows(key, 0, 50, 7)
    parts = np.vstack([philox_rows(key, a, b, 7) for a, b in ((0, 3), (3, 4), (4, 33), (33, 50))])
    assert np.array_equal(full, parts)
    assert full.min() >= 0 and full.max() < 1


def test_saltelli_blocks_share_columns() -> None:
    data, m = asem()
    res = sensitivity(data, m, COINR, n=8, seed=2, n_boot=0, keep_outputs=True)
    assert res.scores is not None
    # AB_i differs from A only through factor i: with aggregation moved, AB_3 rows whose
    # aggregation choice equals A's are identical to A.
    assert res.scores.shape == (5, 8, data.n_units)



def test_sa_rows_ab_blocks_take_factor_columns_from_b() -> None:
    data, m = asem()
    nominal = evaluate(data, m)
    ctx = eng.build_context(data, m, COINR, seed=2, sampling="sobol",
                            nominal_index=nominal.index, nominal_rank=nominal.rank,
                            nominal_level1=nominal.level_scores[0], keep=True)
    m_ = 8
    u = sa_rows(ctx, 0, m_)
    d = ctx.n_factors
    assert u.shape == ((d + 2) * m_, ctx.n_dims)
    a, b = u[:m_], u[m_ : 2 * m_]
    for i, atom in enumerate(ctx.atoms):
        ab = u[(2 + i) * m_ : (3 + i) * m_]
        cols = np.zeros(ctx.n_dims, dtype=bool)
        cols[atom.col : atom.col + atom.dim] = True
        np.testing.assert_array_equal(ab[:, cols], b[:, cols])
        np.testing.assert_array_equal(ab[:, ~cols], a[:, ~cols])
    # any base-row range gives the same rows
    parts = [sa_rows(ctx, s, s + 4) for s in (0, 4)]
    for blk in range(d + 2):
        np.testing.assert_array_equal(
            np.vstack([p[blk * 4 : (blk + 1) * 4] for p in parts]), u[blk * m_ : (blk + 1) * m_])


def test_ua_rows_sobol_chunk_invariant() -> None:
    data, m = asem()
    nominal = evaluate(data, m)
    ctx = eng.build_context(data, m, COINR, seed=5, sampling="sobol",
                            nominal_index=nominal.index, nominal_rank=nominal.rank,
                            nominal_level1=nominal.level_scores[0])
    np.testing.assert_array_equal(ua_rows(ctx, 0, 32),
                                  np.vstack([ua_rows(ctx, 0, 20), ua_rows(ctx, 20, 32)]))
