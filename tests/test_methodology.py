"""Methodology: validation, TOML/JSON round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiangcun_eval import MethodError, TomlError
from xiangcun_eval.methodology import (
    AggregateSpec,
    GradingSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    TreatSpec,
    WeightSpec,
)


def test_default_round_trips() -> None:
    m = Methodology()
    assert Methodology.from_toml_text(m.to_toml()) == m
    assert Methodology.from_json(m.to_json()) == m
    assert m.to_toml() == Methodology.from_toml_text(m.to_toml()).to_toml()


def test_full_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = Methodology(
        name="县域 2023 专家方案",
        impute=ImputeSpec(method="group_mean", group_by="province"),
        treat=TreatSpec(method="winsorise", params={"winmax": 5}),
        normalise_by_indicator={
            "x1": NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0})
        },
        weights_by_level={2: WeightSpec(method="entropy")},
        aggregate_by_level={3: AggregateSpec(method="geometric", min_availability=0.5)},
        weight_overrides={"A": 2.0},
        grading=GradingSpec(
            kind="quantiles",
            thresholds=(0.8, 0.5),
            labels_zh=("好", "中", "差"),
            labels_en=("good", "mid", "poor"),
        ),
    )
    p = tmp_path / "m.toml"
    m.to_toml(p)
    assert Methodology.from_toml(p) == m
    assert Methodology.from_toml(str(p)) == m


def test_unknown_method_lists_available() -> None:
    with pytest.raises(MethodError, match="minmax"):
        NormaliseSpec(method="min_max_typo")


def test_bad_params_are_errors() -> None:
    with pytest.raises(MethodError, match="invalid parameters"):
        NormaliseSpec(method="minmax", params={"no_such_param": 1})


def test_grading_validation() -> None:
    with pytest.raises(MethodError, match="labels"):
        GradingSpec(thresholds=(80.0, 60.0), labels_zh=("a", "b"), labels_en=("a", "b"))
    with pytest.raises(MethodError, match="decreasing"):
        GradingSpec(thresholds=(20.0, 60.0), labels_zh=("a", "b", "c"), labels_en=("a", "b", "c"))


def test_negative_override_rejected() -> None:
    with pytest.raises(MethodError):
        Methodology(weight_overrides={"A": -1.0})


def test_toml_syntax_error_is_clear() -> None:
    with pytest.raises(TomlError, match="line 1"):
        Methodology.from_toml_text("name = \n")
    with pytest.raises(FileNotFoundError, match=r"nope\.toml"):
        Methodology.from_toml("nope.toml")


def test_ahp_needs_file() -> None:
    with pytest.raises(MethodError, match="file"):
        WeightSpec(method="ahp")


@settings(max_examples=40, deadline=None)
@given(
    name=st.text(min_size=1, max_size=20),
    lower=st.floats(-100, 0),
    span=st.floats(1, 200),
    level=st.integers(2, 5),
    thr=st.none() | st.floats(0, 1),
    agg=st.sampled_from(["arithmetic", "geometric", "harmonic"]),
    w=st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.floats(0, 10), max_size=4
    ),
)
def test_random_methodologies_round_trip(
    name: str,
    lower: float,
    span: float,
    level: int,
    thr: float | None,
    agg: str,
    w: dict[str, float],
) -> None:
    m = Methodology(
        name=name,
        normalise=NormaliseSpec(method="minmax", params={"lower": lower, "upper": lower + span}),
        aggregate_by_level={level: AggregateSpec(method=agg, min_availability=thr)},
        weight_overrides=w,
    )
    assert Methodology.from_toml_text(m.to_toml()) == m
    assert Methodology.from_json(m.to_json()) == m


def test_unknown_field_in_file_is_a_clear_error() -> None:
    with pytest.raises(MethodError, match=r"invalid methodology \(<text>\): nme"):
        Methodology.from_toml_text('nme = "x"\n[normalise]\nmethod = "minmax"\n')
