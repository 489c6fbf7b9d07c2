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
from typing import Literal

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
    "Combo",
    "DataState",
    "EngineContext",
    "MemoryBudgetError",
    "build_context",
    "nominal_chain",
]

F64 = NDArray[np.float64]

_NO_LEVEL1: F64 = np.empty((0, 0))
"""Placeholder level-1 matrix of a combination served by the fast path (not shipped)."""
BLOCK = 64
"""Rows per accumulation block; chunk boundaries are multiples of it."""

_MAX_COMBOS = 20_000


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
        k = state.values.shape[1]
        state = replace(state, values=np.empty((0, k)))
        combos = {key: (replace(c, level1=_NO_LEVEL1) if c.fast is not None else c)
                  for key, c in combos.items()}
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

