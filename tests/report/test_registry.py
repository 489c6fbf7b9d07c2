import pytest

import xiangcun_eval as xe
from xiangcun_eval.report.model import Paragraph
from xiangcun_eval.report.registry import ReportInputs, build_document, section, sections


@pytest.fixture(scope="module")
def ev():
    from helpers import asem_data

    return xe.evaluate(asem_data(), xe.Methodology())


def test_builtin_sections_in_order():
    keys = [s.key for s in sections()]
    assert keys[0] == "summary"
    assert keys[-1] == "appendix"
    orders = [s.order for s in sections()]
    assert orders == sorted(orders)


def test_registered_section_is_used_and_none_leaves_it_out(ev):
    @section("zz_test", order=95, title="测试 / test")
    def extra(inputs):
        if "flag" not in inputs.extra:
            return None
        return [Paragraph("附加内容 / extra content")]

    try:
        doc = build_document(ReportInputs(ev))
        assert "zz_test" not in [s.key for s in doc.sections]
        doc = build_document(ReportInputs(ev, extra={"flag": 1}))
        assert doc.section("zz_test").blocks == (Paragraph("附加内容 / extra content"),)
        assert "附加内容" in doc.text()
    finally:
        from xiangcun_eval.report import registry

        registry._SECTIONS.pop("zz_test")


def test_only_and_unknown_section(ev):
    doc = build_document(ReportInputs(ev), only=["appendix"])
    assert [s.key for s in doc.sections] == ["appendix"]
    assert ev.framework_digest in doc.text()
    with pytest.raises(xe.OptionError, match="nosuch"):
        build_document(ReportInputs(ev), only=["nosuch"])
