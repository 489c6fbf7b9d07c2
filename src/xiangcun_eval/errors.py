"""Exception types raised by xiangcun-eval.

Every error carries a message that says what is wrong, where, and how to fix
it.  Messages shown to analysts are bilingual (Chinese first, English beside
it); the exception classes themselves are plain English identifiers.
"""

from __future__ import annotations

__all__ = [
    "FrameworkError",
    "MethodError",
    "MissingExtraError",
    "OptionError",
    "OutputExistsError",
    "UnknownCodeError",
    "XiangcunError",
]


class XiangcunError(Exception):
    """Base class of every error this library raises on purpose."""


class FrameworkError(XiangcunError):
    """An indicator framework (指标体系) is malformed.

    ``problems`` lists every problem found, one line each, so a framework
    file is fixed in one pass rather than one error at a time.
    """

    def __init__(self, problems: list[str] | str, *, source: str | None = None) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        where = f" ({source})" if source else ""
        head = f"指标体系有误 / invalid framework{where}: {len(self.problems)} problem(s)"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in self.problems))


class MethodError(XiangcunError):
    """A method was asked for something it cannot do.

    Bad parameters, data it is not defined on, an unknown method name.

    ``columns`` optionally lists the offending column positions of the array
    the kernel was given, so that callers can name the indicators.
    """

    def __init__(self, message: str, *, columns: list[int] | None = None) -> None:
        super().__init__(message)
        self.columns = columns


class MissingExtraError(XiangcunError, ImportError):
    """An optional dependency is needed for this feature and is not installed."""

    def __init__(self, module: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} 需要可选依赖 {module} / {feature} needs the optional dependency "
            f"'{module}': install it with  pip install 'xiangcun-eval[{extra}]'"
        )
        self.module = module
        self.extra = extra


class OutputExistsError(XiangcunError, FileExistsError):
    """An export would overwrite an existing file, or the target is a directory.

    Pass ``overwrite=True``, or ``--force`` on the command line, to replace a file.
    """

    def __init__(self, path: object, *, directory: bool = False) -> None:
        if directory:
            msg = (f"输出路径是目录 / output path is a directory: {path}; "
                   "请给出文件名 / give a file name")
        else:
            msg = (f"文件已存在, 未覆盖 / file exists, not overwritten: {path}; "
                   "换一个文件名, 或用 overwrite=True (命令行 --force) 覆盖 / choose another "
                   "name, or pass overwrite=True (--force on the command line)")
        super().__init__(msg)
        self.path = path


class UnknownCodeError(XiangcunError, KeyError):
    """A unit, indicator or grouping column asked for by code does not exist.

    Subclasses ``KeyError`` so existing handlers keep working; the message
    names the code and, where short, what is available.
    """

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class OptionError(XiangcunError, ValueError, TypeError):
    """An argument or command-line option is of the wrong type or makes no sense.

    E.g. an unknown ``mode``, a negative ``top_k``, a memory budget given as
    text.  Subclasses ``ValueError`` and ``TypeError`` so existing handlers
    keep working.
    """
