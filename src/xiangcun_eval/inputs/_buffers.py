"""Large result arrays on transparent huge pages (大数组内存).

A reader's result matrix (300,000 counties x 69 indicators is 166 MB) is
written once, row block by row block.  Every first write to a fresh 4 KiB
page is a page fault; on virtual machines each one is expensive (about
0.7 s for 166 MB measured on the project's 2-core VM, against 0.1 s on
2 MiB pages).  :func:`empty_array` asks Linux for transparent huge pages
(``madvise(MADV_HUGEPAGE)`` on an anonymous mapping) for arrays of at least
:data:`HUGE_MIN` bytes, and falls back to :func:`numpy.empty` elsewhere
(other systems, small arrays).  The contents are the same either way; only
the page size differs.

:func:`hand_over` / :func:`take_over` let a reader give such an array to
:class:`~xiangcun_eval.inputs.data.UnitData` without the copy it makes of
any other array.
"""

from __future__ import annotations

import mmap

import numpy as np
from numpy.typing import NDArray

__all__ = ["HUGE_MIN", "HandedOver", "empty_array", "hand_over", "take_over"]

HUGE_MIN = 8 << 20
"""Arrays from this many bytes on are placed on huge pages where the system offers them."""


def empty_array(shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Return an uninitialised float64 array, on transparent huge pages when large (Linux)."""
    nbytes = int(np.prod(shape, dtype=np.int64)) * 8
    advice = getattr(mmap, "MADV_HUGEPAGE", None)
    if nbytes < HUGE_MIN or advice is None:
        return np.empty(shape)
    try:
        mm = mmap.mmap(-1, nbytes)
        mm.madvise(advice)
    except (OSError, ValueError):
        return np.empty(shape)
    return np.ndarray(shape, dtype=np.float64, buffer=mm)


class HandedOver(np.ndarray):
    """Marks an array whose only owner gives it away (see :func:`hand_over`)."""


def hand_over(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mark ``a`` as given away by its only owner: :func:`take_over` keeps it without a copy."""
    return a.view(HandedOver)


def take_over(a: object) -> NDArray[np.float64] | None:
    """Return the array marked by :func:`hand_over`, read-only and unmarked (else ``None``)."""
    if type(a) is not HandedOver or a.dtype != np.float64:
        return None
    out: NDArray[np.float64] = a.view(np.ndarray)
    out.setflags(write=False)
    return out
