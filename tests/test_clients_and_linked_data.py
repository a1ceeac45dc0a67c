"""Third-party clients against the live server, exports over HTTP, and dereferenceable IRIs."""
from __future__ import annotations

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

from graph import queries

from conftest import iri

WHO_SUPPORTS_HOTAN = queries.examples()[1].text
COUNT_BY_SUPPORTER = queries.examples()[2].text


def engine_rows(engine, text):
    result = engine.select(text)
    return sorted(tuple(str(v.value) for v in row.values()) for row in result)


@pytest.mark.parametrize("fmt,method", [(JSON, "GET"), (XML, "GET"), (JSON, POST)])
def test_sparqlwrapper_gets_the_embedded_engines_answers(server, engine, fmt, method):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(COUNT_BY_SUPPORTER)
    client.setReturnFormat(fmt)
    if method == POST:
        client.setMethod(POST)
    result = client.query().convert()
    if fmt == JSON:
        rows = [tuple(b[v]["value"] for v in result["head"]["vars"] if v in b) for b in result["results"]["bindings"]]
    else:
        rows = [tuple(node.firstChild.nodeValue for node in r.getElementsByTagName("binding")
                      for node in node.childNodes if node.nodeType == node.ELEMENT_NODE)
                for r in result.getElementsByTagName("result")]
    assert sorted(rows) == engine_rows(engine, COUNT_BY_SUPPORTER)
    assert len(rows) == 63  # distinct supporters


def test_rdflib_sparqlstore_gets_the_embedded_engines_answers(server, engine):
    graph = rdflib.Graph(store=SPARQLStore(server + "/sparql", returnFormat="xml"))
    rows = sorted(tuple(str(v) if v is not None else "" for v in row) for row in graph.query(WHO_SUPPORTS_HOTAN))
    expected = engine.select(WHO_SUPPORTS_HOTAN)
    assert len(rows) == len(expected) == 9
    names = ["supporter_label", "recipient_label", "start", "field"]
    assert rows == sorted(tuple(r[n].value if n in r else "" for n in names) for r in expected)
    ask = graph.query("ASK { ?s a <https://w3id.org/pakg/ontology#Mentorship> }")
    assert ask.askAnswer is True
    constructed = graph.query("CONSTRUCT { ?p a ?c } WHERE { ?p a ?c . "
                              "FILTER(?c = <https://w3id.org/pakg/ontology#Programme>) }")
    assert len(constructed.graph) == 13


@pytest.mark.parametrize("fmt,rdflib_format,dataset", [
    ("turtle", "turtle", False), ("ntriples", "nt", False), ("nquads", "nquads", True), ("trig", "trig", True),
    ("jsonld", "json-ld", True), ("rdfxml", "xml", False)])
def test_export_over_http(server, built, fmt, rdflib_format, dataset):
    response = httpx.get(server + "/export", params={"format": fmt}, timeout=60)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="pakg-{built.version}.' \
        f'{ {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld", "rdfxml": "rdf"}[fmt] }"'
    assert response.headers["x-dataset-version"] == built.version
    if dataset:
        parsed = rdflib.Dataset()
        parsed.parse(data=response.content, format=rdflib_format)
        assert sum(1 for _ in parsed.quads()) == len(built.quads)
    else:
        parsed = rdflib.Graph().parse(data=response.content, format=rdflib_format)
        assert len(parsed) == len({(q.subject, q.predicate, q.object) for q in built.quads})


def test_export_of_what_one_source_backs(server):
    response = httpx.get(server + "/export", params={"format": "nquads", "graph": "S-huang-ding"}, timeout=30)
    parsed = rdflib.Dataset()
    parsed.parse(data=response.content, format="nquads")
    graphs = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert graphs == {iri("source", "S-huang-ding")}
    subjects = {str(s) for s, _, _, _ in parsed.quads()}
    assert iri("pairing", "PR-CASE-JK") in subjects and iri("pairing", "PR-0001") not in subjects


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_iris_dereference_as_rdf(server, accept, fmt):
    response = httpx.get(server + "/id/pairing/PR-0153", headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=fmt)
    subject = rdflib.URIRef(iri("pairing", "PR-0153"))
    PA = rdflib.Namespace("https://w3id.org/pakg/ontology#")
    assert (subject, PA.supporter, rdflib.URIRef(iri("actor", "jiangsu"))) in graph
    assert (rdflib.URIRef(iri("actor", "jiangsu")), rdflib.RDFS.label, rdflib.Literal("江苏省", lang="zh-hans")) in graph
    assert (None, PA.figureOf, subject) in graph


def test_iris_dereference_as_a_bilingual_page_with_links(server):
    page = httpx.get(server + "/id/actor/case-person-l", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for text in ("L (pseudonym)", "支援方专家（师傅）", 'href="/id/pairing/PR-CASE-L"', 'href="/id/actor/case-team-10"'):
        assert text in page.text
    year = httpx.get(server + "/id/year/2016", headers={"Accept": "text/turtle"}, timeout=10)
    assert year.status_code == 200 and "inXSDGYear" in year.text


def test_void_description(server, built):
    graph = rdflib.Graph().parse(data=httpx.get(server + "/void", timeout=10).content, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef("https://w3id.org/pakg/id/dataset")
    assert int(graph.value(ds, VOID.triples)) == len(built.quads)
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(ds, VOID.classPartition)}
    PA = rdflib.Namespace("https://w3id.org/pakg/ontology#")
    assert partitions[PA.Pairing] == 221 and partitions[PA.Source] == 107
    assert any(graph.objects(ds, VOID.propertyPartition))


def test_network_of_hotans_supporters_at_prefecture_level(server):
    body = httpx.get(server + "/network", params={"recipient": "Hotan Prefecture", "level": "prefecture"},
                     timeout=30).json()
    nodes = {n["id"] for n in body["nodes"]}
    assert nodes == {"https://w3id.org/pakg/id/actor/" + a for a in ("beijing", "tianjin", "anhui", "hotan-prefecture")}
    links = {(l["source"].rsplit("/", 1)[-1], l["target"].rsplit("/", 1)[-1]): l for l in body["links"]}
    assert set(links) == {("beijing", "hotan-prefecture"), ("tianjin", "hotan-prefecture"),
                          ("anhui", "hotan-prefecture")}
    tianjin = links[("tianjin", "hotan-prefecture")]
    assert tianjin["pairings"] == 4 and tianjin["fields"] == ["comprehensive", "medical"]
    assert tianjin["ids"] == ["PR-0006", "PR-0007", "PR-0008", "PR-0156"] and tianjin["first_year"] == 2010
    assert all(n["label_zh"] and n["label_en"] for n in body["nodes"])


@pytest.mark.parametrize("fmt", ["cytoscape", "graphml", "gexf", "csv"])
def test_network_formats_parse(server, fmt):
    import csv
    import io
    import json

    import networkx as nx
    response = httpx.get(server + "/network", params={"format": fmt, "level": "province"}, timeout=30)
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    if fmt == "cytoscape":
        graph = nx.cytoscape_graph(json.loads(response.content), name="label_en", ident="iri")
    elif fmt == "graphml":
        graph = nx.parse_graphml(response.text)
    elif fmt == "gexf":
        graph = nx.read_gexf(io.BytesIO(response.content))
        assert "<spell" in response.text
    else:
        rows = list(csv.DictReader(io.StringIO(response.text)))
        graph = nx.DiGraph((r["source"], r["target"]) for r in rows)
    node_link = httpx.get(server + "/network", params={"level": "province"}, timeout=30).json()
    assert graph.number_of_edges() == len(node_link["links"]) > 50
