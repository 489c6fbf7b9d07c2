"""Framework: lookups, arrays by level, weights and digest."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_framework
from xiangcun_eval.errors import FrameworkError


def test_levels_membership_and_weights() -> None:
    fw = small_framework()
    assert fw.max_level == 3
    assert fw.root.code == "IDX"
    assert fw.level_codes(2) == ("A", "B")
    np.testing.assert_array_equal(fw.membership(2), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(fw.node_weights(2), [2.0, 1.0])
    np.testing.assert_array_equal(fw.indicator_array("direction"), [1, 1, -1, 1, 1])
    assert fw.ancestor("x4", 2) == "B"
    assert fw.children("A") == ("x1", "x2", "x3")
    assert "x1" in fw
    assert "nope" not in fw


def test_with_weights_and_digest() -> None:
    fw = small_framework()
    fw2 = fw.with_weights({"A": 1.0})
    np.testing.assert_array_equal(fw2.node_weights(2), [1.0, 1.0])
    assert fw2.digest() != fw.digest()
    assert small_framework().digest() == fw.digest()
    with pytest.raises(FrameworkError, match="unknown code in weights"):
        fw.with_weights({"nope": 1.0})


def test_cached_lookups_are_copies_and_missing_levels_are_empty() -> None:
    fw = small_framework()
    d = fw.indicator_array("direction")
    d[:] = 99.0  # the caller's array: the framework's cached one is untouched
    assert not np.any(fw.indicator_array("direction") == 99.0)
    assert fw.level_codes(fw.max_level + 1) == ()
    assert fw.level_codes(1) == fw.indicator_codes


def test_model_copy_with_update_is_validated_and_fresh() -> None:
    fw = small_framework()
    assert fw.indicators  # fill the caches first
    first = fw.indicator_codes[0]
    nodes = tuple(n.model_copy(update={"direction": -1}) if n.code == first else n
                  for n in fw.nodes)
    new = fw.model_copy(update={"nodes": nodes})
    assert new.indicator_array("direction")[0] == -1.0  # not the cached +1 of fw
    assert fw.indicator_array("direction")[0] == 1.0
    assert fw.model_copy().digest() == fw.digest()
    with pytest.raises(FrameworkError, match="unknown parent"):
        fw.model_copy(update={"nodes": (*fw.nodes[:-1],
                                        fw.nodes[-1].model_copy(update={"parent": "NOPE"}))})
