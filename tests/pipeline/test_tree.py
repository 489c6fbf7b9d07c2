"""pipeline.tree: aggregation over the levels, and kernel messages that name codes."""

from __future__ import annotations

from pathlib import Path

import pytest

import xiangcun_eval as xe
from xiangcun_eval.framework.registry import load_framework
from xiangcun_eval.pipeline.plan import level_plans
from xiangcun_eval.pipeline.tree import name_positions

DEMO = Path(__file__).resolve().parents[2] / "examples" / "data" / "demo_counties_2023.csv"


def test_positions_become_codes() -> None:
    fw = load_framework("dvd-2023")
    plan = level_plans(fw, xe.Methodology())[0]
    msg = ("3 value(s), first at unit (row) 1, child column 2 (group 0); "
           "第 1 组权重全为零 / all weights of group 1 are zero; LP failed for group 9999")
    out = name_positions(msg, plan, ["410101", "410102"])
    assert f"unit 410102, child {plan.child_codes[2]} (group {plan.codes[0]})" in out
    assert f"{plan.codes[1]} 组" in out
    assert f"of group {plan.codes[1]}" in out
    assert "group 9999" in out  # out of range: left as it was
    assert name_positions("unit (row) 5", plan, None) == "unit (row) 5"


def test_evaluate_error_names_unit_indicator_and_group() -> None:
    data = xe.read_submissions(DEMO, "dvd-2023")
    m = xe.Methodology(aggregate={"method": "geometric", "params": {"nonpositive": "error"}})
    with pytest.raises(xe.MethodError) as info:
        xe.evaluate(data, m)
    msg = str(info.value)
    assert "child column" not in msg
    assert "unit (row)" not in msg
    assert f"unit {data.units[0]}" in msg
    assert "(group T" in msg


def test_inconsistent_ahp_matrix_names_file_and_group(tmp_path: Path) -> None:
    fw = load_framework("dvd-2023")
    kids = list(fw.children("DVD"))
    n = len(kids)
    rows = [[1 if i == j else (9 if (i + j) % 2 else "1/9") for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i):
            rows[i][j] = "1/9" if rows[j][i] == 9 else 9
    body = ",\n".join("  [" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v)
                                        for v in r) + "]" for r in rows)
    path = tmp_path / "bad-ahp.toml"
    path.write_text(
        '[ahp]\nframework = "dvd-2023"\nname_zh = "坏"\nname_en = "bad"\n\n[[matrix]]\n'
        f'group = "DVD"\ncodes = {kids!r}\nmatrix = [\n{body}\n]\n'.replace("'", '"'),
        encoding="utf-8")
    data = xe.read_submissions(DEMO, "dvd-2023")
    m = xe.Methodology(weights_by_level={4: {"method": "ahp", "file": str(path)}})
    with pytest.raises(xe.MethodError) as info:
        xe.evaluate(data, m)
    msg = str(info.value)
    assert "inconsistent" in msg
    assert "bad-ahp.toml" in msg
    assert "group 'DVD'" in msg


def test_a_unit_exactly_at_min_availability_is_kept() -> None:
    import numpy as np

    from helpers import small_data

    data = small_data(n=10, seed=2)
    x = data.values.copy()
    x[0, 0] = np.nan  # unit 0: 2 of the 3 children of group A -> availability exactly 2/3
    x[1, :2] = np.nan  # unit 1: 1 of 3 -> 1/3
    data = data.with_values(x)

    def score_a(thr: float) -> np.ndarray:
        m = xe.Methodology(aggregate_by_level={
            2: xe.AggregateSpec(method="arithmetic", min_availability=thr)})
        return xe.evaluate(data, m).score("A")

    kept = score_a(2 / 3)
    z = xe.evaluate(data).preprocessed.normalised
    # equal weights, renormalised over the two available children
    assert kept[0] == pytest.approx((z[0, 1] + z[0, 2]) / 2, rel=1e-14)
    assert np.isnan(kept[1])
    assert np.isnan(score_a(0.67)[0])  # just above: dropped
