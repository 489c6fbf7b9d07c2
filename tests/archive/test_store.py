"""Archive: imports, history, replacement, runs recomputed bit for bit,
concurrency with real processes, integrity check."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import small_data, small_framework
from xiangcun_eval.archive import Archive, ArchiveError
from xiangcun_eval.archive.store import result_arrays

DEMO = Path(__file__).parents[2] / "examples" / "data" / "demo_counties_2023.csv"


@pytest.fixture
def arc(tmp_path: Path) -> Archive:
    a = Archive(tmp_path / "a.sqlite")
    yield a
    a.close()


def test_import_roundtrip_and_idempotent(arc: Archive) -> None:
    r = arc.import_file(DEMO)
    assert (r.n_new, r.n_replaced, r.n_unchanged) == (300, 0, 0)
    assert r.changed
    again = arc.import_file(DEMO)
    assert not again.changed
    assert again.n_unchanged == 300
    assert len(arc.imports()) == 1  # the second import recorded nothing
    back = arc.data(2023)
    orig = xe.read_submissions(DEMO, "dvd-2023")
    assert back.digest() == orig.subset(sorted(orig.units)).digest()
    np.testing.assert_array_equal(back.values, orig.subset(sorted(orig.units)).values)
    assert arc.years() == [2023]
    rep = arc.report(1)
    assert rep["mode"] == "strict"
    assert rep["n_rows"] == 300
    assert arc.check() == []


def test_wal_mode(arc: Archive) -> None:
    con = sqlite3.connect(arc.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_file_kept_with_digest(arc: Archive) -> None:
    import hashlib

    arc.import_file(DEMO)
    con = sqlite3.connect(arc.path)
    digest, content = con.execute("SELECT digest, content FROM files").fetchone()
    con.close()
    assert content == DEMO.read_bytes()
    assert digest == hashlib.sha256(content).hexdigest()


def test_different_value_needs_replace_and_history_kept(arc: Archive) -> None:
    d = small_data(n=10)
    arc.import_data(d)
    vals = np.array(d.values)
    vals[3, 1] += 1.0
    d2 = d.with_values(vals)
    with pytest.raises(ArchiveError, match=r"U003.*x2") as ei:
        arc.import_data(d2)
    assert "replace=True" in str(ei.value)
    assert len(arc.imports()) == 1  # nothing imported
    r = arc.import_data(d2, replace=True)
    assert (r.n_new, r.n_replaced, r.n_unchanged) == (0, 1, 9)
    np.testing.assert_array_equal(arc.data(2023, "small").values, d2.values)
    h = arc.history("U003", "small")
    assert h.column("当前 current") == (False, True)
    assert h.column("x2")[1] == h.column("x2")[0] + 1.0
    assert arc.check() == []


def test_new_units_added_to_a_year(arc: Archive) -> None:
    d = small_data(n=10)
    arc.import_data(d.subset(list(d.units[:6])))
    r = arc.import_data(d)
    assert (r.n_new, r.n_unchanged) == (4, 6)
    assert arc.data(2023, "small").n_units == 10


def test_failed_import_leaves_nothing(arc: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure half-way through inserting the rows rolls the whole import back."""
    from xiangcun_eval.archive import codec

    d = small_data(n=10)
    real = codec.encode_groups

    def bad_groups(groups: object, n: int) -> list[object]:
        out: list[object] = list(real(groups, n))  # type: ignore[arg-type]
        out[6] = object()  # sqlite3 cannot bind this: fails at the 7th row
        return out

    monkeypatch.setattr(codec, "encode_groups", bad_groups)
    with pytest.raises(sqlite3.Error):
        arc.import_data(d)
    monkeypatch.undo()
    assert len(arc.imports()) == 0
    assert arc.years() == []
    con = sqlite3.connect(arc.path)
    assert con.execute("SELECT count(*) FROM unit_values").fetchone()[0] == 0
    con.close()
    arc.import_data(d)
    assert arc.years() == [2023]


