"""Quarantine-mode results (隔离模式结果): what was accepted and what was rejected, and why.

:class:`QuarantineReport` lists every rejected row with all its reasons;
accepted + rejected rows always equal the data rows read.
:class:`QuarantineResult` pairs it with the accepted rows as
:class:`~xiangcun_eval.inputs.data.UnitData`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .data import UnitData
from .problems import Problem, problems_table

__all__ = ["FILE_LEVEL", "SOFT_FILE_LEVEL", "Mode", "QuarantineReport", "QuarantineResult",
           "RejectedRow"]

Mode = Literal["strict", "quarantine"]

FILE_LEVEL = {
    "file_not_found", "unreadable", "encoding", "empty_file", "wrong_delimiter", "bad_format",
    "missing_column", "unknown_column", "duplicate_column", "indicator_column_missing",
    "empty_column", "unknown_indicator", "unit_mismatch", "looks_like_fractions",
}
SOFT_FILE_LEVEL = {"indicator_column_missing", "empty_column"}
"""File-level kinds that are warnings (not errors) in quarantine mode."""


@dataclass(frozen=True)
class RejectedRow:
    """A row left out in quarantine mode, with every reason."""

    row: int
    county: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class QuarantineReport:
    """What quarantine mode accepted and rejected.

    Attributes
    ----------
    source
        What was read.
    n_rows
        Data rows read (blank rows are not counted).
    accepted_rows
        File row numbers of the accepted rows.
    rejected
        One :class:`RejectedRow` per rejected row, in file order.
    warnings
        File-level problems that did not stop reading (indicator column
        absent or entirely empty, extra columns ignored, fractions rescaled).
    flagged
        Cell-level quarantine (``reject="cell"``): the problems of cells that
        were set to missing in accepted rows (the county stays in; its
        availability shows the loss).
    """

    source: str
    n_rows: int
    accepted_rows: tuple[int, ...]
    rejected: tuple[RejectedRow, ...]
    warnings: tuple[Problem, ...] = ()
    flagged: tuple[Problem, ...] = ()

    @property
    def n_accepted(self) -> int:
        return len(self.accepted_rows)

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every rejected row, the flagged cells, then the warnings."""
        rows = [p for r in self.rejected for p in r.problems] + list(self.flagged)
        if self.flagged and self.rejected:
            rows.sort(key=lambda p: p.row or 0)
        return rows + list(self.warnings)

    def summary(self, *, limit: int = 50) -> str:
        """Bilingual counts and a problems table."""
        head = (
            f"共 {self.n_rows} 行:接受 {self.n_accepted} 行,拒收 {self.n_rejected} 行 / "
            f"{self.n_rows} rows: {self.n_accepted} accepted, {self.n_rejected} rejected"
        )
        if self.flagged:
            head += (f"\n{len(self.flagged)} 个单元格有误,已按缺失处理 / {len(self.flagged)} "
                     "bad cell(s) set to missing")
        probs = self.problems
        return head if not probs else head + "\n" + problems_table(probs, limit=limit)

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class QuarantineResult:
    """Valid rows as :class:`UnitData` plus the :class:`QuarantineReport`.

    Unpacks as ``data, report = read_submissions(..., mode="quarantine")``.
    """

    data: UnitData
    report: QuarantineReport

    def __iter__(self) -> Any:
        return iter((self.data, self.report))

