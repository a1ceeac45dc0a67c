"""Progress bars on standard error, drawn by rich, only when standard error is a terminal.

``bar(title)`` is a context manager that gives a callback ``tick(what, done, total)`` (the shape the
graph layer's ``progress=`` keyword arguments call), or None when no bar is shown: when standard error
is a pipe or a file, nothing is written to it, so that logs and scripts never see control characters.
``PAKG_PROGRESS=0`` turns the bars off in a terminal too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Tick = Callable[[str, int, "int | None"], None]


def wanted() -> bool:
    """Whether bars are drawn: standard error is a terminal (not a pipe or file) and not switched off."""
    if os.environ.get("PAKG_PROGRESS", "").strip().lower() in ("0", "no", "false", "off"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced by an object without a terminal
        return False


@contextmanager
def bar(title: str) -> Iterator[Tick | None]:
    """A bar titled ``title`` for one long step; yields its ``tick`` callback, or None when not shown."""
    if not wanted():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[title]}[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,  # the bar goes when the step is done; the command's own line stays
    ) as progress:
        task = progress.add_task("", total=None, title=title)
        counted = False  # whether the task has a total (rich keeps one once set)

        def tick(what: str, done: int, total: int | None) -> None:
            nonlocal task, counted
            if total is None and counted:  # a stage of unknown length after a counted one: a new task
                progress.remove_task(task)
                task = progress.add_task("", total=None, title=title)
            counted = total is not None
            progress.update(task, description=what, completed=done, total=total)

        yield tick


def keyword(tick: Tick | None) -> dict[str, Any]:
    """``{"progress": tick}`` when a bar is shown, else no keyword at all (callers that replace a graph
    function by one without the keyword, as tests do, keep working)."""
    return {"progress": tick} if tick is not None else {}
