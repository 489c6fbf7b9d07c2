"""Tests of the weighting kernels (methods/weights.py).

References: pymcdm 1.4 (entropy, CRITIC, SD weights), ahpy 2.1 (AHP
priorities and CR), Saaty (1990) EJOR house example, OECD/JRC Handbook
(2008) Table 16 (factor retention), hand-worked cases; hypothesis
properties.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W

DATA = Path(__file__).resolve().parents[1] / "data" / "asem"


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _positive(n: int = 12, m: int = 5, seed: int = 0) -> np.ndarray:
    return _rng(seed).uniform(1.0, 10.0, (n, m))


# --------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------


def test_naming_rule_kernels_end_in_weights() -> None:
    # the kernel of weights method <name> is <name>_weights, exported by the package
    for info in W.REGISTRY:
        assert info.func.__name__ == f"{info.name}_weights", info.name
        assert getattr(W, f"{info.name}_weights") is info.func
    # results with diagnostics carry no _weights suffix; _weights names return arrays
    for name in W.__all__:
        obj = getattr(W, name)
        if callable(obj) and name.endswith("_weights") and not isinstance(obj, type):
            assert "Result" not in str(obj.__annotations__.get("return", "")), name


def test_bod_is_not_a_weights_method() -> None:
    assert "bod" not in W.REGISTRY
    with pytest.raises(MethodError, match="unknown weights method 'bod'"):
        W.REGISTRY.get("bod")


OLD_NAMES = {
    "equal": "equal_weights",
    "explicit": "explicit_weights",
    "entropy": "entropy_weights",
    "critic": "critic_weights",
    "coefficient_of_variation": "cv_weights",
    "standard_deviation": "sd_weights",
    "pca_oecd": "pca_oecd_weights",
    "pca_coinr": "pca_coinr_weights",
    "combined": "combined_weights",
    "optimised": "optimised_weights",
    "factor_analysis_weights": "factor_analysis",
}


@pytest.mark.parametrize(("old", "new"), sorted(OLD_NAMES.items()))
def test_deprecated_aliases_warn_and_resolve(old: str, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=f"use xiangcun_eval.methods.weights.{new}"):
        obj = getattr(W, old)
    assert obj is getattr(W, new)
    assert old not in W.__all__ and new in W.__all__
    with pytest.warns(DeprecationWarning):
        exec(f"from xiangcun_eval.methods.weights import {old}", {})


def test_unknown_attribute_still_raises() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        W.nope  # noqa: B018


def test_registry_names_labels_params() -> None:
    expected = {
        "equal", "explicit", "entropy", "critic", "cv", "sd", "ahp", "pca_oecd",
        "pca_coinr", "combined", "optimised",
    }  # fmt: skip
    assert set(W.REGISTRY.names()) == expected
    for info in W.REGISTRY:
        assert info.label_zh and info.label_en and "/" in info.label
    assert W.REGISTRY.get("entropy").label_zh == "熵权法"
    assert "direction" in W.REGISTRY.get("entropy").needs
    p = W.REGISTRY.validate("entropy", {"convention": "shifted_minmax"})
    assert p.model_dump() == {"convention": "shifted_minmax", "shift": 1e-4}
    with pytest.raises(MethodError):
        W.REGISTRY.validate("entropy", {"convention": "nope"})
    with pytest.raises(MethodError):
        W.REGISTRY.validate("critic", {"unknown": 1})


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("equal", {}),
        ("explicit", {"weights": (1, 2, 3, 4, 5)}),
        ("entropy", {}),
        ("entropy", {"convention": "bounded_minmax"}),
        ("critic", {}),
        ("cv", {}),
        ("sd", {"normalise": False}),
        ("pca_oecd", {}),
        ("pca_coinr", {"normalise": True}),
        ("optimised", {"maxiter": 50}),
        (
            "combined",
            {"subjective": {"name": "explicit", "params": {"weights": (1, 1, 1, 1, 2)}},
             "objective": {"name": "entropy"}, "rule": "multiplicative"},
        ),
    ],
)  # fmt: skip
def test_registered_kernels_sum_to_one(name: str, params: dict[str, object]) -> None:
    x = _rng(3).lognormal(0, 0.5, (20, 5)) + _rng(4).normal(0, 0.1, (20, 1))
    info = W.REGISTRY.get(name)
    p = W.REGISTRY.validate(name, params).model_dump()
    w = info.func(x, **p)
    assert w.shape == (5,)
    assert np.all(w >= 0) or name == "pca_coinr"
    assert w.sum() == pytest.approx(1.0)


def test_replicate_kernels_match_per_slice() -> None:
    stack = np.stack([_positive(9, 4, s) for s in range(3)])
    for info in W.REGISTRY:
        if not info.replicates:
            continue
        kw: dict[str, object] = {"weights": (1, 2, 3, 4)} if info.name == "explicit" else {}
        got = info.func(stack, **kw)
        assert got.shape == (3, 4), info.name
        for r in range(3):
            assert np.allclose(got[r], info.func(stack[r], **kw)), info.name


# --------------------------------------------------------------------------
# equal / explicit
# --------------------------------------------------------------------------


def test_equal_and_replicates() -> None:
    assert np.allclose(W.equal_weights(np.zeros((3, 4))), 0.25)
    assert W.equal_weights(np.zeros((2, 7, 3, 4))).shape == (2, 7, 4)


def test_explicit_array_mapping_and_errors() -> None:
    x = np.ones((3, 3))
    assert np.allclose(W.explicit_weights(x, weights=[1, 1, 2]), [0.25, 0.25, 0.5])
    w = W.explicit_weights(x, weights={"b": 2.0, "a": 1.0, "c": 1.0}, codes=["a", "b", "c"])
    assert np.allclose(w, [0.25, 0.5, 0.25])
    with pytest.raises(MethodError, match="missing"):
        W.explicit_weights(x, weights={"a": 1.0, "b": 1.0}, codes=["a", "b", "c"])
    with pytest.raises(MethodError, match="codes"):
        W.explicit_weights(x, weights={"a": 1.0})
    with pytest.raises(MethodError, match="non-negative"):
        W.explicit_weights(x, weights=[1, -1, 1])
    with pytest.raises(MethodError, match="3 columns"):
        W.explicit_weights(x, weights=[1, 1])
    with pytest.raises(MethodError, match="sum to zero"):
        W.explicit_weights(x, weights=[0, 0, 0])


# --------------------------------------------------------------------------
# entropy
# --------------------------------------------------------------------------


def test_entropy_raw_matches_pymcdm() -> None:
    pw = pytest.importorskip("pymcdm.weights")
    for seed in range(5):
        x = _positive(15, 6, seed)
        assert np.allclose(W.entropy_weights(x), pw.entropy_weights(x), rtol=1e-12, atol=1e-14)


def test_entropy_shifted_matches_pymcdm_on_shifted_data() -> None:
    """shifted_minmax = pymcdm's entropy (sum normalisation) applied to z + 0.0001."""
    pw = pytest.importorskip("pymcdm.weights")
    x = _positive(10, 4, 7)
    d = np.array([1, -1, 1, -1])
    lo, hi = x.min(0), x.max(0)
    z = np.where(d > 0, (x - lo) / (hi - lo), (hi - x) / (hi - lo)) + 1e-4
    got = W.entropy_weights(x, convention="shifted_minmax", direction=d)
    assert np.allclose(got, pw.entropy_weights(z), rtol=1e-12)
    zb = 1e-4 + 0.9998 * (z - 1e-4)
    got_b = W.entropy_weights(x, convention="bounded_minmax", direction=d)
    assert np.allclose(got_b, pw.entropy_weights(zb), rtol=1e-12)


