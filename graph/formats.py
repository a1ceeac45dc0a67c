"""The one registry of formats: every format pakg writes, for SPARQL answers, RDF exports and network files.

A format is keyed by its name and has one media type, one file extension and one engine format
wherever it is used; ``uses`` says where.  Some names serve more than one use with that same media
type: ``csv`` is both a SPARQL result format (SELECT solutions) and a network file (a table of
nodes or edges); ``turtle``, ``ntriples``, ``nquads``, ``trig``, ``jsonld`` and ``rdfxml`` are both
SPARQL graph answers (CONSTRUCT, DESCRIBE, the Linked Data pages, the service description; the
dataset formats write a graph answer as their default graph) and RDF exports.  What writes a format belongs to its
use (``graph.sparql``, ``graph.export``, ``graph.linked_data``, ``graph.network``); what a format
is, is here.  ``Use.CITATION`` lists the forms of the dataset's citation (``/cite``).

Each use lists its formats in the table's order (the order of the OpenAPI enums, the CLI choices
and the ``expected one of`` and ``supported`` lists), so that order is part of the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

import pyoxigraph as ox

from .errors import UnknownName


class Use(Enum):
    """What a format is written for."""

    ANSWER = "SPARQL answer"  # /sparql, and the Linked Data pages (/id/…, /void) in its graph formats
    EXPORT = "RDF export"  # /export and `pakg export`: the dataset, one graph or one source
    NETWORK = "network file"  # /network and `pakg export --network`
    CITATION = "citation"  # /cite: how to cite the dataset


SOLUTIONS = frozenset({"SELECT"})
BOOLEAN = frozenset({"ASK"})
GRAPH = frozenset({"CONSTRUCT", "DESCRIBE"})
W3C = "http://www.w3.org/ns/formats/"  # the W3C's IRIs of formats (the SPARQL service description)


@dataclass(frozen=True)
class Format:
    name: str  # the value of `format=` and of the CLI's --format
    media_type: str  # the Content-Type of the answer or file
    extension: str  # of a file in this format (no dot)
    label: str  # for people
    uses: frozenset[Use]
    engine: ox.RdfFormat | None = None  # the engine's RDF serialiser; None: pakg writes it itself
    forms: frozenset[str] = frozenset()  # the SPARQL query forms whose answers it writes (Use.ANSWER)
    datasets: bool = False  # keeps named graphs (else the graphs are merged into one)
    prefixes: bool = False  # written with the prefixes of the vocabularies
    iri: str | None = None  # the W3C's IRI of the format

    def serves(self, use: Use) -> bool:
        return use in self.uses

    def rdf(self) -> ox.RdfFormat:
        """The engine's serialiser of this format (ValueError for a format pakg writes itself, as the engine
        itself would raise when asked to write in no format)."""
        if self.engine is None:
            raise ValueError(f"format '{self.name}' has no engine serialiser")
        return self.engine


def write_rdf(
    items: Iterable[ox.Triple] | Iterable[ox.Quad], engine: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """Triples or quads written by the engine into memory."""
    body = ox.serialize(items, format=engine, prefixes=prefixes)
    # the engine returns the bytes when given no output (None only when it writes to an output), which the
    # stub's single signature cannot say
    if body is None:
        raise RuntimeError("the engine returned no serialisation")
    return body


ANSWER, EXPORT, NETWORK, CITATION = Use.ANSWER, Use.EXPORT, Use.NETWORK, Use.CITATION  # short names for the table
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        # SPARQL results of SELECT and ASK
        Format(
            "json",
            "application/sparql-results+json",
            "srj",
            "SPARQL results in JSON",
            frozenset({ANSWER}),
            forms=SOLUTIONS | BOOLEAN,
            iri=W3C + "SPARQL_Results_JSON",
        ),
        Format(
            "xml",
            "application/sparql-results+xml",
            "srx",
            "SPARQL results in XML",
            frozenset({ANSWER}),
            forms=SOLUTIONS | BOOLEAN,
            iri=W3C + "SPARQL_Results_XML",
        ),
        # network files
        Format("cytoscape", "application/json", "cyjs", "Cytoscape.js JSON", frozenset({NETWORK})),
        Format("node-link", "application/json", "json", "node-link JSON (networkx)", frozenset({NETWORK})),
        Format("graphml", "application/xml", "graphml", "GraphML", frozenset({NETWORK})),
        Format("gexf", "application/xml", "gexf", "GEXF (with the edges' spells)", frozenset({NETWORK})),
        Format(
            "geojson",
            "application/geo+json",
            "geojson",
            "GeoJSON (RFC 7946: nodes as points, edges as lines)",
            frozenset({NETWORK}),
        ),
        # tables: SELECT solutions, and a network's nodes or edges
        Format(
            "csv",
            "text/csv",
            "csv",
            "CSV",
            frozenset({ANSWER, NETWORK}),
            forms=SOLUTIONS,
            iri=W3C + "SPARQL_Results_CSV",
        ),
        Format(
            "tsv",
            "text/tab-separated-values",
            "tsv",
            "TSV",
            frozenset({ANSWER}),
            forms=SOLUTIONS,
            iri=W3C + "SPARQL_Results_TSV",
        ),
        # RDF: CONSTRUCT and DESCRIBE answers, Linked Data, exports
        Format(
            "turtle",
            "text/turtle",
            "ttl",
            "Turtle",
            frozenset({ANSWER, EXPORT}),
            ox.RdfFormat.TURTLE,
            forms=GRAPH,
            prefixes=True,
            iri=W3C + "Turtle",
        ),
        Format(
            "ntriples",
            "application/n-triples",
            "nt",
            "N-Triples",
            frozenset({ANSWER, EXPORT}),
            ox.RdfFormat.N_TRIPLES,
            forms=GRAPH,
            iri=W3C + "N-Triples",
        ),
        Format(
            "nquads",
            "application/n-quads",
            "nq",
            "N-Quads",
            frozenset({ANSWER, EXPORT}),
            ox.RdfFormat.N_QUADS,
            forms=GRAPH,
            datasets=True,
            iri=W3C + "N-Quads",
        ),
        Format(
            "trig",
            "application/trig",
            "trig",
            "TriG",
            frozenset({ANSWER, EXPORT}),
            ox.RdfFormat.TRIG,
            forms=GRAPH,
            datasets=True,
            prefixes=True,
            iri=W3C + "TriG",
        ),
        Format(
            "jsonld",
            "application/ld+json",
            "jsonld",
            "JSON-LD",
            frozenset({ANSWER, EXPORT}),
            ox.RdfFormat.JSON_LD,
            forms=GRAPH,
            datasets=True,
            iri=W3C + "JSON-LD",
        ),
        Format(
            "rdfxml",
            "application/rdf+xml",
            "rdf",
            "RDF/XML",
            frozenset({ANSWER, EXPORT}),
            ox.RdfFormat.RDF_XML,
            forms=GRAPH,
            prefixes=True,
            iri=W3C + "RDF_XML",
        ),
        # the dataset's citation (graph.metadata.citation), the first one the default
        Format("text", "text/plain", "txt", "citation as plain text", frozenset({CITATION})),
        Format("bibtex", "application/x-bibtex", "bib", "BibTeX", frozenset({CITATION})),
        Format("ris", "application/x-research-info-systems", "ris", "RIS", frozenset({CITATION})),
        Format("csl-json", "application/vnd.citationstyles.csl+json", "json", "CSL-JSON", frozenset({CITATION})),
    )
}


def listed(use: Use) -> tuple[Format, ...]:
    """The formats of one use, in the table's order."""
    return _LISTS[use]


def names(use: Use) -> list[str]:
    return [f.name for f in _LISTS[use]]


def find(use: Use, name: str) -> Format | None:
    """The format of that name for that use; None when that use has none of that name."""
    found = FORMATS.get(name)
    return found if found is not None and use in found.uses else None


def get(use: Use, name: str) -> Format:
    found = find(use, name)
    if found is None:
        raise UnknownName(unknown(use, name))
    return found


def unknown(use: Use, name: str) -> str:
    """What to say of a name that is no format of that use."""
    return f"unknown format '{name}' (expected one of: {', '.join(names(use))})"


def answering(form: str) -> tuple[Format, ...]:
    """The formats that write the answer of a SPARQL query form (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    return _ANSWERING[form]


_LISTS = {use: tuple(f for f in FORMATS.values() if use in f.uses) for use in Use}
_ANSWERING = {form: tuple(f for f in _LISTS[ANSWER] if form in f.forms) for form in SOLUTIONS | BOOLEAN | GRAPH}
