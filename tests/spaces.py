"""Uncertainty spaces on COINr's ASEM example shared by the sensitivity tests."""

from __future__ import annotations

from xiangcun_eval.methodology import AggregateSpec, ImputeSpec, NormaliseSpec
from xiangcun_eval.sensitivity.space import (
    AggregateAlternatives,
    Exclusion,
    ImputeAlternatives,
    NormaliseAlternatives,
    ParameterRange,
    UncertaintySpace,
    WeightDirichlet,
    WeightNoise,
    WeightSetAlternatives,
)

NORM = NormaliseAlternatives(alternatives=(
    NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
    NormaliseSpec(method="zscore", params={"mean": 10.0, "sd": 2.0})))
AGG = AggregateAlternatives(alternatives=(AggregateSpec(method="arithmetic"),
                                          AggregateSpec(method="geometric")))
COINR = UncertaintySpace(factors=[WeightNoise(levels=(2, 3), noise=0.25), NORM, AGG])
"""COINr's SA-vignette space: weight noise ±25 %, two normalisations, two means."""
RICH = UncertaintySpace(factors=[
    WeightNoise(levels=(2, 3), noise=0.25),
    WeightDirichlet(levels=(1,), concentration=40.0, per="group"),
    WeightSetAlternatives(sets=({"Conn": 1.0, "Sust": 1.0}, {"Conn": 3.0, "Sust": 1.0})),
    NORM, AGG,
    ImputeAlternatives(alternatives=(ImputeSpec(method="group_mean", group_by="EurAsia_group"),
                                     ImputeSpec(method="mean"))),
    Exclusion(candidates=("Physical", "Social", "LPI"), k=1),
    ParameterRange(path="treat.params.winmax", low=2, high=5, integer=True),
])
"""Every kind of factor except data noise."""
