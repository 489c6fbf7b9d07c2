import xiangcun_eval as xe
from helpers import demo_evaluation
from xiangcun_eval.report.model import Paragraph, TableBlock
from xiangcun_eval.report.registry import ReportInputs
from xiangcun_eval.report.sections.methods import appendix


def test_appendix_formulas_weights_and_digests():
    ev = demo_evaluation()
    blocks = appendix(ReportInputs(ev, charts=False))
    formulas = [b.text for b in blocks if isinstance(b, Paragraph) and b.style == "formula"]
    assert any(r"\min x'" in f for f in formulas)  # min-max from its docstring
    text = "\n".join(getattr(b, "text", "") for b in blocks)
    assert ev.data_digest in " ".join(str(i) for b in blocks for i in getattr(b, "items", ()))
    assert "framework's weights" in text
    tables = [b.table for b in blocks if isinstance(b, TableBlock)]
    assert len(tables[0]) == len(ev.framework.nodes) - 1  # every node below the index
    assert len(tables[1]) == len(ev.framework.indicators)


def test_entropy_methodology_lists_entropy():
    data = demo_evaluation().data
    m = xe.Methodology(name="熵权", weights_by_level={2: xe.WeightSpec(method="entropy")})
    blocks = appendix(ReportInputs(xe.evaluate(data, m), charts=False))
    assert any("熵权法" in b.text for b in blocks if isinstance(b, Paragraph))
