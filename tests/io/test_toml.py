"""TOML writer round trips and the bilingual reading errors."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangcun_eval.io import toml
from xiangcun_eval.io.toml import TomlError

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)


def _inline(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=3))


VALUES = st.recursive(SCALARS, _inline, max_leaves=12)
TABLES = st.recursive(
    st.dictionaries(TEXT, VALUES, max_size=4),
    lambda t: st.dictionaries(
        TEXT, st.one_of(VALUES, t, st.lists(t, min_size=1, max_size=3)), max_size=4
    ),
    max_leaves=6,
)


def _same(a: Any, b: Any) -> bool:
    """Equality that treats -0.0 and 0.0 alike but keeps float vs int apart."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@settings(max_examples=150, deadline=None)
@given(TABLES)
def test_round_trip(obj: dict[str, Any]) -> None:
    text = toml.dumps(obj)
    assert _same(tomllib.loads(text), obj)
    assert toml.dumps(obj) == text  # deterministic


def test_escaping_chinese_and_control_characters() -> None:
    obj = {
        "名称": "数字乡村\n第二行\t\"引号\" \\ 反斜杠 \x01 \x7f",
        "key with space": "x",
        "nested": {"a.b": [1, 2.5, "三"], "empty": {}, "list": []},
        "rows": [{"code": "T01", "w": 1.0}, {"code": "T02", "sub": {"x": True}}],
    }
    text = toml.dumps(obj)
    assert "数字乡村" in text  # written as UTF-8, not escaped
    assert tomllib.loads(text) == obj


def test_header_comment_and_none_skipped() -> None:
    text = toml.dumps({"a": 1, "b": None, "t": {"c": None, "d": 2}}, header="第一行\nline two")
    assert text.startswith("# 第一行\n# line two\n")
    assert tomllib.loads(text) == {"a": 1, "t": {"d": 2}}


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="nan/inf"):
        toml.dumps({"x": bad})
    with pytest.raises(ValueError, match="nan/inf"):
        toml.dumps({"t": {"x": [1.0, bad]}})


def test_other_rejections() -> None:
    with pytest.raises(ValueError, match="64"):
        toml.dumps({"x": 2**63})
    with pytest.raises(ValueError, match="None"):
        toml.dumps({"x": [1, None]})
    with pytest.raises(TypeError, match="bytes"):
        toml.dumps({"x": b"abc"})
    with pytest.raises(TypeError, match="set"):
        toml.dumps({"x": {1, 2}})
    with pytest.raises(TypeError, match="键"):
        toml.dumps({1: 2})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        toml.dumps([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="surrogate"):
        toml.dumps({"x": "\ud800"})


def test_dump_and_load(tmp_path: Path) -> None:
    p = tmp_path / "x.toml"
    toml.dump({"名称": "县", "n": 3}, p)
    assert toml.load(p) == {"名称": "县", "n": 3}


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('a = 1\nb = "unterminated\nc = 3\n', encoding="utf-8")
    with pytest.raises(TomlError) as ei:
        toml.load(p)
    err = ei.value
    assert err.line == 2
    assert err.source == str(p)
    msg = str(err)
    assert "TOML 语法错误" in msg
    assert "syntax error" in msg
    assert "bad.toml" in msg
    assert "line 2" in msg
    assert "第 2 行" in msg
    assert msg.index("语法错误") < msg.index("syntax error")  # Chinese first


def test_syntax_error_in_text_and_end_of_document() -> None:
    with pytest.raises(TomlError) as ei:
        toml.loads("x = 1\ny = ")
    assert ei.value.source == "<text>"
    assert ei.value.line == 2
    with pytest.raises(TomlError, match="<text>"):
        toml.loads("[a]\nx = 1\n[a]\n")  # duplicate table


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "gbk.toml"
    p.write_bytes('a = "县"'.encode("gbk"))
    with pytest.raises(TomlError, match="UTF-8"):
        toml.load(p)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=20))
def test_header_with_any_text_parses(header: str) -> None:
    assert tomllib.loads(toml.dumps({"a": 1}, header=header)) == {"a": 1}
