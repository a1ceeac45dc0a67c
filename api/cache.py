"""Answers computed once per dataset version.

A dataset version never changes, so the answer to a GET request — a REST question, a
network, an analysis, a SPARQL query, an entity page — stays right for as long as that
version is served.  ``AnswerCache`` keeps finished answers (status 200 only, each at
most ``entry_bytes``, all together at most ``max_bytes``, least recently used first
out); it lives on the snapshot, so a reload starts with an empty one and no answer of
one version is ever served under another.  Requests that differ in path, query string,
``Accept`` or ``Accept-Language`` are different entries.  A hit is marked ``X-Cache: hit``.
"""
from __future__ import annotations

from collections import OrderedDict

Key = tuple[bytes, bytes, bytes, bytes]
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
        cost = len(body) + sum(len(k) + len(v) for k, v in headers)
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
        snapshot = scope.get("pakg.snapshot") if scope["type"] == "http" else None
        cache: AnswerCache | None = getattr(snapshot, "cache", None)
        if cache is None or scope["method"] != "GET" or scope["path"] in FILE_PATHS or scope["path"].startswith(FILES):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        key = (scope["path"].encode(), scope["query_string"], headers.get(b"accept", b""),
               headers.get(b"accept-language", b""))
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
                # copied now: the middlewares outside add their own headers to this very message
                kept_headers.extend(message.get("headers", []))
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