def test_no_year_is_an_error(arc: Archive) -> None:
    d = small_data(n=5)
    d = xe.UnitData(framework=d.framework, units=d.units, names=d.names, values=d.values)
    with pytest.raises(ArchiveError, match="year"):
        arc.import_data(d)


def test_unknown_year_unit_run(arc: Archive) -> None:
    arc.import_data(small_data(n=5))
    with pytest.raises(ArchiveError, match="2019"):
        arc.data(2019, "small")
    with pytest.raises(ArchiveError, match="nope"):
        arc.history("nope", "small")
    with pytest.raises(ArchiveError, match="99"):
        arc.run(99)
    with pytest.raises(ArchiveError, match="99"):
        arc.report(99)


@pytest.mark.parametrize(
    "m",
    [
        xe.Methodology(),
        xe.Methodology(
            name="entropy-topsis",
            impute=xe.ImputeSpec(method="group_mean", group_by="province"),
            treat=xe.TreatSpec(method="winsorise"),
            weights=xe.WeightSpec(method="entropy"),
        ),
    ],
)
def test_run_recomputed_bit_for_bit(arc: Archive, m: xe.Methodology) -> None:
    d = small_data(n=60, missing=0.1)
    arc.import_data(d)
    ev = xe.evaluate(arc.data(2023, "small"), m)
    rid = arc.record_run(ev)
    assert arc.verify(rid)
    st = arc.run(rid)
    for a, b in zip(st.arrays, result_arrays(ev), strict=True):
        assert np.array_equal(a, np.asarray(b, dtype=np.float64), equal_nan=True)
    # still recomputable after the data was replaced
    vals = np.array(d.values)
    vals[0, 0] = 1.0
    arc.import_data(d.with_values(vals), replace=True)
    assert arc.verify(rid)
    assert len(arc.runs(m)) == 1
    assert len(arc.runs(m.name)) == 1
    assert len(arc.runs(xe.Methodology(name="other"))) == 0
    t = arc.run_results(rid)
    assert t.column("得分 score") == tuple(float(v) for v in ev.index)


def test_record_run_needs_archived_data(arc: Archive) -> None:
    d = small_data(n=20)
    with pytest.raises(ArchiveError, match="import"):
        arc.record_run(xe.evaluate(d))
    arc.import_data(d)
    vals = np.array(d.values)
    vals[0, 0] += 1
    with pytest.raises(ArchiveError, match="differs"):
        arc.record_run(xe.evaluate(d.with_values(vals)))


def test_tampered_results_fail_verification(arc: Archive) -> None:
    d = small_data(n=20)
    arc.import_data(d)
    rid = arc.record_run(xe.evaluate(d))
    con = sqlite3.connect(arc.path)
    con.execute("UPDATE runs SET results_digest = 'x' WHERE id = ?", (rid,))
    con.commit()
    con.close()
    assert not arc.verify(rid)


def test_notes_sources_denominators_roundtrip(arc: Archive) -> None:
    d = small_data(n=4)
    d = xe.UnitData(
        framework=d.framework, units=d.units, names=d.names, values=d.values, groups=d.groups,
        year=2022, notes={("U001", "x1"): "估算"}, sources={("U002", "x3"): "县统计局"},
        denominators={"pop": np.array([1.0, np.nan, 3.0, 4.0])},
    )
    arc.import_data(d)
    back = arc.data(2022, "small")
    assert dict(back.notes) == {("U001", "x1"): "估算"}
    assert dict(back.sources) == {("U002", "x3"): "县统计局"}
    np.testing.assert_array_equal(back.denominators["pop"], [1.0, np.nan, 3.0, 4.0])


def test_framework_remap_by_code(arc: Archive) -> None:
    d = small_data(n=5)
    arc.import_data(d)
    fw = small_framework()
    back = arc.data(2023, fw)
    np.testing.assert_array_equal(back.values, d.subset(sorted(d.units)).values)


