"""Weights within groups.

The one helper that sums the children's weights of every group
(:func:`group_sums`) and divides by the sum (:func:`normalise_within`).

Two summation orders exist, and both are kept because results depend on
them bit for bit:

* ``rowwise=False`` (default): one matrix product against the 0/1 block
  matrix, what :func:`~xiangcun_eval.evaluate.evaluate` has always used;
* ``rowwise=True``: left to right over the children, so that every replicate
  row gets exactly the bits it would get alone whatever the number of rows
  (a matrix product's summation order may depend on it).  The uncertainty
  engine needs this to keep results independent of its chunk size; for 1-D
  weights it equals :func:`numpy.bincount` with ``weights``.

The two orders agree to rounding (a few ulp).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["group_sums", "normalise_within"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def group_sums(
    w: npt.ArrayLike, membership: npt.ArrayLike, n_groups: int, *, rowwise: bool = False
) -> FloatArray:
    r"""Sum of the children's weights of every group.

    .. math:: s_g = \sum_{j:\, m_j = g} w_j

    Parameters
    ----------
    w
        ``(..., n_children)`` weights; leading replicate axes allowed.
    membership
        Integers ``(n_children,)``: the group of each child, ``0 <= m < n_groups``.
    n_groups
        Number of groups.
    rowwise
        Sum left to right over the children (bits of a row independent of
        the other rows) instead of one matrix product; see the module
        docstring.

    Returns
    -------
    ndarray
        ``(..., n_groups)``.
    """
    wa = np.asarray(w, dtype=np.float64)
    mem = np.asarray(membership, dtype=np.intp)
    if rowwise:
        tot = np.zeros((*wa.shape[:-1], int(n_groups)))
        for j, g in enumerate(mem.tolist()):  # a loop over children, not rows
            tot[..., g] += wa[..., j]
        return tot
    onehot = np.zeros((mem.size, int(n_groups)))
    onehot[np.arange(mem.size), mem] = 1.0
    out: FloatArray = wa @ onehot
    return out


def normalise_within(
    w: npt.ArrayLike, membership: npt.ArrayLike, n_groups: int, *, rowwise: bool = False
) -> FloatArray:
    r"""Weights divided by their group's sum; a group whose sum is 0 keeps 0.

    .. math:: \tilde w_j = w_j / s_{m_j} \ \ (s_{m_j} > 0), \qquad
              \tilde w_j = 0 \ \ (s_{m_j} = 0)

    with :math:`s_g` from :func:`group_sums` (same ``rowwise``).  ``w`` may
    carry leading replicate axes ``(..., n_children)``.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, step 6:
    the weights within a group sum to one.
    """
    wa = np.asarray(w, dtype=np.float64)
    mem = np.asarray(membership, dtype=np.intp)
    den = group_sums(wa, mem, n_groups, rowwise=rowwise)[..., mem]
    out: FloatArray = np.where(den > 0, wa / np.where(den > 0, den, 1.0), 0.0)
    return out
