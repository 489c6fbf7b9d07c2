"""Weight sets and AHP matrix files: the shipped ones validate, bad ones name every mismatch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xiangcun_eval.framework import (
    AHPMatrices,
    Framework,
    WeightSet,
    WeightSetError,
    load_framework,
)
from xiangcun_eval.io.toml import TomlError
from xiangcun_eval.methods.weights import ahp as ahp_kernel
from xiangcun_eval.methods.weights import effective_weights

WEIGHTS = Path(__file__).parents[2] / "weights"
# Saaty's random consistency index
SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
            10: 1.49}


@pytest.fixture(scope="module")
def dvd() -> Framework:
    return load_framework("dvd-2023")


def consistency_ratio(a: np.ndarray) -> float:
    n = a.shape[0]
    lam = float(np.max(np.linalg.eigvals(a).real))
    return (lam - n) / (n - 1) / SAATY_RI[n]


@pytest.mark.parametrize("name", ["equal.toml", "expert-2023.toml"])
def test_shipped_weight_sets_validate(dvd: Framework, name: str) -> None:
    ws = WeightSet.from_toml(WEIGHTS / name)
    ws.check(dvd)
    applied = ws.apply(dvd)
    for code, w in ws.weights.items():
        assert applied[code].weight == w
    assert WeightSet.from_toml_text(ws.to_toml()) == ws


HEADLINE = (
    "T01_5g_township_coverage", "T01_5g_village_coverage", "T01_broadband_subscriptions",
    "T08_production_informatisation", "T10_online_retail_per_capita", "T12_entity_credit_rating",
)
"""County analogues of the five headline targets of 《2023年数字乡村发展工作要点》一、工作目标."""


def effective(fw: Framework) -> dict[str, float]:
    """Effective indicator weights through the library's own kernel."""
    levels = range(1, fw.max_level + 1)
    ws = [fw.node_weights(lv) for lv in levels]
    mem = [fw.membership(lv + 1) for lv in levels if lv < fw.max_level]
    return dict(zip(fw.indicator_codes, effective_weights(ws, mem)[0].tolist(), strict=True))


def test_expert_weights_agree_with_their_reasons(dvd: Framework) -> None:
    ws = WeightSet.from_toml(WEIGHTS / "expert-2023.toml")
    assert ws.complete
    assert ws.levels == (1, 2, 3)
    text = (WEIGHTS / "expert-2023.toml").read_text(encoding="utf-8")
    for code in ws.weights:
        assert f"\n{code} = " in text
    assert text.count("\n# A0") + text.count("\n# A10") >= 10  # every area justified
    eff = effective(ws.apply(dvd))
    assert abs(sum(eff.values()) - 1) < 1e-12
    # the stated reasons: headline targets weigh more than the median indicator and more
    # than every other indicator of their area; together 15.8 % (equal weights: 4.9 %)
    median = float(np.median(list(eff.values())))
    for code in HEADLINE:
        area = dvd.ancestor(code, 3)
        others = [v for c, v in eff.items() if c not in HEADLINE and dvd.ancestor(c, 3) == area]
        assert eff[code] > median, code
        assert eff[code] > max(others), code
    assert round(100 * sum(eff[c] for c in HEADLINE), 1) == 15.8
    assert round(100 * sum(effective(dvd)[c] for c in HEADLINE), 1) == 4.9
    # food security and poverty-relapse prevention are named together: equal areas,
    # both above governance and services
    w = ws.weights
    assert w["A02"] == w["A03"] > w["A07"] == w["A08"]
    # a single yes/no item is not a weight outlier
    assert eff["T25_smart_agri_standard_zone"] < 2 * median


def test_shipped_ahp_matrix_transcribes_expert_areas(dvd: Framework) -> None:
    ahp = AHPMatrices.from_toml(WEIGHTS / "ahp-dvd-2023-areas.toml")
    ahp.check(dvd)
    codes, a = ahp.matrix("DVD")
    assert codes == dvd.children("DVD")
    assert a.shape == (10, 10)
    np.testing.assert_allclose(a * a.T, 1.0)
    res = ahp_kernel(a)
    assert res.cr < 1e-12
    assert abs(res.lambda_max - 10) < 1e-12
    assert consistency_ratio(a) < 1e-12
    expert = WeightSet.from_toml(WEIGHTS / "expert-2023.toml").weights
    areas = np.array([expert[c] for c in codes])
    np.testing.assert_allclose(res.weights, areas / areas.sum(), rtol=1e-12)
    # transitive: a_ik = a_ij a_jk for every triple
    for i in range(10):
        for j in range(10):
            np.testing.assert_allclose(a[i, :], a[i, j] * a[j, :], rtol=1e-12)
    assert AHPMatrices.from_toml_text(ahp.to_toml()) == ahp
    assert ahp.items()[0][0] == "DVD"


def ws(**weights: float) -> WeightSet:
    return WeightSet(framework="dvd-2023", name_zh="测试", name_en="test", weights=weights)


def mismatch(s: WeightSet | AHPMatrices, fw: Framework) -> list[str]:
    with pytest.raises(WeightSetError) as ei:
        s.check(fw)
    return ei.value.problems


def test_bad_weight_sets_name_every_mismatch(dvd: Framework) -> None:
    probs = mismatch(ws(A01=1.0, A99=2.0, T01=-1.0, DVD=1.0, Bogus=float("nan")), dvd)
    joined = "\n".join(probs)
    assert "'A99'" in joined
    assert "'Bogus'" in joined
    assert "unknown code" in joined
    assert "'T01': 权重 -1.0" in joined
    assert "'DVD'" in joined
    assert "root" in joined
    assert len(probs) == 4


