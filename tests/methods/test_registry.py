"""Tests of methods/_registry.py and of what every registry promises:
the replicate axis (a kernel marked ``replicates=True`` gives, for every
leading index of a stacked ``(R, n, k)`` input, exactly -- bit for bit -- what
it gives on that 2-D slice) and the documented parameter defaults."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import aggregate, impute, normalise, transform, treat, weights
from xiangcun_eval.methods._registry import MethodInfo, NoParams, Params, Registry

STAGES = {
    "transform": transform.REGISTRY,
    "impute": impute.REGISTRY,
    "treat": treat.REGISTRY,
    "normalise": normalise.REGISTRY,
    "weights": weights.REGISTRY,
    "aggregate": aggregate.REGISTRY,
}
ALL = [(stage, info.name) for stage, reg in STAGES.items() for info in reg]
REPLICATING = [(s, n) for s, n in ALL if STAGES[s].get(n).replicates]

R, N, K = 3, 9, 4
DIRECTION = np.array([1.0, -1.0, 1.0, 1.0])
MEMBERSHIP = np.array([0, 0, 1, 1], dtype=np.intp)
#: parameters a method requires (no default)
REQUIRED: dict[tuple[str, str], dict[str, Any]] = {
    ("normalise", "dist2ref"): {"ref": 0},
    ("weights", "explicit"): {"weights": (1.0, 2.0, 3.0, 4.0)},
    ("weights", "combined"): {"subjective": {"name": "equal"}, "objective": {"name": "sd"}},
    ("transform", "boxcox"): {"lmbda": 0.5},
}


def _stack(seed: int, missing: float) -> np.ndarray:
    """(R, N, K) positive data, different in every slice, with NaN holes
    (never a whole column)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, (R, N, K))
    holes = rng.random((R, N, K)) < missing
    holes[:, :2, :] = False
    x[:, 0, :] = rng.uniform(5.0, 6.0, (R, K))  # unit 0, the dist2ref reference: mid-range
    x[holes] = np.nan
    return x


def _kwargs(stage: str, info: MethodInfo) -> dict[str, Any]:
    """Framework/data-derived inputs listed in ``needs`` and the default params."""
    kw: dict[str, Any] = dict(
        STAGES[stage].validate(info.name, REQUIRED.get((stage, info.name), {})).model_dump()
    )
    derived = {
        "groups": np.array([0, 0, 0, 1, 1, 1, -1, 2, 2], dtype=np.intp),
        "col_groups": np.array([0, 0, 1, 1], dtype=np.intp),
        "direction": DIRECTION,
        "target": np.array([8.0, 2.0, 9.0, 7.0]),
        "goal_lower": np.array([0.0, 0.0, 2.0, 1.0]),
        "goal_upper": np.array([10.0, 12.0, 9.0, 8.0]),
        "codes": ["a", "b", "c", "d"],
    }
    kw.update({k: v for k, v in derived.items() if k in info.needs})
    return kw


