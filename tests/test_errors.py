"""Error classes: bilingual messages, attributes, what they subclass."""

from __future__ import annotations

from xiangcun_eval.errors import (
    FrameworkError,
    MethodError,
    MissingExtraError,
    OutputExistsError,
    XiangcunError,
)


def test_framework_error_lists_every_problem() -> None:
    e = FrameworkError(["a", "b"], source="f.toml")
    assert e.problems == ["a", "b"]
    assert e.source == "f.toml"
    assert "a" in str(e)
    assert "b" in str(e)
    assert isinstance(e, XiangcunError)


def test_method_error_keeps_columns() -> None:
    assert MethodError("x / y", columns=[2]).columns == [2]


def test_missing_extra_is_an_import_error_naming_the_extra() -> None:
    e = MissingExtraError("openpyxl", "excel", "Excel 读写 / Excel files")
    assert isinstance(e, ImportError)
    assert "xiangcun-eval[excel]" in str(e)


def test_output_exists_is_a_file_exists_error() -> None:
    assert isinstance(OutputExistsError("out.csv"), FileExistsError)
