"""Level plans and weights through evaluate(): exact values computed independently."""

from __future__ import annotations

import numpy as np

from helpers import small_data, small_framework
from xiangcun_eval.evaluate import evaluate
from xiangcun_eval.framework.model import Framework, Group, Indicator
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.methodology import Methodology, WeightSpec
from xiangcun_eval.pipeline import level_plans


def three_groups() -> Framework:
    parents = ["A", "A", "B", "B", "C", "C", "C"]
    return Framework(
        code="g3", name_zh="三组", name_en="Three groups",
        nodes=(
            Group(code="IDX", name_zh="指数", name_en="Index", level=3),
            *(Group(code=g, name_zh=f"{g}组", name_en=f"Group {g}", level=2, parent="IDX")
              for g in "ABC"),
            *(Indicator(code=f"x{k + 1}", name_zh=f"指标{k + 1}", name_en=f"I{k + 1}", level=1,
                        parent=p) for k, p in enumerate(parents)),
        ),
    )


def test_fractional_framework_weights_are_reported_as_group_shares() -> None:
    m = Methodology(weight_overrides={"x1": 0.25, "x2": 0.5, "x3": 0.75, "x4": 0.1, "x5": 0.3})
    ev = evaluate(small_data(n=12), m)
    np.testing.assert_allclose(ev.weights[0], [1 / 6, 1 / 3, 1 / 2, 0.25, 0.75], rtol=1e-15)
    np.testing.assert_allclose(ev.weights[1], [2 / 3, 1 / 3], rtol=1e-15)  # A 2.0, B 1.0
    plan = level_plans(ev.framework, m)[0]
    sums = np.bincount(plan.membership, weights=ev.weights[0])
    np.testing.assert_allclose(sums, [1.0, 1.0], rtol=1e-15)


def test_weights_on_raw_data_use_the_treated_values_not_the_normalised() -> None:
    data = small_data(n=15, seed=3)
    m = Methodology(weights_by_level={2: WeightSpec(method="cv", on="raw")})
    ev = evaluate(data, m)
    x = data.values  # no treatment: the raw values are the treated values
    v = x.std(axis=0, ddof=1) / np.abs(x.mean(axis=0))
    expected = np.concatenate([v[:3] / v[:3].sum(), v[3:] / v[3:].sum()])
    np.testing.assert_allclose(ev.weights[0], expected, rtol=1e-12)
    on_norm = evaluate(data, Methodology(weights_by_level={2: WeightSpec(method="cv")}))
    assert not np.allclose(on_norm.weights[0], expected)


def test_critic_weights_at_a_level_with_three_groups() -> None:
    fw = three_groups()
    rng = np.random.default_rng(11)
    x = rng.uniform(1.0, 99.0, size=(20, 7))
    data = UnitData(framework=fw, units=tuple(f"U{i}" for i in range(20)),
                    names=tuple(f"单位{i}" for i in range(20)), values=x, groups={}, year=2023)
    ev = evaluate(data, Methodology(weights_by_level={2: WeightSpec(method="critic")}))
    z_all = ev.preprocessed.normalised
    expected = np.empty(7)
    for cols in ([0, 1], [2, 3], [4, 5, 6]):
        z = z_all[:, cols]
        z = (z - z.min(axis=0)) / (z.max(axis=0) - z.min(axis=0))
        sigma = z.std(axis=0, ddof=1)
        r = np.corrcoef(z, rowvar=False)
        c = sigma * (1.0 - r).sum(axis=1)
        expected[cols] = c / c.sum()
    np.testing.assert_allclose(ev.weights[0], expected, rtol=1e-12)
    # a group of two: r = ±1 between them makes C_j = σ_j (1 - r): shares ∝ σ
    z = z_all[:, [0, 1]]
    z = (z - z.min(axis=0)) / (z.max(axis=0) - z.min(axis=0))
    s = z.std(axis=0, ddof=1)
    np.testing.assert_allclose(ev.weights[0][:2], s / s.sum(), rtol=1e-12)


def test_small_framework_plans() -> None:
    plans = level_plans(small_framework(), Methodology())
    assert [p.level for p in plans] == [2, 3]
    assert plans[0].child_codes == ("x1", "x2", "x3", "x4", "x5")
    np.testing.assert_array_equal(plans[0].membership, [0, 0, 0, 1, 1])
