"""A small TOML writer for our data, and a reading wrapper over :mod:`tomllib`.

Reading uses the standard library's :mod:`tomllib` (TOML 1.0); syntax errors
are turned into a :class:`TomlError` that names the file, line and column in
Chinese and English.  Nothing read from a file is ever executed.

Writing (:func:`dumps`, :func:`dump`) goes through :mod:`tomli_w` (strings
as UTF-8 basic strings, floats in ``repr`` form that reads back to the
identical value, arrays one item per line, ``[a.b]`` tables and ``[[a]]``
arrays of tables), after a check of what our files may hold: ``None``
values in tables are skipped (TOML has no null); ``nan``/``inf``, integers
outside 64 bits, ``None`` inside arrays and lone surrogates raise
:class:`ValueError`; other types and non-string keys raise
:class:`TypeError`.  Output is deterministic (keys keep their mapping order,
plain values before sub-tables), and ``tomllib.loads(dumps(obj)) == obj``
for every supported ``obj`` without ``None``.
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import XiangcunError
from .files import write_text_atomic

__all__ = ["TomlError", "dump", "dumps", "load", "loads", "read_file", "read_source"]

_INT64 = (-(2**63), 2**63 - 1)
_POS = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


class TomlError(XiangcunError, ValueError):
    """A TOML file or text could not be parsed.

    Attributes
    ----------
    source
        File name (or ``"<text>"``).
    line, column
        1-based position of the error when known (``None`` otherwise).
    reason
        The parser's own description of the problem.
    """

    def __init__(self, reason: str, *, source: str = "<text>", line: int | None = None,
                 column: int | None = None) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        self.column = column
        where = source if line is None else f"{source}, 第 {line} 行第 {column} 列"
        super().__init__(
            f"TOML 语法错误 ({where}) / TOML syntax error in {source}"
            + ("" if line is None else f" at line {line}, column {column}")
            + f": {reason}。请检查引号、括号和等号 / check quotes, brackets and '=' signs."
        )


# ---------------------------------------------------------------------- reading
def loads(text: str, *, source: str = "<text>") -> dict[str, Any]:
    """Parse TOML text; syntax errors raise :class:`TomlError` naming ``source`` and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _POS.search(msg)
        line = col = None
        if m is not None and m.group(1):
            line, col = int(m.group(1)), int(m.group(2))
        elif m is not None:
            line = text.count("\n") + 1
            col = len(text.rsplit("\n", 1)[-1]) + 1
        reason = _POS.sub("", msg).strip()
        raise TomlError(reason, source=source, line=line, column=col) from None


def load(path: str | Path) -> dict[str, Any]:
    """Read and parse a UTF-8 TOML file; errors name the file and line.

    Raises
    ------
    TomlError
        On a syntax error or text that is not valid UTF-8.
    FileNotFoundError
        When the file does not exist.
    """
    p = Path(path)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TomlError(f"文件不是 UTF-8 编码 / file is not UTF-8 ({exc})", source=str(p)) from None
    return loads(text, source=str(p))


def read_file(path: str | Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; returns ``(data, file name)``.

    ``path`` is always a file name, whatever characters it holds (a file
    called ``p=1.toml`` is a file).  A missing file raises
    :class:`FileNotFoundError` naming it.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"文件不存在 / file not found: {p}")
    return load(p), str(p)


def read_source(
    source: str | Path, *, what: str, stacklevel: int = 3
) -> tuple[dict[str, Any], str]:
    """:func:`read_file`, plus the deprecated reading of TOML text passed as a path.

    The ``from_toml(path)`` methods of our file types read files only; TOML
    text goes to ``from_toml_text(text)``.  Before 0.2 ``from_toml`` also
    took text, and a string containing a newline (never a file name) is
    still read as text for one minor version, with a
    :class:`DeprecationWarning` naming ``what.from_toml_text``.
    """
    if isinstance(source, str) and "\n" in source:
        warnings.warn(
            f"{what}.from_toml(text) 已弃用 / passing TOML text to {what}.from_toml is "
            f"deprecated: from_toml reads a file; use {what}.from_toml_text(text)",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        return loads(source), "<text>"
    return read_file(source)


def drop_none(obj: Any) -> Any:
    """Return a TOML-ready copy of nested dicts/lists.

    ``None`` values are dropped (TOML has no null) and every dict key becomes a
    string (TOML keys are strings).
    """
    if isinstance(obj, dict):
        return {str(k): drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list | tuple):
        return [drop_none(v) for v in obj]
    return obj


# ---------------------------------------------------------------------- writing
def _clean(v: Any, where: str) -> Any:
    """``v`` checked for what our files may hold, ``None`` table values dropped.

    Rejects what :mod:`tomli_w` would write without complaint but we never
    want in a file: ``nan``/``inf`` (usually a bug), integers outside 64 bits
    (TOML's range), ``None`` inside arrays, lone surrogates, non-string keys.
    """
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        if not _INT64[0] <= v <= _INT64[1]:
            raise ValueError(f"{where}: 整数超出 64 位范围 / integer {v} outside the 64-bit range")
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(
                f"{where}: 不写入 nan/inf / refusing to write non-finite float {v!r}; "
                "omit the key or use a finite value"
            )
        return v
    if isinstance(v, str):
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in v):
            raise ValueError(f"字符串含孤立代理字符 / string contains a lone surrogate: {v!r}")
        return v
    if isinstance(v, Mapping):
        out = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise TypeError(f"TOML 键必须是字符串 / TOML keys must be strings, got {k!r}")
            _clean(k, where)
            if x is not None:
                out[k] = _clean(x, f"{where}.{k}" if where else k)
        return out
    if isinstance(v, Sequence) and not isinstance(v, bytes):
        if any(x is None for x in v):
            raise ValueError(f"{where}: 数组不能含 None / arrays cannot contain None")
        return [_clean(x, f"{where}[{i}]") for i, x in enumerate(v)]
    raise TypeError(
        f"{where}: 不支持写入 TOML 的类型 / unsupported type for TOML: {type(v).__name__}"
    )


def _comment(line: str) -> str:
    """Escape control characters (not allowed in TOML comments) in a comment line."""
    return "".join(
        f"\\x{ord(c):02x}" if (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F else c for c in line
    )


def dumps(obj: Mapping[str, Any], *, header: str = "") -> str:
    """TOML text for a mapping.

    Parameters
    ----------
    obj
        A mapping of string keys to supported values (see the module docstring).
    header
        Optional comment placed at the top; each line is prefixed with ``# ``.

    Returns
    -------
    str
        UTF-8-ready TOML text ending in a newline.

    Raises
    ------
    ValueError
        For ``nan``/``inf``, integers outside 64 bits, ``None`` inside arrays.
    TypeError
        For unsupported value types or non-string keys.
    """
    if not isinstance(obj, Mapping):
        raise TypeError(
            f"TOML 顶层必须是映射 / top level must be a mapping, got {type(obj).__name__}"
        )
    body = tomli_w.dumps(_clean(obj, ""))
    if not header:
        return body
    head = "\n".join(("# " + _comment(h)).rstrip() for h in header.splitlines())
    return head + "\n\n" + body


def dump(obj: Mapping[str, Any], path: str | Path, *, header: str = "") -> None:
    r"""Write :func:`dumps` output to ``path`` (UTF-8, ``\n`` line ends)."""
    write_text_atomic(path, dumps(obj, header=header), newline="\n")
