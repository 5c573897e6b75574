"""The progress display of long commands: a bar redrawn in place on a terminal, plain
lines at intervals in a log."""

from __future__ import annotations

import io

from billing_desk.cli.progress import ProgressDisplay


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_one_bar_is_redrawn_in_place():
    out, clock = Terminal(), Clock()
    show = ProgressDisplay("issue-batch", stream=out, clock=clock)
    for done in range(0, 301, 10):
        clock.now = done / 50
        show(done, 300)
    clock.now = 7.0
    show.finish()
    frames = out.getvalue().split("\r")[1:]
    assert len(frames) == 31 + 1  # every call came 0.2 s after the last: all drawn
    assert frames[15].startswith("issue-batch [###############...............] 150/300 cases  50%")
    assert "0:03 elapsed, about 0:03 left" in frames[15]
    assert frames[-1].startswith("issue-batch [##############################] 300/300 cases 100%")
    assert out.getvalue().endswith("\x1b[K\n") and out.getvalue().count("\n") == 1


def test_in_a_log_a_plain_line_every_ten_seconds():
    out, clock = io.StringIO(), Clock()
    show = ProgressDisplay("issue-batch", stream=out, clock=clock)
    for second in range(0, 25):
        clock.now = second
        show(second * 100, 3000)
    show.finish()
    assert out.getvalue().splitlines() == [
        "issue-batch: 0 of 3,000 cases (0%), 0:00 elapsed",
        "issue-batch: 1,000 of 3,000 cases (33%), 0:10 elapsed, about 0:20 left",
        "issue-batch: 2,000 of 3,000 cases (67%), 0:20 elapsed, about 0:10 left",
        "issue-batch: 2,400 of 3,000 cases (80%), 0:24 elapsed, about 0:06 left",
    ]
