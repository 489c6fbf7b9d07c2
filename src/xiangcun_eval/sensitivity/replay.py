"""Replaying replicates: :func:`replay` gives the methodology (and data) of any
replicate of an uncertainty or sensitivity run, to check it with
:func:`~xiangcun_eval.evaluate`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import MethodError
from ..evaluate import evaluate
from ..inputs.data import UnitData
from ..methodology import Methodology
from . import engine as _eng
from .execution import as_methodology, as_space, check_seed
from .space import UncertaintySpace

__all__ = ["replay"]


def replay(
    data: UnitData, methodology: Methodology | str | Path | None,
    space: UncertaintySpace | str | Path, *, seed: int, rows: Sequence[int],
    analysis: Literal["uncertainty", "sensitivity"] = "uncertainty",
    sampling: Literal["random", "sobol"] = "random", n: int | None = None,
) -> list[tuple[Methodology, UnitData]]:
    """The methodology and data of replicates ``rows``, for :func:`~xiangcun_eval.evaluate`.

    Each methodology has the replicate's alternatives applied and *all* its
    weights (after noise and leave-out, normalised within groups) as
    ``weight_overrides`` with ``weights = "framework"``; the data carries the
    replicate's measurement noise if any.  ``evaluate(data_r, m_r,
    check_scale=False)`` gives the replicate's scores (to rounding) and ranks
    (``check_scale=False``: a replicate may put the index on another scale
    than the grade bands, as the engine allows).

    For ``analysis="sensitivity"`` the rows index the stacked Saltelli runs
    ``[A; B; AB_1; ...]`` of base size ``n``.
    """
    m = as_methodology(methodology)
    sp = as_space(space)
    seed = check_seed(seed)
    nominal = evaluate(data, m)
    ctx = _eng.build_context(
        data, m, sp, seed=seed, sampling="sobol" if analysis == "sensitivity" else sampling,
        nominal_index=nominal.index, nominal_rank=nominal.rank,
        nominal_level1=nominal.level_scores[0], keep=True)
    rows_a = np.asarray(rows, dtype=np.intp)
    if analysis == "sensitivity":
        if n is None:
            raise MethodError("analysis='sensitivity' 需要 n / replay of a sensitivity run needs n")
        d2 = ctx.n_factors + 2
        blk, base = rows_a // n, rows_a % n
        u = np.stack([_eng.sa_rows(ctx, int(b), int(b) + 1)[int(k)] for k, b in
                      zip(blk, base, strict=True)])
    else:
        u = np.stack([_eng.ua_rows(ctx, int(i), int(i) + 1)[0] for i in rows_a])
        d2 = 0
    del d2
    out = []
    for s in _eng.replicate_settings(ctx, u):
        vals = s["values"]
        out.append((s["methodology"], data if vals is None else data.with_values(vals)))
    return out
