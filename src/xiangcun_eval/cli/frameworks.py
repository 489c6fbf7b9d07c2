"""``xiangcun-eval frameworks``: list the built-in frameworks, or show one.

A framework is shown as a tree with its weights (within-group and effective).
"""

from __future__ import annotations

import argparse

import numpy as np

from ..framework.model import Framework, Indicator
from ..framework.registry import BUILTIN_FRAMEWORKS, load_framework
from ._registry import command

__all__: list[str] = ["tree_lines"]


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", default=None,
                   help="显示此指标体系的树 (名称或文件) / show this framework as a tree "
                        "(name or file); without it: list the built-in frameworks")
    p.add_argument("--depth", type=int, default=None,
                   help="显示到第几层 (1 = 只显示指数下一层) / levels shown below the index")


def tree_lines(fw: Framework, depth: int | None = None) -> list[str]:
    """Render the framework as indented text lines.

    Each line: code, name, within-group weight and effective weight (product of
    within-group weights along the lineage).
    """
    eff: dict[str, float] = {fw.root.code: 1.0}
    lines = [f"{fw.root.code}  {fw.root.name_zh} / {fw.root.name_en}"]

    def walk(code: str, indent: str, d: int) -> None:
        kids = fw.children(code)
        if not kids or (depth is not None and d > depth):
            return
        w = np.array([fw[k].weight if fw[k].weight is not None else 1.0 for k in kids])
        w = w / w.sum() if w.sum() > 0 else np.full(len(kids), 1 / len(kids))
        for k, (kid, wk) in enumerate(zip(kids, w, strict=True)):
            last = k == len(kids) - 1
            eff[kid] = eff[code] * float(wk)
            node = fw[kid]
            unit = f" [{node.unit}]" if isinstance(node, Indicator) and node.unit else ""
            lines.append(f"{indent}{'└─' if last else '├─'} {kid}  {node.name_zh}{unit}  "
                         f"w={wk:.3f}  eff={eff[kid]:.4f}")
            walk(kid, indent + ("   " if last else "│  "), d + 1)

    walk(fw.root.code, "", 1)
    return lines


def _run(args: argparse.Namespace) -> int:
    if args.name is None:
        print("内置指标体系 / built-in frameworks:")
        for name in BUILTIN_FRAMEWORKS:
            fw = load_framework(name)
            print(f"  {name:10s} {fw.name_zh} / {fw.name_en}: {len(fw.indicators)} 个指标 "
                  f"indicators, {fw.max_level} 层 levels")
        print("\n显示一个 / show one:  xiangcun-eval frameworks dvd-2023")
        return 0
    fw = load_framework(args.name)
    print(f"{fw.name_zh} / {fw.name_en} ({fw.code} {fw.version})")
    print("w = 组内权重 within-group weight; eff = 在指数中的有效权重 effective weight "
          "in the index")
    print("\n".join(tree_lines(fw, args.depth)))
    return 0


command("frameworks", "列出指标体系或显示其结构与权重 / list frameworks or show one as a tree",
        _configure, _run)
