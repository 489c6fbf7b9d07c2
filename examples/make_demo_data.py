"""Generate synthetic county submissions (模拟数据) for any framework.

The data are **synthetic**: no value describes a real county.  Every row
carries ``data_note = "模拟数据 / synthetic data ..."`` (an optional column
that :func:`xiangcun_eval.inputs.read_submissions` accepts), the file name
says ``demo``, and ``examples/data/README.md`` says so again.

Model (seeded, reproducible)
----------------------------
* Counties are spread over several provinces from all four NBS regions and
  get GB/T 2260-shaped codes: the real province prefix, a prefecture
  ``01``-``12`` and a county number ``21``-``60`` (valid shape; not
  necessarily a real county).  For very large ``n`` every valid code of
  every mainland province is used (31 x 99 x 99 = 303,831 distinct
  county-level codes of this shape), and codes repeat beyond that
  (``unique=False``).
* A latent development factor ``z = region effect + province effect + e``
  (东部 +0.8, 东北 -0.1, 中部 0, 西部 -0.5; province sd 0.3; e ~ N(0, 1)).
* Each indicator ``j`` has a loading ``l_j`` in [0.45, 0.85] and score
  ``s = l_j z' + sqrt(1 - l_j^2) e_j`` (``z'`` standardised; sign flipped for
  cost indicators, direction -1), so indicators correlate positively in
  the "better" direction and east > centre/northeast > west on average.
* The score is mapped into the indicator's own range from the framework:
  bounded indicators (e.g. percentages 0-100) through a logistic curve
  centred on the benchmark when it is a past national average, else near
  0.8 × the target or the benchmark goal (or 60 % of the range); ceiling
  items (a zero-variance policy without an applicability rule) at the upper bound for about
  55 % of counties and a little below it elsewhere; 0/1
  indicators as ``s > q`` with about 70 % ones; coded items ``0/1/2`` with
  about 5 % twos and 20 % ones; indicators with only a lower bound
  (per-capita amounts, counts) log-normally around the benchmark, the
  target, the middle of the goalposts or a unit-typical median.  Values are
  clipped to the bounds and rounded.
* Indicators with an applicability rule are blank ("not applicable") for a
  share of counties (about 70 % of counties are in scope; the 832-platform
  indicator about 30 %, more often in the west; homestead-reform pilots 10 %).
* About 4 % of values are missing (a little more in the west), written as
  empty cells; missing is never zero.

Usage::

    python examples/make_demo_data.py                      # dvd-2023, 300 counties
    python examples/make_demo_data.py --n 2850 --out /tmp/c.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from xiangcun_eval.framework import Framework, Indicator
from xiangcun_eval.inputs.codes import PROVINCES

SYNTHETIC_NOTE = "模拟数据 / synthetic data (examples/make_demo_data.py)"
REGION_EFFECT = {"东部": 0.8, "东北": -0.1, "中部": 0.0, "西部": -0.5}
DEMO_PROVINCES = ("13", "32", "33", "37", "41", "43", "21", "22", "51", "52", "62", "45")
"""Default provinces: 河北 江苏 浙江 山东 (east), 河南 湖南 (centre), 辽宁 吉林
(northeast), 四川 贵州 甘肃 广西 (west)."""

_UNIT_MEDIAN = {
    "元/人": 400.0, "万元": 3000.0, "个/万人": 6.0, "吨/万人": 150.0, "架/万亩": 1.5,
    "人次/百人": 25.0, "个": 3.0,
}


def _codes(n: int, provinces: tuple[str, ...], rng: np.random.Generator, unique: bool
           ) -> NDArray[np.str_]:
    """``n`` county codes spread over ``provinces`` (demo shape first, all codes if needed)."""
    demo = [f"{p}{f:02d}{c:02d}" for p in provinces for f in range(1, 13) for c in range(21, 61)]
    if n <= len(demo):
        pool = np.array(demo)
    else:  # every valid county-level code of every province
        prefs = [p for p in PROVINCES if p not in ("71", "81", "82")]
        pool = np.array([f"{p}{f:02d}{c:02d}" for p in prefs for f in range(1, 100)
                         for c in range(1, 100)])
        if n > pool.size and unique:
            raise ValueError(f"only {pool.size} distinct county codes exist; pass unique=False")
    if n <= pool.size:
        return np.sort(rng.choice(pool, size=n, replace=False))
    reps = -(-n // pool.size)
    return np.tile(pool, reps)[:n]


_APPLICABLE_SHARE = {"T07_platform_832_sales_per_capita": 0.3, "T23_homestead_survey": 0.1}
"""Share of counties an applicability-restricted indicator applies to (default 0.7)."""


def _lognormal_median(ind: Indicator) -> float:
    if ind.benchmark is not None and ind.benchmark.value > 0:
        return ind.benchmark.value
    if ind.target is not None and ind.target > 0:
        return 0.6 * ind.target
    if ind.goalposts is not None:
        return float(np.mean(ind.goalposts))
    return _UNIT_MEDIAN.get(ind.unit.strip(), 10.0)


def indicator_values(ind: Indicator, s: NDArray[np.float64], rng: np.random.Generator
                     ) -> NDArray[np.float64]:
    """Map standard-normal scores ``s`` into ``ind``'s range (see module docs)."""
    lo, hi = ind.lower_bound, ind.upper_bound
    if lo is not None and hi is not None and hi - lo == 1 and float(lo).is_integer():
        return np.where(s > np.quantile(s, 0.3), hi, lo).astype(np.float64)
    if lo is not None and hi is not None and "=" in ind.unit and hi - lo == 2:  # coded 0/1/2
        return (lo + (s > np.quantile(s, 0.75)) + (s > np.quantile(s, 0.95))).astype(np.float64)
    ceiling = ind.zero_variance is not None and not ind.applicability
    if lo is not None and hi is not None and ceiling:  # ceiling item
        short = (hi - lo) * 0.2 / (1 + np.exp(2 * s))
        x = np.where(s > np.quantile(s, 0.45), hi, hi - short)
        return np.asarray(np.round(np.clip(x, lo, hi), 1), dtype=np.float64)
    if lo is not None and hi is not None:
        width = hi - lo
        bm = ind.benchmark
        if bm is not None and bm.kind == "average":
            centre = bm.value
        elif ind.target is not None:
            centre = 0.8 * ind.target
        elif bm is not None:
            centre = 0.8 * bm.value
        else:
            centre = lo + 0.6 * width
        frac = np.clip((centre - lo) / width, 0.05, 0.95)
        x = lo + width / (1 + np.exp(-(np.log(frac / (1 - frac)) + 1.1 * s)))
        return np.asarray(np.round(np.clip(x, lo, hi), 1), dtype=np.float64)
    if lo is not None:
        med = _lognormal_median(ind)
        x = lo + med * np.exp(0.7 * s)
        return np.asarray(np.round(np.clip(x, lo, hi if hi is not None else np.inf), 2),
                          dtype=np.float64)
    mu = ind.target if ind.target is not None else 0.0
    x = mu + s
    return np.asarray(np.round(np.clip(x, -np.inf, hi if hi is not None else np.inf), 2),
                      dtype=np.float64)


