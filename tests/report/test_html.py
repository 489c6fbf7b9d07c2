import re
import subprocess

import pytest

from helpers import need_tool
from xiangcun_eval.report.html import render_html

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-component-update", "--disable-sync",
                  "--disable-quic"]


def _chromium(tmp_path, *args):
    exe = need_tool("chromium")
    prof = tmp_path / "profile"
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={prof}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(demo_doc):
    return render_html(demo_doc)


def test_self_contained(page):
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs
    assert all(r.startswith(("data:image/png;base64,", "#")) for r in refs)
    assert "url(" not in page
    assert "@import" not in page
    assert not re.search(r"<(?:link|iframe|object|embed)\b", page)
    assert re.findall(r"<script\b[^>]*>", page) == ["<script>"]  # inline only
    assert page.count("<img ") >= 8


def test_sections_and_sortable_table(page, demo_doc):
    for s in demo_doc.sections:
        assert f'id="{s.key}"' in page
        assert s.title in page
    assert 'class="sortable"' in page
    assert "<script>" in page
    assert "addEventListener('click'" in page


def test_text_is_escaped():
    from xiangcun_eval.report.model import Document, Paragraph, Section

    doc = Document("<b>x</b>", "s", (Section("k", "t", (Paragraph("<script>alert(1)</script>"),)),))
    out = render_html(doc)
    assert "<script>alert" not in out
    assert "&lt;script&gt;alert(1)" in out


def test_rendered_in_chromium(page, tmp_path, artefacts):
    html = tmp_path / "报告.html"
    html.write_text(page, encoding="utf-8")
    shot = artefacts / "report-html.png"
    _chromium(tmp_path, "--window-size=1200,1600", f"--screenshot={shot}", html.as_uri())
    assert shot.stat().st_size > 50_000
    pdf = tmp_path / "page.pdf"
    _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    text = subprocess.run([need_tool("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for title in ("摘要 / Summary", "总体结果 / Overall results", "稳健性 / Robustness",
                  "附录: 方法说明"):
        assert title in text
    assert "县域数字乡村发展评价" in text


GLYPH_CHECK = """<script>
(function(){
 var fam=getComputedStyle(document.body).fontFamily, seen={}, chars=[];
 for (const ch of document.body.innerText){ if(ch.codePointAt(0)>=0x2E80&&!seen[ch]){seen[ch]=1;
   chars.push(ch);} }
 var c=document.createElement('canvas');c.width=c.height=40;var x=c.getContext('2d');
 function img(ch){x.clearRect(0,0,40,40);x.font='32px '+fam;x.fillText(ch,2,32);
   return Array.from(x.getImageData(0,0,40,40).data).join(',');}
 var tofu=img(String.fromCodePoint(0x10FFFD)), blank=img(' '), missing=[];
 chars.forEach(function(ch){var i=img(ch); if(i===tofu||i===blank) missing.push(ch);});
 var d=document.createElement('div');d.id='glyphcheck';
 d.textContent='checked:'+chars.length+';missing:'+missing.length+';'+missing.join('');
 document.body.appendChild(d);})();
</script></body>"""


def test_no_missing_glyphs_in_chromium(page, tmp_path):
    """Every CJK character on the page draws differently from the missing-glyph box."""
    html = tmp_path / "glyphs.html"
    html.write_text(page.replace("</body>", GLYPH_CHECK), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", html.as_uri()).stdout
    m = re.search(r'id="glyphcheck">checked:(\d+);missing:(\d+);([^<]*)<', dom)
    assert m, dom[-500:]
    assert int(m.group(1)) > 200  # the page has hundreds of distinct Chinese characters
    assert int(m.group(2)) == 0, f"missing glyphs: {m.group(3)}"


def test_sorting_works_in_chromium(page, tmp_path):
    """Click the score header of the full ranking in a real browser and read the DOM back."""
    click = ("<script>var t=document.querySelectorAll('table.sortable')[0];"
             "var h=Array.from(t.tHead.rows[0].cells).findIndex(c=>c.textContent.startsWith("
             "'得分'));t.tHead.rows[0].cells[h].click();</script></body>")
    html = tmp_path / "sort.html"
    html.write_text(page.replace("</body>", click), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", html.as_uri()).stdout
    table = dom[dom.index('class="sortable"'):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    first = re.findall(r"<tr>(.*?)</tr>", body)[:3]
    ranks = [int(re.findall(r">([^<]*)</td>", r)[0]) for r in first]
    assert ranks == sorted(ranks, reverse=True)  # ascending score = worst rank first


def test_glyph_check_detects_missing_glyphs(tmp_path):
    """The check above fails when Chromium sees no CJK font (fontconfig limited to DejaVu)."""
    import os
    from pathlib import Path

    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("no DejaVu fonts to build a CJK-free font configuration")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{dejavu}</dir>'
                    f"<cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>", encoding="utf-8")
    html = tmp_path / "g.html"
    html.write_text("<html><body><p>数字乡村 abc</p></body></html>".replace("</body>",
                                                                        GLYPH_CHECK),
                    encoding="utf-8")
    exe = need_tool("chromium")
    out = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p'}",
                          "--dump-dom", html.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True,
                         env={**os.environ, "FONTCONFIG_FILE": str(conf)}).stdout
    assert "checked:4;missing:4;数字乡村" in out
