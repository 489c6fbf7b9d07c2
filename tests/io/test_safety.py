import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiangcun_eval.io.safety import (
    FORMULA_PREFIXES,
    is_formula_like,
    neutralise,
    neutralise_all,
    neutralise_text,
)


@pytest.mark.parametrize("bad", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                 '=HYPERLINK("http://x","点我")'])
def test_formula_like_text_is_prefixed(bad):
    out = neutralise_text(bad)
    assert out == "'" + bad
    assert not is_formula_like(out)


@pytest.mark.parametrize("ok", ["浙江", "", "a=b", "'=x", "１＝１"])
def test_plain_text_unchanged(ok):
    assert neutralise_text(ok) == ok


def test_non_strings_untouched():
    assert neutralise(-3.5) == -3.5
    assert neutralise(None) is None
    assert neutralise_all(["=x", 1, "y"]) == ["'=x", 1, "y"]


@given(st.text())
def test_never_formula_like_after(s):
    out = neutralise_text(s)
    assert not out.startswith(FORMULA_PREFIXES)
    assert out.endswith(s)
    assert len(out) - len(s) in (0, 1)
