"""Every structural rule of a framework has an error test; loading errors name file and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiangcun_eval.errors import FrameworkError
from xiangcun_eval.framework import Framework, framework_from_toml
from xiangcun_eval.io.toml import TomlError

HEAD = '[framework]\ncode = "t"\nname_zh = "测试"\nname_en = "Test"\n'


def group(code: str, level: int, parent: str | None = None, **extra: object) -> str:
    lines = ["[[group]]", f'code = "{code}"', f'name_zh = "{code}组"', f'name_en = "{code} group"',
             f"level = {level}"]
    if parent:
        lines.append(f'parent = "{parent}"')
    lines += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v!r}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def ind(code: str, parent: str, **extra: object) -> str:
    lines = ["[[indicator]]", f'code = "{code}"', f'name_zh = "{code}指标"',
             f'name_en = "{code} indicator"', f'parent = "{parent}"']
    for k, v in extra.items():
        if isinstance(v, str):
            lines.append(f'{k} = "{v}"')
        elif isinstance(v, tuple):
            lines.append(f"{k} = [{v[0]}, {v[1]}]")
        else:
            lines.append(f"{k} = {v}")
    return "\n".join(lines) + "\n"


GOOD = HEAD + group("IDX", 3) + group("A", 2, "IDX") + group("B", 2, "IDX") + ind(
    "x1", "A", unit="%", lower_bound=0.0, upper_bound=100.0, target=60.0
) + ind("x2", "A") + ind("x3", "B", direction=-1)


def problems_of(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as ei:
        Framework.from_toml_text(text)
    return ei.value.problems


def test_good_framework_loads() -> None:
    f = Framework.from_toml_text(GOOD)
    assert f.indicator_codes == ("x1", "x2", "x3")
    assert f.level_codes(2) == ("A", "B")
    assert f.root.code == "IDX"
    assert f.max_level == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (GOOD + ind("x1", "B"), "duplicate code 'x1'"),
        (GOOD + ind("x4", "Z"), "unknown parent 'Z'"),
        (GOOD + group("C", 2, "IDX"), "'C': 分组没有下级 / group has no children"),
        (GOOD + group("R2", 3) + group("C", 2, "R2") + ind("x5", "C"), "exactly one node"),
        (GOOD + ind("x4", "A", direction=0), "direction 0 must be +1 or -1"),
        (GOOD + ind("x4", "A", direction=2), "direction 2 must be +1 or -1"),
        (GOOD + ind("x4", "A", weight=-1.0), "weight -1.0 must be finite and >= 0"),
        (GOOD + ind("x4", "A", lower_bound=0.0, upper_bound=100.0, target=120.0),
         "target outside bounds"),
        (GOOD + ind("x4", "A", lower_bound=0.0, goalposts=(-5.0, 50.0)),
         "goalposts outside bounds"),
        (GOOD + ind("x4", "A", goalposts=(50.0, 10.0)), "must be increasing"),
        (GOOD + ind("x4", "A", lower_bound=5.0, upper_bound=1.0), "must be < upper bound"),
        # an indicator placed at level 2 directly under the index
        (GOOD + ind("x4", "IDX", level=2), "indicators must be at the bottom"),
        # a level-1 group
        (GOOD + group("G1", 1, "A"), "a group cannot be at level 1"),
        # level skipped: an indicator directly under the level-3 index
        (GOOD + ind("x4", "IDX"), "a level is skipped"),
        (HEAD + group("IDX", 4) + group("A", 2, "IDX") + ind("x1", "A"), "levels skipped"),
        # indicator used as a parent
        (GOOD + ind("x4", "x1"), "parent is an indicator"),
        (GOOD + ind("x4", "A", lower_bound=0.0, upper_bound=100.0)
         + "benchmark = {value = 120.0, year = 2020, source = 's'}\n", "benchmark outside bounds"),
        (GOOD + ind("x4", "A") + "benchmark = {value = 1.0, year = 1800, source = 's'}\n",
         "benchmark.year"),
        (GOOD + ind("x4", "A") + "benchmark = {value = 1.0, year = 2020, source = ''}\n",
         "benchmark.source"),
        (GOOD + ind("x4", "A") + "benchmark = {value = 1.0, year = 2020, source = 's', "
         "kind = 'forecast'}\n", "benchmark.kind"),
        (GOOD + ind("x4", "A", rollup="weighted_mean"), "rollup_weight must be given exactly"),
        (GOOD + ind("x4", "A", rollup="sum", rollup_weight="pop"),
         "rollup_weight must be given exactly"),
        (GOOD + ind("x4", "A", rollup="median"), "rollup"),
        (GOOD + ind("x4", "A", zero_variance="ignore"), "zero_variance"),
    ],
)
def test_each_rule_has_an_error(text: str, needle: str) -> None:
    probs = problems_of(text)
    assert any(needle in p for p in probs), probs


def test_cycle_is_reported() -> None:
    text = HEAD + group("IDX", 3) + group("A", 2, "B") + group("B", 2, "A") + group(
        "C", 2, "IDX") + ind("x1", "A") + ind("x2", "C")
    probs = problems_of(text)
    assert any("cycle" in p and "成环" in p for p in probs), probs


def test_every_problem_reported_at_once_with_file_name(tmp_path: Path) -> None:
    text = (GOOD + ind("x1", "A") + ind("x4", "Z") + ind("x5", "A", direction=3)
            + ind("x6", "A", weight=-2.0) + group("C", 2, "IDX"))
    p = tmp_path / "broken.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as ei:
        Framework.from_toml(p)
    err = ei.value
    assert err.source == str(p)
    assert len(err.problems) >= 5
    msg = str(err)
    assert "broken.toml" in msg
    assert "指标体系有误" in msg
    assert msg.index("指标体系有误") < msg.index("invalid framework")


def test_entry_errors_name_the_entry(tmp_path: Path) -> None:
    text = GOOD + ind("x4", "A", direction="up") + '[[indicator]]\ncode = "x5"\nparent = "A"\n'
    p = tmp_path / "entries.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as ei:
        framework_from_toml(p)
    probs = ei.value.problems
    assert any(p.startswith("[[indicator]] #4 'x4'") and "direction" in p for p in probs), probs
    assert any(p.startswith("[[indicator]] #5 'x5'") and "name_zh" in p for p in probs), probs
    assert ei.value.source == str(p)


def test_unknown_keys_and_missing_header() -> None:
    probs = problems_of(GOOD + "\n[extra]\na = 1\n")
    assert any("unknown top-level key" in p and "extra" in p for p in probs)
    probs = problems_of(GOOD.replace('code = "t"\n', 'code = "t"\ncolour = "red"\n', 1))
    assert any("unknown field" in p and "colour" in p for p in probs)
    probs = problems_of(GOOD.replace(HEAD, ""))
    assert any("missing [framework]" in p for p in probs)
    probs = problems_of(GOOD + ind("x9", "A", colour="red"))
    assert any("'x9'" in p and "colour" in p for p in probs)


def test_bad_framework_code() -> None:
    probs = problems_of(GOOD.replace('code = "t"', 'code = "1 bad"', 1))
    assert any("[framework]" in p and "code" in p for p in probs)


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "syntax.toml"
    p.write_text(GOOD + "[[indicator]\n", encoding="utf-8")
    with pytest.raises(TomlError) as ei:
        Framework.from_toml(p)
    assert ei.value.source == str(p)
    assert ei.value.line == GOOD.count("\n") + 1


def test_groups_first_order_is_canonical() -> None:
    f = Framework.from_toml_text(GOOD)
    shuffled = Framework(code=f.code, name_zh=f.name_zh, name_en=f.name_en,
                         nodes=(f.indicators[0], *f.groups, *f.indicators[1:]))
    assert shuffled == f
