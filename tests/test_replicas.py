"""Replicas behind nginx (tools/replicas.py): while newer versions are published, every answer is whole
and carries its version, and a client on one kept-alive connection never sees the version go back;
the per-client SPARQL limit counts the client nginx saw."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT
from graph.config import DATA_DIR
from graph.tables import TABLES
from graph.versions import store_version
from test_trusted_proxies import LIMITED, sender, while_in_flight

sys.path.insert(0, str(ROOT / "tools"))
from replicas import NGINX, Replicas  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason=f"{NGINX} is missing (apt-get install nginx)")

CLIENTS = 8  # threads, each on one connection from a loopback address of its own
MOST = 3000  # requests a client sends at most (it stops when the test is done)
ROUTES = [("/pairings", {"limit": 5}), ("/actors", {"limit": 5}), ("/instruments", {"limit": 3}),
          ("/pairings/PR-0001", {}), ("/health", {}),
          ("/sparql", {"query": "ASK { ?s a <https://w3id.org/pakg/ontology#Pairing> }"})]


def pakg_build(data: Path, store: Path, *extra: str) -> str:
    """``pakg build --store`` (the curated data's validation is tested elsewhere): the version now served."""
    done = subprocess.run([sys.executable, "-m", "pakg", "build", "--no-validate", "--data", str(data),
                           "--store", str(store), "--out", str(store.parent / "out.nq"), *extra],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return store_version(store)


def with_pairings(data: Path, count: int) -> Path:
    """A copy of ``data`` with ``count`` more (sourced) pairings."""
    copy = data.with_name(f"{data.name}+{count}")
    shutil.copytree(data, copy)
    with (copy / "curated" / "pairings.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [column.name for column in TABLES["pairings"].all_columns], restval="")
        writer.writeheader()
        for n in range(count):
            writer.writerow({"id": f"PR-{1001 + n}", "kind": "pairing", "programme": "P-XJ-2010",
                             "supporter": "jiangsu", "recipient": "hotan-county", "fields": "medical",
                             "mode": "group-style", "start_year": str(2024 + n), "sources": "S-ksrykj-com",
                             "confidence": "low", "note": "test pairing for the replicas test"})
    return copy


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("replicas") / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("build"))
    return folder


def version_of(url: str) -> str | None:
    try:
        return httpx.get(url + "/health", timeout=10).json().get("version")
    except httpx.TransportError:
        return None


def wait_until_all_serve(running: Replicas, version: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # through nginx too, each time on a new connection: new connections spread over the replicas
        if all(version_of(url) == version for url in [*running.replica_urls, running.url]):
            return
        time.sleep(0.2)
    pytest.fail(f"not every replica serves {version} after {seconds:g} s")


def test_each_connection_sees_versions_only_move_forward(data, tmp_path):
    store = tmp_path / "store"
    versions = [pakg_build(data, store)]
    running = Replicas(store=store, replicas=2, env={"PAKG_RELOAD_INTERVAL": "0.3"}, output=tmp_path / "logs")
    answers: dict[str, list[tuple]] = {f"127.0.0.{11 + n}": [] for n in range(CLIENTS)}
    stop = threading.Event()

    def client(source: str) -> None:
        mine = answers[source]
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        transport = httpx.HTTPTransport(local_address=source, limits=limits)
        with httpx.Client(base_url=running.url, timeout=30, transport=transport) as http:
            for n in range(MOST):
                if stop.is_set():
                    return
                try:
                    path, params = ROUTES[n % len(ROUTES)]
                    r = http.get(path, params=params)
                except httpx.HTTPError as exc:
                    mine.append((repr(exc), None, None, None))
                    continue
                port = r.extensions["network_stream"].get_extra_info("client_addr")[1]
                mine.append((r.status_code, r.headers.get("x-dataset-version"), r.headers.get("x-dataset-release"),
                             port))
                time.sleep(0.01)

    def each_has_more_than(count: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and any(
                len(answers[t.name]) <= count and t.is_alive() for t in threads):
            time.sleep(0.1)

    threads = [threading.Thread(target=client, args=(source,), name=source) for source in answers]
    running.start()
    try:
        for thread in threads:
            thread.start()
        each_has_more_than(5)
        for extra in (1, 2):  # two newer versions, each published while the clients go on
            versions.append(pakg_build(with_pairings(data, extra), store))
            wait_until_all_serve(running, versions[-1])
        now = min(len(a) for a in answers.values())
        each_has_more_than(now + 10)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        finals = [version_of(url) for url in [*running.replica_urls, running.url]]
        log = running.access_log()
    finally:
        stop.set()
        running.stop()
    assert len(set(versions)) == 3
    order = {v: n for n, v in enumerate(versions)}
    for source, mine in answers.items():
        assert mine, source
        bad = [a for a in mine if a[0] != 200 or a[1] not in order or not a[2]]
        assert bad == [], (source, bad[:5])
        seen = [order[a[1]] for a in mine]
        assert seen == sorted(seen), (source, seen)  # never backwards on this connection
        ports = {a[3] for a in mine}
        assert len(ports) == 1, (source, ports)  # one connection, as nginx saw it too:
        theirs = [line for line in log if line["client"] == source]
        assert {(line["port"], line["connection"]) for line in theirs} == {(str(*ports), theirs[0]["connection"])}
        assert len(theirs) == len(mine)
    assert finals == [versions[-1]] * 3
    served = {line["upstream"] for line in log}
    assert served == {url.removeprefix("http://") for url in running.replica_urls}  # both replicas served


def test_the_limit_counts_the_client_nginx_saw(data, tmp_path):
    """127.0.0.2 has a slow query in flight (the limit: one): 127.0.0.3 is another client, and neither
    can pose as the other with an X-Forwarded-For of its own (nginx appends the address it saw, and
    the replica takes the right-most address that is not nginx's). One replica: the limit is a replica's."""
    store = tmp_path / "store"
    pakg_build(data, store)
    with Replicas(store=store, replicas=1, env=LIMITED, output=tmp_path / "logs") as running:
        a, b = sender(running.url, source="127.0.0.2"), sender(running.url, source="127.0.0.3")
        b_as_a = sender(running.url, "127.0.0.2", source="127.0.0.3")
        a_as_b = sender(running.url, "127.0.0.3", source="127.0.0.2")
        statuses = while_in_flight(a, lambda: [b(), b_as_a(), a_as_b()])
    assert statuses == [200, 200, 429]
