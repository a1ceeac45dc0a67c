"""What an attacker meets at the door: request headers bounded (431), Accept headers read with a
bound, the answer cache keyed on what was negotiated, the headers of a public service, and answers
that do not depend on the Host header.  Against a real `pakg serve` on loopback where the socket
matters (the session's server, shared with other tests: a test that needs an answer not cached yet
asks for an entry of its own); in process where the cache's insides are looked at."""
from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import time

import httpx
import pytest
import rdflib

from api.cache import AnswerCache
from conftest import ROOT, LiveServer, memory_mb
from api.accept import MAX_ENTRIES, accept_entries
from api.negotiation import negotiate, negotiated_formats

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SELECT = "SELECT ?p WHERE { ?p a <https://w3id.org/pakg/ontology#Programme> } ORDER BY ?p LIMIT 2"


@pytest.fixture(scope="module")
def live(live_server):
    """The session's real server (default settings)."""
    return live_server


@pytest.fixture(scope="module")
def public():
    server = LiveServer(PAKG_PUBLIC_URL="https://kg.example.org/")
    yield server
    server.stop()


# ---- 1. request headers bounded ---------------------------------------------------------------

def test_huge_headers_are_refused_with_431_and_the_server_does_not_grow(live):
    with httpx.Client(base_url=live.url, timeout=60) as client:
        client.get("/health")
        before = memory_mb(live.proc.pid, workers=False)
        for i in range(16):  # each unique, as in the report: 140 of them grew the server by 1.1 GB
            response = client.get("/health", headers={"Accept-Language": f"zh-{i}," + "x" * 8_000_000})
            assert response.status_code == 431
            assert response.json() == {"detail": "the request headers are larger than 16384 bytes",
                                       "limit": "PAKG_MAX_HEADER_BYTES"}
        grown = memory_mb(live.proc.pid, workers=False) - before
        started = time.monotonic()
        flood = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "a/b," * 2_500_000})
        took = time.monotonic() - started
        assert client.get("/health").status_code == 200
    assert grown < 48, f"the server grew by {grown} MB"
    assert flood.status_code == 431 and len(flood.content) < 200  # nothing of the 10 MB echoed
    assert took < 5


def test_too_many_headers_are_refused_with_431(live):
    headers = [(f"x-filler-{i}", "1") for i in range(120)]
    response = httpx.get(live.url + "/health", headers=headers, timeout=10)
    assert response.status_code == 431 and response.json()["limit"] == "PAKG_MAX_HEADERS"
    assert "more than 100" in response.json()["detail"]
    assert httpx.get(live.url + "/health", headers=headers[:80], timeout=10).status_code == 200


def test_the_header_limits_are_settings():
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    app = create_app(Settings(max_header_bytes=2048, max_headers=20, query_workers=1, heavy_workers=0))
    with TestClient(app) as client:
        assert client.get("/health", headers={"Accept-Language": "en," * 500}).status_code == 200  # 1.5 KB
        assert client.get("/health", headers={"Accept-Language": "en," * 700}).status_code == 431
        assert client.get("/health", headers=[(f"x-{i}", "1") for i in range(25)]).status_code == 431


