"""What a researcher relies on in the built graph: every actor has a confidence, no two actors share a
code, notes speak about the sources (never about how the data was compiled), every coverage statement
has a source, every programme has a coverage statement or a known gap, and every figure has a value
and, through its measure, a unit."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from conftest import short

from graph.config import graph_names

PREFIXES = """
PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# Words about the compilation of the data, which a note for users does not use.
COMPILATION_IN_NOTES = re.compile(
    r"\bREADME\b|\bthe brief\b|\bbrief's\b|\bcompiler\b|\bI found\b|shared/|\breference note\b|\bgaps? \d",
    re.IGNORECASE,
)
# The strongest of them, which no text of the data uses (titles, labels, descriptions included).
COMPILATION_ANYWHERE = re.compile(r"\bREADME\b|\bcompiler\b|\bI found\b|shared/", re.IGNORECASE)


def rows(engine, query: str) -> list[dict]:
    return engine.select(PREFIXES + query)


def data_literals(built) -> list[tuple[str, str, str]]:
    """(subject, predicate, text) of every literal of the data graph."""
    data = graph_names(built.base)["data"]
    return [
        (q.subject.value, q.predicate.value, q.object.value)
        for q in built.quads
        if q.graph_name == data and isinstance(q.object, ox.Literal)
    ]


def test_every_actor_has_a_confidence(engine, base):
    found = rows(
        engine,
        f"""
        SELECT ?a WHERE {{
          ?a a ?type .
          FILTER(STRSTARTS(STR(?a), "{base}actor/"))
          FILTER NOT EXISTS {{ ?a pa:confidence ?c }}
        }}""",
    )
    assert not found, sorted(short(r["a"].value) for r in found)


def test_no_two_actors_share_a_code(engine):
    found = rows(
        engine,
        """
        SELECT ?code (GROUP_CONCAT(STR(?a); separator=" ") AS ?actors) WHERE { ?a pa:gbCode ?code }
        GROUP BY ?code HAVING (COUNT(DISTINCT ?a) > 1)""",
    )
    assert not found, {r["code"].value: [short(a) for a in r["actors"].value.split()] for r in found}


def test_notes_speak_about_sources_not_compilation(engine):
    found = rows(engine, "SELECT ?s ?note WHERE { ?s skos:note ?note }")
    bad = {short(r["s"].value): r["note"].value for r in found if COMPILATION_IN_NOTES.search(r["note"].value)}
    assert found and not bad, bad


def test_no_text_of_the_data_speaks_about_compilation(built):
    bad = [(short(s), short(p), text) for s, p, text in data_literals(built) if COMPILATION_ANYWHERE.search(text)]
    assert not bad, bad


def test_every_coverage_statement_has_a_source_and_a_statement(engine):
    statements = rows(
        engine,
        """
        SELECT ?c ?programme (COUNT(DISTINCT ?src) AS ?sources) (SAMPLE(?en) AS ?statement) WHERE {
          ?c a pa:CoverageStatement ; pa:coverageOf ?programme .
          OPTIONAL { ?c prov:wasDerivedFrom ?src }
          OPTIONAL { ?c pa:statement ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
        } GROUP BY ?c ?programme""",
    )
    assert statements, "no coverage statement in the graph"
    unsourced = [short(r["c"].value) for r in statements if int(r["sources"].value) == 0]
    unstated = [short(r["c"].value) for r in statements if "statement" not in r]
    assert not unsourced and not unstated, (unsourced, unstated)


def test_every_programme_has_a_coverage_statement_or_a_known_gap(engine):
    found = rows(
        engine,
        """
        SELECT ?p WHERE {
          ?p a pa:Programme .
          FILTER NOT EXISTS { ?c pa:coverageOf ?p }
          FILTER NOT EXISTS { ?g a pa:KnownGap ; pa:gapAbout ?p }
        }""",
    )
    assert not found, sorted(short(r["p"].value) for r in found)


def test_every_known_gap_is_said_in_english_and_is_about_something(engine):
    gaps = rows(
        engine,
        """
        SELECT ?g (COUNT(DISTINCT ?about) AS ?abouts) (SAMPLE(?label) AS ?en) WHERE {
          ?g a pa:KnownGap .
          OPTIONAL { ?g pa:gapAbout ?about }
          OPTIONAL { ?g rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
        } GROUP BY ?g""",
    )
    assert gaps, "no known gap in the graph"
    unsaid = [short(r["g"].value) for r in gaps if "en" not in r]
    assert not unsaid, unsaid


def test_every_figure_has_a_value_and_a_unit(engine):
    figures = rows(
        engine,
        """
        SELECT ?f (SAMPLE(?value) AS ?v) (SAMPLE(?unit) AS ?u) WHERE {
          ?f a pa:Figure .
          OPTIONAL { ?f pa:value ?value }
          OPTIONAL { ?f pa:measure/pa:unit ?unit }
        } GROUP BY ?f""",
    )
    assert figures, "no figure in the graph"
    incomplete = sorted(short(r["f"].value) for r in figures if "v" not in r or "u" not in r)
    assert not incomplete, incomplete


@pytest.mark.parametrize("figure", ["F-0007", "FIG-CASE-EXPERTS"])
def test_a_figure_reads_with_its_unit(engine, base, figure):
    """A reference figure and the paper's: value, measure and unit as a user reads them."""
    found = rows(
        engine,
        f"""
        SELECT ?value ?unit WHERE {{ <{base}figure/{figure}> pa:value ?value ; pa:measure/pa:unit ?unit }}""",
    )
    assert len(found) == 1, found
    assert float(found[0]["value"].value) > 0 and found[0]["unit"].value
