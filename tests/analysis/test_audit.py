"""The audit on COINr's ASEM example: published COINr output (vignette
"analysis", COINr 1.1.14, 3 significant figures) and COINr's definitions."""

from __future__ import annotations

import numpy as np
import pytest

import xiangcun_eval as xe
from helpers import asem, peer, small_data
from xiangcun_eval.analysis.audit import audit


@pytest.fixture(scope="module")
def asem_audit() -> xe.Audit:
    data, m = asem()
    return xe.audit(xe.evaluate(data, m))


def _signif(v: float, k: int = 3) -> float:
    return float(f"{v:.{k}g}")


# COINr vignette "analysis": get_stats(coin, dset = "Raw") for the first five indicators
COINR_STATS = {
    "LPI": (2.07, 4.23, 3.41, 3.42, 0.538, -0.304, -0.657, 51, 51),
    "Flights": (0.99, 211.0, 38.6, 25.6, 46.7, 2.10, 4.51, 51, 51),
    "Ship": (0.00, 21.2, 12.0, 12.7, 6.84, -0.576, -0.681, 51, 42),
    "Bord": (0.00, 122.0, 23.6, 18.0, 24.8, 2.15, 5.79, 51, 45),
    "Elec": (0.00, 110.0, 16.2, 6.91, 22.7, 2.23, 5.79, 51, 47),
}


def test_stats_equal_coinr_published(asem_audit: xe.Audit) -> None:
    t = asem_audit.stats(stage="raw")
    codes = list(t.column("代码 code"))
    cols = ["最小值 Min", "最大值 Max", "均值 Mean", "中位数 Median", "标准差 Std", "偏度 Skew",
            "峰度 Kurt", "有效数 N.Avail", "非零数 N.NonZero"]
    for code, ref in COINR_STATS.items():
        i = codes.index(code)
        got = [_signif(t.column(c)[i]) if t.column(c)[i] != 0 else 0.0 for c in cols]
        assert got == pytest.approx(list(ref), abs=0), code
    i = codes.index("Flights")
    assert t.column("偏峰 Flag.SkewKurt")[i] == "OUT"  # COINr test-stats.R
    assert t.column("不同值数 N.Unique")[codes.index("LPI")] == 51
    assert t.column("最多重复 N.Same")[codes.index("LPI")] == 1


