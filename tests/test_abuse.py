"""Attacks on the SPARQL endpoint, tried against a real server, with a canary HTTP server on loopback
that must never hear from it: hidden SERVICE, memory bombs, oversized answers, deep nesting, crashed
workers; and the guard read side by side with the engine (a differential fuzz test)."""
from __future__ import annotations

import concurrent.futures
import http.server
import os
import re
import signal
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from conftest import LiveServer, children, dead, memory_mb, unquoted
from api.guard import analyse
from graph.errors import PakgError

DATASET_GRAPHS = {"https://w3id.org/pakg/id/graph/data", "https://w3id.org/pakg/id/graph/ontology"}


class Canary:
    """An HTTP server on loopback that counts every request it gets (none is the right number)."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                hits.append((self.command, self.path, self.headers.get("User-Agent")))
                body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"leak"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def canary():
    server = Canary()
    yield server
    server.close()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A server whose workers have a small memory ceiling and whose answers a small byte cap; what it
    writes on stderr is kept in ``guarded.log``."""
    log = tmp_path_factory.mktemp("guarded") / "server.log"
    live = LiveServer(PAKG_WORKER_MEMORY_MB="300", PAKG_MAX_RESPONSE_BYTES=str(2 * 1024 * 1024),
                      PAKG_QUERY_TIMEOUT="20", PAKG_CACHE_BYTES="0", output=log)
    live.log = log
    yield live
    live.stop()


def ask(url: str, query: str, how: str = "GET", **headers) -> httpx.Response:
    if how == "GET":
        return httpx.get(url + "/sparql", params={"query": query}, headers=headers, timeout=60)
    if how == "POST-form":
        return httpx.post(url + "/sparql", data={"query": query}, headers=headers, timeout=60)
    return httpx.post(url + "/sparql", content=query.encode(), timeout=60,
                      headers={"Content-Type": "application/sparql-query", **headers})


HIDDEN_SERVICE = [  # each hid SERVICE from the hand-made tokenizer the guard used to have
    "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a\\# AS ?b) SERVICE <{url}/x> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ #\rSERVICE <{url}/x> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ #\rSERVICE SILENT <{url}/x> {{ ?x ?y ?z }} \n}}",
    "SELECT * WHERE {{ #\r\nSERVICE <{url}/x> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ #\x0cSERVICE <{url}/x> {{ ?x ?y ?z }}\n }}",
    "SELECT * WHERE {{ ?s ?p '''#''' . sErViCe <{url}/x> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ ?s ?p \"\\\"#\" . SERVICE <{url}/x> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}/x> {{ ?x ?y ?z }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/x> {{ ?x ?y ?z }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}/x> {{ ?x ?y ?z }} }} }}",
    "PREFIX c: <{url}/> SELECT * WHERE {{ SERVICE c:x {{ ?x ?y ?z }} }}",
    "BASE <{url}/> SELECT * WHERE {{ SERVICE <x> {{ ?x ?y ?z }} }}",
    "SELECT * FROM <{url}/x> WHERE {{ ?x ?y ?z }}",
    "SELECT * FROM NAMED <{url}/x> WHERE {{ GRAPH ?g {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ ?x ?y ?z }} #\rLOAD <{url}/x>",
    "SELECT * WHERE {{ ?s ?p \"x\\u0022 . SERVICE <{url}/x> {{ ?a ?b ?c }} #\" }}",
    "SELECT * WHERE {{ ?s ?p ?o }} # \\u000A SERVICE <{url}/x> {{ ?a ?b ?c }}",
    "\\u0053ELECT * WHERE {{ \\u0053ERVICE <{url}/x> {{ ?a ?b ?c }} }}",
]


@pytest.mark.parametrize("how", ["GET", "POST-form", "POST-query"])
@pytest.mark.parametrize("template", HIDDEN_SERVICE)
def test_no_query_reaches_the_network(guarded, canary, template, how):
    response = ask(guarded.url, template.format(url=canary.url), how)
    # 413: read as the guard did, the query asks for every triple, more than an answer may hold
    assert response.status_code in (200, 400, 403, 413), response.text
    assert "leak" not in response.text and canary.url not in unquoted(response, template.format(url=canary.url))
    if response.status_code == 200:  # read as the guard did: the comment, SERVICE and all, is gone
        assert "bindings" in response.json()["results"]
    again = ask(guarded.url, template.format(url=canary.url), how)  # and not from a cache either
    assert again.status_code == response.status_code and "leak" not in again.text
    assert canary.hits == []