def test_a_406_quotes_only_a_short_prefix_of_the_accept_header(live):
    accept = ", ".join(["image/png"] * 1400)  # 15 KB: allowed, and nothing in it fits
    response = httpx.get(live.url + "/sparql", params={"query": SELECT}, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 406
    detail = response.json()["detail"]
    assert "image/png" in detail and len(detail) < 200


# ---- 2. Accept and Accept-Language read with a bound, bad q values skipped --------------------

@pytest.mark.parametrize("bad", ["NaN", "nan", "inf", "-inf", "abc", "2", "-1", "1e0", "0x1", "\"\""])
def test_a_q_that_is_not_a_number_from_0_to_1_does_not_count(live, bad):
    response = httpx.get(live.url + "/sparql", params={"query": SELECT},
                         headers={"Accept": f"text/csv;q={bad}, application/json;q=0.5"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")


def test_accept_language_with_a_nan_q_does_not_choose(live):
    body = httpx.get(live.url + "/pairings/PR-0002", headers={"Accept-Language": "zh;q=NaN, en;q=0.1"},
                     timeout=10).json()
    assert body["supporter"]["label"] == "Beijing"


def test_only_the_first_entries_of_a_long_header_are_read():
    entries = ", ".join(f"x-{i}/y" for i in range(1000)) + ", application/json"
    assert len(accept_entries(entries)) == MAX_ENTRIES
    assert ("application/json", 1.0) not in accept_entries(entries)
    assert accept_entries("a/b;q=0.2, " + "c" * 10_000) == [("a/b", 0.2)]  # the cut entry is dropped
    assert negotiate("SELECT", "text/csv;q=inf, text/tab-separated-values;q=0.3", None).name == "tsv"


# ---- 3. the answer cache keys on what was negotiated ------------------------------------------

def test_the_cache_counts_the_key_against_its_budget():
    cache = AnswerCache(max_bytes=1000, entry_bytes=600)
    cache.put((b"/a", b"x" * 500), [], b"1" * 50)
    assert cache.size == 552
    cache.put((b"/b", b"y" * 600), [], b"")  # the key alone is past the entry limit
    assert len(cache) == 1 and cache.get((b"/b", b"y" * 600)) is None


def test_huge_varied_accept_headers_do_not_grow_the_cache(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    app = create_app(Settings(cache_bytes=200_000, query_workers=1, heavy_workers=0))
    with TestClient(app) as client:
        for i in range(60):  # each header unique and 14 KB, just under the limit
            accept = f"application/x-{i};q=0.9, " + ", ".join(f"text/x-{i}-{n}" for n in range(900))[:7000]
            language = f"de-{i}, " + ", ".join(f"fr-{i}-{n}" for n in range(900))[:7000] + ", zh;q=0.5"
            response = client.get("/pairings/PR-0002", headers={"Accept": accept, "Accept-Language": language})
            assert response.status_code == 200 and response.json()["supporter"]["label"] == "Beijing"
        cache = app.state.dataset.current.cache
        assert len(cache) == 1 and cache.size < 20_000, (len(cache), cache.size)


def test_accept_headers_that_negotiate_the_same_share_one_entry(live):
    query = SELECT + f" # {time.monotonic_ns()}"  # an entry of this test's own
    same = ["application/sparql-results+json", "application/json", "application/sparql-results+json;q=0.8, image/png",
            "image/png, application/json;q=0.9, text/csv;q=NaN"]
    assert len({negotiated_formats(a) for a in same}) == 1
    with httpx.Client(base_url=live.url, timeout=10) as client:
        answers = [client.get("/sparql", params={"query": query}, headers={"Accept": a}) for a in same]
        csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        zh = [client.get("/pairings/PR-0003", params={"entry": query}, headers={"Accept-Language": a})
              for a in ("zh-CN,zh;q=0.9", "zh")]
    assert "x-cache" not in answers[0].headers
    assert all(a.headers.get("x-cache") == "hit" and a.content == answers[0].content for a in answers[1:])
    assert "x-cache" not in csv.headers and csv.headers["content-type"].startswith("text/csv")
    assert "x-cache" not in zh[0].headers and zh[1].headers.get("x-cache") == "hit"
    assert zh[1].json()["supporter"]["label"] == "北京市"


def test_negotiated_and_cached_answers_say_what_they_vary_on(live):
    with httpx.Client(base_url=live.url, timeout=10) as client:
        answers = [client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"}) for _ in range(2)]
        answers += [client.get("/id/pairing/PR-0153", headers={"Accept": "text/turtle"}),
                    client.get("/pairings/PR-0001", headers={"Origin": "https://example.org"}),
                    client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})]
    assert answers[1].headers["x-cache"] == "hit"
    for answer in answers:
        assert answer.headers.get_list("vary") == ["Accept, Accept-Language, Origin"], answer.url


# ---- 4. the headers of a public service -------------------------------------------------------

def test_every_answer_is_nosniff_and_no_answer_names_the_server(live):
    with httpx.Client(base_url=live.url, timeout=10) as client:
        answers = [client.get("/health"), client.get("/"), client.get("/no/such/path"),
                   client.get("/sparql", params={"query": "SELECT * WHERE {"}),
                   client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"}),
                   client.get("/health", headers={"X-Big": "x" * 20_000}), client.get("/vendor/yasgui.min.js")]
    assert [a.status_code for a in answers] == [200, 200, 404, 400, 415, 431, 200]
    for answer in answers:
        assert answer.headers.get_list("x-content-type-options") == ["nosniff"], answer.url
        assert "server" not in answer.headers, answer.url
        assert len(answer.headers.get_list("date")) == 1


def test_an_unexpected_error_is_a_short_json_500_with_nosniff():
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    app = create_app(Settings(query_workers=1, heavy_workers=0))

    def broken():
        raise RuntimeError("/srv/secret/path went wrong")
    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500 and response.json() == {"detail": "internal error"}
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path,accept", [("/", None), ("/sparql", "text/html"), ("/id/pairing/PR-0153", "text/html"),
                                         ("/id/actor/jiangsu?format=html", None)])
def test_html_pages_allow_only_their_own_scripts_and_styles(live, path, accept):
    response = httpx.get(live.url + path, headers={"Accept": accept} if accept else {}, timeout=10)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and response.headers["x-frame-options"] == "DENY"
    styles = policy["style-src"].split()
    assert styles[0] == "'self'" and not any(s.startswith("http") for s in styles)
    # only the explorer, for YASGUI's and Cytoscape's own <style> elements (api/security.py)
    assert ("'unsafe-inline'" in styles) == (path == "/") and "'unsafe-eval'" not in policy["script-src"]
    for block in re.findall(r"<style>(.*?)</style>", response.text, re.S):  # inline styles: allowed by hash
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in styles
    assert "<script>" not in response.text and "style=" not in response.text


@pytest.mark.parametrize("path", ["/vendor/package.json", "/vendor/yasgui.min.js.map", "/vendor/", "/vendor/..%2Fpackage.json",
                                  "/vendor/%2E%2E/package.json", "/static/../package.json", "/static/", "/web/package.json",
                                  "/node_modules/cytoscape/package.json", "/vendor/yasgui.esm.js"])
def test_nothing_of_how_the_explorer_is_built_is_served(live, path):
    response = httpx.get(live.url + path, timeout=10)
    assert response.status_code == 404
    for word in ("npm", "node_modules", "make", "package", "install", "web/"):
        assert word not in response.text


def test_the_explorers_files_are_served(live):
    for name, media in [("cytoscape.min.js", "text/javascript"), ("yasgui.min.js", "text/javascript"),
                        ("yasgui.min.css", "text/css")]:
        response = httpx.get(f"{live.url}/vendor/{name}", timeout=10)
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)


