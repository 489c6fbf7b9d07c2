"""Grade bands apply only on the scale they are defined on (pipeline/scale.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data, small_framework
from xiangcun_eval.pipeline.scale import (
    Scale,
    check_grading,
    grading_note_for_space,
    grading_problem,
    index_scale,
)

FW = small_framework()
FW_GP = type(FW)(**{**FW.model_dump(exclude={"nodes"}), "nodes": tuple(
    n.model_copy(update={"goalposts": (0.0, 100.0)}) if n.code.startswith("x") else n
    for n in FW.nodes)})
Q = xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2))


def m(**kw: object) -> xe.Methodology:
    return xe.Methodology(**kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("meth", "scale"),
    [
        (m(), Scale("range", 0.0, 100.0)),
        (m(normalise=xe.NormaliseSpec(method="minmax", params={"lower": 1.0}),
           aggregate=xe.AggregateSpec(method="geometric")), Scale("range", 1.0, 100.0)),
        (m(normalise=xe.NormaliseSpec(method="efficacy")), Scale("range", 60.0, 100.0)),
        (m(normalise=xe.NormaliseSpec(method="zscore")), Scale("centred", 0.0, 1.0)),
        (m(aggregate_by_level={3: xe.AggregateSpec(method="topsis")}), Scale("range", 0.0, 1.0)),
        (m(aggregate_by_level={3: xe.AggregateSpec(method="topsis", params={"scale": 100.0})}),
         Scale("range", 0.0, 100.0)),
        (m(aggregate_by_level={3: xe.AggregateSpec(method="mpi")}), Scale("centred", 100.0, 10.0)),
        (m(normalise=xe.NormaliseSpec(method="rank")), Scale("unknown")),
        (m(normalise=xe.NormaliseSpec(method="goalposts", params={"scale": 1.0})),
         Scale("range", 0.0, 1.0)),
        # per-indicator overrides: the hull of the ranges
        (m(normalise_by_indicator={"x2": xe.NormaliseSpec(
            method="minmax", params={"lower": -10.0, "upper": 90.0})}),
         Scale("range", -10.0, 100.0)),
        (m(normalise_by_indicator={"x2": xe.NormaliseSpec(method="zscore")}), Scale("unknown")),
    ],
)
def test_index_scale(meth: xe.Methodology, scale: Scale) -> None:
    got = index_scale(FW, meth)
    assert got.kind == scale.kind
    if scale.kind != "unknown":
        assert (got.a, got.b) == (scale.a, scale.b)
    else:
        assert math.isnan(got.a)


@pytest.mark.parametrize(
    ("meth", "needle"),
    [
        (m(aggregate_by_level={3: xe.AggregateSpec(method="topsis")}), "[0, 1]"),
        (m(normalise=xe.NormaliseSpec(method="zscore")), "centred on 0"),
        (m(normalise=xe.NormaliseSpec(method="goalposts", params={"scale": 1.0})), "[0, 1]"),
        (m(normalise=xe.NormaliseSpec(method="efficacy")), "[60, 100]"),
        (m(normalise=xe.NormaliseSpec(method="zscore", params={"mean": 100.0, "sd": 10.0}),
           aggregate_by_level={3: xe.AggregateSpec(method="mpi")}), "centred on 100"),
    ],
)
def test_bands_off_scale_are_an_error_at_build_time_with_the_fix(
    meth: xe.Methodology, needle: str
) -> None:
    d = small_data(fw=FW_GP)
    with pytest.raises(xe.MethodError) as ei:
        xe.evaluate(d, meth)
    msg = str(ei.value)
    assert needle in msg
    assert "quantiles" in msg
    assert "scale = 100" in msg
    assert "等级" in msg
    # every fix works: quantiles, own thresholds on the scale, or the check off
    assert grading_problem(FW, meth.replace(grading=Q)) is None
    xe.evaluate(d, meth.replace(grading=Q))
    ev = xe.evaluate(d, meth, check_scale=False)
    assert np.isfinite(ev.index).all()


def test_bands_on_scale_pass_and_own_thresholds() -> None:
    for meth in (m(), m(aggregate_by_level={3: xe.AggregateSpec(method="topsis",
                                                                 params={"scale": 100.0})})):
        check_grading(FW, meth)
    z = m(normalise=xe.NormaliseSpec(method="zscore"),
          grading=xe.GradingSpec(thresholds=(1.0, 0.5, -0.5, -1.0)))
    check_grading(FW, z)  # own thresholds on the z scale
    t01 = m(aggregate_by_level={3: xe.AggregateSpec(method="topsis")},
            grading=xe.GradingSpec(thresholds=(0.8, 0.6, 0.4, 0.2)))
    check_grading(FW, t01)  # own thresholds on [0, 1]
    check_grading(FW, m(normalise=xe.NormaliseSpec(method="rank")))  # unknown: not checked


def test_uncertainty_leaves_out_grade_probabilities_off_scale() -> None:
    d = small_data(n=30)
    norm = xe.NormaliseAlternatives(alternatives=(
        xe.NormaliseSpec(method="minmax"), xe.NormaliseSpec(method="zscore")))
    agg = xe.AggregateAlternatives(alternatives=(
        xe.AggregateSpec(method="arithmetic"), xe.AggregateSpec(method="geometric")))
    note = grading_note_for_space(FW, m(), [norm])
    assert "zscore" in note
    assert "grade probabilities are not shown" in note
    assert grading_note_for_space(FW, m(), [agg]) == ""
    assert grading_note_for_space(FW, m(grading=Q), [norm]) == ""
    ua = xe.uncertainty(d, m(), xe.UncertaintySpace(factors=[norm]), n=16, seed=1)
    t = ua.table()
    assert ua.grade_note
    assert not any(c.startswith("P(") for c in t.columns)
    assert "grade probabilities are not shown" in t.title
    ok = xe.uncertainty(d, m(), xe.UncertaintySpace(factors=[
        xe.NormaliseAlternatives(alternatives=(
            xe.NormaliseSpec(method="minmax"),
            xe.NormaliseSpec(method="minmax", params={"lower": 1.0})))]), n=16, seed=1)
    assert not ok.grade_note
    assert any(c.startswith("P(") for c in ok.table().columns)
