"""``xiangcun-eval compare``: two evaluations unit by unit.

Two years (two files) or two methodologies (one file), with the labelled
direction of each rank change.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from ..evaluate import evaluate
from ..inputs.readers import read_submissions
from ..methodology import Methodology, as_methodology
from ..results import compare
from ._common import existing_file, output_path
from ._registry import command

__all__: list[str] = []


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="A 的填报文件 / submission file of evaluation A")
    p.add_argument("file_b", nargs="?", default=None,
                   help="B 的填报文件 (如下一年; 省略则与 A 相同) / file of B (e.g. the next "
                        "year; default: the same file as A)")
    p.add_argument("--framework", default="dvd-2023",
                   help="指标体系 / framework (default: dvd-2023)")
    p.add_argument("--methodology", default=None, help="A 的方法设定 / methodology of A (TOML)")
    p.add_argument("--methodology-b", default=None,
                   help="B 的方法设定 (省略则同 A) / methodology of B (default: as A)")
    p.add_argument("--top", type=int, default=20,
                   help="显示变化最大的 N 个单位 / show the N largest changes (default: 20)")
    p.add_argument("--csv", default=None, help="把完整比较写入 CSV / write the comparison to CSV")
    p.add_argument("--force", action="store_true",
                   help="覆盖已存在的输出文件 / overwrite existing output files")


def _methodology(path: str | None) -> Methodology:
    return as_methodology(None if path is None else Path(path))


def _run(args: argparse.Namespace) -> int:
    fa = existing_file(args.file)
    fb = existing_file(args.file_b) if args.file_b else fa
    ma = _methodology(args.methodology)
    mb = _methodology(args.methodology_b) if args.methodology_b else ma
    if fa == fb and args.methodology_b is None:
        print("提示: A 与 B 相同 (同一文件、同一方法) / note: A and B are identical (same file, "
              "same methodology)")
    da = read_submissions(fa, args.framework)
    db = da if fb == fa else read_submissions(fb, args.framework)
    a, b = evaluate(da, ma), evaluate(db, mb)
    for tag, ev, f in (("A", a, fa), ("B", b, fb)):
        print(f"{tag}: {f.name} {ev.data.year or ''} · {ev.methodology.name}")
    t = compare(a, b)
    print(t.head(args.top).render())
    counts = Counter(t.column("方向 direction"))
    print("\n方向 / direction: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    if args.csv:
        t.to_csv(output_path(args, args.csv), overwrite=args.force)
        print(f"已写入 / written: {args.csv}")
    return 0


command("compare", "比较两次评价 (年份或方法) / compare two evaluations (years or methodologies)",
        _configure, _run)
