"""Sample designs for uncertainty and variance-based sensitivity analysis.

This module draws the input samples only; the model runs and the estimators
live elsewhere (``engine.py``, ``estimators.py``), so analysts can analyse runs
they already have.

Saltelli design (Saltelli et al. 2010, section 3)
-------------------------------------------------
One Sobol' low-discrepancy sequence of dimension ``2d`` is drawn;
``A`` is its first ``d`` columns and ``B`` its last ``d`` columns.  For every
factor ``i``, ``AB_i`` is ``A`` with column ``i`` taken from ``B``.  The model
is run on the ``N(d + 2)`` rows of ::

    [A; B; AB_1; AB_2; ...; AB_d]        (block order, see ``stacked()``)

which is the order :func:`split_outputs` undoes.  (COINr's ``SA_sample`` uses
the same block order; SALib interleaves the blocks row by row as
``[a_k, ab_1k, ..., ab_dk, b_k]`` for every sample ``k`` — see
``docs/sensitivity-estimators.md``.)

Reproducibility
---------------
``seed`` may be an ``int``, a :class:`numpy.random.SeedSequence` or a
:class:`numpy.random.Generator`.  An ``int`` or ``SeedSequence`` always gives
the same sample, and the row-range functions (:func:`saltelli_design_rows`,
:func:`uniform_sample_rows`) give bit-for-bit the same rows however the range
``[0, n)`` is split into chunks.  A ``Generator`` is *consumed* (its state
advances), so a second call gives a different sample; row-range functions
refuse it for that reason.

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S.
(2010). Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index. *Computer Physics Communications*
181(2), 259-270. doi:10.1016/j.cpc.2009.09.018

Sobol', I. M. (1967). On the distribution of points in a cube and the
approximate evaluation of integrals. *USSR Comput. Math. Math. Phys.* 7, 86-112.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import MethodError

__all__ = [
    "SaltelliDesign",
    "SeedKind",
    "SeedLike",
    "check_seed",
    "saltelli_design",
    "saltelli_design_rows",
    "split_outputs",
    "to_continuous",
    "to_discrete",
    "uniform_sample",
    "uniform_sample_rows",
]

SeedLike: TypeAlias = int | np.integer | np.random.SeedSequence | np.random.Generator
"""Accepted seeds: an int, a ``SeedSequence`` (reproducible) or a ``Generator`` (consumed)."""

FloatArray: TypeAlias = NDArray[np.float64]


# --------------------------------------------------------------------------- helpers


def _is_power_of_2(n: int) -> bool:
    return n > 0 and (n & (n - 1)) == 0


def _check_int(value: object, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise MethodError(f"{name} 必须是整数 / {name} must be an integer, got {value!r}")
    out = int(value)
    if out < minimum:
        raise MethodError(f"{name} 必须 ≥ {minimum} / {name} must be >= {minimum}, got {out}")
    return out


SeedKind: TypeAlias = Literal["int", "reproducible", "any"]


def check_seed(seed: object, *, accept: SeedKind = "int") -> SeedLike:
    """The one seed check of the sensitivity package.

    ``accept``:

    * ``"int"`` — a non-negative int (numpy ints included); what
      :func:`~xiangcun_eval.uncertainty`, :func:`~xiangcun_eval.sensitivity`
      and :func:`~xiangcun_eval.replay` need (the seed keys the per-row
      streams of chunked runs); returned as a Python ``int``;
    * ``"reproducible"`` — also a :class:`numpy.random.SeedSequence` (row-range
      functions: any split of ``[0, n)`` gives the same rows);
    * ``"any"`` — also a :class:`numpy.random.Generator` (consumed: a second
      call gives a different sample).

    ``bool`` is never a seed.  Anything else raises :class:`MethodError`
    saying what is accepted.
    """
    zh = {"int": "非负整数", "reproducible": "非负整数或 SeedSequence",
          "any": "非负整数、SeedSequence 或 Generator"}[accept]
    en = {"int": "a non-negative int",
          "reproducible": "a non-negative int or a numpy SeedSequence",
          "any": "a non-negative int, a numpy SeedSequence or a numpy Generator"}[accept]
    if isinstance(seed, np.random.Generator):
        if accept == "any":
            return seed
        raise MethodError(
            f"种子须为{zh} / seed must be {en}, not a Generator: a Generator is consumed as it "
            "is used, so chunked runs (and row ranges) would not be reproducible")
    if isinstance(seed, np.random.SeedSequence):
        if accept != "int":
            return seed
        raise MethodError(
            f"种子须为{zh} / seed must be {en} (it keys the per-row random streams of chunked "
            "runs), not a SeedSequence")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise MethodError(f"种子须为{zh} / seed must be {en}, got {seed!r}")
    return int(seed)


def _reproducible_seed(seed: object) -> int | np.random.SeedSequence:
    checked = check_seed(seed, accept="reproducible")
    if isinstance(checked, np.random.SeedSequence):
        return checked
    assert not isinstance(checked, np.random.Generator)
    return int(checked)


def _sobol_engine(dim: int, *, seed: SeedLike, scramble: bool) -> Any:
    rng: int | np.random.Generator
    if isinstance(seed, np.random.SeedSequence):
        rng = np.random.default_rng(seed)
    elif isinstance(seed, np.random.Generator):
        rng = seed
    else:
        rng = int(seed)
    # imported here, not at module level: scipy.stats costs ~0.3 s of import time
    from scipy.stats import qmc  # type: ignore[import-untyped, unused-ignore]

    try:
        return qmc.Sobol(d=dim, scramble=scramble, rng=rng)
    except TypeError:  # pragma: no cover - scipy < 1.15 spells it `seed`
        return qmc.Sobol(d=dim, scramble=scramble, seed=rng)


# Scrambled engines of reproducible seeds, kept for the next chunk of the same
# sequence: scrambling (random linear matrices for every dimension) costs more
# than drawing a chunk's rows.  Each is reset before use, under the lock (engines
# are stateful; chunks may run on threads).
_ENGINES: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_ENGINES_LOCK = threading.Lock()


def _seed_key(seed: SeedLike) -> tuple[Any, ...] | None:
    if isinstance(seed, np.random.SeedSequence):
        ent = seed.entropy
        return ("ss", ent if isinstance(ent, int) or ent is None else tuple(ent),
                tuple(seed.spawn_key), seed.pool_size)
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool):
        return ("int", int(seed))
    return None  # a Generator: consumed, never reused


def _sobol_rows(dim: int, start: int, stop: int, *, seed: SeedLike, scramble: bool) -> FloatArray:
    """Rows ``[start, stop)`` of one (scrambled) Sobol' sequence.

    The scrambling is fixed by ``seed`` when the engine is built, and
    ``fast_forward`` skips to ``start``, so the rows do not depend on how the
    range is chunked.  The engine of a reproducible seed is built once and
    reset (``Sobol.reset``: back to its first point) for every later range.
    """
    skey = _seed_key(seed)
    with warnings.catch_warnings():
        # the balance check on the full n is done by the public caller
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        if skey is None:
            engine = _sobol_engine(dim, seed=seed, scramble=scramble)
            if start > 0:
                engine.fast_forward(start)
            out: FloatArray = np.asarray(engine.random(stop - start), dtype=np.float64)
            return out
        key = (dim, scramble, *skey)
        with _ENGINES_LOCK:
            engine = _ENGINES.pop(key, None)
            if engine is None:
                engine = _sobol_engine(dim, seed=seed, scramble=scramble)
            else:
                engine.reset()
            _ENGINES[key] = engine
            while len(_ENGINES) > 8:
                _ENGINES.popitem(last=False)
            if start > 0:
                engine.fast_forward(start)
            out = np.asarray(engine.random(stop - start), dtype=np.float64)
    return out


def _check_n_power_of_2(n: int, what: str) -> None:
    if not _is_power_of_2(n):
        warnings.warn(
            f"{what}: n = {n} 不是 2 的幂，Sobol' 序列失去平衡性 / n = {n} is not a power "
            "of 2, so the Sobol' points lose their balance properties (larger "
            f"estimator error); use n = {1 << (n - 1).bit_length()} or "
            f"{1 << max(n.bit_length() - 1, 0)}",
            UserWarning,
            stacklevel=3,
        )


# --------------------------------------------------------------------------- Saltelli


@dataclass(frozen=True, eq=False)
class SaltelliDesign:
    """A Saltelli (2010) radial-free ``A, B, AB_i`` design on the unit cube.

    Attributes
    ----------
    A, B : ndarray, shape (N, d)
        The two independent base samples, in ``[0, 1)``.
    AB : ndarray, shape (d, N, d)
        ``AB[i]`` is ``A`` with column ``i`` replaced by column ``i`` of ``B``.
    start : int
        Index of the first base row in the full sequence (0 unless the design
        is a chunk drawn by :func:`saltelli_design_rows`).

    Notes
    -----
    The arrays are read-only views; the object is immutable.
    """

    A: FloatArray
    B: FloatArray
    AB: FloatArray
    start: int = 0

    @property
    def n(self) -> int:
        """Number of base samples ``N``."""
        return int(self.A.shape[0])

    @property
    def d(self) -> int:
        """Number of factors ``d``."""
        return int(self.A.shape[1])

    @property
    def n_runs(self) -> int:
        """Number of model runs ``N(d + 2)``."""
        return self.n * (self.d + 2)

    def stacked(self) -> FloatArray:
        """The run matrix ``[A; B; AB_1; ...; AB_d]``, shape ``(N(d + 2), d)``.

        Row ``r`` belongs to block ``r // N`` (0 = A, 1 = B, 2 + i = AB_i) and
        base sample ``r % N``.
        """
        return np.concatenate([self.A, self.B, self.AB.reshape(-1, self.d)], axis=0)

    @classmethod
    def concat(cls, parts: Sequence[SaltelliDesign]) -> SaltelliDesign:
        """Join consecutive row chunks (``start`` values must be contiguous)."""
        if not parts:
            raise MethodError("没有可拼接的设计 / no design chunks to concatenate")
        expected = parts[0].start
        for p in parts:
            if p.start != expected or p.d != parts[0].d:
                raise MethodError(
                    "设计块不连续或维数不一致 / design chunks are not contiguous or differ "
                    f"in d: chunk starting at {p.start} where {expected} was expected"
                )
            expected += p.n
        return _make_design(
            np.concatenate([p.A for p in parts]),
            np.concatenate([p.B for p in parts]),
            start=parts[0].start,
        )


def _make_design(a: FloatArray, b: FloatArray, *, start: int) -> SaltelliDesign:
    d = a.shape[1]
    ab = np.broadcast_to(a, (d, *a.shape)).copy()
    idx = np.arange(d)
    ab[idx, :, idx] = b.T  # AB_i[:, i] = B[:, i]
    for arr in (a, b, ab):
        arr.flags.writeable = False
    return SaltelliDesign(A=a, B=b, AB=ab, start=start)


def saltelli_design_rows(
    start: int, stop: int, d: int, *, seed: int | np.random.SeedSequence, scramble: bool = True
) -> SaltelliDesign:
    """Base rows ``[start, stop)`` of the Saltelli design drawn with ``seed``.

    Any split of ``[0, n)`` into chunks gives, concatenated, bit-for-bit the
    same design as :func:`saltelli_design` ``(n, d, seed=seed)``: the Sobol'
    scrambling is fixed by the seed and the sequence is fast-forwarded to
    ``start``.  For chunked or distributed model runs.

    Parameters
    ----------
    start, stop : int
        Half-open range of base sample indices, ``0 <= start <= stop``.
    d : int
        Number of factors.
    seed : int or numpy.random.SeedSequence
        Must be reproducible (a ``Generator`` is refused).
    scramble : bool
        Owen scrambling with digital shift (default True).
    """
    d = _check_int(d, "d", minimum=1)
    start = _check_int(start, "start", minimum=0)
    stop = _check_int(stop, "stop", minimum=start)
    seed_ = _reproducible_seed(seed)
    base = _sobol_rows(2 * d, start, stop, seed=seed_, scramble=scramble)
    return _make_design(base[:, :d].copy(), base[:, d:].copy(), start=start)


def saltelli_design(n: int, d: int, *, seed: SeedLike, scramble: bool = True) -> SaltelliDesign:
    """Saltelli et al. (2010) design from a ``2d``-dimensional Sobol' sequence.

    ``A`` = first ``d`` columns and ``B`` = last ``d`` columns of ``n`` points
    of ``scipy.stats.qmc.Sobol(d=2d, scramble=scramble)``; ``AB_i`` = ``A``
    with column ``i`` from ``B``.  ``N(d + 2)`` model runs give first-order
    and total indices for all ``d`` factors.

    Parameters
    ----------
    n : int
        Number of base samples ``N``; should be a power of 2 (a
        ``UserWarning`` is issued otherwise: Sobol' points are balanced only
        for powers of 2).
    d : int
        Number of factors.
    seed : int, SeedSequence or Generator
        See the module notes on reproducibility.
    scramble : bool
        Owen scrambling (default True).  Unscrambled Sobol' starts with the
        point 0, which is fine for ``[0, 1)`` factors but maps to the lower
        bound of every factor.

    Returns
    -------
    SaltelliDesign

    References
    ----------
    Saltelli et al. (2010), Comput. Phys. Commun. 181, 259-270, section 3.
    """
    n = _check_int(n, "n", minimum=1)
    d = _check_int(d, "d", minimum=1)
    _check_n_power_of_2(n, "saltelli_design")
    seed_ = check_seed(seed, accept="any")
    base = _sobol_rows(2 * d, 0, n, seed=seed_, scramble=scramble)
    return _make_design(base[:, :d].copy(), base[:, d:].copy(), start=0)


def split_outputs(y: ArrayLike, n: int, d: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Split outputs of the stacked runs back into ``yA, yB, yAB``.

    Parameters
    ----------
    y : array_like, shape (N(d + 2), ...)
        Model outputs in the order of :meth:`SaltelliDesign.stacked`; any
        trailing output axes (e.g. one per county) are kept.
    n, d : int
        Base sample size ``N`` and number of factors ``d``.

    Returns
    -------
    yA, yB : ndarray, shape (N, ...)
    yAB : ndarray, shape (d, N, ...)
        Views into ``y`` where possible (no copy).
    """
    n = _check_int(n, "n", minimum=1)
    d = _check_int(d, "d", minimum=1)
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[0] != n * (d + 2):
        raise MethodError(
            f"输出行数应为 N(d+2) = {n * (d + 2)} / outputs must have N(d+2) = "
            f"{n}·{d + 2} = {n * (d + 2)} rows on axis 0, got shape {arr.shape}"
        )
    blocks = arr.reshape(d + 2, n, *arr.shape[1:])
    return blocks[0], blocks[1], blocks[2:]


