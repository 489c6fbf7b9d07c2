"""``xiangcun-eval evaluate``: score, rank and grade a submission file."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from ..evaluate import evaluate
from ._common import add_input_args, load_inputs, output_path
from ._registry import command

__all__: list[str] = []


def _configure(p: argparse.ArgumentParser) -> None:
    add_input_args(p)
    p.add_argument(
        "--top",
        type=int,
        default=20,
        help="显示前 N 名 / show the first N of the ranking (default: 20)",
    )
    p.add_argument(
        "--province", default=None, help="只显示某省 / show only one province's ranking (e.g. 浙江)"
    )
    p.add_argument("--csv", default=None, help="把完整结果写入 CSV / write full results to CSV")
    p.add_argument("--json", default=None, help="把完整结果写入 JSON / write full results to JSON")
    p.add_argument("--xlsx", default=None,
                   help="写入 Excel 工作簿 (需要 excel 可选依赖) / write the Excel workbook "
                        "(excel extra)")


def _run(args: argparse.Namespace) -> int:
    if args.top < 0:
        print("错误:--top 不能为负 / error: --top must not be negative", file=sys.stderr)
        return 2
    inputs = load_inputs(args)
    data, methodology = inputs.data, inputs.methodology
    ev = evaluate(data, methodology)
    group = f"province={args.province}" if args.province else None
    selected = ev.selection(group)  # an unknown province fails here, before any output
    fw = data.framework
    print(
        f"{fw.name_zh} / {fw.name_en} — {data.n_units} 个单位 units, {data.year or ''} "
        f"年 year, 方法 methodology: {methodology.name}"
    )
    notes = sorted({n for n in data.groups.get("data_note", ()) if n})
    if notes:
        print("数据说明 / data note: " + "; ".join(notes[:3])
              + (f" (+{len(notes) - 3})" if len(notes) > 3 else ""))
    print(ev.ranking(top=args.top, group=group).render())
    counts = Counter(lab for lab, keep in zip(ev.grade_labels(), selected, strict=True) if keep)
    print()
    where = f"({args.province}, {int(selected.sum())} 个单位 units)" if group else ""
    print(
        f"等级分布{where} / grade distribution{where}: "
        + ", ".join(
            f"{lab}: {counts.get(lab, 0)}"
            for lab in dict.fromkeys(
                f"{z} / {e}"
                for z, e in zip(
                    methodology.grading.labels_zh, methodology.grading.labels_en, strict=True
                )
            )
        )
    )
    if args.csv:
        ev.to_csv(output_path(args, args.csv), overwrite=args.force)
        print(f"已写入 / written: {args.csv}")
    if args.xlsx:
        ev.to_excel(output_path(args, args.xlsx), problems=inputs.report, overwrite=args.force)
        print(f"已写入 / written: {args.xlsx}")
    if args.json:
        ev.to_json(output_path(args, args.json), overwrite=args.force)
        print(f"已写入 / written: {args.json}")
    return 0


command("evaluate", "评价并排名 / evaluate, rank and grade", _configure, _run)
