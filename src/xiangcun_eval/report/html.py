"""Render a :class:`~xiangcun_eval.report.model.Document` to one HTML file.

The file is self-contained: inline CSS, images embedded as ``data:`` URIs, a
small inline script that sorts a table when a header is clicked, no network
access of any kind (no external script, style sheet, font or image).
"""

from __future__ import annotations

import base64
import html
import math
from typing import Any

from ..table import format_value
from .model import Bullets, Document, FigureBlock, Heading, Paragraph, TableBlock

__all__ = ["render_html"]

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",
"PingFang SC","WenQuanYi Micro Hei",sans-serif;max-width:1100px;margin:2em auto;padding:0 1.2em;
color:#222;line-height:1.6}
h1.title{text-align:center;margin-bottom:.2em}p.sub,p.meta{text-align:center;color:#555;margin:.2em}
nav{background:#f6f8fa;border:1px solid #ddd;padding:.6em 1.2em;margin:1.2em 0}
nav ol{margin:0}h2{border-bottom:2px solid #4575b4;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.4em 0 1.2em;font-size:.86em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}td.n{text-align:right;
font-variant-numeric:tabular-nums}th{background:#ddebf7;position:sticky;top:0}
table.sortable th{cursor:pointer}table.sortable th:after{content:" \\2195";color:#888}
.caption{font-weight:bold;margin-top:1em}.note{color:#666;font-size:.9em}
pre.formula{background:#f6f8fa;padding:.4em .8em;overflow-x:auto;white-space:pre-wrap}
figure{margin:1em 0;text-align:center}figure img{max-width:100%}
figcaption{color:#444;font-size:.92em}.scroll{max-height:32em;overflow:auto}
"""

JS = """
document.querySelectorAll('table.sortable').forEach(function(t){
 t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
  var b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.dir!=='asc';
  t.querySelectorAll('th').forEach(function(h){delete h.dataset.dir});
  th.dataset.dir=asc?'asc':'desc';
  rows.sort(function(x,y){var p=x.cells[i].dataset.v||x.cells[i].textContent,
   q=y.cells[i].dataset.v||y.cells[i].textContent,a=parseFloat(p),c=parseFloat(q);
   var r=(!isNaN(a)&&!isNaN(c))?a-c:(isNaN(a)&&!isNaN(c)?1:(!isNaN(a)&&isNaN(c)?-1:
   p.localeCompare(q,'zh')));return asc?r:-r});
  rows.forEach(function(r){b.appendChild(r)});});});});
"""


def _cell(v: Any, digits: int) -> str:
    text = html.escape(format_value(v, digits))
    if isinstance(v, int | float) and not isinstance(v, bool):
        num = "" if isinstance(v, float) and math.isnan(v) else f' data-v="{v!r}"'
        return f'<td class="n"{num}>{text}</td>'
    return f"<td>{text}</td>"


def _table(b: TableBlock) -> str:
    t = b.table
    n = len(t)
    limit = n if b.max_rows is None else min(n, b.max_rows)
    cls = ' class="sortable"' if b.sortable else ""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    rows = []
    for i, r in enumerate(t.rows()):
        if i >= limit:
            break
        rows.append("<tr>" + "".join(_cell(v, b.digits) for v in r) + "</tr>")
    out = [f'<p class="caption">{html.escape(b.caption)}</p>']
    wrap = limit > 40
    if wrap:
        out.append('<div class="scroll">')
    out.append(f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    if wrap:
        out.append("</div>")
    if limit < n:
        out.append(f'<p class="note">列出 {limit} 行, 共 {n} 行 / {limit} of {n} rows shown</p>')
    return "\n".join(out)


def render_html(doc: Document) -> str:
    """Render the report as one HTML document (a string)."""
    e = html.escape
    meta = doc.meta
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}</title><style>{CSS}</style></head><body>",
        f'<h1 class="title">{e(doc.title)}</h1>',
        f'<p class="sub">{e(doc.subtitle)}</p>',
        f'<p class="meta">xiangcun-eval {e(str(meta.get("version", "")))} · '
        f'{e(str(meta.get("date", "")))}</p>',
        "<nav><b>目录 / Contents</b><ol>",
    ]
    parts += [f'<li><a href="#{e(s.key)}">{e(s.title)}</a></li>' for s in doc.sections]
    parts.append("</ol></nav>")
    for k, s in enumerate(doc.sections, start=1):
        parts.append(f'<section id="{e(s.key)}"><h2>{k}. {e(s.title)}</h2>')
        for b in s.blocks:
            if isinstance(b, Heading):
                lv = min(b.level + 1, 6)
                parts.append(f"<h{lv}>{e(b.text)}</h{lv}>")
            elif isinstance(b, Paragraph):
                if b.style == "formula":
                    parts.append(f'<pre class="formula">{e(b.text)}</pre>')
                else:
                    cls = ' class="note"' if b.style == "note" else ""
                    parts.append(f"<p{cls}>{e(b.text)}</p>")
            elif isinstance(b, Bullets):
                parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
            elif isinstance(b, TableBlock):
                parts.append(_table(b))
            elif isinstance(b, FigureBlock):
                data = base64.b64encode(b.png).decode("ascii")
                parts.append(f'<figure><img alt="{e(b.caption)}" src="data:image/png;base64,'
                             f'{data}"><figcaption>{e(b.caption)}</figcaption></figure>')
        parts.append("</section>")
    parts.append(f"<script>{JS}</script></body></html>")
    return "\n".join(parts)
