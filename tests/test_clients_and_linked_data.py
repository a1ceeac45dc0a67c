"""Third-party clients against the live server; exports over HTTP and dereferenceable IRIs, asked of the
service in this process (conftest's ``client``)."""
from __future__ import annotations

import csv
from collections import Counter

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

from graph import queries
from graph.config import DATA_DIR

from conftest import iri, table_count

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
    # one row per distinct supporter, with its number of pairings, as the pairings tables give them
    per_supporter = Counter(row["supporter"] for path in sorted(DATA_DIR.glob("*/pairings.csv"))
                            for row in csv.DictReader(path.open(encoding="utf-8")))
    assert sorted((iri("actor", s), n) for s, n in per_supporter.items()) == sorted(
        (row[0], int(row[2])) for row in rows)


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
    assert len(constructed.graph) == table_count("programmes")


@pytest.mark.parametrize("fmt,rdflib_format,dataset", [
    ("turtle", "turtle", False), ("ntriples", "nt", False), ("nquads", "nquads", True), ("trig", "trig", True),
    ("jsonld", "json-ld", True), ("rdfxml", "xml", False)])
def test_export_over_http(client, built, fmt, rdflib_format, dataset):
    response = client.get("/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="pakg-{built.version}.' \
        f'{ {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld", "rdfxml": "rdf"}[fmt] }"'
    assert response.headers["x-dataset-version"] == built.version
    # the build's quads, and the dataset node's licence, release and citation (all of them new triples)
    dataset_node = rdflib.URIRef(built.base + "dataset")
    if dataset:
        parsed = rdflib.Dataset()
        parsed.parse(data=response.content, format=rdflib_format)
        extra = sum(1 for _ in parsed.quads()) - len(built.quads)
        about = {(p, o) for s, p, o, _ in parsed.quads((dataset_node, None, None, None))}
    else:
        parsed = rdflib.Graph().parse(data=response.content, format=rdflib_format)
        extra = len(parsed) - len({(q.subject, q.predicate, q.object) for q in built.quads})
        about = set(parsed.predicate_objects(dataset_node))
    built_about = {q.predicate.value for q in built.quads if q.subject.value == str(dataset_node)}
    assert extra == len({(p, o) for p, o in about if str(p) not in built_about}) > 0
    assert rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/") in {o for _, o in about}


def test_export_of_what_one_source_backs(client):
    response = client.get("/export", params={"format": "nquads", "graph": "S-huang-ding"})
    parsed = rdflib.Dataset()
    parsed.parse(data=response.content, format="nquads")
    graphs = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert graphs == {iri("source", "S-huang-ding")}
    subjects = {str(s) for s, _, _, _ in parsed.quads()}
    assert iri("pairing", "PR-CASE-JK") in subjects and iri("pairing", "PR-0001") not in subjects


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_iris_dereference_as_rdf(client, accept, fmt):
    response = client.get("/id/pairing/PR-0153", headers={"Accept": accept})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=fmt)
    subject = rdflib.URIRef(iri("pairing", "PR-0153"))
    PA = rdflib.Namespace("https://w3id.org/pakg/ontology#")
    assert (subject, PA.supporter, rdflib.URIRef(iri("actor", "jiangsu"))) in graph
    assert (rdflib.URIRef(iri("actor", "jiangsu")), rdflib.RDFS.label, rdflib.Literal("江苏省", lang="zh-hans")) in graph
    assert (None, PA.figureOf, subject) in graph


def test_iris_dereference_as_a_bilingual_page_with_links(client):
    page = client.get("/id/actor/case-person-l", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for text in ("L (pseudonym)", "支援方专家（师傅）", 'href="/id/pairing/PR-CASE-L"', 'href="/id/actor/case-team-10"'):
        assert text in page.text
    year = client.get("/id/year/2016", headers={"Accept": "text/turtle"})
    assert year.status_code == 200 and "inXSDGYear" in year.text


@pytest.mark.parametrize("accept,page", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8", True),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # Firefox
    ("text/turtle, text/html", False),  # a tie goes to data
    ("text/html;q=0.5, application/ld+json", False),
    ("text/html;q=0, */*", False),
    ("*/*", False),
], ids=["chromium", "firefox", "tie", "json-ld-first", "html-refused", "anything"])
def test_a_page_or_data_as_the_parsed_accept_header_prefers(client, accept, page):
    """The choice between the HTML page and RDF is taken on the parsed header (q-values), not on the
    text it contains; an instrument page with a year in its statements is a page too."""
    for path in ("/id/pairing/PR-0153", "/id/instrument/I-CONST"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, (path, accept)
        assert response.headers["content-type"].startswith("text/html") is page, (path, accept)


def test_void_description(client, built):
    graph = rdflib.Graph().parse(data=client.get("/void").content, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef("https://w3id.org/pakg/id/dataset")
    assert int(graph.value(ds, VOID.triples)) == len(built.quads)
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(ds, VOID.classPartition)}
    PA = rdflib.Namespace("https://w3id.org/pakg/ontology#")
    assert partitions[PA.Pairing] == table_count("pairings") and partitions[PA.Source] == table_count("sources")
    assert any(graph.objects(ds, VOID.propertyPartition))


def test_network_of_hotans_supporters_at_prefecture_level(client):
    body = client.get("/network", params={"recipient": "Hotan Prefecture", "level": "prefecture"}).json()
    nodes = {n["id"] for n in body["nodes"]}  # the short ids, as in every network format (issue 16)
    assert nodes == {"beijing", "tianjin", "anhui", "hotan-prefecture"}
    assert {n["iri"] for n in body["nodes"]} == {"https://w3id.org/pakg/id/actor/" + a for a in nodes}
    links = {(l["source"], l["target"]): l for l in body["links"]}
    assert set(links) == {("beijing", "hotan-prefecture"), ("tianjin", "hotan-prefecture"),
                          ("anhui", "hotan-prefecture")}
    tianjin = links[("tianjin", "hotan-prefecture")]
    assert tianjin["pairings"] == 4 and tianjin["fields"] == ["comprehensive", "medical"]
    assert tianjin["ids"] == ["PR-0006", "PR-0007", "PR-0008", "PR-0156"] and tianjin["first_year"] == 2010
    assert all(n["label_zh"] and n["label_en"] for n in body["nodes"])


@pytest.mark.parametrize("fmt", ["cytoscape", "graphml", "gexf", "csv"])
def test_network_formats_parse(client, fmt):
    import csv
    import io
    import json

    import networkx as nx
    response = client.get("/network", params={"format": fmt, "level": "province"})
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
    node_link = client.get("/network", params={"level": "province"}).json()
    assert graph.number_of_edges() == len(node_link["links"]) > 50
