"""Progress on stderr for long commands: rich bars on a terminal, plain lines elsewhere.

When stderr is not a terminal (a notebook cell, CI, a pipe) a plain line is written when a
task starts, every 10 % and at the end, so a long run is never silent. ``--quiet`` turns
all of it off. Colour follows rich, which honours ``NO_COLOR``. Implements the report's
``Progress`` protocol (``task(description, total).advance(n)``).
"""

from __future__ import annotations

import os
import sys
import time


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def task(self, description: str, total: int):
        return self

    def advance(self, n: int = 1) -> None:
        pass

    def callback(self, description: str, total: int):
        return None


class PlainProgress(_Null):
    """'thaad: <task>: i/n (p %), t s' lines on a stream, at most one per 10 % step."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.t0 = time.monotonic()

    def _line(self, text: str) -> None:
        print(f"thaad: {text} [{time.monotonic() - self.t0:.0f} s]", file=self.stream, flush=True)

    def task(self, description: str, total: int):
        outer = self
        total = max(int(total), 1)
        outer._line(f"{description}: 0/{total}")

        class _Task:
            done, step = 0, -1

            def advance(self, n: int = 1) -> None:
                self.done = min(self.done + n, total)
                step = int(10 * self.done / total)
                if step > self.step:
                    self.step = step
                    outer._line(f"{description}: {self.done}/{total} ({100 * self.done // total} %)")

        return _Task()

    def callback(self, description: str, total: int):
        t = self.task(description, total)
        state = {"done": 0}

        def update(i: int, n: int | None = None) -> None:
            if i > state["done"]:
                t.advance(i - state["done"])
                state["done"] = i

        return update


class RichProgress(PlainProgress):
    """rich progress bars on stderr (colour off under NO_COLOR, as rich does)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description:32s}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=False)

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)

    def task(self, description: str, total: int):
        tid = self._progress.add_task(description, total=max(int(total), 1))
        progress = self._progress

        class _T:
            def advance(self, n: int = 1) -> None:
                progress.advance(tid, n)

        return _T()


def progress_for(quiet: bool, stream=None):
    """The progress reporter a command should use: none when ``quiet``, rich bars when
    stderr is a terminal (and TERM is not 'dumb'), plain lines otherwise."""
    if quiet:
        return _Null()
    stream = stream or sys.stderr
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        return RichProgress()
    return PlainProgress(stream)


quiet_option_help = "No progress or messages on stderr (results and errors still print)."
