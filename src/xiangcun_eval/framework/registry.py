"""Built-in frameworks and :func:`load_framework`.

Built-in frameworks live in ``framework/builtin/``:

========== ================================================================
name       content
========== ================================================================
dvd-2023   《2023年数字乡村发展工作要点》: index → 10 areas → 26 tasks →
           county indicators (``dvd-2023.toml``)
pku-4d     PKU-style four dimensions filled with dvd-2023 indicators
           (``pku-4d.toml``)
asem       COINr's ASEM example framework, read from its iMeta table
           (``asem-imeta.csv``, MIT licence, see ``ASEM-LICENSE.md``)
========== ================================================================
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import FrameworkError
from .loaders import IMeta, framework_from_toml, read_imeta
from .model import Framework

__all__ = ["BUILTIN_FRAMEWORKS", "builtin_path", "load_framework", "load_imeta"]

BUILTIN_FRAMEWORKS: dict[str, str] = {
    "dvd-2023": "dvd-2023.toml",
    "pku-4d": "pku-4d.toml",
    "asem": "asem-imeta.csv",
}
"""Built-in framework names and their files under ``framework/builtin/``."""

_ASEM_META = {
    "code": "asem",
    "name_zh": "亚欧会议可持续互联互通指数(COINr 示例)",
    "name_en": "ASEM Sustainable Connectivity (COINr example)",
    "version": "COINr 1.1.14",
    "reference": "COINr R package (W. Becker, JRC), ASEM_iMeta example, MIT licence",
}


def builtin_path(name: str) -> Path:
    """Path of the file behind built-in framework ``name``."""
    try:
        fname = BUILTIN_FRAMEWORKS[name]
    except KeyError:
        raise FrameworkError(_unknown(name), source=name) from None
    return Path(str(resources.files("xiangcun_eval.framework") / "builtin" / fname))


def _unknown(name: str) -> str:
    return (
        f"未知的指标体系 {name!r} / unknown framework {name!r}: give a built-in name "
        f"({', '.join(sorted(BUILTIN_FRAMEWORKS))}) or a path to a .toml or .csv (iMeta) file"
    )


def load_imeta(name_or_path: str | Path) -> IMeta:
    """Like :func:`load_framework` for iMeta sources, with unit columns.

    Also returns group and denominator columns (``"asem"`` or a ``.csv`` path).
    """
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_FRAMEWORKS:
        path = builtin_path(name_or_path)
        if path.suffix != ".csv":
            raise FrameworkError(
                f"{name_or_path!r} 不是 iMeta 表 / is not an iMeta table", source=name_or_path
            )
        return read_imeta(path, **_ASEM_META) if name_or_path == "asem" else read_imeta(path)
    return read_imeta(Path(name_or_path))


def load_framework(name_or_path: str | Path) -> Framework:
    """Load a framework by built-in name or from a file.

    Parameters
    ----------
    name_or_path
        ``"dvd-2023"``, ``"pku-4d"``, ``"asem"``, or a path to a framework
        ``.toml`` file or a COINr iMeta ``.csv`` file.

    Raises
    ------
    FrameworkError
        For an unknown name (listing the built-in ones), a missing file, an
        unsupported suffix, or an invalid framework (every problem at once).
    TomlError
        For a TOML syntax error (file, line and column).
    """
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_FRAMEWORKS:
        path = builtin_path(name_or_path)
        if path.suffix == ".csv":
            return load_imeta(name_or_path).framework
        return framework_from_toml(path)
    path = Path(name_or_path)
    if path.suffix.lower() not in (".toml", ".csv"):
        raise FrameworkError(_unknown(str(name_or_path)), source=str(name_or_path))
    if not path.is_file():
        raise FrameworkError(
            f"文件不存在 / file not found: {path}. " + _unknown(str(name_or_path)),
            source=str(path),
        )
    if path.suffix.lower() == ".csv":
        return read_imeta(path).framework
    return framework_from_toml(path)


def weights_path(name_or_path: str | Path) -> Path:
    """Path of a weight-set or AHP-matrices file.

    A name without suffix (``"expert-2023"``, ``"ahp-dvd-2023-areas"``) is
    looked up among the shipped weight files (the top-level ``weights/``
    folder, installed inside the package as ``xiangcun_eval/_weights``);
    anything else is taken as a path.
    """
    p = Path(name_or_path)
    if p.suffix == "" and not p.exists():
        candidates = [
            Path(str(resources.files("xiangcun_eval") / "_weights" / f"{p.name}.toml")),
            Path(__file__).resolve().parents[3] / "weights" / f"{p.name}.toml",
        ]
        for c in candidates:
            if c.is_file():
                return c
        shipped = sorted({f.stem for c in candidates if c.parent.is_dir()
                          for f in c.parent.glob("*.toml")})
        raise FrameworkError(
            f"找不到权重文件 {str(name_or_path)!r} / no weight file named {str(name_or_path)!r}; "
            f"shipped: {shipped}; or give a path to a .toml file",
            source=str(name_or_path),
        )
    if not p.is_file():
        raise FrameworkError(f"文件不存在 / file not found: {p}", source=str(p))
    return p
