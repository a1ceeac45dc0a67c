"""The application factory: ``create_app(settings)`` serves the dataset its settings name, opened once at start-up."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from graph import __version__
from graph.errors import BadParameter, BadQuery, NotFound, PakgError, UnknownName
from graph.sparql import TooLarge

from .cache import CacheMiddleware
from .dataset import Dataset, SnapshotMiddleware
from .guard import QueryRefused, UpdateRefused
from .negotiation import NotAcceptable
from .problems import TooManyRequests
from .routers import cite as cite_router
from .routers import coverage, entities, explorer, export, health, network, rest, sparql
from .routers import docs as docs_router
from .routers import ontology as ontology_router
from .routers import panel as panel_router
from .routers import queries as queries_router
from .routers import vocabulary as vocabulary_router
from .security import NOSNIFF, HeaderLimit, SecurityHeaders
from .settings import Settings
from .tabular import Tables
from .workers import Busy, QueryCrashed, QueryMemory, QueryTimeout


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"detail": message, **extra}, status_code=status)


def add_error_handlers(app: FastAPI) -> None:
    statuses = [
        (NotFound, 404),
        (UnknownName, 404),
        (NotAcceptable, 406),
        (UpdateRefused, 403),
        (TooManyRequests, 429),
        (QueryRefused, 400),
        (BadQuery, 400),
        (QueryTimeout, 503),
        (QueryMemory, 503),
        (QueryCrashed, 503),
        (Busy, 503),
        (PakgError, 400),
    ]

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, TooLarge):
            return _error(getattr(exc, "status", 413), str(exc))
        if isinstance(exc, BadParameter):
            extra: dict = {"candidates": exc.candidates} if exc.candidates is not None else {}
            return _error(422, f"{exc.name}: {exc}", parameter=exc.name, **extra)
        for cls, status in statuses:
            if isinstance(exc, cls):
                extra = {"supported": exc.supported} if isinstance(exc, NotAcceptable) else getattr(exc, "where", {})
                response = _error(status, str(exc), **extra)
                if status in (429, 503):
                    response.headers["Retry-After"] = "1" if status == 429 else "5"
                return response
        raise exc

    async def validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        # the parameter's name: the last name in the error's location (not the index of a repeated one's value)
        where = [[str(x) for x in e["loc"] if isinstance(x, str)] or [str(e["loc"][-1])] for e in exc.errors()]
        problems = [{"parameter": w[-1], "message": e["msg"]} for w, e in zip(where, exc.errors(), strict=True)]
        names = ", ".join(p["parameter"] for p in problems)
        return _error(
            422, f"bad parameter: {names}", parameter=problems[0]["parameter"] if problems else None, problems=problems
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and exc.__cause__ is not None:
            # FastAPI could not read a request body at all (not UTF-8, not the declared type): say which
            # parameter, as for any other bad parameter
            message = "body: the request body could not be read as UTF-8 JSON"
            return _error(422, message, parameter="body", problems=[{"parameter": "body", "message": message}])
        return await http_exception_handler(request, exc)

    for cls in (BadParameter, PakgError):
        app.add_exception_handler(cls, handle)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http_error)

    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # sent by Starlette's outermost middleware, past SecurityHeaders: it gets nosniff here
        return JSONResponse(
            {"detail": "internal error"}, status_code=500, headers={NOSNIFF[0].decode(): NOSNIFF[1].decode()}
        )

    app.add_exception_handler(Exception, internal)


class BodyLimit:
    """Pure ASGI middleware: a request body is counted as it streams in and refused (413) past the cap."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await self._refuse(send)

    async def _refuse(self, send):
        body = b'{"detail":"the request body is larger than the limit"}'
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


def setup_logging() -> None:
    """The service's own log lines (reloads, refused and stopped queries; loggers ``api.*`` and
    ``graph.*``) on stderr when nothing is set up to show them (uvicorn sets up only its own loggers,
    and without a handler an INFO line is dropped)."""
    for name in ("api", "graph"):
        log = logging.getLogger(name)
        if not log.hasHandlers():
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
            log.addHandler(handler)
            log.setLevel(logging.INFO)


def create_app(settings: Settings | None = None, dataset: Dataset | None = None) -> FastAPI:
    """The service.  It opens its dataset from ``settings`` at start-up (and closes it at shutdown),
    unless an open ``dataset`` is given (tests share one between apps)."""
    settings = dataset.settings if dataset is not None else settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        setup_logging()
        if dataset is not None:  # given by the caller, who opens and closes it
            app.state.dataset = dataset
            yield
            return
        with tempfile.TemporaryDirectory(prefix="pakg-") as workdir:
            app.state.dataset = owned = await Dataset(settings, Path(workdir)).open()
            watcher = None
            if (settings.store or settings.endpoint) and settings.reload_interval > 0:
                watcher = asyncio.get_running_loop().create_task(owned.watch())
            try:
                yield
            finally:
                if watcher is not None:
                    watcher.cancel()
                await owned.close()

    app = FastAPI(
        title="pakg — paired-assistance knowledge graph",
        version=__version__,
        description="对口支援知识图谱: hard-law and soft-law instruments, actors and pairings, with the "
        "source of every fact. [Open the explorer](/) (search, pairings and their "
        "governance chain, the network, a SPARQL editor). SPARQL at /sparql; questions as "
        "REST; exports; every IRI dereferences under /id/.",
        lifespan=lifespan,
        docs_url=None,  # served by api/routers/docs.py from npm packages, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(Tables)  # the .csv/.json suffixes; listings as CSV (inside the cache: it keeps the CSV)
    app.add_middleware(CacheMiddleware)  # innermost: a hit still gets CORS and the version header
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        allow_credentials=False,
        expose_headers=[
            "X-Dataset-Version",
            "X-Dataset-Release",
            "X-Truncated",
            "X-Row-Cap",
            "X-Cache",
            "Content-Disposition",
            "Pakg-Left-Out",
            "Pakg-Filters",
            "Pakg-Licence",
            "Link",
            "ETag",
        ],
    )

    app.add_middleware(SnapshotMiddleware)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        HeaderLimit,
        max_bytes=settings.max_header_bytes,  # outermost: before anything reads them
        max_headers=settings.max_headers,
    )
    if settings.proxies():
        # outermost of all: the client address every other part sees (the per-client SPARQL limit, the access
        # log) is X-Forwarded-For's right-most address that is not a trusted proxy, and only when the request
        # comes from one; uvicorn's own handling of the header is off (pakg serve), it would trust 127.0.0.1
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.proxies())

    add_error_handlers(app)
    # the busiest first: a request is matched against the routes in this order
    for module in (rest, sparql, network, entities, health, export, explorer, coverage):
        app.include_router(module.router)
    app.include_router(panel_router.router)
    app.include_router(ontology_router.router)
    app.include_router(cite_router.router)
    app.include_router(queries_router.router)
    app.include_router(vocabulary_router.router)
    app.include_router(docs_router.router)
    return app
