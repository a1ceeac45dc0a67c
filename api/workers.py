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
import hashlib
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graph.errors import BadQuery, PakgError
from graph.location import DatasetLocation
from graph.sparql import Answer, QueryFailed, TooLarge, execute
from graph.sparql_syntax import QuerySyntaxError
from graph.terms import QueryableStore

from .guard import QueryRefused, UpdateRefused, analyse
from .negotiation import NotAcceptable, negotiate
from .sandbox import MEMORY_EXIT_SIGNAL, confine

CONTEXT = multiprocessing.get_context("spawn")
log = logging.getLogger(__name__)


class QueryTimeout(PakgError):
    """The query ran past the deadline and was stopped (503)."""


class QueryMemory(PakgError):
    """The query took more memory than a worker may have and was stopped (503)."""


class QueryCrashed(PakgError):
    """The worker running the query died (503)."""


class Busy(PakgError):
    """Every worker stayed busy until the deadline (503)."""


FRAME = struct.Struct("!Q")  # every message: its length, then a pickle
START_SECONDS = 120  # for a worker to open its dataset and say it is ready
PAGE = os.sysconf("SC_PAGE_SIZE")
LIGHT_GROWTH = 64 << 20  # a query whose worker grows by more than this in the light lane is heavy


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


def _serve(conn: Connection, source: DatasetLocation, nice: int = 0, memory_bytes: int | None = None) -> None:
    # Ctrl+C in a terminal reaches the whole process group: the server stops its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    conn.close()
    if nice:
        os.nice(nice)
    store = source.open_store()
    # an embedded dataset is all a worker needs: no network, no other file; and every worker has a memory ceiling
    confined = confine([source.path] if source.kind == "store" else [], memory_bytes, isolate=source.embedded)
    _send(sock, ("ready", os.getpid(), confined))
    while True:
        try:
            request: Request = _receive(sock)
        except (EOFError, OSError):
            return
        try:
            _send(sock, ("ok", _answer(store, request), None))
        except NotAcceptable as exc:
            _send(sock, ("NotAcceptable", str(exc), exc.supported))
        except QueryFailed as exc:
            _send(sock, ("QueryFailed", exc.detail, None))
        except PakgError as exc:
            name = type(exc).__name__ if type(exc).__name__ in REFUSALS else "BadQuery"
            _send(sock, (name, str(exc), getattr(exc, "where", None)))  # a syntax error's line, column, excerpt
        except MemoryError:
            _send(sock, ("QueryMemory", "", None))
        except Exception as exc:  # a fault of this code: logged by the server, and the worker lives on
            _send(sock, ("QueryFailed", f"{type(exc).__name__}: {exc}", None))


@dataclass(frozen=True)
class Request:
    """What a worker is asked: a query text as received, and how to answer it."""

    text: str
    accept: str | None
    format: str | None
    default_graphs: list[str] | None
    named_graphs: list[str] | None
    dataset_graphs: frozenset[str]
    row_cap: int
    max_bytes: int


def _answer(store: QueryableStore, request: Request) -> Answer:
    """In the worker: the guard reads the query (a parse can be slow on hostile text, so it is done
    here, where it can be stopped, and never in the server's event loop), then the engine runs the
    text as the guard read it."""
    info = analyse(request.text, request.dataset_graphs)
    fmt = negotiate(info.form, request.accept, request.format)
    return execute(store, info, fmt, request.row_cap, request.default_graphs, request.named_graphs, request.max_bytes)


REFUSALS = {cls.__name__: cls for cls in (UpdateRefused, QueryRefused, TooLarge, BadQuery, QuerySyntaxError)}


