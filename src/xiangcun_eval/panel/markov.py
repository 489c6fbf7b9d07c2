r"""Markov transition matrices of grade classes between consecutive years.

A unit in class :math:`i` in year :math:`t` and class :math:`j` in
:math:`t+1` is one transition; pooled over every pair of consecutive years,
the counts :math:`n_{ij}` give the maximum-likelihood transition
probabilities :math:`p_{ij} = n_{ij} / \sum_k n_{ik}` of a homogeneous
first-order chain.  The steady state :math:`\pi` solves
:math:`\pi P = \pi`, :math:`\sum_i \pi_i = 1` (the left eigenvector of
:math:`P` for eigenvalue 1) — the share of units in each class in the long
run if the transitions persisted.

References: Quah, D. (1993), "Empirical cross-section dynamics in economic
growth", *European Economic Review* 37; Rey, S. J. (2001), "Spatial
empirics for economic growth and convergence", *Geographical Analysis* 33
(PySAL ``giddy.markov.Markov``: the same counts, probabilities and steady
state).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..table import Table

__all__ = ["Transitions", "steady_state", "transition_counts"]

F64 = NDArray[np.float64]


def transition_counts(
    start: NDArray[np.intp], end: NDArray[np.intp], k: int
) -> NDArray[np.int64]:
    """``(k, k)`` counts of class pairs; pairs with a class ``< 0`` (missing) are skipped."""
    ok = (start >= 0) & (end >= 0)
    flat = np.bincount(start[ok] * k + end[ok], minlength=k * k)
    out: NDArray[np.int64] = flat.reshape(k, k).astype(np.int64)
    return out


def probabilities(counts: NDArray[np.int64]) -> F64:
    """Row-normalised counts; rows without any transition are NaN."""
    tot = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F64 = np.where(tot > 0, counts / tot, np.nan)
    return out


def steady_state(p: F64) -> F64:
    """Stationary distribution of a transition matrix.

    NaN if some row is undefined, i.e. a class was never observed at the start
    of a transition.
    """
    k = p.shape[0]
    if np.isnan(p).any():
        return np.full(k, np.nan)
    vals, vecs = np.linalg.eig(p.T)
    j = int(np.argmin(np.abs(vals - 1.0)))
    v = np.real(vecs[:, j])
    out: F64 = v / v.sum()
    return out


@dataclass(frozen=True)
class Transitions:
    """Transition counts and probabilities of grade classes.

    Attributes
    ----------
    labels
        Class labels, best class first.
    counts
        ``(k, k)``: row = class in the earlier year, column = later year.
    years
        The year pairs pooled.
    n_skipped
        Unit-year pairs left out because a grade is missing.
    group
        The group (e.g. a region) these transitions are for; ``""`` = all units.
    """

    labels: tuple[str, ...]
    counts: NDArray[np.int64]
    years: tuple[tuple[int, int], ...]
    n_skipped: int = 0
    group: str = ""

    @property
    def probabilities(self) -> F64:
        """Transition probabilities: row-normalised counts (NaN rows: class never a start)."""
        return probabilities(self.counts)

    @property
    def steady_state(self) -> F64:
        """Stationary distribution of :attr:`probabilities` (see :func:`steady_state`)."""
        return steady_state(self.probabilities)

    def table(self, *, kind: str = "probabilities") -> Table:
        """Return the matrix as a table, with the row totals and the steady state.

        ``kind`` is ``"probabilities"`` or ``"counts"``.
        """
        mat = self.probabilities if kind == "probabilities" else self.counts
        cols: dict[str, Sequence[object]] = {"起始等级 from \\ 到 to": self.labels}
        for j, lab in enumerate(self.labels):
            cols[lab] = mat[:, j].tolist()
        cols["转移数 n"] = self.counts.sum(axis=1).tolist()
        cols["稳态 steady state"] = self.steady_state.tolist()
        span = ", ".join(f"{a}→{b}" for a, b in self.years)
        who = f" [{self.group}]" if self.group else ""
        return Table.from_columns(
            cols, title=f"等级转移{'概率' if kind == 'probabilities' else '次数'} / grade "
            f"transition {kind}{who} ({span})"
        )
