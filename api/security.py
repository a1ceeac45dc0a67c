"""Headers of a public service: request headers bounded, and what every answer says about itself.

``HeaderLimit`` (outermost) refuses a request whose headers are too many or too large with
431 before anything reads them.  ``SecurityHeaders`` marks every answer ``nosniff`` and gives
HTML pages a Content-Security-Policy that lets them load only this service's own scripts and
styles, and be framed by no one.
"""

from __future__ import annotations

import orjson

from .html import STYLE_SOURCE

NOSNIFF = (b"x-content-type-options", b"nosniff")

# The entity pages and the SPARQL page: scripts and style sheets from this server only; no inline
# script, and no inline style but these pages' one <style> block, allowed by its hash.
PAGE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        f"style-src 'self' {STYLE_SOURCE}",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
# The explorer (/): scripts from this server only (its own and the npm libraries under /vendor/),
# no inline script.  Its styles need 'unsafe-inline': YASGUI's result table (its column resizer)
# writes <style> elements whose text depends on its options and on each column drag, and Cytoscape
# adds one too, so no fixed list of hashes covers them.  YASGUI's style sheet embeds icons as data:.
EXPLORER_POLICY = PAGE_POLICY.replace(f"style-src 'self' {STYLE_SOURCE}", "style-src 'self' 'unsafe-inline'")
# The API pages (/docs, /redoc; api/routers/docs.py): Swagger UI and ReDoc from /vendor/ and their
# start in /static/docs.js, so scripts from this server only, no inline script, as the explorer.  Their
# styles need 'unsafe-inline' as the explorer's do: ReDoc (styled-components) writes <style> elements
# whose text depends on the document, and both set style attributes.  ReDoc's search runs in a worker
# it makes from a blob: URL.  They read /openapi.json (and Swagger UI's "Try it out" calls this server).
DOCS_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src blob:",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
DOCS = ("/docs", "/redoc")


class HeaderLimit:
    """Pure ASGI middleware: at most ``max_headers`` request headers, ``max_bytes`` of names and values
    in all; past either, 431 with a short JSON detail naming the limit (and the connection closed)."""

    def __init__(self, app, max_bytes: int, max_headers: int):
        self.app, self.max_bytes, self.max_headers = app, max_bytes, max_headers

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            headers = scope["headers"]
            if len(headers) > self.max_headers:
                return await _refuse(send, f"more than {self.max_headers} request headers", "PAKG_MAX_HEADERS")
            if sum(len(name) + len(value) for name, value in headers) > self.max_bytes:
                return await _refuse(
                    send, f"the request headers are larger than {self.max_bytes} bytes", "PAKG_MAX_HEADER_BYTES"
                )
        await self.app(scope, receive, send)


async def _refuse(send, detail: str, limit: str) -> None:
    body = orjson.dumps({"detail": detail, "limit": limit})
    await send(
        {
            "type": "http.response.start",
            "status": 431,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                NOSNIFF,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Pure ASGI middleware: ``X-Content-Type-Options: nosniff`` on every answer; on HTML ones a
    Content-Security-Policy and ``X-Frame-Options: DENY`` besides."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        policy = (EXPLORER_POLICY if path == "/" else DOCS_POLICY if path.startswith(DOCS) else PAGE_POLICY).encode()

        async def marked(message):
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), NOSNIFF]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.lower().startswith(b"text/html"):
                    headers += [(b"content-security-policy", policy), (b"x-frame-options", b"DENY")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, marked)
