"""Shared inputs of the normalisation kernel tests (tests/methods/normalise/)."""

from __future__ import annotations

import numpy as np

X = np.array(
    [
        [1.0, 10.0],
        [3.0, np.nan],
        [2.0, 30.0],
        [5.0, 20.0],
        [np.nan, 10.0],
    ]
)
"""Five units, two indicators, one missing value in each column."""
BEN = np.array([1.0, 1.0])
"""Both indicators benefit (higher is better)."""
MIX = np.array([1.0, -1.0])
"""First benefit, second cost."""
