"""Compiled factors: atoms own consecutive uniform columns; settings applied and named."""

from __future__ import annotations

import numpy as np

from helpers import asem
from spaces import AGG, NORM, RICH
from xiangcun_eval.sensitivity.factors import (
    apply_setting,
    atom_values,
    compile_space,
    describe_setting,
)
from xiangcun_eval.sensitivity.space import UncertaintySpace, WeightNoise


def test_atoms_tile_the_uniform_vector() -> None:
    data, _ = asem()
    atoms = compile_space(RICH, data.framework)
    col = 0
    for a in atoms:
        assert a.col == col and a.dim >= 1
        col += a.dim
    roles = {a.role for a in atoms}
    assert roles == {"weights", "plans", "pre", "mask"}
    # per-group Dirichlet: one atom per level-2 group
    fw = data.framework
    assert sum(a.kind == "weight_dirichlet" for a in atoms) == len(fw.level_codes(2))


def test_weight_noise_per_weight_targets_every_child() -> None:
    data, _ = asem()
    fw = data.framework
    (a,) = compile_space(UncertaintySpace(factors=[WeightNoise(levels=(2, 3), noise=0.1)]), fw)
    assert a.dim == len(fw.level_codes(2)) + len(fw.level_codes(3))
    assert [t[0] for t in a.targets] == [1, 2]  # plan index = level - 1


def test_atom_values_and_settings() -> None:
    data, m = asem()
    sp = UncertaintySpace(factors=[NORM, AGG])
    norm, agg = compile_space(sp, data.framework)
    u = np.array([[0.0, 0.99], [0.7, 0.2]])
    np.testing.assert_array_equal(atom_values(sp, norm, u), [0.0, 1.0])
    np.testing.assert_array_equal(atom_values(sp, agg, u), [1.0, 0.0])
    m1 = apply_setting(m, sp, agg, 1.0)
    assert m1.aggregate.method == "geometric"
    assert describe_setting(sp, norm, 1.0).endswith("zscore{mean=10.0, sd=2.0}")
