"""Run as a separate process by the concurrency test:
``python _workers.py DB FIRST_YEAR N_YEARS SEED``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from helpers import small_data
from xiangcun_eval.archive import Archive


def main(path: str, first_year: int, n_years: int, seed: int) -> None:
    with Archive(path) as arc:
        for k in range(n_years):
            arc.import_data(small_data(n=200, seed=seed + k), year=first_year + k)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