def test_entropy_hand_example_binary_entropy() -> None:
    # two units: column shares (1/4, 3/4), (1/2, 1/2), (0, 1)
    x = np.array([[1.0, 2.0, 0.0], [3.0, 2.0, 5.0]])
    h = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    d = np.array([1 - h, 0.0, 1.0])  # 0·ln0 = 0 -> e = 0 for (0, 1)
    assert np.allclose(W.entropy_weights(x), d / d.sum(), rtol=1e-12)


def test_entropy_near_constant_column_conventions_differ() -> None:
    """indicator-systems note §5: a near-constant column gets ~0 weight on raw
    data and a large weight after min-max stretching."""
    rng = _rng(1)
    x = np.column_stack(
        [rng.lognormal(0, 1, 10) for _ in range(4)] + [1000 + rng.uniform(0, 0.01, 10)]
    )
    raw = W.entropy_weights(x)
    shifted = W.entropy_weights(x, convention="shifted_minmax")
    assert raw[4] < 1e-9
    assert shifted[4] > 0.09  # 9.8 % here; other data give 15 % or more
    bounded = W.entropy_weights(x, convention="bounded_minmax")
    assert bounded[4] == pytest.approx(shifted[4], rel=1e-6)


def test_entropy_direction_and_constant_columns() -> None:
    x = _positive(8, 3, 2)
    # a cost column behaves like the negated benefit column
    a = W.entropy_weights(x, convention="shifted_minmax", direction=[1, -1, 1])
    b = W.entropy_weights(x * [1, -1, 1], convention="shifted_minmax")
    assert np.allclose(a, b)
    xc = x.copy()
    xc[:, 1] = 4.0
    for conv in ("raw", "shifted_minmax", "bounded_minmax"):
        w = W.entropy_weights(xc, convention=conv)  # type: ignore[arg-type, unused-ignore]
        assert w[1] == 0.0 and w.sum() == pytest.approx(1.0)
    with pytest.raises(MethodError, match="sum to zero"):
        W.entropy_weights(np.full((4, 2), 3.0))