def generate(
    framework: Framework,
    n: int = 300,
    *,
    year: int = 2023,
    seed: int = 20231130,
    missing_rate: float = 0.04,
    provinces: tuple[str, ...] = DEMO_PROVINCES,
    unique: bool = True,
) -> dict[str, NDArray[np.str_]]:
    """Synthetic submissions as text columns, in the CSV column order.

    Parameters
    ----------
    framework
        Any framework: values are generated from its indicator specs
        (bounds, target, goalposts, unit, direction).
    n
        Number of counties (rows).
    year, seed, missing_rate
        Reporting year, random seed, share of missing values.
    provinces
        Two-digit province prefixes to use (when ``n`` fits in them).
    unique
        Raise if ``n`` exceeds the number of distinct valid codes.

    Returns
    -------
    dict of str to ndarray of str
        ``county_code, county_name, province, year, data_note`` and one
        column per indicator code (missing = empty string).
    """
    rng = np.random.default_rng(seed)
    codes = _codes(n, provinces, rng, unique)
    prefix = codes.astype("U2")
    uprefix, pidx = np.unique(prefix, return_inverse=True)
    prov = [PROVINCES[str(p)] for p in uprefix]
    reg = np.array([REGION_EFFECT.get(p.region, 0.0) for p in prov])[pidx]
    prov_eff = rng.normal(0, 0.3, uprefix.size)[pidx]
    z = reg + prov_eff + rng.normal(0, 1, n)
    z = (z - z.mean()) / (z.std() or 1.0)
    west = np.array([p.region == "西部" for p in prov])[pidx]
    cols: dict[str, NDArray[np.str_]] = {
        "county_code": codes,
        "county_name": np.char.add(np.char.add(np.array([p.short_zh for p in prov])[pidx], "模拟"),
                                   np.char.add(np.char.mod("%d", np.arange(1, n + 1)), "县")),
        "province": np.array([p.name_zh for p in prov])[pidx],
        "year": np.full(n, str(year)),
        "data_note": np.full(n, SYNTHETIC_NOTE),
    }
    p_miss = np.where(west, missing_rate * 1.4, missing_rate * 0.85)
    for ind in framework.indicators:
        load = rng.uniform(0.45, 0.85)
        s = ind.direction * load * z + np.sqrt(1 - load**2) * rng.normal(0, 1, n)
        v = indicator_values(ind, s, rng)
        txt = v.astype("U24")
        blank = np.isnan(v) | (rng.random(n) < p_miss)
        if ind.applicability:
            share = _APPLICABLE_SHARE.get(ind.code, 0.7)
            if ind.code.startswith("T07_platform_832"):  # formerly poor counties: mostly west
                share = np.where(west, min(1.0, 2 * share), 0.6 * share)
            blank |= rng.random(n) >= share
        txt[blank] = ""
        cols[ind.code] = txt
    return cols


def to_csv_text(cols: dict[str, NDArray[np.str_]], *, header_comment: bool = False) -> str:
    """Join text columns into CSV text (no quoting needed: cells have no commas)."""
    names = list(cols)
    line = cols[names[0]].astype(np.str_)
    for name in names[1:]:
        line = np.char.add(np.char.add(line, ","), cols[name])
    return ",".join(names) + "\n" + "\n".join(line.tolist()) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic submission CSV."""
    from xiangcun_eval.framework.registry import load_framework

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--framework", default="dvd-2023")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--seed", type=int, default=20231130)
    ap.add_argument("--missing-rate", type=float, default=0.04)
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).parent / "data" / "demo_counties_2023.csv")
    args = ap.parse_args(argv)
    fw = load_framework(args.framework)
    cols = generate(fw, args.n, year=args.year, seed=args.seed, missing_rate=args.missing_rate)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_csv_text(cols), encoding="utf-8")
    print(f"wrote {args.n} synthetic counties × {len(fw.indicators)} indicators to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
