"""Tests of methods/impute.py."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import impute

ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"
nan = np.nan

X = np.array(
    [
        [1.0, 10.0, nan],
        [nan, 20.0, 5.0],
        [3.0, nan, 7.0],
        [4.0, 40.0, nan],
        [nan, 50.0, 9.0],
    ]
)
G = np.array([0, 0, 1, 1, -1], dtype=np.intp)


def _ro(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.setflags(write=False)
    return a


def test_none_copies() -> None:
    out = impute.impute_none(X)
    np.testing.assert_array_equal(out, X)
    assert out is not X


def test_mean_and_median_hand() -> None:
    m = impute.impute_mean(_ro(X))
    np.testing.assert_allclose(m[:, 0], [1, 8 / 3, 3, 4, 8 / 3])
    np.testing.assert_allclose(m[:, 1], [10, 20, 30, 40, 50])
    np.testing.assert_allclose(m[:, 2], [7, 5, 7, 7, 9])
    md = impute.impute_median(_ro(X))
    np.testing.assert_allclose(md[:, 0], [1, 3, 3, 4, 3])
    np.testing.assert_allclose(md[:, 1], [10, 20, 30, 40, 50])  # median of 10,20,40,50 = 30
    x = np.c_[X[:, 0], np.full(5, nan)]
    assert np.isnan(impute.impute_mean(x)[:, 1]).all()  # nothing to impute from


def test_group_mean_and_median_hand() -> None:
    out = impute.impute_group_mean(_ro(X), groups=G)
    # group 0 = rows 0, 1; group 1 = rows 2, 3; row 4 has no group
    np.testing.assert_allclose(out[1, 0], 1.0)
    np.testing.assert_allclose(out[2, 1], 40.0)
    np.testing.assert_allclose(out[0, 2], 5.0)
    np.testing.assert_allclose(out[3, 2], 7.0)
    assert np.isnan(out[4, 0])  # no group -> left missing
    x2 = X.copy()
    x2[2, 1] = nan
    x2[3, 1] = nan  # group 1 has no value in column 1 -> stays missing
    assert np.isnan(impute.impute_group_mean(x2, groups=G)[2:4, 1]).all()
    y = np.array([[1.0], [2.0], [10.0], [nan], [0.0], [100.0]])
    g = np.array([0, 0, 0, 0, 1, 1], dtype=np.intp)
    assert impute.impute_group_median(y, groups=g)[3, 0] == 2.0
    assert impute.impute_group_mean(y, groups=g)[3, 0] == pytest.approx(13 / 3)


@pytest.mark.parametrize(
    "groups",
    [
        None,
        np.array([0, 0, 1], dtype=np.intp),
        np.array([0.0, 0, 1, 1, 1]),
        np.array([0, -2, 1, 1, 1]),
    ],
)
def test_group_errors(groups: object) -> None:
    with pytest.raises(MethodError):
        impute.impute_group_mean(X, groups=groups)  # type: ignore[arg-type]


def test_row_mean_raw() -> None:
    x = np.array([[1.0, 3.0, nan, 100.0], [nan, nan, 4.0, nan], [nan, nan, nan, 8.0]])
    out = impute.impute_row_mean(x, normalise_first=False)
    np.testing.assert_allclose(out[0], [1, 3, 104 / 3, 100])
    np.testing.assert_allclose(out[1], [4, 4, 4, 4])
    np.testing.assert_allclose(out[2], [8, 8, 8, 8])
    cg = np.array([0, 0, 1, 1], dtype=np.intp)
    out = impute.impute_row_mean(x, col_groups=cg, normalise_first=False)
    np.testing.assert_allclose(out[0], [1, 3, 100, 100])
    np.testing.assert_array_equal(out[2, :2], [nan, nan])  # nothing in the unit's group


def test_row_mean_normalise_first_with_direction() -> None:
    # column 0 benefit range 0..10, column 1 cost range 100..200
    x = np.array([[0.0, 200.0], [10.0, 100.0], [5.0, nan], [nan, 180.0], [2.0, 150.0]])
    d = np.array([1.0, -1.0])
    out = impute.impute_row_mean(_ro(x), direction=d)
    # unit 2: z0 = 0.5 -> cost column back-transform: 200 - 0.5*100
    assert out[2, 1] == pytest.approx(150.0)
    # unit 3: z1 = (200-180)/100 = 0.2 -> 0 + 0.2*10
    assert out[3, 0] == pytest.approx(2.0)
    # without direction the cost column would be read as benefit
    out2 = impute.impute_row_mean(x)
    assert out2[3, 0] == pytest.approx(8.0)
    np.testing.assert_array_equal(out[~np.isnan(x)], x[~np.isnan(x)])


def test_row_mean_constant_and_empty_columns() -> None:
    x = np.array([[1.0, 7.0, nan, 0.0], [nan, 7.0, nan, 1.0], [3.0, nan, nan, 0.5]])
    out = impute.impute_row_mean(x)
    assert out[2, 1] == 7.0  # constant column: its value
    assert np.isnan(out[:, 2]).all()  # no value at all: stays missing
    assert out[1, 0] == pytest.approx(3.0)  # z of unit 1 = mean(z3=1) -> 1 + 1*2



def test_row_mean_constant_column_unit_without_mean_stays_missing() -> None:
    # unit 4 has no value at all in the group, so no normalised mean: COINr's
    # back-transform x·0 + min gives NaN in the constant column 1, not 7.
    # Unit 1's only value is in the constant column (excluded from the means).
    x = np.array([[1.0, 7.0, 0.0], [nan, 7.0, nan], [3.0, nan, 0.5], [2.0, nan, nan],
                  [nan, nan, nan]])
    out = impute.impute_row_mean(x)
    assert out[2, 1] == 7.0  # unit 2 has a mean: the constant
    assert out[3, 1] == 7.0
    assert np.isnan(out[4]).all()
    assert np.isnan(out[1, 0])
    assert np.isnan(out[1, 2])
    # and over a replicate axis, the same per slice
    stacked = impute.impute_row_mean(np.stack([x, x]))
    np.testing.assert_array_equal(stacked[1], out)

def test_row_mean_errors() -> None:
    with pytest.raises(MethodError):
        impute.impute_row_mean(X, col_groups=np.array([0, 1]))
    with pytest.raises(MethodError):
        impute.impute_row_mean(X, direction=np.array([1.0, 2.0, 1.0]))


def _call(name: str, x: np.ndarray) -> np.ndarray:
    info = impute.REGISTRY.get(name)
    kw: dict[str, object] = {}
    if "groups" in info.needs:
        kw["groups"] = np.array([0, 1, 0, 1, -1, 0, 1, 1], dtype=np.intp)
    if "col_groups" in info.needs:
        kw["col_groups"] = np.array([0, 0, 1, 1], dtype=np.intp)
    if "direction" in info.needs:
        kw["direction"] = np.array([1.0, -1.0, 1.0, 1.0])
    out: np.ndarray = info.func(x, **kw)
    return out


@pytest.mark.parametrize("name", impute.REGISTRY.names())
def test_replicate_axis_equals_stacked_2d_and_keeps_observed(name: str) -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 3, 8, 4))
    x[rng.random(x.shape) < 0.25] = nan
    x = _ro(x)
    out = _call(name, x)
    assert out.shape == x.shape
    stacked = np.stack([np.stack([_call(name, x[i, j]) for j in range(3)]) for i in range(2)])
    np.testing.assert_allclose(out, stacked, rtol=0, atol=1e-13)
    impute.imputation_mask(x, out)  # raises if observed values changed


def test_registry_entries() -> None:
    assert set(impute.REGISTRY.names()) == {
        "none",
        "mean",
        "median",
        "group_mean",
        "group_median",
        "row_mean",
    }
    assert impute.REGISTRY.get("group_mean").needs == {"groups"}
    p = impute.REGISTRY.validate("row_mean", {})
    assert p.model_dump() == {"normalise_first": True}
    with pytest.raises(MethodError):
        impute.REGISTRY.validate("mean", {"x": 1})


# --------------------------------------------------------------------------- panels


def test_impute_latest() -> None:
    p = np.full((4, 2, 1), nan)
    p[0, 0, 0] = 1.0
    p[2, 0, 0] = 3.0
    p[1, 1, 0] = 5.0
    r = impute.impute_latest(_ro(p))
    np.testing.assert_array_equal(r.values[:, 0, 0], [1, 1, 3, 3])
    np.testing.assert_array_equal(r.values[:, 1, 0], [nan, 5, 5, 5])
    np.testing.assert_array_equal(r.source_year[:, 0, 0], [0, 0, 2, 2])
    np.testing.assert_array_equal(r.source_year[:, 1, 0], [-1, 1, 1, 1])
    np.testing.assert_array_equal(r.filled[:, 1, 0], [False, False, True, True])
    r1 = impute.impute_latest(p, max_gap=1)
    np.testing.assert_array_equal(r1.values[:, 1, 0], [nan, 5, 5, nan])
    np.testing.assert_array_equal(r1.source_year[:, 1, 0], [-1, 1, 1, -1])
    # gaps in calendar years: 2019, 2020, 2023, 2024
    r2 = impute.impute_latest(p, max_gap=2, years=[2019, 2020, 2023, 2024])
    np.testing.assert_array_equal(r2.values[:, 1, 0], [nan, 5, nan, nan])
    np.testing.assert_array_equal(r2.values[:, 0, 0], [1, 1, 3, 3])
    with pytest.raises(MethodError):
        impute.impute_latest(p, years=[1, 2, 2, 3])
    with pytest.raises(MethodError):
        impute.impute_latest(p[0])
    rep = impute.impute_latest(np.stack([p, p * 2]))
    np.testing.assert_array_equal(rep.values[1], r.values * 2)


# --------------------------------------------------------------------------- reporting


def test_imputation_report() -> None:
    out = impute.impute_group_mean(X, groups=G)
    rep = impute.imputation_report(X, out)
    assert rep.n_filled == 4
    assert rep.n_still_missing == 1
    np.testing.assert_array_equal(rep.filled_per_col, [1, 1, 2])
    np.testing.assert_array_equal(rep.missing_per_col, [1, 0, 0])
    np.testing.assert_array_equal(rep.filled_per_unit, [1, 1, 1, 1, 0])
    np.testing.assert_array_equal(rep.missing_per_unit, [0, 0, 0, 0, 1])
    bad = out.copy()
    bad[0, 0] = 99.0
    with pytest.raises(MethodError, match="observed"):
        impute.imputation_mask(X, bad)
    with pytest.raises(MethodError):
        impute.imputation_mask(X, out[:3])


# --------------------------------------------------------------------------- ASEM


def test_asem_group_mean_matches_coinr_semantics() -> None:
    """COINr ``i_mean_grp`` by EurAsia_group (example coin's Impute step):
    each NA gets the mean of its column over the available units of its group;
    compared with an independent pandas groupby computation."""
    with open(ASEM / "iData.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(ASEM / "iMeta.csv", newline="", encoding="utf-8") as f:
        codes = [m["iCode"] for m in csv.DictReader(f) if m["Type"] == "Indicator"]
    x = np.array([[nan if r[c] == "NA" else float(r[c]) for c in codes] for r in rows])
    grp = [r["EurAsia_group"] for r in rows]
    names = sorted(set(grp))
    g = np.array([names.index(s) for s in grp], dtype=np.intp)
    assert np.isnan(x).sum() == 63
    out = impute.impute_group_mean(x, groups=g)
    df = pd.DataFrame(x)
    expected = df.fillna(df.groupby(pd.Series(grp)).transform("mean")).to_numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-14)
    rep = impute.imputation_report(x, out)
    assert rep.n_filled == 63
    assert rep.n_still_missing == 0


def test_carry_forward_from_the_first_year_is_flagged_as_filled() -> None:
    p = np.full((3, 2, 1), nan)
    p[0, 0, 0] = 2.0  # only the first year observed: carried into years 1 and 2
    p[1, 1, 0] = 7.0
    r = impute.impute_latest(p)
    np.testing.assert_array_equal(r.values[:, 0, 0], [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(r.source_year[:, 0, 0], [0, 0, 0])
    np.testing.assert_array_equal(r.filled[:, 0, 0], [False, True, True])  # source 0 != own
    np.testing.assert_array_equal(r.filled[:, 1, 0], [False, False, True])  # still-missing: no
