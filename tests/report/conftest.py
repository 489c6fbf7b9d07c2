"""Shared fixtures of the report tests: one document of the demo data with
every section and chart, built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import xiangcun_eval as xe
from helpers import DEMO, demo_evaluation


@pytest.fixture(scope="session")
def demo_doc():
    from xiangcun_eval.report.registry import ReportInputs, build_document

    ev = demo_evaluation()
    data = xe.read_submissions(DEMO, "dvd-2023")
    space = xe.UncertaintySpace(factors=[xe.WeightNoise(levels=(2, 3), noise=0.25)])
    ua = xe.uncertainty(data, xe.Methodology(), space, n=100, seed=2023)
    sa = xe.sensitivity(data, xe.Methodology(), space, n=32, seed=2023, n_boot=20)
    return build_document(ReportInputs(ev, ua, sa))


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory) -> Path:
    """Where rendered pages are kept: $XIANGCUN_ARTEFACTS (CI keeps them), else a temp dir."""
    d = os.environ.get("XIANGCUN_ARTEFACTS")
    p = Path(d) if d else tmp_path_factory.mktemp("rendered")
    p.mkdir(parents=True, exist_ok=True)
    return p
