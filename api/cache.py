"""Answers computed once per dataset version, and told to clients as such.

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

The same key tells clients and proxies what they may keep (HTTP caching, RFC 9110/9111), once
here for every route: each GET answer of status 200 (but ``/health``, which says whether the service
is up now) has an ``ETag`` made of the dataset version and a digest of the key (with the service's
code version and settings, which shape answers too) and ``Cache-Control: public, max-age=…``
(``Settings.cache_max_age``).  A GET whose ``If-None-Match`` names that tag (strong or weak ``W/``,
alone or in a list) is answered ``304 Not Modified`` at once, without computing the answer; ``*``
gets a 304 when there is an answer (status 200) to match.  A reload changes the version, so every tag.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from graph import __version__

from .negotiation import label_language, negotiated_formats, wants_page

Key = tuple[bytes, bytes, bytes, bytes]
VARY = (b"vary", b"Accept, Accept-Language")
FILES = ("/static/", "/vendor/")  # files on disk, not answers from the dataset
FILE_PATHS = {"/", "/favicon.ico"}
LIVE = {"/health"}  # answers about the service now, not about the dataset version: never kept by clients
NO_STORE = (b"cache-control", b"no-store")
CONDITIONAL = ("GET", "HEAD")  # the methods an ETag and If-None-Match apply to
DEFAULT_MAX_AGE = 300


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
    """Pure ASGI middleware: answers a GET from the snapshot's cache, or passes it on and keeps the answer;
    tags every answer that depends only on the dataset version (``ETag``, ``Cache-Control``) and answers a
    matching ``If-None-Match`` with 304."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in FILE_PATHS or scope["path"].startswith(FILES):
            return await self.app(scope, receive, send)
        snap = scope.get("pakg.snapshot")
        if snap is None or scope["method"] not in CONDITIONAL:
            return await self.app(scope, receive, _varied(send))
        key = cache_key(scope)
        if scope["path"] in LIVE:
            tags: list = [NO_STORE]
            etag = None
        else:
            etag = entity_tag(snap, key)
            tags = [(b"etag", etag), (b"cache-control", cache_control(snap))]
        wanted = if_none_match(scope["headers"]) if etag is not None else None
        if wanted and etag is not None and etag_opaque(etag) in wanted:  # the client has this very answer
            return await _not_modified(send, tags)
        out = _unmodified(send) if wanted == ANY else send  # If-None-Match: * — any answer there is matches
        cache: AnswerCache | None = getattr(snap, "cache", None)
        if cache is None or scope["method"] != "GET":
            return await self.app(scope, receive, _tagged(out, tags))
        found = cache.get(key)
        if found is not None:
            stored, body = found
            if wanted == ANY:
                return await _not_modified(send, tags)
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
                if message["status"] == 200:
                    _add_tags(message, tags)
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
            await out(message)

        await self.app(scope, receive, keep)


ANY = frozenset({"*"})  # If-None-Match: *


def entity_tag(snap, key: Key) -> bytes:
    """The ``ETag`` of the answer to ``key`` from this snapshot: its dataset version and a digest of the key
    with what else shapes an answer (the code's version, the service's settings)."""
    digest = hashlib.sha256(_service_tag(snap))
    for part in key:
        digest.update(len(part).to_bytes(4, "big") + part)
    version = str(getattr(getattr(snap, "engine", None), "version", "") or "-")
    return f'"{version}-{digest.hexdigest()[:20]}"'.encode()


def etag_opaque(tag: bytes) -> str:
    """The opaque part of an entity tag (with its quotes), as weak comparison compares them."""
    text = tag.decode("latin-1").strip()
    return text[2:] if text.startswith("W/") else text


def if_none_match(headers: list[tuple[bytes, bytes]]) -> frozenset[str] | None:
    """The entity tags of a request's ``If-None-Match`` headers (weak ones as their opaque part), ``ANY`` for
    ``*``, None when there is none; what is not an entity tag is ignored."""
    values = [value.decode("latin-1") for name, value in headers if name == b"if-none-match"]
    if not values:
        return None
    found: set[str] = set()
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part == "*":
                return ANY
            opaque = part[2:] if part.startswith("W/") else part
            if len(opaque) >= 2 and opaque[0] == opaque[-1] == '"':
                found.add(opaque)
    return frozenset(found)


def cache_control(snap) -> bytes:
    settings = getattr(snap, "settings", None)
    age = getattr(settings, "cache_max_age", DEFAULT_MAX_AGE)
    return f"public, max-age={int(age)}".encode()


def _service_tag(snap) -> bytes:
    """What shapes answers besides the dataset and the request, once per snapshot: the code's version and the
    settings (row caps, the public URL …)."""
    found = getattr(snap, "_pakg_service_tag", None)
    if found is None:
        settings = getattr(snap, "settings", None)
        dump = settings.model_dump_json(exclude={"endpoint_password"}) if settings is not None else ""
        found = hashlib.sha256(f"{__version__}\n{dump}".encode()).digest()
        try:
            snap._pakg_service_tag = found
        except AttributeError:  # a snapshot that takes no attributes: computed each time
            pass
    return found


def _add_tags(message, tags: list) -> None:
    """The tags on an answer's start, unless the route set its own."""
    present = {name.lower() for name, _ in message.get("headers", [])}
    message["headers"] = [*message.get("headers", []), *(t for t in tags if t[0] not in present)]


async def _not_modified(send, tags: list) -> None:
    await send({"type": "http.response.start", "status": 304, "headers": [*tags, VARY]})
    await send({"type": "http.response.body", "body": b""})


def _tagged(send, tags: list):
    """``send`` with ``Vary`` on the answer's start and, on a 200, the tags."""

    async def with_tags(message):
        if message["type"] == "http.response.start":
            _add_vary(message)
            if message["status"] == 200:
                _add_tags(message, tags)
        await send(message)

    return with_tags


def _unmodified(send):
    """``send`` that turns a 200 into a 304 without its body (its tags, ``Vary`` and the rest kept)."""
    converted = False

    async def not_modified(message):
        nonlocal converted
        if message["type"] == "http.response.start" and message["status"] == 200:
            converted = True
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _BODY_HEADERS]
            message = {**message, "status": 304, "headers": headers}
        elif message["type"] == "http.response.body" and converted:
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return not_modified


_BODY_HEADERS = {b"content-length", b"content-type", b"content-encoding", b"content-disposition"}


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
