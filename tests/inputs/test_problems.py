"""``Problem`` messages, the problem table and ``SubmissionError``."""

from __future__ import annotations

import warnings

import pytest

from xiangcun_eval.errors import XiangcunError
from xiangcun_eval.inputs.problems import (
    KINDS,
    Problem,
    SubmissionError,
    SubmissionWarning,
    problems_table,
)


def _p(**kw):  # type: ignore[no-untyped-def]
    base = dict(kind="non_numeric", what_zh="不是数值", what_en="not a number",
                fix_zh="填数字", fix_en="enter a number")
    base.update(kw)
    return Problem(**base)


def test_every_kind_label_is_bilingual_chinese_first() -> None:
    for kind, label in KINDS.items():
        zh, en = label.split(" / ")
        assert zh, kind
        assert en, kind
        assert not zh.isascii(), kind
        assert en.isascii(), kind


def test_message_says_where_what_and_how_to_fix() -> None:
    p = _p(row=3, county="410102", indicator="x1", value="abc")
    assert p.what == "不是数值 / not a number"
    assert p.fix == "填数字 / enter a number"
    assert p.message == ("第 3 行 / row 3, 县 / county 410102, 列 / column x1, 值 / value 'abc': "
                         "不是数值 / not a number. 填数字 / enter a number")


def test_message_of_a_file_level_problem_without_fix() -> None:
    p = Problem("empty_file", "空文件", "empty file")
    assert p.fix == ""
    assert p.message == "空文件 / empty file"
    # an empty value is still shown; a row of 0 is not None
    assert _p(value="", fix_zh="", fix_en="").message == "值 / value '': 不是数值 / not a number"


def test_long_or_multiline_values_are_clipped_in_messages() -> None:
    shown = _p(value="y" * 100).message.split("'")[1]
    assert shown == "y" * 39 + "…"
    multi = _p(value="a\r\nb", row=4).message
    assert "\n" not in multi
    assert "\r" not in multi


def test_to_dict_round_trips_the_fields() -> None:
    p = _p(row=2, county="410102", indicator="x2", value="1,5", county_name="中原区")
    assert p.to_dict() == {
        "kind": "non_numeric", "row": 2, "county": "410102", "indicator": "x2",
        "value": "1,5", "what": "不是数值 / not a number", "fix": "填数字 / enter a number",
    }
    assert Problem(**{**{f: getattr(p, f) for f in Problem.__slots__}}) == p


def test_problems_table_layout_and_limit() -> None:
    probs = [_p(row=i + 2, county=f"41010{i}", indicator="x1", value=str(i)) for i in range(5)]
    text = problems_table(probs, limit=3)
    lines = text.splitlines()
    assert lines[0].startswith("行 row")
    assert len(lines) == 1 + 3 + 1
    assert lines[-1] == "... 另有 2 个问题未显示 / 2 more problem(s) not shown"
    assert "→ 填数字 / enter a number" in lines[1]
    assert lines[1].split()[:4] == ["2", "410100", "x1", "'0'"]
    file_level = problems_table([Problem("empty_file", "空文件", "empty file")])
    assert file_level.splitlines()[1].split()[:4] == ["-", "-", "-", "-"]
    assert len(problems_table(probs).splitlines()) == 6  # no "more" line at the default limit


def test_submission_error_lists_counts_and_rows() -> None:
    probs = [_p(row=2), _p(row=2, kind="not_finite"), _p(row=5), Problem("mixed_years", "年", "y")]
    err = SubmissionError(probs, source="填报.csv")
    assert isinstance(err, XiangcunError)
    assert isinstance(err, ValueError)
    assert err.problems == probs
    assert err.source == "填报.csv"
    first = str(err).splitlines()[0]
    assert first == ("填报数据有误 (填报.csv): 共 4 个问题,涉及 2 行 / invalid submission "
                     "(填报.csv): 4 problem(s) in 2 row(s)")
    assert str(err).splitlines()[1] == "[non_numeric 2, not_finite 1, mixed_years 1]"
    assert err.kinds() == {"non_numeric": 2, "not_finite": 1, "mixed_years": 1}


def test_submission_error_limit_and_no_source() -> None:
    err = SubmissionError((_p(row=i) for i in range(2, 12)), limit=4)
    assert str(err).startswith("填报数据有误: 共 10 个问题,涉及 10 行")
    assert "6 more problem(s) not shown" in str(err)


def test_submission_warning_carries_its_problem() -> None:
    p = Problem("extra_column", "多余列", "extra column", indicator="备注")
    with pytest.warns(SubmissionWarning, match="extra column") as rec:
        warnings.warn(SubmissionWarning(p.message, p), stacklevel=1)
    assert rec[0].message.problem is p  # type: ignore[union-attr]
