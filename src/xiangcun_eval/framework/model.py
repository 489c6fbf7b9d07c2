"""Indicator frameworks (指标体系): a validated, immutable tree.

A :class:`Framework` is a tree of any depth.  Levels are numbered as in
COINr's iMeta layout: level 1 holds the indicators, level 2 their groups,
and so on up to ``max_level``, which holds the single index node.  Every
node has a code, a Chinese and an English name, a parent (``None`` only for
the index) and an optional default weight (relative; weights are
renormalised within each group when aggregating).

Indicators also carry what the scoring rules need: unit, direction
(+1 benefit / -1 cost), physical bounds used to reject impossible values,
optional target and goalposts, the data-source department, definition and
formula text, the policy task they serve and a citation.

All structural checks run when the framework is built and every problem is
reported at once in one :class:`~xiangcun_eval.errors.FrameworkError`.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, Field, field_validator, model_validator

from .._checked import CheckedModel
from ..errors import FrameworkError
from .imeta import read_imeta, write_imeta
from .nodes import AnyNode, Benchmark, Code, Group, Indicator, Node, RollupRule
from .tomlfile import framework_from_toml, framework_from_toml_text, framework_to_toml

__all__ = ["Benchmark", "Code", "Framework", "Group", "Indicator", "Node", "RollupRule"]

class Framework(CheckedModel):
    """A validated indicator framework.

    Parameters
    ----------
    code, name_zh, name_en
        Identifier and bilingual title of the framework.
    nodes
        Every node (groups and indicators).  Stored groups first, then
        indicators; the order within each is kept: indicators appear in data
        columns, and a group's children are listed, in the order given here.
    version, description, reference
        Free metadata, kept on round trips.

    Raises
    ------
    FrameworkError
        Listing every structural problem: duplicate codes, unknown parents,
        cycles, skipped levels, empty groups, indicators above level 1, more
        than one root, targets or goalposts outside bounds, a direction other
        than +1/-1, negative weights.
    """

    _error_kind: ClassVar[str] = "framework"

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    version: str = ""
    description: str = ""
    reference: str = ""
    nodes: tuple[AnyNode, ...]
    """Stored groups first, then indicators, each in declaration order (a stable
    partition applied on construction, so that files written with separate group
    and indicator lists read back to an equal framework)."""

    @field_validator("nodes", mode="after")
    @classmethod
    def _groups_first(cls, nodes: tuple[Group | Indicator, ...]) -> tuple[Group | Indicator, ...]:
        return tuple(n for n in nodes if isinstance(n, Group)) + tuple(
            n for n in nodes if not isinstance(n, Group)
        )

    @model_validator(mode="after")
    def _check_structure(self) -> Framework:
        problems = _structure_problems(self.nodes)
        if problems:
            raise FrameworkError(problems, source=self.code)
        return self

    # ------------------------------------------------------------------ files
    @classmethod
    def from_toml(cls, path: str | Path) -> Framework:
        """Read a framework from a TOML file (``path`` is always a file name).

        See ``docs/frameworks.md`` for the layout; TOML text goes to
        :meth:`from_toml_text`.
        """
        return framework_from_toml(path, cls)

    @classmethod
    def from_toml_text(cls, text: str) -> Framework:
        """Read a framework from TOML text (the layout of :meth:`from_toml`)."""
        return framework_from_toml_text(text, cls)

    def to_toml(self, path: str | Path | None = None) -> str:
        """TOML text of this framework (also written to ``path`` if given).

        ``Framework.from_toml_text(f.to_toml()) == f`` for every framework, and the
        text is deterministic.
        """
        return framework_to_toml(self, path)

    @classmethod
    def from_imeta(cls, source: str | Path | Iterable[Mapping[str, Any]], **meta: str) -> Framework:
        """Read a framework from a COINr iMeta table (CSV path, CSV text or rows).

        ``meta`` may give ``code``, ``name_zh``, ``name_en``, ``version``,
        ``description``, ``reference``.  Use
        :func:`xiangcun_eval.framework.loaders.read_imeta` to also get the
        group and denominator columns the table declares.
        """
        return read_imeta(source, cls, **meta).framework

    def to_imeta(self, path: str | Path | None = None, *, groups: Iterable[str] = (),
                 denominators: Iterable[str] = ()) -> str:
        """COINr iMeta CSV text of this framework (also written to ``path`` if given)."""
        return write_imeta(self, path, groups=groups, denominators=denominators)

    # ------------------------------------------------------------------ lookups
    @functools.cached_property
    def _by_code(self) -> dict[str, Group | Indicator]:
        return {n.code: n for n in self.nodes}

    def __getitem__(self, code: str) -> Group | Indicator:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(
                f"框架 {self.code} 中没有代码 {code!r} / no node {code!r} in framework"
            ) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @functools.cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Indicators in declaration order (the column order of data)."""
        return tuple(n for n in self.nodes if isinstance(n, Indicator))

    @functools.cached_property
    def indicator_codes(self) -> tuple[str, ...]:
        """Indicator codes in declaration order (the column order of data)."""
        return tuple(i.code for i in self.indicators)

    @functools.cached_property
    def groups(self) -> tuple[Group, ...]:
        """Group nodes (the index and every aggregate) in declaration order."""
        return tuple(n for n in self.nodes if isinstance(n, Group))

    @functools.cached_property
    def max_level(self) -> int:
        """Level of the index (the root); indicators are level 1."""
        return max(n.level for n in self.nodes)

    @functools.cached_property
    def root(self) -> Group:
        """The index node (the single node at ``max_level``)."""
        (root,) = (n for n in self.groups if n.parent is None)
        return root

    def level_codes(self, level: int) -> tuple[str, ...]:
        """Codes of the nodes at ``level`` (1 = indicators), in declaration order."""
        return self._level_codes.get(level, ())

    @functools.cached_property
    def _level_codes(self) -> dict[int, tuple[str, ...]]:
        out: dict[int, list[str]] = {}
        for n in self.nodes:
            out.setdefault(n.level, []).append(n.code)
        return {k: tuple(v) for k, v in out.items()}

    def children(self, code: str) -> tuple[str, ...]:
        """Codes of the direct children of ``code``, in declaration order."""
        self[code]
        return self._children.get(code, ())

    @functools.cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for n in self.nodes:
            if n.parent is not None:
                out.setdefault(n.parent, []).append(n.code)
        return {k: tuple(v) for k, v in out.items()}

    def ancestor(self, code: str, level: int) -> str:
        """Code of the ancestor of ``code`` at ``level`` (itself if at that level)."""
        node = self[code]
        while node.level < level:
            assert node.parent is not None
            node = self[node.parent]
        if node.level != level:
            raise KeyError(f"{code!r} is above level {level}")
        return node.code

    def membership(self, level: int) -> NDArray[np.intp]:
        """Index of each node's parent, for the nodes at ``level - 1``.

        The index is into ``level_codes(level)``.  Used to aggregate level
        ``level - 1`` into ``level``.
        """
        parents = {c: i for i, c in enumerate(self.level_codes(level))}
        return np.array(
            [parents[self[c].parent] for c in self.level_codes(level - 1)],  # type: ignore[index]
            dtype=np.intp,
        )

    def node_weights(self, level: int) -> NDArray[np.float64]:
        """Default weights of the nodes at ``level`` (``None`` counts as 1)."""
        return np.array(
            [1.0 if self[c].weight is None else float(self[c].weight)  # type: ignore[arg-type]
             for c in self.level_codes(level)],
            dtype=np.float64,
        )

    def indicator_array(self, field: str) -> NDArray[np.float64]:
        """Return an indicator attribute as a float array in column order (``None`` -> NaN).

        ``field`` is one of ``direction``, ``lower_bound``, ``upper_bound``,
        ``target``, ``goal_lower``, ``goal_upper``, ``weight``.
        """
        cached = self._indicator_arrays.get(field)
        if cached is None:
            cached = self._indicator_arrays[field] = self._indicator_values(field)
        return cached.copy()  # callers may write into their array

    @functools.cached_property
    def _indicator_arrays(self) -> dict[str, NDArray[np.float64]]:
        return {}

    def _indicator_values(self, field: str) -> NDArray[np.float64]:
        vals: list[float] = []
        for ind in self.indicators:
            if field == "goal_lower":
                v: Any = ind.goalposts[0] if ind.goalposts else None
            elif field == "goal_upper":
                v = ind.goalposts[1] if ind.goalposts else None
            else:
                v = getattr(ind, field)
            vals.append(np.nan if v is None else float(v))
        return np.array(vals, dtype=np.float64)

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """Return a copy; with ``update`` the framework is built and validated anew.

        Pydantic's ``model_copy(update=...)`` neither validates nor clears the
        cached lookups (indicators, codes, arrays), so a copy with new nodes
        would answer with the old ones.  Here an update goes through the
        constructor: every structural check runs and no cache is carried over.
        """
        if not update:
            return super().model_copy(deep=deep)
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**{**fields, **update})

    def digest(self) -> str:
        """SHA-256 of the canonical JSON form: identifies a framework in results."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def with_weights(self, weights: Mapping[str, float]) -> Framework:
        """Return a copy with node weights replaced (codes not named keep theirs)."""
        unknown = sorted(set(weights) - set(self._by_code))
        if unknown:
            raise FrameworkError(
                [f"权重中的未知代码 / unknown code in weights: {c!r}" for c in unknown],
                source=self.code,
            )
        nodes = tuple(
            n.model_copy(update={"weight": float(weights[n.code])}) if n.code in weights else n
            for n in self.nodes
        )
        return Framework(**{**self.model_dump(exclude={"nodes"}), "nodes": nodes})


def _structure_problems(nodes: tuple[Group | Indicator, ...]) -> list[str]:
    """Every structural problem of a node list, one bilingual line each."""
    problems: list[str] = []
    by_code: dict[str, Group | Indicator] = {}
    for n in nodes:
        if n.code in by_code:
            problems.append(f"代码重复 / duplicate code {n.code!r}")
        else:
            by_code[n.code] = n
    if not nodes:
        return ["框架为空 / the framework has no nodes"]

    problems.extend(_root_problems(nodes))
    children, parent_problems = _parent_links(nodes, by_code)
    problems.extend(parent_problems)
    problems.extend(_cycle_problems(nodes, by_code))
    levels = sorted({n.level for n in nodes})
    if levels and levels != list(range(1, levels[-1] + 1)):
        missing = sorted(set(range(1, levels[-1] + 1)) - set(levels))
        problems.append(f"层级不连续 / levels skipped: no node at level(s) {missing}")
    for n in nodes:
        problems.extend(_node_problems(n, children))
    return problems


def _root_problems(nodes: tuple[Group | Indicator, ...]) -> list[str]:
    """Check that exactly one node has no parent (the index)."""
    roots = [n.code for n in nodes if n.parent is None]
    if len(roots) != 1:
        return [
            f"需要恰好一个根节点(指数) / exactly one node must have no parent (the index); "
            f"found {roots}"
        ]
    return []


def _parent_links(
    nodes: tuple[Group | Indicator, ...], by_code: Mapping[str, Group | Indicator]
) -> tuple[dict[str, list[str]], list[str]]:
    """Collect the children of every parent and the problems of the parent links.

    A parent must exist, must not be an indicator and must be exactly one level
    above its child.
    """
    problems: list[str] = []
    children: dict[str, list[str]] = {}
    for n in nodes:
        if n.parent is None:
            continue
        if n.parent not in by_code:
            problems.append(f"{n.code!r}: 父节点不存在 / unknown parent {n.parent!r}")
            continue
        children.setdefault(n.parent, []).append(n.code)
        parent = by_code[n.parent]
        if isinstance(parent, Indicator):
            problems.append(f"{n.code!r}: 父节点 {n.parent!r} 是指标 / parent is an indicator")
        if parent.level != n.level + 1:
            problems.append(
                f"{n.code!r} (level {n.level}): 父节点 {n.parent!r} 应在第 {n.level + 1} 级 / "
                f"parent is at level {parent.level}, expected {n.level + 1} (a level is skipped)"
            )
    return children, problems


def _cycle_problems(
    nodes: tuple[Group | Indicator, ...], by_code: Mapping[str, Group | Indicator]
) -> list[str]:
    """Find cycles in the parent links by walking up from every node."""
    problems: list[str] = []
    for n in nodes:
        seen = {n.code}
        cur = n
        while cur.parent is not None and cur.parent in by_code:
            if cur.parent in seen:
                problems.append(f"{n.code!r}: 父子关系成环 / cycle through {cur.parent!r}")
                break
            seen.add(cur.parent)
            cur = by_code[cur.parent]
    return problems


def _node_problems(n: Group | Indicator, children: Mapping[str, list[str]]) -> list[str]:
    """List the problems of one node on its own: level for its kind, children, fields, weight."""
    problems: list[str] = []
    if isinstance(n, Group):
        if n.code not in children:
            problems.append(f"{n.code!r}: 分组没有下级 / group has no children")
        if n.level == 1:
            problems.append(f"{n.code!r}: 第 1 级只能是指标 / a group cannot be at level 1")
    else:
        if n.level != 1:
            problems.append(
                f"{n.code!r}: 指标必须在最底层(第 1 级) / indicator at level {n.level}, "
                "indicators must be at the bottom (level 1)"
            )
        problems.extend(_indicator_problems(n))
    if n.weight is not None and (not np.isfinite(n.weight) or n.weight < 0):
        problems.append(f"{n.code!r}: 权重不能为负 / weight {n.weight} must be finite and >= 0")
    return problems


def _indicator_problems(ind: Indicator) -> list[str]:
    out: list[str] = []
    c = ind.code
    if ind.direction not in (1, -1):
        out.append(f"{c!r}: 方向只能是 1 或 -1 / direction {ind.direction} must be +1 or -1")
    lo, hi = ind.lower_bound, ind.upper_bound
    if lo is not None and hi is not None and lo >= hi:
        out.append(f"{c!r}: 下界应小于上界 / lower bound {lo} must be < upper bound {hi}")

    def outside(v: float) -> bool:
        return (lo is not None and v < lo) or (hi is not None and v > hi)

    if ind.target is not None and outside(ind.target):
        out.append(f"{c!r}: 目标值 {ind.target} 超出取值范围 / target outside bounds [{lo}, {hi}]")
    if ind.benchmark is not None and outside(ind.benchmark.value):
        out.append(
            f"{c!r}: 基准值 {ind.benchmark.value} 超出取值范围 / benchmark outside bounds "
            f"[{lo}, {hi}]"
        )
    if (ind.rollup == "weighted_mean") != (ind.rollup_weight is not None):
        out.append(
            f"{c!r}: 加权平均汇总需要且只有它需要权重变量 / rollup_weight must be given exactly "
            f"when rollup = 'weighted_mean' (rollup {ind.rollup!r}, rollup_weight "
            f"{ind.rollup_weight!r})"
        )
    if ind.goalposts is not None:
        g0, g1 = ind.goalposts
        if g0 >= g1:
            out.append(f"{c!r}: 门槛值下限应小于上限 / goalposts ({g0}, {g1}) must be increasing")
        if outside(g0) or outside(g1):
            out.append(
                f"{c!r}: 门槛值 ({g0}, {g1}) 超出取值范围 / goalposts outside bounds [{lo}, {hi}]"
            )
    return out