def test_stats_definitions(asem_audit: xe.Audit) -> None:
    pd = peer("pandas")
    raw = np.asarray(asem_audit.evaluation.preprocessed.raw)
    df = pd.DataFrame(raw)
    t = asem_audit.stats(stage="raw")
    np.testing.assert_allclose(t.column("标准差 Std"), df.std().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(t.column("偏度 Skew"), df.skew().to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(t.column("峰度 Kurt"), df.kurt().to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(t.column("中位数 Median"), df.median().to_numpy(), rtol=1e-14)
    np.testing.assert_array_equal(t.column("不同值数 N.Unique"), df.nunique().to_numpy())
    same = [df[c].value_counts().max() for c in df.columns]
    np.testing.assert_array_equal(t.column("最多重复 N.Same"), same)
    n = raw.shape[0]
    nz = np.asarray(t.column("非零数 N.NonZero"))
    flag = np.where(nz / n >= 0.5, "ok", "LOW")  # COINr divides by all units here
    np.testing.assert_array_equal(t.column("非零 Flag.NonZero"), flag)
    # other stages and aggregate levels
    assert len(asem_audit.stats(stage="treated")) == 49
    assert len(asem_audit.stats(level=2)) == 8


def test_availability_matches_coinr_definition(asem_audit: xe.Audit) -> None:
    t = asem_audit.availability()
    raw = np.asarray(asem_audit.evaluation.preprocessed.raw)
    nm = np.isnan(raw).sum(1)
    np.testing.assert_array_equal(t.column("缺失数 N_missing"), nm)
    np.testing.assert_allclose(t.column("可得率 Dat_Avail"), 1 - nm / 49)
    fw = asem_audit.evaluation.framework
    kids = [j for j, c in enumerate(fw.indicator_codes) if fw.ancestor(c, 3) == "Sust"]
    np.testing.assert_allclose(t.column("可得率 avail Sust"), 1 - np.isnan(raw[:, kids]).mean(1))
    assert sum(nm) == 63  # the ASEM data has 63 missing indicator values


def test_correlations_pairwise_and_pvalue_filter(asem_audit: xe.Audit) -> None:
    pd = peer("pandas")
    norm = np.asarray(asem_audit.evaluation.preprocessed.normalised)
    ref = pd.DataFrame(norm).corr().to_numpy()
    wide = asem_audit.correlation_matrix(pval=0.0)
    got = np.column_stack([wide.column(c) for c in wide.columns[1:]])
    np.testing.assert_allclose(got, ref, atol=1e-12)
    filt = asem_audit.correlations(within=2)
    p = np.asarray(filt.column("p 值 p"))
    r = np.asarray(filt.column("相关系数 r"), dtype=float)
    assert np.all(np.isnan(r[p > 0.05]))
    assert not np.isnan(r[p <= 0.05]).any()
    fw = asem_audit.evaluation.framework
    assert all(fw.ancestor(a, 2) == fw.ancestor(b, 2) for a, b in
               zip(filt.column("代码1 code 1"), filt.column("代码2 code 2"), strict=True))
    par = asem_audit.correlations(1, 2, pval=0)
    assert len(par) == 49
    assert set(par.column("分组 group")) == set(fw.level_codes(2))


def test_flags_and_denominators(asem_audit: xe.Audit) -> None:
    pd = peer("pandas")
    ev = asem_audit.evaluation
    fw = ev.framework
    norm = pd.DataFrame(np.asarray(ev.preprocessed.normalised), columns=fw.indicator_codes)
    cr = norm.corr()
    # COINr get_corr_flags(dset = "Normalised", cor_thresh = 0.75, grouplev = 2)
    expected = {(a, b) for i, a in enumerate(fw.indicator_codes)
                for b in fw.indicator_codes[i + 1:]
                if fw[a].parent == fw[b].parent and cr.loc[a, b] > 0.75}
    fl = asem_audit.flags()
    got = {(a, b) for k, lev, a, b in zip(fl.column("类别 flag"), fl.column("层级 level"),
                                         fl.column("代码1 code 1"), fl.column("代码2 code 2"),
                                         strict=True) if k.startswith("共线") and lev == 1}
    assert got == expected
    assert got
    # COINr get_denom_corr(dset = "Raw", cor_thresh = 0.6): |r| > 0.6 with any denominator
    raw = pd.DataFrame(np.asarray(ev.preprocessed.raw), columns=fw.indicator_codes)
    dens = pd.DataFrame(dict(ev.data.denominators))
    full = pd.concat([raw, dens], axis=1).corr().loc[list(fw.indicator_codes), list(dens.columns)]
    dt = asem_audit.denominator_correlations()
    assert len(dt) == int((full.abs() > 0.6).to_numpy().sum())


def test_cronbach_pca_reliability(asem_audit: xe.Audit) -> None:
    pd = peer("pandas")
    ev = asem_audit.evaluation
    fw = ev.framework
    kids = list(fw.children("Physical"))
    x = pd.DataFrame(np.asarray(ev.preprocessed.normalised), columns=fw.indicator_codes)[kids]
    c = x.cov().to_numpy()
    k = len(kids)
    assert asem_audit.cronbach(group="Physical") == pytest.approx(
        k * k * (c.sum() - np.trace(c)) / (k * k - k) / c.sum(), abs=1e-13)
    assert asem_audit.cronbach(kids) == asem_audit.cronbach(group="Physical")
    rel = asem_audit.reliability()
    assert len(rel) == 11
    res = asem_audit.pca("Physical")
    assert res.eigenvalues.sum() == pytest.approx(k)
    assert len(asem_audit.loadings("Physical")) == k
    assert asem_audit.cronbach(level=2) == pytest.approx(
        xe.audit(ev).cronbach(codes=fw.level_codes(2)))


def test_leave_one_out_profile_and_tables(asem_audit: xe.Audit) -> None:
    loo = asem_audit.leave_one_out()
    assert loo.column("代码 code") == ("Conn", "Sust")
    assert len(asem_audit.profile("AUT")) > 0
    for name in ("summary", "stats", "availability", "correlations", "correlation_matrix",
                 "parent_correlations", "flags", "denominators", "reliability"):
        assert len(asem_audit.table(name)) > 0, name
    assert len(asem_audit.table("loadings", group="P2P")) == 8
    pd = peer("pandas")
    assert isinstance(asem_audit.to_pandas("stats"), pd.DataFrame)


def test_other_settings() -> None:
    ev = xe.evaluate(small_data(n=30, missing=0.1))
    a = audit(ev, method="spearman", stage="raw", pval=0.0)
    assert len(a.correlations()) == 10
    assert len(xe.audit(ev, method="kendall").flags().columns) == 6
    with pytest.raises(xe.MethodError, match="denominator"):
        a.denominator_correlations()


@pytest.mark.parametrize(
    "kw",
    [{"stage": "cooked"}, {"method": "pearsn"}, {"pval": 2.0}, {"collinear": 1.5},
     {"t_avail": -0.1}],
)
def test_bad_settings(kw: dict) -> None:  # type: ignore[type-arg]
    ev = xe.evaluate(small_data(n=10))
    with pytest.raises(xe.MethodError):
        audit(ev, **kw)


def test_bad_requests() -> None:
    ev = xe.evaluate(small_data(n=10))
    a = audit(ev)
    with pytest.raises(xe.MethodError):
        audit("not an evaluation")  # type: ignore[arg-type]
    with pytest.raises(xe.MethodError):
        a.table("nope")
    with pytest.raises(xe.MethodError):
        a.stats(level=7)
    with pytest.raises(xe.MethodError):
        a.cronbach()
    with pytest.raises(xe.MethodError):
        a.cronbach(["x1", "zz"])
    with pytest.raises(xe.MethodError):
        a.correlations(within=1)


def test_excel_sheets_and_report_section(tmp_path) -> None:  # type: ignore[no-untyped-def]
    openpyxl = peer("openpyxl")
    data, m = asem()
    ev = xe.evaluate(data, m)
    au = xe.audit(ev)
    path = ev.to_excel(tmp_path / "asem.xlsx", audit=au)
    wb = openpyxl.load_workbook(path)
    for name, table in au.sheets():
        assert name in wb.sheetnames
        assert len(name) <= 31
        assert wb[name].max_row == len(table) + 1
    from xiangcun_eval.report.registry import ReportInputs, build_document

    dg = xe.analysis.dagum_gini(ev, by="EurAsia_group")
    doc = build_document(ReportInputs(ev, extra={"audit": au, "disparity": dg}, charts=False))
    keys = [s.key for s in doc.sections]
    assert "audit" in keys
    assert "disparity" in keys
    plain = build_document(ReportInputs(ev, charts=False))
    assert "audit" not in [s.key for s in plain.sections]
