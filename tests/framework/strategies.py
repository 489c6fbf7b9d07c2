"""Hypothesis strategy: random valid frameworks of depth 2-4."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from xiangcun_eval.framework import Framework, Group, Indicator

_ALPHA = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXT = st.text(_ALPHA, max_size=10)
NAME = st.text(_ALPHA, min_size=1, max_size=10)
# iMeta columns read by COINr rules (iName, Unit) are stripped and "NA" means missing.
COINR_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")),
                     min_size=1, max_size=10).filter(lambda s: s not in {"NA", "NaN", "nan", "N/A",
                                                                          "NULL", "null"}
                                                                  and s == s.strip())
CODE = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True)
FLOAT = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
WEIGHT = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False))


@st.composite
def indicator_fields(draw: st.DrawFn, *, coinr: bool) -> dict[str, Any]:
    lo = draw(st.one_of(st.none(), FLOAT))
    hi = draw(st.one_of(st.none(), FLOAT))
    if lo is not None and hi is not None and lo >= hi:
        hi = None
    span_lo = lo if lo is not None else (hi - 100 if hi is not None else -100.0)
    span_hi = hi if hi is not None else span_lo + 200.0

    def inside(t: float) -> float:
        return min(span_hi, max(span_lo, span_lo + t * (span_hi - span_lo)))

    target = draw(st.one_of(st.none(), st.floats(0, 1).map(inside)))
    goal = None
    if draw(st.booleans()):
        a, b = sorted(draw(st.lists(st.floats(0, 1), min_size=2, max_size=2)))
        g0, g1 = inside(a), inside(b)
        if g0 < g1:
            goal = (g0, g1)
    text = COINR_TEXT if coinr else TEXT
    return {
        "unit": draw(st.one_of(st.just(""), text)),
        "direction": draw(st.sampled_from([1, -1])),
        "lower_bound": lo,
        "upper_bound": hi,
        "target": target,
        "goalposts": goal,
        "denominator": draw(st.one_of(st.none(), CODE.map(lambda c: "den_" + c))),
        "source": draw(TEXT),
        "definition": draw(TEXT),
        "formula": draw(TEXT),
        "policy_task": draw(st.one_of(st.none(), CODE)),
        "reference": draw(TEXT),
    }


@st.composite
def frameworks(draw: st.DrawFn, *, coinr: bool = False) -> Framework:
    """A valid framework; ``coinr=True`` keeps iMeta-stripped fields clean."""
    depth = draw(st.integers(2, 4))
    name_en = COINR_TEXT if coinr else NAME
    nodes: list[Group | Indicator] = []
    parents = ["R"]
    nodes.append(Group(code="R", name_zh=draw(NAME), name_en=draw(name_en), level=depth,
                       description=draw(TEXT)))
    for level in range(depth - 1, 0, -1):
        n = draw(st.integers(len(parents), len(parents) + 3))
        assign = parents + [draw(st.sampled_from(parents)) for _ in range(n - len(parents))]
        order = draw(st.permutations(assign))
        codes = [f"L{level}_{i}" for i in range(n)]
        for code, parent in zip(codes, order, strict=True):
            common = {"code": code, "name_zh": draw(NAME), "name_en": draw(name_en),
                      "level": level, "parent": parent, "weight": draw(WEIGHT),
                      "description": draw(TEXT)}
            if level == 1:
                nodes.append(Indicator(**common, **draw(indicator_fields(coinr=coinr))))
            else:
                nodes.append(Group(**common))
        parents = codes
    nodes = draw(st.permutations(nodes))
    return Framework(code=draw(CODE), name_zh=draw(NAME), name_en=draw(NAME),
                     version=draw(TEXT), description=draw(TEXT), reference=draw(TEXT),
                     nodes=tuple(nodes))
