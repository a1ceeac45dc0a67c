"""The same answers over a remote SPARQL 1.1 endpoint: a real `oxigraph serve` (PyPI) on loopback,
loaded by `pakg load`, behind `pakg serve --endpoint`; compared with the embedded engine."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import LiveServer, free_port

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def start_oxigraph(location: Path | None):
    port = free_port()
    args = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"] + (["--location", str(location)] if location else [])
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=2)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start within 60 s")


@pytest.fixture(scope="module", params=["memory", "disk"])
def remote(request, tmp_path_factory):
    location = tmp_path_factory.mktemp("oxigraph") if request.param == "disk" else None
    proc, url = start_oxigraph(location)
    try:
        loaded = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", url + "/query"],
                                capture_output=True, text=True, timeout=300)
        assert loaded.returncode == 0, loaded.stderr
        live = LiveServer(PAKG_ENDPOINT=url + "/query")
        yield live.url, url
        live.stop()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
def test_rest_answers_are_the_same(server, remote, path, params):
    local = httpx.get(server + path, params=params, timeout=60)
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
def test_sparql_answers_are_the_same(server, remote, query, fmt):
    answers = [httpx.get(base + "/sparql", params={"query": query, "format": fmt}, timeout=60) for base in
               (server, remote[0])]
    parsed = [Result.parse(io.BytesIO(a.content), format=fmt) for a in answers]
    if query.startswith("ASK"):
        assert parsed[0].askAnswer == parsed[1].askAnswer is True
    else:
        assert [tuple(r) for r in parsed[0]] == [tuple(r) for r in parsed[1]]
        assert len(list(parsed[0])) > 5


def test_construct_and_export_are_the_same(server, remote):
    query = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o ; a <https://w3id.org/pakg/ontology#Programme> }")
    graphs = [rdflib.Graph().parse(data=httpx.get(b + "/sparql", params={"query": query}, timeout=60).content,
                                   format="turtle") for b in (server, remote[0])]
    assert isomorphic(*graphs) and len(graphs[0]) > 100
    exports = []
    for base in (server, remote[0]):
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
