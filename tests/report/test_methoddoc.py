import pytest

from xiangcun_eval.report.methoddoc import describe


def test_formula_and_reference_from_docstrings():
    d = describe("normalise", "minmax")
    assert "\\max x'" in d.formula
    assert "OECD/JRC" in d.reference
    e = describe("weights", "entropy")
    assert "e_j" in e.formula
    assert "熵权法" in e.label
    assert describe("aggregate", "arithmetic").formula


def test_unknown_method():
    with pytest.raises(Exception, match="nosuch"):
        describe("weights", "nosuch")
    with pytest.raises(KeyError):
        describe("nostage", "x")
