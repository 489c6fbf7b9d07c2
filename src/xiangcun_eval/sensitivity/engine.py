"""The replicate engine behind :func:`~xiangcun_eval.uncertainty` and
:func:`~xiangcun_eval.sensitivity`.

How a replicate is computed
---------------------------
Every replicate (row) ``r`` is a function of one uniform vector
``u_r ∈ [0, 1)^D`` only, ``D`` = total dimension of the factors of the
:class:`~xiangcun_eval.sensitivity.space.UncertaintySpace`:

1. discrete factors pick an alternative ``min(floor(u·k), k − 1)``
   (impute / treat / normalise / aggregate specs, weight sets, leave-out
   subsets, quantised parameters); continuous parameters take
   ``low + u·(high − low)``;
2. the *discrete combination* of the row (its preprocessing key and its
   aggregation/weights key) selects a precomputed :class:`Combo`: the
   normalised level-1 matrix (:func:`~xiangcun_eval.evaluate.preprocess`
   once per preprocessing key), the level plans
   (:func:`~xiangcun_eval.evaluate.level_plans`) and the nominal weights of
   every level (:func:`~xiangcun_eval.evaluate.resolve_weights`, so data-driven
   weights are those of the combination);
3. weights: nominal → Dirichlet (inverse-CDF, ``scipy.special.gammaincinv``)
   → multiplicative noise ``1 + a(2u − 1)`` → leave-out mask → normalised
   within groups; shape ``(R, n_children)`` per level;
4. all rows of one combination are aggregated together by
   :func:`~xiangcun_eval.evaluate.aggregate_tree` (one batched matrix product
   per level), ranks by :func:`~xiangcun_eval.methods.rank.rank_desc` along the
   unit axis (ties "min", NaN kept, exactly as :func:`~xiangcun_eval.evaluate`).

The only Python loops are over the distinct combinations present in a chunk,
over chunks, and over fixed blocks of ``BLOCK`` rows when combining
floating-point accumulators.  Data noise and continuous (un-quantised)
preprocessing parameters are the exception: each such row needs its own
preprocessing pass (a loop over those rows).

Randomness scheme (reproducibility)
-----------------------------------
* Uncertainty analysis, ``sampling="random"`` (default): a counter-based
  Philox4x64 generator keyed by ``SeedSequence(seed).generate_state(2)``;
  row ``r`` uses doubles ``[r·P, (r + 1)·P)`` of the stream with
  ``P = 4·ceil(D/4)`` (``Philox.advance(r·P/4)``), so any row range is drawn
  without drawing the rows before it.
* ``sampling="sobol"`` and sensitivity analysis: rows of one scrambled Sobol'
  sequence from :mod:`~xiangcun_eval.sensitivity.design`
  (``uniform_sample_rows``: fixed scrambling + ``fast_forward``).  The
  Saltelli design takes ``A`` and ``B`` from the first and last ``D`` columns
  of a ``2D``-dimensional sequence; ``AB_i`` takes all the columns of factor
  ``i`` from ``B``.
* Data noise: the factor's uniform ``u`` keys a Philox stream
  ``SeedSequence(seed, spawn_key=(factor, floor(u·2^53)))`` drawing the
  ``n_units × n_indicators`` noise field, so an ``AB_i`` row that copies the
  factor from ``B`` also copies its noise field.

Floating-point accumulators are summed per block of ``BLOCK`` rows and the
blocks combined in row order; counts are exact integers.  Chunk boundaries
are multiples of ``BLOCK``.  Hence results are bitwise identical for any
executor, worker count and chunk size.
"""

from __future__ import annotations

import itertools
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaincinv  # type: ignore[import-untyped, unused-ignore]

from ..errors import MethodError, XiangcunError
from ..evaluate import (
    LevelPlan,
    Preprocessed,
    aggregate_level,
    aggregate_tree,
    level_plans,
    preprocess,
    resolve_weights,
)
from ..framework.model import Framework
from ..inputs.data import UnitData
from ..methodology import GradingSpec, ImputeSpec, Methodology, NormaliseSpec, TreatSpec
from ..methods import rank as _rank
from .design import to_discrete, uniform_sample_rows
from .space import (
    AggregateAlternatives,
    DataNoise,
    Exclusion,
    ImputeAlternatives,
    NormaliseAlternatives,
    ParameterRange,
    TreatAlternatives,
    UncertaintySpace,
    WeightDirichlet,
    WeightNoise,
    WeightSets,
    set_path,
)

