import openpyxl
import pytest

from helpers import demo_evaluation, hostile_evaluation
from xiangcun_eval.errors import OutputExistsError
from xiangcun_eval.export.excel import display_width, problems_table_of
from xiangcun_eval.inputs.problems import Problem


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    ev = demo_evaluation()
    p = tmp_path_factory.mktemp("x") / "评价结果.xlsx"
    probs = [Problem("out_of_bounds", "超出范围", "out of bounds", "检查", "check", row=3,
                     county="130142", indicator="X1", value="=1+1")]
    assert ev.to_excel(p, problems=probs) == p
    return ev, openpyxl.load_workbook(p)


def test_sheets(book):
    ev, wb = book
    assert wb.sheetnames == ["排名 ranking", "领域得分 areas", "任务得分 tasks",
                             "标准化指标 normalised", "原始数据 raw values", "目标达成 attainment",
                             "权重 weights", "方法 methodology", "数据问题 problems"]
    ws = wb["排名 ranking"]
    head = [c.value for c in ws[1]]
    assert head[:7] == ["代码 code", "名称 name", "省份 province", "地区 region", "等级 grade",
                        "得分 score", "排名 rank"]
    assert "省内排名 rank_in_province" in head
    assert "区域内排名 rank_in_region" in head
    assert ws.max_row == len(ev.units) + 1
    assert [ws.cell(i, 7).value for i in range(2, 5)] == [1, 2, 3]
    assert ws.freeze_panes == "A2"
    # number formats: integer ranks, 2-decimal scores
    assert ws.cell(2, 7).number_format == "0"
    assert ws.cell(2, 6).number_format == "0.00"
    # conditional fill by grade on the grade column
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert len(rules) == 5
    assert all("E2=" in r.formula[0] for r in rules)
    # widths fit Chinese names (2 per character)
    longest = max(display_width(str(c.value)) for c in ws["B"][1:])
    assert ws.column_dimensions["B"].width >= longest


def test_values_read_back(book):
    ev, wb = book
    ws = wb["标准化指标 normalised"]
    code = ws.cell(2, 1).value
    i = ev.data.unit_index(code)
    j = ev.framework.indicator_codes[0]
    head = [c.value for c in ws[1]]
    col = next(k for k, h in enumerate(head, 1) if h.endswith(f"normalised_{j}"))
    assert ws.cell(2, col).value == pytest.approx(ev.score(j)[i], rel=1e-12)
    meth = {r[0].value: r[1].value for r in wb["方法 methodology"].iter_rows(min_row=2)}
    assert meth["数据摘要 data sha256"] == ev.data_digest
    assert any(k.startswith("方法 methodology.normalise") for k in meth)
    prob = wb["数据问题 problems"]
    assert prob.cell(2, 2).value == "130142"
    assert prob.cell(2, 4).value == "'=1+1"


def test_no_formula_cell_anywhere(tmp_path):
    ev = hostile_evaluation()
    p = tmp_path / "h.xlsx"
    ev.to_excel(p)
    wb = openpyxl.load_workbook(p)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://x\",\"点\")" in texts


def test_overwrite_guard_and_optional_sheets(tmp_path):
    from helpers import small_data
    from xiangcun_eval import (
        Methodology,
        UncertaintySpace,
        WeightNoise,
        evaluate,
        sensitivity,
        uncertainty,
    )

    d = small_data(20)
    ev = evaluate(d)
    space = UncertaintySpace(factors=[WeightNoise(levels=(2,), noise=0.2)])
    ua = uncertainty(d, Methodology(), space, n=50, seed=1)
    sa = sensitivity(d, Methodology(), space, n=16, seed=1, n_boot=10)
    p = tmp_path / "u.xlsx"
    ev.to_excel(p, uncertainty=ua, sensitivity=sa, lang="en")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames[-2:] == ["不确定性 uncertainty", "敏感性 sensitivity"]
    assert wb["排名 ranking"].cell(1, 5).value == "grade"
    with pytest.raises(OutputExistsError):
        ev.to_excel(p)
    ev.to_excel(p, overwrite=True)
    assert "不确定性 uncertainty" not in openpyxl.load_workbook(p).sheetnames


def test_problems_from_quarantine_report_and_none():
    from helpers import DEMO
    from xiangcun_eval import read_submissions

    lines = DEMO.read_text(encoding="utf-8").splitlines()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as td:
        bad = Path(td) / "bad.csv"
        bad.write_text("\n".join([lines[0], lines[1].replace(",80.4,", ",180.4,", 1),
                                  *lines[2:20]]), encoding="utf-8")
        res = read_submissions(bad, "dvd-2023", mode="quarantine")
    t = problems_table_of(res.report)
    kinds = list(t.column("类别 kind"))
    assert "above_upper_bound" in kinds  # (the 19 rows may also leave a column empty)
    assert t.column("行 row")[kinds.index("above_upper_bound")] == 2
    none = problems_table_of(None)
    assert none.column("问题 problem") == ("无问题 / no problems recorded",)
