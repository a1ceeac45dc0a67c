"""The controlled values a data table may use, read from the ontology's SKOS schemes.

Formats are data: the same tables decide what the build accepts, which IRI a value
becomes, and what error lists the allowed values.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from . import queries
from .config import ONTOLOGY_DIR, ONTOLOGY_FILES, PA

# column vocabulary -> SKOS scheme whose skos:notation values it accepts
SCHEMES = {
    "mode": "modes",
    "field": "fields",
    "level": "adminLevels",
    "confidence": "confidenceLevels",
    "side": "sides",
    "form": "documentForms",
    "measure": "measures",
    "source-kind": "sourceKinds",
    "year-basis": "yearBases",
    "point-basis": "pointBases",
}
# column vocabulary -> schemes whose concepts it accepts by local name (the theory)
BY_LOCAL_NAME = {"theory": ("drivers", "relations", "directions"), "stage": ()}
STAGES = {"socialEmotion": PA + "socialEmotion", "individualEmotion": PA + "individualEmotion"}

# vocabularies fixed by the ontology's class tree
CLASSES = {
    "actor-kind": {
        "region-government": "RegionalGovernment",
        "party-organ": "PartyOrgan",
        "state-organ": "StateOrgan",
        "ministry": "Ministry",
        "xpcc-unit": "XPCCUnit",
        "hospital": "Hospital",
        "university": "University",
        "work-unit": "WorkUnit",
        "command-headquarters": "CommandHeadquarters",
        "team": "Team",
        "person": "Person",
        "person-group": "PersonGroup",
    },
    "pairing-kind": {"pairing": "Pairing", "mentorship": "Mentorship"},
    "instrument-kind": {"hard-law": "HardLaw", "soft-law": "SoftLaw"},
    "instrument-type": {
        "constitution": "Constitution",
        "law": "Law",
        "administrative-regulation": "AdministrativeRegulation",
        "leader-speech": "LeadershipDirective",
        "central-plan": "CentralPolicy",
        "bilateral-agreement": "BilateralAgreement",
        "provincial-plan": "LocalPolicy",
    },
    "alliance-kind": {"political-performance": "PoliticalPerformanceAlliance", "skill": "SkillAlliance"},
    "link": {
        "authorizes": "authorizes",
        "governs": "governs",
        "based-on": "basedOn",
        "implements": "implements",
        "amends": "amends",
        "replaces": "replaces",
        "repeals": "repeals",
    },
    "evidence-kind": {"interview": "", "case-record": ""},
}
HARD_TYPES = {"constitution", "law", "administrative-regulation"}


@lru_cache(maxsize=1)
def ontology_quads() -> tuple[ox.Triple, ...]:
    """The ontology, vocabularies and theory as triples (parsed once per process).

    A parser names blank nodes (an ``owl:unionOf`` list, say) at random; they are renamed in the order
    they appear, so that the same files give the same triples and the dataset version stays the same.
    """
    triples: list[ox.Triple] = []
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"ontology{len(names) + 1}"))
        return term

    for name in ONTOLOGY_FILES:
        with (ONTOLOGY_DIR / name).open("rb") as fh:
            for q in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                triples.append(ox.Triple(stable(q.subject), q.predicate, stable(q.object)))
    return tuple(triples)


def _in_scheme(store: ox.Store, query: str, scheme: str) -> ox.QuerySolutions:
    """The solutions of a named SELECT query about one SKOS scheme of the ontology."""
    rows = store.query(queries.get(query).text, substitutions={ox.Variable("scheme"): ox.NamedNode(PA + scheme)})
    if not isinstance(rows, ox.QuerySolutions):
        raise TypeError(f"query '{query}' is not a SELECT")
    return rows


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, dict[str, str]]:
    """Every accepted value of every vocabulary column, mapped to the IRI it becomes."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology_quads())
    out: dict[str, dict[str, str]] = {}
    for column, scheme in SCHEMES.items():
        rows = _in_scheme(store, "vocabulary_notations", scheme)
        out[column] = {r["notation"].value: r["concept"].value for r in rows}
    theory: dict[str, str] = {}
    for scheme in BY_LOCAL_NAME["theory"]:
        rows = _in_scheme(store, "concepts_in_scheme", scheme)
        theory.update({r["concept"].value[len(PA) :]: r["concept"].value for r in rows})
    out["theory"] = theory
    out["stage"] = dict(STAGES)
    for column, mapping in CLASSES.items():
        out[column] = {k: (PA + v if v else "") for k, v in mapping.items()}
    return out