class _Worker:
    """One worker process and the socket to it: started (blocking) in a thread, then talked to from
    the event loop through asyncio streams, so a query costs no thread hand-off."""

    def __init__(self, source: DatasetLocation, nice: int = 0, memory_bytes: int | None = None):
        parent, child = CONTEXT.Pipe()  # a socket pair
        self.process = CONTEXT.Process(target=_serve, args=(child, source, nice, memory_bytes), daemon=True)
        self.process.start()
        if self.process.pid is None:  # (start() sets it, or raises)
            raise PakgError("a query worker did not start")
        self.pid: int = self.process.pid
        if nice:  # at once: starting a worker (an interpreter, the dataset) costs CPU too
            self.renice(nice)
        child.close()
        self.sock = socket.socket(fileno=os.dup(parent.fileno()))
        parent.close()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.sock.settimeout(START_SECONDS)
        try:
            self.confined: list[str] = _receive(self.sock)[2]
        except (OSError, EOFError) as exc:
            self.kill()  # and wait for it: its exit code is then known
            raise PakgError(
                f"a query worker did not start within {START_SECONDS} s"
                if isinstance(exc, TimeoutError)
                else f"a query worker could not open the dataset ({source.kind} {source.path}) and "
                f"exited with code {self.process.exitcode}"
            ) from None
        self.sock.setblocking(False)
        self.at_rest = self.resident()

    async def call(self, request: Request) -> tuple[str, Any, Any]:
        """The worker's reply, as ``_serve`` sends it: ("ok", the Answer, None), or the name of a refusal or
        failure, its message and what goes with it (unpickled, so Any)."""
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(sock=self.sock, limit=1 << 20)
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(FRAME.pack(len(payload)) + payload)
        await self.writer.drain()
        size = FRAME.unpack(await self.reader.readexactly(FRAME.size))[0]
        return pickle.loads(await self.reader.readexactly(size))

    def renice(self, nice: int) -> None:
        """Lower the worker's CPU priority (a process may always lower its children's)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, nice)
        except OSError:
            pass  # it has just exited: nothing to lower

    def resident(self) -> int:
        """Bytes of memory the worker holds now (0 once it is gone)."""
        try:
            with open(f"/proc/{self.pid}/statm") as statm:
                return int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def alive(self) -> bool:
        return self.process.is_alive()

    def ended_by(self) -> int | None:
        """After the worker died: the signal that ended it (None if it exited or is still running)."""
        self.process.join(timeout=2)
        code = self.process.exitcode
        return -code if code is not None and code < 0 else None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()


_warned: set = set()  # a missing confinement is reported once


class _Lane:
    """Workers of one priority: ``size`` of them, kept filled (a stopped worker is replaced in the
    background); a worker may join from another lane, and a lane over its size retires the surplus
    as it comes back idle."""

    def __init__(self, source: DatasetLocation, size: int, nice: int, memory_bytes: int | None = None):
        self.source, self.size, self.nice, self.memory_bytes = source, size, nice, memory_bytes
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.members: set[_Worker] = set()
        self._spawning: set[asyncio.Task] = set()

    async def start(self) -> None:
        started = await asyncio.gather(
            *(asyncio.to_thread(self._new) for _ in range(self.size)), return_exceptions=True
        )
        workers = [w for w in started if isinstance(w, _Worker)]
        failed = next((e for e in started if isinstance(e, BaseException)), None)
        if failed is not None:  # none is left running behind a lane that did not start
            for worker in workers:
                worker.kill()
            raise failed
        for worker in workers:
            self.members.add(worker)
            self._idle.put_nowait(worker)

    def _new(self) -> _Worker:
        worker = _Worker(self.source, self.nice, self.memory_bytes)
        wanted = {"network", "files", "memory"} if self.source.embedded else {"memory"}
        missing = (wanted if self.memory_bytes else wanted - {"memory"}) - set(worker.confined)
        if missing and not _warned:
            _warned.add(True)
            log.warning(
                "query workers run without these confinements, which this machine does not offer: %s",
                ", ".join(sorted(missing)),
            )
        return worker

    async def get(self, deadline: float, timeout: float) -> _Worker:
        """An idle worker; one that died while idle is replaced, never handed out."""
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise Busy(f"all query workers stayed busy for {timeout:g} s; try again later") from None
            if worker.alive():
                return worker
            log.warning("an idle query worker had died (signal %s); replaced", worker.ended_by())
            self.replace(worker)

    def put(self, worker: _Worker) -> None:
        if len(self.members) > self.size:
            self.members.discard(worker)
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def make_room(self) -> bool:
        """Room for one more member, by retiring an idle worker if the lane is full; False when every
        member is busy (the lane cannot take a worker from another without passing its size)."""
        while len(self.members) >= self.size:
            try:
                idle = self._idle.get_nowait()
            except asyncio.QueueEmpty:
                return False
            self.members.discard(idle)
            idle.kill()
        return True

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
                    fresh = await asyncio.to_thread(self._new)
                except PakgError as exc:  # the lane stays short; the next release tries again
                    log.error("%s", exc)
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


def digest(text: str) -> str:
    """A short hash naming a query in the logs (the text itself may be long, or hostile)."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]


