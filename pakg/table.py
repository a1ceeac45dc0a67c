"""Tables for people, and the same rows for scripts: ``render(rows, columns, fmt)``.

``table`` fits the terminal: when the columns are wider than the terminal (``shutil.get_terminal_size``,
which reads ``COLUMNS`` first), the widest cells are cut and end in "…" until the table fits; a column
keeps at least its header's width (up to ``MIN_COLUMN``; the first column, which says what a row is, up to
``KEY_COLUMN``), or ``LAST_RESORT`` columns when there are too
many columns for that (a table of more columns than that allows is wider than the terminal).
``full_width`` leaves every cell whole.  Widths are counted as a terminal shows them: a Chinese character
takes two columns.

>>> print(render([{"name": "克州", "n": 8}], ["name", "n"], "table", width=40))
name  n
----  -
克州  8
(1 row)
>>> print(render([{"text": "a" * 30}], ["text"], "table", width=12))
text
------------
aaaaaaaaaaa…
(1 row)
>>> print(render([], ["a", "b"], "table"))
(no rows)
>>> print(render([{"a": 1, "b": ["x", "y"]}], ["a", "b"], "csv"))
a,b
1,x; y
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "csv", "json")  # of the tables printed for people and scripts (not graph.formats)
ELLIPSIS = "…"
MIN_COLUMN = 8  # a cut column keeps at least this many columns (or its header's width, if less) …
LAST_RESORT = 4  # … unless the table fits only with narrower ones: then this many (two characters and "…")
KEY_COLUMN = 40  # the first column (a name, an id: what a row is) is cut only past this width
GAP = "  "


def width_of(text: str) -> int:
    """How many terminal columns ``text`` takes (wide and full-width characters take two)."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns, ending in "…" when it had to be cut."""
    if width_of(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = width_of(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def cell(value: Any) -> str:
    """A value as one line of text: lists joined with "; ", floats to six places, None empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) >= 1e6 or (value and abs(value) < 1e-4) else str(round(value, 6))
    return " ".join(str(value).split())  # no line breaks or tabs inside a cell


def fit(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths that fit ``room`` (the gaps already taken off): the widest column gives up a column
    at a time, never below its floor.

    >>> fit([10, 40, 5], [4, 4, 4], 30)
    [10, 15, 5]
    >>> fit([3, 3], [3, 3], 2)
    [3, 3]
    """
    widths = list(natural)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - floors[i] > 0, widths[i], i))
        if widths[widest] <= floors[widest]:
            break  # every column is at its floor: the table is wider than the terminal
        widths[widest] -= 1
    return widths


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def render(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    width: int | None = None,
    full_width: bool = False,
) -> str:
    """``rows`` (dicts) with these ``columns`` as a table, CSV or JSON.  JSON keeps the values as they
    are; CSV and the table show each as one line of text (``cell``)."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(r.get(c)) for c in columns] for r in rows)
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    if not rows:
        return "(no rows)"
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    natural = [max([width_of(c)] + [width_of(row[i]) for row in cells]) for i, c in enumerate(columns)]
    if full_width:
        widths = natural
    else:
        room = (width or terminal_width()) - len(GAP) * (len(columns) - 1)
        floors = [min(n, max(MIN_COLUMN, width_of(c))) for n, c in zip(natural, columns, strict=True)]
        floors[0] = min(natural[0], max(floors[0], KEY_COLUMN))
        if sum(floors) > room:
            floors = [min(n, LAST_RESORT) for n in natural]
        widths = fit(natural, floors, room)

    def line(values: list[str]) -> str:
        shown = [cut(v, w) for v, w in zip(values, widths, strict=True)]
        return GAP.join(v + " " * (w - width_of(v)) for v, w in zip(shown, widths, strict=True)).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths])] + [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