def test_health_shows_no_path_of_this_machine(live):
    body = httpx.get(live.url + "/health", timeout=10).json()
    assert body["store"] == "memory"
    schema = httpx.get(live.url + "/openapi.json", timeout=10).json()["components"]["schemas"]["Health"]
    assert set(schema["properties"]) == set(body) and "directory" in schema["properties"]["store"]["description"]


# ---- 5. answers that do not depend on the Host header -----------------------------------------

def endpoints(response: httpx.Response) -> set[str]:
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    return {str(o) for o in graph.objects(None, SD.endpoint)} | {str(o) for o in graph.objects(None, VOID.sparqlEndpoint)}


def test_a_forged_host_reaches_neither_the_answer_nor_the_cache(live):
    own = {f"http://127.0.0.1:{live.port}/sparql"}
    entry = {"entry": str(time.monotonic_ns())}  # cache entries of this test's own: the forged request comes first
    with httpx.Client(base_url=live.url, timeout=10) as client:
        for path in ("/sparql", "/void"):
            forged = client.get(path, params=entry, headers={"Accept": "text/turtle", "Host": "attacker.example"})
            plain = client.get(path, params=entry, headers={"Accept": "text/turtle"})
            assert forged.status_code == plain.status_code == 200
            assert endpoints(forged) == endpoints(plain) == own, path
            assert "attacker" not in forged.text + plain.text


def test_the_public_url_names_the_endpoint(public):
    with httpx.Client(base_url=public.url, timeout=10) as client:
        for path in ("/sparql", "/void"):
            answer = client.get(path, headers={"Accept": "text/turtle", "Host": "attacker.example"})
            assert endpoints(answer) == {"https://kg.example.org/sparql"}, path


def test_a_bad_public_url_is_refused_with_one_line():
    run = subprocess.run([sys.executable, "-m", "pakg", "serve", "--port", "9"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env={"PAKG_PUBLIC_URL": "javascript:alert(1)", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("pakg: error: PAKG_PUBLIC_URL: ") and len(run.stderr.splitlines()) == 1
