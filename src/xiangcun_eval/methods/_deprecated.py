"""Deprecation aliases of renamed public kernel names (PEP 562).

A package lists ``{old name: new name}`` and sets
``__getattr__ = deprecated_aliases(__name__, {...}, globals())``: the old
name then still works for one minor version and warns with
:class:`DeprecationWarning`, naming the replacement.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["REMOVED_IN", "deprecated_aliases", "warn_renamed"]

#: Release in which the aliases disappear (one minor version after the rename).
REMOVED_IN = "0.3"


def deprecated_aliases(
    module: str, renamed: Mapping[str, str], namespace: Mapping[str, Any]
) -> Callable[[str], Any]:
    """Make a module ``__getattr__`` resolving old names to new ones with a warning."""

    def __getattr__(name: str) -> Any:
        new = renamed.get(name)
        if new is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(
            f"{module}.{name} 已更名为 {new} / {module}.{name} is deprecated, use "
            f"{module}.{new} (the old name is removed in {REMOVED_IN})",
            DeprecationWarning,
            stacklevel=2,
        )
        return namespace[new]

    return __getattr__


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that the public name ``old`` (e.g. ``"Evaluation.scores()"``) is now ``new``.

    For renamed methods, whose alias is a method that calls this and then the
    new one (``stacklevel=3`` points at the caller of the alias).
    """
    warnings.warn(
        f"{old} 已更名为 {new} / {old} is deprecated, use {new} "
        f"(the old name is removed in {REMOVED_IN})",
        DeprecationWarning,
        stacklevel=stacklevel,
    )
