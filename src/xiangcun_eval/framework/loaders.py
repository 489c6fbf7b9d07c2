"""Reading and writing frameworks: our TOML layout and COINr's iMeta table.

The public entry points; the formats live in
:mod:`~xiangcun_eval.framework.tomlfile` (TOML layout) and
:mod:`~xiangcun_eval.framework.imeta` (COINr iMeta), which take the
framework class as an argument so that the model can use them without an
import cycle.  ``Framework.from_toml`` / ``to_toml`` / ``from_imeta`` /
``to_imeta`` are the same functions as methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import imeta as _imeta
from . import tomlfile as _tomlfile
from .imeta import IMETA_COLUMNS, IMeta, imeta_rows, write_imeta
from .model import Framework
from .tomlfile import framework_to_dict, framework_to_toml

__all__ = [
    "IMETA_COLUMNS",
    "IMeta",
    "framework_from_dict",
    "framework_from_toml",
    "framework_to_dict",
    "framework_to_toml",
    "imeta_rows",
    "read_imeta",
    "write_imeta",
]


def framework_from_toml(source: str | Path) -> Framework:
    """Build a :class:`Framework` from a TOML file path or TOML text.

    See :func:`xiangcun_eval.framework.tomlfile.framework_from_toml`.
    """
    return _tomlfile.framework_from_toml(source, Framework)


def framework_from_dict(data: Mapping[str, Any], *, source: str = "<dict>") -> Framework:
    """Build a :class:`Framework` from parsed TOML data (see :func:`framework_from_toml`)."""
    return _tomlfile.framework_from_dict(data, Framework, source=source)


def read_imeta(source: str | Path | Iterable[Mapping[str, Any]], *, code: str | None = None,
               name_zh: str | None = None, name_en: str | None = None, version: str = "",
               description: str = "", reference: str = "") -> IMeta:
    """Read a COINr iMeta table (see :func:`xiangcun_eval.framework.imeta.read_imeta`)."""
    return _imeta.read_imeta(source, Framework, code=code, name_zh=name_zh, name_en=name_en,
                             version=version, description=description, reference=reference)
