"""Linked Data as triples: the description of one resource (what its IRI dereferences to), the
dataset's VoID description, the endpoint's SPARQL 1.1 Service Description, and triples written in
one of the graph formats of ``graph.formats``."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from . import formats, queries
from .config import DCAT, DCTERMS, PA, PREFIXES, RDF, XSD, graph_names
from .formats import Format, Use, write_rdf
from .store import Engine

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
DQV = "http://www.w3.org/ns/dqv#"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
A = ox.NamedNode(RDF + "type")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def void_triples(engine: Engine, base: str, sparql_endpoint: str, dumps: Iterable[str] = ()) -> list[ox.Triple]:
    """The dataset's VoID description: its SPARQL endpoint, data dumps (``dumps``: their URLs), size,
    version, and its class and property partitions (named queries ``void_class_partitions`` and
    ``void_property_partitions``)."""
    ds = _n(base + "dataset")
    data_graph = graph_names(base)["data"].value
    out = [
        ox.Triple(ds, A, _n(VOID + "Dataset")),
        ox.Triple(ds, _n(VOID + "sparqlEndpoint"), _n(sparql_endpoint)),
        ox.Triple(ds, _n(VOID + "triples"), _int(engine.triple_count)),
        ox.Triple(ds, _n(VOID + "uriSpace"), ox.Literal(base)),
        ox.Triple(ds, _n(VOID + "vocabulary"), _n(PA)),
        ox.Triple(ds, _n(DCTERMS + "hasVersion"), ox.Literal(engine.version)),
    ]
    out += [ox.Triple(ds, _n(VOID + "dataDump"), _n(url)) for url in dumps]
    entities = 0
    for i, row in enumerate(queries.run(engine, "void_class_partitions", data=data_graph)):
        part = _n(f"{base}dataset/class/{i}")
        entities += row["entities"]
        out += [
            ox.Triple(ds, _n(VOID + "classPartition"), part),
            ox.Triple(part, _n(VOID + "class"), _n(row["class"])),
            ox.Triple(part, _n(VOID + "entities"), _int(row["entities"])),
        ]
    for i, row in enumerate(queries.run(engine, "void_property_partitions", data=data_graph)):
        part = _n(f"{base}dataset/property/{i}")
        out += [
            ox.Triple(ds, _n(VOID + "propertyPartition"), part),
            ox.Triple(part, _n(VOID + "property"), _n(row["property"])),
            ox.Triple(part, _n(VOID + "triples"), _int(row["triples"])),
        ]
    out.append(ox.Triple(ds, _n(VOID + "entities"), _int(entities)))
    return out


def service_description(engine: Engine, base: str, endpoint: str) -> list[ox.Triple]:
    service = _n(endpoint)
    dataset = ox.BlankNode("dataset")
    graphs = graph_names(base)
    out = [
        ox.Triple(service, A, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), service),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, A, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(DCTERMS + "hasVersion"), ox.Literal(engine.version)),
    ]
    for fmt in formats.listed(Use.ANSWER):
        if fmt.iri is not None:  # (every answer format has one: the W3C names them all)
            out.append(ox.Triple(service, _n(SD + "resultFormat"), _n(fmt.iri)))
    for key, node in graphs.items():
        named = ox.BlankNode(f"g_{key}")
        out += [ox.Triple(dataset, _n(SD + "namedGraph"), named), ox.Triple(named, _n(SD + "name"), node)]
    return out


def serialize_triples(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    """Triples in a graph format (one with an engine serialiser), with prefixes where the format has them."""
    extra = {"void": VOID, "sd": SD, "dcat": DCAT, "dqv": DQV, "foaf": FOAF, "spdx": SPDX}
    prefixes = {**PREFIXES, **extra} if fmt.prefixes else None
    return write_rdf(sorted(triples, key=str), fmt.rdf(), prefixes)


def resource_description(engine: Engine, iri: str) -> list[ox.Triple]:
    """What the data says about one resource and what points at it, with labels of both ends (the
    named query of the same name)."""
    query = queries.get("resource_description")
    return engine.construct(query.text, query.bindings({"resource": iri}))
