"""The one container for validated data: :class:`UnitData`.

Whatever the units are (counties from 填报 submissions, provinces, townships,
or countries as in COINr's ASEM example), validated data is a float array
``values`` of shape ``(n_units, n_indicators)`` with NaN for missing, in the
column order of ``framework.indicator_codes``, plus labels.  The array is
read-only: nothing downstream can alter what the user gave.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import OptionError, UnknownCodeError
from ..framework.model import Framework
from ._buffers import take_over

__all__ = ["UnitData"]


def _frozen(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """A read-only float64 copy of ``a``, or ``a`` itself when handed over.

    An array given away with :func:`~xiangcun_eval.inputs._buffers.hand_over`
    is kept as it is (made read-only): the readers hand their result over
    that way instead of copying it.
    """
    owned = take_over(a)
    if owned is not None:
        return owned
    a = np.array(a, dtype=np.float64, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class UnitData:
    """Validated indicator data for a set of units.

    Attributes
    ----------
    framework
        The framework the columns belong to.
    units
        Unit codes (e.g. six-digit GB/T 2260 county codes), unique.
    names
        Unit display names (e.g. county names), same length as ``units``.
    values
        ``(n_units, n_indicators)`` float64, NaN = missing, read-only.
    groups
        Unit attribute columns used for grouping: ``province``, ``region``
        for counties; any grouping columns for generic unit tables.
    year
        Reporting year when all units share one (``None`` otherwise).
    kind
        ``"county"`` for county submissions, ``"unit"`` for generic tables.
    notes, sources
        Optional per-value notes and data sources, keyed by
        ``(unit_code, indicator_code)``.
    denominators
        Optional denominator columns (COINr ``Denominator`` type), by name.
    """

    framework: Framework
    units: tuple[str, ...]
    names: tuple[str, ...]
    values: NDArray[np.float64]
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    year: int | None = None
    kind: Literal["county", "unit"] = "unit"
    notes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    sources: Mapping[tuple[str, str], str] = field(default_factory=dict)
    denominators: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)
    _group_cache: dict[str, tuple[NDArray[np.intp], tuple[str, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        vals = _frozen(self.values)
        n_u, n_i = len(self.units), len(self.framework.indicator_codes)
        if vals.shape != (n_u, n_i):
            raise OptionError(
                f"数值矩阵形状 {vals.shape} 不符 / values has shape {vals.shape}, expected "
                f"(n_units={n_u}, n_indicators={n_i})"
            )
        if len(self.names) != n_u:
            raise OptionError(f"名称数与单位数不符 / {len(self.names)} names for {n_u} units")
        if len(set(self.units)) != n_u:
            dup = sorted({u for u in self.units if self.units.count(u) > 1})
            raise OptionError(f"单位代码重复 / duplicate unit codes: {dup[:10]}")
        for key, col in self.groups.items():
            if len(col) != n_u:
                raise OptionError(f"分组列 {key!r} 长度不符 / group column {key!r} has {len(col)} "
                                  f"entries for {n_u} units")
        dens = {}
        for key, den in self.denominators.items():
            d = _frozen(den)
            if d.shape != (n_u,):
                raise OptionError(f"分母 {key!r} 形状不符 / denominator {key!r} has shape "
                                  f"{d.shape}, expected ({n_u},)")
            dens[key] = d
        object.__setattr__(self, "values", vals)
        object.__setattr__(self, "units", tuple(self.units))
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(
            self, "groups", MappingProxyType({k: tuple(v) for k, v in self.groups.items()})
        )
        object.__setattr__(self, "notes", MappingProxyType(dict(self.notes)))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "denominators", MappingProxyType(dens))

    # ----------------------------------------------------------------- shape
    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return self.framework.indicator_codes

    def __len__(self) -> int:
        return len(self.units)

    def __repr__(self) -> str:
        miss = float(np.isnan(self.values).mean()) if self.values.size else 0.0
        return (
            f"UnitData(kind={self.kind!r}, framework={self.framework.code!r}, "
            f"units={self.n_units}, "
            f"indicators={len(self.indicator_codes)}, year={self.year}, missing={miss:.1%})"
        )

    # ------------------------------------------------------------- accessors
    def column(self, indicator: str) -> NDArray[np.float64]:
        """Values of one indicator across units (read-only view)."""
        try:
            j = self.indicator_codes.index(indicator)
        except ValueError:
            raise UnknownCodeError(
                f"没有指标 {indicator!r} / unknown indicator {indicator!r}") from None
        return self.values[:, j]

    def unit_index(self, unit: str) -> int:
        try:
            return self.units.index(unit)
        except ValueError:
            raise UnknownCodeError(f"没有单位 {unit!r} / unknown unit {unit!r}") from None

    def row(self, unit: str) -> dict[str, float]:
        """One unit's values by indicator code (NaN = missing)."""
        i = self.unit_index(unit)
        return dict(zip(self.indicator_codes, self.values[i].tolist(), strict=True))

    def group_codes(self, key: str) -> tuple[NDArray[np.intp], tuple[str, ...]]:
        """Integer codes of a grouping column and the labels they index.

        Returns ``(codes, labels)`` where ``labels[codes[u]]`` is unit ``u``'s
        group; units with an empty group label get code ``-1``.
        """
        cached = self._group_cache.get(key)
        if cached is not None:
            return cached
        try:
            col = self.groups[key]
        except KeyError:
            raise UnknownCodeError(
                f"没有分组列 {key!r} / no grouping column {key!r}; available: {sorted(self.groups)}"
            ) from None
        arr = np.asarray(col, dtype=str) if col else np.zeros(0, dtype=str)
        uniq, inv = np.unique(arr, return_inverse=True)
        labels = tuple(str(u) for u in uniq)
        codes = inv.astype(np.intp)
        if labels and labels[0] == "":
            codes -= 1  # empty label -> -1; the rest shift down by one
            labels = labels[1:]
        codes.setflags(write=False)
        self._group_cache[key] = (codes, labels)
        return codes, labels

    def subset(self, units: Sequence[str] | NDArray[np.bool_]) -> UnitData:
        """The data for a subset of units (by codes, or a boolean mask)."""
        if isinstance(units, np.ndarray) and units.dtype == bool:
            idx = np.flatnonzero(units)
        else:
            idx = np.array([self.unit_index(u) for u in units], dtype=np.intp)
        keep = {self.units[i] for i in idx}
        return UnitData(
            framework=self.framework,
            units=tuple(self.units[i] for i in idx),
            names=tuple(self.names[i] for i in idx),
            values=self.values[idx],
            groups={k: tuple(v[i] for i in idx) for k, v in self.groups.items()},
            year=self.year,
            kind=self.kind,
            notes={k: v for k, v in self.notes.items() if k[0] in keep},
            sources={k: v for k, v in self.sources.items() if k[0] in keep},
            denominators={k: v[idx] for k, v in self.denominators.items()},
        )

    def with_values(self, values: NDArray[np.float64]) -> UnitData:
        """A copy with the value array replaced (same units and framework)."""
        return UnitData(
            framework=self.framework,
            units=self.units,
            names=self.names,
            values=values,
            groups=self.groups,
            year=self.year,
            kind=self.kind,
            notes=self.notes,
            sources=self.sources,
            denominators=self.denominators,
        )

    def digest(self) -> str:
        """SHA-256 over framework digest, unit codes and the exact value bytes."""
        h = hashlib.sha256()
        h.update(self.framework.digest().encode())
        h.update("\x1f".join(self.units).encode("utf-8"))
        for key in sorted(self.groups):
            h.update(key.encode() + b"\x1e" + "\x1f".join(self.groups[key]).encode("utf-8"))
        h.update(np.ascontiguousarray(self.values).tobytes())
        return h.hexdigest()
