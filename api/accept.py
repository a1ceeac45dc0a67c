"""Accept-style request headers (``Accept``, ``Accept-Language``) read one way, bounded.

The parsing is werkzeug's (RFC 9110).  A client controls these headers, so only the first
``MAX_ENTRIES`` entries within the first ``MAX_CHARS`` characters are read: a longer header
costs no more than that (the service refuses whole header blocks over ``PAKG_MAX_HEADER_BYTES``
before this is reached).
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.http import parse_accept_header

MAX_CHARS = 2048
MAX_ENTRIES = 32


def accept_entries(value: str | None) -> list[tuple[str, float]]:
    """The entries of an Accept-style header as ``(value, q)``: the value lower-cased and without its
    parameters (``text/html;level=1`` → ``text/html``), highest ``q`` first and, among equal ``q``,
    in the header's order (werkzeug puts a lone ``*`` last).

    An entry whose ``q`` is not a number from 0 to 1 (``NaN``, ``inf``, ``abc``, ``2``, ``-1``) is
    skipped, as if it were not in the header (werkzeug's reading of RFC 9110, checked again here);
    a ``q=`` with nothing after it is read as no ``q`` at all (werkzeug's too).
    Entries past the bounds are ignored; an entry cut by ``MAX_CHARS`` is dropped, not read in part.

    >>> accept_entries("text/csv;q=NaN, application/json;q=0.5")
    [('application/json', 0.5)]
    >>> accept_entries("zh-CN,zh;q=0.9,EN;q=0.8")
    [('zh-cn', 1.0), ('zh', 0.9), ('en', 0.8)]
    """
    if not value:
        return []
    parts = value[:MAX_CHARS].split(",", MAX_ENTRIES)
    if len(parts) > MAX_ENTRIES or len(value) > MAX_CHARS:
        parts.pop()  # the rest past MAX_ENTRIES, or an entry cut at MAX_CHARS
    return list(_parse(",".join(parts)))


@lru_cache(maxsize=256)  # the same few headers come again and again (at most MAX_CHARS each here)
def _parse(value: str) -> tuple[tuple[str, float], ...]:
    out = []
    for item, q in parse_accept_header(value):
        name = item.split(";", 1)[0].strip().lower()
        if name and 0.0 <= q <= 1.0:  # (false for NaN)
            out.append((name, float(q)))
    return tuple(out)