def test_a_hidden_construct_does_not_kill_the_worker(guarded):
    """The guard saw SELECT where the engine ran CONSTRUCT, and the worker died (KeyError: 'json')."""
    for query in ["SELECT * WHERE { } #\rCONSTRUCT WHERE { ?s ?p ?o }", "#\rCONSTRUCT WHERE { ?s ?p ?o }\nASK {}"]:
        response = ask(guarded.url, query, Accept="application/sparql-results+json")
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200:
            assert "head" in response.json()
    assert ask(guarded.url, "ASK {}").status_code == 200


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND() LIMIT 1",
    "SELECT (STRLEN(?s28) AS ?n) WHERE { BIND(\"abcdefgh\" AS ?s0) "
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28)) + " }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY (CONCAT(STR(?a), STR(?c), STR(?d), STR(?f)))",
], ids=["cartesian-order-by-rand", "doubled-string", "group-by-product"])
def test_a_query_past_the_memory_ceiling_is_stopped_and_says_so(guarded, query):
    started = time.monotonic()
    response = ask(guarded.url, query)
    assert response.status_code == 503, response.text[:300]
    assert "used more than 300 MB" in response.json()["detail"]
    assert time.monotonic() - started < 20  # long before the time limit would have stopped it
    assert ask(guarded.url, "ASK { ?s ?p ?o }").status_code == 200


def test_an_answer_past_the_byte_cap_is_stopped_in_the_worker(guarded):
    """60 rows of a 10 MB string: the worker stops at the 2 MB cap; the server never holds the answer."""
    before = memory_mb(guarded.proc.pid, "VmHWM", workers=False)
    values = " ".join(str(i) for i in range(60))
    query = (f"SELECT ?i ?big WHERE {{ VALUES ?i {{ {values} }} BIND(\"0123456789\" AS ?s0) "
             + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(20))
             + " BIND(CONCAT(STR(?i), ?s20) AS ?big) }")
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        response = ask(guarded.url, query, Accept=accept)
        assert response.status_code == 413, response.text[:200]
        assert "larger than 2097152 bytes" in response.json()["detail"]
    construct = ("CONSTRUCT { ?i <urn:p> ?big } WHERE { " + query.split("WHERE {", 1)[1])
    response = ask(guarded.url, construct)  # the engine keeps the triples it made: it may hit the ceiling first
    assert response.status_code == 413 or "used more than 300 MB" in response.json()["detail"], response.text
    assert memory_mb(guarded.proc.pid, "VmHWM", workers=False) - before < 60  # 60 × 10 MB never reached the main process


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000,
    "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL{?s ?p ?o} " * 600 + "}",
    "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 1500) + " ?o }",
    "SELECT * WHERE { ?s ?p ?o BIND(" + "CONCAT(" * 1000 + "?o" + ",?o)" * 1000 + " AS ?x) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }",
    "SELECT * WHERE " + "{ SELECT * WHERE " * 700 + "{?s ?p ?o}" + " }" * 700,
], ids=["groups", "optionals", "path", "concat", "parentheses", "subselects"])
def test_deep_nesting_is_refused_before_the_engine(guarded, query):
    response = ask(guarded.url, query, "POST-query")
    assert response.status_code == 400, response.text[:200]
    assert "nests too deeply" in response.json()["detail"]


def test_nesting_a_person_writes_is_answered(guarded):
    query = "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o OPTIONAL { ?s ?q ?r }" + " }" * 40 + " LIMIT 1"
    assert ask(guarded.url, query).status_code == 200


def test_a_crashed_worker_is_a_crash_not_a_timeout(guarded):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pending = pool.submit(ask, guarded.url, heavy)
        time.sleep(1.5)
        busy = [pid for pid in children(guarded.proc.pid)
                if float(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11]) > 50]
        assert busy, "no worker was busy with the query"
        for pid in busy:
            os.kill(pid, signal.SIGSEGV)
        response = pending.result()
    assert response.status_code == 503
    assert response.json()["detail"].startswith("the query process failed")
    # and the service answers again once the killed workers are replaced (the signal may still be on its way
    # to a worker counted as busy by the CPU it used in earlier tests: a 503 for a query it is handed then)
    deadline = time.monotonic() + 30
    while (after := ask(guarded.url, "ASK { ?s ?p ?o }")).status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert after.status_code == 200, after.text


def test_each_refusal_and_stop_is_one_log_line_with_the_client_and_the_query_hash(guarded):
    """(After the tests above: a worker crashed, others stopped at the memory ceiling.)"""
    from api.workers import digest
    marker = f"{time.time()}"
    refused = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:9/> {{ ?s ?p ?o }} }} # {marker}"
    bomb = f"SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} ORDER BY RAND() LIMIT 1 # {marker}"
    assert ask(guarded.url, refused).status_code == 400
    assert ask(guarded.url, bomb).status_code == 503
    time.sleep(0.5)
    lines = guarded.log.read_text(errors="replace").splitlines()
    assert [line for line in lines if digest(refused) in line and "from 127.0.0.1: refused: SERVICE" in line]
    assert [line for line in lines if digest(bomb) in line and "past the 300 MB memory ceiling" in line]
    assert [line for line in lines if "the query process failed (signal 11)" in line]
    ours = [line for line in lines if re.search(r"\b(api|graph)\.[\w.]+: ", line)]  # the service's loggers
    assert len(ours) >= 3 and not [line for line in ours if marker in line]  # hashes, never the texts


