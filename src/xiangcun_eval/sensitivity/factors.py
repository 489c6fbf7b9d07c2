"""Compiled factors: an :class:`~xiangcun_eval.sensitivity.space.UncertaintySpace`
turned into *atoms* (Sobol' factors) with their columns of the uniform vector.

Every replicate is a function of one uniform vector ``u ∈ [0, 1)^D``.  An
atom owns ``dim`` consecutive columns of ``u`` starting at ``col``:

* ``pre`` / ``plans`` atoms (preprocessing and aggregation/weights
  alternatives, weight sets, parameter ranges) read one column: an
  alternative ``min(floor(u·k), k − 1)``
  (:func:`~xiangcun_eval.sensitivity.design.to_discrete`) or a continuous
  parameter ``low + u·(high − low)``;
* ``mask`` atoms (leave-out) pick a subset of removed elements, stored as a
  0/1 mask per level;
* ``weights`` atoms (weight noise, Dirichlet weights) read one column per
  weight they perturb (a factor with ``per="group"`` gives one atom per
  group);
* ``data`` atoms (measurement noise) read one column that keys a noise field.

:func:`apply_setting` turns one atom's value into the methodology that
:func:`~xiangcun_eval.evaluate` would use (this is what :func:`replay`
relies on); :func:`describe_setting` names it for messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..framework.model import Framework
from ..methodology import Methodology
from .design import to_discrete
from .space import (
    AggregateAlternatives,
    DataNoise,
    Exclusion,
    ImputeAlternatives,
    NormaliseAlternatives,
    ParameterRange,
    TreatAlternatives,
    UncertaintySpace,
    WeightAlternatives,
    WeightDirichlet,
    WeightNoise,
    WeightSetAlternatives,
    set_path,
)

__all__ = ["Atom", "apply_setting", "atom_values", "compile_space", "describe_setting"]

F64 = NDArray[np.float64]


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
        elif isinstance(f, AggregateAlternatives | WeightAlternatives):
            atoms.append(Atom(f.label, fi, f.kind, "plans", col, 1, n_alt=f.n_alternatives))
            col += 1
        elif isinstance(f, WeightSetAlternatives):
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
        return _override(m, f.kind, "by_indicator", f.indicators, f.alternatives[j])
    if isinstance(f, AggregateAlternatives):
        return _override(m, "aggregate", "by_level", f.levels, f.alternatives[j])
    if isinstance(f, WeightAlternatives):
        return _override(m, "weights", "by_level", f.levels, f.alternatives[j])
    if isinstance(f, WeightSetAlternatives):
        return m.replace(weight_overrides={**m.weight_overrides, **f.sets[j]})
    raise MethodError(f"atom {atom.name!r} has no methodology setting")  # pragma: no cover


def describe_setting(space: UncertaintySpace, atom: Atom, value: float) -> str:
    """Human-readable setting, e.g. ``normalise = minmax{lower=0, upper=100}``."""
    f = space.factors[atom.factor]
    if isinstance(f, ParameterRange):
        return f"{f.path} = {value:g}"
    j = int(value)
    if isinstance(f, ImputeAlternatives | TreatAlternatives | NormaliseAlternatives
                  | AggregateAlternatives | WeightAlternatives):
        spec = f.alternatives[j]
        params = ", ".join(f"{k}={v}" for k, v in spec.params.items())
        return f"{f.label} = {spec.method}" + (f"{{{params}}}" if params else "")
    if isinstance(f, WeightSetAlternatives):
        return f"{f.label} = set {j}"
    if isinstance(f, Exclusion):
        sub = f.subsets()[j]
        return f"{f.label} = " + ("(none)" if not sub else "-" + ",-".join(sub))
    return f"{f.label} = {value:g}"


def _override(m: Methodology, stage: str, by: str, keys: Sequence[Any] | None,
              spec: Any) -> Methodology:
    """``m`` with ``spec`` as the stage's global setting (``keys`` None), or
    as its setting for each of ``keys`` in ``<stage>_<by>`` (indicators or levels)."""
    if keys is None:
        return m.replace(**{stage: spec})
    field = f"{stage}_{by}"
    return m.replace(**{field: {**getattr(m, field), **dict.fromkeys(keys, spec)}})
