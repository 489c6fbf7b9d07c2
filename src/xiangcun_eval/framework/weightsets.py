"""Weight-set and AHP pairwise-matrix files (权重方案与层次分析法判断矩阵).

A :class:`WeightSet` is a named set of relative node weights for one
framework (weights are renormalised within each group when aggregating).
:class:`AHPMatrices` holds, per group, the ordered child codes and a Saaty
pairwise comparison matrix; the weight computation itself (principal
eigenvector, consistency ratio) lives in :mod:`xiangcun_eval.methods.weights`.

Both are pydantic models stored as TOML (layouts in ``docs/frameworks.md``);
``check(framework)`` raises a :class:`WeightSetError` listing every mismatch
at once.  Matrix entries may be written as numbers or as fraction strings
such as ``"1/3"`` (parsed by a regular expression, never evaluated).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from .._checked import CheckedModel, field_problems, pydantic_errors
from ..errors import FrameworkError
from ..io import toml
from ..io.files import write_text_atomic
from .model import Code, Framework

__all__ = ["AHPMatrices", "PairwiseMatrix", "WeightSet", "WeightSetError"]

_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")
SAATY_MIN, SAATY_MAX = 1.0 / 9.0, 9.0


class WeightSetError(FrameworkError):
    """A weight set or AHP matrix file is malformed or does not fit its framework.

    ``problems`` lists every mismatch (unknown codes, missing codes, negative
    weights, non-reciprocal entries ...), one line each.
    """


class _TomlFile(CheckedModel):
    """A model stored as a TOML file of its own layout (``LAYOUT``).

    ``from_toml`` / ``from_toml_text`` read it; ``_from_data`` checks the
    parsed tables and collects every problem before raising.
    """

    LAYOUT: ClassVar[str] = ""

    @classmethod
    def from_toml(cls, path: str | Path) -> Self:
        """Read from a TOML file (``path`` is always a file name); layout: ``LAYOUT``."""
        data, name = toml.read_source(path, what=cls.__name__, stacklevel=3)
        return cls._from_data(data, name)

    @classmethod
    def from_toml_text(cls, text: str) -> Self:
        """Read from TOML text (the layout of :meth:`from_toml`)."""
        return cls._from_data(toml.loads(text), "<text>")

    @classmethod
    def _from_data(cls, data: dict[str, Any], name: str) -> Self:
        raise NotImplementedError  # pragma: no cover


# ==================================================================== WeightSet
class WeightSet(_TomlFile):
    """A named set of relative node weights for one framework.

    Parameters
    ----------
    framework
        Code of the framework the weights belong to.
    name_zh, name_en, description
        Bilingual name and free description (justification).
    weights
        Relative weight by node code (renormalised within each group).
    complete
        The set claims to weight every node at ``levels``; ``check`` then
        reports every node it misses.
    levels
        Levels the set covers (``()`` = every level below the index).  Codes
        at other levels are reported by ``check``.
    """

    _error_kind: ClassVar[str] = "framework"

    model_config = ConfigDict(frozen=True, extra="forbid")

    framework: Code
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description: str = ""
    complete: bool = False
    levels: tuple[int, ...] = ()
    weights: dict[str, float]

    def check(self, framework: Framework) -> None:
        """Raise :class:`WeightSetError` naming every mismatch with ``framework``.

        Checks: framework code, unknown codes, weights for the index, codes
        outside ``levels``, missing codes when ``complete``, negative or
        non-finite weights, groups whose weighted children all have weight 0.
        """
        problems: list[str] = []
        if self.framework != framework.code:
            problems.append(
                f"权重方案属于 {self.framework!r}，不是 {framework.code!r} / weight set is for "
                f"framework {self.framework!r}, not {framework.code!r}"
            )
        root = framework.root.code
        levels = set(self.levels) or set(range(1, framework.max_level))
        for code, w in self.weights.items():
            if code not in framework:
                problems.append(
                    f"未知代码 / unknown code {code!r} (not in framework {framework.code})"
                )
                continue
            if code == root:
                problems.append(
                    f"{code!r}: 指数(根节点)不需要权重 / the index (root) takes no weight"
                )
            elif framework[code].level not in levels:
                problems.append(
                    f"{code!r}: 在第 {framework[code].level} 级，不在方案的层级 {sorted(levels)} / "
                    f"node is at level {framework[code].level}, outside the set's levels"
                )
            if not math.isfinite(w) or w < 0:
                problems.append(
                    f"{code!r}: 权重 {w} 须为非负有限数 / weight must be finite and >= 0"
                )
        if self.complete:
            missing = [
                n.code for n in framework.nodes
                if n.level in levels and n.code != root and n.code not in self.weights
            ]
            if missing:
                problems.append(
                    f"方案声明完整但缺少 {len(missing)} 个代码 / "
                    "set claims to be complete but misses "
                    f"{len(missing)} code(s): {missing}"
                )
        for g in framework.groups:
            kids = [c for c in framework.children(g.code) if c in self.weights]
            if kids and len(kids) == len(framework.children(g.code)) and all(
                self.weights[c] == 0 for c in kids
            ):
                problems.append(
                    f"{g.code!r}: 所有下级权重为 0 / every child of the group has weight 0"
                )
        if problems:
            raise WeightSetError(problems, source=f"weight set {self.name_en}")

    def apply(self, framework: Framework) -> Framework:
        """``framework`` with these weights (after :meth:`check`)."""
        self.check(framework)
        return framework.with_weights(self.weights)

    # -------------------------------------------------------------- files
    LAYOUT: ClassVar[str] = "``[weightset]`` + ``[weights]``"

    @classmethod
    def _from_data(cls, data: dict[str, Any], name: str) -> Self:
        problems: list[str] = []
        unknown = sorted(set(data) - {"weightset", "weights"})
        if unknown:
            problems.append(f"未知的顶层键 / unknown top-level key(s) {unknown}")
        head = data.get("weightset")
        weights = data.get("weights")
        if not isinstance(head, Mapping):
            problems.append("缺少 [weightset] 表 / missing [weightset] table")
            head = {}
        if not isinstance(weights, Mapping):
            problems.append("缺少 [weights] 表 / missing [weights] table")
            weights = {}
        for k, v in weights.items():
            if isinstance(v, bool) or not isinstance(v, int | float):
                problems.append(
                    f"[weights] {k!r}: 权重须为数字 / weight must be a number, got {v!r}"
                )
        if not problems:
            try:
                with pydantic_errors():
                    return cls.model_validate({**head, "weights": dict(weights)})
            except ValidationError as exc:
                problems.extend(field_problems(exc, "[weightset]"))
        raise WeightSetError(problems, source=name)

    def to_toml(self, path: str | Path | None = None) -> str:
        """TOML text (written to ``path`` if given); comments are not kept."""
        head = self.model_dump(exclude={"weights"})
        head["levels"] = list(self.levels)
        text = toml.dumps({"weightset": head, "weights": dict(self.weights)},
                          header=f"权重方案 / weight set: {self.name_zh} / {self.name_en}")
        if path is not None:
            write_text_atomic(path, text, newline="\n")
        return text


# ================================================================== AHP files
def _entry(v: object) -> float:
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str):
        m = _FRACTION.match(v)
        if m is None:
            try:
                return float(v)
            except ValueError:
                raise ValueError(f"not a number or fraction like '1/3': {v!r}") from None
        den = float(m.group(2))
        if den == 0:
            raise ValueError(f"zero denominator: {v!r}")
        return float(m.group(1)) / den
    raise ValueError(f"not a number: {v!r}")


def _display(x: float) -> int | float | str:
    """Integers as ints, reciprocals of integers as ``"1/k"``, else the float."""
    if x >= 1 and abs(x - round(x)) < 1e-12:
        return round(x)
    if 0 < x < 1 and abs(1 / x - round(1 / x)) < 1e-9:
        return f"1/{round(1 / x)}"
    return x


class PairwiseMatrix(CheckedModel):
    """One group's pairwise comparison matrix.

    ``matrix[i][j]`` says how much more important ``codes[i]`` is than
    ``codes[j]`` on Saaty's 1/9 … 9 scale.
    """

    _error_kind: ClassVar[str] = "framework"

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: Code
    codes: tuple[Code, ...] = Field(min_length=1)
    matrix: tuple[tuple[float, ...], ...]
    note: str = ""

    @field_validator("matrix", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> Any:
        if isinstance(v, list | tuple):
            return tuple(tuple(_entry(x) for x in row) if isinstance(row, list | tuple) else row
                         for row in v)
        return v

    def array(self) -> NDArray[np.float64]:
        """Return the matrix as a new float64 array."""
        return np.array(self.matrix, dtype=np.float64)

    def problems(self, tolerance: float) -> list[str]:
        """Every problem of the matrix on its own (shape, diagonal, scale, reciprocity)."""
        g, n = self.group, len(self.codes)
        out: list[str] = []
        if len(set(self.codes)) != n:
            dup = sorted({c for c in self.codes if self.codes.count(c) > 1})
            out.append(f"{g!r}: 代码重复 / duplicate codes {dup}")
        if len(self.matrix) != n or any(len(r) != n for r in self.matrix):
            out.append(
                f"{g!r}: 矩阵须为 {n}×{n} / matrix must be {n}×{n} (one row and column per code), "
                f"got "
                f"{len(self.matrix)} rows of lengths {[len(r) for r in self.matrix]}"
            )
            return out
        a = self.array()
        for i in range(n):
            if abs(a[i, i] - 1.0) > tolerance:
                out.append(f"{g!r}: 对角元 [{i},{i}] = {a[i, i]} 应为 1 / diagonal must be 1")
        for i in range(n):
            for j in range(n):
                x = a[i, j]
                if not np.isfinite(x) or x < SAATY_MIN * (1 - tolerance) or x > SAATY_MAX * (
                    1 + tolerance
                ):
                    out.append(
                        f"{g!r}: [{self.codes[i]}, {self.codes[j]}] = {x} 超出 1/9…9 标度 / "
                        "outside Saaty's 1/9..9 scale"
                    )
                elif j > i and np.isfinite(a[j, i]) and abs(x * a[j, i] - 1.0) > tolerance:
                    out.append(
                        f"{g!r}: [{self.codes[i]}, {self.codes[j]}] = {x} 与 [{self.codes[j]}, "
                        f"{self.codes[i]}] = {a[j, i]} 不互为倒数 / entries are not reciprocal "
                        f"(product {x * a[j, i]:.4g}, tolerance {tolerance})"
                    )
        return out


class AHPMatrices(_TomlFile):
    """AHP pairwise comparison matrices for some groups of one framework.

    Parameters
    ----------
    framework
        Code of the framework.
    name_zh, name_en, description
        Bilingual name and justification.
    tolerance
        Relative tolerance of the diagonal, scale and reciprocity checks
        (``a_ij * a_ji`` within ``1 ± tolerance``), for entries typed as
        rounded decimals such as 0.333.
    matrices
        One :class:`PairwiseMatrix` per group.

    Raises
    ------
    WeightSetError
        On construction, listing every problem of every matrix.
    """

    _error_kind: ClassVar[str] = "framework"

    model_config = ConfigDict(frozen=True, extra="forbid")

    framework: Code
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description: str = ""
    tolerance: float = Field(default=0.01, gt=0, lt=0.5)
    matrices: tuple[PairwiseMatrix, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_matrices(self) -> AHPMatrices:
        problems: list[str] = []
        seen: set[str] = set()
        for m in self.matrices:
            if m.group in seen:
                problems.append(
                    f"{m.group!r}: 同一分组有多个矩阵 / more than one matrix for the group"
                )
            seen.add(m.group)
            problems.extend(m.problems(self.tolerance))
        if problems:
            raise WeightSetError(problems, source=f"AHP matrices {self.name_en}")
        return self

    @property
    def groups(self) -> tuple[str, ...]:
        """Codes of the groups that have a matrix, in file order."""
        return tuple(m.group for m in self.matrices)

    def matrix(self, group: str) -> tuple[tuple[str, ...], NDArray[np.float64]]:
        """``(child codes in matrix order, matrix as a float64 array)`` for ``group``."""
        for m in self.matrices:
            if m.group == group:
                return m.codes, m.array()
        raise KeyError(f"没有分组 {group!r} 的判断矩阵 / no matrix for group {group!r}; "
                       f"available: {list(self.groups)}")

    def items(self) -> list[tuple[str, tuple[str, ...], NDArray[np.float64]]]:
        """``(group, codes, matrix)`` for every group, in file order."""
        return [(m.group, m.codes, m.array()) for m in self.matrices]

    def check(self, framework: Framework) -> None:
        """Raise :class:`WeightSetError` unless every matrix fits ``framework``.

        The framework code matches, each group exists and is a group, and each
        matrix's codes are exactly that group's children.
        """
        problems: list[str] = []
        if self.framework != framework.code:
            problems.append(
                f"判断矩阵属于 {self.framework!r}，不是 {framework.code!r} / matrices are for "
                f"framework {self.framework!r}, not {framework.code!r}"
            )
        for m in self.matrices:
            if m.group not in framework:
                problems.append(f"{m.group!r}: 未知分组 / unknown group (not in {framework.code})")
                continue
            kids = framework.children(m.group)
            if not kids:
                problems.append(f"{m.group!r}: 不是分组(没有下级) / not a group (has no children)")
                continue
            extra = [c for c in m.codes if c not in kids]
            missing = [c for c in kids if c not in m.codes]
            if extra:
                problems.append(
                    f"{m.group!r}: 矩阵含非下级代码 / codes that are not children: {extra}"
                )
            if missing:
                problems.append(f"{m.group!r}: 矩阵缺少下级 / children missing from the matrix: "
                                f"{missing}")
        if problems:
            raise WeightSetError(problems, source=f"AHP matrices {self.name_en}")

    # -------------------------------------------------------------- files
    LAYOUT: ClassVar[str] = "``[ahp]`` + ``[[matrix]]``"

    @classmethod
    def _from_data(cls, data: dict[str, Any], name: str) -> Self:
        problems: list[str] = []
        unknown = sorted(set(data) - {"ahp", "matrix"})
        if unknown:
            problems.append(f"未知的顶层键 / unknown top-level key(s) {unknown}")
        head = data.get("ahp")
        if not isinstance(head, Mapping):
            problems.append("缺少 [ahp] 表 / missing [ahp] table")
            head = {}
        mats = data.get("matrix", [])
        if not isinstance(mats, list) or not mats:
            problems.append("缺少 [[matrix]] 表数组 / missing [[matrix]] array of tables")
            mats = []
        parsed: list[PairwiseMatrix] = []
        for i, raw in enumerate(mats):
            entry = f"[[matrix]] #{i + 1}" + (
                f" {raw.get('group')!r}" if isinstance(raw, Mapping) and "group" in raw else ""
            )
            try:
                with pydantic_errors():
                    parsed.append(PairwiseMatrix.model_validate(raw))
            except ValidationError as exc:
                problems.extend(field_problems(exc, entry))
        if not problems:
            try:
                with pydantic_errors():
                    return cls.model_validate({**head, "matrices": parsed})
            except ValidationError as exc:
                problems.extend(field_problems(exc, "[ahp]"))
            except WeightSetError as exc:
                problems.extend(exc.problems)
        raise WeightSetError(problems, source=name)

    def to_toml(self, path: str | Path | None = None) -> str:
        """TOML text (written to ``path`` if given); reciprocals are written as ``"1/k"``."""
        head = self.model_dump(exclude={"matrices"})
        mats = [
            {"group": m.group, "codes": list(m.codes), "note": m.note or None,
             "matrix": [[_display(x) for x in row] for row in m.matrix]}
            for m in self.matrices
        ]
        title = f"AHP 判断矩阵 / AHP pairwise matrices: {self.name_zh} / {self.name_en}"
        text = toml.dumps({"ahp": head, "matrix": mats}, header=title)
        if path is not None:
            write_text_atomic(path, text, newline="\n")
        return text
