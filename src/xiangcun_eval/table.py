"""A small immutable labelled table for results.

It prints aligned (CJK-aware), exports to CSV/JSON records, and converts to
pandas with the ``pandas`` extra.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._optional import require
from .export.csv import csv_text, write_csv
from .io.files import write_text_atomic
from .io.safety import neutralise_all
from .io.text import display_width as _width

__all__ = ["Column", "Table", "format_value"]

Column = Sequence[Any] | NDArray[Any]
"""One table column: a sequence or a 1-D numpy array."""


def _fmt(v: Any, digits: int) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool | np.bool_):
        return "是/yes" if v else "否/no"
    if isinstance(v, float | np.floating):
        f = float(v)
        if math.isnan(f):
            return "—"
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return f"{f:.{digits}f}"
    return str(v)


def format_value(v: Any, digits: int = 2) -> str:
    """How a table cell is shown to people.

    Integers without decimals, other numbers with ``digits`` decimals, missing
    values as ``—``.
    """
    return _fmt(v, digits)


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


@dataclass(frozen=True)
class Table:
    """Column-oriented table.

    Attributes
    ----------
    columns
        Column names (bilingual headers where shown to people).
    data
        One tuple of values per column, all the same length.
    title
        Printed above the table.
    """

    columns: tuple[str, ...]
    data: tuple[tuple[Any, ...], ...]
    title: str = ""

    def __post_init__(self) -> None:
        if len(self.columns) != len(self.data):
            raise ValueError("one data column per column name")
        lengths = {len(c) for c in self.data}
        if len(lengths) > 1:
            raise ValueError(f"columns of unequal length: {lengths}")

    @classmethod
    def from_columns(cls, columns: Mapping[str, Column], title: str = "") -> Table:
        """Build a table from a mapping of column name to values (NaN stored as None)."""
        return cls(
            tuple(columns), tuple(tuple(_plain(v) for v in col) for col in columns.values()), title
        )

    def __len__(self) -> int:
        return len(self.data[0]) if self.data else 0

    def column(self, name: str) -> tuple[Any, ...]:
        """Return the values of column ``name`` (``KeyError`` naming the columns otherwise)."""
        try:
            return self.data[self.columns.index(name)]
        except ValueError:
            raise KeyError(f"no column {name!r}; columns: {list(self.columns)}") from None

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Iterate over the rows as tuples."""
        return iter(zip(*self.data, strict=True))

    def to_records(self) -> list[dict[str, Any]]:
        """Return the rows as dicts keyed by column name."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows()]

    def head(self, n: int) -> Table:
        """Return a table of the first ``n`` rows."""
        return Table(self.columns, tuple(c[:n] for c in self.data), self.title)

    def render(self, digits: int = 2, max_rows: int | None = None) -> str:
        """Render the table as aligned text (CJK-aware widths, ``max_rows`` cut with a note)."""
        rows = [[_fmt(v, digits) for v in r] for r in self.rows()]
        cut = max_rows is not None and len(rows) > max_rows
        if cut:
            rows = rows[:max_rows]
        widths = [_width(h) for h in self.columns]
        for r in rows:
            widths = [max(w, _width(s)) for w, s in zip(widths, r, strict=True)]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(s + " " * (w - _width(s)) for s, w in zip(cells, widths, strict=True))

        out = [self.title] if self.title else []
        out.append(line(self.columns).rstrip())
        out.append("  ".join("-" * w for w in widths))
        out.extend(line(r).rstrip() for r in rows)
        if cut:
            out.append(f"... 共 {len(self)} 行 / {len(self)} rows in all")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render(max_rows=200)

    def to_csv(self, path: str | Path | None = None, *, overwrite: bool = False,
               comments: Sequence[str] = ()) -> str:
        """CSV text (UTF-8; written with a BOM so that Excel shows Chinese correctly).

        Missing values are written as empty cells; text cells that begin like a
        spreadsheet formula are neutralised (:mod:`xiangcun_eval.io.safety`);
        ``comments`` become leading ``# `` lines.  The file is written
        atomically when ``path`` is given, and an existing file is only replaced
        with ``overwrite=True`` (else :class:`~xiangcun_eval.errors.OutputExistsError`).
        """
        if path is not None:
            write_csv(self, path, comments=comments, overwrite=overwrite)
        return csv_text(self, comments=comments)

    def to_json(self, path: str | Path | None = None, *, overwrite: bool = False) -> str:
        """Return the table as JSON ``{"title", "records"}``; write it atomically to ``path``.

        An existing file is only replaced with ``overwrite=True``.
        """
        text = json.dumps(
            {"title": self.title, "records": self.to_records()}, ensure_ascii=False, indent=2
        )
        if path is not None:
            write_text_atomic(path, text, overwrite=overwrite)
        return text

    def to_pandas(self) -> Any:
        """Return a ``pandas.DataFrame`` (needs the ``pandas`` extra)."""
        pd = require("pandas", extra="pandas", feature="Table.to_pandas")
        return pd.DataFrame(
            {c: neutralise_all(d) for c, d in zip(self.columns, self.data, strict=True)}
        )
