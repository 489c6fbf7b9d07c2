"""``xiangcun-eval frameworks`` and ``--version``."""

from __future__ import annotations

import re

import pytest

import xiangcun_eval as xe
from xiangcun_eval.cli import main
from xiangcun_eval.cli.frameworks import tree_lines


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    for name in xe.BUILTIN_FRAMEWORKS:
        assert name in out
    n = len(xe.load_framework("dvd-2023").indicators)
    assert f"{n} 个指标 indicators" in out


def test_show_tree_with_weights(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "dvd-2023", "--depth", "1"]) == 0
    out = capsys.readouterr().out
    areas = [ln for ln in out.splitlines() if re.match(r"^[├└]─ A\d\d", ln)]
    assert len(areas) == 10
    assert all("w=0.100" in ln for ln in areas)
    fw = xe.load_framework("dvd-2023")
    lines = tree_lines(fw)
    assert len(lines) == len(fw.nodes)
    codes = set(fw.indicator_codes)
    inds = [ln for ln in lines[1:] if re.search(r"─ (\S+) ", ln).group(1) in codes]
    assert len(inds) == len(codes)
    assert sum(float(re.search(r"eff=([0-9.]+)", ln).group(1)) for ln in inds) == \
        pytest.approx(1.0, abs=5e-3)


def test_unknown_framework_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "nosuch"]) == 2
    assert "nosuch" in capsys.readouterr().err
    with pytest.raises(SystemExit) as ei:
        main(["--version"])
    assert ei.value.code == 0
    assert capsys.readouterr().out.strip() == f"xiangcun-eval {xe.__version__}"
