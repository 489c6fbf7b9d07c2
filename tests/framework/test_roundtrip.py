"""Any valid framework survives TOML and iMeta round trips identically."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from xiangcun_eval.framework import Framework, read_imeta, write_imeta

from .strategies import frameworks

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(frameworks())
def test_toml_round_trip(fw: Framework) -> None:
    text = fw.to_toml()
    back = Framework.from_toml_text(text)
    assert back == fw
    assert back.to_toml() == text
    assert back.digest() == fw.digest()


@SETTINGS
@given(frameworks(coinr=True))
def test_imeta_round_trip(fw: Framework) -> None:
    meta = {"code": fw.code, "name_zh": fw.name_zh, "name_en": fw.name_en, "version": fw.version,
            "description": fw.description, "reference": fw.reference}
    text = fw.to_imeta(groups=["grp_a"])
    got = read_imeta(text, **meta)
    assert got.framework == fw
    assert got.group_columns == ("grp_a",)
    dens = tuple(dict.fromkeys(i.denominator for i in fw.indicators if i.denominator))
    assert got.denominator_columns == dens
    assert write_imeta(got.framework, groups=got.group_columns) == text
    # rows (as from csv.DictReader or a DataFrame) read the same way
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(text)))
    assert Framework.from_imeta(rows, **meta) == fw


def test_to_toml_writes_file(tmp_path: Path) -> None:
    fw = Framework.from_toml_text(
        '[framework]\ncode = "small"\nname_zh = "小框架"\nname_en = "Small framework"\n'
        '[[group]]\ncode = "IDX"\nname_zh = "指数"\nname_en = "Index"\nlevel = 2\n'
        '[[indicator]]\ncode = "x1"\nname_zh = "指标1"\nname_en = "Indicator 1"\n'
        'parent = "IDX"\nunit = "%"\nlower_bound = 0.0\nupper_bound = 100.0\ntarget = 60.0\n'
    )
    p = tmp_path / "small.toml"
    text = fw.to_toml(p)
    assert p.read_text(encoding="utf-8") == text
    assert Framework.from_toml(p) == fw
    assert Framework.from_toml(str(p)) == fw
    q = tmp_path / "small.csv"
    fw.to_imeta(q)
    assert Framework.from_imeta(q, code="small", name_zh="小框架", name_en="Small framework") == fw
