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
