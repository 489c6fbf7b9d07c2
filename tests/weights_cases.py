"""Shared inputs of the weighting kernel tests (tests/methods/weights/)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

positive_data = st.integers(3, 10).flatmap(
    lambda n: st.integers(2, 5).flatmap(
        lambda m: hnp.arrays(
            np.float64,
            (n, m),
            elements=st.floats(0.1, 100.0, allow_nan=False, allow_subnormal=False),
        )
    )
)
"""Units × indicators matrices of positive values (3–10 units, 2–5 columns)."""


def nonconstant(x: np.ndarray) -> bool:
    """True when no column is (nearly) constant and no two are (nearly) collinear."""
    if not np.all(x.max(0) - x.min(0) > 1e-6 * x.max(0)):
        return False
    r = np.corrcoef(x, rowvar=False)
    return bool(np.all(np.abs(r[~np.eye(x.shape[1], dtype=bool)]) < 0.999))
