"""Tests of methods/_deprecated.py: the renamed kernel names of methods.weights
and methods.normalise still resolve, with a DeprecationWarning naming the
replacement, until the release in ``REMOVED_IN``."""

from __future__ import annotations

import warnings

import pytest

from xiangcun_eval.methods import normalise as nz
from xiangcun_eval.methods import weights as W
from xiangcun_eval.methods._deprecated import REMOVED_IN, deprecated_aliases

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
    assert old not in W.__all__
    assert new in W.__all__
    with pytest.warns(DeprecationWarning, match=f"use xiangcun_eval.methods.weights.{new}"):
        exec(f"from xiangcun_eval.methods.weights import {old}", {})


def test_unknown_attribute_still_raises() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        W.nope  # noqa: B018


def test_normalise_percentile_rank_alias() -> None:
    with pytest.warns(DeprecationWarning, match="use xiangcun_eval.methods.normalise.percentile"):
        old = nz.percentile_rank
    assert old is nz.percentile
    assert "percentile_rank" not in nz.__all__


def test_helper_message_and_missing_names() -> None:
    def new() -> int:
        return 1

    getattr_ = deprecated_aliases("pkg.mod", {"old": "new"}, {"new": new})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert getattr_("old") is new
    assert len(caught) == 1
    assert caught[0].category is DeprecationWarning
    msg = str(caught[0].message)
    assert "pkg.mod.old" in msg
    assert "pkg.mod.new" in msg
    assert REMOVED_IN in msg
    assert "已更名" in msg
    with pytest.raises(AttributeError, match=r"module 'pkg\.mod' has no attribute 'other'"):
        getattr_("other")
    assert REMOVED_IN == "0.3"
