"""SPARQL queries run in worker processes that can be stopped.

pyoxigraph has no query timeout and a thread cannot stop a running query, so each
query of the public endpoint runs in a worker process holding its own read-only
copy of the dataset.  At the deadline the worker is killed (its CPU freed at once)
and a fresh one takes its place; the event loop only ever waits, it never runs a query.
Workers are in two lanes (``QueryPool``): cheap queries are not kept waiting behind
expensive ones, which run apart at a lower CPU priority.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import socket
import struct
import time
from collections import OrderedDict
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


FRAME = struct.Struct("!Q")  # every message: its length, then a pickle
START_SECONDS = 120  # for a worker to open its dataset and say it is ready


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _send(sock: socket.socket, message) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(FRAME.pack(len(payload)) + payload)


def _receive(sock: socket.socket):
    return pickle.loads(_read_exactly(sock, FRAME.unpack(_read_exactly(sock, FRAME.size))[0]))


def _serve(conn: Connection, source: DatasetSource, nice: int = 0) -> None:
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    conn.close()
    if nice:
        os.nice(nice)
    store = source.open()
    _send(sock, ("ready", os.getpid()))
    while True:
        try:
            info, fmt, cap, default_graphs, named_graphs = _receive(sock)
        except (EOFError, OSError):
            return
        try:
            _send(sock, ("ok", execute(store, info, fmt, cap, default_graphs, named_graphs)))
        except PakgError as exc:
            _send(sock, ("error", str(exc)))


class _Worker:
    """One worker process and the socket to it: started (blocking) in a thread, then talked to from
    the event loop through asyncio streams, so a query costs no thread hand-off."""

    def __init__(self, source: DatasetSource, nice: int = 0):
        parent, child = CONTEXT.Pipe()  # a socket pair
        self.process = CONTEXT.Process(target=_serve, args=(child, source, nice), daemon=True)
        self.process.start()
        child.close()
        self.sock = socket.socket(fileno=os.dup(parent.fileno()))
        parent.close()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.sock.settimeout(START_SECONDS)
        try:
            _receive(self.sock)
        except (OSError, EOFError) as exc:
            self.kill()  # and wait for it: its exit code is then known
            raise PakgError(f"a query worker did not start within {START_SECONDS} s"
                            if isinstance(exc, TimeoutError) else
                            f"a query worker could not open the dataset ({source.kind} {source.path}) and "
                            f"exited with code {self.process.exitcode}") from None
        self.sock.setblocking(False)

    async def call(self, request) -> tuple[str, object]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(sock=self.sock, limit=1 << 20)
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(FRAME.pack(len(payload)) + payload)
        await self.writer.drain()
        size = FRAME.unpack(await self.reader.readexactly(FRAME.size))[0]
        return pickle.loads(await self.reader.readexactly(size))

    def renice(self, nice: int) -> None:
        """Lower the worker's CPU priority (a process may always lower its children's)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, nice)
        except OSError:
            pass  # it has just exited: nothing to lower

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()


class _Lane:
    """Workers of one priority: ``size`` of them, kept filled (a stopped worker is replaced in the
    background); a worker may join from another lane, and a lane over its size retires the surplus
    as it comes back idle."""

    def __init__(self, source: DatasetSource, size: int, nice: int):
        self.source, self.size, self.nice = source, size, nice
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.members: set[_Worker] = set()
        self._spawning: set[asyncio.Task] = set()

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(_Worker, self.source, self.nice)
                                         for _ in range(self.size)))
        for worker in workers:
            self.members.add(worker)
            self._idle.put_nowait(worker)

    async def get(self, deadline: float, timeout: float) -> _Worker:
        try:
            return await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise Busy(f"all query workers stayed busy for {timeout:g} s; try again later") from None

    def put(self, worker: _Worker) -> None:
        if len(self.members) > self.size:
            self.members.discard(worker)
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def adopt(self, worker: _Worker) -> None:
        """A busy worker of another lane joins this one (at this lane's priority)."""
        worker.renice(self.nice)
        self.members.add(worker)

    def release(self, worker: _Worker) -> None:
        """A busy worker leaves this lane (for another); a successor is started."""
        self.members.discard(worker)
        self._fill()

    def replace(self, worker: _Worker) -> None:
        """Kill a worker now (freeing its CPU); a successor is started if the lane is short."""
        worker.kill()
        self.members.discard(worker)
        self._fill()

    def _fill(self) -> None:
        missing = self.size - len(self.members) - len(self._spawning)
        for _ in range(max(0, missing)):
            async def spawn() -> None:
                try:
                    fresh = await asyncio.to_thread(_Worker, self.source, self.nice)
                except PakgError as exc:  # the lane stays short; the next release tries again
                    logging.getLogger("pakg").error("%s", exc)
                    return
                self.members.add(fresh)
                self._idle.put_nowait(fresh)

            task = asyncio.get_running_loop().create_task(spawn())
            self._spawning.add(task)
            task.add_done_callback(self._spawning.discard)

    async def close(self) -> None:
        for task in list(self._spawning):
            await task
        for worker in self.members:
            worker.kill()
        self.members.clear()


