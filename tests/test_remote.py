"""The same answers over remote SPARQL 1.1 engines, started and stopped here on loopback: `oxigraph serve`
(PyPI; in memory and on disk) and Virtuoso Open Source 7 (Debian's `virtuoso-opensource`, its own ini and
database in a temporary folder), each loaded by `pakg load` and served by `pakg serve --endpoint`;
compared with the embedded engine.

`test_every_answer_is_the_same` asks the whole answer set of bench/compare_answers.py (every route of
the OpenAPI document, REST listings and details with their filters, entity pages in every format, SPARQL
in every format and way of asking, exports, networks, analyses; a spread sample of the ids) of the
embedded service and of the service over each engine.  Answers must be byte for byte the same, except
that a SPARQL answer may list its solutions or triples in another order (the standard leaves the order
open without ORDER BY), and the differences in ``ENGINE_DIFFERENCES``: the engines' own, listed in the
README.  Each listed difference must still occur (so the list stays true).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.query import Result

from conftest import LiveServer
from engines import External, start_oxigraph, start_virtuoso, virtuoso_missing

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = "http://pakg.example"  # the same public URL for every service (the absolute links in /void)


def load(engine: External) -> str:
    """`pakg load` into the engine; its output line."""
    env = {**os.environ}
    if engine.auth:
        env.update(PAKG_ENDPOINT_USER=engine.auth[0], PAKG_ENDPOINT_PASSWORD=engine.auth[1])
    loaded = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url],
                            capture_output=True, text=True, timeout=300, env=env)
    assert loaded.returncode == 0, loaded.stderr
    return loaded.stdout


@pytest.fixture(scope="module")
def embedded():
    live = LiveServer(PAKG_PUBLIC_URL=PUBLIC)
    yield live.url
    live.stop()


@pytest.fixture(scope="module", params=["oxigraph-memory", "oxigraph-disk", "virtuoso"])
def remote(request, tmp_path_factory):
    """(pakg over the engine, the engine, the engine's name, what `pakg load` said)."""
    if request.param == "virtuoso":
        if virtuoso_missing():
            pytest.skip(virtuoso_missing())
        engine = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    else:
        disk = tmp_path_factory.mktemp("oxigraph") if request.param == "oxigraph-disk" else None
        engine = start_oxigraph(disk)
    try:
        said = load(engine)
        live = LiveServer(PAKG_ENDPOINT=engine.query_url, PAKG_PUBLIC_URL=PUBLIC)
        try:
            yield live.url, engine, request.param, said
        finally:
            live.stop()
    finally:
        engine.stop()


PATHS = [
    ("/health", {}),
    ("/pairings", {"recipient": "Hotan Prefecture"}),
    ("/pairings", {"supporter": "jiangsu", "limit": 100}),
    ("/pairings", {"programme": "P-WC-2008-RELIEF", "year": 2008, "limit": 100}),
    ("/pairings", {"q": "浦东"}),
    ("/pairings", {"limit": 1000}),
    ("/pairings/PR-CASE-JK", {}),
    ("/pairings/PR-CASE-L", {}),
    ("/pairings/PR-0001/instruments", {}),
    ("/pairings/PR-0153/instruments", {"kind": "hard-law"}),
    ("/actors", {"q": "克州"}),
    ("/actors/hotan-prefecture", {}),
    ("/actors/case-person-l", {}),
    ("/instruments", {"limit": 100}),
    ("/instruments/I-REAL", {}),
    ("/instruments/I-REAL-70", {}),
    ("/programmes/P-XJ-MED-2016", {}),
    ("/sources/S-ksrykj-com", {}),
    ("/sources", {"limit": 200}),
    ("/analysis/reciprocity", {"level": "province"}),
    ("/analysis/degree", {"level": "prefecture", "recipient": "hotan-prefecture"}),
    ("/analysis/paths", {"source": "I-XJ-MED-2016", "target": "case-person-l"}),
    ("/analysis/coverage", {}),
    ("/network", {"level": "province"}),
    ("/pairings/PR-9999", {}),
    ("/pairings", {"field": "weather"}),
]


@pytest.mark.parametrize("path,params", PATHS, ids=[f"{p}?{q}" for p, q in PATHS])
def test_rest_answers_are_the_same(embedded, remote, path, params):
    local = httpx.get(embedded + path, params=params, timeout=60)
    far = httpx.get(remote[0] + path, params=params, timeout=60)
    assert far.status_code == local.status_code
    expected, got = local.json(), far.json()
    if path == "/health":
        expected.pop("store"), got.pop("store")
    assert got == expected


QUERIES = [
    "SELECT ?p ?l WHERE { ?p a <https://w3id.org/pakg/ontology#Programme> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?p ?l",
    "SELECT ?s (COUNT(?p) AS ?n) WHERE { ?p <https://w3id.org/pakg/ontology#supporter> ?s } GROUP BY ?s ORDER BY DESC(?n) ?s",
    "ASK { ?m a <https://w3id.org/pakg/ontology#Mentorship> }",
]


@pytest.mark.parametrize("query,fmt", [(q, f) for q in QUERIES for f in ("json", "xml", "csv")
                                       if not (q.startswith("ASK") and f == "csv")])  # no CSV for ASK
def test_sparql_answers_are_the_same(embedded, remote, query, fmt):
    answers = [httpx.get(base + "/sparql", params={"query": query, "format": fmt}, timeout=60) for base in
               (embedded, remote[0])]
    parsed = [Result.parse(io.BytesIO(a.content), format=fmt) for a in answers]
    if query.startswith("ASK"):
        assert parsed[0].askAnswer == parsed[1].askAnswer is True
    else:
        assert [tuple(r) for r in parsed[0]] == [tuple(r) for r in parsed[1]]
        assert len(list(parsed[0])) > 5


def test_construct_and_export_are_the_same(embedded, remote):
    query = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o ; a <https://w3id.org/pakg/ontology#Programme> }")
    graphs = [rdflib.Graph().parse(data=httpx.get(b + "/sparql", params={"query": query}, timeout=60).content,
                                   format="turtle") for b in (embedded, remote[0])]
    assert isomorphic(*graphs) and len(graphs[0]) > 100
    exports = []
    for base in (embedded, remote[0]):
        ds = rdflib.Dataset()
        ds.parse(data=httpx.get(base + "/export", params={"format": "nquads"}, timeout=120).content, format="nquads")
        exports.append({(s, p, o, g) for s, p, o, g in ds.quads()})
    assert exports[0] == exports[1]


def test_guard_and_timeout_work_the_same_over_the_endpoint(remote):
    refused = httpx.get(remote[0] + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> "
                                                                  "{ ?s ?p ?o } }"}, timeout=30)
    assert refused.status_code == 400
    bad = httpx.get(remote[0] + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"}, timeout=30)
    assert bad.status_code == 400


# ---- the whole answer set ------------------------------------------------------------------------------

sys.path.insert(0, str(ROOT / "bench"))
from compare_answers import Answer, Planner, Req, header_diffs, parallel, send  # noqa: E402

GEOF_DISTANCE = "geof:distance("  # the example query that measures how far supporters are from recipients
ENGINE_DIFFERENCES = {
    # engine → [(what the request holds, what the engine does; the README lists each)]
    "oxigraph": [(GEOF_DISTANCE, "computes geof:distance on a sphere (the embedded engine: on the WGS 84 "
                                 "ellipsoid), so distances differ by up to 0.5 %")],
    "virtuoso": [(GEOF_DISTANCE, "does not know geof:distance (its own function is bif:st_distance): the "
                                 "query is refused (400)"),
                 ("DESCRIBE <", "describes a resource by the triples that point at it as well as its own "
                                "(SPARQL leaves what DESCRIBE gives to the engine)"),
                 ('REGEX(STR(?label), "支援|aid", "i")', "matches no Chinese text with REGEX's case-insensitive "
                                                       "flag over STR(…) (it does without the flag)")],
}
RESULTS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
           "text/csv": "csv", "text/tab-separated-values": "tsv"}
