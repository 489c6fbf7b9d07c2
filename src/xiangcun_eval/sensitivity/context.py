"""The engine context: everything a chunk task needs, built once per run.

:func:`build_context` compiles the space (:mod:`.factors`), evaluates every
*discrete combination* of preprocessing and aggregation/weights settings
with its nominal weights before anything runs (so invalid combinations are
reported together, up front), and precomputes per combination the
normalised level-1 matrix, the level plans, the nominal weights and — when
the aggregation is a weighted arithmetic or geometric mean — the linear
fast path (:mod:`.fastpath`).  The :class:`EngineContext` holds only plain,
picklable data, so it can be shipped once to process pools and Dask workers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError, XiangcunError
from ..framework.model import Framework
from ..inputs.data import UnitData
from ..methodology import GradingSpec, Methodology
from ..pipeline import (
    LevelPlan,
    Preprocessed,
    aggregate_level,
    level_plans,
    preprocess,
    resolve_weights,
)
from .factors import Atom, apply_setting, compile_space, describe_setting
from .fastpath import FastPlan, fast_plan
from .space import ParameterRange, UncertaintySpace

__all__ = [
    "BLOCK",
    "COMPACT_BYTES",
    "Combo",
    "DataState",
    "EngineContext",
    "Level1Store",
    "MemoryBudgetError",
    "build_context",
    "combo_of",
    "nominal_chain",
]

F64 = NDArray[np.float64]

_NO_LEVEL1: F64 = np.empty((0, 0))
"""Placeholder level-1 matrix of a combination served by the fast path (not shipped)."""
_NO_INDEX: F64 = np.empty(0)
"""Placeholder nominal index of a compact combination (not used by the chunks)."""
BLOCK = 64
"""Rows per accumulation block; chunk boundaries are multiples of it."""

_MAX_COMBOS = 20_000

COMPACT_BYTES = 64 << 20
"""With ``compact=None`` (:func:`build_context`), the fast-path data of the
combinations are held compactly (:class:`Level1Store`) when they need more
than this many bytes."""


class MemoryBudgetError(XiangcunError, MemoryError):
    """The run would need more memory than the budget allows."""



# --------------------------------------------------------------------------- data state
@dataclass(frozen=True)
class DataState:
    """A picklable copy of :class:`UnitData` (whose mapping proxies are not)."""

    framework: Framework
    units: tuple[str, ...]
    names: tuple[str, ...]
    values: F64
    groups: dict[str, tuple[str, ...]]
    year: int | None
    kind: Literal["county", "unit"]
    denominators: dict[str, F64]

    @classmethod
    def of(cls, d: UnitData) -> DataState:
        return cls(d.framework, d.units, d.names, np.asarray(d.values), dict(d.groups), d.year,
                   d.kind, {k: np.asarray(v) for k, v in d.denominators.items()})

    def build(self, values: F64 | None = None) -> UnitData:
        return UnitData(framework=self.framework, units=self.units, names=self.names,
                        values=self.values if values is None else values, groups=self.groups,
                        year=self.year, kind=self.kind, denominators=self.denominators)


# --------------------------------------------------------------------------- combinations
@dataclass(frozen=True)
class Combo:
    """A discrete combination: level-1 data, level plans, nominal weights.

    ``level1`` is an empty placeholder when the fast path serves the
    combination and nothing is built lazily (see :func:`build_context`): the
    fast plan holds what the products need.
    """

    level1: F64
    plans: tuple[LevelPlan, ...]
    wnom: tuple[F64, ...]
    index: F64
    fast: FastPlan | None = None


def nominal_chain(pre: Preprocessed, plans: Sequence[LevelPlan]) -> tuple[tuple[F64, ...], F64]:
    """Nominal weights of every level and the index (what evaluate() does)."""
    ws: list[F64] = []
    x = pre.normalised
    for plan in plans:
        w = resolve_weights(plan, x, pre.treated, pre.direction)
        ws.append(w)
        x = aggregate_level(plan, x, w)
    return tuple(ws), x[:, 0]


@dataclass(frozen=True, eq=False)
class Level1Store:
    """The fast-path data of every combination of one preprocessing key, once.

    The fast plans (:class:`~xiangcun_eval.sensitivity.fastpath.FastPlan`) of
    the combinations sharing a preprocessing key differ only in ``t``: the
    level-1 values (arithmetic mean) or their logarithm (geometric mean), and
    in the copies of ``t`` and of the availability for the partly missing
    groups.  At village scale each plan holds about ``n_units × n_indicators``
    doubles, and a worker held one per combination (500,000 × 60, four
    combinations: 1.5 GB).  The store keeps the arithmetic plan's ``t`` and
    the availability, pattern by pattern; :meth:`plan` rebuilds either plan by
    the same element-wise operations as
    :func:`~xiangcun_eval.sensitivity.fastpath.fast_plan`
    (``t = ln x`` where available, else 0; gathers for the partial groups),
    and :func:`build_context` checks, before the run, that the rebuilt arrays
    equal the eager plan's byte for byte (a combination that does not stays
    eager).
    """

    base: FastPlan
    """The arithmetic plan with empty partial-group copies."""
    avail: tuple[NDArray[np.uint8], ...]
    """Per pattern, ``(k, n_pattern_units)``: level-1 value available, packed
    eight to a byte along the units (``np.packbits``; :meth:`available`)."""

    @classmethod
    def of(cls, arith: FastPlan, level1: F64, like: Level1Store | None = None) -> Level1Store:
        """Build the store of an arithmetic plan and its level-1 matrix.

        Arrays equal to those of ``like`` (another key's store) are shared
        with it (shipped and held once).
        """
        def share(x: NDArray[Any], y: NDArray[Any] | None) -> NDArray[Any]:
            same = y is not None and x.dtype == y.dtype and x.shape == y.shape \
                and x.tobytes() == y.tobytes()
            return y if same and y is not None else x

        avail = ~np.isnan(level1)
        n_pat = len(arith.patterns)
        other = like if like is not None and len(like.avail) == n_pat \
            and len(like.base.partial) == len(arith.partial) else None
        av = tuple(share(np.packbits(avail[p.units].T, axis=1),
                         other.avail[i] if other else None)
                   for i, p in enumerate(arith.patterns))
        pats = tuple(replace(p, units=share(p.units, other.base.patterns[i].units if other
                                            else None))
                     for i, p in enumerate(arith.patterns))
        empty = np.empty((0, 0))
        partial = tuple(
            (g, cols, share(units, other.base.partial[i][2] if other else None),
             share(pids, other.base.partial[i][3] if other else None), empty, empty)
            for i, (g, cols, units, pids, _, _) in enumerate(arith.partial))
        inverse = share(arith.inverse, other.base.inverse if other else None)
        return cls(replace(arith, patterns=pats, partial=partial, inverse=inverse), av)

    def available_at(self, p: int, cols: NDArray[np.intp], local: NDArray[np.intp]) -> F64:
        """Return the availability (0.0 / 1.0) of pattern ``p`` at ``np.ix_(cols, local)``.

        Read from the packed bits (no full unpacking).
        """
        byte = self.avail[p][np.ix_(cols, local >> 3)]
        out: F64 = ((byte >> (7 - (local & 7)).astype(np.uint8)) & 1).astype(np.float64)
        return out

    def plan(self, geometric: bool) -> FastPlan:
        """Rebuild the fast plan of the arithmetic or the geometric mean.

        Geometric: every available level-1 value is positive (else ``fast_plan``
        gives no geometric plan, and there is nothing to rebuild), so the
        arithmetic ``t`` is non-zero exactly where a value is available:
        ``ln`` of ``t`` there and of 1 (= 0) elsewhere, as ``fast_plan``.
        """
        pats = list(self.base.patterns)
        starts = np.cumsum([0] + [p.units.size for p in pats[:-1]])
        entries = self.base.partial
        tsubs = [np.empty((e[1].size, e[2].size)) for e in entries]
        asubs = [np.empty((e[1].size, e[2].size)) for e in entries]
        for p, pat in enumerate(pats):  # a handful of patterns
            if geometric:
                t = np.where(pat.t0t != 0.0, pat.t0t, 1.0)
                np.log(t, out=t)
                pats[p] = pat = replace(pat, t0t=t)
            for (_, cols, units, pids, _, _), tsub, asub in zip(entries, tsubs, asubs,
                                                                strict=True):
                sel = np.flatnonzero(pids == p)
                if sel.size:
                    local = units[sel] - starts[p]
                    tsub[:, sel] = pat.t0t[np.ix_(cols, local)]
                    asub[:, sel] = self.available_at(p, cols, local)
        partial = tuple((g, cols, units, pids, tsub, asub) for (g, cols, units, pids, _, _), tsub,
                        asub in zip(entries, tsubs, asubs, strict=True))
        return replace(self.base, geometric=geometric, patterns=tuple(pats), partial=partial)


def _same_plan(a: FastPlan, b: FastPlan) -> bool:
    """Byte-for-byte equality of two fast plans' arrays."""
    def same(x: NDArray[np.generic], y: NDArray[np.generic]) -> bool:
        return x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()

    if a.geometric != b.geometric or len(a.patterns) != len(b.patterns) \
            or len(a.partial) != len(b.partial) or not same(a.inverse, b.inverse):
        return False
    for p, q in zip(a.patterns, b.patterns, strict=True):
        if p.root_missing != q.root_missing or not same(p.units, q.units) \
                or not same(p.t0t, q.t0t) or len(p.missing) != len(q.missing) \
                or not all(same(x, y) for x, y in zip(p.missing, q.missing, strict=True)):
            return False
    for pa, pb in zip(a.partial, b.partial, strict=True):
        if pa[0] != pb[0] or not all(same(x, y) for x, y in zip(pa[1:], pb[1:], strict=True)):
            return False
    return True


def _fast_bytes(plan: FastPlan) -> int:
    return sum(p.t0t.nbytes for p in plan.patterns) + sum(
        x[4].nbytes + x[5].nbytes for x in plan.partial)


def _compact(combos: dict[tuple[tuple[float, ...], tuple[float, ...]], Combo],
             compact: bool | None) -> tuple[
                 dict[tuple[tuple[float, ...], tuple[float, ...]], Combo],
                 dict[tuple[float, ...], Level1Store],
                 dict[tuple[tuple[float, ...], tuple[float, ...]], Combo]]:
    """Split the combinations into eager ones and ones served by a :class:`Level1Store`."""
    fast = {k: c for k, c in combos.items() if c.fast is not None}
    if compact is None:
        compact = sum(_fast_bytes(c.fast) for c in fast.values()
                      if c.fast is not None) > COMPACT_BYTES
    if not compact:
        return combos, {}, {}
    stores: dict[tuple[float, ...], Level1Store] = {}
    for (pk, _), c in fast.items():
        if pk not in stores and c.fast is not None and not c.fast.geometric:
            first = next(iter(stores.values()), None)
            stores[pk] = Level1Store.of(c.fast, c.level1, first)
    eager = dict(combos)
    lazy: dict[tuple[tuple[float, ...], tuple[float, ...]], Combo] = {}
    for key, c in fast.items():
        st = stores.get(key[0])
        if st is None or c.fast is None or not _same_plan(st.plan(c.fast.geometric), c.fast):
            continue
        lazy[key] = replace(c, level1=_NO_LEVEL1, fast=None, index=_NO_INDEX)
        del eager[key]
    used = {k[0] for k in lazy}
    return eager, {k: v for k, v in stores.items() if k in used}, lazy


def combo_of(ctx: EngineContext, key: tuple[tuple[float, ...], tuple[float, ...]]
             ) -> Combo | None:
    """Return the combination ``key`` with its fast plan.

    From :attr:`EngineContext.combos`, or rebuilt from the context's
    :class:`Level1Store` (compact contexts); None when the context has neither
    (the engine then builds it lazily).
    """
    c = ctx.combos.get(key)
    if c is not None:
        return c
    lazy = ctx.compact.get(key)
    if lazy is None:
        return None
    geometric = {p.aggregate_spec.method for p in lazy.plans} == {"geometric"}  # as fast_plan
    return replace(lazy, fast=ctx.stores[key[0]].plan(geometric))


@dataclass(frozen=True, eq=False)
class EngineContext:
    """Everything a chunk task needs (plain, picklable data)."""

    space: UncertaintySpace
    base: Methodology
    data: DataState
    atoms: tuple[Atom, ...]
    n_dims: int
    seed: int
    philox_key: NDArray[np.uint64]
    sampling: Literal["random", "sobol"]
    combos: dict[tuple[tuple[float, ...], tuple[float, ...]], Combo]
    nominal_index: F64
    nominal_rank: F64
    grading: GradingSpec
    top_k: tuple[int, ...] = (10,)
    rank_bins: int = 0
    score_bins: int = 0
    score_lo: F64 = field(default_factory=lambda: np.zeros(0))
    score_hi: F64 = field(default_factory=lambda: np.zeros(0))
    keep: bool = False
    fast: bool = True
    token: str = ""
    stores: dict[tuple[float, ...], Level1Store] = field(default_factory=dict)
    """Compact fast-path data per preprocessing key (:class:`Level1Store`)."""
    compact: dict[tuple[tuple[float, ...], tuple[float, ...]], Combo] = field(
        default_factory=dict)
    """Combinations served from :attr:`stores`: their :class:`Combo` without a
    fast plan (``fast=None``, empty ``level1``); :func:`combo_of` builds the
    plan when a chunk needs it.  Not in :attr:`combos`."""

    @property
    def n_units(self) -> int:
        return int(self.nominal_index.size)

    @property
    def n_factors(self) -> int:
        return len(self.atoms)

    def atoms_of(self, role: str) -> list[Atom]:
        return [a for a in self.atoms if a.role == role]


def build_context(
    data: UnitData, methodology: Methodology, space: UncertaintySpace, *, seed: int,
    sampling: Literal["random", "sobol"], nominal_index: F64, nominal_rank: F64,
    nominal_level1: F64, top_k: Sequence[int] = (10,), rank_bins: int = 0, score_bins: int = 0,
    keep: bool = False, fast: bool = True, compact: bool | None = False,
) -> EngineContext:
    """Compile the space and precompute every discrete combination.

    Every combination of the discrete preprocessing and aggregation settings
    is evaluated with its nominal weights before anything runs (continuous
    parameters at both ends of their range); invalid combinations raise one
    :class:`MethodError` naming all of them.

    ``compact``: hold the fast-path data once per preprocessing key
    (:class:`Level1Store`, rebuilt per chunk by :func:`combo_of`) instead of
    once per combination; ``None``: when they need more than
    :data:`COMPACT_BYTES`.  Only when every combination is precomputed (no
    data noise, no continuous preprocessing parameter) and only for the
    engine's uncertainty chunks (:func:`~xiangcun_eval.sensitivity.engine.run_chunk`
    with ``"ua"``); the numbers are the same bit for bit.
    """
    fw = data.framework
    space.check(fw, methodology)
    atoms = compile_space(space, fw)
    pre_atoms = [a for a in atoms if a.role == "pre"]
    plan_atoms = [a for a in atoms if a.role == "plans"]

    def values_of(a: Atom) -> list[float]:
        f = space.factors[a.factor]
        if isinstance(f, ParameterRange):
            if a.n_alt is None:
                return [f.low, f.high]
            return [f.value_of(k) for k in range(a.n_alt)]
        assert a.n_alt is not None
        return [float(k) for k in range(a.n_alt)]

    pre_keys = list(itertools.product(*[values_of(a) for a in pre_atoms]))
    plan_keys = list(itertools.product(*[values_of(a) for a in plan_atoms]))
    if len(pre_keys) * len(plan_keys) > _MAX_COMBOS:
        raise MethodError(
            f"离散组合过多 ({len(pre_keys) * len(plan_keys)}) / too many discrete combinations "
            f"({len(pre_keys)} preprocessing × {len(plan_keys)} aggregation/weights, limit "
            f"{_MAX_COMBOS}): quantise fewer parameters or split the analysis")
    state = DataState.of(data)
    problems: list[str] = []
    pres: dict[tuple[float, ...], Preprocessed] = {}
    for pk in pre_keys:
        m = methodology
        for a, v in zip(pre_atoms, pk, strict=True):
            m = apply_setting(m, space, a, v)
        try:
            pres[pk] = preprocess(data, m)
        except MethodError as exc:
            what = " × ".join(describe_setting(space, a, v)
                              for a, v in zip(pre_atoms, pk, strict=True))
            problems.append(f"{what}: {exc}")
    plans_of: dict[tuple[float, ...], tuple[LevelPlan, ...]] = {}
    for lk in plan_keys:
        m = methodology
        for a, v in zip(plan_atoms, lk, strict=True):
            m = apply_setting(m, space, a, v)
        plans_of[lk] = level_plans(fw, m)
    combos: dict[tuple[tuple[float, ...], tuple[float, ...]], Combo] = {}
    for pk, pre in pres.items():
        for lk, plans in plans_of.items():
            try:
                wnom, index = nominal_chain(pre, plans)
            except MethodError as exc:
                what = " × ".join(
                    [describe_setting(space, a, v) for a, v in zip(pre_atoms, pk, strict=True)]
                    + [describe_setting(space, a, v) for a, v in zip(plan_atoms, lk, strict=True)])
                problems.append(f"{what or 'nominal'}: {exc}")
                continue
            lvl1 = np.ascontiguousarray(pre.normalised)
            lvl1.setflags(write=False)
            combos[(tuple(pk), tuple(lk))] = Combo(lvl1, plans, wnom, index,
                                                   fast_plan(lvl1, plans) if fast else None)
    if problems:
        raise MethodError(
            "不确定性空间中有无效的方法组合（运行前以名义权重检查）/ invalid method combination(s) "
            f"in the uncertainty space (checked before running, with nominal weights): "
            f"{len(problems)} problem(s)\n" + "\n".join(f"  - {p}" for p in problems)
            + "\n修正 / Fix: drop or change the alternatives named above (e.g. min-max to [1, 100] "
            "instead of [0, 100] with the geometric mean).")
    lo = np.nanmin(nominal_level1, axis=1)
    hi = np.nanmax(nominal_level1, axis=1)
    for c in combos.values():
        lo = np.fmin(lo, np.nanmin(c.level1, axis=1))
        hi = np.fmax(hi, np.nanmax(c.level1, axis=1))
    lazy = any(a.role == "data" for a in atoms) or any(
        a.role == "pre" and a.n_alt is None for a in atoms)
    if lazy:
        span = hi - lo
        lo, hi = lo - 0.25 * span, hi + 0.25 * span
    if not any(a.role == "data" or (a.role in ("pre", "plans") and a.n_alt is None)
               for a in atoms):
        # every combination is precomputed: workers need neither the raw values nor,
        # where the fast path serves, the level-1 matrix (village scale: n_units ×
        # n_indicators doubles each, shipped to every worker)
        # nor the unit names, groups and denominators (500,000 units: ~100 MB of Python
        # strings per worker); the unit codes stay, so a stray rebuild from this
        # state fails on the missing values instead of running on no units
        k = state.values.shape[1]
        state = replace(state, values=np.empty((0, k)), names=(), groups={}, denominators={})
        combos, stores, lazy_combos = _compact(combos, compact)
        combos = {key: (replace(c, level1=_NO_LEVEL1) if c.fast is not None else c)
                  for key, c in combos.items()}
    else:
        stores, lazy_combos = {}, {}
    ss = np.random.SeedSequence(seed)
    return EngineContext(
        space=space, base=methodology, data=state, atoms=atoms,
        n_dims=sum(a.dim for a in atoms), seed=int(seed),
        philox_key=np.asarray(ss.generate_state(2, np.uint64), dtype=np.uint64),
        sampling=sampling, combos=combos,
        nominal_index=np.asarray(nominal_index, dtype=np.float64),
        nominal_rank=np.asarray(nominal_rank, dtype=np.float64),
        grading=methodology.grading, top_k=tuple(int(k) for k in top_k), rank_bins=rank_bins,
        score_bins=score_bins, score_lo=lo, score_hi=hi, keep=keep, fast=fast,
        token=f"{seed}-{id(space)}-{np.random.SeedSequence().entropy}",
        stores=stores, compact=lazy_combos,
    )

