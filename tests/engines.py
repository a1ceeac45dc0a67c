"""External SPARQL engines for the tests and the benchmarks, each started on a loopback port and stopped
by its caller: ``oxigraph serve`` (PyPI ``oxigraph``) and Virtuoso Open Source 7 (Debian's
``virtuoso-opensource``, ``virtuoso-t``) with its own ini and database in a temporary folder.

    engine = start_virtuoso(tmp_path)   # engine.query_url, engine.update_url, engine.auth, …
    ...
    engine.stop()
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"
DBA = ("dba", "dba")  # the administrator of a fresh Virtuoso database (this one lives only on loopback)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot be started here, or None when it can."""
    if not Path(VIRTUOSO).is_file():
        return "virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource; make test does it)"
    return None


@dataclass
class External:
    """A running engine: where to query and load it, and how to stop it."""

    name: str
    query_url: str  # the SPARQL 1.1 Protocol endpoint pakg serves from (PAKG_ENDPOINT)
    update_url: str | None  # SPARQL Update
    gsp_url: str | None  # Graph Store Protocol
    auth: tuple[str, str] | None
    proc: subprocess.Popen
    folder: Path | None = None
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _wait(url: str, params: dict, proc: subprocess.Popen, seconds: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {proc.returncode} while starting\n{tail}")
        try:
            if httpx.get(url, params=params, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s")


def start_oxigraph(location: Path | None = None, union_default_graph: bool = False) -> External:
    """``oxigraph serve`` in memory, or on disk in ``location``."""
    port = free_port()
    args = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"]
    args += ["--location", str(location)] if location else []
    args += ["--union-default-graph"] if union_default_graph else []
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/query", {"query": "ASK {}"}, proc, 60, "oxigraph serve")
    return External("oxigraph", url + "/query", url + "/update", url + "/store", None, proc, location)


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 20
CheckpointInterval   = 60
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty}
DirsAllowed          = ., {dir}
CaseMode             = 2
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {vsp}
MaxClientConnections = 20
ServerThreads        = 20
MaxKeepAlives        = 20
KeepAliveTimeout     = 10
EnabledDavVSP        = 0
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 10000000
MaxSortedTopRows           = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 120
"""


def isql(sql_port: int, statement: str, auth: tuple[str, str] = DBA, timeout: float = 120) -> str:
    """Run one SQL statement on Virtuoso's SQL port with isql-vt; its output, or RuntimeError."""
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", auth[0], auth[1], f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt {statement!r}: {done.stdout}{done.stderr}")
    return done.stdout


def start_virtuoso(folder: Path, memory_mb: int = 340) -> External:
    """Virtuoso Open Source 7 with its own ini and database in ``folder``, on two loopback ports (SQL and
    HTTP).  pakg reads the public ``/sparql`` and loads through the Digest-authenticated
    ``/sparql-graph-crud-auth`` and ``/sparql-auth`` as ``dba`` (whose rights include SPARQL_UPDATE)."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    buffers = max(2000, memory_mb * 1024 // 8 * 2 // 3 // 4)  # 8 KB pages; Virtuoso's guide: 2/3 of its share
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=folder, sql_port=sql_port, http_port=http_port, vsp=VIRTUOSO_VSP, buffers=buffers, dirty=buffers * 3 // 4
        )
    )
    log = folder / "virtuoso.log"
    proc = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait(base + "/sparql", {"query": "ASK {}"}, proc, 120, "virtuoso-t", log)
    except BaseException:
        if proc.poll() is None:
            proc.kill()
        raise
    return External(
        "virtuoso",
        base + "/sparql",
        base + "/sparql-auth",
        base + "/sparql-graph-crud-auth",
        DBA,
        proc,
        folder,
        {"sql_port": sql_port, "http_port": http_port},
    )