RDF = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
       "application/rdf+xml": "xml", "application/n-quads": "nquads", "application/trig": "trig"}


def _rows(body: bytes, fmt: str) -> tuple[set, Counter]:
    """A SPARQL answer's variables and its solutions as a multiset (the order of both is the engine's: the
    standard does not fix the order of solutions without ORDER BY, nor of SELECT *'s variables)."""
    if fmt in ("csv", "tsv"):  # (rdflib reads no CSV results: each row is its fields by column)
        reader = csv.DictReader(io.StringIO(body.decode()), delimiter="," if fmt == "csv" else "\t")
        return set(reader.fieldnames or ()), Counter(frozenset(row.items()) for row in reader)
    result = Result.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return set(), Counter([result.askAnswer])
    return {str(v) for v in result.vars}, Counter(frozenset(row.asdict().items()) for row in result)


def _graph(body: bytes, fmt: str):
    if fmt in ("nquads", "trig"):
        ds = rdflib.Dataset()
        ds.parse(data=body, format=fmt)
        return Counter((s, p, o, g) for s, p, o, g in ds.quads())
    return rdflib.Graph().parse(data=body, format=fmt)


def _text(req: Req) -> str:
    """The request as words: its target and body, percent-decoded."""
    return unquote_plus(req.target) + " " + unquote_plus((req.body or b"").decode("utf-8", "replace"))


