"""Progress of a long command on standard error: a bar redrawn in place on a terminal,
plain lines at intervals otherwise (a log file, a pipe, a cron mail), so a batch of
30,000 cases shows it is moving without flooding a log."""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

BAR_WIDTH = 30
TTY_INTERVAL = 0.1
LOG_INTERVAL = 10.0


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressDisplay:
    """Call with ``(done, total)`` as often as you like; it draws at most every
    ``TTY_INTERVAL`` (terminal) or ``LOG_INTERVAL`` seconds (otherwise). ``finish``
    draws the last state."""

    def __init__(self, label: str, unit: str = "cases", stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label, self.unit = label, unit
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = TTY_INTERVAL if self.tty else LOG_INTERVAL
        self.clock = clock
        self.started = clock()
        self._drawn_at: float | None = None
        self._state = (0, 0)

    def __call__(self, done: int, total: int) -> None:
        self._state = (done, total)
        now = self.clock()
        if self._drawn_at is None or now - self._drawn_at >= self.interval:
            self._draw(now)

    def finish(self) -> None:
        self._draw(self.clock())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        self._drawn_at = now
        done, total = self._state
        elapsed = now - self.started
        share = done / total if total else 1.0
        timing = f"{_clock_text(elapsed)} elapsed"
        if 0 < done < total:
            timing += f", about {_clock_text(elapsed / done * (total - done))} left"
        if self.tty:
            filled = round(BAR_WIDTH * share)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,} {self.unit} "
                              f"{share:4.0%}  {timing}\x1b[K")
        else:
            self.stream.write(f"{self.label}: {done:,} of {total:,} {self.unit} "
                              f"({share:.0%}), {timing}\n")
        self.stream.flush()
