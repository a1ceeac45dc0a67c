"""The one registry of formats (graph.formats): what each use lists, in which order, with which media
types and file extensions; clients see all of it (OpenAPI enums, Content-Type, file names, errors)."""
from __future__ import annotations

import pytest

from graph import formats, network
from graph.errors import UnknownName
from graph.formats import Use


def test_each_use_lists_its_formats_in_order():
    assert formats.names(Use.ANSWER) == [
        "json", "xml", "csv", "tsv", "turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]
    assert formats.names(Use.EXPORT) == ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]
    assert formats.names(Use.NETWORK) == ["cytoscape", "node-link", "graphml", "gexf", "geojson", "csv"]
    assert formats.names(Use.CITATION) == ["text", "bibtex", "ris", "csl-json"]


def test_media_types_and_extensions():
    assert {f.name: (f.media_type, f.extension) for f in formats.FORMATS.values()} == {
        "json": ("application/sparql-results+json", "srj"), "xml": ("application/sparql-results+xml", "srx"),
        "cytoscape": ("application/json", "cyjs"), "node-link": ("application/json", "json"),
        "graphml": ("application/xml", "graphml"), "gexf": ("application/xml", "gexf"),
        "geojson": ("application/geo+json", "geojson"),
        "csv": ("text/csv", "csv"), "tsv": ("text/tab-separated-values", "tsv"),
        "turtle": ("text/turtle", "ttl"), "ntriples": ("application/n-triples", "nt"),
        "nquads": ("application/n-quads", "nq"), "trig": ("application/trig", "trig"),
        "jsonld": ("application/ld+json", "jsonld"), "rdfxml": ("application/rdf+xml", "rdf"),
        "text": ("text/plain", "txt"), "bibtex": ("application/x-bibtex", "bib"),
        "ris": ("application/x-research-info-systems", "ris"),
        "csl-json": ("application/vnd.citationstyles.csl+json", "json")}


def test_names_shared_by_uses_are_one_format():
    assert {f.name for f in formats.FORMATS.values() if len(f.uses) > 1} == {
        "csv", "turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"}
    assert formats.get(Use.ANSWER, "csv") is formats.get(Use.NETWORK, "csv")
    assert formats.get(Use.ANSWER, "turtle") is formats.get(Use.EXPORT, "turtle")


def test_answer_formats_by_query_form():
    def names(form):
        return [f.name for f in formats.answering(form)]
    assert names("SELECT") == ["json", "xml", "csv", "tsv"]
    assert names("ASK") == ["json", "xml"]
    assert names("CONSTRUCT") == names("DESCRIBE") == ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]
    assert all(f.iri and f.iri.startswith("http://www.w3.org/ns/formats/") for f in formats.listed(Use.ANSWER))


def test_engine_formats_are_those_of_rdf():
    for f in formats.FORMATS.values():
        assert (f.engine is not None) == (Use.EXPORT in f.uses or bool(f.forms & {"CONSTRUCT", "DESCRIBE"})), f.name
    assert [f.name for f in formats.listed(Use.EXPORT) if f.datasets] == ["nquads", "trig", "jsonld"]


def test_a_name_is_looked_up_within_its_use():
    assert formats.find(Use.EXPORT, "csv") is None
    assert formats.find(Use.ANSWER, "cytoscape") is None
    assert formats.find(Use.NETWORK, "turtle") is None
    with pytest.raises(UnknownName, match=r"unknown format 'gexf' \(expected one of: turtle, ntriples, nquads, "
                                          r"trig, jsonld, rdfxml\)"):
        formats.get(Use.EXPORT, "gexf")


def test_every_network_format_has_a_writer():
    assert list(network.WRITERS) == formats.names(Use.NETWORK)