def test_dead_idle_workers_are_replaced_before_they_are_handed_a_query(guarded):
    killed = children(guarded.proc.pid)
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10  # a killed process with a large heap takes a moment to end on a busy machine
    while not all(dead(pid) for pid in killed) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(dead(pid) for pid in killed)
    for n in range(3):
        response = ask(guarded.url, f"ASK {{ ?s ?p {n} }}")
        assert response.status_code == 200, response.text


def test_a_confined_worker_can_reach_no_network_and_no_file(tmp_path, canary):
    """Defence in depth: even a SERVICE the guard missed makes no request from a worker."""
    from api.workers import _Worker
    from graph.location import DatasetLocation
    dataset = tmp_path / "d.nq"
    dataset.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n")
    worker = _Worker(DatasetLocation("nquads", str(dataset)), memory_bytes=256 << 20)
    try:
        assert set(worker.confined) == {"network", "files", "memory"}
    finally:
        worker.kill()
    script = (
        "import sys, pyoxigraph as ox\n"
        "from api.sandbox import confine\n"
        "print(confine([], 1 << 28))\n"
        "store = ox.Store()\n"
        f"for q in ['SELECT * WHERE {{ SERVICE <{canary.url}/x> {{ ?s ?p ?o }} }}',\n"
        f"          'SELECT * WHERE {{ SERVICE SILENT <{canary.url}/y> {{ ?s ?p ?o }} }}']:\n"
        "    try:\n        list(store.query(q))\n    except OSError as e:\n        print('refused', e)\n"
        "try:\n    open('/etc/hostname').read()\n    print('read a file')\nexcept OSError:\n    print('no file')\n")
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert "refused" in done.stdout and "no file" in done.stdout, done.stdout + done.stderr
    assert canary.hits == []


# ---- the guard and the engine, side by side -------------------------------------------------------

PIECES = ["#", "#\r", "#\n", "\r", "\r\n", "\n", "\x0c", "\t", " ", "\\#", "\\", "'", '"', "'''", '"""', "<", ">",
          "{", "}", "(", ")", ".", ";", ",", "ex:a", "ex:a\\#", "ex:\\.", "?x", "$y", "SERVICE", "service", "SILENT",
          "SELECT", "CONSTRUCT", "ASK", "WHERE", "INSERT", "LOAD", "FROM", "GRAPH", "OPTIONAL", "UNION", "\\u0023",
          "'a#b'", '"a\\"b"', "'''x\ny'''", "<urn:x#y>", "\u2028", "\u00a0", "\x00", "a", "1", "ex:", "\\n"]


# (the forms that hid SERVICE before come several times: drawn more often)
OPENERS = ["#", "#\r", "#\r", "#\r", "# \r\n", "#\x0c", "\\#", "ex:a\\#", "ex:a\\#", "'", '"', "'" * 3, '"' * 3, "<",
           "<urn:", '"a\\"', "'a\\'", "ex:\\"]
CLOSERS = ["\n", "\n", "\r", "\r\n", "\r\n", "'", '"', "'" * 3, '"' * 3, ">", "}", " .", "\x0c", "\u2028", "", "", ""]
BODIES = ["SELECT * WHERE {{ {b}{s}{a} }}{e}", "SELECT * WHERE {{ ?x ?y ?z {b}{s}{a}\n}}{e}",
          "SELECT * WHERE {{ ?x ?y ?z }} {b}{s}{a}\n{e}",
          "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a{b}{s}{a} AS ?v) }}{e}",
          "ASK {{ {b}{s}{a}\n}}{e}", "CONSTRUCT WHERE {{ ?x ?y ?z {b}{s}{a}\n}}{e}",
          "SELECT * WHERE {{ ?x ?y {b}{s}{a} }}{e}", "SELECT * WHERE {{ ?x ?y {b}{s}{a} . }}\n{e}",
          "SELECT * WHERE " + "{{ " * 5 + "{b}{s}{a}" + "\n}}" * 5 + "{e}"]


