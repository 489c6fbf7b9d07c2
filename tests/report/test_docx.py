import io
import re
import subprocess

import pytest

from helpers import need_tool
from xiangcun_eval.report.docx import DOCX_MAX_ROWS, render_docx


@pytest.fixture(scope="module")
def docx_bytes(demo_doc):
    return render_docx(demo_doc)


def test_structure(docx_bytes, demo_doc):
    import docx

    d = docx.Document(io.BytesIO(docx_bytes))
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert heads == [f"{k}. {s.title}" for k, s in enumerate(demo_doc.sections, start=1)]
    assert d.paragraphs[0].text == demo_doc.title
    assert len(d.inline_shapes) >= 8
    assert all(len(t.rows) <= DOCX_MAX_ROWS + 1 for t in d.tables)
    # East Asian font and language set on the body style
    rpr = d.styles["Normal"].element.rPr.xml
    assert 'w:eastAsia="宋体"' in rpr
    assert 'w:eastAsia="zh-CN"' in rpr


def test_full_ranking_complete_and_long_table_cut(docx_bytes):
    import docx

    from xiangcun_eval.report.model import Document, Section, TableBlock
    from xiangcun_eval.table import Table

    d = docx.Document(io.BytesIO(docx_bytes))
    assert max(len(t.rows) for t in d.tables) == 301  # 300 demo units + header
    n = DOCX_MAX_ROWS + 5
    big = Table.from_columns({"a": list(range(n))})
    doc = Document("t", "s", (Section("k", "标题", (TableBlock(big, "大表"),)),))
    d = docx.Document(io.BytesIO(render_docx(doc)))
    assert len(d.tables[0].rows) == DOCX_MAX_ROWS + 1
    assert any(f"共 {n} 行" in p.text for p in d.paragraphs)


def test_rendered_by_libreoffice(docx_bytes, tmp_path, artefacts):
    lo = need_tool("libreoffice")
    src = tmp_path / "报告.docx"
    src.write_bytes(docx_bytes)
    subprocess.run([lo, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, text=True, timeout=300, check=True)
    pdf = tmp_path / "报告.pdf"
    text = subprocess.run([need_tool("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for s in ("1.摘要/Summary", "3.总体结果/Overalresults".replace("al", "all"),
              "稳健性/Robustness", "附录:方法说明", "县域数字乡村发展评价", "江苏模拟95县"):
        assert s in flat, s
    fonts = subprocess.run([need_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"CJK|Han|WenQuanYi|Droid", fonts), fonts
    rows = [ln.split() for ln in fonts.splitlines()[2:]]
    # every font embedded
    assert rows
    assert all(r[-5] == "yes" for r in rows)
    subprocess.run([need_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
                    str(artefacts / "report-docx-page")], check=True)
    assert (artefacts / "report-docx-page-01.png").stat().st_size > 20_000
