"""The application factory.  ``create_app(settings)`` loads the dataset once, at start-up."""
from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from graph import __version__
from graph.build import build, write_build
from graph.catalog import BadParameter, Catalog, NotFound
from graph.config import base_iri, graph_names
from graph.errors import BadQuery, PakgError, StoreError, UnknownName
from graph.guard import QueryRefused, UpdateRefused
from graph.sparql import TooLarge, TooManyRequests
from graph.store import Engine

from .cache import AnswerCache, CacheMiddleware
from .negotiation import NotAcceptable
from .routers import entities, explorer, export, health, network, rest, sparql
from .security import NOSNIFF, HeaderLimit, SecurityHeaders
from .settings import Settings
from .workers import Busy, DatasetSource, QueryCrashed, QueryMemory, QueryPool, QueryTimeout


def load(settings: Settings, workdir: Path) -> tuple[Engine, DatasetSource, str]:
    """The engine the API reads, and where query workers find the same dataset."""
    base = settings.base_iri or base_iri()
    if settings.endpoint:
        auth = settings.endpoint_auth()
        engine = Engine.remote(settings.endpoint, auth, settings.endpoint_timeout)
        return engine, DatasetSource("remote", settings.endpoint, auth, settings.endpoint_timeout), base
    if settings.store:
        real = os.path.realpath(settings.store)  # this version, even after `path` is switched to a newer one
        engine = Engine.open(Path(real))
        return engine, DatasetSource("store", real), base
    result = build(Path(settings.data_dir), base)
    path = workdir / "dataset.nq"
    write_build(result, path)
    return Engine.from_build(result), DatasetSource("nquads", str(path)), base


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"detail": message, **extra}, status_code=status)


def add_error_handlers(app: FastAPI) -> None:
    statuses = [(NotFound, 404), (UnknownName, 404), (NotAcceptable, 406), (UpdateRefused, 403),
                (TooManyRequests, 429),
                (QueryRefused, 400), (BadQuery, 400), (QueryTimeout, 503), (QueryMemory, 503), (QueryCrashed, 503),
                (Busy, 503), (PakgError, 400)]

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, TooLarge):
            return _error(exc.status, str(exc))
        if isinstance(exc, BadParameter):
            return _error(422, f"{exc.name}: {exc}", parameter=exc.name)
        for cls, status in statuses:
            if isinstance(exc, cls):
                extra = {"supported": exc.supported} if isinstance(exc, NotAcceptable) else {}
                response = _error(status, str(exc), **extra)
                if status in (429, 503):
                    response.headers["Retry-After"] = "1" if status == 429 else "5"
                return response
        raise exc

    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"parameter": str(e["loc"][-1]), "message": e["msg"]} for e in exc.errors()]
        names = ", ".join(p["parameter"] for p in problems)
        return _error(422, f"bad parameter: {names}", parameter=problems[0]["parameter"] if problems else None,
                      problems=problems)

    for cls in (BadParameter, PakgError):
        app.add_exception_handler(cls, handle)
    app.add_exception_handler(RequestValidationError, validation)

    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # sent by Starlette's outermost middleware, past SecurityHeaders: it gets nosniff here
        return JSONResponse({"detail": "internal error"}, status_code=500,
                            headers={NOSNIFF[0].decode(): NOSNIFF[1].decode()})

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
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


@dataclass
class Snapshot:
    """One dataset as served: its engine, catalog and query workers.  A reload builds a new one and
    swaps it in; requests keep the snapshot they started with."""

    engine: Engine
    catalog: Catalog
    pool: QueryPool
    base: str
    graph_names: list[str]
    settings: Settings
    in_flight: dict
    cache: AnswerCache | None = None
    active: int = 0


