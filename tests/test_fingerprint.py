"""Fingerprints: every number of a dozen representative setups, bit for bit.

Written before the structure refactoring (issue 13) so that moves, splits and
renames provably change no number.  Each test hashes the float64 bytes of the
arrays a result holds, in a canonical orientation (units first where an array
is per unit).  When a public name changes, the *accessor* lines here may be
updated; the hash values must not be.  A hash changes only when a commit
deliberately changes a number, and that commit says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import asem_data

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "data" / "demo_counties_2023.csv"
SPACE = ROOT / "examples" / "spaces" / "weights-norm-agg.toml"
METH = ROOT / "examples" / "methodologies"


def _digest(arrays: Iterable[Any]) -> str:
    h = hashlib.sha256()
    for a in arrays:
        arr = np.ascontiguousarray(np.asarray(a, dtype=np.float64))
        h.update(str(arr.shape).encode())
        h.update(arr.tobytes())
    return h.hexdigest()[:16]


def _eval_arrays(ev: xe.Evaluation) -> list[Any]:
    out: list[Any] = [*ev.level_scores, ev.index_rank, *ev.weights, ev.grade_codes]
    out += [ev.within_ranks[k] for k in sorted(ev.within_ranks)]
    return out


@pytest.fixture(scope="module")
def demo() -> xe.UnitData:
    return xe.read_submissions(DEMO, "dvd-2023")


def test_fingerprint_demo_data(demo: xe.UnitData) -> None:
    got = _digest([demo.values])
    assert got == EVAL_EXPECTED["data"], got


METHODOLOGIES: dict[str, Any] = {
    "default": lambda: xe.Methodology(),
    "entropy-topsis": lambda: xe.Methodology.from_toml(METH / "entropy-topsis.toml"),
    "expert-geometric": lambda: xe.Methodology(
        weights=xe.WeightSpec(method="framework"),
        normalise=xe.NormaliseSpec(method="minmax", params={"lower": 1.0, "upper": 100.0}),
        aggregate=xe.AggregateSpec(method="geometric"),
    ),
    "impute-treat-zscore": lambda: xe.Methodology(
        impute=xe.ImputeSpec(method="group_median", group_by="province"),
        treat=xe.TreatSpec(method="winsorise"),
        normalise=xe.NormaliseSpec(method="zscore"),
        grading=xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2)),
    ),
    "critic-rowmean": lambda: xe.Methodology(
        impute=xe.ImputeSpec(method="row_mean"),
        weights_by_level={2: xe.WeightSpec(method="critic"), 3: xe.WeightSpec(method="critic")},
    ),
    "pca-mpi": lambda: xe.Methodology(
        impute=xe.ImputeSpec(method="mean"),
        weights_by_level={2: xe.WeightSpec(method="pca_oecd")},
        aggregate_by_level={4: xe.AggregateSpec(method="mpi")},
        normalise=xe.NormaliseSpec(method="zscore", params={"mean": 100.0, "sd": 10.0}),
        grading=xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.6, 0.4, 0.2)),
    ),
    "efficacy-grades-quantile": lambda: xe.Methodology(
        normalise=xe.NormaliseSpec(method="efficacy"),
        grading=xe.GradingSpec(kind="quantiles", thresholds=(0.8, 0.5, 0.2),
                                labels_zh=("甲", "乙", "丙", "丁"), labels_en=("A", "B", "C", "D")),
    ),
}

EVAL_EXPECTED: dict[str, str] = {
    "data": "88cf85a1318e56a6",
    "default": "e952fa0d390ba57e",
    "entropy-topsis": "277676604b6093cc",
    "expert-geometric": "a9da9de9d33caacc",
    "impute-treat-zscore": "bab77abcc8b41c6c",
    "critic-rowmean": "6a306a295a423c0d",
    "pca-mpi": "7b1291c2a452e436",
    "efficacy-grades-quantile": "70673d408bc22954",
    "coinr-asem": "1685b9b4cf73201c",
    "ua": "3ac265c8bd46dd64",
    "ua-dirichlet": "e967b02c99d2c4d4",
    "sa": "e522432b47c258b2",
    "loo-oat": "dfb08e4dfa239b52",
    "importance": "9cdb69351c79e724",
}


@pytest.mark.parametrize("name", sorted(METHODOLOGIES))
def test_fingerprint_evaluate(demo: xe.UnitData, name: str) -> None:
    m = METHODOLOGIES[name]()
    got = _digest(_eval_arrays(xe.evaluate(demo, m)))
    assert got == EVAL_EXPECTED[name], f"{name}: {got}"


def test_fingerprint_coinr_asem() -> None:
    m = xe.Methodology.from_toml(METH / "coinr-asem.toml")
    got = _digest(_eval_arrays(xe.evaluate(asem_data(), m)))
    assert got == EVAL_EXPECTED["coinr-asem"], got


def _ua_arrays(ua: xe.UncertaintyResult) -> list[Any]:
    n = len(ua.units)
    top = np.asarray(ua.top_prob)
    top = top if top.shape[0] == n else top.T  # canonical: units first
    grade = np.asarray(ua.grade_prob)
    grade = grade if grade.shape[0] == n else grade.T
    rq = np.asarray(ua.rank_quantiles)
    rq = rq if rq.shape[0] == n else rq.T
    sq = np.asarray(ua.score_quantiles)
    sq = sq if sq.shape[0] == n else sq.T
    return [ua.nominal_score, ua.nominal_rank, ua.score_mean, ua.score_sd, ua.score_median,
            ua.rank_mean, ua.rank_sd, ua.rank_median, rq, sq, grade, top,
            ua.mean_abs_shift, ua.replicate_shift]


@pytest.mark.parametrize("executor", ["serial", "threads"])
def test_fingerprint_uncertainty(demo: xe.UnitData, executor: str) -> None:
    space = xe.UncertaintySpace.from_toml(SPACE)
    kw: dict[str, Any] = {}
    if executor == "threads":
        ex = ThreadPoolExecutor(2)
        kw = {"run": xe.RunOptions(executor=ex, chunk_size=37)}
    ua = xe.uncertainty(demo, xe.Methodology(), space, n=300, seed=2023, **kw)
    if kw:
        ex.shutdown()
    got = _digest(_ua_arrays(ua))
    assert got == EVAL_EXPECTED["ua"], got


def test_fingerprint_uncertainty_dirichlet_data_noise(demo: xe.UnitData) -> None:
    space = xe.UncertaintySpace(factors=[
        xe.WeightDirichlet(levels=(3,), concentration=50.0),
        xe.DataNoise(relative=0.05),
        xe.ImputeAlternatives(alternatives=(
            xe.ImputeSpec(method="none"), xe.ImputeSpec(method="mean"))),
    ])
    ua = xe.uncertainty(demo, xe.Methodology(), space, n=128, seed=7, sampling="sobol",
                        keep_replicates=True)
    got = _digest([*_ua_arrays(ua), ua.scores, ua.ranks])
    assert got == EVAL_EXPECTED["ua-dirichlet"], got


def _sobol_arrays(s: Any) -> list[Any]:
    out = [s.first, s.total, s.variance]
    for extra in (s.first_conf, s.total_conf):
        if extra is not None:
            out.append(extra)
    return out


def test_fingerprint_sensitivity(demo: xe.UnitData) -> None:
    space = xe.UncertaintySpace.from_toml(SPACE)
    sa = xe.sensitivity(demo, xe.Methodology(), space, n=64, seed=2023)
    got = _digest([*_sobol_arrays(sa.summary), *_sobol_arrays(sa.rank),
                   *_sobol_arrays(sa.score)])
    assert got == EVAL_EXPECTED["sa"], got


def _axis_units_first(a: Any, n_units: int) -> Any:
    arr = np.asarray(a)
    if arr.ndim == 2 and arr.shape[0] != n_units:
        return arr.T
    return arr


def test_fingerprint_leave_one_out_and_oat(demo: xe.UnitData) -> None:
    loo = xe.leave_one_out(demo, xe.Methodology(), level=3)
    space = xe.UncertaintySpace.from_toml(SPACE)
    m1 = xe.Methodology(normalise=xe.NormaliseSpec(method="minmax",
                                                   params={"lower": 1.0, "upper": 100.0}))
    oat = xe.one_at_a_time(demo, m1, space)
    n = len(demo.units)
    arrays = [_axis_units_first(getattr(r, a), n) for r in (loo, oat)
              for a in ("ranks", "scores", "nominal_rank", "mean_abs_shift", "max_abs_shift")]
    got = _digest(arrays)
    assert got == EVAL_EXPECTED["loo-oat"], got


def test_fingerprint_effective_importance(demo: xe.UnitData) -> None:
    imp = xe.effective_importance(xe.evaluate(demo, xe.Methodology()))
    got = _digest([imp.nominal_weight, imp.main_effect, imp.n_used])
    assert got == EVAL_EXPECTED["importance"], got
