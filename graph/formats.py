"""RDF serialisation formats: one table used by export (and by content negotiation later)."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import UnknownName


@dataclass(frozen=True)
class RdfFormatSpec:
    name: str
    format: ox.RdfFormat
    media_type: str
    extension: str
    datasets: bool  # keeps named graphs


RDF_FORMATS = {f.name: f for f in (
    RdfFormatSpec("turtle", ox.RdfFormat.TURTLE, "text/turtle", "ttl", False),
    RdfFormatSpec("ntriples", ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt", False),
    RdfFormatSpec("nquads", ox.RdfFormat.N_QUADS, "application/n-quads", "nq", True),
    RdfFormatSpec("trig", ox.RdfFormat.TRIG, "application/trig", "trig", True),
    RdfFormatSpec("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld", True),
    RdfFormatSpec("rdfxml", ox.RdfFormat.RDF_XML, "application/rdf+xml", "rdf", False),
)}


def rdf_format(name: str) -> RdfFormatSpec:
    try:
        return RDF_FORMATS[name]
    except KeyError:
        raise UnknownName(f"unknown format '{name}' (expected one of: {', '.join(RDF_FORMATS)})") from None
