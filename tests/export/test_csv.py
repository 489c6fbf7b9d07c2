import csv
import io

import pandas as pd
import pytest

from helpers import demo_evaluation, hostile_evaluation
from xiangcun_eval.errors import OutputExistsError
from xiangcun_eval.export.csv import csv_text, provenance_lines
from xiangcun_eval.table import Table


def test_csv_bom_rank_order_and_provenance_header(tmp_path):
    ev = demo_evaluation()
    p = tmp_path / "结果.csv"
    ev.to_csv(p)
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf#")
    lines = raw.decode("utf-8-sig").splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    assert len(head) == 4
    assert ev.methodology.name in head[1]
    assert ev.methodology_digest in head[1]
    assert ev.data_digest in head[3]
    df = pd.read_csv(p, comment="#", encoding="utf-8-sig", dtype={"代码 code": str})
    assert len(df) == len(ev.units)
    assert df["排名 rank"].is_monotonic_increasing
    assert df["代码 code"].iloc[0] == ev.units[int(ev.rank.argmin())]


def test_csv_never_overwrites_without_flag(tmp_path):
    ev = demo_evaluation()
    p = tmp_path / "r.csv"
    p.write_text("keep", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        ev.to_csv(p)
    assert p.read_text(encoding="utf-8") == "keep"
    ev.to_csv(p, overwrite=True, provenance=False, lang="code")
    assert p.read_text(encoding="utf-8-sig").startswith("code,name,")
    with pytest.raises(OutputExistsError):
        ev.table().to_csv(p)
    with pytest.raises(OutputExistsError):
        ev.to_json(p)


def test_csv_neutralises_formulas(tmp_path):
    ev = hostile_evaluation()
    p = tmp_path / "h.csv"
    ev.to_csv(p)
    rows = list(csv.reader(io.StringIO(p.read_bytes().decode("utf-8-sig"), newline="")))
    assert len(rows) == 4 + 1 + len(ev.units)  # the CR inside a name is quoted
    cells = [c for r in rows if r and not r[0].startswith("#") for c in r]
    bad = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
           or (c.startswith("-") and not _is_number(c))]
    assert bad == []
    assert "'=cmd|' /C calc'!A0" in cells


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def test_comment_lines_cannot_break_out():
    t = Table.from_columns({"a": ["x"]})
    text = csv_text(t, comments=["one\nmethodology = evil", "two"])
    assert text.splitlines()[:2] == ["# one methodology = evil", "# two"]
    assert len(provenance_lines(demo_evaluation())) == 4
