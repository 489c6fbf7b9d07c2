"""A CJK font for matplotlib that works on a fresh machine.

Search order: the Noto Sans SC file shipped by the ``pylopdf-fonts-zh-cn``
package (part of the ``plot`` extra, SIL Open Font License 1.1), then fonts
already known to matplotlib whose names are common CJK families (Noto Sans
CJK SC, Source Han Sans SC, WenQuanYi, SimHei, Microsoft YaHei ...).  The
font is registered with matplotlib once; :func:`cjk_rc` gives the rc
settings a chart is drawn under, so that the global matplotlib state of the
caller is left alone.
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Any

from .._optional import require
from ..errors import MissingExtraError

__all__ = ["CJK_FAMILIES", "cjk_font", "cjk_rc"]

CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)


@functools.cache
def cjk_font() -> str:
    """Family name of a CJK font registered with matplotlib.

    Raises
    ------
    MissingExtraError
        No CJK font is available (install the ``plot`` extra).
    """
    require("matplotlib", extra="plot", feature="charts / 图表")
    from matplotlib import font_manager

    try:
        files = importlib.resources.files("pylopdf_fonts_zh_cn")
        path = files / "NotoSansSC-Regular.otf"
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            return "Noto Sans SC"
    except ModuleNotFoundError:
        pass
    known = {f.name for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in known:
            return fam
    raise MissingExtraError("pylopdf_fonts_zh_cn", "plot", "中文图表字体 / Chinese chart font")


def cjk_rc() -> dict[str, Any]:
    """Return rc settings for drawing a chart with Chinese labels.

    Use them with ``matplotlib.rc_context``.
    """
    return {
        "font.family": [cjk_font(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
    }
