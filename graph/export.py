"""Export a dataset in any RDF export format of ``graph.formats`` (``Use.EXPORT``).

Dataset formats (N-Quads, TriG, JSON-LD) keep the named graphs; triple formats
(Turtle, N-Triples, RDF/XML) merge the chosen graphs into one.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import formats, queries
from .config import PREFIXES, graph_names
from .formats import Format, Use, write_rdf
from .store import Engine

GRAPHS = ("all", "data", "ontology")


def _serialize(quads: list[ox.Quad], spec: Format) -> bytes:
    items: list[ox.Quad] | list[ox.Triple]
    if spec.datasets:
        items = sorted(quads, key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    return write_rdf(items, spec.rdf(), PREFIXES if spec.prefixes else None)


def export(engine: Engine, fmt: str, base: str, graph: str = "all") -> bytes:
    """The whole dataset, or its data or ontology graph."""
    spec = formats.get(Use.EXPORT, fmt)
    names = graph_names(base)
    wanted = set(names.values()) if graph == "all" else {names[graph]}
    return _serialize([q for q in engine.quads() if q.graph_name in wanted], spec)


def export_source(engine: Engine, fmt: str, source_iri: str) -> bytes:
    """What one source backs, as a graph named after the source."""
    query = queries.get("described_by_source")
    graph = ox.NamedNode(source_iri)
    triples = engine.construct(query.text, query.bindings({"source": source_iri}))
    return _serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], formats.get(Use.EXPORT, fmt))
