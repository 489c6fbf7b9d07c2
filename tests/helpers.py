"""Shared test helpers: a small three-level framework and synthetic data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from xiangcun_eval.framework.model import Framework, Group, Indicator
from xiangcun_eval.framework.registry import load_framework
from xiangcun_eval.inputs.data import UnitData
from xiangcun_eval.inputs.readers import read_unit_table
from xiangcun_eval.methodology import ImputeSpec, Methodology, TreatSpec
from xiangcun_eval.results import Evaluation

DATA = Path(__file__).parent / "data"
ASEM = DATA / "asem"


def small_framework(directions: tuple[int, ...] = (1, 1, -1, 1, 1)) -> Framework:
    """Index -> 2 groups -> 5 indicators (x3 is a cost indicator by default)."""
    ind = [
        Indicator(code=f"x{k + 1}", name_zh=f"指标{k + 1}", name_en=f"Indicator {k + 1}", level=1,
                  parent="A" if k < 3 else "B", unit="%", direction=d, lower_bound=0.0,
                  upper_bound=100.0, target=60.0 if k == 0 else None)
        for k, d in enumerate(directions)
    ]
    return Framework(
        code="small", name_zh="小框架", name_en="Small framework",
        nodes=(
            Group(code="IDX", name_zh="指数", name_en="Index", level=3),
            Group(code="A", name_zh="甲组", name_en="Group A", level=2, parent="IDX", weight=2.0),
            Group(code="B", name_zh="乙组", name_en="Group B", level=2, parent="IDX", weight=1.0),
            *ind,
        ),
    )


def small_data(n: int = 40, seed: int = 0, missing: float = 0.0,
               fw: Framework | None = None) -> UnitData:
    fw = fw or small_framework()
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1))
    x = np.clip(50 + 15 * latent + 10 * rng.normal(size=(n, len(fw.indicator_codes))), 0.5, 99.5)
    if missing:
        x[rng.random(x.shape) < missing] = np.nan
    provinces = ["浙江", "河南", "四川", "吉林"]
    regions = {"浙江": "东部", "河南": "中部", "四川": "西部", "吉林": "东北"}
    prov = tuple(provinces[i % 4] for i in range(n))
    return UnitData(
        framework=fw, units=tuple(f"U{i:03d}" for i in range(n)),
        names=tuple(f"单位{i}" for i in range(n)), values=x,
        groups={"province": prov, "region": tuple(regions[p] for p in prov)}, year=2023,
    )


@cache
def asem_data() -> UnitData:
    """COINr's ASEM example (tests/data/asem, MIT) as UnitData."""
    return read_unit_table(ASEM / "iData.csv", load_framework(ASEM / "iMeta.csv"))


@cache
def asem() -> tuple[UnitData, Methodology]:
    """COINr's example coin: Denominate, i_mean_grp by EurAsia_group, Treat
    (winsorise, log_CT fallback), n_minmax [0, 100], a_amean, iMeta weights."""
    m = Methodology(denominate=True,
                    impute=ImputeSpec(method="group_mean", group_by="EurAsia_group"),
                    treat=TreatSpec(method="winsorise"))
    return asem_data(), m


DEMO = Path(__file__).resolve().parents[1] / "examples" / "data" / "demo_counties_2023.csv"


@cache
def demo_evaluation() -> Evaluation:
    """The shipped synthetic demo (300 counties, dvd-2023), default methodology."""
    from xiangcun_eval.evaluate import evaluate
    from xiangcun_eval.inputs.readers import read_submissions

    return evaluate(read_submissions(DEMO, "dvd-2023"))


@cache
def hostile_evaluation() -> Evaluation:
    """A small evaluation whose unit names and groups begin like spreadsheet
    formulas (formula-injection tests)."""
    import dataclasses

    from xiangcun_eval.evaluate import evaluate

    d = small_data(12)
    bad = ("=HYPERLINK(\"http://x\",\"点\")", "+1", "-2", "@SUM(A1)", "\t=1", "\r=2")
    names = tuple(bad[i] if i < len(bad) else n for i, n in enumerate(d.names))
    prov = tuple("=cmd|' /C calc'!A0" if i == 0 else p
                 for i, p in enumerate(d.groups["province"]))
    return evaluate(dataclasses.replace(d, names=names, groups={**d.groups, "province": prov}))


def peer(module: str):  # type: ignore[no-untyped-def]
    """Import a reference (peer) library: skip locally when absent, fail when
    env ``CI`` is set (reference tests must not skip in CI)."""
    import importlib
    import os

    import pytest

    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module)


def need_tool(name: str) -> str:
    """Path of a Debian tool; a failure in CI (``.ci/run`` installs it), a skip elsewhere."""
    import os
    import shutil

    import pytest

    path = shutil.which(name)
    if path is None:
        msg = f"{name} not installed (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path
