"""Tests of methods/weights/registry.py: the registered weighting methods
(names, labels, parameters, the naming rule) and properties every registered
kernel shares."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from weights_cases import nonconstant, positive_data
from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _positive(n: int = 12, m: int = 5, seed: int = 0) -> np.ndarray:
    return _rng(seed).uniform(1.0, 10.0, (n, m))


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


def test_registry_names_labels_params() -> None:
    expected = {
        "equal", "explicit", "entropy", "critic", "cv", "sd", "ahp", "pca_oecd",
        "pca_coinr", "combined", "optimised",
    }  # fmt: skip
    assert set(W.REGISTRY.names()) == expected
    for info in W.REGISTRY:
        assert info.label_zh
        assert info.label_en
        assert "/" in info.label
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


@settings(max_examples=40, deadline=None)
@given(positive_data, st.sampled_from(["entropy", "entropy_s", "critic", "cv", "sd"]))
def test_property_nonnegative_sum_one(x: np.ndarray, method: str) -> None:
    assume(nonconstant(x))
    f: Callable[[np.ndarray], np.ndarray] = {
        "entropy": lambda a: W.entropy_weights(a),
        "entropy_s": lambda a: W.entropy_weights(a, convention="shifted_minmax"),
        "critic": lambda a: W.critic_weights(a, constant="zero"),
        "cv": W.cv_weights,
        "sd": W.sd_weights,
    }[method]
    w = f(x)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0)
