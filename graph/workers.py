"""SPARQL queries run in worker processes that can be stopped.

pyoxigraph has no query timeout and a thread cannot stop a running query, so each
query of the public endpoint runs in a worker process holding its own read-only
copy of the dataset.  At the deadline the worker is killed (its CPU freed at once)
and a fresh one takes its place; the event loop only ever waits, it never runs a query.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from .errors import BadQuery, PakgError
from .sparql import Answer, QueryInfo, ResultFormat, execute

CONTEXT = multiprocessing.get_context("spawn")


class QueryTimeout(PakgError):
    """The query ran past the deadline and was stopped (503)."""


class Busy(PakgError):
    """Every worker stayed busy until the deadline (503)."""


@dataclass(frozen=True)
class DatasetSource:
    """Where a worker finds the dataset: an on-disk store, an N-Quads file to load in memory, or an endpoint."""

    kind: str  # "store" | "nquads" | "remote"
    path: str  # a directory, a file, or the endpoint's query URL
    auth: tuple[str, str] | None = None
    timeout: float = 60.0

    def open(self):
        if self.kind == "store":
            return ox.Store.read_only(os.path.realpath(self.path))
        if self.kind == "remote":
            from .remote import RemoteStore
            return RemoteStore(self.path, self.auth, self.timeout)
        store = ox.Store()
        store.bulk_load(path=self.path, format=ox.RdfFormat.N_QUADS)
        return store


def _serve(conn: Connection, source: DatasetSource) -> None:
    store = source.open()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        info, fmt, cap, default_graphs, named_graphs = request
        try:
            conn.send(("ok", execute(store, info, fmt, cap, default_graphs, named_graphs)))
        except PakgError as exc:
            conn.send(("error", str(exc)))


class _Worker:
    def __init__(self, source: DatasetSource):
        parent, child = CONTEXT.Pipe()
        self.conn = parent
        self.process = CONTEXT.Process(target=_serve, args=(child, source), daemon=True)
        self.process.start()
        child.close()
        if not parent.poll(120):
            self.kill()
            raise PakgError("a query worker did not start within 120 s")
        parent.recv()

    def call(self, request) -> tuple[str, object]:
        self.conn.send(request)
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of query workers; ``run`` waits at most ``timeout`` seconds in all."""

    def __init__(self, source: DatasetSource, size: int, timeout: float, row_cap: int):
        self.source, self.size, self.timeout, self.row_cap = source, size, timeout, row_cap
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: list[_Worker] = []
        self._respawning: set[asyncio.Task] = set()

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(_Worker, self.source) for _ in range(self.size)))
        for worker in workers:
            self._all.append(worker)
            self._idle.put_nowait(worker)

    async def run(self, info: QueryInfo, fmt: ResultFormat, default_graphs=None, named_graphs=None) -> Answer:
        deadline = time.monotonic() + self.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except asyncio.TimeoutError:
            raise Busy(f"all query workers stayed busy for {self.timeout:g} s; try again later") from None
        request = (info, fmt, self.row_cap, default_graphs, named_graphs)
        try:
            status, payload = await asyncio.wait_for(asyncio.to_thread(worker.call, request),
                                                     max(0.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, EOFError, OSError):
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped") from None
        self._idle.put_nowait(worker)
        if status == "error":
            raise BadQuery(str(payload))
        return payload

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now (freeing its CPU) and start its successor in the background."""
        worker.kill()
        self._all.remove(worker)

        async def respawn() -> None:
            fresh = await asyncio.to_thread(_Worker, self.source)
            self._all.append(fresh)
            self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(respawn())
        self._respawning.add(task)
        task.add_done_callback(self._respawning.discard)

    async def close(self) -> None:
        for task in list(self._respawning):
            await task
        for worker in self._all:
            worker.kill()
        self._all.clear()