__all__ = [
    "BLOCK",
    "Atom",
    "Combo",
    "EngineContext",
    "MemoryBudgetError",
    "RowsResult",
    "StreamPartial",
    "build_context",
    "compute_rows",
    "philox_rows",
    "replicate_settings",
    "run_chunk",
    "sa_rows",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BLOCK = 64
"""Rows per accumulation block; chunk boundaries are multiples of it."""

_MAX_COMBOS = 20_000


class MemoryBudgetError(XiangcunError, MemoryError):
    """The run would need more memory than the budget allows."""


# --------------------------------------------------------------------------- compiled factors
@dataclass(frozen=True)
class Atom:
    """One factor of the analysis after compilation against a framework.

    ``targets`` (weight factors): ``(plan_index, child_columns, offset)``,
    the uniforms of those children being ``u[:, col + offset : col + offset + len]``.
    ``masks`` (leave-out): per plan index, a ``(n_alternatives, n_children)``
    0/1 array.
    """

    name: str
    factor: int
    kind: str
    role: Literal["pre", "plans", "mask", "weights", "data"]
    col: int
    dim: int
    n_alt: int | None = None
    targets: tuple[tuple[int, NDArray[np.intp], int], ...] = ()
    masks: tuple[F64, ...] = ()


def compile_space(space: UncertaintySpace, fw: Framework) -> tuple[Atom, ...]:
    """Atoms (Sobol' factors) of a space, with their uniform columns."""
    atoms: list[Atom] = []
    col = 0
    for fi, f in enumerate(space.factors):
        if isinstance(f, WeightNoise | WeightDirichlet):
            pieces: list[tuple[str, list[tuple[int, NDArray[np.intp]]]]] = []
            if f.per == "weight":
                pieces.append((f.label, [(lv - 1, np.arange(len(fw.level_codes(lv)), dtype=np.intp))
                                         for lv in f.levels]))
            else:
                for lv in f.levels:
                    mem = fw.membership(lv + 1)
                    for g, gcode in enumerate(fw.level_codes(lv + 1)):
                        pieces.append((f"{f.label}:{gcode}", [(lv - 1, np.flatnonzero(mem == g))]))
            for name, tg in pieces:
                offs, targets = 0, []
                for li, cols in tg:
                    targets.append((li, cols.astype(np.intp), offs))
                    offs += cols.size
                atoms.append(Atom(name, fi, f.kind, "weights", col, offs, targets=tuple(targets)))
                col += offs
        elif isinstance(f, ImputeAlternatives | TreatAlternatives | NormaliseAlternatives):
            atoms.append(Atom(f.label, fi, f.kind, "pre", col, 1, n_alt=f.n_alternatives))
            col += 1
        elif isinstance(f, AggregateAlternatives):
            atoms.append(Atom(f.label, fi, f.kind, "plans", col, 1, n_alt=f.n_alternatives))
            col += 1
        elif isinstance(f, WeightSets):
            atoms.append(Atom(f.label, fi, f.kind, "plans", col, 1, n_alt=len(f.sets)))
            col += 1
        elif isinstance(f, ParameterRange):
            role: Literal["pre", "plans"] = "plans" if f.stage == "plans" else "pre"
            atoms.append(Atom(f.label, fi, f.kind, role, col, 1, n_alt=f.n_values))
            col += 1
        elif isinstance(f, Exclusion):
            subsets = f.subsets()
            masks = []
            for lv in range(1, fw.max_level):
                codes = fw.level_codes(lv)
                m = np.ones((len(subsets), len(codes)))
                for a, sub in enumerate(subsets):
                    for c in sub:
                        if c in codes:
                            m[a, codes.index(c)] = 0.0
                masks.append(m)
            atoms.append(Atom(f.label, fi, f.kind, "mask", col, 1, n_alt=len(subsets),
                              masks=tuple(masks)))
            col += 1
        elif isinstance(f, DataNoise):
            atoms.append(Atom(f.label, fi, f.kind, "data", col, 1))
            col += 1
        else:  # pragma: no cover - the union is closed
            raise MethodError(f"unknown factor kind {f.kind!r}")
    return tuple(atoms)


def atom_values(space: UncertaintySpace, atom: Atom, u: F64) -> F64:
    """Per-row setting of a ``pre``/``plans``/``mask`` atom: alternative index,
    or parameter value."""
    x = u[:, atom.col]
    f = space.factors[atom.factor]
    if isinstance(f, ParameterRange):
        if atom.n_alt is None:
            out: F64 = f.low + x * (f.high - f.low)
            return out
        j = to_discrete(x, atom.n_alt)
        return np.array([f.value_of(int(k)) for k in range(atom.n_alt)])[j]
    assert atom.n_alt is not None
    return to_discrete(x, atom.n_alt).astype(np.float64)


def apply_setting(m: Methodology, space: UncertaintySpace, atom: Atom, value: float) -> Methodology:
    """The methodology with one atom's setting applied."""
    f = space.factors[atom.factor]
    if isinstance(f, ParameterRange):
        return set_path(m, f.path, round(value) if f.integer else float(value))
    j = int(value)
    if isinstance(f, ImputeAlternatives | TreatAlternatives | NormaliseAlternatives):
        pspec: ImputeSpec | TreatSpec | NormaliseSpec = f.alternatives[j]
        stage = f.kind
        if f.indicators is None:
            return m.replace(**{stage: pspec})
        by = dict(getattr(m, f"{stage}_by_indicator"))
        by.update({c: pspec for c in f.indicators})
        return m.replace(**{f"{stage}_by_indicator": by})
    if isinstance(f, AggregateAlternatives):
        spec = f.alternatives[j]
        if f.levels is None:
            return m.replace(aggregate=spec)
        by_level = dict(m.aggregate_by_level)
        by_level.update({lv: spec for lv in f.levels})
        return m.replace(aggregate_by_level=by_level)
    if isinstance(f, WeightSets):
        return m.replace(weight_overrides={**m.weight_overrides, **f.sets[j]})
    raise MethodError(f"atom {atom.name!r} has no methodology setting")  # pragma: no cover


def describe_setting(space: UncertaintySpace, atom: Atom, value: float) -> str:
    """Human-readable setting, e.g. ``normalise = minmax{lower=0, upper=100}``."""
    f = space.factors[atom.factor]
    if isinstance(f, ParameterRange):
        return f"{f.path} = {value:g}"
    j = int(value)
    if isinstance(f, ImputeAlternatives | TreatAlternatives | NormaliseAlternatives
                  | AggregateAlternatives):
        spec = f.alternatives[j]
        params = ", ".join(f"{k}={v}" for k, v in spec.params.items())
        return f"{f.label} = {spec.method}" + (f"{{{params}}}" if params else "")
    if isinstance(f, WeightSets):
        return f"{f.label} = set {j}"
    if isinstance(f, Exclusion):
        sub = f.subsets()[j]
        return f"{f.label} = " + ("(none)" if not sub else "-" + ",-".join(sub))
    return f"{f.label} = {value:g}"


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
    """A discrete combination: level-1 data, level plans, nominal weights."""

    level1: F64
    plans: tuple[LevelPlan, ...]
    wnom: tuple[F64, ...]
    index: F64
    fast: FastPlan | None = None


def _nominal_chain(pre: Preprocessed, plans: Sequence[LevelPlan]) -> tuple[tuple[F64, ...], F64]:
    """Nominal weights of every level and the index (what evaluate() does)."""
    ws: list[F64] = []
    x = pre.normalised
    for plan in plans:
        w = resolve_weights(plan, x, pre.treated, pre.direction)
        ws.append(w)
        x = aggregate_level(plan, x, w)
    return tuple(ws), x[:, 0]


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
    keep: bool = False, fast: bool = True,
) -> EngineContext:
    """Compile the space and precompute every discrete combination.

    Every combination of the discrete preprocessing and aggregation settings
    is evaluated with its nominal weights before anything runs (continuous
    parameters at both ends of their range); invalid combinations raise one
    :class:`MethodError` naming all of them.
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
                wnom, index = _nominal_chain(pre, plans)
            except MethodError as exc:
                what = " × ".join(
                    [describe_setting(space, a, v) for a, v in zip(pre_atoms, pk, strict=True)]
                    + [describe_setting(space, a, v) for a, v in zip(plan_atoms, lk, strict=True)])
                problems.append(f"{what or 'nominal'}: {exc}")
                continue
            lvl1 = np.ascontiguousarray(pre.normalised)
            lvl1.setflags(write=False)
            combos[(tuple(pk), tuple(lk))] = Combo(lvl1, plans, wnom, index,
                                                   _fast_plan(lvl1, plans) if fast else None)
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
    )


# --------------------------------------------------------------------------- uniforms
def philox_rows(key: NDArray[np.uint64], start: int, stop: int, dim: int) -> F64:
    """Rows ``[start, stop)`` of the per-row Philox stream (``P = 4·ceil(dim/4)``
    doubles per row), chunk-invariant."""
    per = 4 * max(1, math.ceil(dim / 4))
    bg = np.random.Philox(key=key)
    if start:
        bg.advance(start * per // 4)
    out: F64 = np.random.Generator(bg).random((stop - start, per))[:, :dim]
    return np.ascontiguousarray(out)


def ua_rows(ctx: EngineContext, start: int, stop: int) -> F64:
    """Uniforms of uncertainty-analysis rows ``[start, stop)``."""
    if ctx.sampling == "sobol":
        return uniform_sample_rows(start, stop, ctx.n_dims, seed=ctx.seed, method="sobol")
    return philox_rows(ctx.philox_key, start, stop, ctx.n_dims)


def sa_rows(ctx: EngineContext, start: int, stop: int) -> F64:
    """Uniforms of the Saltelli design for base rows ``[start, stop)``, stacked
    as ``[A; B; AB_1; ...; AB_d]`` (shape ``((d + 2)·m, D)``)."""
    d2 = uniform_sample_rows(start, stop, 2 * ctx.n_dims, seed=ctx.seed, method="sobol")
    a, b = d2[:, : ctx.n_dims], d2[:, ctx.n_dims :]
    blocks = [a, b]
    for atom in ctx.atoms:
        ab = a.copy()
        sl = slice(atom.col, atom.col + atom.dim)
        ab[:, sl] = b[:, sl]
        blocks.append(ab)
    return np.ascontiguousarray(np.concatenate(blocks, axis=0))



# --------------------------------------------------------------------------- linear fast path
GEMM_ROWS = 64
"""Rows per matrix product in the fast path: every product has exactly this
many rows (the last block is zero-padded), so a row's result never depends on
how rows are grouped into chunks."""


@dataclass(frozen=True)
class FastPattern:
    """Units sharing one pattern of groups without data (levels >= 2)."""

    units: NDArray[np.intp]
    missing: tuple[NDArray[np.bool_], ...]
    """``missing[li - 1]``: children of ``plans[li]`` (li >= 1) without data."""
    root_missing: bool
    t0t: F64
    """(k, n_pattern_units): ``t`` with missing values set to 0, transposed."""


@dataclass(frozen=True)
class FastPlan:
    """Precomputed data of the linear fast path of a combination.

    When every level uses the same weighted mean, arithmetic or geometric
    (``t = x`` or ``t = ln x``) and no level has ``min_availability``, the
    index of unit ``u`` in replicate ``r`` is

    .. math::
        I_{ru} = \\phi\\Big(\\sum_g E^{(p)}_{rg}\\,
                 \frac{\\sum_{j\\in g} w_{rj} t_{uj} a_{uj}}{\\sum_{j \\in g} w_{rj} a_{uj}}\\Big)

    with ``a`` the availability, ``φ`` the identity or ``exp``, and
    ``E^{(p)}_{rg}`` the product of the normalised weights above level-2 group
    ``g`` after removing the groups without data of the unit's pattern ``p``
    (what level-by-level aggregation does when it renormalises over available
    children).  Per pattern: one matrix product ``(R × k)·(k × n_p)`` with the
    complete-group denominators folded into the weights, plus a correction
    for the (unit, group) pairs with some children missing.  Equal to
    level-by-level aggregation to rounding (tested).
    """

    geometric: bool
    patterns: tuple[FastPattern, ...]
    inverse: NDArray[np.intp]
    """Unit order: column ``u`` of the result is column ``inverse[u]`` of the
    pattern-ordered product (patterns are contiguous blocks of columns)."""
    partial: tuple[tuple[int, NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], F64, F64], ...]
    """Per level-2 group with some (not all) children missing for some units:
    (group, children, their columns in pattern order, their pattern index,
    t0 (children × units), availability (children × units))."""


def _fast_plan(level1: F64, plans: Sequence[LevelPlan]) -> FastPlan | None:
    methods = {p.aggregate_spec.method for p in plans}
    if len(methods) != 1 or not methods <= {"arithmetic", "geometric"}:
        return None
    if any(p.aggregate_spec.min_availability is not None for p in plans):
        return None
    geometric = methods == {"geometric"}
    avail = ~np.isnan(level1)
    if geometric and not np.all(level1[avail] > 0):
        return None
    if not np.all(np.isfinite(level1[avail])):
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = np.where(avail, np.log(np.where(avail, level1, 1.0)) if geometric else level1, 0.0)
    # which nodes of levels 2..max have no data, per unit
    have = avail
    miss_levels = []
    for plan in plans:
        b = np.zeros((plan.membership.size, len(plan.codes)))
        b[np.arange(plan.membership.size), plan.membership] = 1.0
        have = (have.astype(np.float64) @ b) > 0
        miss_levels.append(~have)
    key = np.concatenate(miss_levels, axis=1)
    uniq, inv = np.unique(key, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    mem = plans[0].membership
    patterns = []
    for p in range(uniq.shape[0]):
        units = np.flatnonzero(inv == p)
        missing = tuple(ml[units[0]] for ml in miss_levels[:-1])  # children of plans[1:]
        root_missing = bool(miss_levels[-1][units[0], 0])
        patterns.append(FastPattern(units, missing, root_missing,
                                    np.ascontiguousarray(t0[units].T)))
    order = np.concatenate([p.units for p in patterns])
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    partial = []
    for g in range(len(plans[0].codes)):
        cols = np.flatnonzero(mem == g)
        a = avail[:, cols]
        units = np.flatnonzero(~a.all(axis=1) & a.any(axis=1))
        if units.size:
            partial.append((g, cols, position[units], inv[units].astype(np.intp),
                            np.ascontiguousarray(t0[np.ix_(units, cols)].T),
                            np.ascontiguousarray(a[units].T.astype(np.float64))))
    return FastPlan(geometric, tuple(patterns), position, tuple(partial))


def _row_blocks(slots: NDArray[np.int64]) -> list[tuple[int, int]]:
    """``(start, stop)`` of the runs of rows with equal ``slots // GEMM_ROWS``."""
    blk = slots // GEMM_ROWS
    cuts = (np.flatnonzero(np.diff(blk)) + 1).tolist()
    edges = [0, *cuts, int(slots.size)]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1) if edges[i + 1] > edges[i]]


