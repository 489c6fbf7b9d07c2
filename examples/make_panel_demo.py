"""Derive two earlier synthetic years (2021, 2022) from the 2023 demo, with
known changes, for the panel example (模拟数据 / synthetic: no value describes a
real county).

Known changes, going back from 2023 (only these; every other cell is copied
as written):

* area A01 (foundations of rural digitalisation): every A01 indicator of every county is
  10 % lower in 2022 than in 2023 and another 10 % lower in 2021
  (``x_2022 = 0.9 x_2023``, ``x_2021 = 0.9 x_2022``, rounded to 2 decimals;
  0/1 indicators are left as they are);
* area A05 for the counties in :data:`LEAPERS` (every 30th county): their A05
  indicators are 30 % lower in 2022 than in 2023 (2021 = 2022), i.e. they
  leapt in A05 (county digital economy) in 2023;
* county ``130142`` carried the code ``130198`` in 2021 and 2022 (a code
  change, mapped by ``demo_crosswalk.csv``);
* county ``621253`` (the last row) is new in 2023: absent in 2021 and 2022.

So with a fixed reference and fixed weights the index change 2022→2023 of a
county comes from A01 only (and A05 for the leapers): every other area
contributes exactly 0.  ``tests/panel/test_demo.py`` checks that the panel
recovers this.

Usage::

    python examples/make_panel_demo.py     # writes examples/data/demo_counties_202{1,2}.csv
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from xiangcun_eval import load_framework

DATA = Path(__file__).parent / "data"
SOURCE = DATA / "demo_counties_2023.csv"
GROWTH_AREA, LEAP_AREA = "A01", "A05"
GROWTH, LEAP = 0.9, 0.7
RENAMED = {"130142": "130198"}  # 2023 code -> code in the earlier years
NEW_IN_2023 = "621253"


def _rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SOURCE.read_text(encoding="utf-8-sig"))))
    return rows[0], rows[1:]


LEAPERS: tuple[str, ...] = tuple(r[0] for r in _rows()[1][::30])


def _scale(cell: str, f: float) -> str:
    return cell if cell.strip() == "" else f"{float(cell) * f:.2f}"


def earlier_years() -> dict[int, list[list[str]]]:
    fw = load_framework("dvd-2023")
    header, rows = _rows()
    col = {h: k for k, h in enumerate(header)}
    binary = {i.code for i in fw.indicators if i.lower_bound == 0 and i.upper_bound == 1}
    growth = [col[i.code] for i in fw.indicators
              if fw.ancestor(i.code, 3) == GROWTH_AREA and i.code not in binary]
    leap = [col[i.code] for i in fw.indicators
            if fw.ancestor(i.code, 3) == LEAP_AREA and i.code not in binary]
    out: dict[int, list[list[str]]] = {}
    prev = [r for r in rows if r[0] != NEW_IN_2023]
    for year in (2022, 2021):
        new = []
        for r in prev:
            r = list(r)
            r[col["year"]] = str(year)
            if year == 2022 and r[0] in LEAPERS:
                for k in leap:
                    r[k] = _scale(r[k], LEAP)
            r[0] = RENAMED.get(r[0], r[0])
            for k in growth:
                r[k] = _scale(r[k], GROWTH)
            new.append(r)
        out[year] = new
        prev = new
    return out


def main() -> None:
    header, _ = _rows()
    for year, rows in earlier_years().items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        (DATA / f"demo_counties_{year}.csv").write_text(buf.getvalue(), encoding="utf-8")
    (DATA / "demo_crosswalk.csv").write_text(
        "old_code,new_code,note\n"
        + "".join(f"{old},{new},模拟的代码变更 / simulated code change\n"
                  for new, old in RENAMED.items()),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
