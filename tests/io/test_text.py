"""Display width for aligned tables: CJK, full-width punctuation, combining marks."""

from __future__ import annotations

import pytest

from xiangcun_eval.io.text import display_width, pad
from xiangcun_eval.table import Table


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("abc", 3),
        ("数字乡村", 8),
        ("，。：（）", 10),  # full-width punctuation: two columns each
        ("ＡＢ", 4),  # full-width Latin
        ("e\u0301", 1),  # combining accent takes no column
        ("a\u200bb", 2),  # zero-width space
        ("县\t", 2),  # control characters count 0
        ("", 0),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_pad_never_cuts() -> None:
    assert pad("乡村", 6) == "乡村  "
    assert pad("乡村振兴", 3) == "乡村振兴"


def test_table_columns_line_up_with_cjk_and_punctuation() -> None:
    t = Table.from_columns({"名称 name": ["浙江（东部）", "x"], "值": [1.5, 2.0]})
    lines = t.render().splitlines()
    # the second column starts at the same display column on every line
    starts = [display_width(ln[: ln.index(v)]) for ln, v in zip(lines[2:], ["1.50", "2"],
                                                                  strict=True)]
    assert starts[0] == starts[1] == display_width("浙江（东部）") + 2 == 14
