import warnings

import pytest

from xiangcun_eval.plot.fonts import cjk_font, cjk_rc


def test_cjk_font_renders_chinese_without_missing_glyphs(tmp_path):
    import matplotlib
    from matplotlib.figure import Figure

    fam = cjk_font()
    assert fam
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        with matplotlib.rc_context(cjk_rc()):
            fig = Figure()
            ax = fig.subplots()
            ax.set_title("数字乡村发展评价 — 浙江省 得分 −1")
            ax.bar(["高", "较高", "中等"], [1, 2, 3])
        for ext in ("png", "pdf", "svg"):
            fig.savefig(tmp_path / f"t.{ext}")
    assert (tmp_path / "t.png").stat().st_size > 1000


def test_missing_glyph_is_detected(tmp_path):
    """The check above can fail: DejaVu alone has no CJK glyphs."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = Figure()
        fig.subplots().set_title("数字乡村")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(tmp_path / "x.png")