def test_entropy_missing_values_columnwise_and_replicates() -> None:
    x = _positive(9, 3, 5)
    xm = x.copy()
    xm[0, 0] = np.nan
    xm[4, 2] = np.nan
    got = W.entropy_weights(xm)
    # each column on its own available values: compare column by column
    e = []
    for j in range(3):
        c = xm[~np.isnan(xm[:, j]), j]
        p = c / c.sum()
        e.append(1 + (p * np.log(p)).sum() / math.log(c.size))
    assert np.allclose(got, np.array(e) / sum(e))
    stack = np.stack([x, 2 * x[::-1], x**2])
    reps = W.entropy_weights(stack, convention="shifted_minmax")
    for r in range(3):
        assert np.allclose(reps[r], W.entropy_weights(stack[r], convention="shifted_minmax"))


def test_entropy_errors() -> None:
    with pytest.raises(MethodError, match="non-negative"):
        W.entropy_weights(np.array([[1.0, -1.0], [2.0, 3.0]]))
    with pytest.raises(MethodError, match="fewer than 2"):
        W.entropy_weights(np.array([[1.0, np.nan], [2.0, np.nan], [3.0, 1.0]]))
    with pytest.raises(MethodError, match="direction"):
        W.entropy_weights(_positive(4, 2), convention="shifted_minmax", direction=[1, 0])
    with pytest.raises(MethodError, match="inf"):
        W.entropy_weights(np.array([[1.0, np.inf], [2.0, 3.0]]))


# --------------------------------------------------------------------------
# CRITIC, CV, SD
# --------------------------------------------------------------------------


def test_critic_matches_pymcdm() -> None:
    pw = pytest.importorskip("pymcdm.weights")
    for seed in range(5):
        x = _positive(15, 5, seed)
        assert np.allclose(W.critic_weights(x), pw.critic_weights(x), rtol=1e-12)
        # pymcdm min-max normalises every column as benefit = reverse_cost=False
        d = np.array([1, -1, 1, -1, 1])
        assert np.allclose(
            W.critic_weights(x, direction=d, reverse_cost=False), pw.critic_weights(x), rtol=1e-12
        )
        # reversing = pymcdm on the negated cost columns
        assert np.allclose(W.critic_weights(x, direction=d), pw.critic_weights(x * d), rtol=1e-12)


def test_critic_reverse_cost_matters_and_ddof_does_not() -> None:
    x = _positive(15, 4, 11)
    d = np.array([1, -1, 1, 1])
    assert not np.allclose(
        W.critic_weights(x, direction=d), W.critic_weights(x, direction=d, reverse_cost=False)
    )
    assert np.allclose(W.critic_weights(x, ddof=0), W.critic_weights(x, ddof=1))


def test_critic_constant_and_complete_cases() -> None:
    x = _positive(10, 3, 1)
    x[:, 2] = 5.0
    with pytest.raises(MethodError, match="constant"):
        W.critic_weights(x)
    w = W.critic_weights(x, constant="zero")
    assert w[2] == 0.0
    assert np.allclose(w[:2], W.critic_weights(x[:, :2]))
    with pytest.raises(MethodError, match="perfectly"):
        W.critic_weights(np.column_stack([np.arange(5.0), 2 * np.arange(5.0) + 1]))
    xm = _positive(10, 3, 2)
    xm[3, 1] = np.nan
    assert np.allclose(W.critic_weights(xm), W.critic_weights(np.delete(xm, 3, axis=0)))


