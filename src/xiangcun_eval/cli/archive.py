"""``xiangcun-eval archive ...``: the archive of submissions and runs.

Sub-commands::

    archive import DB FILE [--framework dvd-2023] [--quarantine] [--replace]
    archive list DB                       imports, years
    archive history DB CODE               one unit's submissions, year by year
    archive export DB YEAR -o OUT.csv     a year's submissions as a submission file
    archive record DB YEAR [--methodology M.toml] [--label L]   evaluate and record a run
    archive runs DB [--methodology M.toml|DIGEST|LABEL]
    archive verify DB RUN                 recompute a run, compare bit for bit
    archive check DB                      SQLite integrity check + archive invariants

Exit codes: 0 OK; 1 a check or verification failed, or rows were rejected;
2 usage error or unusable input (including conflicting values without
``--replace``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..archive import Archive
from ..inputs.problems import SubmissionError, problems_table
from ._common import existing_file
from ._registry import CommandExit, command

__all__: list[str] = []


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("db", help="档案库文件 / archive file (SQLite, created if missing)")


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = sub.add_parser("import", help="导入填报文件 / import a submission file")
    _db(q)
    q.add_argument("file", help="CSV / XLSX / JSON 填报文件 / submission file")
    q.add_argument("--framework", default="dvd-2023",
                   help="指标体系 / framework name or file (default: dvd-2023)")
    q.add_argument("--sheet", default=None, help="XLSX 工作表 / sheet name")
    q.add_argument("--quarantine", action="store_true",
                   help="隔离模式:只导入有效行 / import the valid rows, keep the report")
    q.add_argument("--replace", action="store_true",
                   help="替换已有的不同数据(保留历史) / replace differing archived values "
                   "(the previous versions are kept)")
    q = sub.add_parser("list", help="导入记录 / list imports")
    _db(q)
    q = sub.add_parser("history", help="单位历年数据 / a unit's submissions by year")
    _db(q)
    q.add_argument("code", help="单位代码 / unit code")
    q.add_argument("--framework", default="dvd-2023")
    q = sub.add_parser("export", help="导出某年填报 / export a year's submissions")
    _db(q)
    q.add_argument("year", type=int)
    q.add_argument("-o", "--output", required=True, help="输出 CSV / output CSV file")
    q.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite the output")
    q.add_argument("--framework", default="dvd-2023")
    q = sub.add_parser("record", help="评价并记录 / evaluate a year and record the run")
    _db(q)
    q.add_argument("year", type=int)
    q.add_argument("--framework", default="dvd-2023")
    q.add_argument("--methodology", default=None, help="方法设定 TOML / methodology file")
    q.add_argument("--label", default="", help="运行名称 / label of the run")
    q = sub.add_parser("runs", help="运行记录 / list recorded runs")
    _db(q)
    q.add_argument("--methodology", default=None,
                   help="方法设定文件、摘要或名称 / methodology file, digest or label")
    q = sub.add_parser("verify", help="重算并逐位核对 / recompute a run, compare bit for bit")
    _db(q)
    q.add_argument("run", type=int)
    q = sub.add_parser("check", help="完整性检查 / integrity check")
    _db(q)


def _run(args: argparse.Namespace) -> int:
    if args.action != "import" and not Path(args.db).is_file():
        existing_file(args.db)  # the standard "file not found" message, exit code 2
    with Archive(args.db) as arc:
        return _ACTIONS[args.action](arc, args)


def _import(arc: Archive, args: argparse.Namespace) -> int:
    path = existing_file(args.file)
    try:
        res = arc.import_file(path, args.framework, sheet=args.sheet, replace=args.replace,
                              mode="quarantine" if args.quarantine else "strict")
    except SubmissionError as exc:
        print(f"校验未通过,未导入 / validation failed, nothing imported: {path}")
        print(problems_table(exc.problems, limit=50))
        raise CommandExit(1) from None
    print(res)
    if res.import_id is not None:
        rep = arc.report(res.import_id)
        if rep.get("n_rejected"):
            print(f"拒收 {rep['n_rejected']} 行 / {rep['n_rejected']} row(s) rejected")
            return 1
    return 0


def _list(arc: Archive, args: argparse.Namespace) -> int:
    print(arc.imports())
    print(f"\n年份 / years: {arc.years()}")
    return 0


def _history(arc: Archive, args: argparse.Namespace) -> int:
    print(arc.history(args.code, args.framework))
    return 0


def _export(arc: Archive, args: argparse.Namespace) -> int:
    t = arc.submissions_table(args.year, args.framework)
    t.to_csv(args.output, overwrite=args.force)
    print(f"已写出 {len(t)} 行 / wrote {len(t)} rows: {args.output}")
    return 0


def _record(arc: Archive, args: argparse.Namespace) -> int:
    from ..evaluate import evaluate
    from ..methodology import as_methodology

    m = as_methodology(args.methodology or None)
    ev = evaluate(arc.data(args.year, args.framework), m)
    rid = arc.record_run(ev, label=args.label)
    print(f"已记录运行 {rid} / recorded run {rid}: {m.name}, {len(ev.units)} units")
    return 0


def _runs(arc: Archive, args: argparse.Namespace) -> int:
    from ..methodology import Methodology, as_methodology

    sel: Methodology | str | None = args.methodology
    if args.methodology and Path(args.methodology).is_file():
        sel = as_methodology(args.methodology)
    print(arc.runs(sel))
    return 0


def _verify(arc: Archive, args: argparse.Namespace) -> int:
    ok = arc.verify(args.run)
    print(f"运行 {args.run}: " + ("逐位一致 / identical bit for bit" if ok else
                                  "不一致 / results DIFFER from the stored ones"))
    return 0 if ok else 1


def _check(arc: Archive, args: argparse.Namespace) -> int:
    probs = arc.check()
    if not probs:
        print(f"完整性检查通过 / integrity check passed ({arc.path}, schema {arc.schema_version})")
        return 0
    print("完整性检查发现问题 / integrity problems:")
    for p in probs:
        print(f"  - {p}")
    return 1


_ACTIONS = {"import": _import, "list": _list, "history": _history, "export": _export,
            "record": _record, "runs": _runs, "verify": _verify, "check": _check}

command("archive", "填报与评价档案库 / archive of submissions and runs", _configure, _run)
