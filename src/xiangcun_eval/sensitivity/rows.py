"""Replicate rows → index scores.

:func:`compute_rows` groups the rows of a chunk by their discrete
combination (``np.unique`` over the per-row settings), draws every row's
weights (:func:`row_weights`: nominal → Dirichlet (inverse CDF,
``scipy.special.gammaincinv``) → multiplicative noise ``1 + a(2u − 1)`` →
leave-out mask → normalised within groups) and aggregates all rows of one
combination together: by the linear fast path (:mod:`.fastpath`) when the
combination has one, otherwise by
:func:`~xiangcun_eval.pipeline.aggregate_tree` (one batched matrix product
per level).  The only Python loops are over the combinations present in the
chunk — except for data noise and continuous preprocessing parameters,
where each row needs its own preprocessing pass.

Data noise: the factor's uniform ``u`` keys a Philox stream
``SeedSequence(seed, spawn_key=(0xDA7A, factor, floor(u·2^53)))`` drawing
the ``n_units × n_indicators`` noise field, so an ``AB_i`` row that copies
the factor from ``B`` also copies its noise field.

:func:`replicate_settings` turns rows back into methodologies (and data)
for :func:`~xiangcun_eval.replay`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaincinv  # type: ignore[import-untyped, unused-ignore]

from ..errors import MethodError
from ..methodology import Methodology
from ..pipeline import LevelPlan, aggregate_tree, level_plans, preprocess
from .context import Combo, EngineContext, nominal_chain
from .design import to_discrete
from .factors import Atom, apply_setting, atom_values, describe_setting
from .fastpath import fast_index, fast_plan, normalise_rows
from .space import DataNoise, WeightDirichlet, WeightNoise

__all__ = ["compute_rows", "replicate_settings", "row_weights"]

F64 = NDArray[np.float64]

# --------------------------------------------------------------------------- rows -> scores
_LAZY: OrderedDict[tuple[str, tuple[float, ...], tuple[float, ...]], Combo] = OrderedDict()


def _methodology_for(ctx: EngineContext, pk: Sequence[float], lk: Sequence[float]) -> Methodology:
    m = ctx.base
    for a, v in zip(ctx.atoms_of("pre"), pk, strict=True):
        m = apply_setting(m, ctx.space, a, v)
    for a, v in zip(ctx.atoms_of("plans"), lk, strict=True):
        m = apply_setting(m, ctx.space, a, v)
    return m


def _combo(ctx: EngineContext, pk: tuple[float, ...], lk: tuple[float, ...]) -> Combo:
    c = ctx.combos.get((pk, lk))
    if c is not None:
        return c
    key = (ctx.token, pk, lk)
    c = _LAZY.get(key)
    if c is None:
        c = _build_combo(ctx, _methodology_for(ctx, pk, lk), None, pk + lk)
        _LAZY[key] = c
        while len(_LAZY) > 64:
            _LAZY.popitem(last=False)
    return c


def _build_combo(ctx: EngineContext, m: Methodology, values: F64 | None,
                 key: Sequence[float]) -> Combo:
    data = ctx.data.build(values)
    try:
        pre = preprocess(data, m)
        plans = level_plans(data.framework, m)
        wnom, index = nominal_chain(pre, plans)
    except MethodError as exc:
        what = " × ".join(describe_setting(ctx.space, a, v) for a, v in
                          zip(ctx.atoms_of("pre") + ctx.atoms_of("plans"), key, strict=False))
        raise MethodError(
            f"重复运行失败 / a replicate failed ({what}"
            f"{', with data noise' if values is not None else ''}): {exc}") from None
    lvl1 = np.ascontiguousarray(pre.normalised)
    return Combo(lvl1, plans, wnom, index, fast_plan(lvl1, plans) if ctx.fast else None)


def _noisy_values(ctx: EngineContext, atom: Atom, u: float) -> F64:
    f = ctx.space.factors[atom.factor]
    assert isinstance(f, DataNoise)
    fw = ctx.data.framework
    e = np.array([f.by_indicator.get(c, f.relative) for c in fw.indicator_codes])
    ss = np.random.SeedSequence(ctx.seed, spawn_key=(0xDA7A, atom.factor, int(u * 2.0**53)))
    v = np.random.Generator(np.random.Philox(ss)).random(ctx.data.values.shape)
    out: F64 = ctx.data.values * (1.0 + e * (2.0 * v - 1.0))
    return out


def row_weights(ctx: EngineContext, plans: Sequence[LevelPlan], wnom: Sequence[F64],
                u: F64, mask_choice: dict[int, NDArray[np.intp]]) -> list[F64]:
    """Children weights of every level for rows ``u`` (each ``(R, n_children)``,
    normalised within groups)."""
    r = u.shape[0]
    out: list[F64] = []
    for li, plan in enumerate(plans):
        nc, ng = len(plan.child_codes), len(plan.codes)
        base = wnom[li]
        w = np.array(np.broadcast_to(base, (r, nc)), dtype=np.float64)
        for atom in ctx.atoms:
            if atom.role != "weights":
                continue
            f = ctx.space.factors[atom.factor]
            for tli, cols, off in atom.targets:
                if tli != li:
                    continue
                uu = u[:, atom.col + off : atom.col + off + cols.size]
                if isinstance(f, WeightDirichlet):
                    alpha = f.concentration * normalise_rows(w, plan.membership, ng)[:, cols]
                    uc = np.clip(uu, 2.0**-53, 1.0 - 2.0**-53)
                    g = np.where(alpha > 0, gammaincinv(np.where(alpha > 0, alpha, 1.0), uc), 0.0)
                    w[:, cols] = g
                    w = normalise_rows(w, plan.membership, ng)
                else:
                    assert isinstance(f, WeightNoise)
                    w[:, cols] *= 1.0 + f.noise * (2.0 * uu - 1.0)
        for atom in ctx.atoms:
            if atom.role == "mask":
                w *= atom.masks[li][mask_choice[atom.col]]
        out.append(normalise_rows(w, plan.membership, ng))
    return out


def compute_rows(ctx: EngineContext, u: F64, *, with_weights: bool = False,
                 slots: NDArray[np.int64] | None = None, out: F64 | None = None,
                 ) -> tuple[F64, list[tuple[NDArray[np.intp], list[F64], Combo]]]:
    """Index scores ``(R, n_units)`` of the rows ``u`` ``(R, D)``.

    ``slots``: the rows' global positions (increasing; default ``0..R-1``),
    which fix where each row sits in the blocked matrix products.

    ``out``: where to write the scores (returned): an array ``(..., n_units)``
    whose leading axes, in C order, are the ``R`` rows — e.g. the
    ``(d + 2, m, n_units)`` view of a Saltelli chunk in the final outputs, so
    they are written once, in place.

    With ``with_weights`` also returns, per combination, the rows, the weights
    used and the combination (for replaying replicates with ``evaluate``).
    """
    r = u.shape[0]
    if slots is None:
        slots = np.arange(r, dtype=np.int64)
    pre_a, plan_a = ctx.atoms_of("pre"), ctx.atoms_of("plans")
    data_a = ctx.atoms_of("data")
    cols = [atom_values(ctx.space, a, u) for a in pre_a + plan_a]
    keys = np.column_stack(cols) if cols else np.zeros((r, 0))
    mask_choice = {a.col: to_discrete(u[:, a.col], a.n_alt or 1) for a in ctx.atoms_of("mask")}
    if keys.shape[1]:
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
    else:
        uniq, inv = np.zeros((1, 0)), np.zeros(r, dtype=np.intp)
    if out is None:
        out = np.empty((r, ctx.n_units))
    lead = out.shape[:-1]
    record: list[tuple[NDArray[np.intp], list[F64], Combo]] = []
    npre = len(pre_a)
    for c in range(uniq.shape[0]):
        rows = np.flatnonzero(inv == c)
        pk = tuple(float(v) for v in uniq[c, :npre])
        lk = tuple(float(v) for v in uniq[c, npre:])
        combo = _combo(ctx, pk, lk)
        if data_a:
            m = _methodology_for(ctx, pk, lk)
            da = data_a[0]
            per_row = [_build_combo(ctx, m, _noisy_values(ctx, da, float(u[i, da.col])), pk + lk)
                       for i in rows]
            level1: F64 = np.stack([p.level1 for p in per_row])
            wnom = [np.stack([p.wnom[li] for p in per_row]) for li in range(len(combo.plans))]
        else:
            level1 = combo.level1
            wnom = list(combo.wnom)
        ws = row_weights(ctx, combo.plans, wnom, u[rows],
                         {k: v[rows] for k, v in mask_choice.items()})
        if combo.fast is not None and not data_a:
            out[np.unravel_index(rows, lead)] = fast_index(combo.fast, combo.plans, ws,
                                                           slots[rows])
        else:
            out[np.unravel_index(rows, lead)] = aggregate_tree(level1, combo.plans, ws)[-1][..., 0]
        if with_weights:
            record.append((rows, ws, combo))
    return out, record


def replicate_settings(ctx: EngineContext, u: F64) -> list[dict[str, Any]]:
    """Per row: the methodology (alternatives applied, weights as
    ``weight_overrides``) and the data values (None unless data noise)."""
    index, record = compute_rows(ctx, u, with_weights=True)
    del index
    pre_a, plan_a = ctx.atoms_of("pre"), ctx.atoms_of("plans")
    data_a = ctx.atoms_of("data")
    out: list[dict[str, Any]] = [{} for _ in range(u.shape[0])]
    for rows, ws, combo in record:
        for k, i in enumerate(rows):
            pk = tuple(float(v) for v in (atom_values(ctx.space, a, u[i:i + 1])[0] for a in pre_a))
            lk = tuple(float(v) for v in (atom_values(ctx.space, a, u[i:i + 1])[0] for a in plan_a))
            m = _methodology_for(ctx, pk, lk)
            overrides = {c: float(w[k, j]) for plan, w in zip(combo.plans, ws, strict=True)
                         for j, c in enumerate(plan.child_codes)}
            m = m.replace(weight_overrides=overrides,
                          weights_by_level={}, weights=type(m.weights)())
            vals = None
            if data_a:
                vals = _noisy_values(ctx, data_a[0], float(u[i, data_a[0].col]))
            out[i] = {"methodology": m, "values": vals}
    return out

