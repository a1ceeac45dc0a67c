"""Export a dataset in any RDF format of ``formats.RDF_FORMATS``.

Dataset formats (N-Quads, TriG, JSON-LD) keep the named graphs; triple formats
(Turtle, N-Triples, RDF/XML) merge the chosen graphs into one.
"""
from __future__ import annotations

import pyoxigraph as ox

from .config import PREFIXES, graph_names
from .formats import rdf_format
from .store import Engine

GRAPHS = ("all", "data", "ontology")


def export(engine: Engine, fmt: str, base: str, graph: str = "all") -> bytes:
    spec = rdf_format(fmt)
    names = graph_names(base)
    wanted = set(names.values()) if graph == "all" else {names[graph]}
    quads = [q for q in engine.quads() if q.graph_name in wanted]
    if spec.datasets:
        items = sorted(quads, key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    kwargs = {"prefixes": PREFIXES} if spec.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG,
                                                         ox.RdfFormat.RDF_XML) else {}
    return ox.serialize(items, format=spec.format, **kwargs)
