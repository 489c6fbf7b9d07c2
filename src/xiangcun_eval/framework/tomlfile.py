"""Our TOML layout for frameworks (see ``docs/frameworks.md``).

The tables and their keys::

    [framework]            # code, name_zh, name_en, version, description, reference
    [[group]]              # one per group node (index, areas, tasks ...): code, name_zh,
                           # name_en, level, parent, weight, description
    [[indicator]]          # one per indicator: the Indicator fields (level defaults to 1)

Every problem found while loading is collected and reported at once in a
:class:`~xiangcun_eval.errors.FrameworkError` whose ``source`` is the file
name; each line names the entry (``[[indicator]] #3 'code'``).  Nothing read
from a file is executed.

The readers take the framework class ``cls`` as an argument, so that this
module does not import :mod:`~xiangcun_eval.framework.model` (which uses it
for ``Framework.from_toml``); the public functions without it are in
:mod:`~xiangcun_eval.framework.loaders`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._checked import field_problems, pydantic_errors
from ..errors import FrameworkError
from ..io import toml
from ..io.files import write_text_atomic
from .nodes import Benchmark, Group, Indicator

if TYPE_CHECKING:
    from .model import Framework

__all__ = [
    "framework_from_dict",
    "framework_from_toml",
    "framework_from_toml_text",
    "framework_to_dict",
    "framework_to_toml",
    "pydantic_problems",
]

_META_KEYS = ("code", "name_zh", "name_en", "version", "description", "reference")
_GROUP_KEYS = ("code", "name_zh", "name_en", "level", "parent", "weight", "description")
_IND_KEYS = ("code", "name_zh", "name_en", "parent", "weight", "unit", "direction",
             "lower_bound", "upper_bound", "target", "benchmark", "goalposts", "goalposts_basis",
             "applicability", "zero_variance", "rollup", "rollup_weight", "denominator",
             "source", "definition", "formula", "policy_task", "reference", "description")


def pydantic_problems(exc: ValidationError, entry: str) -> list[str]:
    """One bilingual line per field error of ``exc``, prefixed by ``entry``."""
    return field_problems(exc, entry)


def _entry_name(kind: str, i: int, raw: object) -> str:
    code = raw.get("code") if isinstance(raw, Mapping) else None
    return f"[[{kind}]] #{i + 1}" + (f" {code!r}" if code is not None else "")


def framework_from_toml(source: str | Path, cls: type[Framework]) -> Framework:
    """Build a :class:`Framework` from a TOML file (``source`` is always a file name).

    TOML text goes to :func:`framework_from_toml_text`; text passed here is
    still read, with a DeprecationWarning, until the next minor version
    (see :func:`xiangcun_eval.io.toml.read_source`).

    Raises
    ------
    TomlError
        On a TOML syntax error (with file, line and column).
    FrameworkError
        Listing every problem at once: unknown keys, bad field values per
        entry, and every structural problem of the tree.
    """
    data, name = toml.read_source(source, what=cls.__name__, stacklevel=4)
    return framework_from_dict(data, cls, source=name)


def framework_from_toml_text(text: str, cls: type[Framework], *, source: str = "<text>"
                             ) -> Framework:
    """Build a :class:`Framework` from TOML text (see :func:`framework_from_toml`)."""
    return framework_from_dict(toml.loads(text, source=source), cls, source=source)


def framework_from_dict(
    data: Mapping[str, Any], cls: type[Framework], *, source: str = "<dict>"
) -> Framework:
    """Build a :class:`Framework` from parsed TOML data (see :func:`framework_from_toml`)."""
    with pydantic_errors():  # collect every entry's problems, raise once
        return _framework_from_dict(data, cls, source=source)


def _framework_from_dict(
    data: Mapping[str, Any], cls: type[Framework], *, source: str
) -> Framework:
    problems: list[str] = []
    unknown = sorted(set(data) - {"framework", "group", "indicator"})
    if unknown:
        problems.append(
            f"未知的顶层键 / unknown top-level key(s) {unknown}; expected [framework], "
            "[[group]], [[indicator]]"
        )
    meta = data.get("framework")
    if not isinstance(meta, Mapping):
        problems.append("缺少 [framework] 表 / missing [framework] table (code, name_zh, name_en)")
        meta = {}
    bad = sorted(set(meta) - set(_META_KEYS))
    if bad:
        problems.append(
            f"[framework]: 未知字段 / unknown field(s) {bad}; allowed {list(_META_KEYS)}"
        )
    nodes = _nodes_from(data, problems)
    meta_ok = {k: v for k, v in meta.items() if k in _META_KEYS}
    for key in ("code", "name_zh", "name_en"):
        if key not in meta_ok:
            problems.append(f"[framework]: 缺少 {key} / missing {key!r}")
    if problems:
        # still report structural problems of the entries that did parse
        try:
            cls(code="x", name_zh="x", name_en="x", nodes=tuple(nodes))
        except FrameworkError as exc:
            problems.extend(exc.problems)
        except ValidationError:
            pass
        raise FrameworkError(problems, source=source)
    try:
        return cls(**meta_ok, nodes=tuple(nodes))
    except FrameworkError as exc:
        raise FrameworkError(exc.problems, source=source) from None
    except ValidationError as exc:
        raise FrameworkError(pydantic_problems(exc, "[framework]"), source=source) from None


def _nodes_from(data: Mapping[str, Any], problems: list[str]) -> list[Group | Indicator]:
    """Validate the ``[[group]]`` and ``[[indicator]]`` entries, groups first.

    Returns the nodes that parse; every problem of the others (not an array of
    tables, an entry that is not a table, invalid fields) is added to
    ``problems``.  Indicators default to level 1; a ``kind`` key is ignored.
    """
    nodes: list[Group | Indicator] = []
    for kind, model, in (("group", Group), ("indicator", Indicator)):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            problems.append(
                f"{kind!r} 必须是 [[{kind}]] 表数组 / must be an array of tables [[{kind}]]"
            )
            continue
        for i, raw in enumerate(entries):
            entry = _entry_name(kind, i, raw)
            if not isinstance(raw, Mapping):
                problems.append(f"{entry}: 不是表 / not a table")
                continue
            values = dict(raw)
            if kind == "indicator":
                values.setdefault("level", 1)
            values.pop("kind", None)
            try:
                nodes.append(model.model_validate(values))
            except ValidationError as exc:
                problems.extend(pydantic_problems(exc, entry))
    return nodes


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """Return the TOML-ready mapping of a framework (``None`` and empty text left out)."""

    def keep(v: object) -> bool:
        return v is not None and v != ""

    meta = {k: getattr(fw, k) for k in _META_KEYS if keep(getattr(fw, k))}
    groups = [{k: getattr(g, k) for k in _GROUP_KEYS if keep(getattr(g, k))} for g in fw.groups]
    inds = []
    for ind in fw.indicators:
        d: dict[str, Any] = {}
        for k in _IND_KEYS:
            v = getattr(ind, k)
            if isinstance(v, Benchmark):
                d[k] = v.model_dump()
            elif keep(v):
                d[k] = list(v) if isinstance(v, tuple) else v
        inds.append(d)
    return {"framework": meta, "group": groups, "indicator": inds}


def framework_to_toml(fw: Framework, path: str | Path | None = None) -> str:
    """Deterministic TOML text of ``fw``; also written to ``path`` when given."""
    text = toml.dumps(
        framework_to_dict(fw),
        header=f"指标体系 / indicator framework {fw.code}: {fw.name_zh} / {fw.name_en}\n"
               "Format: docs/frameworks.md",
    )
    if path is not None:
        write_text_atomic(path, text, newline="\n")
    return text
