"""UncertaintySpace: validation, TOML round trip, paths into the methodology."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import asem_data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.io.toml import TomlError
from xiangcun_eval.methodology import AggregateSpec, Methodology, NormaliseSpec
from xiangcun_eval.sensitivity.engine import compile_space
from xiangcun_eval.sensitivity.space import (
    AggregateAlternatives,
    DataNoise,
    Exclusion,
    NormaliseAlternatives,
    ParameterRange,
    UncertaintySpace,
    WeightDirichlet,
    WeightNoise,
    WeightSetAlternatives,
    set_path,
)


@pytest.fixture(scope="module")
def fw():  # type: ignore[no-untyped-def]
    return asem_data().framework


def _full_space() -> UncertaintySpace:
    return UncertaintySpace(name="all kinds", factors=[
        WeightNoise(levels=(2, 3), noise=0.25),
        WeightDirichlet(levels=(1,), concentration=50.0, per="group"),
        WeightSetAlternatives(sets=({"Conn": 1.0, "Sust": 1.0}, {"Conn": 2.0, "Sust": 1.0})),
        NormaliseAlternatives(alternatives=(
            NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
            NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0}))),
        AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                            AggregateSpec(method="geometric")), levels=(4,)),
        Exclusion(candidates=("Physical", "Social"), k=1),
        DataNoise(relative=0.05, by_indicator={"LPI": 0.1}),
        ParameterRange(path="treat.params.winmax", low=1, high=5, integer=True),
    ])


def test_toml_round_trip(tmp_path: Path) -> None:
    sp = _full_space()
    text = sp.to_toml()
    assert 'kind = "weight_noise"' in text
    assert UncertaintySpace.from_toml_text(text) == sp
    p = tmp_path / "space.toml"
    sp.to_toml(p)
    assert UncertaintySpace.from_toml(p) == sp


def test_compile_dimensions(fw) -> None:  # type: ignore[no-untyped-def]
    atoms = compile_space(_full_space(), fw)
    # weight noise on 8 pillars + 2 sub-indices = 10 uniforms, one factor
    assert atoms[0].dim == 10 and atoms[0].role == "weights"
    # Dirichlet per group at level 1: one factor per pillar (8)
    dirichlet = [a for a in atoms if a.kind == "weight_dirichlet"]
    assert len(dirichlet) == 8 and sum(a.dim for a in dirichlet) == 49
    assert dirichlet[0].name.endswith(":" + fw.level_codes(2)[0])
    cols = [a.col for a in atoms]
    assert cols == sorted(cols) and len(set(cols)) == len(cols)
    excl = next(a for a in atoms if a.kind == "exclude")
    assert excl.n_alt == 3  # none, -Physical, -Social
    assert excl.masks[1][1].tolist().count(0.0) == 1


def test_check_reports_every_problem(fw) -> None:  # type: ignore[no-untyped-def]
    sp = UncertaintySpace(factors=[
        WeightNoise(levels=(4,), noise=0.1),
        Exclusion(candidates=("NOPE",)),
        ParameterRange(path="normalise.params.nonsense", low=0, high=1),
    ])
    with pytest.raises(MethodError) as exc:
        sp.check(fw, Methodology())
    msg = str(exc.value)
    assert "levels [4]" in msg and "NOPE" in msg and "nonsense" in msg
    assert "不确定性空间" in msg


def test_validation_errors() -> None:
    with pytest.raises(MethodError, match=r"invalid WeightNoise: .*field 'noise'.*1\.5"):
        WeightNoise(levels=(2,), noise=1.5)
    with pytest.raises(MethodError, match="duplicate factor names"):
        UncertaintySpace(factors=[WeightNoise(levels=(2,), noise=0.1, name="w"),
                                  WeightNoise(levels=(3,), noise=0.1, name="w")])
    with pytest.raises(MethodError, match="more than one global factor"):
        UncertaintySpace(factors=[
            NormaliseAlternatives(alternatives=(NormaliseSpec(method="minmax"),), name="a"),
            NormaliseAlternatives(alternatives=(NormaliseSpec(method="zscore"),), name="b")])
    with pytest.raises(MethodError, match="k=3"):
        Exclusion(candidates=("a", "b"), k=3)
    with pytest.raises(MethodError, match="low < high"):
        ParameterRange(path="x", low=1, high=1)
    with pytest.raises(TomlError, match="TOML"):
        UncertaintySpace.from_toml_text("factors = [")


def test_exclusion_subsets() -> None:
    e = Exclusion(candidates=("a", "b", "c"), k=2, include_none=False)
    assert e.subsets() == [("a", "b"), ("a", "c"), ("b", "c")]


def test_set_path() -> None:
    m = set_path(Methodology(), "normalise.params.upper", 50.0)
    assert m.normalise.params["upper"] == 50.0
    m = set_path(Methodology(), "aggregate_by_level.3.method", "geometric")
    assert m.aggregate_for(3).method == "geometric"
    with pytest.raises(MethodError, match="no field"):
        set_path(Methodology(), "nothing.params.x", 1.0)
    with pytest.raises(MethodError, match="invalid value"):
        set_path(Methodology(), "normalise.params.sd", -1.0)


def test_weight_sets_alias_warns_and_toml_kind_unchanged() -> None:
    import xiangcun_eval as xe
    from xiangcun_eval.sensitivity import space as sp_mod
    from xiangcun_eval.sensitivity.space import WeightSetAlternatives

    with pytest.warns(DeprecationWarning, match="WeightSetAlternatives"):
        alias = xe.WeightSets  # type: ignore[attr-defined]
    with pytest.warns(DeprecationWarning, match="WeightSetAlternatives"):
        alias2 = sp_mod.WeightSets  # type: ignore[attr-defined]
    assert alias is alias2 is WeightSetAlternatives
    f = alias(sets=({"Conn": 1.0},))
    assert f.kind == "weight_sets"
    text = 'name = "s"\n[[factors]]\nkind = "weight_sets"\nsets = [{Conn = 1.0}, {Conn = 2.0}]\n'
    space = UncertaintySpace.from_toml_text(text)
    assert isinstance(space.factors[0], WeightSetAlternatives)
    assert "WeightSets" not in xe.__all__ and "WeightSetAlternatives" in xe.__all__