def _query(req: Req) -> str | None:
    """The SPARQL query a request sends (by GET, a form or a body)."""
    fields = parse_qs(urlsplit(req.target).query)
    if req.body and req.headers and any(v.startswith("application/x-www-form-urlencoded") for _, v in req.headers):
        fields.update(parse_qs(req.body.decode("utf-8", "replace")))
    elif req.body:
        return req.body.decode("utf-8", "replace")
    return fields.get("query", [None])[0]


def _any_solutions(req: Req, a: Answer) -> bool:
    """Whether the standard lets an engine choose which solutions to give: a query without ORDER BY cut by
    its LIMIT or by the row cap (then the answers are compared by their size only)."""
    text = _query(req)
    try:
        parsed = parseQuery(text)[1] if text else None
    except Exception:
        return False
    if parsed is None or "orderby" in parsed:
        return False
    return "limitoffset" in parsed or a.headers.get("x-truncated") == "true"


def same_answer(req: Req, a: Answer, b: Answer) -> bool:
    """Byte for byte, or for a SPARQL answer the same solutions (triples) in any order."""
    if a.failed or b.failed or a.status != b.status or header_diffs(a, b):
        return False
    if a.body == b.body:
        return True
    media = a.headers.get("content-type", "").split(";")[0].strip()
    try:
        if media in RESULTS:
            x, y = _rows(a.body, RESULTS[media]), _rows(b.body, RESULTS[media])
            if _any_solutions(req, a):
                return x[0] == y[0] and x[1].total() == y[1].total()
            return x == y
        if media in RDF:
            x, y = _graph(a.body, RDF[media]), _graph(b.body, RDF[media])
            if _any_solutions(req, a):
                return len(x) == len(y)
            return x == y if isinstance(x, Counter) else isomorphic(x, y)
        if media == "application/json" and a.body.startswith(b"{\"status\""):  # /health names its store
            x, y = json.loads(a.body), json.loads(b.body)
            return {**x, "store": None} == {**y, "store": None}
    except Exception:  # an answer that does not parse is not the same answer
        return False
    return False


def test_every_answer_is_the_same(embedded, remote):
    far, _engine, name, _said = remote
    if name == "oxigraph-disk":
        pytest.skip("the whole answer set is asked of Oxigraph server in memory; on disk, the answers above")
    with httpx.Client(timeout=120, trust_env=False) as client:
        reqs = Planner(client, embedded, "curated", 3, 3).plan()
        assert len(reqs) > 2500
        outcomes: list[tuple[Req, Answer, Answer]] = [None] * len(reqs)  # type: ignore[list-item]

        def one(i: int) -> None:
            outcomes[i] = (reqs[i], send(client, embedded, reqs[i]), send(client, far, reqs[i]))

        parallel(one, range(len(reqs)), 4)
        # an answer refused for load (429, 503) is asked again, one at a time, before it counts
        for i, (req, a, b) in enumerate(outcomes):
            if not same_answer(req, a, b) and {a.status, b.status} & {429, 503, 504}:
                outcomes[i] = (req, send(client, embedded, req), send(client, far, req))
    known = ENGINE_DIFFERENCES[name.split("-")[0]]
    differ = [(req, a, b) for req, a, b in outcomes if not same_answer(req, a, b)]
    unknown = [o for o in differ if not any(mark in _text(o[0]) for mark, _ in known)]
    shown = [f"{req.label()[:300]}: {a.status} / {b.status}, {len(a.body)} / {len(b.body)} bytes"
             for req, a, b in unknown[:20]]
    assert not unknown, f"{len(unknown)} of {len(reqs)} answers differ over {name}:\n" + "\n".join(shown)
    for mark, what in known:  # each listed difference still occurs (else: take it off the list and the README)
        assert any(mark in _text(req) for req, _, _ in differ), f"{name} no longer {what}"


# ---- loading: the fastest path, batches the engine takes, rights explained -------------------------------


def test_load_takes_the_graph_store_protocol_and_the_endpoint_holds_what_was_loaded(embedded, remote):
    far, engine, name, said = remote
    assert "by the Graph Store Protocol at " + engine.gsp_url in said, said
    # pakg's graphs hold what the build holds: an engine's own graphs (Virtuoso's system graphs) are not counted
    assert httpx.get(far + "/health", timeout=30).json()["triples"] == \
        httpx.get(embedded + "/health", timeout=30).json()["triples"]
    rows = httpx.get(far + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                              "format": "json"}, timeout=30).json()["results"]["bindings"]
    assert sorted(r["g"]["value"] for r in rows) == ["https://w3id.org/pakg/id/graph/data",
                                                     "https://w3id.org/pakg/id/graph/ontology"]


