"""The framework TOML layout: file vs text, the class argument, dict round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import small_framework
from xiangcun_eval.errors import FrameworkError
from xiangcun_eval.framework import tomlfile
from xiangcun_eval.framework.model import Framework


def test_file_named_with_equals_sign_is_read_as_a_file(tmp_path: Path) -> None:
    fw = small_framework()
    p = tmp_path / "v=2.toml"
    fw.to_toml(p)
    assert Framework.from_toml(p) == fw == Framework.from_toml(str(p))
    assert tomlfile.framework_from_toml(p, Framework) == fw


def test_text_reader_and_deprecated_text_in_from_toml() -> None:
    fw = small_framework()
    text = fw.to_toml()
    assert Framework.from_toml_text(text) == fw
    assert tomlfile.framework_from_toml_text(text, Framework) == fw
    with pytest.warns(DeprecationWarning, match="Framework.from_toml_text"):
        assert Framework.from_toml(text) == fw


def test_readers_build_the_class_they_are_given() -> None:
    class MyFramework(Framework):
        pass

    got = tomlfile.framework_from_dict(tomlfile.framework_to_dict(small_framework()), MyFramework)
    assert type(got) is MyFramework
    assert got.model_dump() == small_framework().model_dump()


def test_dict_errors_name_the_source() -> None:
    with pytest.raises(FrameworkError) as ei:
        tomlfile.framework_from_dict({"framework": {"code": "x"}}, Framework, source="f.toml")
    assert ei.value.source == "f.toml"
    assert any("missing 'name_zh'" in p for p in ei.value.problems)