@st.composite
def texts(draw, url: str):
    """A query with a SERVICE call that one reader or another may take for part of a comment, a string
    or an IRI: opened before it, closed after it, in every mix."""
    service = draw(st.sampled_from([f"SERVICE <{url}/f> {{ ?x ?y ?z }}", f"SERVICE SILENT <{url}/f> {{ ?x ?y ?z }}",
                                    f"sErViCe <{url}/f> {{ }}"]))
    before = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=1))) + draw(st.sampled_from(OPENERS))
    after = draw(st.sampled_from(CLOSERS)) + "".join(draw(st.lists(st.sampled_from(PIECES), max_size=1)))
    ending = draw(st.sampled_from(["", "\n", "\r", "'", '"', "'" * 3, '"' * 3, ">"]))
    return draw(st.sampled_from(BODIES)).format(b=before, s=service, a=after, e=ending)


FORM_OF = {"SELECT": ox.QuerySolutions, "ASK": ox.QueryBoolean, "CONSTRUCT": ox.QueryTriples,
           "DESCRIBE": ox.QueryTriples}


def test_the_guard_never_passes_what_the_engine_reads_as_service(canary):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    checked = {"passed": 0, "refused": 0}

    @seed(20261201)
    @settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(text=texts(canary.url))
    def check(text):
        try:
            info = analyse(text, DATASET_GRAPHS)
        except PakgError:
            checked["refused"] += 1
            return
        checked["passed"] += 1
        try:
            result = store.query(info.text, use_default_graph_as_union=True)
            assert isinstance(result, FORM_OF[info.form]), (text, info.form)
            list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)
        except (SyntaxError, OSError, RuntimeError) as exc:
            assert canary.url not in str(exc), text
        try:  # the engine's update parser on the same text: it must not read it as an update either
            ox.Store().update(info.text)
            raise AssertionError(f"the engine reads an update in {text!r}")
        except SyntaxError:
            pass
        assert canary.hits == [], text

    check()
    assert checked["passed"] > 20 and checked["refused"] > 20, checked  # both sides were exercised


def test_four_attackers_for_ten_seconds_keep_the_server_under_its_memory_ceiling(guarded):
    """Memory bombs and deep nesting from four clients: every light query is answered, and the server
    with its workers stays under main + 4 workers × (their start + the 300 MB ceiling) (README)."""
    at_rest = memory_mb(guarded.proc.pid)
    ceiling = at_rest + 4 * 300 + 2 + 100  # four workers at their ceiling, an answer on its way, some slack
    bombs = ["SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND() LIMIT 1 # {n}",
             "SELECT (STRLEN(?s28) AS ?n) WHERE { BIND(\"abcdefgh\" AS ?s0) "
             + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28)) + " } # {n}",
             "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000 + " # {n}"]
    stop = time.monotonic() + 10
    peak = [at_rest]

    def attack(k: int) -> list[int]:
        statuses = []
        # each attacker from its own loopback address, as distinct clients on the internet would be
        with httpx.Client(timeout=60, transport=httpx.HTTPTransport(local_address=f"127.0.0.{k + 2}")) as client:
            n = 0
            while time.monotonic() < stop:
                n += 1
                query = bombs[(k + n) % len(bombs)].replace("{n}", f"{k}-{n}")
                statuses.append(client.post(guarded.url + "/sparql", data={"query": query}).status_code)
        return statuses

    def sample() -> None:
        while time.monotonic() < stop + 1:
            peak[0] = max(peak[0], memory_mb(guarded.proc.pid))
            time.sleep(0.05)

    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        attackers = [pool.submit(attack, k) for k in range(4)]
        sampler = pool.submit(sample)
        light, took = [], []  # asked from an address no other test used (a client whose query a worker
        # died of is sent to the heavy lane for a minute)
        with httpx.Client(timeout=60, transport=httpx.HTTPTransport(local_address="127.0.0.10")) as client:
            n = 0
            while time.monotonic() < stop:
                n += 1
                started = time.monotonic()
                light.append(client.get(guarded.url + "/sparql", params={
                    "query": f"ASK {{ ?s a <https://w3id.org/pakg/ontology#Pairing> }} # {n}"}).status_code)
                took.append(time.monotonic() - started)
                time.sleep(0.05)
        attacked = [s for a in attackers for s in a.result()]
        sampler.result()
    took.sort()
    print(f"light queries under attack: {len(took)}, p50 {took[len(took) // 2] * 1000:.0f} ms, "
          f"p99 {took[int(len(took) * 0.99)] * 1000:.0f} ms; memory at rest {at_rest:.0f} MB, "
          f"peak {peak[0]:.0f} MB, ceiling {ceiling:.0f} MB; attack answers {sorted(set(attacked))}")
    assert set(light) == {200}
    assert attacked and set(attacked) <= {400, 413, 429, 503}
    assert peak[0] < ceiling
