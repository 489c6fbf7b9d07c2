"""Progress of long runs: a ``tqdm`` bar, or a callback for programs.

``progress=True`` (Python API) shows a :mod:`tqdm.auto` bar — the notebook
widget in Jupyter, a text bar on a terminal — with the replicates done, the
rate and the time left.  A callable ``progress(done, total)`` is called
after each chunk instead (for programs and GUIs).  The CLI uses
:func:`progress_callback` with ``force`` to show the text bar even when
stderr is not a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..errors import MethodError

__all__ = ["ProgressFn", "TqdmProgress", "progress_callback"]

ProgressFn = Callable[[int, int], None]


class TqdmProgress:
    """``progress(done, total)`` callback drawing a tqdm bar.

    Parameters
    ----------
    label
        Bar description (bilingual).
    unit
        What is counted (``"rep"`` for replicates, ``"run"`` for model runs).
    notebook
        Use :mod:`tqdm.auto` (notebook widget in Jupyter) rather than the text
        bar.
    force
        Show the text bar even when stderr is not a terminal.
    """

    def __init__(self, label: str, *, unit: str = "rep", notebook: bool = True,
                 force: bool = False) -> None:
        self.label, self.unit, self.notebook, self.force = label, unit, notebook, force
        self._bar: Any = None
        self._done = 0
        self._t0 = time.time()  # the run starts now: rate and time left count from here

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if self.notebook:
                from tqdm.auto import tqdm  # type: ignore[import-untyped, unused-ignore]
            else:
                from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]
            self._bar = tqdm(total=total, desc=self.label, unit=self.unit,
                             dynamic_ncols=True, disable=False if self.force else None)
            self._bar.start_t = self._bar.last_print_t = self._t0
        self._bar.update(done - self._done)
        self._done = done
        if done >= total:
            self.close()

    def close(self) -> None:
        """Close the bar (after the last chunk, or when the run is interrupted)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_callback(progress: bool | ProgressFn | None, label: str, *,
                      unit: str = "rep") -> ProgressFn | None:
    """The callback for a ``progress`` setting: ``True`` → a :class:`TqdmProgress`
    (notebook-aware), ``False``/``None`` → none, a callable → itself."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return TqdmProgress(label, unit=unit, force=True)  # asked for: shown even off a TTY
    if callable(progress):
        return progress
    raise MethodError(
        f"progress 须为 True/False 或函数 progress(done, total) / progress must be True, False, "
        f"None or a callable progress(done, total), got {progress!r}")