def _gemm_rows(a: F64, b: F64, slots: NDArray[np.int64],
               blocks: Sequence[tuple[int, int]] | None = None) -> F64:
    """``a @ b`` as one product per block of global positions.

    A BLAS product's rounding can depend on where a row sits among the rows
    of the call and on how many rows there are (measured with OpenBLAS).  The
    rows are therefore multiplied in groups of equal ``slots // GEMM_ROWS``:
    ``slots`` are global replicate positions and chunks hold whole blocks, so
    every group (its rows, their order and their number) is the same however
    the replicates are chunked, and the result is bitwise reproducible.
    ``blocks``: :func:`_row_blocks` of ``slots``, when already known.
    """
    out = np.empty((a.shape[0], b.shape[1]))
    for i, j in _row_blocks(slots) if blocks is None else blocks:
        np.matmul(a[i:j], b, out=out[i:j])
    return out


def fast_index(fp: FastPlan, plans: Sequence[LevelPlan], ws: Sequence[F64],
               slots: NDArray[np.int64]) -> F64:
    """Index ``(R, n_units)`` by the linear fast path (see :class:`FastPlan`);
    ``slots`` = global positions of the rows (increasing), see :func:`_gemm_rows`."""
    r = ws[0].shape[0]
    blocks = _row_blocks(slots)
    n_units = sum(p.units.size for p in fp.patterns)
    # units x rows: the partial-group corrections then update whole (contiguous) rows
    out_t = np.empty((n_units, r))
    mem = plans[0].membership
    w1 = ws[0]
    ng = len(plans[0].codes)
    tot = np.zeros((r, ng))
    for j, g in enumerate(mem.tolist()):  # left-to-right group sums
        tot[:, g] += w1[:, j]
    inv_tot = np.where(tot > 0, 1.0 / np.where(tot > 0, tot, 1.0), 0.0)
    effs: list[F64] = []
    col = 0
    for pat in fp.patterns:
        sl = slice(col, col + pat.units.size)
        col += pat.units.size
        if pat.root_missing:
            out_t[sl] = np.nan
            effs.append(np.zeros((r, ng)))
            continue
        # effective weight of every level-2 group for this pattern
        eff = np.ones((r, 1))
        for li in range(len(plans) - 1, 0, -1):
            plan, w = plans[li], ws[li]
            miss = pat.missing[li - 1]
            if miss.any():
                w = normalise_rows(w * ~miss, plan.membership, len(plan.codes))
            eff = w * eff[:, plan.membership]
        if len(plans) == 1:
            eff = np.ones((r, 1))
        effs.append(eff)
        v = w1 * (eff * inv_tot)[:, mem]
        out_t[sl] = _gemm_rows(v, pat.t0t, slots, blocks).T
    if fp.partial:
        ef = np.stack([e if e.shape[1] == ng else np.broadcast_to(e, (r, ng)) for e in effs],
                      axis=1)  # (R, patterns, ng)
    for g, cols, units, pids, tsub, asub in fp.partial:
        wc = np.ascontiguousarray(w1[:, cols])
        num = _gemm_rows(wc, tsub, slots, blocks)
        den = _gemm_rows(wc, asub, slots, blocks)
        e = ef[:, :, g][:, pids]  # (R, units)
        # the pattern product used the complete-group denominator for these units:
        # out += e·(num/den) − e·(1/tot)·num, the same operations in place
        np.divide(num, den, out=den)
        den *= e
        e *= inv_tot[:, g : g + 1]
        e *= num
        den -= e
        o = np.take(out_t, units, axis=0)
        o += den.T
        out_t[units] = o
    if fp.geometric:
        np.exp(out_t, out=out_t)
    res: F64 = np.take(out_t, fp.inverse, axis=0).T
    return res


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
        wnom, index = _nominal_chain(pre, plans)
    except MethodError as exc:
        what = " × ".join(describe_setting(ctx.space, a, v) for a, v in
                          zip(ctx.atoms_of("pre") + ctx.atoms_of("plans"), key, strict=False))
        raise MethodError(
            f"重复运行失败 / a replicate failed ({what}"
            f"{', with data noise' if values is not None else ''}): {exc}") from None
    lvl1 = np.ascontiguousarray(pre.normalised)
    return Combo(lvl1, plans, wnom, index, _fast_plan(lvl1, plans) if ctx.fast else None)


