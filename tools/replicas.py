"""Several ``pakg serve`` processes on one dataset behind nginx: ``make replicas N=2 PORT=8080``.

    python tools/replicas.py --store data/build/store [--replicas 2] [--host 127.0.0.1] [--port 8080]
    python tools/replicas.py --endpoint http://127.0.0.1:7878/query --replicas 3

It starts N replicas (``python -m pakg serve``) on free loopback ports, all on the same ``--store PATH``
(or the same ``--endpoint URL``), each with ``PAKG_TRUSTED_PROXIES=127.0.0.1`` so that the per-client
SPARQL limit and the access log count the client nginx saw, not nginx; then Debian's nginx
(``/usr/sbin/nginx -p PREFIX -c CONF -g 'daemon off;'``, every file it writes inside a temporary PREFIX)
in front of them on ``--host:--port``. It returns once every replica answers ``/health`` and nginx
answers; Ctrl+C stops everything (status 130), as SIGTERM does (status 0).

nginx sends each client connection to one replica for as long as it lasts (``hash $remote_addr$remote_port
consistent``). Each replica only ever moves forward in versions (it switches to a newer store when
``pakg build --store`` publishes one, within ``PAKG_RELOAD_INTERVAL`` seconds), so a client on one
kept-alive connection never sees ``X-Dataset-Version`` go backwards; two connections may meanwhile be on
two versions, for up to that interval. (Should a replica stop answering, nginx moves its connections to
another one, which may be up to the same interval behind.)

``Replicas`` is the same thing as a context manager, for tests and benches::

    with Replicas(store="data/build/store", replicas=2) as running:
        httpx.get(running.url + "/health")        # through nginx
        running.replica_urls                      # each replica directly
        running.access_log()                      # nginx's log: client, connection, replica, version
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

NGINX = "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parent.parent

# one line per request, fields separated by tabs: what the tests and the bench read (``Replicas.access_log``)
LOG_FIELDS = ("client", "port", "connection", "connection_requests", "upstream", "status", "version", "request")
LOG_FORMAT = "\\t".join(
    (
        "$remote_addr",
        "$remote_port",
        "$connection",
        "$connection_requests",
        "$upstream_addr",
        "$status",
        "$upstream_http_x_dataset_version",
        "$request",
    )
)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _listen(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def nginx_config(prefix: Path, listen: str, upstreams: list[str], timeout: float) -> str:
    """nginx's configuration: ``listen`` (host:port) in front of the ``upstreams`` (host:port each),
    every file it writes under ``prefix``."""
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=2s;" for u in upstreams)
    return f"""# written by tools/replicas.py; nginx runs as  nginx -p {prefix} -c {prefix}/nginx.conf
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path {prefix}/temp/client_body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    log_format replicas '{LOG_FORMAT}';
    access_log {prefix}/logs/access.log replicas;
    server_tokens off;

    upstream pakg {{
        # One client connection stays on one replica for as long as it lasts. Each replica only moves
        # forward in dataset versions (it switches to a newer store within PAKG_RELOAD_INTERVAL), so a client
        # on one kept-alive connection never sees X-Dataset-Version go backwards; two connections may be on
        # two versions for up to that interval.
        hash $remote_addr$remote_port consistent;
{servers}
        keepalive 32;
    }}

    server {{
        listen {listen};
        location / {{
            proxy_pass http://pakg;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # appended to what the client sent: the replicas (PAKG_TRUSTED_PROXIES=127.0.0.1) take the
            # right-most address that is not nginx's, the one nginx saw, so a client cannot pose as another
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout {timeout:g}s;
            proxy_send_timeout {timeout:g}s;
        }}
    }}
}}
"""


class Replicas:
    """N ``pakg serve`` replicas on one ``store`` (or ``endpoint``) behind nginx on ``host:port`` (port 0:
    a free one). ``env``: more environment variables for the replicas (``PAKG_*`` settings); ``output``:
    a folder for the replicas' logs (``replica-N.log``), else they write to this process's terminal.
    ``.url`` is nginx's, ``.replica_urls`` the replicas'; ``.stop()`` stops them all."""

    def __init__(
        self,
        store: str | os.PathLike | None = None,
        endpoint: str | None = None,
        replicas: int = 2,
        host: str = "127.0.0.1",
        port: int = 0,
        env: dict[str, str] | None = None,
        output: str | os.PathLike | None = None,
        wait: float = 120,
    ):
        if (store is None) == (endpoint is None):
            raise ValueError("give one of store and endpoint")
        if replicas < 1:
            raise ValueError("replicas must be 1 or more")
        self.source = ["--store", str(store)] if store is not None else ["--endpoint", str(endpoint)]
        self.count, self.host, self.port = replicas, host, port or free_port(host)
        self.env = {**os.environ, **(env or {}), "PAKG_TRUSTED_PROXIES": "127.0.0.1"}
        self.output = Path(output) if output is not None else None
        self.wait = wait
        self.url = f"http://{_listen(host, self.port)}"
        self.replica_urls: list[str] = []
        self.processes: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.prefix: Path | None = None

    # ---- start and stop ----------------------------------------------------------------------------

    def __enter__(self) -> Replicas:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> Replicas:
        if not Path(NGINX).exists():
            raise RuntimeError(f"{NGINX} is missing: apt-get install nginx")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.prefix = Path(tempfile.mkdtemp(prefix="pakg-replicas-"))
        self.prefix.chmod(0o711)  # run as root, nginx's workers (nobody) reach their temp folders inside it
        for sub in ("logs", "temp"):
            (self.prefix / sub).mkdir()
        if self.output is not None:
            self.output.mkdir(parents=True, exist_ok=True)
        timeout = float(self.env.get("PAKG_ENDPOINT_TIMEOUT", 60)) + float(self.env.get("PAKG_QUERY_TIMEOUT", 10))
        for n in range(self.count):
            port = free_port()
            self.replica_urls.append(f"http://127.0.0.1:{port}")
            command = [sys.executable, "-m", "pakg", "serve", "--host", "127.0.0.1", "--port", str(port), *self.source]
            sink = open(self.output / f"replica-{n + 1}.log", "wb") if self.output is not None else None
            try:
                # a session of its own: Ctrl+C reaches this process, which stops the replicas in order
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=sink, stderr=sink, start_new_session=True)
                )
            finally:
                if sink is not None:
                    sink.close()
        upstreams = [url.removeprefix("http://") for url in self.replica_urls]
        conf = self.prefix / "nginx.conf"
        conf.write_text(nginx_config(self.prefix, _listen(self.host, self.port), upstreams, timeout), encoding="utf-8")
        deadline = time.monotonic() + self.wait
        for process, url in zip(self.processes, self.replica_urls, strict=True):
            self._wait_for(url, process, deadline, f"replica {url}")
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "logs/error.log"),
             "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self._wait_for(self.url, self.nginx, deadline, "nginx")

    def _wait_for(self, url: str, process: subprocess.Popen, deadline: float, name: str) -> None:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}{self._log_hint()}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer within {self.wait:g} s{self._log_hint()}")

    def _log_hint(self) -> str:
        if self.prefix is None:
            return ""
        errors = self.prefix / "logs/error.log"
        text = errors.read_text(errors="replace").strip() if errors.exists() else ""
        return f" (nginx: {text.splitlines()[-1]})" if text else ""

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas; each by its process id."""
        if self.nginx is not None:
            _end(self.nginx, signal.SIGQUIT)  # nginx's graceful stop: requests in progress finish
            self.nginx = None
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            _end(process, None)
        self.processes = []
        if self.prefix is not None:
            keep = self.output / "nginx" if self.output is not None else None
            if keep is not None:  # the access log and the config, for whoever asked for logs
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(self.prefix, keep, ignore=shutil.ignore_patterns("temp"))
            shutil.rmtree(self.prefix, ignore_errors=True)
            self.prefix = None

    def failed(self) -> str | None:
        """Which process has ended on its own, if any."""
        if self.nginx is not None and self.nginx.poll() is not None:
            return f"nginx exited with status {self.nginx.returncode}"
        for url, process in zip(self.replica_urls, self.processes, strict=False):
            if process.poll() is not None:
                return f"replica {url} exited with status {process.returncode}"
        return None

    # ---- what nginx logged ---------------------------------------------------------------------------

    def access_log(self) -> list[dict[str, str]]:
        """nginx's access log so far, one dict a request (keys: ``LOG_FIELDS``; a missing value is "-")."""
        assert self.prefix is not None, "not running"
        path = self.prefix / "logs/access.log"
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return [dict(zip(LOG_FIELDS, line.split("\t"), strict=False)) for line in lines if line]


