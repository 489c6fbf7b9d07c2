"""Shared fixtures."""

from __future__ import annotations

import pytest

from helpers import small_data, small_framework
from xiangcun_eval.framework.model import Framework
from xiangcun_eval.inputs.data import UnitData


@pytest.fixture
def fw() -> Framework:
    return small_framework()


@pytest.fixture
def data() -> UnitData:
    return small_data()