def _call(stage: str, name: str, x: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    info = STAGES[stage].get(name)
    kw = _kwargs(stage, info)
    if stage == "normalise":
        d = np.ones(K) if name == "fracmax" else DIRECTION
        return np.asarray(info.func(x, d, **kw))
    if stage == "aggregate":
        return np.asarray(info.func(x, np.ones(K) if w is None else w, MEMBERSHIP, 2, **kw))
    return np.asarray(info.func(x, **kw))


def test_every_stage_has_replicating_methods() -> None:
    stages = {s for s, _ in REPLICATING}
    assert stages == {"transform", "impute", "normalise", "weights", "aggregate"}
    assert len(REPLICATING) >= 30


@pytest.mark.parametrize(("stage", "name"), REPLICATING, ids=[f"{s}-{n}" for s, n in REPLICATING])
def test_replicate_axis_equals_each_slice_exactly(stage: str, name: str) -> None:
    missing = 0.0 if stage == "weights" else 0.15
    x = _stack(7, missing)
    out = _call(stage, name, x)
    assert out.shape[0] == R
    for r in range(R):
        np.testing.assert_array_equal(out[r], _call(stage, name, x[r]), err_msg=f"replicate {r}")
    # two leading axes behave like one
    x2 = np.stack([x, x[::-1]])
    out2 = _call(stage, name, x2)
    np.testing.assert_array_equal(out2[0], out)
    np.testing.assert_array_equal(out2[1], out[::-1])


@pytest.mark.parametrize(
    "name", [n for s, n in REPLICATING if s == "aggregate"]
)
def test_aggregate_replicate_weights_equal_each_slice_exactly(name: str) -> None:
    x = _stack(8, 0.15)
    w = np.random.default_rng(9).uniform(0.2, 2.0, (R, K))
    for xs in (x, x[0]):  # (R, n, k) with (R, k) weights, and (n, k) with (R, k)
        out = _call("aggregate", name, xs, w)
        for r in range(R):
            np.testing.assert_array_equal(
                out[r], _call("aggregate", name, xs[r] if xs.ndim == 3 else xs, w[r])
            )


# --------------------------------------------------------------------------- defaults

#: The defaults documented in docs/methods-preprocessing.md, methods-weights.md
#: and methods-aggregation.md (COINr's defaults where the method comes from it).
DOCUMENTED: dict[tuple[str, str], dict[str, Any]] = {
    ("transform", "none"): {},
    ("transform", "ln"): {},
    ("transform", "log10"): {},
    ("transform", "log1p"): {},
    ("transform", "signed_log"): {},
    ("transform", "sqrt"): {},
    ("transform", "boxcox"): {"lmbda": 0.5},
    ("transform", "cap"): {},
    ("impute", "none"): {},
    ("impute", "mean"): {},
    ("impute", "median"): {},
    ("impute", "group_mean"): {},
    ("impute", "group_median"): {},
    ("impute", "row_mean"): {"normalise_first": True},
    ("treat", "none"): {},
    ("treat", "winsorise"): {
        "winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5, "log": "log_CT",
        "boxcox_lambda": None, "combine": False, "force_win": False,
    },
    ("normalise", "none"): {},
    ("normalise", "rank"): {},
    ("normalise", "borda"): {},
    ("normalise", "fracmax"): {},
    ("normalise", "minmax"): {"zero_variance": "error", "lower": 0.0, "upper": 100.0},
    ("normalise", "zscore"): {"zero_variance": "error", "mean": 0.0, "sd": 1.0},
    ("normalise", "scaled"): {"lower": 0.0, "upper": 100.0, "scale_factor": 100.0},
    ("normalise", "percentile"): {"zero_variance": "error"},
    ("normalise", "dist2max"): {"zero_variance": "error"},
    ("normalise", "dist2ref"): {"zero_variance": "error", "ref": 0, "cap": False},
    ("normalise", "dist2targ"): {"cap": False},
    ("normalise", "goalposts"): {"scale": 100.0, "truncate": True},
    ("normalise", "range_shift"): {"zero_variance": "error", "shift": 0.0001, "variant": "shift"},
    ("normalise", "efficacy"): {"zero_variance": "error", "base": 60.0, "span": 40.0},
    ("normalise", "target_ratio"): {"cap": True, "scale": 1.0},
    ("weights", "equal"): {},
    ("weights", "explicit"): {"weights": (1.0, 2.0, 3.0, 4.0)},
    ("weights", "entropy"): {"convention": "raw", "shift": 0.0001},
    ("weights", "critic"): {"reverse_cost": True, "ddof": 1, "constant": "raise"},
    ("weights", "cv"): {"ddof": 1},
    ("weights", "sd"): {"normalise": True, "ddof": 1},
    ("weights", "ahp"): {
        "matrix": None, "ri_table": "saaty", "allow_inconsistent": False, "threshold": 0.1,
    },
    ("weights", "pca_oecd"): {
        "min_eigenvalue": None, "min_variance_share": 0.1, "min_cumulative": 0.6,
        "rotation": "varimax", "assign_by": "loading",
    },
    ("weights", "pca_coinr"): {"sign": "positive_sum", "normalise": False},
    ("weights", "combined"): {
        "subjective": {"name": "equal", "params": {}}, "objective": {"name": "sd", "params": {}},
        "rule": "linear", "alpha": 0.5,
    },
    ("weights", "optimised"): {
        "optype": "balance", "target": None, "cortype": "pearson", "reltol": 0.1, "maxiter": 500,
    },
    ("aggregate", "arithmetic"): {},
    ("aggregate", "geometric"): {"nonpositive": "error"},
    ("aggregate", "harmonic"): {"nonpositive": "error"},
    ("aggregate", "genmean"): {"nonpositive": "error", "p": 1.0},
    ("aggregate", "topsis"): {"normalisation": "vector", "scale": 1.0},
    ("aggregate", "mpi"): {"penalty": "negative"},
    ("aggregate", "ampi"): {
        "penalty": "negative", "reference": "mean", "lower": None, "upper": None,
    },
    ("aggregate", "copeland"): {"max_units": 20000},
    ("aggregate", "bod"): {},
}  # fmt: skip


def test_documented_defaults_cover_every_method() -> None:
    assert set(DOCUMENTED) == set(ALL)


@pytest.mark.parametrize(("stage", "name"), ALL, ids=[f"{s}-{n}" for s, n in ALL])
def test_validate_empty_params_gives_documented_defaults(stage: str, name: str) -> None:
    reg = STAGES[stage]
    got = reg.validate(name, REQUIRED.get((stage, name), {})).model_dump()
    assert got == DOCUMENTED[(stage, name)]
    # the kernel's own keyword defaults are the same (a call without params
    # and a methodology without params give the same numbers)
    sig = inspect.signature(reg.get(name).func).parameters
    for key, value in got.items():
        if (stage, name) in REQUIRED and key in REQUIRED[(stage, name)]:
            continue
        assert key in sig, key
        default = sig[key].default
        assert default is not inspect.Parameter.empty, key
        assert default == value, (key, default, value)


def test_zscore_default_is_unit_sd() -> None:
    # default z-score: mean 0, sd 1 with the sample sd (R's sd, as COINr
    # n_zscore): deviations -2, -1, 0, 3 from the mean 3, s = sqrt(14 / 3)
    x = np.array([[1.0], [2.0], [3.0], [6.0]])
    info = normalise.REGISTRY.get("zscore")
    p = normalise.REGISTRY.validate("zscore", {}).model_dump()
    z = info.func(x, np.ones(1), **p).ravel()
    expected = np.array([-2.0, -1.0, 0.0, 3.0]) / np.sqrt(14.0 / 3.0)
    np.testing.assert_allclose(z, expected, rtol=1e-15)
    assert np.std(z, ddof=1) == pytest.approx(1.0, rel=1e-15)


# --------------------------------------------------------------------------- Registry itself


def test_registry_register_get_validate() -> None:
    reg = Registry("demo")

    class P(Params):
        k: int = 2

    @reg.register("f", params=P, label_zh="示例", label_en="demo", needs={"codes"})
    def f(x: Any, *, k: int = 2) -> Any:
        return x

    info = reg.get("f")
    assert info.func is f
    assert info.params is P
    assert info.needs == frozenset({"codes"})
    assert info.label == "示例 / demo"
    assert info.replicates
    assert "f" in reg
    assert "g" not in reg
    assert reg.names() == ("f",)
    assert [i.name for i in reg] == ["f"]
    assert reg.validate("f", None).model_dump() == {"k": 2}
    with pytest.raises(MethodError, match=r"unknown demo method 'g'; available: f"):
        reg.get("g")
    with pytest.raises(MethodError, match="invalid parameters for demo method 'f'"):
        reg.validate("f", {"k": "many"})
    with pytest.raises(MethodError, match="invalid parameters"):
        reg.validate("f", {"unknown": 1})
    with pytest.raises(RuntimeError, match="registered twice"):
        reg.register("f", label_zh="x", label_en="x")(f)
    assert reg.validate("f", {"k": 3}).model_dump() == {"k": 3}
    with pytest.raises(Exception, match="frozen"):
        reg.validate("f", {}).k = 4  # type: ignore[misc]
    assert NoParams().model_dump() == {}
