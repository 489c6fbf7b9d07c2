"""Tests of methods/weights/given.py: equal and explicit weights."""

from __future__ import annotations

import numpy as np
import pytest

from xiangcun_eval.errors import MethodError
from xiangcun_eval.methods import weights as W


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
