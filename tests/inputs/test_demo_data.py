"""The synthetic demo data generator and the committed demo file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from xiangcun_eval.framework import Framework
from xiangcun_eval.inputs.readers import read_submissions

ROOT = Path(__file__).resolve().parents[2]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo_data",
                                                  ROOT / "examples" / "make_demo_data.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_demo_data"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_generator_works_for_any_framework(fw: Framework, tmp_path: Path) -> None:
    mod = _module()
    cols = mod.generate(fw, 120, seed=3)
    path = tmp_path / "d.csv"
    path.write_text(mod.to_csv_text(cols), encoding="utf-8")
    data = read_submissions(path, fw)
    assert data.n_units == 120
    general = [j for j, ind in enumerate(fw.indicators) if not ind.applicability]
    miss = np.isnan(data.values[:, general]).mean()
    assert 0.01 < miss < 0.09
    again = mod.generate(fw, 120, seed=3)
    assert all((again[k] == cols[k]).all() for k in cols)  # seeded


def test_committed_demo_file() -> None:
    data = read_submissions(ROOT / "examples" / "data" / "demo_counties_2023.csv", "dvd-2023")
    assert data.n_units == 300 and data.year == 2023
    assert set(data.groups["region"]) == {"东部", "中部", "西部", "东北"}
    general = [j for j, ind in enumerate(data.framework.indicators) if not ind.applicability]
    assert 0.03 <= np.isnan(data.values[:, general]).mean() <= 0.05
    # indicators with an applicability rule are blank where they do not apply
    x832 = data.column("T07_platform_832_sales_per_capita")
    reg0 = np.array(data.groups["region"])
    assert 0.5 < np.isnan(x832).mean() < 0.85
    assert np.isnan(x832[reg0 == "东部"]).mean() > np.isnan(x832[reg0 == "西部"]).mean()
    # east scores higher than west on average on the first indicator
    reg = np.array(data.groups["region"])
    x = data.column(data.indicator_codes[0])
    assert np.nanmean(x[reg == "东部"]) > np.nanmean(x[reg == "西部"])
    mod = _module()
    cols = mod.generate(data.framework, 300)
    text = (ROOT / "examples" / "data" / "demo_counties_2023.csv").read_text(encoding="utf-8")
    assert text == mod.to_csv_text(cols)  # regenerating gives the committed file
