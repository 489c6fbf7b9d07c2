"""The transform stage (变换): after treatment, before normalisation.

Each indicator's :class:`~xiangcun_eval.methodology.TransformSpec`
(``Methodology.transform``, overridden by ``transform_by_indicator``) is
applied to its values and, with the same function, to its goalposts and
target, which the framework gives on the raw scale.  With ``cap = true`` (or
the method ``cap``) the raw values are first clipped to the goalposts.

So an income indicator with goalposts ``(100, 75000)`` and ``transform =
{ method = "ln" }`` is normalised by ``goalposts`` between ``ln 100`` and
``ln 75000``: the UNDP HDI income index, computed from raw GNI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..framework.model import Framework
from ..methodology import Methodology, TransformSpec
from ..methods import transform as _transform

__all__ = ["transform_values"]

F64 = NDArray[np.float64]
_RAW_SCALE = ("target", "goal_lower", "goal_upper")


def _groups(codes: Sequence[str], m: Methodology) -> list[tuple[TransformSpec, list[int]]]:
    out: dict[str, tuple[TransformSpec, list[int]]] = {}
    for j, c in enumerate(codes):
        spec = m.transform_for(c)
        if spec.method == "none" and not spec.cap:
            continue
        out.setdefault(spec.model_dump_json(), (spec, []))[1].append(j)
    return list(out.values())


def _named(exc: MethodError, codes: Sequence[str], cols: list[int], what: str) -> MethodError:
    named = [codes[cols[j]] for j in exc.columns if 0 <= j < len(cols)] if exc.columns else [
        codes[j] for j in cols]
    return MethodError(f"{exc} [{what}: {', '.join(named)}]",
                       columns=[cols[j] for j in exc.columns] if exc.columns else None)


def transform_values(
    fw: Framework, methodology: Methodology, x: F64, ctx: Mapping[str, Any]
) -> tuple[F64, dict[str, Any]]:
    """Apply the transform stage.

    Parameters
    ----------
    fw, methodology
        Framework (indicator codes, goalposts) and methodology (transform specs).
    x
        Treated values, ``(..., n_units, n_ind)``.
    ctx
        Framework-derived per-indicator arrays (``target``, ``goal_lower``,
        ``goal_upper`` ... on the raw scale).

    Returns
    -------
    (values, ctx)
        ``x`` itself when no indicator is transformed, else a new array; and
        ``ctx`` with the raw-scale arrays transformed for the transformed
        indicators (NaN stays NaN: an unset target stays unset).

    Raises
    ------
    MethodError
        A value, goalpost or target outside the transform's domain, or
        ``cap`` on an indicator without goalposts, naming the indicators.
    """
    codes = fw.indicator_codes
    groups = _groups(codes, methodology)
    if not groups:
        return x, dict(ctx)
    out = x.copy()
    new_ctx = dict(ctx)
    for key in _RAW_SCALE:
        new_ctx[key] = np.array(ctx[key], dtype=np.float64, copy=True)
    for spec, cols in groups:
        info = _transform.REGISTRY.get(spec.method)
        params = spec.resolved_params()
        idx = np.asarray(cols, dtype=np.intp)
        vals = out[..., idx]
        refs = {k: new_ctx[k][idx] for k in _RAW_SCALE}
        if spec.cap or spec.method == "cap":
            lo, hi = refs["goal_lower"], refs["goal_upper"]
            missing = [codes[j] for j, a, b in zip(cols, lo, hi, strict=True)
                       if np.isnan(a) or np.isnan(b)]
            if missing:
                raise MethodError(
                    f"截至门槛值需要门槛值 / capping at goalposts needs goalposts; missing for "
                    f"{', '.join(missing)}: set them in the framework or drop cap"
                )
            vals = np.clip(vals, lo, hi)
            refs["target"] = np.clip(refs["target"], lo, hi)
        try:
            out[..., idx] = info.func(vals, **params)
        except MethodError as exc:
            raise _named(exc, codes, cols, "指标 indicators") from None
        for key, ref in refs.items():
            ok = ~np.isnan(ref)
            if not ok.any():
                continue
            t = np.full(ref.shape, np.nan)
            try:
                t[ok] = info.func(ref[ok][None, :], **params)[0]
            except MethodError:
                bad = [codes[cols[j]] for j in np.flatnonzero(ok)]
                raise MethodError(
                    f"{key} 不在 {spec.method} 变换的定义域内 / the {key} of "
                    f"{', '.join(bad)} is outside the domain of the {spec.method!r} transform "
                    f"(e.g. a lower goalpost of 0 under ln): give goalposts inside it in the "
                    "framework, or use log1p / signed_log"
                ) from None
            new_ctx[key][idx] = t
    return out, new_ctx