def _noisy_values(ctx: EngineContext, atom: Atom, u: float) -> F64:
    f = ctx.space.factors[atom.factor]
    assert isinstance(f, DataNoise)
    fw = ctx.data.framework
    e = np.array([f.by_indicator.get(c, f.relative) for c in fw.indicator_codes])
    ss = np.random.SeedSequence(ctx.seed, spawn_key=(0xDA7A, atom.factor, int(u * 2.0**53)))
    v = np.random.Generator(np.random.Philox(ss)).random(ctx.data.values.shape)
    out: F64 = ctx.data.values * (1.0 + e * (2.0 * v - 1.0))
    return out


def normalise_rows(w: F64, membership: NDArray[np.intp], n_groups: int) -> F64:
    """Weights ``(R, n_children)`` divided by their group's sum, row by row.

    Same as :func:`~xiangcun_eval.evaluate.normalise_within` (to rounding),
    but every row is computed by the same operations whatever ``R`` is (a
    matrix product's rounding may depend on the number of rows), which keeps
    results bitwise independent of the chunk size.
    """
    tot = np.zeros((w.shape[0], n_groups))
    for j, g in enumerate(membership.tolist()):  # left-to-right sums: no reordering
        tot[:, g] += w[:, j]
    den = tot[:, membership]
    out: F64 = np.where(den > 0, w / np.where(den > 0, den, 1.0), 0.0)
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
                 slots: NDArray[np.int64] | None = None,
                 ) -> tuple[F64, list[tuple[NDArray[np.intp], list[F64], Combo]]]:
    """Index scores ``(R, n_units)`` of the rows ``u`` ``(R, D)``.

    ``slots``: the rows' global positions (increasing; default ``0..R-1``),
    which fix where each row sits in the blocked matrix products.

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
    out = np.empty((r, ctx.n_units))
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
            out[rows] = fast_index(combo.fast, combo.plans, ws, slots[rows])
        else:
            out[rows] = aggregate_tree(level1, combo.plans, ws)[-1][..., 0]
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


# --------------------------------------------------------------------------- chunk results
@dataclass(frozen=True)
class RowsResult:
    """Raw outputs of a chunk: index scores and ranks ``(m, n_units)`` (SA:
    ``(d + 2, m, n_units)``)."""

    start: int
    stop: int
    scores: F64
    ranks: F64


@dataclass(frozen=True)
class StreamPartial:
    """Streaming accumulators of one chunk of uncertainty-analysis rows."""

    start: int
    stop: int
    s1: F64
    """(n_blocks, n_units): per block Σ (score − nominal score) over available scores."""
    s2: F64
    """(n_blocks, n_units): per block Σ (score − nominal score)²."""
    n_score: I64
    rank_sum: I64
    rank_sq: I64
    n_rank: I64
    shift_sum: I64
    n_shift: I64
    grade_counts: I64
    top_counts: I64
    rank_hist: NDArray[np.integer[Any]]
    score_hist: NDArray[np.integer[Any]]
    score_clipped: int
    row_shift: F64


def grades_of(index: F64, spec: GradingSpec) -> NDArray[np.intp]:
    """Grade codes of ``(R, n_units)`` index scores, row by row (as
    :func:`~xiangcun_eval.results.grade_scores` on each row)."""
    thr = np.asarray(spec.thresholds, dtype=np.float64)
    if spec.kind == "quantiles":
        with np.errstate(all="ignore"):
            t = np.nanquantile(index, thr, axis=-1).T  # (R, k)
        ok: NDArray[np.bool_] = np.asarray(np.isfinite(t).all(axis=-1))
        t = np.where(ok[:, None], t, np.arange(thr.size, 0, -1, dtype=np.float64)[None, :])
        codes = _rank.grade(index, t)
        codes[~ok] = -1
        return codes
    return _rank.grade(index, thr)


def rank_bin_of(ranks: F64, n_units: int, bins: int) -> NDArray[np.intp]:
    """Histogram bin of integer ranks ``1..n_units`` (exact when bins >= n_units)."""
    r0 = ranks.astype(np.intp) - 1
    if bins >= n_units:
        return r0
    out: NDArray[np.intp] = (r0 * bins) // n_units
    return out


def _desc_ranks_i32(index: F64) -> NDArray[np.int32]:
    """Descending ranks ``1..n`` (ties "min") of all-finite ``index`` rows, as int32.

    Same values as :func:`~xiangcun_eval.methods.rank.rank_desc` (ties "min"
    do not depend on how tied values were ordered).  Each score becomes a
    64-bit key: an order-reversing integer image of the float with its lowest
    ``bits`` bits replaced by the unit's column (``bits`` = bits of
    ``n - 1``); one integer sort per row gives the order, and the ranks are
    the inverse permutation.  Two keys of a row sharing their high bits (equal
    scores, or scores too close to be told apart by the kept bits) send that
    row to the library kernel, so every rank is exact.
    """
    m, nu = index.shape
    bits = max(1, (nu - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    key = np.add(index, 0.0).view(np.uint64)  # -0.0 -> +0.0 (they tie)
    mask = key.view(np.int64) >> 63  # -1 for negative scores
    mask |= np.int64(-(2**63))
    umask = mask.view(np.uint64)
    np.bitwise_xor(key, umask, out=umask)  # ascending integer image of the float
    np.invert(umask, out=umask)  # descending
    umask &= ~low
    umask |= np.arange(nu, dtype=np.uint64)
    del key
    umask.sort(axis=1)
    srt = umask
    near = (srt[:, 1:] ^ srt[:, :-1]) <= low  # equal high bits
    ri = np.empty((m, nu), dtype=np.int32)
    srt &= low
    np.put_along_axis(ri, srt.view(np.int64), np.arange(1, nu + 1, dtype=np.int32)[None, :],
                      axis=1)
    bad = np.flatnonzero(near.any(axis=1))
    if bad.size:
        ri[bad] = _rank.rank_desc(index[bad]).astype(np.int32)
    return ri


def _unit_hist(bins_of: NDArray[np.integer[Any]], bins: int,
               dtype: type[np.integer[Any]]) -> NDArray[np.integer[Any]]:
    """Per-column histograms ``(n_units, bins)`` of bin indices ``(R, n_units)``
    (each in ``0..bins-1``), counted by slabs of units whose bins fit in cache."""
    nu = bins_of.shape[1]
    step = max(16, 2**21 // (8 * bins))
    offs = np.arange(step, dtype=np.intp) * bins
    out = np.empty((nu, bins), dtype=dtype)
    for a in range(0, nu, step):
        b = min(a + step, nu)
        c = bins_of[:, a:b].astype(np.intp)
        c += offs[: b - a]
        out[a:b] = np.bincount(c.ravel(), minlength=(b - a) * bins).reshape(b - a, bins)
    return out


def _stream_finite(ctx: EngineContext, start: int, stop: int, index: F64,
                   ri: NDArray[np.int32]) -> StreamPartial:
    """:func:`_stream` when every score and every nominal rank is available and
    the grading uses fixed, strictly decreasing thresholds (same results, bit for
    bit, without the masks)."""
    nu = ctx.n_units
    m = index.shape[0]
    dev = np.subtract(index, ctx.nominal_index)
    nb = -(-m // BLOCK)
    s1 = np.empty((nb, nu))
    s2 = np.empty((nb, nu))
    for b in range(nb):
        d = dev[b * BLOCK : (b + 1) * BLOCK]
        s1[b] = d.sum(axis=0)
        s2[b] = (d * d).sum(axis=0)
    del dev
    nom_i = ctx.nominal_rank.astype(np.int32)
    shift = np.subtract(ri, nom_i)
    np.abs(shift, out=shift)
    row_shift = shift.sum(axis=1, dtype=np.int64) / np.full(m, nu, dtype=np.int64)
    shift_sum = shift.sum(axis=0, dtype=np.int64)
    rank_sum = ri.sum(axis=0, dtype=np.int64)
    np.square(ri, out=shift)  # ranks <= 2**15 here, squares fit in int32
    rank_sq = shift.sum(axis=0, dtype=np.int64)
    del shift
    # grade counts: code = #{k : score < t_k}, thresholds strictly decreasing, so
    # #{code >= c} = #{score < t_(c-1)}
    thr = np.asarray(ctx.grading.thresholds, dtype=np.float64)
    ng = thr.size + 2
    below = np.empty((thr.size + 1, nu), dtype=np.int64)
    below[0] = m
    for k, v in enumerate(thr.tolist()):
        below[k + 1] = np.count_nonzero(index < v, axis=0)
    grade_counts = np.zeros((nu, ng), dtype=np.int64)
    grade_counts[:, 1:-1] = (below[:-1] - below[1:]).T
    grade_counts[:, -1] = below[-1]
    top = np.stack([np.count_nonzero(ri <= k, axis=0) for k in ctx.top_k]).astype(np.int64) \
        if ctx.top_k else np.zeros((0, nu), dtype=np.int64)
    rb = ctx.rank_bins
    hist_t: type[np.integer[Any]] = np.uint16 if m < 2**16 else np.int32
    rbin = np.subtract(ri, 1, dtype=np.int64 if nu * rb >= 2**31 else np.int32)
    if rb < nu:
        rbin *= rb
        rbin //= nu
    rank_hist = _unit_hist(rbin, rb, hist_t)
    del rbin
    sb = ctx.score_bins
    span = ctx.score_hi - ctx.score_lo
    span = np.where(span > 0, span, 1.0)
    pos = np.subtract(index, ctx.score_lo)
    pos *= sb / span
    np.floor(pos, out=pos)
    out_of_range = (pos < 0) | (pos > sb)
    clipped = int(np.count_nonzero(out_of_range))
    del out_of_range
    np.clip(pos, 0, sb - 1, out=pos)
    sbin = pos.astype(np.int32)
    del pos
    score_hist = _unit_hist(sbin, sb, hist_t)
    full = np.full(nu, m, dtype=np.int64)
    return StreamPartial(
        start=start, stop=stop, s1=s1, s2=s2, n_score=full, rank_sum=rank_sum, rank_sq=rank_sq,
        n_rank=full.copy(), shift_sum=shift_sum, n_shift=full.copy(), grade_counts=grade_counts,
        top_counts=top, rank_hist=rank_hist, score_hist=score_hist,
        score_clipped=clipped, row_shift=row_shift,
    )


def _finite_ok(ctx: EngineContext, index: F64) -> bool:
    """Can :func:`_stream_finite` serve these rows?"""
    if ctx.grading.kind == "quantiles" or not 1 < ctx.n_units <= 2**15:
        return False
    thr = np.asarray(ctx.grading.thresholds, dtype=np.float64)
    if thr.ndim != 1 or (thr.size > 1 and not bool(np.all(np.diff(thr) < 0))):
        return False
    if np.isnan(ctx.nominal_rank).any():
        return False
    return bool(np.isfinite(index).all())


def _stream(ctx: EngineContext, start: int, stop: int, index: F64, ranks: F64) -> StreamPartial:
    nu = ctx.n_units
    m = index.shape[0]
    valid_s = np.isfinite(index)
    all_s = bool(valid_s.all())
    dev = index - ctx.nominal_index
    if not all_s:
        dev[~valid_s] = 0.0
    nb = -(-m // BLOCK)
    s1 = np.empty((nb, nu))
    s2 = np.empty((nb, nu))
    sq = dev * dev
    for b in range(nb):
        s1[b] = dev[b * BLOCK : (b + 1) * BLOCK].sum(axis=0)
        s2[b] = sq[b * BLOCK : (b + 1) * BLOCK].sum(axis=0)
    del sq
    valid_r = ~np.isnan(ranks)
    all_r = bool(valid_r.all())
    ri = (ranks if all_r else np.where(valid_r, ranks, 0.0)).astype(np.int32)
    nom = ctx.nominal_rank
    nom_ok = ~np.isnan(nom)
    both = valid_r & nom_ok
    shift = np.abs(ri - np.where(nom_ok, nom, 0).astype(np.int32))
    if not (all_r and nom_ok.all()):
        shift[~both] = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        row_shift = shift.sum(axis=1, dtype=np.int64) / both.sum(axis=1)
    ng = len(ctx.grading.thresholds) + 2  # code -1 .. k
    offs = np.arange(nu, dtype=np.intp)
    g = grades_of(index, ctx.grading)
    g += 1
    g += offs * ng
    grade_counts = np.bincount(g.ravel(), minlength=nu * ng).reshape(nu, ng)
    del g
    top = np.stack([((ri <= k) & valid_r).sum(axis=0) for k in ctx.top_k]).astype(np.int64) \
        if ctx.top_k else np.zeros((0, nu), dtype=np.int64)
    rb = ctx.rank_bins
    rbin = rank_bin_of(np.where(valid_r, ranks, 1.0) if not all_r else ranks, nu, rb)
    rbin += offs * rb
    flat = rbin.ravel() if all_r else rbin[valid_r]
    # counts <= rows per chunk: small partials to ship
    hist_t: type[np.integer[Any]] = np.uint16 if m < 2**16 else np.int32
    rank_hist = np.bincount(flat, minlength=nu * rb).reshape(nu, rb).astype(hist_t)
    del rbin, flat
    sb = ctx.score_bins
    span = ctx.score_hi - ctx.score_lo
    span = np.where(span > 0, span, 1.0)
    with np.errstate(invalid="ignore"):
        pos = np.floor((index - ctx.score_lo) * (sb / span))
    out_of_range = (pos < 0) | (pos > sb)
    clipped = int(out_of_range[valid_s].sum()) if out_of_range.any() else 0
    if not all_s:
        pos[~valid_s] = 0
    np.clip(pos, 0, sb - 1, out=pos)
    sbin = pos.astype(np.intp)
    sbin += offs * sb
    score_hist = np.bincount(sbin.ravel() if all_s else sbin[valid_s],
                             minlength=nu * sb).reshape(nu, sb)
    return StreamPartial(
        start=start, stop=stop, s1=s1, s2=s2, n_score=valid_s.sum(axis=0).astype(np.int64),
        rank_sum=ri.sum(axis=0, dtype=np.int64),
        rank_sq=np.square(ri, dtype=np.int64).sum(axis=0),
        n_rank=valid_r.sum(axis=0).astype(np.int64),
        shift_sum=shift.sum(axis=0, dtype=np.int64), n_shift=both.sum(axis=0).astype(np.int64),
        grade_counts=grade_counts.astype(np.int64), top_counts=top,
        rank_hist=rank_hist, score_hist=score_hist.astype(hist_t), score_clipped=clipped,
        row_shift=row_shift,
    )


def run_chunk(ctx: EngineContext, task: tuple[str, int, int]) -> RowsResult | StreamPartial:
    """One task: ``("ua", start, stop)`` replicate rows or ``("sa", start, stop)``
    base rows of the Saltelli design."""
    kind, start, stop = task
    if kind == "sa":
        u = sa_rows(ctx, start, stop)
        d2 = ctx.n_factors + 2
        base = np.arange(start, stop, dtype=np.int64)
        slots = np.concatenate([(np.int64(b) << 40) + base for b in range(d2)])
        index, _ = compute_rows(ctx, u, slots=slots)
        ranks = _rank.rank_desc(index)
        return RowsResult(start, stop, index.reshape(d2, stop - start, -1),
                          ranks.reshape(d2, stop - start, -1))
    u = ua_rows(ctx, start, stop)
    index, _ = compute_rows(ctx, u, slots=np.arange(start, stop, dtype=np.int64))
    if not ctx.keep and _finite_ok(ctx, index):
        return _stream_finite(ctx, start, stop, index, _desc_ranks_i32(index))
    ranks = _rank.rank_desc(index)
    if ctx.keep:
        return RowsResult(start, stop, index, ranks)
    return _stream(ctx, start, stop, index, ranks)


def bytes_per_row(ctx: EngineContext) -> int:
    """Rough working memory of one replicate row inside a chunk (bytes)."""
    nu = ctx.n_units
    any_combo = next(iter(ctx.combos.values()))
    per = 0
    if all(c.fast is not None for c in ctx.combos.values()):
        per += 8 * nu * 6  # fast path: a few (R, n_units) arrays
    else:
        for plan in any_combo.plans:
            per += 8 * nu * (len(plan.codes) * 4 + 2)
    per += 8 * nu * 12  # index, ranks, argsort, deviations, histogram bins
    if ctx.atoms_of("data"):
        per += 8 * nu * any_combo.level1.shape[1] * 6
    return per
