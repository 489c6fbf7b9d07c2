"""Checks shared by the kernels of every stage: the direction vector.

One function, one message: normalisation, weighting (entropy, CRITIC) and
imputation all validate ``direction`` with :func:`check_direction`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError

__all__ = ["check_direction"]


def check_direction(
    direction: ArrayLike | None, n_cols: int, *, default_benefit: bool = False
) -> NDArray[np.float64]:
    """Validate a direction vector: 1-D, length ``n_cols``, every value +1 / -1.

    Parameters
    ----------
    direction
        +1 (benefit, 正向) or -1 (cost, 逆向) per column.
    n_cols
        Number of columns of the data.
    default_benefit
        When true, ``None`` means every column is a benefit column (all +1);
        otherwise ``None`` is an error.

    Returns
    -------
    ndarray
        ``(n_cols,)`` float64 of ±1.

    Raises
    ------
    MethodError
        Missing, non-numeric, wrong shape, or a value other than ±1 (the
        message names the columns).
    """
    if direction is None and default_benefit:
        return np.ones(n_cols)
    try:
        d = np.asarray(direction, dtype=np.float64)
    except (TypeError, ValueError):
        raise MethodError(
            f"方向只能取 1 或 -1 / direction must be +1 (benefit, 正向) or -1 (cost, 逆向) "
            f"per column; got non-numeric {direction!r}"
        ) from None
    if d.ndim != 1 or d.shape[0] != n_cols:
        raise MethodError(
            f"方向向量长度不符 / direction must be a 1-D array of length n_cols={n_cols} "
            f"(one +1/-1 per indicator column); got shape {d.shape}"
        )
    bad = np.flatnonzero((d != 1.0) & (d != -1.0))
    if bad.size:
        raise MethodError(
            f"方向只能取 1 或 -1 / direction must be +1 (benefit, 正向) or -1 (cost, 逆向); "
            f"column(s) {bad.tolist()} have {d[bad].tolist()}"
        )
    return d
