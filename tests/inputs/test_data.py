"""``UnitData``: construction checks, read-only values, accessors, subset, digest."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import small_data, small_framework
from xiangcun_eval.inputs.data import UnitData


def _data(values=None, **kw):  # type: ignore[no-untyped-def]
    fw = small_framework()
    vals = np.arange(15.0).reshape(3, 5) if values is None else values
    args = dict(framework=fw, units=("A1", "A2", "A3"), names=("甲", "乙", "丙"), values=vals,
                groups={"region": ("东部", "", "东部")}, year=2023)
    args.update(kw)
    return UnitData(**args)


def test_values_are_a_read_only_copy() -> None:
    src = np.arange(15.0).reshape(3, 5)
    d = _data(src)
    src[0, 0] = 99.0
    assert d.values[0, 0] == 0.0
    assert d.values.dtype == np.float64
    with pytest.raises(ValueError, match="read-only"):
        d.values[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        d.column("x2")[0] = 1.0
    with pytest.raises(TypeError):
        d.groups["region"] = ("x", "y", "z")  # type: ignore[index]


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"values": np.zeros((3, 4))}, r"shape \(3, 4\), expected \(n_units=3, n_indicators=5\)"),
        ({"names": ("甲", "乙")}, "2 names for 3 units"),
        ({"units": ("A1", "A2", "A1")}, r"duplicate unit codes: \['A1'\]"),
        ({"groups": {"region": ("a",)}}, "group column 'region' has 1 entries for 3 units"),
        ({"denominators": {"pop": np.ones(2)}}, r"denominator 'pop' has shape \(2,\)"),
    ],
)
def test_inconsistent_construction_is_refused(kw, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        _data(**kw)


def test_accessors() -> None:
    d = _data()
    assert len(d) == d.n_units == 3
    assert d.indicator_codes == ("x1", "x2", "x3", "x4", "x5")
    np.testing.assert_array_equal(d.column("x2"), [1.0, 6.0, 11.0])
    assert d.row("A2") == {"x1": 5.0, "x2": 6.0, "x3": 7.0, "x4": 8.0, "x5": 9.0}
    assert d.unit_index("A3") == 2
    assert repr(d) == ("UnitData(kind='unit', framework='small', units=3, indicators=5, "
                       "year=2023, missing=0.0%)")
    with pytest.raises(KeyError, match="unknown indicator 'x9'"):
        d.column("x9")
    with pytest.raises(KeyError, match="unknown unit 'Z'"):
        d.row("Z")


def test_repr_reports_the_missing_share() -> None:
    v = np.arange(15.0).reshape(3, 5)
    v[0, :3] = np.nan
    assert "missing=20.0%" in repr(_data(v))


def test_group_codes_blank_is_minus_one_and_cached() -> None:
    d = _data(groups={"region": ("西部", "", "东部")})
    codes, labels = d.group_codes("region")
    assert labels == ("东部", "西部")
    assert codes.tolist() == [1, -1, 0]
    assert not codes.flags.writeable
    assert d.group_codes("region")[0] is codes
    with pytest.raises(KeyError, match=r"no grouping column 'province'; available: \['region'\]"):
        d.group_codes("province")


def test_subset_by_codes_and_mask_keeps_everything_aligned() -> None:
    d = _data(notes={("A1", "x1"): "n1", ("A3", "x2"): "n3"},
              sources={("A3", "x1"): "s3"}, denominators={"pop": np.array([10.0, 20.0, 30.0])})
    s = d.subset(["A3", "A1"])
    assert s.units == ("A3", "A1")
    assert s.names == ("丙", "甲")
    np.testing.assert_array_equal(s.values, d.values[[2, 0]])
    assert s.groups["region"] == ("东部", "东部")
    assert dict(s.notes) == {("A1", "x1"): "n1", ("A3", "x2"): "n3"}
    np.testing.assert_array_equal(s.denominators["pop"], [30.0, 10.0])
    m = d.subset(np.array([False, True, False]))
    assert m.units == ("A2",)
    assert dict(m.notes) == {}
    assert dict(m.sources) == {}
    assert (m.year, m.kind) == (2023, "unit")
    with pytest.raises(KeyError, match="unknown unit 'Z'"):
        d.subset(["Z"])


def test_with_values_replaces_only_the_values() -> None:
    d = _data()
    w = d.with_values(d.values * 2)
    np.testing.assert_array_equal(w.values, d.values * 2)
    assert (w.units, w.names, w.year, dict(w.groups)) == (d.units, d.names, d.year, dict(d.groups))
    with pytest.raises(ValueError, match="expected"):
        d.with_values(np.zeros((2, 5)))


def test_digest_is_stable_and_sensitive() -> None:
    d = small_data(n=6)
    same = small_data(n=6)
    assert d.digest() == same.digest()
    assert len(d.digest()) == 64
    v = d.values.copy()
    v[0, 0] = np.nextafter(v[0, 0], np.inf)  # one ulp
    assert d.with_values(v).digest() != d.digest()
    assert d.subset(d.units[::-1]).digest() != d.digest()  # order matters
    other = UnitData(framework=d.framework, units=d.units, names=d.names, values=d.values,
                     groups={"region": d.groups["province"]}, year=d.year)
    assert other.digest() != d.digest()


def test_errors_are_the_librarys() -> None:
    from xiangcun_eval.errors import OptionError, UnknownCodeError, XiangcunError

    d = small_data(n=4)
    with pytest.raises(UnknownCodeError, match="unknown unit 'Z'") as err:
        d.unit_index("Z")
    assert isinstance(err.value, XiangcunError)
    assert isinstance(err.value, KeyError)
    assert str(err.value) == "没有单位 'Z' / unknown unit 'Z'"  # no KeyError quotes
    with pytest.raises(OptionError, match="单位代码重复 / duplicate unit codes"):
        UnitData(framework=d.framework, units=("a", "a", "b", "c"), names=d.names,
                 values=d.values)
