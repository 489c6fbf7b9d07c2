"""What the methods appendix says about a method.

Its bilingual label, its formula and reference, read from the method's registered
docstring (the single source: every method's docstring gives its formula and
reference).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

__all__ = ["MethodDoc", "describe"]

_REGISTRIES = {
    "impute": "xiangcun_eval.methods.impute",
    "treat": "xiangcun_eval.methods.treat",
    "normalise": "xiangcun_eval.methods.normalise.registry",
    "weights": "xiangcun_eval.methods.weights.registry",
    "aggregate": "xiangcun_eval.methods.aggregate.registry",
}


@dataclass(frozen=True)
class MethodDoc:
    """What the methods appendix shows for one method of one stage."""

    stage: str
    name: str
    label: str
    formula: str
    reference: str


def _formula(doc: str) -> str:
    lines = doc.splitlines()
    out: list[str] = []
    for k, line in enumerate(lines):
        s = line.strip()
        if s.startswith(".. math::"):
            rest = s.removeprefix(".. math::").strip()
            if rest:
                out.append(rest)
            else:
                for nxt in lines[k + 1:]:
                    if nxt.strip() == "" and out:
                        break
                    if nxt.strip():
                        out.append(nxt.strip())
            break
    return " ".join(out)


def _reference(doc: str) -> str:
    text = " ".join(doc.split())
    m = re.search(r"References?\s*[:\-]+\s*(.+?)(?:\s{2,}|$)", text)
    if m:
        return m.group(1)[:300]
    m = re.search(r"\b(?:OECD|JRC|COINr|Saaty|Hwang|Diakoulaki|Saltelli|Jansen)[^.]*\.", text)
    return m.group(0)[:300] if m else ""


def describe(stage: str, name: str) -> MethodDoc:
    """Label, formula and reference of the method ``name`` of ``stage``.

    ``stage`` is ``impute``, ``treat``, ``normalise``, ``weights`` or ``aggregate``.
    """
    reg = importlib.import_module(_REGISTRIES[stage]).REGISTRY
    info = reg.get(name)
    doc = info.func.__doc__ or ""
    return MethodDoc(stage, name, info.label, _formula(doc), _reference(doc))