class QueryPool:
    """Two lanes of query workers, so that expensive queries cannot crowd out cheap ones.

    Every query starts in the light lane (``size`` workers).  One still running after
    ``light_budget`` seconds is not stopped: its worker leaves the light lane for the heavy one,
    where workers run at a lower CPU priority (``nice`` + 10) and so get the processor only when
    light work leaves it free, and the light lane starts a successor.  That query text then goes
    straight to the heavy lane (``heavy_size`` workers), and for ``demote_for`` seconds the
    client that sent it gets a tenth of the budget.  ``run`` answers, or raises QueryTimeout
    (the worker is killed) or Busy, within ``timeout`` seconds in all.
    """

    REMEMBERED = 1024  # query texts known to be heavy

    def __init__(self, source: DatasetSource, size: int, timeout: float, row_cap: int,
                 light_budget: float = 1.0, heavy_size: int = 2, demote_for: float = 60.0):
        self.timeout, self.row_cap, self.light_budget, self.demote_for = timeout, row_cap, light_budget, demote_for
        self.light = _Lane(source, size, 0)
        self.heavy = _Lane(source, heavy_size, 10) if heavy_size and light_budget < timeout else None
        self._heavy_texts: OrderedDict[tuple, None] = OrderedDict()
        self._heavy_clients: dict[str, float] = {}

    async def start(self) -> None:
        await asyncio.gather(*(lane.start() for lane in (self.light, self.heavy) if lane))

    def _budget(self, client: str | None, now: float) -> float:
        """The light lane's budget for a client: a tenth of it for a while after one of its queries
        had to move (an address may be shared by many people, so they are not all sent away)."""
        until = self._heavy_clients.get(client) if client else None
        if until is None:
            return self.light_budget
        if until < now:
            del self._heavy_clients[client]
            return self.light_budget
        return self.light_budget / 10

    def _remember(self, key: tuple, client: str | None, now: float) -> None:
        self._heavy_texts[key] = None
        while len(self._heavy_texts) > self.REMEMBERED:
            self._heavy_texts.popitem(last=False)
        if client:
            self._heavy_clients[client] = now + self.demote_for
            if len(self._heavy_clients) > self.REMEMBERED:
                self._heavy_clients = {c: t for c, t in self._heavy_clients.items() if t > now}

    async def run(self, info: QueryInfo, fmt: ResultFormat, default_graphs=None, named_graphs=None,
                  client: str | None = None) -> Answer:
        now = time.monotonic()
        deadline = now + self.timeout
        request = (info, fmt, self.row_cap, default_graphs, named_graphs)
        key = (info.text, tuple(default_graphs or ()), tuple(named_graphs or ()))
        lane = self.heavy if self.heavy is not None and key in self._heavy_texts else self.light
        worker = await lane.get(deadline, self.timeout)
        if lane is self.light and self.heavy is not None and key in self._heavy_texts:
            lane.put(worker)  # found heavy while it waited
            lane = self.heavy
            worker = await lane.get(deadline, self.timeout)
        call = asyncio.ensure_future(worker.call(request))
        try:
            if lane is self.light and self.heavy is not None:
                budget = min(self._budget(client, now), max(0.0, deadline - time.monotonic()))
                done, _ = await asyncio.wait({call}, timeout=budget)
                if not done:  # past the budget: on to the heavy lane, where it goes on running
                    self._remember(key, client, time.monotonic())
                    self.light.release(worker)
                    self.heavy.adopt(worker)
                    lane = self.heavy
            status, payload = await asyncio.wait_for(call, max(0.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, OSError):
            lane.replace(worker)
            raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped") from None
        except asyncio.CancelledError:  # the client went away: stop its query too
            call.cancel()
            lane.replace(worker)
            raise
        lane.put(worker)
        if status == "error":
            raise BadQuery(str(payload))
        return payload

    async def close(self) -> None:
        await asyncio.gather(*(lane.close() for lane in (self.light, self.heavy) if lane))