def test_sparql_update_batches_shrink_until_the_engine_takes_them(remote):
    _, engine, name, _ = remote
    if name != "virtuoso":
        pytest.skip("Oxigraph server takes any batch")
    env = {**os.environ, "PAKG_ENDPOINT_USER": "dba", "PAKG_ENDPOINT_PASSWORD": "dba"}
    done = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url,
                           "--update", engine.update_url, "--batch", "40000"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    # Virtuoso refuses an INSERT DATA of 5,000 triples or more (SP030): 40,000 → … → 2,500
    assert "by SPARQL Update at " + engine.update_url + ", 2500 triples a request" in done.stdout, done.stdout


def test_an_update_without_the_right_is_explained(remote):
    _, engine, name, _ = remote
    if name != "virtuoso":
        pytest.skip("Oxigraph server has no users")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAKG_ENDPOINT_")}
    done = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("pakg: error: ") and "Traceback" not in done.stderr
    assert "SPARQL_UPDATE" in done.stderr and "PAKG_ENDPOINT_USER" in done.stderr


def test_refused_credentials_are_said(remote):
    _, engine, name, _ = remote
    if name != "virtuoso":
        pytest.skip("Oxigraph server has no users")
    env = {**os.environ, "PAKG_ENDPOINT_USER": "dba", "PAKG_ENDPOINT_PASSWORD": "not-the-password"}
    done = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "refused the credentials" in done.stderr and "PAKG_ENDPOINT_PASSWORD" in done.stderr


GEOMETRY = "<https://w3id.org/pakg/id/geometry/akqi-county>"


@pytest.mark.parametrize("query,expected", [
    # the literal comes back as pakg stored it; DATATYPE() is Virtuoso's own (listed in the README)
    (f"SELECT ?wkt (DATATYPE(?wkt) AS ?dt) WHERE {{ {GEOMETRY} <http://www.opengis.net/ont/geosparql#asWKT> ?wkt }}",
     [("POINT (78.446253 40.936936)", "http://www.opengis.net/ont/geosparql#wktLiteral",
       "http://www.openlinksw.com/schemas/virtrdf#Geometry")]),
    ("SELECT (BNODE() AS ?b) WHERE {}", 400),  # not implemented by Virtuoso: refused, with its message
])
def test_what_virtuoso_does_its_own_way(remote, query, expected):
    far, _, name, _ = remote
    if name != "virtuoso":
        pytest.skip("Virtuoso's own ways")
    answer = httpx.get(far + "/sparql", params={"query": query, "format": "json"}, timeout=30)
    if expected == 400:
        assert answer.status_code == 400 and "Virtuoso" in answer.json()["detail"]
        return
    rows = answer.json()["results"]["bindings"]
    assert [(r["wkt"]["value"], r["wkt"]["datatype"], r["dt"]["value"]) for r in rows] == expected


# ---- a newer dataset loaded into the endpoint is served without a restart (keep this test last) ----------


def test_the_service_follows_a_new_load(remote, tmp_path):
    far, engine, name, _ = remote
    changed = tmp_path / "data"
    shutil.copytree(ROOT / "data", changed, ignore=shutil.ignore_patterns("build"))
    table = changed / "reference" / "pairings.csv"
    with table.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns, rows = reader.fieldnames, list(reader)
    rows.append({**rows[0], "id": "PR-1002", "supporter": "jiangsu", "recipient": "hotan-county",
                 "note": "a pairing only in this copy of the data"})
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    before = httpx.get(far + "/health", timeout=30).headers["x-dataset-version"]
    env = {**os.environ, **({"PAKG_ENDPOINT_USER": engine.auth[0], "PAKG_ENDPOINT_PASSWORD": engine.auth[1]}
                            if engine.auth else {})}
    try:
        for data in (changed, ROOT / "data"):  # the copy, then the curated data again for the tests after
            loaded = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url,
                                     "--data", str(data)], capture_output=True, text=True, timeout=300, env=env)
            assert loaded.returncode == 0, loaded.stderr
            version = loaded.stdout.split("loaded dataset ", 1)[1].split(":", 1)[0]
            for _ in range(150):  # the service looks every PAKG_RELOAD_INTERVAL (2 s)
                answer = httpx.get(far + "/pairings/PR-1002", timeout=30)
                if answer.headers["x-dataset-version"] == version:
                    break
                time.sleep(0.2)
            assert answer.headers["x-dataset-version"] == version
            assert answer.status_code == (200 if data == changed else 404)
            assert version != before or data != changed
    finally:
        subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url],
                       capture_output=True, timeout=300, env=env)
