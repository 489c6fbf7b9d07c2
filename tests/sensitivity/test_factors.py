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


def test_weighting_method_as_a_factor_replays_and_is_executor_independent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """WeightAlternatives: the weighting *method* (framework, equal, entropy, CRITIC, an
    AHP file) is a factor; every replicate equals evaluate() on its replayed setting,
    and serial and threaded runs are bit for bit the same."""
    from concurrent.futures import ThreadPoolExecutor

    import xiangcun_eval as xe
    from xiangcun_eval.evaluate import evaluate
    from xiangcun_eval.methodology import WeightSpec
    from xiangcun_eval.sensitivity.replay import replay
    from xiangcun_eval.sensitivity.space import WeightAlternatives
    from xiangcun_eval.sensitivity.uncertainty import uncertainty

    data, m = asem()
    ahp = tmp_path / "ahp.toml"
    ahp.write_text('[ahp]\nframework = "iMeta"\nname_zh = "测"\nname_en = "t"\n\n[[matrix]]\n'
                   'group = "Index"\ncodes = ["Conn", "Sust"]\nmatrix = [[1, 3], ["1/3", 1]]\n',
                   encoding="utf-8")
    space = UncertaintySpace(factors=[
        WeightAlternatives(alternatives=(WeightSpec(method="framework"),
                                         WeightSpec(method="entropy"),
                                         WeightSpec(method="critic")), levels=(2,)),
        WeightAlternatives(alternatives=(WeightSpec(method="equal"),
                                         WeightSpec(method="ahp", file=str(ahp))), levels=(4,)),
        WeightNoise(levels=(3,), noise=0.2),
    ])
    atoms = compile_space(space, data.framework)
    assert [a.role for a in atoms][:2] == ["plans", "plans"]
    assert describe_setting(space, atoms[0], 1.0).endswith("= entropy")
    m_crit = apply_setting(m, space, atoms[0], 2.0)
    assert m_crit.weights_for(2).method == "critic" and m_crit.weights_for(3) == m.weights_for(3)
    res = uncertainty(data, m, space, n=64, seed=5, keep_replicates=True)
    assert res.scores is not None and res.ranks is not None
    rows = list(range(0, 64, 7))
    for i, (mi, di) in zip(rows, replay(data, m, space, seed=5, rows=rows), strict=True):
        ev = evaluate(di, mi, check_scale=False)
        np.testing.assert_allclose(ev.index, res.scores[i], rtol=0, atol=1e-10)
        np.testing.assert_array_equal(ev.rank, res.ranks[i])
    # the method matters: entropy/CRITIC replicates differ from framework-weight ones
    assert np.std(res.replicate_shift) > 0
    with ThreadPoolExecutor(2) as ex:
        thr = uncertainty(data, m, space, n=64, seed=5, keep_replicates=True,
                          run=xe.RunOptions(executor=ex, chunk_size=9))
    assert thr.scores is not None
    assert thr.scores.tobytes() == res.scores.tobytes()
    assert np.asarray(thr.rank_quantiles).tobytes() == np.asarray(res.rank_quantiles).tobytes()
    # TOML round trip of the factor
    assert UncertaintySpace.from_toml_text(space.to_toml()) == space
