"""PAKG_TRUSTED_PROXIES: whose X-Forwarded-For names the client of the per-client SPARQL limit and of
the access log. By default nobody's: a client cannot pick its own address by sending the header."""
from __future__ import annotations

import concurrent.futures
import itertools
import os
import subprocess
import sys
import time

import httpx
import pytest
from pydantic import ValidationError

from api.settings import Settings
from conftest import LiveServer

# runs into the time limit (tests/test_hardening.py's cartesian product): a query that stays in flight
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "ASK { ?s a <https://w3id.org/pakg/ontology#Pairing> }"
LIMITED = {"PAKG_MAX_CONCURRENT_PER_CLIENT": "1", "PAKG_QUERY_TIMEOUT": "3", "PAKG_RELOAD_INTERVAL": "0"}
_texts = itertools.count()


def sender(url: str, forwarded_for: str | None = None, source: str | None = None):
    """A client: ``send(query)`` asks ``url``'s /sparql from loopback address ``source``, with an
    X-Forwarded-For header if given. Each light query is a new text, so that no cached answer hides
    the limit."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}

    def send(query: str = LIGHT) -> int:
        text = query if query == SLOW else f"{query} # {next(_texts)}"
        transport = httpx.HTTPTransport(local_address=source) if source else None
        with httpx.Client(timeout=60, transport=transport) as client:
            return client.get(url + "/sparql", params={"query": text}, headers=headers).status_code

    return send


def while_in_flight(slow_client, checks):
    """``checks()`` while ``slow_client`` has one slow query in flight: it runs once that client's next
    query is refused (429), and counts only if a query of that client is refused again after it
    (still in flight). A few tries, in case the slow query ends in between."""
    for _ in range(3):
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            slow = pool.submit(slow_client, SLOW)
            result, confirmed = None, False
            for _ in range(100):
                time.sleep(0.1)  # (a probe sent before the slow query arrives would have it refused)
                if slow.done():
                    break
                if slow_client() == 429:
                    result = checks()
                    confirmed = slow_client() == 429
                    break
            # stopped at the time limit if not done before, or refused if a probe came first: try again
            assert slow.result() in (200, 429, 503)
        if confirmed and slow.result() != 429:
            return result
    pytest.fail("the slow query was never seen in flight")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trusted")
    built = subprocess.run([sys.executable, "-m", "pakg", "build", "--no-validate", "--store", str(folder / "store"),
                            "--out", str(folder / "out.nq")], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return folder / "store"


def test_by_default_x_forwarded_for_is_not_believed(store):
    live = LiveServer("--store", str(store), **LIMITED)
    try:
        statuses = while_in_flight(sender(live.url, "10.0.0.1"), lambda: [
            sender(live.url, "10.0.0.2")(), sender(live.url)(), sender(live.url, "10.0.0.1, 10.0.0.3")()])
    finally:
        live.stop()
    assert statuses == [429, 429, 429]  # one client, 127.0.0.1, whatever the header says


def test_from_a_trusted_proxy_each_forwarded_client_has_its_own_limit(store, tmp_path):
    log = tmp_path / "server.log"
    live = LiveServer("--store", str(store), output=log, PAKG_TRUSTED_PROXIES="127.0.0.1, 10.9.0.0/16", **LIMITED)
    try:
        statuses = while_in_flight(sender(live.url, "10.0.0.1"), lambda: [
            sender(live.url, "10.0.0.2")(),  # another client
            sender(live.url)(),  # the proxy itself, without the header: 127.0.0.1
            sender(live.url, "10.0.0.1")(),  # the same client
            # right-most address that is not a trusted proxy: 10.0.0.1, behind the trusted 10.9.0.1
            sender(live.url, "10.0.0.2, 10.0.0.1, 10.9.0.1")(),
        ])
    finally:
        live.stop()
    assert statuses == [200, 200, 429, 429]
    lines = log.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("INFO:     10.0.0.2:0 - \"GET /sparql") for line in lines)  # the access log too


def test_a_client_not_among_the_trusted_proxies_is_itself_the_client(store):
    live = LiveServer("--store", str(store), PAKG_TRUSTED_PROXIES="10.0.0.0/8", **LIMITED)
    try:
        statuses = while_in_flight(sender(live.url, "10.0.0.1"), lambda: [sender(live.url, "10.0.0.2")()])
    finally:
        live.stop()
    assert statuses == [429]  # 127.0.0.1 is not trusted: its header is ignored


@pytest.mark.parametrize("value, proxies", [
    ("", []),
    (" 127.0.0.1 ", ["127.0.0.1"]),
    ("127.0.0.1, 10.0.0.0/8,::1,fd00::/8", ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"]),
])
def test_the_setting_takes_addresses_and_networks(value, proxies):
    assert Settings(trusted_proxies=value).proxies() == proxies


@pytest.mark.parametrize("value", ["localhost", "10.0.0.1/8", "*", "1.2.3.4:80", "127.0.0.1;10.0.0.1"])
def test_a_bad_value_is_refused_by_name(value):
    with pytest.raises(ValidationError, match="PAKG_TRUSTED_PROXIES"):
        Settings(trusted_proxies=value)


def test_a_bad_value_stops_pakg_serve_in_one_line():
    done = subprocess.run([sys.executable, "-m", "pakg", "serve", "--port", "1"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PAKG_TRUSTED_PROXIES": "127.0.0.1, nginx"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("pakg: error: PAKG_TRUSTED_PROXIES") and "'nginx'" in done.stderr