def test_complete_set_missing_codes(dvd: Framework) -> None:
    s = WeightSet(framework="dvd-2023", name_zh="测", name_en="t", complete=True, levels=(3,),
                  weights={c: 1.0 for c in dvd.level_codes(3) if c != "A05"} | {"T01": 1.0})
    probs = mismatch(s, dvd)
    assert any("misses 1 code(s): ['A05']" in p for p in probs)
    assert any("'T01'" in p and "outside the set's levels" in p for p in probs)


def test_wrong_framework_and_all_zero_group(dvd: Framework) -> None:
    s = WeightSet(framework="pku-4d", name_zh="测", name_en="t", weights={"T04": 0.0, "T05": 0.0})
    probs = mismatch(s, dvd)
    assert any("not 'dvd-2023'" in p for p in probs)
    assert any("'A02'" in p and "weight 0" in p for p in probs)


def test_weight_set_file_errors(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('[weightset]\nframework = "dvd-2023"\n\n[weights]\nA01 = "heavy"\n',
                 encoding="utf-8")
    with pytest.raises(WeightSetError) as ei:
        WeightSet.from_toml(p)
    assert ei.value.source == str(p)
    assert any("'A01'" in x and "number" in x for x in ei.value.problems)
    p.write_text('[weightset]\nframework = "dvd-2023"\nname_zh = "x"\nname_en = "x"\n'
                 "colour = 1\n[weights]\nA01 = 1\n", encoding="utf-8")
    with pytest.raises(WeightSetError, match="colour"):
        WeightSet.from_toml(p)
    with pytest.raises(WeightSetError, match=r"missing \[weights\]"):
        WeightSet.from_toml_text('[weightset]\nframework = "x"\n')
    p.write_text("[weightset\n", encoding="utf-8")
    with pytest.raises(TomlError):
        WeightSet.from_toml(p)


AHP_HEAD = '[ahp]\nframework = "dvd-2023"\nname_zh = "测"\nname_en = "t"\n'


def ahp(codes: str, rows: str, group: str = "A02") -> str:
    return AHP_HEAD + f'\n[[matrix]]\ngroup = "{group}"\ncodes = {codes}\nmatrix = {rows}\n'


def test_ahp_fractions_and_decimals() -> None:
    a = AHPMatrices.from_toml_text(ahp('["T04", "T05"]', '[[1, "1/3"], [3, 1]]'))
    np.testing.assert_allclose(a.matrix("A02")[1], [[1, 1 / 3], [3, 1]])
    b = AHPMatrices.from_toml_text(ahp('["T04", "T05"]', "[[1, 0.333], [3, 1]]"))  # within tol.
    assert b.matrix("A02")[0] == ("T04", "T05")
    with pytest.raises(KeyError, match="A09"):
        a.matrix("A09")


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ('[[1, 2], [3, 1]]', "not reciprocal"),
        ('[[2, "1/2"], [2, 1]]', "diagonal must be 1"),
        ('[[1, 12], ["1/12", 1]]', "outside Saaty's 1/9..9 scale"),
        ('[[1, 2, 3], [0.5, 1]]', "must be 2×2"),
        ('[[1, "two"], [0.5, 1]]', "not a number or fraction"),
        ('[[1, "1/0"], [0.5, 1]]', "zero denominator"),
        ('[[1, true], [1, 1]]', "not a number"),
    ],
)
def test_ahp_matrix_errors(rows: str, needle: str) -> None:
    with pytest.raises(WeightSetError) as ei:
        AHPMatrices.from_toml_text(ahp('["T04", "T05"]', rows))
    assert any(needle in p for p in ei.value.problems), ei.value.problems


def test_ahp_children_must_match(dvd: Framework) -> None:
    a = AHPMatrices.from_toml_text(ahp('["T04", "T06"]', '[[1, 2], ["1/2", 1]]'))
    probs = mismatch(a, dvd)
    assert any("not children: ['T06']" in p for p in probs)
    assert any("missing from the matrix: ['T05']" in p for p in probs)
    b = AHPMatrices.from_toml_text(ahp('["x", "y"]', '[[1, 2], ["1/2", 1]]', group="ZZ"))
    assert any("'ZZ'" in p and "unknown group" in p for p in mismatch(b, dvd))
    c = AHPMatrices.from_toml_text(ahp('["x"]', "[[1]]", group="T01_5g_village_coverage"))
    assert any("not a group" in p for p in mismatch(c, dvd))
    d = AHPMatrices(framework="pku-4d", name_zh="测", name_en="t", matrices=a.matrices)
    assert any("not 'dvd-2023'" in p for p in mismatch(d, dvd))


def test_ahp_duplicates_reported_together() -> None:
    text = ahp('["T04", "T04"]', '[[1, 2], ["1/2", 1]]') + (
        '\n[[matrix]]\ngroup = "A02"\ncodes = ["T04", "T05"]\nmatrix = [[1, 2], [2, 1]]\n')
    with pytest.raises(WeightSetError) as ei:
        AHPMatrices.from_toml_text(text)
    probs = ei.value.problems
    assert any("duplicate codes ['T04']" in p for p in probs)
    assert any("more than one matrix" in p for p in probs)
    assert any("not reciprocal" in p for p in probs)
    with pytest.raises(WeightSetError, match=r"missing \[\[matrix\]\]"):
        AHPMatrices.from_toml_text(AHP_HEAD)
