"""The result of the Sobol' estimators: :class:`SobolIndices`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError

__all__ = ["CenterMode", "SobolIndices"]

FloatArray: TypeAlias = NDArray[np.float64]
CenterMode: TypeAlias = Literal["all", "ab", "none"]
"""How outputs are centred before the first-order numerator (see :mod:`.estimators`)."""


@dataclass(frozen=True, eq=False)
class SobolIndices:
    """First-order and total Sobol' indices for ``d`` factors and any outputs.

    Attributes
    ----------
    first, total : ndarray, shape (d, *out)
        ``S_i`` and ``S_Ti``; NaN where the output is constant (see
        ``constant``) or not finite.
    variance : ndarray, shape (*out)
        ``V = var([yA; yB])`` with the ``ddof`` used.
    constant : ndarray of bool, shape (*out)
        True where the output does not vary over ``[yA; yB]`` (for example a
        county whose rank never changes); its indices are NaN.
    factor_names : tuple of str
        One name per factor, in the order of axis 0.
    first_conf, total_conf : ndarray, shape (2, d, *out), or None
        Bootstrap confidence interval ``[low, high]`` at ``confidence``
        (None without bootstrap).
    first_se, total_se : ndarray, shape (d, *out), or None
        Bootstrap standard errors (standard deviation of the bootstrap
        replicates, ddof 1).  SALib's ``S1_conf`` is ``z · first_se``.
    confidence : float or None
        Confidence level of the intervals.
    ci_method : {"percentile", "normal"} or None
    n_base : int
        Base sample size ``N``.
    n_boot : int
        Number of bootstrap resamples (0 = none).
    ddof : int
        Delta degrees of freedom of ``V``.
    center : {"all", "ab", "none"}
        Centring applied before the first-order numerator.
    """

    first: FloatArray
    total: FloatArray
    variance: FloatArray
    constant: NDArray[np.bool_]
    factor_names: tuple[str, ...]
    first_conf: FloatArray | None = None
    total_conf: FloatArray | None = None
    first_se: FloatArray | None = None
    total_se: FloatArray | None = None
    confidence: float | None = None
    ci_method: Literal["percentile", "normal"] | None = None
    n_base: int = 0
    n_boot: int = 0
    ddof: int = 0
    center: CenterMode = "all"

    @property
    def d(self) -> int:
        """Number of factors."""
        return len(self.factor_names)

    @property
    def interactions(self) -> FloatArray:
        """``S_Ti − S_i``: the share of variance due to interactions of factor i."""
        out: FloatArray = self.total - self.first
        return out

    def index_of(self, name: str) -> int:
        """Position of factor ``name`` on axis 0."""
        try:
            return self.factor_names.index(name)
        except ValueError:
            raise KeyError(
                f"没有名为 {name!r} 的因素 / no factor named {name!r}; known factors: "
                f"{', '.join(self.factor_names)}"
            ) from None

    def first_of(self, name: str) -> FloatArray:
        """``S_i`` of factor ``name``, shape ``(*out)``."""
        out: FloatArray = self.first[self.index_of(name)]
        return out

    def total_of(self, name: str) -> FloatArray:
        """``S_Ti`` of factor ``name``, shape ``(*out)``."""
        out: FloatArray = self.total[self.index_of(name)]
        return out

    def conf_of(self, name: str) -> tuple[FloatArray, FloatArray]:
        """``(first_conf, total_conf)`` of factor ``name``, each ``(2, *out)``."""
        if self.first_conf is None or self.total_conf is None:
            raise MethodError(
                "没有置信区间：请设置 n_boot > 0 / no confidence intervals: call "
                "sobol_indices(..., n_boot=...) with n_boot > 0"
            )
        i = self.index_of(name)
        return self.first_conf[:, i], self.total_conf[:, i]

    def as_dict(self) -> dict[str, dict[str, FloatArray]]:
        """``{factor: {"S1": ..., "ST": ..., ...}}`` with arrays of shape ``(*out)``."""
        out: dict[str, dict[str, FloatArray]] = {}
        for i, name in enumerate(self.factor_names):
            row = {"S1": self.first[i], "ST": self.total[i]}
            if self.first_conf is not None and self.total_conf is not None:
                row["S1_low"], row["S1_high"] = self.first_conf[0, i], self.first_conf[1, i]
                row["ST_low"], row["ST_high"] = self.total_conf[0, i], self.total_conf[1, i]
            out[name] = row
        return out
