"""Progress: a tqdm bar with rate and time left (progress=True, CLI) or a callback."""

from __future__ import annotations

import pytest

from helpers import asem
from spaces import COINR
from xiangcun_eval.errors import MethodError
from xiangcun_eval.sensitivity.execution import RunOptions
from xiangcun_eval.sensitivity.progress import TqdmProgress, progress_callback
from xiangcun_eval.sensitivity.sobol import sensitivity
from xiangcun_eval.sensitivity.uncertainty import uncertainty


def test_progress_true_draws_a_tqdm_bar_with_rate_and_eta(capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    data, m = asem()
    uncertainty(data, m, COINR, n=256, seed=1, run=RunOptions(chunk_size=64, progress=True))
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert "uncertainty" in last and "100%" in last and "256/256" in last
    assert "rep/s" in last  # rate
    assert "<" in last  # elapsed<remaining
    sensitivity(data, m, COINR, n=16, seed=1, n_boot=0, run=RunOptions(progress=True))
    err = capsys.readouterr().err
    assert "sensitivity" in err and "run/s" in err and "80/80" in err  # N(d + 2) runs


def test_progress_callback_choices() -> None:
    seen: list[tuple[int, int]] = []

    def cb(d: int, t: int) -> None:
        seen.append((d, t))

    assert progress_callback(None, "x") is None and progress_callback(False, "x") is None
    assert progress_callback(cb, "x") is cb
    bar = progress_callback(True, "x")
    assert isinstance(bar, TqdmProgress)
    with pytest.raises(MethodError, match="progress must be"):
        progress_callback("yes", "x")  # type: ignore[arg-type]


def test_bar_counts_increments_and_closes(capsys: pytest.CaptureFixture[str]) -> None:
    bar = TqdmProgress("测试 / test", force=True, notebook=False)
    for done in (10, 30, 30, 50):
        bar(done, 50)
    assert bar._bar is None  # closed at the total
    bar.close()  # idempotent
    err = capsys.readouterr().err
    assert "50/50" in err and "测试 / test" in err
