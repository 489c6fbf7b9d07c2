import pytest

import xiangcun_eval as xe
from helpers import small_data
from xiangcun_eval.report.build import write_report


@pytest.fixture(scope="module")
def ev():
    return xe.evaluate(small_data(15))


def test_format_from_suffix_and_overwrite(ev, tmp_path):
    p = write_report(ev, tmp_path / "r.html", charts=False)
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(xe.OutputExistsError):
        write_report(ev, p, charts=False)
    write_report(ev, p, charts=False, overwrite=True, sections=["summary"])
    assert 'id="appendix"' not in p.read_text(encoding="utf-8")
    d = ev.to_report(tmp_path / "r.docx", charts=False, title="测试报告")
    assert d.read_bytes()[:2] == b"PK"
    x = write_report(ev, tmp_path / "noext", format="html", charts=False)
    assert x.stat().st_size > 0


def test_bad_format(ev, tmp_path):
    with pytest.raises(xe.OptionError, match=r"\.docx or \.html"):
        write_report(ev, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()