def test_cv_hand_and_errors() -> None:
    x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]])
    cv = np.array([2.0 / 3.0, np.std([10, 10, 40], ddof=1) / 20.0])
    assert np.allclose(W.cv_weights(x), cv / cv.sum())
    with pytest.raises(MethodError, match="mean"):
        W.cv_weights(np.array([[-1.0, 1.0], [1.0, 2.0]]))


def test_sd_matches_pymcdm() -> None:
    pw = pytest.importorskip("pymcdm.weights")
    x = _positive(12, 4, 9)
    assert np.allclose(W.sd_weights(x, normalise=False), pw.standard_deviation_weights(x))
    z = (x - x.min(0)) / (x.max(0) - x.min(0))
    assert np.allclose(W.sd_weights(x), pw.standard_deviation_weights(z))


# --------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------

# Saaty (1990) EJOR 48:9-26, "choosing a house": 8 criteria.
SAATY_HOUSE = np.array(
    [
        [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
        [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
        [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
        [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
        [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
        [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
        [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
        [4, 7, 5, 8, 6, 6, 2, 1],
    ]
)


def test_ahp_saaty_house_example() -> None:
    r = W.ahp(SAATY_HOUSE, allow_inconsistent=True)
    assert np.allclose(
        np.round(r.weights, 3), [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    )
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.ri == 1.41 and not r.consistent
    with pytest.raises(MethodError, match="CR"):
        W.ahp(SAATY_HOUSE)


@pytest.mark.parametrize(("table", "ahpy_ri"), [("saaty2005", "saaty"), ("donegan_dodd", "dd")])
def test_ahp_matches_ahpy(table: str, ahpy_ri: str) -> None:
    ahpy = pytest.importorskip("ahpy")
    a = np.array([[1, 3, 5, 4], [1 / 3, 1, 2, 3], [1 / 5, 1 / 2, 1, 1], [1 / 4, 1 / 3, 1, 1]])
    names = "abcd"
    comp = {(names[i], names[j]): a[i, j] for i in range(4) for j in range(i + 1, 4)}
    ref = ahpy.Compare("g", comp, precision=10, random_index=ahpy_ri)
    r = W.ahp(a, ri_table=table)  # type: ignore[arg-type]
    assert np.allclose(r.weights, [ref.local_weights[k] for k in names], atol=1e-9)
    assert r.cr == pytest.approx(ref.consistency_ratio, abs=1e-9)


def test_ahp_tables_consistent_matrix_and_validation() -> None:
    assert W.RANDOM_INDEX["saaty"][:10] == (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
    assert W.RANDOM_INDEX["xu"][2:6] == (0.52, 0.89, 1.12, 1.26)
    assert all(len(t) == 15 for t in W.RANDOM_INDEX.values())
    v = np.array([0.5, 0.3, 0.2])
    a = v[:, None] / v[None, :]
    r = W.ahp(a)
    assert np.allclose(r.weights, v) and r.cr == pytest.approx(0, abs=1e-12)
    assert W.ahp(np.array([[1, 3], [1 / 3, 1]])).cr == 0.0
    assert np.allclose(W.ahp_weights(np.zeros((5, 3)), matrix=a), v)
    # 0.333 for 1/3 is accepted as reciprocal
    W.ahp(np.array([[1, 3, 1], [0.333, 1, 0.333], [1, 3, 1]]))
    with pytest.raises(MethodError, match="reciprocal"):
        W.ahp(np.array([[1, 3], [0.5, 1]]))
    with pytest.raises(MethodError, match="square"):
        W.ahp(np.ones((2, 3)))
    with pytest.raises(MethodError, match="diagonal"):
        W.ahp(np.array([[2, 1], [1, 1]]))
    with pytest.raises(MethodError, match="positive"):
        W.ahp(np.array([[1, -1], [-1, 1]]))
    with pytest.raises(MethodError, match="15"):
        W.ahp(np.ones((16, 16)))
    with pytest.raises(MethodError, match="does not match"):
        W.ahp_weights(np.zeros((5, 4)), matrix=a)
    with pytest.raises(MethodError, match="matrix"):
        W.ahp_weights(np.zeros((5, 3)))
    # settings without a matrix validate (the pipeline reads matrices from files)
    W.REGISTRY.validate("ahp", {"ri_table": "xu", "allow_inconsistent": True})


# --------------------------------------------------------------------------
# PCA / factor analysis
# --------------------------------------------------------------------------


def test_retain_factors_handbook_table16() -> None:
    # OECD/JRC (2008) Table 16, TAI: variance shares 41.9, 21.8, 12.3, 11.1, 6.0, ...
    share = np.array([41.9, 21.8, 12.3, 11.1, 6.0, 3.7, 2.2, 0.9]) / 100
    ev = share * 8
    assert W.retain_factors(ev) == 4  # the Handbook retains four factors
    assert W.retain_factors(ev, min_eigenvalue=1.0) == 2  # Kaiser: 63.7 % >= 60 %
    assert W.retain_factors(ev, min_variance_share=0.5, min_cumulative=0.7) == 3


def test_varimax_properties() -> None:
    rng = _rng(5)
    lo = rng.normal(0, 0.6, (8, 3))
    rot, t = W.varimax(lo)
    assert np.allclose(t.T @ t, np.eye(3), atol=1e-10)
    assert np.allclose((rot**2).sum(1), (lo**2).sum(1))  # communalities kept

    def crit(a: np.ndarray) -> float:
        h = np.sqrt((a**2).sum(1))[:, None]
        b = (a / h) ** 2
        return float(((b - b.mean(0)) ** 2).sum())

    assert crit(rot) >= crit(lo) - 1e-12
    # an already simple structure is left (up to sign / order) unchanged
    simple = np.array([[0.9, 0], [0.8, 0], [0, 0.7], [0, 0.6]])
    r2, _ = W.varimax(simple)
    assert np.allclose(np.sort(np.abs(r2), axis=None), np.sort(np.abs(simple), axis=None))


def test_varimax_two_factors_matches_kaiser_closed_form() -> None:
    """For two factors the varimax angle has Kaiser's (1958) closed form
    tan 4φ = (D − 2AB/p) / (C − (A² − B²)/p) on the row-normalised loadings."""
    lo = _rng(5).normal(0, 0.6, (8, 2))
    h = np.sqrt((lo**2).sum(1))
    ln = lo / h[:, None]
    u, v = ln[:, 0] ** 2 - ln[:, 1] ** 2, 2 * ln[:, 0] * ln[:, 1]
    p = lo.shape[0]
    a, b, c, d = u.sum(), v.sum(), (u**2 - v**2).sum(), 2 * (u * v).sum()
    phi = np.arctan2(d - 2 * a * b / p, c - (a**2 - b**2) / p) / 4
    rot = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    ref = (ln @ rot) * h[:, None]
    got, _ = W.varimax(lo, eps=1e-14)
    # equal up to the order and signs of the factors
    ok = any(np.allclose(np.abs(got[:, perm]), np.abs(ref), atol=1e-8) for perm in ([0, 1], [1, 0]))
    assert ok
    default, _ = W.varimax(lo)  # R's default eps = 1e-5
    assert np.allclose(np.abs(default), np.abs(ref), atol=1e-3)


def _two_factor_data(n: int = 200, seed: int = 0) -> np.ndarray:
    rng = _rng(seed)
    f = rng.normal(size=(n, 2))
    load = np.array([[0.9, 0], [0.8, 0], [0.7, 0.1], [0, 0.9], [0.1, 0.8], [0, 0.6]])
    out: np.ndarray = f @ load.T + rng.normal(0, 0.4, (n, 6))
    return out


def test_factor_analysis_weights_recovers_structure() -> None:
    x = _two_factor_data()
    r = W.factor_analysis(x)
    assert r.n_factors == 2
    assert len(set(r.factor_of[:3].tolist())) == 1 and len(set(r.factor_of[3:].tolist())) == 1
    assert r.factor_of[0] != r.factor_of[3]
    assert np.allclose(r.scaled_squared_loadings.sum(0), 1.0)
    assert r.factor_weights.sum() == pytest.approx(1.0)
    # hand recomputation of step 6 from the returned loadings
    sq = r.rotated_loadings**2
    phi = sq.sum(0) / sq.sum()
    w = np.array([phi[k] * sq[j, k] / sq[:, k].sum() for j, k in enumerate(r.factor_of)])
    assert np.allclose(r.weights, w / w.sum())
    sc = W.factor_analysis(x, assign_by="scaled")
    assert np.array_equal(sc.factor_of, np.argmax(sc.scaled_squared_loadings, axis=1))
    # invariant to rescaling / shifting columns and to unit order
    y = x * [1, 10, 0.1, 5, 2, 3] + 7
    assert np.allclose(W.pca_oecd_weights(y), r.weights)
    assert np.allclose(W.pca_oecd_weights(x[::-1]), r.weights)


def test_factor_analysis_one_factor_is_squared_pc1() -> None:
    rng = _rng(2)
    f = rng.normal(size=(100, 1))
    x = f @ np.array([[0.9, 0.8, 0.7]]) + rng.normal(0, 0.3, (100, 3))
    r = W.factor_analysis(x)
    assert r.n_factors == 1
    v = W.pca_coinr_weights(x)
    assert np.allclose(r.weights, v**2 / (v**2).sum())


def test_pca_coinr_pc1_loadings() -> None:
    x = _two_factor_data(seed=3)
    v = W.pca_coinr_weights(x)
    _, vec = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    pc1 = vec[:, -1]
    assert np.allclose(np.abs(v), np.abs(pc1))
    assert np.linalg.norm(v) == pytest.approx(1.0) and v.sum() > 0
    raw = W.pca_coinr_weights(x, sign="as_computed")
    assert np.allclose(np.abs(raw), np.abs(v))
    xm = x.copy()
    xm[0, 2] = np.nan
    assert np.allclose(W.pca_coinr_weights(xm), W.pca_coinr_weights(x[1:]))
    assert W.pca_coinr_weights(x, normalise=True).sum() == pytest.approx(1.0)


def test_pca_errors() -> None:
    x = _positive(10, 3)
    x[:, 1] = 2.0
    with pytest.raises(MethodError, match="constant"):
        W.pca_oecd_weights(x)
    with pytest.raises(MethodError, match="complete cases"):
        W.pca_coinr_weights(np.array([[1.0, np.nan], [2.0, 1.0], [np.nan, 3.0], [4.0, 4.0]]))


# --------------------------------------------------------------------------
# benefit of the doubt
# --------------------------------------------------------------------------


def test_bod_frontier_and_hand_example() -> None:
    x = np.array([[1.0, 0.2], [0.2, 1.0], [0.5, 0.5], [0.4, 0.4]])
    r = W.benefit_of_doubt(x)
    # unit 2: max .5(w1 + w2) s.t. w1 + .2w2 <= 1, .2w1 + w2 <= 1 -> w1 = w2 = 5/6
    assert np.allclose(r.scores, [1.0, 1.0, 5 / 6, 2 / 3])
    assert np.allclose((r.weights * x).sum(1), r.scores)
    assert r.weights.shape == (4, 2) and np.all(r.weights >= -1e-12)
    # every unit that is best on some indicator scores 1
    y = _rng(4).uniform(0, 1, (15, 4))
    s = W.benefit_of_doubt(y).scores
    assert np.allclose(s[np.unique(np.argmax(y, axis=0))], 1.0)
    assert np.all((s >= 0) & (s <= 1))


def test_bod_pie_share_constraint_hand_example() -> None:
    # unit 0 with shares >= 0.3: S = 1 / (0.2 + 4.8·0.3) (see docs/methods-weights.md)
    x = np.array([[1.0, 0.2], [0.2, 1.0], [0.5, 0.5]])
    r = W.benefit_of_doubt(x, lower_share=0.3)
    assert r.scores[0] == pytest.approx(1 / 1.64, rel=1e-8)
    share = r.weights[0] * x[0] / r.scores[0]
    assert share.min() >= 0.3 - 1e-9


def test_bod_scale_invariance_and_errors() -> None:
    y = _rng(6).uniform(0.1, 1, (12, 3))
    s = W.benefit_of_doubt(y, lower_share=0.1, upper_share=0.6).scores
    s2 = W.benefit_of_doubt(y * [10, 0.01, 3], lower_share=0.1, upper_share=0.6).scores
    assert np.allclose(s, s2, atol=1e-8)
    assert W.bod_weights(y).shape == (12, 3)
    with pytest.raises(MethodError, match="missing"):
        W.benefit_of_doubt(np.array([[1.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(MethodError, match="non-negative"):
        W.benefit_of_doubt(np.array([[1.0, -1.0], [1.0, 2.0]]))
    with pytest.raises(MethodError, match="infeasible"):
        W.benefit_of_doubt(y, lower_share=0.5)


# --------------------------------------------------------------------------
# combined, optimised, effective
# --------------------------------------------------------------------------


def test_combine_weights() -> None:
    ws, wo = np.array([0.5, 0.3, 0.2]), np.array([1.0, 1.0, 2.0])
    assert np.allclose(W.combine_weights(ws, wo, alpha=0.4), 0.4 * ws + 0.6 * wo / 4)
    m = ws * wo / 4
    assert np.allclose(W.combine_weights(ws, wo, rule="multiplicative"), m / m.sum())
    with pytest.raises(MethodError, match="length"):
        W.combine_weights(ws, wo[:2])
    with pytest.raises(MethodError, match="alpha"):
        W.combine_weights(ws, wo, alpha=2)
    x = _positive(10, 3)
    a = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    got = W.combined_weights(
        x,
        subjective={"name": "ahp", "params": {"matrix": a.tolist()}},
        objective={"name": "entropy", "params": {"convention": "shifted_minmax"}},
        direction=[1, -1, 1],
    )
    ref = 0.5 * W.ahp(a).weights + 0.5 * W.entropy_weights(
        x, convention="shifted_minmax", direction=[1, -1, 1]
    )
    assert np.allclose(got, ref)
    with pytest.raises(MethodError, match="cannot be a component"):
        W.combined_weights(x, subjective={"name": "bod"}, objective={"name": "equal"})


def test_optimise_balance_improves_balance() -> None:
    rng = _rng(8)
    f = rng.normal(size=(60, 1))
    c = np.column_stack(
        [f[:, 0] + rng.normal(0, s, 60) for s in (0.2, 0.6, 1.5)] + [rng.normal(size=60)]
    )
    start = W.optimise_balance(c, maxiter=1)
    res = W.optimise_balance(c, reltol=1e-6, maxiter=2000)
    assert res.weights.sum() == pytest.approx(1.0) and np.all(res.weights >= 0)
    assert res.objective < start.objective
    cr_n = res.correlations / res.correlations.sum()
    assert np.abs(cr_n - 0.25).max() < 0.05
    assert res.n_eval <= 2000  # log(mse) keeps falling: tight reltol hits maxiter
    # COINr defaults (reltol 0.1, maxiter 500) converge quickly here
    d = W.optimise_balance(c)
    assert d.converged and d.n_eval <= 500 and isinstance(d.message, str)
    info = W.optimise_balance(c, optype="infomax", reltol=1e-6, maxiter=2000)
    eq = W.optimise_balance(c, optype="infomax", maxiter=1)
    assert info.correlations.sum() >= eq.correlations.sum() - 1e-12
    sp = W.optimise_balance(c, cortype="spearman", target=[2, 1, 1, 1])
    assert np.allclose(sp.target, [0.4, 0.2, 0.2, 0.2])
    g = W.optimise_balance(
        np.abs(c) + 1, aggregate=lambda x, w: np.exp(np.log(x) @ w / w.sum()), maxiter=100
    )
    assert g.weights.sum() == pytest.approx(1.0)


def test_effective_weights_hand_tree() -> None:
    w0 = np.array([1.0, 1.0, 2.0, 1.0])  # indicators
    p0 = np.array([0, 0, 0, 1])  # -> 2 pillars
    w1 = np.array([1.0, 3.0])
    p1 = np.array([0, 0])  # -> index
    e0, e1, e2 = W.effective_weights([w0, w1, [1.0]], [p0, p1])
    assert np.allclose(e2, [1.0])
    assert np.allclose(e1, [0.25, 0.75])
    assert np.allclose(e0, [0.0625, 0.0625, 0.125, 0.75])
    with pytest.raises(MethodError, match="without children"):
        W.effective_weights([w0, [1.0, 1.0, 1.0]], [p0])
    with pytest.raises(MethodError, match="out of range"):
        W.effective_weights([w0, w1], [np.array([0, 0, 0, 2])])
    with pytest.raises(MethodError, match="weight 0"):
        W.effective_weights([[0.0, 0.0, 0.0, 1.0], w1], [p0])


def test_effective_weights_asem() -> None:
    pd = pytest.importorskip("pandas")
    meta = pd.read_csv(DATA / "iMeta.csv")
    meta = meta[meta["Type"].isin(["Indicator", "Aggregate"])]
    levels = sorted(meta["Level"].unique())
    nodes = [meta[meta["Level"] == lev].reset_index(drop=True) for lev in levels]
    weights = [n["Weight"].to_numpy(float) for n in nodes]
    memb = []
    for lev in range(len(nodes) - 1):
        pos = {c: i for i, c in enumerate(nodes[lev + 1]["iCode"])}
        memb.append(np.array([pos[p] for p in nodes[lev]["Parent"]], dtype=np.intp))
    eff = W.effective_weights(weights, memb)
    for e in eff:
        assert e.sum() == pytest.approx(1.0)
    # an indicator's effective weight = product of its normalised weights
    i = 0
    par = memb[0][i]
    siblings = weights[0][memb[0] == par]
    expected = weights[0][i] / siblings.sum() * eff[1][par]
    assert eff[0][i] == pytest.approx(expected)


# --------------------------------------------------------------------------
# hypothesis properties
# --------------------------------------------------------------------------

_data = st.integers(3, 10).flatmap(
    lambda n: st.integers(2, 5).flatmap(
        lambda m: hnp.arrays(
            np.float64,
            (n, m),
            elements=st.floats(0.1, 100.0, allow_nan=False, allow_subnormal=False),
        )
    )
)


def _nonconstant(x: np.ndarray) -> bool:
    if not np.all(x.max(0) - x.min(0) > 1e-6 * x.max(0)):
        return False
    r = np.corrcoef(x, rowvar=False)
    return bool(np.all(np.abs(r[~np.eye(x.shape[1], dtype=bool)]) < 0.999))


@settings(max_examples=40, deadline=None)
@given(_data, st.sampled_from(["entropy", "entropy_s", "critic", "cv", "sd"]))
def test_property_nonnegative_sum_one(x: np.ndarray, method: str) -> None:
    assume(_nonconstant(x))
    f: Callable[[np.ndarray], np.ndarray] = {
        "entropy": lambda a: W.entropy_weights(a),
        "entropy_s": lambda a: W.entropy_weights(a, convention="shifted_minmax"),
        "critic": lambda a: W.critic_weights(a, constant="zero"),
        "cv": W.cv_weights,
        "sd": W.sd_weights,
    }[method]
    w = f(x)
    assert np.all(w >= 0) and w.sum() == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(_data, st.integers(0, 2**32 - 1))
def test_property_entropy_critic_unit_order_invariant(x: np.ndarray, seed: int) -> None:
    assume(_nonconstant(x))
    perm = np.random.default_rng(seed).permutation(x.shape[0])
    assert np.allclose(W.entropy_weights(x[perm]), W.entropy_weights(x))
    assert np.allclose(
        W.entropy_weights(x[perm], convention="shifted_minmax"),
        W.entropy_weights(x, convention="shifted_minmax"),
    )
    assert np.allclose(
        W.critic_weights(x[perm], constant="zero"), W.critic_weights(x, constant="zero")
    )


@settings(max_examples=40, deadline=None)
@given(_data, st.floats(0.01, 1000.0))
def test_property_cv_scale_invariant(x: np.ndarray, c: float) -> None:
    assume(_nonconstant(x))
    y = x.copy()
    y[:, 0] *= c
    assert np.allclose(W.cv_weights(y), W.cv_weights(x))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data())
def test_property_effective_weights_sum_to_one(sizes: list[int], data: st.DataObject) -> None:
    # build a random tree bottom-up: level l has sum(children counts) nodes
    counts = [1]
    for s in sizes:
        counts.append(s * counts[-1])
    counts = counts[::-1]  # counts[0] = indicators, counts[-1] = 1 (index)
    memb = []
    for lev in range(len(counts) - 1):
        n_par = counts[lev + 1]
        k = counts[lev] // n_par
        memb.append(np.repeat(np.arange(n_par), k).astype(np.intp))
    wts = [
        np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=c, max_size=c))) for c in counts
    ]
    for e in W.effective_weights(wts, memb):
        assert e.sum() == pytest.approx(1.0) and np.all(e >= 0)
