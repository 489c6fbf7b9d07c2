"""Encoding of archive rows.

Values as float64 BLOBs, unit columns as JSON, evaluation results as one BLOB
with its shapes.

Nothing here unpickles or evaluates anything: BLOBs are raw little-endian
IEEE-754 float64 (or int64) arrays read with :func:`numpy.frombuffer`, and the
text columns are JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "decode_matrix",
    "decode_results",
    "encode_groups",
    "encode_results",
    "encode_rows",
    "results_digest",
]

F64 = NDArray[np.float64]
_F8 = np.dtype("<f8")
_I8 = np.dtype("<i8")


def encode_rows(values: F64) -> list[bytes]:
    """One BLOB per row of a ``(n_units, n_cols)`` array (little-endian float64)."""
    a = np.ascontiguousarray(values, dtype=_F8)
    if a.shape[0] == 0:
        return []
    buf = a.tobytes()
    k = a.shape[1] * 8
    return [buf[i : i + k] for i in range(0, len(buf), k)] if k else [b""] * a.shape[0]


def decode_matrix(blobs: Sequence[bytes], n_cols: int) -> F64:
    """Stack row BLOBs back into an ``(n_rows, n_cols)`` float64 array."""
    if not blobs:
        return np.zeros((0, n_cols))
    out: F64 = np.frombuffer(b"".join(blobs), dtype=_F8).astype(np.float64)
    return out.reshape(len(blobs), n_cols)


def encode_groups(groups: Mapping[str, Sequence[str]], n_units: int) -> list[str]:
    """Each unit's grouping columns as a JSON object (keys sorted).

    Units sharing the same combination (most of them: a handful of provinces
    and regions) share one encoded string, so this is one dict look-up per unit.
    """
    keys = sorted(groups)
    if not keys:
        return ["{}"] * n_units
    cache: dict[tuple[str, ...], str] = {}
    out: list[str] = []
    for combo in zip(*(groups[k] for k in keys), strict=True):
        s = cache.get(combo)
        if s is None:
            s = json.dumps(dict(zip(keys, combo, strict=True)), ensure_ascii=False)
            cache[combo] = s
        out.append(s)
    return out


def encode_results(arrays: Sequence[NDArray[Any]]) -> tuple[bytes, str]:
    """Concatenate result arrays into one float64 BLOB.

    Returns the BLOB with a JSON list of the arrays' shapes.
    """
    shapes = [list(a.shape) for a in arrays]
    flat = [np.ascontiguousarray(a, dtype=_F8).ravel() for a in arrays]
    blob = np.concatenate(flat).tobytes() if flat else b""
    return blob, json.dumps(shapes)


def decode_results(blob: bytes, shapes_json: str) -> list[F64]:
    """Inverse of :func:`encode_results`."""
    shapes = [tuple(int(d) for d in s) for s in json.loads(shapes_json)]
    flat = np.frombuffer(blob, dtype=_F8)
    out: list[F64] = []
    pos = 0
    for s in shapes:
        n = int(np.prod(s)) if s else 1
        out.append(flat[pos : pos + n].astype(np.float64).reshape(s))
        pos += n
    return out


def results_digest(blob: bytes) -> str:
    """Return the SHA-256 hex digest of a results BLOB (stored with the run)."""
    return hashlib.sha256(blob).hexdigest()


def encode_ids(ids: Sequence[int] | NDArray[np.int64]) -> bytes:
    return np.asarray(ids, dtype=_I8).tobytes()


def decode_ids(blob: bytes) -> NDArray[np.int64]:
    return np.frombuffer(blob, dtype=_I8).astype(np.int64)
