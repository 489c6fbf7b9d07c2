"""Combined subjective/objective weights (主客观组合赋权)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ...errors import MethodError
from .._registry import Params
from ._common import FloatArray, _data, _explicit_vector, _f64, _normalise_sum
from .registry import REGISTRY


def combine_weights(
    subjective: npt.ArrayLike,
    objective: npt.ArrayLike,
    *,
    rule: Literal["linear", "multiplicative"] = "linear",
    alpha: float = 0.5,
) -> FloatArray:
    """Combine subjective and objective weights (主客观组合赋权).

    Both vectors are first normalised to sum 1.

    * ``"linear"``: ``w = α·w_s + (1 − α)·w_o``, ``0 <= α <= 1``.
    * ``"multiplicative"``: ``w_j = w_sj·w_oj / Σ_k w_sk·w_ok``.

    Raises :class:`MethodError` on different lengths, negative weights, or a
    zero product in every column (multiplicative).
    """
    ws = np.asarray(subjective, dtype=np.float64).reshape(-1)
    wo = np.asarray(objective, dtype=np.float64).reshape(-1)
    if ws.shape != wo.shape:
        raise MethodError(
            f"组合赋权的两组权重长度不同 ({ws.size} vs {wo.size}) / subjective and objective "
            "weights differ in length"
        )
    ws = _explicit_vector(ws, ws.size, None)
    wo = _explicit_vector(wo, wo.size, None)
    if rule == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise MethodError(f"alpha 必须在 [0, 1] 内 / alpha must lie in [0, 1]; got {alpha}")
        return _f64(alpha * ws + (1.0 - alpha) * wo)
    if rule == "multiplicative":
        return _normalise_sum(_f64(ws * wo), "combined (multiplicative)")
    raise MethodError(
        f"未知的组合规则 {rule!r} / unknown combination rule {rule!r}; use 'linear' or "
        "'multiplicative'"
    )


class MethodSpec(Params):
    """A weights method by registry name with its parameters."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class CombinedParams(Params):
    """Parameters of :func:`combined_weights`: the two methods, the ``rule`` and ``alpha``."""

    subjective: MethodSpec
    objective: MethodSpec
    rule: Literal["linear", "multiplicative"] = "linear"
    alpha: float = Field(default=0.5, ge=0.0, le=1.0)


def _run_spec(
    spec: MethodSpec | Mapping[str, Any], x: FloatArray, extra: Mapping[str, Any]
) -> FloatArray:
    s = spec if isinstance(spec, MethodSpec) else MethodSpec.model_validate(dict(spec))
    if s.name in ("combined", "bod"):
        raise MethodError(
            f"组合赋权不能嵌套 {s.name!r} / {s.name!r} cannot be a component of combined weights"
        )
    info = REGISTRY.get(s.name)
    p = REGISTRY.validate(s.name, s.params).model_dump()
    kw = {k: v for k, v in extra.items() if k in info.needs and v is not None}
    w = np.asarray(info.func(x, **p, **kw), dtype=np.float64)
    if w.shape != (x.shape[1],):
        raise MethodError(
            f"组合赋权: 方法 {s.name!r} 未返回每列一个权重 / method {s.name!r} did not return "
            "one weight per column"
        )
    return w


@REGISTRY.register(
    "combined",
    params=CombinedParams,
    label_zh="组合赋权",
    label_en="combined subjective/objective weights",
    replicates=False,
    needs=frozenset({"direction", "codes"}),
)
def combined_weights(
    x: npt.ArrayLike,
    *,
    subjective: MethodSpec | Mapping[str, Any],
    objective: MethodSpec | Mapping[str, Any],
    rule: Literal["linear", "multiplicative"] = "linear",
    alpha: float = 0.5,
    direction: npt.ArrayLike | None = None,
    codes: Sequence[str] | None = None,
) -> FloatArray:
    """Run two registered weight methods on ``x`` and combine them.

    The weights are combined by :func:`combine_weights` (e.g. subjective ``ahp``
    with objective ``entropy``).
    """
    a = _data(x)
    extra = {"direction": direction, "codes": codes}
    return combine_weights(
        _run_spec(subjective, a, extra), _run_spec(objective, a, extra), rule=rule, alpha=alpha
    )
