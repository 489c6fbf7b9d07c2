"""File writing shared by every exporter.

Atomic, and never overwriting an existing file unless asked to.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputExistsError

__all__ = ["check_target", "write_bytes_atomic", "write_text_atomic"]


def check_target(path: str | Path, *, overwrite: bool) -> Path:
    """``path`` as a :class:`~pathlib.Path`, after checking that it may be written.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``overwrite`` is false, or ``path`` is a directory.
    """
    p = Path(path)
    if p.is_dir():
        raise OutputExistsError(p, directory=True)
    if p.exists() and not overwrite:
        raise OutputExistsError(p)
    return p


def _mode(p: Path) -> int:
    """Permissions for the new file.

    The old file's, else 0o666 less the umask (what ``open()`` would give;
    ``mkstemp`` makes 0o600).
    """
    if p.exists():
        return p.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes_atomic(path: str | Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write bytes atomically.

    A temporary file in the same folder is renamed into place, so a failed write
    never leaves a half-written or truncated file.  With ``overwrite=False`` an
    existing ``path`` raises :class:`~xiangcun_eval.errors.OutputExistsError` and
    is left untouched.
    """
    p = check_target(path, overwrite=overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _mode(p))
        if not overwrite and p.exists():  # appeared meanwhile
            raise OutputExistsError(p)
        os.replace(tmp, p)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_text_atomic(path: str | Path, text: str, *, encoding: str = "utf-8",
                      newline: str | None = "\n", overwrite: bool = True) -> None:
    r"""Write text atomically (see :func:`write_bytes_atomic`).

    ``newline`` ``"\r\n"`` or ``"\r"`` replaces every ``"\n"`` of ``text``; any
    other value (None, ``""``, ``"\n"``) writes ``text`` as it is.
    """
    if newline in ("\r\n", "\r"):
        text = text.replace("\n", newline)
    write_bytes_atomic(path, text.encode(encoding), overwrite=overwrite)
