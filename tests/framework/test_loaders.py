"""Public framework read/write functions bind the Framework class."""

from __future__ import annotations

from pathlib import Path

from helpers import small_framework
from xiangcun_eval.framework import loaders
from xiangcun_eval.framework.model import Framework


def test_public_functions_round_trip(tmp_path: Path) -> None:
    fw = small_framework()
    p = tmp_path / "fw.toml"
    loaders.framework_to_toml(fw, p)
    got = loaders.framework_from_toml(p)
    assert type(got) is Framework
    assert got == fw
    assert loaders.framework_from_dict(loaders.framework_to_dict(fw)) == fw
    meta = loaders.read_imeta(loaders.write_imeta(fw), code=fw.code, name_zh=fw.name_zh,
                              name_en=fw.name_en)
    assert meta.framework == fw
    assert meta.data_columns == fw.indicator_codes
