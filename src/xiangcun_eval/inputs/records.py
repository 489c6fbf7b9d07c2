"""Table sources above the raw formats (表格来源): files by suffix, JSON and in-memory records.

:func:`open_table` dispatches a path to the CSV, XLSX or JSON reader;
:func:`records_table` turns submission objects (JSON or
:class:`~xiangcun_eval.inputs.submission.CountySubmission` dumps) into a
:class:`~xiangcun_eval.inputs._table.Table` that the county validation reads
like any file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..framework.model import Framework
from ._csv import csv_table
from ._table import (
    CHUNK_ROWS,
    Chunk,
    Locate,
    NumberColumn,
    Table,
    TableError,
    rows_table,
    text_cell,
    xlsx_table,
)
from .county import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, gc_paused, validate_county_table
from .problems import Problem, SubmissionError
from .quarantine import Mode, QuarantineResult

__all__ = ["frame_table", "open_table", "records_table", "table_from_records"]

_JSON_KEYS = {"county_code", "county_name", "province", "year", "prefecture", "data_note",
              "values", "notes", "sources", "region"}


def _json_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else repr(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)[:200]


def records_table(records: Sequence[Mapping[str, Any]], fw: Framework, *, first_row: int = 1
                  ) -> tuple[Table, list[Problem]]:
    """Submission objects (JSON or :class:`CountySubmission` dumps) as a :class:`Table`.

    Returns the table and structural problems (unknown keys, unknown
    indicators, objects that are not objects).
    """
    probs: list[Problem] = []
    present: dict[str, None] = {}
    extra_cols: dict[str, None] = {}
    for i, rec in enumerate(records):
        row = first_row + i
        if not isinstance(rec, Mapping):
            probs.append(Problem(
                "bad_format", "该项不是对象", "entry is not an object",
                "每个县一个 JSON 对象", "one JSON object per county", row=row,
                value=_json_text(rec)[:60],
            ))
            continue
        for key in rec:
            if key not in _JSON_KEYS:
                probs.append(Problem(
                    "unknown_column", f"未知字段 {key!r}", f"unknown field {key!r}",
                    f"允许的字段: {sorted(_JSON_KEYS)}", f"allowed fields: {sorted(_JSON_KEYS)}",
                    row=row, indicator=str(key),
                ))
        for part, prefix in (("values", ""), ("notes", "note:"), ("sources", "source:")):
            sub = rec.get(part)
            if sub is None:
                continue
            if not isinstance(sub, Mapping):
                probs.append(Problem(
                    "bad_format", f"{part} 应为对象(指标代码 → 值)",
                    f"{part!r} must be an object (indicator code -> value)",
                    '如 {"values": {"X1": 12.5}}', 'e.g. {"values": {"X1": 12.5}}', row=row,
                ))
                continue
            for code in sub:
                if code not in fw:
                    probs.append(Problem(
                        "unknown_indicator", f"未知指标代码 {code!r}",
                        f"unknown indicator code {code!r} (framework {fw.code})",
                        "检查指标代码拼写", "check the indicator code", row=row,
                        indicator=str(code),
                    ))
                elif prefix:
                    extra_cols[prefix + code] = None
                else:
                    present[code] = None
        for key in OPTIONAL_COLUMNS:
            if key in rec:
                extra_cols[key] = None
    header = list(REQUIRED_COLUMNS) + [c for c in fw.indicator_codes if c in present]
    header += list(extra_cols)
    rows: list[list[str]] = [header]
    numbers: list[int] = []
    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            continue
        numbers.append(first_row + i)
        vals = rec.get("values") if isinstance(rec.get("values"), Mapping) else {}
        notes = rec.get("notes") if isinstance(rec.get("notes"), Mapping) else {}
        srcs = rec.get("sources") if isinstance(rec.get("sources"), Mapping) else {}
        cells: list[str] = []
        for h in header:
            if h in REQUIRED_COLUMNS or h in OPTIONAL_COLUMNS:
                cells.append(_json_text(rec.get(h)))
            elif h.startswith("note:"):
                cells.append(_json_text(notes.get(h[5:])))  # type: ignore[union-attr]
            elif h.startswith("source:"):
                cells.append(_json_text(srcs.get(h[7:])))  # type: ignore[union-attr]
            else:
                cells.append(_json_text(vals.get(h)))  # type: ignore[union-attr]
        rows.append(cells or [""])
    if len(rows) == 1:
        return Table(header, iter(())), probs
    table = rows_table(rows, row_numbers=numbers)
    # rows_table drops blank rows; restore the exact header (it may strip trailing blanks)
    return Table(header, table.chunks), probs


def _json_table(path: Path, fw: Framework, source: str) -> tuple[Table, list[Problem]]:
    from ._table import detect_encoding

    enc = detect_encoding(path)
    try:
        text = path.read_text(encoding=enc)
        data = json.loads(text, parse_constant=lambda c: c.lower())
    except (ValueError, RecursionError) as exc:
        raise TableError([Problem(
            "bad_format", f"JSON 格式错误: {exc}"[:200], f"malformed JSON: {exc}"[:200],
            "用 JSON 校验工具检查文件", "check the file with a JSON validator",
        )]) from None
    if isinstance(data, Mapping) and isinstance(data.get("submissions"), list):
        data = data["submissions"]
    if not isinstance(data, list):
        raise TableError([Problem(
            "bad_format", "JSON 顶层应为列表(每个县一个对象)",
            "the JSON top level must be a list (one object per county)",
            '形如 [{"county_code": "410102", ...}, ...]',
            'shaped like [{"county_code": "410102", ...}, ...]',
        )])
    if not data:
        raise TableError([Problem("empty_file", "JSON 列表为空", "the JSON list is empty",
                                  "每个县一个对象", "one object per county")])
    return records_table(data, fw)


def open_table(path: Path, fw: Framework | None, *, sheet: str | None, source: str,
               locate: Locate | None = None) -> tuple[Table, list[Problem]]:
    """The table of a file chosen by its suffix (CSV, XLSX, JSON), plus structural problems."""
    if not path.is_file():
        raise TableError([Problem(
            "file_not_found", f"找不到文件 {path}", f"file not found: {path}",
            "检查路径和文件名", "check the path and file name",
        )])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_table(path, sheet=sheet, locate=locate), []
    if suffix == ".json":
        if fw is None:
            raise TableError([Problem("bad_format", "此处不支持 JSON", "JSON not supported here")])
        return _json_table(path, fw, source)
    if suffix == ".xls":
        raise TableError([Problem(
            "unreadable", "不支持旧版 .xls 格式", "legacy .xls files are not supported",
            "另存为 .xlsx 或 CSV UTF-8", "save as .xlsx or CSV UTF-8",
        )])
    return csv_table(path, locate=locate), []



def table_from_records(records: Iterable[Mapping[str, Any]], framework: Framework, *,
                       mode: Mode = "strict", source: str = "<submissions>"
                       ) -> QuarantineResult:
    """Validate submission dicts (``CountySubmission`` dumps) like a file."""
    recs = list(records)
    if not recs:
        raise SubmissionError([Problem("empty_file", "没有提交任何县", "no submissions given",
                                       "至少提交一个县", "give at least one county")],
                              source=source)
    try:
        table, pre = records_table(recs, framework)
    except TableError as exc:
        raise SubmissionError(exc.problems, source=source) from None
    if pre:
        raise SubmissionError(pre, source=source)
    with gc_paused():
        return validate_county_table(table, framework, mode=mode, source=source)


def frame_table(frame: Any) -> Table:
    """A pandas DataFrame or a mapping of columns as a :class:`Table`.

    Numeric columns are kept as numbers (:class:`NumberColumn`: no text
    round trip for values); other columns become text with the XLSX cell
    conventions (``None``/NaN empty, ``410102.0`` -> ``"410102"``).  Rows are
    numbered 2, 3, ... as if the frame were written to a sheet under a
    header row.
    """
    import numpy as np

    if isinstance(frame, Mapping):
        names = [str(k) for k in frame]
        arrays = [np.asarray(v) if not isinstance(v, (str, bytes)) else np.asarray([v])
                  for v in frame.values()]
    elif hasattr(frame, "columns") and hasattr(frame, "iloc"):
        names = [str(c) for c in frame.columns]
        arrays = [frame.iloc[:, j].to_numpy() for j in range(len(names))]
    else:
        raise TableError([Problem(
            "bad_format", f"无法读取 {type(frame).__name__}:须为文件路径、DataFrame 或列映射",
            f"cannot read a {type(frame).__name__}: give a file path, a pandas DataFrame or a "
            "mapping of column -> values",
            "传入文件路径或 DataFrame", "pass a path or a DataFrame",
        )])
    lengths = {a.shape[0] if a.ndim else 1 for a in arrays}
    if len(lengths) > 1 or any(a.ndim != 1 for a in arrays):
        raise TableError([Problem(
            "bad_format", f"各列长度不一致: {sorted(lengths)}",
            f"columns must be one-dimensional and of equal length (got {sorted(lengths)})",
            "每列每个县一个值", "one value per county in every column",
        )])
    n = lengths.pop() if lengths else 0
    if not names:
        raise TableError([Problem("empty_file", "没有任何列", "no columns", "至少给出表头所需的列",
                                  "give the required columns")])
    cols: list[Any] = []
    for a in arrays:
        if a.dtype.kind in "fiu":
            cols.append(NumberColumn(a.astype(np.float64)))
        else:
            cols.append(np.array([text_cell(v) for v in a.tolist()] or [""], dtype=np.str_)[:n])
    rows = np.arange(2, n + 2, dtype=np.int64)

    def chunks() -> Iterator[Chunk]:
        for c0 in range(0, n, CHUNK_ROWS):
            sl = slice(c0, c0 + CHUNK_ROWS)
            yield Chunk(rows[sl], [c[sl] for c in cols])

    return Table(names, chunks(), size_hint=n)