# --------------------------------------------------------------------------- plain samples


def uniform_sample_rows(
    start: int,
    stop: int,
    d: int,
    *,
    seed: int | np.random.SeedSequence,
    method: Literal["sobol", "random"] = "sobol",
    scramble: bool = True,
) -> FloatArray:
    """Rows ``[start, stop)`` of :func:`uniform_sample`, chunk-invariant.

    ``"sobol"`` fast-forwards a scrambled Sobol' sequence; ``"random"``
    advances a PCG64 stream by ``start·d`` draws (``Generator.random`` uses
    one 64-bit output per double), so any chunking of ``[0, n)`` reproduces
    the full sample bit for bit.
    """
    d = _check_int(d, "d", minimum=1)
    start = _check_int(start, "start", minimum=0)
    stop = _check_int(stop, "stop", minimum=start)
    seed_ = _reproducible_seed(seed)
    if method == "sobol":
        return _sobol_rows(d, start, stop, seed=seed_, scramble=scramble)
    if method == "random":
        bitgen = np.random.PCG64(seed_)
        if start:
            bitgen.advance(start * d)
        out: FloatArray = np.random.Generator(bitgen).random((stop - start, d))
        return out
    raise MethodError(f"未知抽样方法 / unknown sampling method {method!r}: use 'sobol' or 'random'")


