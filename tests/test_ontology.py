"""The ontology parses, and every pa: term is declared, labelled in both languages and explained."""
from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.config import ONTOLOGY_DIR, ONTOLOGY_FILES, PA, QUERY_DIR, SHAPES_FILE

PA_NS = rdflib.URIRef(PA)
ONTOLOGY = rdflib.URIRef("https://w3id.org/pakg/ontology")
DECLARING = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return g


def declared_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s, o in g.subject_objects(RDF.type) if o in DECLARING and str(s).startswith(PA)}


def test_header(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    titles = {t.language for t in ontology.objects(ONTOLOGY, rdflib.DCTERMS.title)}
    assert titles == {"zh-Hans", "en"}
    assert ontology.value(ONTOLOGY, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY, rdflib.DCTERMS.license) is not None


def test_every_term_has_both_labels_a_comment_and_is_defined_by(ontology):
    terms = declared_terms(ontology)
    assert len(terms) > 150
    problems = []
    for term in sorted(terms):
        langs = [label.language for label in ontology.objects(term, RDFS.label)]
        if langs.count("zh-Hans") != 1 or langs.count("en") != 1:
            problems.append(f"{term}: labels {langs}")
        if ontology.value(term, RDFS.comment) is None:
            problems.append(f"{term}: no rdfs:comment")
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY:
            problems.append(f"{term}: rdfs:isDefinedBy missing")
    assert problems == []


def _pa_terms_in(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    return {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(PA)}


def test_no_reference_to_an_undeclared_term(ontology, built):
    declared = declared_terms(ontology)
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    shape_nodes = {s for s in shapes.subjects() if str(s).startswith(PA)}
    data = rdflib.Dataset()
    data.parse(data=built.nquads(), format="nquads")
    used = _pa_terms_in(ontology) | (_pa_terms_in(shapes) - shape_nodes) | {
        t for q in data.quads() for t in q[:3] if isinstance(t, rdflib.URIRef) and str(t).startswith(PA)}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        used |= {rdflib.URIRef(PA + local) for local in re.findall(r"\bpa:(\w+)", path.read_text(encoding="utf-8"))}
    assert sorted(used - declared) == []


def test_ontology_files_use_standard_vocabularies_where_they_fit(ontology):
    # reuse, not twins: our classes hang under ORG, PROV and ELI
    assert (rdflib.URIRef(PA + "Organisation"), RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/org#Organization")) in ontology
    assert (rdflib.URIRef(PA + "HardLaw"), RDFS.subClassOf, rdflib.URIRef("http://data.europa.eu/eli/ontology#LegalResource")) in ontology
    assert (rdflib.URIRef(PA + "Pairing"), RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/prov#Activity")) in ontology


def test_theory_schemes_have_their_parts(ontology):
    def narrower(scheme):
        return {c for c in ontology.subjects(SKOS.inScheme, rdflib.URIRef(PA + scheme))}
    assert len([c for c in narrower("drivers")]) == 3
    relations = narrower("relations")
    tops = {c for c in relations if (c, SKOS.topConceptOf, rdflib.URIRef(PA + "relations")) in ontology}
    assert len(tops) == 3
    for top in tops:
        assert len(list(ontology.objects(top, SKOS.narrower))) == 2
    directions = narrower("directions")
    assert len(directions) == 4
    for d in directions:
        assert ontology.value(d, rdflib.URIRef(PA + "risk")) is not None


def test_every_measure_has_a_unit(ontology):
    measures = set(ontology.subjects(SKOS.inScheme, rdflib.URIRef(PA + "measures")))
    assert len(measures) >= 17
    assert sorted(str(m) for m in measures if ontology.value(m, rdflib.URIRef(PA + "unit")) is None) == []


@pytest.mark.parametrize("scheme,notations", [
    ("sourceKinds", {"official", "state-media", "copy", "academic", "secondary", "fiction-forum"}),
    ("yearBases", {"stated", "anniversary", "later-source", "programme", "continued"}),
])
def test_source_kinds_and_year_bases_are_defined_for_users(ontology, scheme, notations):
    concepts = set(ontology.subjects(SKOS.inScheme, rdflib.URIRef(PA + scheme)))
    assert {str(ontology.value(c, SKOS.notation)) for c in concepts} == notations
    for concept in concepts:
        definitions = [d for d in ontology.objects(concept, SKOS.definition) if d.language == "en"]
        assert len(definitions) == 1 and len(definitions[0]) > 30, concept


def test_the_reification_pattern_and_the_actor_confidence_rule_are_documented(ontology):
    header = " ".join(str(c) for c in ontology.objects(ONTOLOGY, RDFS.comment))
    assert "rdf:Statement" in header and "prov:wasDerivedFrom" in header
    confidence = str(ontology.value(rdflib.URIRef(PA + "confidence"), RDFS.comment))
    assert "An actor's confidence is the lowest of" in confidence
