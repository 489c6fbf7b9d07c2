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
    miss = np.isnan(data.values).mean()
    assert 0.01 < miss < 0.09
    again = mod.generate(fw, 120, seed=3)
    assert all((again[k] == cols[k]).all() for k in cols)  # seeded


def test_committed_demo_file() -> None:
    data = read_submissions(ROOT / "examples" / "data" / "demo_counties_2023.csv", "dvd-2023")
    assert data.n_units == 300 and data.year == 2023
    assert set(data.groups["region"]) == {"东部", "中部", "西部", "东北"}
    assert 0.03 <= np.isnan(data.values).mean() <= 0.05
    # east scores higher than west on average on the first indicator
    reg = np.array(data.groups["region"])
    x = data.column(data.indicator_codes[0])
    assert np.nanmean(x[reg == "东部"]) > np.nanmean(x[reg == "西部"])
    mod = _module()
    cols = mod.generate(data.framework, 300)
    text = (ROOT / "examples" / "data" / "demo_counties_2023.csv").read_text(encoding="utf-8")
    assert text == mod.to_csv_text(cols)  # regenerating gives the committed file
