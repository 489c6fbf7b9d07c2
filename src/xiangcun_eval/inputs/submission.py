"""One county's submission (县级填报) as a validated pydantic model.

:class:`CountySubmission` checks what it can on its own (the county code, the
province and its agreement with the code, the year);
:meth:`CountySubmission.validate_against` applies a framework's cell and
bounds rules -- the very functions the bulk readers use
(:mod:`xiangcun_eval.inputs.cells`).  :func:`submissions_to_unit_data` turns
a list of submissions into :class:`~xiangcun_eval.inputs.data.UnitData`
through the same validation as a file, so a value is judged identically
whichever way it arrives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from ..framework.model import Framework
from . import cells as C
from .codes import PROVINCES, check_code, match_province, normalise_code_text, province_from_name
from .data import UnitData
from .problems import Problem, SubmissionError
from .readers import QuarantineResult, resolve_framework, table_from_records

__all__ = ["CountySubmission", "submissions_to_unit_data"]

Value = float | str | None


class CountySubmission(BaseModel):
    """A county's values for one year.

    Parameters
    ----------
    county_code
        GB/T 2260 six-digit county code (string; an int is accepted and
        converted; full-width digits are normalised).
    county_name
        County (县、市、区) name.
    province
        Province full (``河南省``), short (``河南``) or English name; stored
        as the full Chinese name and must agree with the code's prefix.
    year
        Reporting year.
    values
        Values by indicator code: numbers, or text following the cell rules
        (``"45%"``, ``"1,234"``, ``"NA"``).  Missing values may be omitted,
        ``None`` or a missing marker; they stay missing (NaN), never zero.
    notes, sources
        Optional per-value note and data source (数据来源), by indicator code.
    prefecture
        Optional prefecture (地市) name or code, used as a grouping column.
    data_note
        Free text about the whole submission (e.g. ``模拟数据 / synthetic``).

    Attributes
    ----------
    region : str
        NBS region (东部/中部/西部/东北) derived from the province.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    county_code: str
    county_name: str = Field(min_length=1)
    province: str
    year: int = Field(ge=1949, le=2100)
    values: dict[str, Value] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)
    prefecture: str | None = None
    data_note: str = ""

    def __init__(self, **data: Any) -> None:
        """Construct directly; invalid fields raise :class:`SubmissionError` (not pydantic's).

        ``model_validate`` keeps pydantic's ``ValidationError`` (whose
        messages carry the same bilingual text).
        """
        try:
            super().__init__(**data)
        except ValidationError as exc:
            code = data.get("county_code")
            def halves(msg: str) -> tuple[str, str]:
                msg = msg.removeprefix("Value error, ")
                zh, sep, en = msg.partition(" / ")
                return (zh, en) if sep else (msg, msg)

            raise SubmissionError([Problem(
                "invalid_field",
                f"字段 {'.'.join(str(x) for x in e['loc']) or '-'}: {halves(e['msg'])[0]}",
                f"field {'.'.join(str(x) for x in e['loc']) or '-'}: {halves(e['msg'])[1]}",
                "按 CountySubmission 的字段说明填写", "see the CountySubmission fields",
                county=str(code) if code is not None else None,
                indicator=".".join(str(x) for x in e["loc"]) or None,
                value=None if e.get("input") is None or isinstance(e.get("input"), dict)
                else str(e.get("input"))[:60],
            ) for e in exc.errors(include_url=False)], source="CountySubmission") from None

    @field_validator("county_code", mode="before")
    @classmethod
    def _code(cls, v: object) -> str:
        if isinstance(v, bool):
            raise ValueError("县代码应为字符串 / the county code must be a string")
        if isinstance(v, int):
            v = str(v)
        if not isinstance(v, str):
            raise ValueError("县代码应为字符串 / the county code must be a string")
        code = normalise_code_text(v)
        why = check_code(code)
        if why is not None:
            raise ValueError(f"{why[0]} / {why[1]}")
        return code

    @field_validator("county_name", mode="after")
    @classmethod
    def _name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("县名为空 / the county name is empty")
        return v

    @field_validator("province", mode="after")
    @classmethod
    def _province(cls, v: str) -> str:
        prov = province_from_name(v)
        if prov is None:
            why = match_province(v, "00")
            assert why is not None
            raise ValueError(f"{why[0]} / {why[1]}")
        return prov.name_zh

    @field_validator("values", mode="before")
    @classmethod
    def _values(cls, v: object) -> object:
        if isinstance(v, dict):
            # keep booleans and other non-scalars as text: they are reported as not numbers
            return {k: (str(x) if isinstance(x, (bool, list, dict)) else x) for k, x in v.items()}
        return v

    @model_validator(mode="after")
    def _province_matches(self) -> CountySubmission:
        why = match_province(self.province, self.county_code)
        if why is not None:
            raise ValueError(f"{why[0]} / {why[1]}")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def region(self) -> str:
        """NBS region of the province (东部/中部/西部/东北)."""
        return PROVINCES[self.county_code[:2]].region

    # ---------------------------------------------------------------- rules
    def problems(self, framework: Framework | str, *, row: int | None = None) -> list[Problem]:
        """Every cell and bounds problem of this submission under ``framework``."""
        return self._check(resolve_framework(framework), row)[1]

    def validate_against(self, framework: Framework | str) -> NDArray[np.float64]:
        """Apply the framework's cell and bounds rules.

        Returns
        -------
        ndarray of float64
            Values in the framework's indicator order, NaN = missing.

        Raises
        ------
        SubmissionError
            Listing every problem (unknown indicators, non-numeric values,
            % on non-percentage indicators, values out of bounds).
        """
        values, probs = self._check(resolve_framework(framework), None)
        if probs:
            raise SubmissionError(probs, source=f"{self.county_code} {self.county_name}")
        return values

    def _check(self, fw: Framework, row: int | None) -> tuple[NDArray[np.float64], list[Problem]]:
        probs: list[Problem] = []
        out = np.full(len(fw.indicators), np.nan)
        pos = {c: j for j, c in enumerate(fw.indicator_codes)}
        lower, upper = C.framework_bounds(fw)
        for code, raw in self.values.items():
            if code not in pos:
                probs.append(Problem(
                    "unknown_indicator", f"未知指标代码 {code!r}",
                    f"unknown indicator code {code!r} (framework {fw.code})",
                    "检查指标代码拼写", "check the indicator code", row=row,
                    county=self.county_code, indicator=code, value=_shown(raw),
                ))
                continue
            j = pos[code]
            ind = fw.indicators[j]
            v, st = C.parse_value(raw, percent_ok=ind.is_percentage)
            if st == C.OK:
                st = int(C.bounds_status(np.array([v]), lower[j], upper[j])[0])
            if st in (C.OK, C.MISSING):
                out[j] = v
            else:
                probs.append(C.cell_problem(st, indicator=ind, raw=_shown(raw) or "",
                                            row=row, county=self.county_code))
        for code in list(self.notes) + list(self.sources):
            if code not in pos:
                probs.append(Problem(
                    "unknown_indicator", f"备注/来源中的未知指标代码 {code!r}",
                    f"unknown indicator code {code!r} in notes/sources", "检查指标代码拼写",
                    "check the indicator code", row=row, county=self.county_code, indicator=code,
                ))
        return out, probs


def _shown(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float):
        return "nan" if math.isnan(raw) else repr(raw)
    return str(raw)


@overload
def submissions_to_unit_data(
    submissions: Sequence[CountySubmission], framework: Framework | str, *,
    mode: Literal["strict"] = ...,
) -> UnitData: ...
@overload
def submissions_to_unit_data(
    submissions: Sequence[CountySubmission], framework: Framework | str, *,
    mode: Literal["quarantine"],
) -> QuarantineResult: ...
def submissions_to_unit_data(
    submissions: Sequence[CountySubmission], framework: Framework | str, *,
    mode: Literal["strict", "quarantine"] = "strict",
) -> UnitData | QuarantineResult:
    """Validate a list of submissions together and build ``UnitData(kind="county")``.

    Applies the same rules as :func:`~xiangcun_eval.inputs.readers.read_submissions`
    (cells, bounds, duplicate codes, mixed years, indicators entirely
    missing); row numbers in problems are 1-based positions in the list.
    Missing values stay NaN.
    """
    fw = resolve_framework(framework)
    records: list[dict[str, Any]] = [
        s.model_dump(exclude={"region"}, exclude_none=True) for s in submissions
    ]
    result = table_from_records(records, fw, mode=mode)
    return result.data if mode == "strict" else result
