import numpy as np
import pandas as pd
import pytest

from helpers import demo_evaluation, hostile_evaluation
from xiangcun_eval.export.frames import level_table, long_table, unit_table, weights_table


@pytest.fixture(scope="module")
def ev():
    return demo_evaluation()


def test_units_frame_indexed_by_code_with_int_ranks_and_categorical_grades(ev):
    df = ev.to_pandas()
    assert df.index.name == "代码 code"
    assert set(df.index) == set(ev.units)
    assert df.index.is_unique
    assert str(df["排名 rank"].dtype) == "Int64"
    assert str(df["省内排名 rank_in_province"].dtype) == "Int64"
    assert list(df["排名 rank"].iloc[:3]) == [1, 2, 3]  # rank order
    g = df["等级 grade"]
    assert isinstance(g.dtype, pd.CategoricalDtype)
    assert g.cat.ordered
    assert list(g.cat.categories) == ["低", "较低", "中等", "较高", "高"]
    # values equal the evaluation's, unit by unit
    i = ev.data.unit_index(df.index[5])
    assert df["得分 score"].iloc[5] == ev.index[i]
    assert df["排名 rank"].iloc[5] == int(ev.rank[i])


def test_missing_rank_is_na_not_float():
    from helpers import small_data
    from xiangcun_eval import evaluate

    d = small_data(10)
    v = d.values.copy()
    v[3, :] = np.nan
    ev = evaluate(d.with_values(v))
    df = ev.to_pandas(lang="code")
    assert df.loc[d.units[3], "rank"] is pd.NA
    assert df["rank"].dtype == "Int64"
    assert pd.isna(df.loc[d.units[3], "grade"])


def test_languages_share_codes(ev):
    zh, en, code = (ev.table(lang=lg).columns for lg in ("zh", "en", "code"))
    assert [c.rsplit(" ", 1)[-1] for c in zh] == list(code) == [c.rsplit(" ", 1)[-1] for c in en]
    assert "score_A01" in code
    assert "rank_in_province" in code
    with pytest.raises(ValueError, match="unknown lang"):
        ev.table(lang="fr")


def test_levels_multiindex_and_long_form(ev):
    lv = ev.to_pandas("levels")
    assert lv.columns.names == ["level", "node", "measure"]
    n_nodes = sum(len(ev.framework.level_codes(k)) for k in (2, 3))
    assert lv.shape == (len(ev.units), 2 * n_nodes)
    both = ev.to_pandas(multiindex=True)
    assert both.shape[1] == lv.shape[1] + ev.to_pandas().shape[1] - 2 * n_nodes
    long = ev.to_pandas("long", lang="code")
    total = sum(len(ev.framework.level_codes(k)) for k in range(1, ev.framework.max_level + 1))
    assert len(long) == len(ev.units) * total
    u = ev.units[0]
    np.testing.assert_allclose(long.loc[(u, "A01"), "score"], ev.score("A01")[0])
    assert len(long_table(ev)) == len(long)


def test_weights_frames(ev):
    w = ev.to_pandas("weights", lang="code")
    assert w.index.name == "code"
    # within-group weights sum to 1 per parent; effective weights per level sum to 1
    np.testing.assert_allclose(w.groupby("parent")["weight"].sum(), 1.0)
    np.testing.assert_allclose(w.groupby("level")["effective_weight"].sum(), 1.0)
    assert len(weights_table(ev)) == len(w)


def test_level_table_and_bad_level(ev):
    t = level_table(ev, 1, measure="value")
    assert len(t) == len(ev.units)
    assert any(c.endswith("value_" + ev.framework.indicator_codes[0]) for c in t.columns)
    with pytest.raises(ValueError, match="level 9"):
        level_table(ev, 9)
    with pytest.raises(ValueError, match="level 1 only"):
        level_table(ev, 2, measure="value")
    with pytest.raises(ValueError, match="unknown kind"):
        ev.to_pandas("nosuch")


def test_pandas_text_is_neutralised():
    ev = hostile_evaluation()
    df = ev.to_pandas(lang="code")
    for col in ("name", "province"):
        assert not df[col].str.match(r"^[=+\-@\t\r]").any()
    assert "'=HYPERLINK(\"http://x\",\"点\")" in set(df["name"])
    assert unit_table(ev).column("名称 name")  # the Table keeps the raw names
