"""Rows → weights → scores: weights normalised within groups; a row's score does
not depend on the other rows of its chunk."""

from __future__ import annotations

import numpy as np

from helpers import asem
from spaces import RICH
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.sensitivity import engine as eng
from xiangcun_eval.sensitivity.rows import compute_rows
from xiangcun_eval.sensitivity.uniforms import ua_rows


def _ctx() -> eng.EngineContext:
    data, m = asem()
    nominal = evaluate(data, m)
    return eng.build_context(data, m, RICH, seed=7, sampling="random",
                             nominal_index=nominal.index, nominal_rank=nominal.rank,
                             nominal_level1=nominal.level_scores[0])


def test_weights_sum_to_one_within_groups() -> None:
    ctx = _ctx()
    u = ua_rows(ctx, 0, 100)
    _, record = compute_rows(ctx, u, with_weights=True)
    assert sum(r.size for r, _, _ in record) == 100
    for _rows, ws, combo in record:
        for plan, w in zip(combo.plans, ws, strict=True):
            assert np.all(w >= 0)
            tot = np.zeros((w.shape[0], len(plan.codes)))
            np.add.at(tot.T, plan.membership, w.T)
            np.testing.assert_allclose(tot[tot > 0], 1.0, rtol=1e-12)


def test_row_scores_independent_of_chunk_composition() -> None:
    ctx = _ctx()
    u = ua_rows(ctx, 0, 192)
    slots = np.arange(192, dtype=np.int64)
    full, _ = compute_rows(ctx, u, slots=slots)
    parts = np.vstack([compute_rows(ctx, u[a:b], slots=slots[a:b])[0]
                       for a, b in ((0, 64), (64, 128), (128, 192))])
    assert full.tobytes() == parts.tobytes()
