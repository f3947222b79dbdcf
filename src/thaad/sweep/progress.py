"""The sweep's progress bar on stderr (rich): cases done of all, how many came from the cache, time left."""

from __future__ import annotations


class RichProgress:
    def __init__(self, title: str = "sweep"):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("cases done · {task.fields[cached]} from cache ·"), TimeElapsedColumn(),
                           TextColumn("elapsed ·"), TimeRemainingColumn(), TextColumn("left"),
                           console=Console(stderr=True), transient=False)
        self._title = title
        self._task = None

    def start(self, total: int, cached: int) -> None:
        self._p.start()
        self._task = self._p.add_task(self._title, total=max(total, 1), completed=cached, cached=cached)

    def advance(self, n: int) -> None:
        self._p.advance(self._task, n)

    def stop(self) -> None:
        self._p.stop()
