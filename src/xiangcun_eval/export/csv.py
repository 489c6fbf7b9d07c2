"""CSV export.

UTF-8 with BOM (Excel opens Chinese correctly), text cells neutralised against
formula injection, an optional commented provenance header, atomic writes that
never overwrite unless asked.

The provenance header is a block of lines starting with ``#`` before the
column row: library version, methodology name and digest, framework and
data digests.  Read such a file with ``pandas.read_csv(path, comment="#")``
or skip the lines that start with ``#``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..io.files import write_text_atomic
from ..io.safety import neutralise

if TYPE_CHECKING:
    from ..results import Evaluation
    from ..table import Table

__all__ = ["csv_text", "provenance_lines", "write_csv"]


def provenance_lines(ev: Evaluation) -> list[str]:
    """Header lines (without ``#``) naming what produced the results."""
    m = ev.metadata()
    return [
        f"{ev.framework.name_zh} / {ev.framework.name_en}: xiangcun-eval {m['version']}",
        f"方法设定 methodology: {ev.methodology.name}; sha256 {m['methodology_digest']}",
        f"指标体系 framework: {m['framework']}; sha256 {m['framework_digest']}",
        f"数据 data: {m['n_units']} units, year {m['year']}; sha256 {m['data_digest']}",
    ]


def csv_text(table: Table, *, comments: Sequence[str] = ()) -> str:
    """Return the CSV text of ``table``, preceded by ``# `` comment lines.

    Missing values are empty cells; text is neutralised.
    """
    buf = io.StringIO()
    for line in comments:
        buf.write("# " + line.replace("\n", " ").replace("\r", " ") + "\r\n")
    # CRLF rows (RFC 4180): a CR or LF inside a value gets the value quoted
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(c) for c in table.columns])
    for r in table.rows():
        w.writerow(["" if v is None else neutralise(v) for v in r])
    return buf.getvalue()


def write_csv(table: Table, path: str | Path, *, comments: Sequence[str] = (),
              overwrite: bool = False, bom: bool = True) -> Path:
    """Write ``table`` as CSV atomically; returns the path.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``overwrite`` is false.
    """
    text = csv_text(table, comments=comments)
    write_text_atomic(path, text, encoding="utf-8-sig" if bom else "utf-8", overwrite=overwrite)
    return Path(path)
