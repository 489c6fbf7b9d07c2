"""Tests of methods/treat.py and the skew/kurtosis helpers of methods/_stats.py."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest
import scipy.stats as st  # type: ignore[import-untyped]

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import _stats, impute, treat

ASEM = Path(__file__).resolve().parents[1] / "data" / "asem"


# --------------------------------------------------------------------------- G1 / G2


@pytest.mark.parametrize("seed", range(5))
def test_skew_kurt_match_pandas_and_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(size=(40, 6))
    x[rng.random(x.shape) < 0.15] = np.nan
    s = _stats.nan_skew(x)[0]
    k = _stats.nan_kurt(x)[0]
    df = pd.DataFrame(x)
    np.testing.assert_allclose(s, df.skew().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(k, df.kurt().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(s, st.skew(x, axis=0, bias=False, nan_policy="omit"), rtol=1e-12)
    np.testing.assert_allclose(k, st.kurtosis(x, axis=0, bias=False, nan_policy="omit"), rtol=1e-12)


def test_skew_kurt_small_n_and_constant_are_nan() -> None:
    x = np.array([[1.0, 1.0, 5.0], [2.0, 1.0, np.nan], [4.0, 1.0, np.nan], [np.nan, 1.0, 2.0]])
    s = _stats.nan_skew(x)[0]
    k = _stats.nan_kurt(x)[0]
    assert np.isfinite(s[0])  # n = 3: skew only
    assert np.isnan(k[0])
    assert np.isnan(s[1])  # constant
    assert np.isnan(k[1])
    assert np.isnan(s[2])  # n = 2
    assert np.isnan(k[2])


def test_skew_kurt_replicate_axis() -> None:
    rng = np.random.default_rng(1)
    x = rng.gamma(1.0, size=(3, 25, 4))
    s = _stats.nan_skew(x)
    for r in range(3):
        np.testing.assert_allclose(s[r], _stats.nan_skew(x[r]), rtol=0, atol=0)


# --------------------------------------------------------------------------- check rule


def test_check_rule_needs_both_skew_and_kurtosis() -> None:
    # COINr's example vector: 1..10 plus outliers 30 and 100
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    ok, s, k = treat.check_skew_kurt(x)
    assert ok is False
    assert s >= 2
    assert k >= 3.5
    # high skew but thresholds moved: passes because kurt < kurt_thresh
    assert treat.check_skew_kurt(x, kurt_thresh=k + 1e-9)[0] is True
    assert treat.check_skew_kurt(x, skew_thresh=s + 1e-9)[0] is True
    # exactly at the thresholds fails (>=), as COINr
    assert treat.check_skew_kurt(x, skew_thresh=s, kurt_thresh=k)[0] is False
    assert treat.check_skew_kurt([1.0, 2.0, 3.0])[0] is None


# --------------------------------------------------------------------------- winsorise


def test_winsorise_coinr_example() -> None:
    # COINr ?Treat example: x <- c(1:10, 30, 100); winmax = 2
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    v, hi, lo, nwin = treat.winsorise(x, winmax=2)
    np.testing.assert_array_equal(v, np.r_[np.arange(1.0, 11.0), 30.0, 30.0])
    assert hi == (11,)
    assert lo == ()
    assert nwin == 1
    assert x[-1] == 100.0  # input untouched


def test_winsorise_tied_maxima_count_together() -> None:
    x = np.r_[np.arange(1.0, 21.0), 100.0, 100.0]
    v, hi, _, nwin = treat.winsorise(x)
    assert hi == (20, 21)
    assert nwin == 2
    np.testing.assert_array_equal(v[-2:], [20.0, 20.0])


def test_winsorise_nwin_is_last_tie_group_and_can_exceed_winmax() -> None:
    # step 1: 500 -> 60 (nwin 1); step 2: the seven 60s -> 30 (nwin 7 > winmax 2)
    x = np.r_[np.arange(1.0, 31.0), np.full(6, 60.0), 500.0]
    v, hi, _, nwin = treat.winsorise(x, winmax=2, force_win=True)
    assert nwin == 7
    assert hi == tuple(range(30, 37))
    np.testing.assert_array_equal(v[30:], np.full(7, 30.0))


def test_winsorise_low_side_for_negative_skew() -> None:
    x = -np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    v, hi, lo, nwin = treat.winsorise(x, winmax=2)
    assert hi == ()
    assert lo == (11,)
    assert nwin == 1
    assert v[11] == -30.0


def test_winsorise_ignores_nan_and_keeps_them() -> None:
    x = np.r_[np.nan, np.arange(1.0, 11.0), 30.0, np.nan, 100.0]
    v, hi, _, nwin = treat.winsorise(x, winmax=2)
    assert hi == (13,)
    assert nwin == 1
    assert np.isnan(v[0])
    assert np.isnan(v[12])


def test_winsorise_never_makes_a_column_constant() -> None:
    x = np.r_[np.zeros(30), 1.0]  # two distinct values, fails the check
    assert treat.check_skew_kurt(x)[0] is False
    v, _, _, nwin = treat.winsorise(x)
    assert nwin == 0
    assert np.array_equal(v, x)


# --------------------------------------------------------------------------- log fallback


def _needs_log() -> np.ndarray:
    # lognormal quantiles (sigma 2, n 100): G1 6.6, G2 51; after 5 winsorised
    # points still G1 2.26, G2 4.19 (fails); log_CT brings G1 to 1.75 (passes)
    n = 100
    q = np.asarray(st.norm.ppf((np.arange(n) + 0.5) / n), dtype=np.float64)
    return np.exp(2.0 * q)


def test_log_ct_applied_to_original_data() -> None:
    x = _needs_log()[:, None]
    res = treat.treat_winsorise(x)
    rec = res.records[0]
    assert rec.log_applied == "log_CT"
    assert rec.passed_before is False
    assert rec.win_iterations == 5
    assert rec.n_winsorised == 0
    assert rec.winsorised_high == ()
    lo, hi = x.min(), x.max()
    np.testing.assert_allclose(res.values[:, 0], np.log(x[:, 0] - lo + 0.01 * (hi - lo)))
    assert rec.passed_after is True
    assert "original" in rec.reason
    assert res.n_log_cols == 1
    assert res.n_winsorised_cols == 0


def test_log_kept_even_if_still_failing() -> None:
    # a tight cluster of six huge values: neither winsorising 5 nor log_CT helps
    x = np.r_[np.linspace(1.0, 2.0, 60), 10.0 ** np.linspace(2.0, 2.1, 6)][:, None]
    rec = treat.treat_winsorise(x).records[0]
    assert rec.log_applied == "log_CT"
    assert rec.passed_after is False
    assert "still fails" in rec.reason


def test_log_combine_applies_to_winsorised() -> None:
    x = _needs_log()[:, None]
    res = treat.treat_winsorise(x, combine=True)
    v, hi, _, nwin = treat.winsorise(x[:, 0])
    np.testing.assert_allclose(res.values[:, 0], treat.log_ct(v))
    assert res.records[0].winsorised_high == hi
    assert res.records[0].n_winsorised == nwin


def test_log_variants() -> None:
    x = np.array([2.0, 3.0, 5.0, 11.0, np.nan])
    np.testing.assert_allclose(treat.log_ct(x)[:4], np.log(x[:4] - 2 + 0.09))
    np.testing.assert_allclose(treat.log_ct_orig(x)[:4], np.log(x[:4] - 1))
    np.testing.assert_allclose(treat.log_ct_plus(x)[:4], np.log(x[:4] - 2 + 0.09))  # skew > 0
    y = -x
    np.testing.assert_allclose(treat.log_ct_plus(y)[:4], -np.log(-2 + 0.09 - y[:4]))
    assert np.all(np.diff(treat.log_ct_plus(y)[:4]) < 0)  # order kept (y decreasing)
    np.testing.assert_allclose(treat.boxcox(x, 0.5)[:4], ((x[:4] - 1) ** 0.5 - 1) / 0.5)
    np.testing.assert_allclose(treat.boxcox(x, 0.0)[:4], np.log(x[:4] - 1))
    assert np.isnan(treat.log_ct(x)[4])


def test_other_log_kinds_and_no_log() -> None:
    x = _needs_log()[:, None]
    r = treat.treat_winsorise(x, log="log_CT_orig")
    np.testing.assert_allclose(r.values[:, 0], np.log(x[:, 0] - x.min() + 1))
    r = treat.treat_winsorise(x, log="boxcox", boxcox_lambda=0.0)
    np.testing.assert_allclose(r.values[:, 0], np.log(x[:, 0] - x.min() + 1))
    r = treat.treat_winsorise(x, log=None)
    v, *_ = treat.winsorise(x[:, 0])
    np.testing.assert_array_equal(r.values[:, 0], v)
    assert r.records[0].passed_after is False
    assert r.records[0].log_applied is None
    with pytest.raises(MethodError):
        treat.treat_winsorise(x, log="boxcox")


def test_records_for_passing_and_uncheckable_columns() -> None:
    rng = np.random.default_rng(3)
    x = np.c_[rng.normal(size=20), np.r_[1.0, 2.0, 3.0, np.full(17, np.nan)], np.ones(20)]
    res = treat.treat_winsorise(x)
    np.testing.assert_array_equal(res.values, x)
    assert res.records[0].passed_before is True
    assert "passes" in res.records[0].reason
    assert res.records[1].passed_before is None
    assert "untreated" in res.records[1].reason
    assert res.records[2].passed_before is None


def test_treat_does_not_modify_input_and_rejects_3d() -> None:
    x = np.c_[_needs_log(), _needs_log()[::-1]]
    x.setflags(write=False)
    treat.treat_winsorise(x)
    with pytest.raises(MethodError):
        treat.treat_winsorise(np.zeros((2, 5, 3)))


def test_registry() -> None:
    assert set(treat.REGISTRY.names()) == {"none", "winsorise"}
    info = treat.REGISTRY.get("winsorise")
    assert info.replicates is False
    p = treat.REGISTRY.validate("winsorise", {"winmax": 3})
    assert p.model_dump()["winmax"] == 3
    assert p.model_dump()["log"] == "log_CT"
    with pytest.raises(MethodError):
        treat.REGISTRY.validate("winsorise", {"log": "boxcox"})
    with pytest.raises(MethodError):
        treat.REGISTRY.validate("winsorise", {"bogus": 1})
    r = treat.REGISTRY.get("none").func(np.ones((4, 2)))
    assert isinstance(r, treat.TreatResult)


# --------------------------------------------------------------------------- ASEM


def _asem_denominated_imputed() -> tuple[list[str], np.ndarray]:
    with open(ASEM / "iData.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(ASEM / "iMeta.csv", newline="", encoding="utf-8") as f:
        meta = [m for m in csv.DictReader(f) if m["Type"] == "Indicator"]
    codes = [m["iCode"] for m in meta]

    def num(s: str) -> float:
        return np.nan if s == "NA" else float(s)

    x = np.array([[num(r[c]) for c in codes] for r in rows])
    dcol = [m["Denominator"] for m in meta]
    den = np.array([[1.0 if c == "NA" else num(r[c]) for c in dcol] for r in rows])
    names = sorted({r["EurAsia_group"] for r in rows})
    g = np.array([names.index(r["EurAsia_group"]) for r in rows], dtype=np.intp)
    return codes, impute.impute_group_mean(x / den, groups=g)


def test_asem_example_coin_treatment_counts() -> None:
    """COINr's example coin (Denominate -> i_mean_grp by EurAsia_group -> Screen
    (removes nobody after imputation) -> Treat defaults) winsorises 15 of 49
    indicators and applies log_CT to none (coinr-methods.md §5)."""
    codes, x = _asem_denominated_imputed()
    assert x.shape == (51, 49)
    assert not np.isnan(x).any()
    res = treat.treat_winsorise(x, winmax=5)
    assert res.n_winsorised_cols == 15
    assert res.n_log_cols == 0
    for r in res.records:
        assert r.passed_after in (True, None)
        if r.winsorised:
            assert r.passed_before is False
            assert len(r.winsorised_high) + len(r.winsorised_low) == r.n_winsorised <= 5
    fem = res.records[codes.index("FemLab")]
    # the one negatively skewed case
    assert fem.winsorised_low
    assert not fem.winsorised_high


def test_winsorise_zero_skew_takes_the_high_side() -> None:
    # symmetric data: skew exactly 0 (m3 = -27 - 1 + 0 + 1 + 27 = 0); the rule
    # "skew >= 0 -> winsorise the maximum" applies, so with force_win the top
    # value 3 becomes the next highest, 1
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    assert _stats.nan_skew(x[:, None])[0, 0] == 0.0
    v, hi, lo, nwin = treat.winsorise(x, winmax=1, force_win=True)
    assert hi == (4,)
    assert lo == ()
    assert nwin == 1
    np.testing.assert_array_equal(v, [-3.0, -1.0, 0.0, 1.0, 1.0])
