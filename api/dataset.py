"""The dataset a service answers from, made from its settings.

``Dataset`` is the one place that chooses between an endpoint, an on-disk store and the data tables
(``graph.location.open_dataset``), and it owns what each version of the dataset needs: the engine, the
read model and its answers, the query workers and the answer cache (a ``Snapshot``).  With a store, it
swaps to a newer version when ``pakg build --store`` switches the store (``watch``).  Each request
keeps the snapshot it started with (``SnapshotMiddleware``); routers take it through ``api.deps.snapshot``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from graph.config import base_iri, graph_iris
from graph.errors import StoreError
from graph.location import DatasetLocation, open_dataset
from graph.metadata import DatasetMetadata, load_metadata
from graph.readmodel import ReadModel
from graph.store import Engine, dataset_version
from graph.versions import store_marker

from .answers import Answers
from .cache import AnswerCache
from .settings import Settings
from .workers import QueryPool

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """One version of the dataset as served: its engine, read model, answers, query workers and cache.
    A reload builds a new one and swaps it in; requests keep the snapshot they started with."""

    engine: Engine
    model: ReadModel
    pool: QueryPool
    base: str
    settings: Settings
    in_flight: dict  # SPARQL queries in flight per client address, shared by every snapshot
    cache: AnswerCache | None = None
    active: int = 0  # requests answering from it now
    answers: Answers = field(init=False)

    def __post_init__(self):
        self.answers = Answers(self.model)

    @property
    def metadata(self) -> DatasetMetadata:
        """The dataset's metadata (data/dataset.toml): its release (semantic version), licence, titles."""
        return dataset_metadata(self.settings)

    @property
    def release(self) -> str:
        """The dataset's semantic version (``X-Dataset-Release``), beside ``engine.version``, the content hash."""
        return self.metadata.version

    @property
    def graph_names(self) -> list[str]:
        return list(graph_iris(self.base))


class VersionMismatch(StoreError):
    """A store version whose VERSION file names one dataset version while the dataset inside is another."""

    def __init__(self, named: str, inside: str):
        super().__init__(f"version mismatch: its VERSION file says {named} but the dataset inside is {inside}")


