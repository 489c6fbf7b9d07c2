"""Equal and explicit (analyst-given) weights (等权重, 给定权重)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from .._registry import Params
from ._common import FloatArray, _data, _explicit_vector, _f64
from .registry import REGISTRY


@REGISTRY.register("equal", label_zh="等权重", label_en="equal weights")
def equal_weights(x: npt.ArrayLike) -> FloatArray:
    """Equal weights within the group.

    .. math:: w_j = 1 / m

    for the ``m`` columns of ``x``.  Missing values are irrelevant (the
    aggregation step renormalises over available children).
    """
    a = _data(x, replicates=True, min_units=0)
    m = a.shape[-1]
    return np.full((*a.shape[:-2], m), 1.0 / m)


class ExplicitParams(Params):
    """Given weights: a list or a mapping indicator code -> weight.

    A list gives one weight per column, in column order; a mapping needs the
    column ``codes``.
    """

    weights: tuple[float, ...] | dict[str, float]


@REGISTRY.register(
    "explicit",
    params=ExplicitParams,
    label_zh="给定权重",
    label_en="explicit weights",
    needs=frozenset({"codes"}),
)
def explicit_weights(
    x: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | Mapping[str, float],
    codes: Sequence[str] | None = None,
) -> FloatArray:
    r"""Weights given by the analyst, validated and normalised.

    .. math:: w_j = v_j / \sum_k v_k, \qquad v_j \ge 0

    Parameters
    ----------
    x
        Data of the group ``(..., n_units, n_cols)``; only its shape is used.
    weights
        One non-negative weight per column (column order), or a mapping
        ``code -> weight`` that must cover exactly ``codes``.
    codes
        Column codes (needed for a mapping).

    Raises
    ------
    MethodError
        Wrong length, missing / unknown codes, negative or non-finite weights,
        all weights zero.
    """
    a = _data(x, replicates=True, min_units=0)
    w = _explicit_vector(weights, a.shape[-1], codes)
    return _f64(np.broadcast_to(w, a.shape[:-2] + w.shape).copy())
