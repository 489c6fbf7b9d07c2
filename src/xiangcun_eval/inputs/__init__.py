"""Inputs: county submissions, generic unit tables, readers and validation rules.

* :func:`read_submissions` -- CSV / XLSX / JSON county submissions ->
  :class:`UnitData` (strict) or :class:`QuarantineResult` (quarantine mode).
* :func:`read_unit_table` -- generic unit tables in COINr's iData layout.
* :class:`CountySubmission`, :func:`submissions_to_unit_data` -- one county's
  submission as a pydantic model, and a list of them as ``UnitData``.
* :class:`SubmissionError` (listing every :class:`Problem`).
* :func:`availability` -- missing shares per indicator and per unit.
* :func:`write_template` -- a template to fill; :func:`write_problems` -- a
  file's problems as a sheet to send back.

See ``docs/submissions.md`` for the file layout and the cell rules.
"""

from .availability import Availability, availability
from .data import UnitData
from .problem_sheet import write_problems
from .problems import Problem, SubmissionError, SubmissionWarning
from .readers import (
    QuarantineReport,
    QuarantineResult,
    RejectedRow,
    read_submissions,
    read_unit_table,
)
from .submission import CountySubmission, submissions_to_unit_data
from .template import write_template

__all__ = [
    "Availability",
    "CountySubmission",
    "Problem",
    "QuarantineReport",
    "QuarantineResult",
    "RejectedRow",
    "SubmissionError",
    "SubmissionWarning",
    "UnitData",
    "availability",
    "read_submissions",
    "read_unit_table",
    "submissions_to_unit_data",
    "write_problems",
    "write_template",
]
