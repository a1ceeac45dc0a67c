"""Answers computed once per dataset version.

A dataset version never changes, so the answer to a GET request — a REST question, a
network, an analysis, a SPARQL query, an entity page — stays right for as long as that
version is served.  ``AnswerCache`` keeps finished answers (status 200 only, each at
most ``entry_bytes``, all together at most ``max_bytes`` — key, headers and body counted —
least recently used first out); it lives on the snapshot, so a reload starts with an empty
one and no answer of one version is ever served under another.  A hit is marked
``X-Cache: hit``.

An entry is keyed on the path, the query string and what the request's headers decide,
never on their raw text: the formats its ``Accept`` negotiates (``negotiated_formats``) and
whether it asks for an HTML page (``wants_page``), and the label language its
``Accept-Language`` chooses ('zh' or 'en').  So two headers that negotiate the same are one
entry, and however large or varied the headers, a key stays a few bytes past the URL.  Every
answer but the explorer's files says ``Vary: Accept, Accept-Language`` (CORS adds ``Origin``).
"""

from __future__ import annotations

from collections import OrderedDict

from .negotiation import label_language, negotiated_formats, wants_page

Key = tuple[bytes, bytes, bytes, bytes]
VARY = (b"vary", b"Accept, Accept-Language")
FILES = ("/static/", "/vendor/")  # files on disk, not answers from the dataset
FILE_PATHS = {"/", "/favicon.ico"}


class AnswerCache:
    def __init__(self, max_bytes: int, entry_bytes: int):
        self.max_bytes, self.entry_bytes = max_bytes, entry_bytes
        self._entries: OrderedDict[Key, tuple[list, bytes, int]] = OrderedDict()  # headers, body, bytes
        self.size = 0
        self.hits = self.misses = 0

    def get(self, key: Key) -> tuple[list, bytes] | None:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found[0], found[1]

    def put(self, key: Key, headers: list, body: bytes) -> None:
        cost = sum(map(len, key)) + len(body) + sum(len(k) + len(v) for k, v in headers)
        if cost > self.entry_bytes or cost > self.max_bytes or key in self._entries:
            return
        self._entries[key] = (headers, body, cost)
        self.size += cost
        while self.size > self.max_bytes:
            self.size -= self._entries.popitem(last=False)[1][2]

    def __len__(self) -> int:
        return len(self._entries)


class CacheMiddleware:
    """Pure ASGI middleware: answers a GET from the snapshot's cache, or passes it on and keeps the answer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in FILE_PATHS or scope["path"].startswith(FILES):
            return await self.app(scope, receive, send)
        cache: AnswerCache | None = getattr(scope.get("pakg.snapshot"), "cache", None)
        if cache is None or scope["method"] != "GET":
            return await self.app(scope, receive, _varied(send))
        key = cache_key(scope)
        found = cache.get(key)
        if found is not None:
            stored, body = found
            await send({"type": "http.response.start", "status": 200, "headers": [*stored, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        kept_headers: list = []
        chunks: list[bytes] | None = []
        seen = 0

        async def keep(message):
            nonlocal chunks, seen
            if message["type"] == "http.response.start":
                _add_vary(message)
                # copied now: the middlewares outside add their own headers to this very message
                kept_headers.extend(message["headers"])
                if message["status"] != 200:
                    chunks = None
            elif message["type"] == "http.response.body" and chunks is not None:
                seen += len(message.get("body", b""))
                if seen > cache.entry_bytes:
                    chunks = None
                else:
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        cache.put(key, kept_headers, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)


def cache_key(scope) -> Key:
    """What an answer to this GET depends on (see the module's docstring), in a few bytes past the URL."""
    accept, accept_language = _first(scope["headers"], b"accept"), _first(scope["headers"], b"accept-language")
    page = b"H" if wants_page(accept.decode("latin-1")) else b"-"  # the HTML pages (sparql, entities)
    formats = negotiated_formats(accept.decode("latin-1")).encode()
    language = label_language(accept_language.decode("latin-1")).encode()
    return scope["path"].encode(), scope["query_string"], page + b" " + formats, language


def _first(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    """The first value of a header, as the handlers read it (Starlette's ``headers.get``): a request
    that repeats a header is keyed on the value its answer was made from."""
    return next((value for key, value in headers if key == name), b"")


def _add_vary(message) -> None:
    message["headers"] = [*message.get("headers", []), VARY]


def _varied(send):
    """``send`` with ``Vary`` on the answer's start."""

    async def with_vary(message):
        if message["type"] == "http.response.start":
            _add_vary(message)
        await send(message)

    return with_vary
