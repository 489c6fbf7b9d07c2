"""File writing shared by every exporter."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_text_atomic"]


def write_text_atomic(path: str | Path, text: str, *, encoding: str = "utf-8",
                      newline: str | None = "\n") -> None:
    """Write text atomically: a temporary file beside ``path`` is renamed into
    place, so a failed write never leaves a half-written or truncated file."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_text(text, encoding=encoding, newline=newline)
        tmp.replace(p)
    finally:
        tmp.unlink(missing_ok=True)
