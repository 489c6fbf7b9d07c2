"""Archive rows <-> :class:`UnitData`, and the messages about them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..framework.model import Framework
from ..inputs.data import UnitData
from . import codec

__all__ = ["conflict_message", "extras_json", "rows_to_data"]

F64 = NDArray[np.float64]


def rows_to_data(rows: Sequence[Any], fw: Framework, year: int | None) -> UnitData:
    """UnitData from unit_values rows ``(unit, name, groups, vals, extra, indicators)``.

    Columns are mapped by indicator code onto ``fw`` (codes an import lacks are missing).
    """
    target = fw.indicator_codes
    cols = list(zip(*rows, strict=True)) if rows else [()] * 8
    units, names, gjson, blobs, ejson, layouts, kinds_ = cols[:7]
    values = np.full((len(rows), len(target)), np.nan)
    distinct = set(layouts)
    for layout in distinct:
        ks = (np.arange(len(rows)) if len(distinct) == 1
              else np.flatnonzero(np.asarray(layouts, dtype=object) == layout))
        src = json.loads(layout)
        mat = codec.decode_matrix(blobs if len(distinct) == 1 else [blobs[k] for k in ks],
                                  len(src))
        pos = {c: j for j, c in enumerate(src)}
        tj = [t for t, c in enumerate(target) if c in pos]
        sj = [pos[target[t]] for t in tj]
        if len(tj) == len(target) and sj == list(range(len(src))) and len(distinct) == 1:
            values = mat
        else:
            values[np.ix_(ks, np.asarray(tj, dtype=np.intp))] = mat[:, sj]
    parsed = {g: json.loads(g) for g in set(gjson)}  # few distinct combinations
    keys = sorted({k for g in parsed.values() for k in g})
    groups = {k: tuple(parsed[g].get(k, "") for g in gjson) for k in keys}
    notes: dict[tuple[str, str], str] = {}
    sources: dict[tuple[str, str], str] = {}
    dens: dict[str, F64] = {}
    if any(e is not None for e in ejson):
        extras: list[dict[str, Any]] = [json.loads(e) if e else {} for e in ejson]
        for u, e in zip(units, extras, strict=True):
            notes.update({(u, ind): v for ind, v in e.get("notes", {}).items()})
            sources.update({(u, ind): v for ind, v in e.get("sources", {}).items()})
        for d in sorted({d for e in extras for d in e.get("denominators", {})}):
            dens[d] = np.array([e.get("denominators", {}).get(d) for e in extras],
                               dtype=np.float64)
    return UnitData(
        framework=fw,
        units=units,
        names=names,
        values=values,
        groups=groups,
        year=year,
        kind="county" if set(kinds_) == {"county"} else "unit",
        notes=notes,
        sources=sources,
        denominators=dens,
    )


def extras_json(data: UnitData) -> list[str | None]:
    """Per-unit JSON of notes, sources and denominators.

    ``None`` when a unit has none, which is the common case: no per-unit work then.
    """
    if not (data.notes or data.sources or data.denominators):
        return [None] * data.n_units
    per: list[dict[str, Any]] = [{} for _ in range(data.n_units)]
    pos = {u: i for i, u in enumerate(data.units)}
    for (u, ind), v in data.notes.items():
        per[pos[u]].setdefault("notes", {})[ind] = v
    for (u, ind), v in data.sources.items():
        per[pos[u]].setdefault("sources", {})[ind] = v
    for key, den in data.denominators.items():
        for i, v in enumerate(den.tolist()):
            per[i].setdefault("denominators", {})[key] = None if np.isnan(v) else v
    return [json.dumps(p, ensure_ascii=False, sort_keys=True) if p else None for p in per]


def conflict_message(
    data: UnitData, year: int, replaced: list[int], existing: dict[str, Any],
    codes: Sequence[str],
) -> str:
    """Explain a refused import: which units' values differ from the archived ones.

    At most 20 units are listed, each with up to 5 changed indicators as
    ``code: old → new``; the message points to ``replace=True`` (CLI ``--replace``).
    """
    lines = []
    for i in replaced[:20]:
        unit = data.units[i]
        old = existing[unit]
        src = json.loads(old[6])
        if list(src) == list(codes):
            ov = codec.decode_matrix([old[4]], len(src))[0]
            nv = data.values[i]
            diff = np.flatnonzero(~((ov == nv) | (np.isnan(ov) & np.isnan(nv))))
            what = ", ".join(f"{codes[j]}: {ov[j]:g} → {nv[j]:g}" for j in diff[:5])
            if diff.size > 5:
                what += f" … (+{diff.size - 5})"
            if not diff.size:
                what = "名称或分组不同 / name or grouping columns differ"
        else:
            what = "指标体系不同 / different indicator list"
        lines.append(f"  - {unit} {data.names[i]}: {what}")
    more = f"\n  ... 共 {len(replaced)} 个 / {len(replaced)} in all" if len(replaced) > 20 else ""
    return (
        f"{data.framework.code} {year} 年已有 {len(replaced)} 个单位的不同数据 / the archive "
        f"already holds different values for {len(replaced)} unit(s) in {year}; nothing was "
        "imported. Pass replace=True (CLI: --replace) to replace them (the previous versions "
        "are kept in the history):\n" + "\n".join(lines) + more
    )