def uniform_sample(
    n: int,
    d: int,
    *,
    seed: SeedLike,
    method: Literal["sobol", "random"] = "sobol",
    scramble: bool = True,
) -> FloatArray:
    """``n`` points uniform on ``[0, 1)^d`` for uncertainty analysis.

    Parameters
    ----------
    n, d : int
        Sample size and number of factors.
    seed : int, SeedSequence or Generator
        See the module notes on reproducibility.  With an int or
        SeedSequence, ``"random"`` draws from ``PCG64(seed)``.
    method : {"sobol", "random"}
        Scrambled Sobol' quasi-random points (warns unless ``n`` is a power
        of 2) or plain pseudo-random Monte Carlo.

    Returns
    -------
    ndarray, shape (n, d)
    """
    n = _check_int(n, "n", minimum=1)
    d = _check_int(d, "d", minimum=1)
    if method not in ("sobol", "random"):
        raise MethodError(
            f"未知抽样方法 / unknown sampling method {method!r}: use 'sobol' or 'random'"
        )
    seed_ = check_seed(seed, accept="any")
    if isinstance(seed_, np.random.Generator):
        if method == "sobol":
            _check_n_power_of_2(n, "uniform_sample")
            return _sobol_rows(d, 0, n, seed=seed_, scramble=scramble)
        out: FloatArray = seed_.random((n, d))
        return out
    if method == "sobol":
        _check_n_power_of_2(n, "uniform_sample")
    return uniform_sample_rows(
        0, n, d, seed=_reproducible_seed(seed_), method=method, scramble=scramble
    )


