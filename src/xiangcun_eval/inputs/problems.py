"""Problems found in a submission (填报问题) and the error that lists them all.

Row numbers / 行号
    ``Problem.row`` is the row as the analyst sees it in the file:

    * CSV and XLSX: the spreadsheet row number, 1-based, **the header is row
      1**, so the first county is row 2 (what Excel and WPS show).
    * JSON: the 1-based position of the object in the list (first = 1).
    * lists of :class:`~xiangcun_eval.inputs.submission.CountySubmission`:
      1-based position in the list.

    File-level problems (missing columns, wrong delimiter, ...) have
    ``row=None``; problems about the header have ``row=1``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import XiangcunError
from ..io.text import display_width as _width
from ..io.text import pad as _pad

__all__ = ["KINDS", "Problem", "SubmissionError", "SubmissionWarning"]

KINDS: dict[str, str] = {
    # file level
    "file_not_found": "文件不存在 / file not found",
    "unreadable": "无法读取 / cannot read the file",
    "encoding": "编码无法识别 / unknown text encoding",
    "empty_file": "空文件 / empty file",
    "wrong_delimiter": "分隔符错误 / wrong delimiter",
    "bad_format": "格式错误 / malformed file",
    "missing_column": "缺少必填列 / required column missing",
    "unknown_column": "未知列 / unknown column",
    "duplicate_column": "列名重复 / duplicate column",
    "indicator_column_missing": "缺少指标列 / indicator column missing",
    "empty_column": "指标列全空 / indicator column entirely empty",
    "unit_mismatch": "表头单位与指标不符 / header unit differs from the indicator's",
    "looks_like_fractions": "百分比列像比例 / percentage column holds fractions",
    "extra_column": "多余列(已忽略) / extra column (ignored)",
    "fractions_rescaled": "比例已乘以 100 / fractions multiplied by 100",
    "mixed_years": "年份不一致 / mixed years",
    # row level
    "field_count": "字段数不符 / wrong number of fields",
    "undecodable_row": "该行无法解码 / line cannot be decoded",
    "unbalanced_quote": "引号不成对 / unbalanced quote",
    "invalid_code": "代码无效 / invalid county code",
    "duplicate_code": "代码重复 / duplicate county code",
    "missing_name": "缺少县名 / county name missing",
    "province_mismatch": "省份与代码不符 / province does not match code",
    "unknown_province": "省份无法识别 / unknown province",
    "invalid_year": "年份无效 / invalid year",
    "non_numeric": "非数值 / not a number",
    "percent_not_allowed": "不应带 % / % not allowed",
    "not_finite": "非有限数值 / not a finite number",
    "below_lower_bound": "低于下界 / below lower bound",
    "above_upper_bound": "高于上界 / above upper bound",
    "unknown_indicator": "未知指标 / unknown indicator",
    "invalid_field": "字段无效 / invalid field",
}
"""Every problem kind with its bilingual label."""


def _clip(text: str | None, limit: int) -> str:
    if text is None:
        return ""
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a submission.

    Attributes
    ----------
    kind
        Machine-readable kind, a key of :data:`KINDS` (e.g. ``"non_numeric"``).
    what_zh, what_en
        What is wrong, in Chinese and English.
    fix_zh, fix_en
        How to fix it.
    row
        Row number as in the file (header = row 1; see module docs), or
        ``None`` for a file-level problem.
    county
        The county (unit) code as written in that row, if any.
    indicator
        The indicator code or column name concerned, if any.
    value
        The cell as written (original text), if any.
    county_name
        The county name of that row, if known (for problem sheets).
    """

    kind: str
    what_zh: str
    what_en: str
    fix_zh: str = ""
    fix_en: str = ""
    row: int | None = None
    county: str | None = None
    indicator: str | None = None
    value: str | None = None
    county_name: str | None = None

    @property
    def what(self) -> str:
        """Bilingual description, Chinese first."""
        return f"{self.what_zh} / {self.what_en}"

    @property
    def fix(self) -> str:
        """Bilingual fix hint, Chinese first (empty if none)."""
        if not (self.fix_zh or self.fix_en):
            return ""
        return f"{self.fix_zh} / {self.fix_en}"

    @property
    def message(self) -> str:
        """One self-contained bilingual line: where, what, how to fix."""
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行 / row {self.row}")
        if self.county:
            where.append(f"县 / county {self.county}")
        if self.indicator:
            where.append(f"列 / column {self.indicator}")
        if self.value is not None:
            where.append(f"值 / value {_clip(self.value, 40)!r}")
        head = ", ".join(where)
        text = f"{head}: {self.what}" if head else self.what
        return f"{text}. {self.fix}" if self.fix else text

    def to_dict(self) -> dict[str, str | int | None]:
        """Plain dict (for JSON reports)."""
        return {
            "kind": self.kind, "row": self.row, "county": self.county,
            "indicator": self.indicator, "value": self.value,
            "what": self.what, "fix": self.fix,
        }


def problems_table(problems: Sequence[Problem], *, limit: int = 50) -> str:
    """A readable fixed-layout table of problems, at most ``limit`` lines.

    Says how many more there are when the list is longer.
    """
    header = ("行 row", "县 county", "列 column", "值 value", "问题 problem")
    rows = [
        (
            "-" if p.row is None else str(p.row),
            _clip(p.county, 12) or "-",
            _clip(p.indicator, 18) or "-",
            "-" if p.value is None else _clip(repr(p.value), 18),
            p.what + (f"  → {p.fix}" if p.fix else ""),
        )
        for p in problems[:limit]
    ]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header[:4])]
    lines = []
    for r in [header, *rows]:
        cells = [_pad(r[i], widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, r[4]]))
    if len(problems) > limit:
        more = len(problems) - limit
        lines.append(f"... 另有 {more} 个问题未显示 / {more} more problem(s) not shown")
    return "\n".join(lines)


class SubmissionError(XiangcunError, ValueError):
    """A submission file or list of submissions has problems; lists them all.

    Parameters
    ----------
    problems
        Every problem found (never empty).
    source
        File name or other description of what was read.

    Attributes
    ----------
    problems : list of Problem
    source : str or None
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None,
                 limit: int = 50) -> None:
        self.problems: list[Problem] = list(problems)
        self.source = source
        n = len(self.problems)
        where = f" ({source})" if source else ""
        rows = {p.row for p in self.problems if p.row is not None}
        head = (
            f"填报数据有误{where}: 共 {n} 个问题,涉及 {len(rows)} 行 / invalid submission{where}: "
            f"{n} problem(s) in {len(rows)} row(s)"
        )
        kinds = Counter(p.kind for p in self.problems)
        counts = ", ".join(f"{k} {v}" for k, v in kinds.most_common())
        super().__init__(f"{head}\n[{counts}]\n{problems_table(self.problems, limit=limit)}")

    def kinds(self) -> Counter[str]:
        """Number of problems of each kind."""
        return Counter(p.kind for p in self.problems)


class SubmissionWarning(UserWarning):
    """Something in a submission was read by a stated rule but deserves a look.

    Extra columns that were ignored, fractions multiplied by 100 on request.
    Issued with :func:`warnings.warn` in strict and quarantine mode alike
    (quarantine mode also lists them in ``report.warnings``); ``.problem``
    holds the :class:`Problem`.
    """

    def __init__(self, message: str, problem: Problem) -> None:
        super().__init__(message)
        self.problem = problem