def _end(process: subprocess.Popen, sig: signal.Signals | None) -> None:
    if sig is not None and process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="tools/replicas.py", description=__doc__.split("\n\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--store", help="the on-disk store every replica serves (pakg build --store PATH)")
    source.add_argument("--endpoint", help="or the SPARQL endpoint every replica reads")
    p.add_argument("--replicas", type=int, default=2, help="how many pakg serve processes (default: 2)")
    p.add_argument("--host", default="127.0.0.1", help="where nginx listens (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="nginx's port (default: 8080)")
    p.add_argument("--logs", default=None, help="a folder for the replicas' logs and nginx's (default: the terminal)")
    args = p.parse_args(argv)
    if args.replicas < 1:
        p.error("--replicas must be 1 or more")
    if args.store is not None and not Path(args.store).exists():
        p.error(f"--store {args.store}: no such store (pakg build --store {args.store})")

    def stop_on_term(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop_on_term)
    running = Replicas(
        store=args.store, endpoint=args.endpoint, replicas=args.replicas, host=args.host, port=args.port,
        output=args.logs,
    )  # fmt: skip
    try:
        try:
            running.start()
        except RuntimeError as exc:
            print(f"replicas: error: {exc}", file=sys.stderr)
            return 1
        print(f"{args.replicas} replicas behind nginx on {running.url}: {', '.join(running.replica_urls)}", flush=True)
        print("Ctrl+C stops them", flush=True)
        while (problem := running.failed()) is None:
            time.sleep(0.5)
        print(f"replicas: error: {problem}; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("replicas: interrupted", file=sys.stderr)
        return 130
    finally:
        running.stop()


if __name__ == "__main__":
    sys.exit(main())
