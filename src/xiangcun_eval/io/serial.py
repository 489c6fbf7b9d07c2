"""Serialisation shared by the validated value types.

JSON and TOML round trips of a pydantic model (methodologies, uncertainty spaces).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import ValidationError

from .._checked import CheckedModel, pydantic_errors
from ..errors import MethodError
from .files import write_text_atomic
from .toml import drop_none, dumps, loads, read_source

__all__ = ["TomlModel"]


class TomlModel(CheckedModel):
    """A pydantic model that reads and writes itself as TOML and JSON.

    ``None`` fields are dropped (TOML has no null) and mapping keys become
    strings; reading validates the data again, so a round trip gives an equal
    object.  Invalid content raises :class:`~xiangcun_eval.errors.MethodError`
    listing every bad field, named by ``_what`` (Chinese, English).
    """

    _what: ClassVar[tuple[str, str]] = ("设定", "specification")

    def to_dict(self) -> dict[str, Any]:
        """JSON/TOML-compatible dict (``None`` fields dropped, keys as strings)."""
        out: dict[str, Any] = drop_none(self.model_dump(mode="json"))
        return out

    def to_json(self) -> str:
        """Return the JSON text of :meth:`to_dict` (keys sorted, indented, Chinese kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Self:
        """Read JSON text, validating it as :meth:`from_toml` does."""
        return cls._from_data(json.loads(text), "<json>")

    def to_toml(self, path: str | Path | None = None) -> str:
        """TOML text (written atomically to ``path`` when given)."""
        text = dumps(self.to_dict())
        if path is not None:
            write_text_atomic(path, text)
        return text

    @classmethod
    def from_toml(cls, path: str | Path) -> Self:
        """Read from a TOML file; ``path`` is always a file name.

        TOML text goes to :meth:`from_toml_text` (text passed here still
        works, with a DeprecationWarning, until the next minor version).

        Raises
        ------
        TomlError
            Syntax error (file, line, column).
        FileNotFoundError
            A file name that does not exist.
        """
        data, name = read_source(path, what=cls.__name__)
        return cls._from_data(data, name)

    @classmethod
    def from_toml_text(cls, text: str, *, source: str = "<text>") -> Self:
        """Read from TOML text (``source`` names it in error messages)."""
        return cls._from_data(loads(text, source=source), source)

    @classmethod
    def coerce(cls, value: Self | str | Path) -> Self:
        """Convert an entry point's input: the one conversion for the analyses and the CLI.

        An instance is returned as it is; a ``str`` or :class:`~pathlib.Path`
        is a TOML file read by :meth:`from_toml`.

        Raises
        ------
        TypeError
            For anything else (bilingual, naming the type received).
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str | Path):
            return cls.from_toml(value)
        zh, en = cls._what
        raise TypeError(
            f"需要{zh}或其 TOML 文件路径 / expected a {cls.__name__} ({en}) or the path of its "
            f"TOML file, got {type(value).__name__}"
        )

    @classmethod
    def _from_data(cls, data: Any, source: str) -> Self:
        try:
            with pydantic_errors():
                return cls.model_validate(data)
        except ValidationError as exc:
            fields = "; ".join(
                f"{'.'.join(str(x) for x in e['loc']) or '-'}: {e['msg']}" for e in exc.errors()
            )
            zh, en = cls._what
            raise MethodError(f"{zh}无效 / invalid {en} ({source}): {fields}") from None
