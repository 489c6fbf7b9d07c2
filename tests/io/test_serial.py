"""TomlModel: file vs text reading, the one input conversion (coerce), JSON round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.io.toml import TomlError
from xiangcun_eval.methodology import Methodology, as_methodology
from xiangcun_eval.sensitivity.space import UncertaintySpace

TEXT = 'name = "熵权"\n[weights_by_level.2]\nmethod = "entropy"\n'


def test_a_file_name_with_equals_sign_is_a_file(tmp_path: Path) -> None:
    p = tmp_path / "p=1.toml"
    p.write_text(TEXT, encoding="utf-8")
    assert Methodology.from_toml(p).name == "熵权"
    assert Methodology.from_toml(str(p)).name == "熵权"


def test_a_missing_file_is_not_parsed_as_text(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"p=1\.toml"):
        Methodology.from_toml(str(tmp_path / "p=1.toml"))
    with pytest.raises(FileNotFoundError):
        Methodology.from_toml('name = "x"')  # one line of TOML is a (missing) file name


def test_from_toml_text_reads_text_and_names_the_source() -> None:
    assert Methodology.from_toml_text(TEXT).weights_for(2).method == "entropy"
    with pytest.raises(TomlError, match=r"m\.toml"):
        Methodology.from_toml_text("name = \n", source="m.toml")
    with pytest.raises(MethodError, match="nme"):
        Methodology.from_toml_text('nme = "x"\n')


def test_text_given_to_from_toml_still_reads_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="Methodology.from_toml_text"):
        m = Methodology.from_toml(TEXT)
    assert m == Methodology.from_toml_text(TEXT)


def test_coerce_is_the_one_conversion(tmp_path: Path) -> None:
    m = Methodology(name="x")
    assert Methodology.coerce(m) is m
    p = tmp_path / "m.toml"
    m.to_toml(p)
    assert Methodology.coerce(p) == m == Methodology.coerce(str(p))
    assert as_methodology(None) == Methodology()
    assert as_methodology(p) == m
    with pytest.raises(TypeError, match="expected a Methodology"):
        Methodology.coerce({"name": "x"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a UncertaintySpace"):
        UncertaintySpace.coerce(m)  # type: ignore[arg-type]


def test_json_round_trip() -> None:
    m = Methodology.from_toml_text(TEXT)
    assert Methodology.from_json(m.to_json()) == m