class Dataset:
    """The dataset of a service (see the module's description).  ``open`` before use, ``close`` after."""

    def __init__(self, settings: Settings, workdir: Path):
        self.settings, self.workdir = settings, workdir
        self.base = base_iri(settings.base_iri)
        self.in_flight: dict[str, int] = {}
        self.current: Snapshot | None = None

    async def open(self) -> Dataset:
        self.current = await self.open_snapshot()
        return self

    async def close(self) -> None:
        if self.current is not None:
            await self.current.pool.close()

    async def open_snapshot(self, store: str | None = None, version: str | None = None) -> Snapshot:
        """Open a version with its read model and query workers.  ``store``: this store version's
        directory (not wherever ``settings.store`` points by then); ``version``: refuse it
        (VersionMismatch) unless its dataset is that version, before any worker starts.  Workers
        started for a snapshot that then fails to open are stopped."""
        s = self.settings
        engine, location = await asyncio.to_thread(
            open_dataset,
            base=self.base,
            endpoint=s.endpoint,
            store=store or s.store,
            data=s.data_dir,
            auth=s.endpoint_auth(),
            timeout=s.endpoint_timeout,
            workdir=self.workdir,
        )
        assert location is not None  # a workdir was given
        if version is not None and engine.version != version:
            raise VersionMismatch(version, engine.version)
        model = await asyncio.to_thread(
            ReadModel.open, engine, self.base, location.path if location.kind == "store" else None
        )
        pool = self._pool(location)
        try:
            await pool.start()
        except BaseException:
            await pool.close()
            raise
        cache = AnswerCache(s.cache_bytes, s.cache_entry_bytes) if s.cache_bytes else None
        return Snapshot(engine, model, pool, self.base, s, self.in_flight, cache)

    def _pool(self, location: DatasetLocation) -> QueryPool:
        s = self.settings
        return QueryPool(
            location,
            s.query_workers,
            s.query_timeout,
            s.row_cap,
            s.light_budget,
            s.heavy_workers,
            memory_bytes=s.worker_memory_mb << 20,
            max_bytes=s.max_response_bytes,
            dataset_graphs=frozenset(graph_iris(self.base)),
        )

    async def watch(self) -> None:
        """Swap to a newer store when `pakg build --store` has switched it, or to the newer dataset `pakg
        load` put in the endpoint (checked every reload_interval).

        A version that does not open (any error), or whose dataset is not the version its VERSION file
        names, is refused: one log line, and it is not tried again unless it is rebuilt; the dataset
        served stays.  Nothing stops the watcher but cancellation: an unexpected error is logged (once
        while it repeats) and the next interval looks again."""
        refused: set[tuple] = set()
        last_error = None
        while True:
            await asyncio.sleep(self.settings.reload_interval)
            try:
                await self.reload(refused)
                last_error = None
            except Exception as exc:  # the watcher outlives any one check (cancellation is not an Exception)
                text = f"{type(exc).__name__}: {exc}"
                if text != last_error:
                    log.error(
                        "reload check failed (%s), still serving %s; will look again",
                        text,
                        self.current.engine.version if self.current else None,
                    )
                last_error = text

    async def reload(self, refused: set[tuple]) -> None:
        """Swap to the store version ``settings.store`` points to, or to the dataset version the endpoint
        now holds (``pakg load`` again), if it is new and not ``refused``."""
        old = self.current
        if old is None:
            return
        if self.settings.endpoint:
            found = await asyncio.to_thread(self._endpoint_version, old)
            if found is None or found == old.engine.version or ("endpoint", found) in refused:
                return
            await self._swap(old, ("endpoint", found), None, found, self.settings.endpoint, refused)
            return
        if not self.settings.store:
            return
        marker = store_marker(self.settings.store)
        if marker is None or marker[1] == old.engine.version or marker in refused:
            return
        real, version, _ = marker
        await self._swap(old, marker, real, version, real, refused)

    def _endpoint_version(self, old: Snapshot) -> str | None:
        """The version of the dataset the endpoint holds now (None while it holds none: a load under way)."""
        return dataset_version(old.engine.store, self.settings.endpoint or "")

    async def _swap(
        self, old: Snapshot, key: tuple, store: str | None, version: str, where: str, refused: set[tuple]
    ) -> None:
        try:
            fresh = await self.open_snapshot(store=store, version=version)
        except Exception as exc:
            refused.add(key)
            why = str(exc) if isinstance(exc, VersionMismatch) else f"cannot open it: {type(exc).__name__}: {exc}"
            log.error("refused dataset %s at %s: %s; still serving %s", version, where, why, old.engine.version)
            return
        self.current = fresh
        log.info("now serving dataset %s from %s (was %s)", fresh.engine.version, where, old.engine.version)
        for _ in range(600):  # let requests on the old snapshot finish (at most a minute)
            if old.active == 0:
                break
            await asyncio.sleep(0.1)
        await old.pool.close()


def dataset_metadata(settings: Settings) -> DatasetMetadata:
    """The metadata beside the tables the service builds from, else the project's own (a store or an
    endpoint serves the project's dataset)."""
    data_dir = Path(settings.data_dir)
    return load_metadata(data_dir if (data_dir / "dataset.toml").is_file() else None)


class SnapshotMiddleware:
    """Pure ASGI middleware: fixes each request's snapshot and names its dataset version (the content hash)
    and release (the semantic version) in headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        dataset = getattr(scope["app"].state, "dataset", None) if "app" in scope else None
        current = dataset.current if dataset is not None else None
        if scope["type"] != "http" or current is None:
            return await self.app(scope, receive, send)
        scope["pakg.snapshot"] = current
        current.active += 1
        version = current.engine.version.encode()
        release = current.release.encode()

        async def send_with_version(message):
            if message["type"] == "http.response.start":
                extra = [(b"x-dataset-version", version), (b"x-dataset-release", release)]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_version)
        finally:
            current.active -= 1