class QueryPool:
    """Two lanes of query workers, so that expensive queries cannot crowd out cheap ones.

    Every query starts in the light lane (``size`` workers).  One still running after
    ``light_budget`` seconds is not stopped: its worker leaves the light lane for the heavy one,
    where workers run at a lower CPU priority (``nice`` + 10) and so get the processor only when
    light work leaves it free, and the light lane starts a successor.  That query text then goes
    straight to the heavy lane (``heavy_size`` workers), and for ``demote_for`` seconds the
    client that sent it gets a tenth of the budget.  ``run`` answers, or raises QueryTimeout
    (the worker is killed) or Busy, within ``timeout`` seconds in all; a worker that dies under
    a query raises QueryMemory (it passed its ``memory_bytes`` ceiling) or QueryCrashed.  Each
    stop is logged with the client and the query's hash.
    """

    REMEMBERED = 1024  # query texts known to be heavy

    def __init__(
        self,
        source: DatasetLocation,
        size: int,
        timeout: float,
        row_cap: int,
        light_budget: float = 1.0,
        heavy_size: int = 2,
        demote_for: float = 60.0,
        memory_bytes: int | None = None,
        max_bytes: int = 64 * 1024 * 1024,
        dataset_graphs: frozenset[str] = frozenset(),
    ):
        self.timeout, self.row_cap, self.light_budget, self.demote_for = timeout, row_cap, light_budget, demote_for
        self.memory_bytes, self.max_bytes, self.dataset_graphs = memory_bytes, max_bytes, frozenset(dataset_graphs)
        self.light = _Lane(source, size, 0, memory_bytes)
        self.heavy = _Lane(source, heavy_size, 10, memory_bytes) if heavy_size and light_budget < timeout else None
        self._heavy_texts: OrderedDict[tuple, None] = OrderedDict()
        self._heavy_clients: dict[str, float] = {}
        self._stopped_clients: dict[str, float] = {}  # whose query a worker died of: heavy lane only, a while

    async def start(self) -> None:
        await asyncio.gather(*(lane.start() for lane in (self.light, self.heavy) if lane))

    def _budget(self, client: str | None, now: float) -> float:
        """The light lane's budget for a client: a tenth of it for a while after one of its queries
        had to move (an address may be shared by many people, so they are not all sent away)."""
        if not client:
            return self.light_budget
        until = self._heavy_clients.get(client)
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

    async def run(
        self,
        text: str,
        accept: str | None = None,
        format: str | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        client: str | None = None,
    ) -> Answer:
        """The answer to a query text: read by the guard, run, written in the negotiated format (all in
        a worker); raises the guard's and the negotiation's refusals as their own exceptions."""
        now = time.monotonic()
        deadline = now + self.timeout
        request = Request(
            text, accept, format, default_graphs, named_graphs, self.dataset_graphs, self.row_cap, self.max_bytes
        )
        key = (text, tuple(default_graphs or ()), tuple(named_graphs or ()))
        stopped = client is not None and self._stopped_clients.get(client, 0.0) > now
        lane = self.heavy if self.heavy is not None and (key in self._heavy_texts or stopped) else self.light
        worker = await lane.get(deadline, self.timeout)
        if lane is self.light and self.heavy is not None and key in self._heavy_texts:
            lane.put(worker)  # found heavy while it waited
            lane = self.heavy
            worker = await lane.get(deadline, self.timeout)
        call = asyncio.ensure_future(worker.call(request))
        try:
            if lane is self.light and self.heavy is not None:
                budget = min(self._budget(client, now), max(0.0, deadline - time.monotonic()))
                if not await self._light(call, worker, time.monotonic() + budget):
                    # past the budget, or growing fast: on to the heavy lane, where it goes on running
                    self._remember(key, client, time.monotonic())
                    if not self.heavy.make_room():  # as many long queries run as the lane holds: no more
                        call.cancel()
                        lane.replace(worker)
                        self._stopped(key, client)
                        log.warning("query %s from %s: stopped, the heavy lane is full", digest(text), client)
                        raise Busy(
                            "the query is long and as many long queries as this server runs at once are "
                            "running; try again later"
                        )
                    self.light.release(worker)
                    self.heavy.adopt(worker)
                    lane = self.heavy
            status, payload, extra = await asyncio.wait_for(call, max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            lane.replace(worker)
            log.warning("query %s from %s: stopped at the %g s limit", digest(text), client, self.timeout)
            raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped") from None
        except (asyncio.IncompleteReadError, EOFError, OSError):  # the worker died under the query
            signal = worker.ended_by()
            lane.replace(worker)
            self._stopped(key, client)
            if signal == MEMORY_EXIT_SIGNAL and self.memory_bytes:
                log.warning(
                    "query %s from %s: stopped past the %d MB memory ceiling",
                    digest(text),
                    client,
                    self.memory_bytes >> 20,
                )
                raise self._memory_error() from None
            log.error("query %s from %s: the query process failed (signal %s)", digest(text), client, signal)
            raise QueryCrashed("the query process failed; the query was not answered") from None
        except asyncio.CancelledError:  # the client went away: stop its query too
            call.cancel()
            lane.replace(worker)
            raise
        lane.put(worker)
        if status == "ok":
            return payload
        if status == "QueryMemory":
            self._stopped(key, client)
            log.warning("query %s from %s: stopped past the memory ceiling", digest(text), client)
            raise self._memory_error()
        if status == "QueryFailed":
            log.warning("query %s from %s: the engine stopped it: %s", digest(text), client, payload[:500])
            raise QueryFailed(payload)
        if status == "NotAcceptable":
            raise NotAcceptable(payload, extra)
        log.info("query %s from %s: refused: %s", digest(text), client, payload)
        raise REFUSALS[status](payload, **(extra or {}))

    @staticmethod
    async def _light(call: asyncio.Future, worker: _Worker, until: float) -> bool:
        """Wait for a query in the light lane until ``until``; False (it is heavy) if it is still running
        then, or sooner if its worker's memory grows by more than LIGHT_GROWTH (a query heading for the
        memory ceiling would otherwise hold a light worker for the whole budget)."""
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return False
            done, _ = await asyncio.wait({call}, timeout=min(0.05, left))
            if done:
                return True
            if worker.resident() - worker.at_rest > LIGHT_GROWTH:
                return False

    def _stopped(self, key: tuple, client: str | None) -> None:
        """A query a worker died of (memory, crash): the text, and for a while everything its client
        sends, run in the heavy lane only, so that the workers that light queries need are not the ones
        killed and restarted."""
        now = time.monotonic()
        self._remember(key, None, now)
        if client:
            self._stopped_clients[client] = now + self.demote_for
            if len(self._stopped_clients) > self.REMEMBERED:
                self._stopped_clients = {c: t for c, t in self._stopped_clients.items() if t > now}

    def _memory_error(self) -> QueryMemory:
        return QueryMemory(
            f"the query used more than {(self.memory_bytes or 0) >> 20} MB of memory and was "
            "stopped; narrow it or add a LIMIT"
        )

    async def close(self) -> None:
        await asyncio.gather(*(lane.close() for lane in (self.light, self.heavy) if lane))