# --------------------------------------------------------------------------- mappings


def to_discrete(u: ArrayLike, n_alternatives: int) -> NDArray[np.intp]:
    """Map uniform samples to one of ``k`` alternatives by equal bins of [0, 1).

    ``j = min(floor(u·k), k − 1)``, so alternative ``j`` is chosen with
    probability exactly ``1/k`` under ``u ~ U[0, 1)``.

    This deliberately differs from COINr, which bins with R's ``cut(u, k)``
    over the *observed range* of the sampled column, so the bins (and the
    probabilities) depend on the sample.

    Parameters
    ----------
    u : array_like
        Values in ``[0, 1]`` (1 maps to the last alternative).
    n_alternatives : int
        Number of alternatives ``k >= 1``.

    Returns
    -------
    ndarray of intp, same shape as ``u``, values in ``0 .. k-1``.
    """
    k = _check_int(n_alternatives, "n_alternatives", minimum=1)
    arr = np.asarray(u, dtype=np.float64)
    if arr.size and not (np.all(np.isfinite(arr)) and arr.min() >= 0.0 and arr.max() <= 1.0):
        raise MethodError(
            "离散化的输入必须在 [0, 1] 内 / to_discrete needs values in [0, 1] (finite); "
            f"got range [{np.nanmin(arr)}, {np.nanmax(arr)}]"
        )
    out: NDArray[np.intp] = np.minimum(np.floor(arr * k), k - 1).astype(np.intp)
    return out


def to_continuous(u: ArrayLike, low: ArrayLike, high: ArrayLike) -> FloatArray:
    """Map uniform samples to ``U(low, high)``: ``low + u·(high − low)``.

    ``low`` and ``high`` broadcast against the last axis of ``u`` (one pair per
    factor) or against ``u`` as a whole.
    """
    arr = np.asarray(u, dtype=np.float64)
    lo = np.asarray(low, dtype=np.float64)
    hi = np.asarray(high, dtype=np.float64)
    if np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)) or np.any(hi < lo):
        raise MethodError(
            "区间上下限无效 / invalid bounds: need finite low <= high, got "
            f"low={lo.tolist()}, high={hi.tolist()}"
        )
    out: FloatArray = lo + arr * (hi - lo)
    return out
