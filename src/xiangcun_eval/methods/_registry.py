"""Registries of the methods of each stage.

Every stage module (``impute``, ``treat``, ``normalise``, ``weights``,
``aggregate``) keeps one :class:`Registry`.  A registered method is a pure
function over numpy arrays plus a pydantic model of its parameters, so that a
:class:`~xiangcun_eval.Methodology` can name a method and its parameters in
TOML/JSON and have them checked before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import MethodError

__all__ = ["MethodInfo", "NoParams", "Params", "Registry"]

F = TypeVar("F", bound=Callable[..., Any])


class Params(BaseModel):
    """Base class of method parameter models: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class NoParams(Params):
    """A method without parameters."""


@dataclass(frozen=True)
class MethodInfo:
    """A registered method.

    Attributes
    ----------
    name
        Registry key used in methodologies (``"minmax"``, ``"entropy"`` ...).
    func
        The kernel.
    params
        Pydantic model of the user-settable parameters.
    label_zh, label_en
        Bilingual display name (e.g. ``"极差标准化" / "min-max"``).
    replicates
        True when the kernel accepts leading replicate axes.
    needs
        Framework- or data-derived inputs the pipeline must pass by keyword
        (e.g. ``{"target"}``, ``{"goal_lower", "goal_upper"}``, ``{"groups"}``).
    """

    name: str
    func: Callable[..., Any]
    params: type[Params]
    label_zh: str
    label_en: str
    replicates: bool = True
    needs: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.label_zh} / {self.label_en}"


class Registry:
    """Name -> :class:`MethodInfo` for one stage."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self._methods: dict[str, MethodInfo] = {}

    def register(
        self,
        name: str,
        *,
        params: type[Params] = NoParams,
        label_zh: str,
        label_en: str,
        replicates: bool = True,
        needs: frozenset[str] | set[str] | tuple[str, ...] = frozenset(),
    ) -> Callable[[F], F]:
        """Register the decorated function under ``name`` (decorator)."""

        def deco(func: F) -> F:
            if name in self._methods:
                raise RuntimeError(f"{self.stage} method {name!r} registered twice")
            self._methods[name] = MethodInfo(
                name, func, params, label_zh, label_en, replicates, frozenset(needs)
            )
            return func

        return deco

    def get(self, name: str) -> MethodInfo:
        try:
            return self._methods[name]
        except KeyError:
            raise MethodError(
                f"未知的{self.stage}方法 {name!r} / unknown {self.stage} method {name!r}; "
                f"available: {', '.join(sorted(self._methods))}"
            ) from None

    def validate(self, name: str, params: Mapping[str, Any] | None) -> Params:
        """Check ``params`` against the method's parameter model."""
        info = self.get(name)
        try:
            return info.params.model_validate(dict(params or {}))
        except ValidationError as exc:
            raise MethodError(
                f"{self.stage} 方法 {name!r} 的参数有误 / invalid parameters for {self.stage} "
                f"method {name!r}: {exc.errors(include_url=False)}"
            ) from None

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._methods))

    def __contains__(self, name: object) -> bool:
        return name in self._methods

    def __iter__(self) -> Iterator[MethodInfo]:
        return iter(self._methods.values())
