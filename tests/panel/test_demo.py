"""The README's three-year panel: the panel recovers the known changes that
examples/make_panel_demo.py put into the synthetic 2021 and 2022 files."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import xiangcun_eval as xe

ROOT = Path(__file__).parents[2]
DATA = ROOT / "examples" / "data"
sys.path.insert(0, str(ROOT / "examples"))
import make_panel_demo as demo  # noqa: E402


@pytest.fixture(scope="module")
def panel() -> xe.PanelEvaluation:
    data = {y: xe.read_submissions(DATA / f"demo_counties_{y}.csv", "dvd-2023")
            for y in (2021, 2022, 2023)}
    return xe.evaluate_panel(data, reference="base",
                             crosswalk=xe.Crosswalk.from_csv(DATA / "demo_crosswalk.csv"),
                             unmatched=[demo.NEW_IN_2023])


def test_shipped_files_are_what_the_script_writes() -> None:
    import csv
    import io

    for year, rows in demo.earlier_years().items():
        text = (DATA / f"demo_counties_{year}.csv").read_text(encoding="utf-8")
        assert list(csv.reader(io.StringIO(text)))[1:] == rows


def test_panel_recovers_known_changes(panel: xe.PanelEvaluation) -> None:
    units, areas, c, change = panel.decompose(2022, 2023)
    np.testing.assert_allclose(c.sum(axis=1), change, rtol=0, atol=1e-12)
    a01, a05 = areas.index(demo.GROWTH_AREA), areas.index(demo.LEAP_AREA)
    others = [k for k in range(len(areas)) if k not in (a01, a05)]
    assert np.all(c[:, others] == 0.0)  # untouched areas contribute exactly nothing
    assert np.all(c[:, a01] > 0)  # every county grew in A01
    leap = np.isin(units, demo.LEAPERS)
    assert leap.sum() == len(demo.LEAPERS)
    assert np.all(c[leap, a05] > 0)
    assert np.all(c[~leap, a05] == 0)
    # 2021 -> 2022: A01 only, for everyone, and A05 for nobody (2021 = 2022 there)
    _, _, c1, _ = panel.decompose(2021, 2022)
    assert np.all(c1[:, [*others, a05]] == 0)
    assert np.all(c1[:, a01] > 0)
    means = [float(np.nanmean(panel[y].index)) for y in panel.years]
    assert means[0] < means[1] < means[2]


def test_code_change_and_new_county(panel: xe.PanelEvaluation) -> None:
    assert panel.renamed_codes().column("原代码 old code") == ("130198", "130198")
    t = panel.entering_leaving()
    assert t.column("代码 code") == (demo.NEW_IN_2023,)
    assert t.column("变动 event") == ("进入 entering",)
    tr = panel.trajectories()
    row = tr.column("代码 code").index("130142")
    assert not np.isnan(tr.column("得分 score 2021")[row])


def test_without_crosswalk_the_error_names_both_years() -> None:
    data = {y: xe.read_submissions(DATA / f"demo_counties_{y}.csv", "dvd-2023")
            for y in (2022, 2023)}
    with pytest.raises(xe.PanelError, match=r"130142.*2023.*2022"):
        xe.evaluate_panel(data, reference="base")


def test_per_year_reference_hides_common_progress(panel: xe.PanelEvaluation) -> None:
    """The issue's observation: every county improved in A01, but per-year
    min-max rescales it away (A01 area means are equal across years)."""
    data = {y: panel.inputs[y] for y in panel.years}
    per = xe.evaluate_panel(data, reference="per_year", unmatched="allow")
    a01 = [float(np.nanmean(per[y].score("A01"))) for y in per.years]
    fixed = [float(np.nanmean(panel[y].score("A01"))) for y in panel.years]
    assert fixed[2] - fixed[0] > 5 * abs(a01[2] - a01[0])
    idx = [float(np.nanmean(per[y].index)) for y in per.years]
    assert abs(idx[2] - idx[0]) < 0.1  # the README's per-year figures: 53.75, 53.75, 53.80


def test_readme_panel_block_runs(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S)
                if "evaluate_panel" in b]
    monkeypatch.chdir(ROOT)
    ns: dict[str, object] = {"xe": xe}
    exec(block, ns)
    out = capsys.readouterr().out
    # the figures quoted
    assert "53.75" in out
    assert "54.51" in out
    assert "55.40" in out
    assert "621253" in out