class SnapshotMiddleware:
    """Pure ASGI middleware: fixes each request's snapshot and names its dataset version in a header."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        current = getattr(scope["app"].state, "current", None) if "app" in scope else None
        if scope["type"] != "http" or current is None:
            return await self.app(scope, receive, send)
        scope["pakg.snapshot"] = current
        current.active += 1
        version = current.engine.version.encode()

        async def send_with_version(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-dataset-version", version)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_version)
        finally:
            current.active -= 1


class VersionMismatch(StoreError):
    """A store version whose VERSION file names one dataset version while the dataset inside is another."""

    def __init__(self, named: str, inside: str):
        super().__init__(f"version mismatch: its VERSION file says {named} but the dataset inside is {inside}")


async def open_snapshot(settings: Settings, workdir: Path, in_flight: dict, store: str | None = None,
                        version: str | None = None) -> Snapshot:
    """Open a dataset with its catalog and query workers.  ``store``: this store version's directory
    (not wherever ``settings.store`` points by then); ``version``: refuse it (VersionMismatch) unless
    its dataset is that version, before any worker starts.  Workers started for a snapshot that then
    fails to open are stopped."""
    opened = settings.model_copy(update={"store": store}) if store else settings
    engine, source, base = await asyncio.to_thread(load, opened, workdir)
    if version is not None and engine.version != version:
        raise VersionMismatch(version, engine.version)
    directory = source.path if source.kind == "store" else None
    catalog = await asyncio.to_thread(Catalog.open, engine, base, directory)
    pool = QueryPool(source, settings.query_workers, settings.query_timeout, settings.row_cap,
                     settings.light_budget, settings.heavy_workers, memory_bytes=settings.worker_memory_mb << 20,
                     max_bytes=settings.max_response_bytes,
                     dataset_graphs=frozenset(g.value for g in graph_names(base).values()))
    try:
        await pool.start()
        cache = AnswerCache(settings.cache_bytes, settings.cache_entry_bytes) if settings.cache_bytes else None
        return Snapshot(engine, catalog, pool, base, [g.value for g in graph_names(base).values()], settings,
                        in_flight, cache)
    except BaseException:
        await pool.close()
        raise


def operator_log() -> logging.Logger:
    """The "pakg" logger (reloads, refused and stopped queries), writing to stderr when nothing is set
    up to show its lines (uvicorn sets up only its own loggers, and without a handler an INFO line is
    dropped)."""
    log = logging.getLogger("pakg")
    if not log.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log


def _store_marker(path: str) -> tuple[str, str, tuple[int, int]] | None:
    """The version directory ``path`` points to now, the version its VERSION file names, and that
    file's identity (a version rebuilt under the same name is a new one to look at); None when there
    is no VERSION file."""
    real = os.path.realpath(path)
    marker = Path(real) / "VERSION"
    try:
        stat = marker.stat()
        version = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return real, version, (stat.st_ino, stat.st_mtime_ns)


async def watch_store(app: FastAPI, settings: Settings, workdir: Path) -> None:
    """Swap to a newer store when `pakg build --store` has switched it (checked every reload_interval).

    A version that does not open (any error), or whose dataset is not the version its VERSION file
    names, is refused: one log line, and it is not tried again unless it is rebuilt; the dataset
    served stays.  Nothing stops the watcher but cancellation: an unexpected error is logged (once
    while it repeats) and the next interval looks again."""
    log = operator_log()
    refused: set[tuple] = set()
    last_error = None
    while True:
        await asyncio.sleep(settings.reload_interval)
        try:
            await _reload(app, settings, workdir, refused, log)
            last_error = None
        except Exception as exc:  # the watcher outlives any one check (cancellation is not an Exception)
            text = f"{type(exc).__name__}: {exc}"
            if text != last_error:
                log.error("reload check failed (%s), still serving %s; will look again", text,
                          app.state.current.engine.version)
            last_error = text


async def _reload(app: FastAPI, settings: Settings, workdir: Path, refused: set[tuple], log: logging.Logger) -> None:
    found = _store_marker(settings.store)
    old = app.state.current
    if found is None or found[1] == old.engine.version or found in refused:
        return
    real, version, _ = found
    try:
        fresh = await open_snapshot(settings, workdir, old.in_flight, store=real, version=version)
    except Exception as exc:
        refused.add(found)
        why = str(exc) if isinstance(exc, VersionMismatch) else f"cannot open it: {type(exc).__name__}: {exc}"
        log.error("refused dataset %s at %s: %s; still serving %s", version, real, why, old.engine.version)
        return
    app.state.current = fresh
    log.info("now serving dataset %s from %s (was %s)", fresh.engine.version, real, old.engine.version)
    for _ in range(600):  # let requests on the old snapshot finish (at most a minute)
        if old.active == 0:
            break
        await asyncio.sleep(0.1)
    await old.pool.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        operator_log()
        with tempfile.TemporaryDirectory(prefix="pakg-") as workdir:
            app.state.current = await open_snapshot(settings, Path(workdir), {})
            watcher = None
            if settings.store and settings.reload_interval > 0:
                watcher = asyncio.get_running_loop().create_task(watch_store(app, settings, Path(workdir)))
            try:
                yield
            finally:
                if watcher is not None:
                    watcher.cancel()
                await app.state.current.pool.close()

    app = FastAPI(title="pakg — paired-assistance knowledge graph", version=__version__,
                  description="对口支援知识图谱: hard-law and soft-law instruments, actors and pairings, with the "
                              "source of every fact. [Open the explorer](/) (search, pairings and their "
                              "governance chain, the network, a SPARQL editor). SPARQL at /sparql; questions as "
                              "REST; exports; every IRI dereferences under /id/.", lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(CacheMiddleware)  # innermost: a hit still gets CORS and the version header
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["*"], allow_credentials=False,
                       expose_headers=["X-Dataset-Version", "X-Truncated", "X-Row-Cap", "X-Cache",
                                       "Content-Disposition"])

    app.add_middleware(SnapshotMiddleware)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeaderLimit, max_bytes=settings.max_header_bytes,  # outermost: before anything reads them
                       max_headers=settings.max_headers)

    add_error_handlers(app)
    # the busiest first: a request is matched against the routes in this order
    for module in (rest, sparql, network, entities, health, export, explorer):
        app.include_router(module.router)
    return app