def test_framework_with_other_indicators(arc: Archive) -> None:
    """Columns are matched by code: reordered indicators move, absent ones are missing."""
    d = small_data(n=5)
    arc.import_data(d)
    fw = small_framework()
    ind = [n for n in fw.nodes if n.code.startswith("x")]
    grp = [n for n in fw.nodes if not n.code.startswith("x")]
    new = ind[0].model_copy(update={"code": "x9"})
    fw2 = type(fw)(code="small", name_zh="小", name_en="small",
                   nodes=(*grp, ind[4], ind[3], ind[2], ind[1], new))
    back = arc.data(2023, fw2)
    ref = d.subset(sorted(d.units)).values
    np.testing.assert_array_equal(back.values[:, :4], ref[:, [4, 3, 2, 1]])
    assert np.isnan(back.values[:, 4]).all()


def test_submissions_table_reads_back(arc: Archive, tmp_path: Path) -> None:
    arc.import_file(DEMO)
    out = tmp_path / "out.csv"
    arc.submissions_table(2023).to_csv(out)
    again = xe.read_submissions(out, "dvd-2023")
    np.testing.assert_array_equal(again.values, arc.data(2023).values)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "n.sqlite"
    Archive(p).close()
    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(ArchiveError, match="99"):
        Archive(p)


def test_check_reports_corruption(tmp_path: Path) -> None:
    p = tmp_path / "c.sqlite"
    with Archive(p) as a:
        a.import_data(small_data(n=5))
    con = sqlite3.connect(p)
    con.execute("DROP INDEX unit_values_current")
    con.execute("UPDATE unit_values SET current = 1")
    con.execute(
        "INSERT INTO unit_values (import_id, framework_code, year, unit, name, groups, vals, "
        "current) SELECT import_id, framework_code, year, unit, name, groups, vals, 1 "
        "FROM unit_values LIMIT 1"
    )
    con.commit()
    con.close()
    with Archive(p) as a:
        probs = a.check()
    assert any("two current versions" in s for s in probs)


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    """Two real processes import ten years into one file at the same time."""
    p = str(tmp_path / "cc.sqlite")
    Archive(p).close()
    worker = Path(__file__).with_name("_workers.py")
    procs = [subprocess.Popen([sys.executable, str(worker), p, str(2000 + 10 * k), "5",
                               str(100 * k)]) for k in range(2)]
    assert [pr.wait(120) for pr in procs] == [0, 0]
    with Archive(p) as a:
        assert a.years("small") == [*range(2000, 2005), *range(2010, 2015)]
        for k in range(2):
            for y in range(5):
                got = a.data(2000 + 10 * k + y, "small")
                exp = small_data(n=200, seed=100 * k + y)
                np.testing.assert_array_equal(got.values, exp.subset(sorted(exp.units)).values)
        assert len(a.imports()) == 10
        assert a.check() == []


def test_years_data_feeds_a_panel(arc: Archive) -> None:
    d = small_data(n=20)
    arc.import_data(d, year=2022)
    arc.import_data(d.with_values(np.asarray(d.values) * 1.01), year=2023)
    ys = arc.years_data(framework="small")
    assert sorted(ys) == [2022, 2023]
    assert ys[2022].year == 2022
    p = xe.evaluate_panel(ys, reference="base")
    assert np.nanmean(p[2023].index) > np.nanmean(p[2022].index)
    assert list(arc.years_data([2023], "small")) == [2023]


def test_quarantine_import_keeps_the_report(arc: Archive, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace("80.4", "abc", 1), encoding="utf-8")
    with pytest.raises(xe.SubmissionError):
        arc.import_file(bad)  # strict: nothing imported
    assert arc.years() == []
    r = arc.import_file(bad, mode="quarantine")
    assert r.n_new == 299
    rep = arc.report(r.import_id or 0)
    assert rep["mode"] == "quarantine"
    assert rep["n_rejected"] == 1
    assert any(p["value"] == "abc" and p["county"] == "130142" for p in rep["problems"])
