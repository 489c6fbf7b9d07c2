"""Base of the library's pydantic models: constructors raise the library's errors.

``Indicator(...)``, ``Framework(...)``, ``WeightNoise(...)``,
``Methodology(...)`` and every other model built directly raise
:class:`~xiangcun_eval.errors.FrameworkError` (frameworks, weight and AHP
files) or :class:`~xiangcun_eval.errors.MethodError` (methodologies,
uncertainty spaces) listing every bad field, never pydantic's
``ValidationError``.  Only the outermost construction converts: models
validated inside another one keep pydantic's error so that the outer model
collects every problem.  The file loaders validate inside
:func:`pydantic_errors` to collect the problems of every entry of a file
before raising once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from .errors import FrameworkError, MethodError, XiangcunError

__all__ = ["CheckedModel", "field_problems", "pydantic_errors"]

_DEPTH: ContextVar[int] = ContextVar("xiangcun_model_depth", default=0)


@contextmanager
def pydantic_errors() -> Iterator[None]:
    """Keep pydantic's ``ValidationError`` inside the block (for the loaders)."""
    token = _DEPTH.set(_DEPTH.get() + 1)
    try:
        yield
    finally:
        _DEPTH.reset(token)


def field_problems(exc: ValidationError, entry: str) -> list[str]:
    """Return one bilingual line per field error of ``exc``, prefixed by ``entry``.

    ``entry`` names the model or file entry, e.g. ``"[[indicator]] #3 'T01_5g'"``.
    """
    out = []
    for e in exc.errors(include_url=False):
        loc = ".".join(str(x) for x in e["loc"]) or "-"
        got = e.get("input")
        shown = "" if isinstance(got, dict) else f" (got {got!r})"
        out.append(f"{entry}: 字段 {loc} 有误 / field {loc!r}: {e['msg']}{shown}")
    return out


class CheckedModel(BaseModel):
    """A pydantic model whose constructor raises the library's error.

    ``_error_kind = "framework"`` raises :class:`FrameworkError` (one problem
    per bad field); the default ``"method"`` raises :class:`MethodError`.
    """

    _error_kind: ClassVar[str] = "method"

    def __init__(self, /, **data: Any) -> None:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        try:
            super().__init__(**data)
        except ValidationError as exc:
            if depth:
                raise
            raise type(self).invalid(exc) from None
        finally:
            _DEPTH.reset(token)

    @classmethod
    def invalid(cls, exc: ValidationError) -> XiangcunError:
        """Return the library error for pydantic's ``exc`` about this model."""
        problems = field_problems(exc, cls.__name__)
        if cls._error_kind == "framework":
            return FrameworkError(problems)
        return MethodError(
            f"{cls.__name__} 的字段无效 / invalid {cls.__name__}: " + "; ".join(problems)
        )
